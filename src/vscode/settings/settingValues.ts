// The one reader of the `ossTransfer.*` settings. Defaults and bounds are package.json's own
// (contributes.configuration), so what the Settings editor promises and what a transfer gets
// cannot drift apart; a hand-edited settings.json with a value out of range or of the wrong type
// yields the nearest usable value and one warning per key and value. No vscode import: the
// caller hands in `get(key)` (settings.ts does, with the workspace configuration).
//
// Adding a setting: its entry in package.json, and one line in settingsFrom/transferSettingsFrom
// (or speedFloorFrom, for what OSS clients are built with).
import { contributes } from '../../../package.json';
import type { SignatureVersion, Timeouts } from '../../oss/types.js';
import { MIN_PART_SIZE } from '../../transfer/engine/partPlan.js';
import type { TransferSettings } from '../../transfer/batch/transferTypes.js';
import { t } from '../presentation/translate.js';

const PREFIX = 'ossTransfer.';
type BelowPrefix<K> = K extends `${typeof PREFIX}${infer Rest}` ? Rest : never;
/** A setting's name below `ossTransfer.`: `parallelParts`, `checkpoints.enabled`… */
export type SettingKey = BelowPrefix<keyof typeof contributes.configuration.properties>;

interface SettingSchema {
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  items?: { type?: string };
}

export const SETTINGS_SCHEMA: Readonly<Record<string, SettingSchema>> = contributes.configuration.properties;

export interface SettingValues {
  number(key: SettingKey): number;
  boolean(key: SettingKey): boolean;
  string(key: SettingKey): string;
  /** A list of text entries (`"type": "array"` of strings). */
  strings(key: SettingKey): string[];
}

export interface SettingWarning {
  /** `ossTransfer.parallelParts` */
  key: string;
  /** What settings.json holds. */
  value: unknown;
  /** What is used instead. */
  used: unknown;
  message: string;
}

/** Reads every setting; remembers what it warned about so each key and value is said once. */
export class SettingsReader {
  /** Key -> the value last warned about; a key back in range is forgotten. */
  private readonly warned = new Map<string, string>();

  constructor(private readonly schema: Readonly<Record<string, SettingSchema>> = SETTINGS_SCHEMA) {}

  /** The values to use, and the warnings not given before. */
  read(get: (key: string) => unknown): { values: SettingValues; warnings: SettingWarning[] } {
    const values = new Map<string, unknown>();
    const warnings: SettingWarning[] = [];
    for (const [fullKey, schema] of Object.entries(this.schema)) {
      const key = fullKey.slice(PREFIX.length);
      const raw = get(key);
      const { used, problem } = judge(raw, schema);
      values.set(key, used);
      if (problem === undefined) {
        this.warned.delete(fullKey);
        continue;
      }
      const said = safeJson(raw);
      if (this.warned.get(fullKey) === said) continue;
      this.warned.set(fullKey, said);
      warnings.push({ key: fullKey, value: raw, used, message: problem(fullKey, safeJson(used)) });
    }
    return { values: typedValues(values), warnings };
  }
}

/** The warning for a setting's value: (`ossTransfer.x`, the value used instead) -> the sentence. */
type Problem = (key: string, used: string) => string;

/** The value to use for `raw`, and what was wrong with it (undefined: nothing). */
function judge(raw: unknown, s: SettingSchema): { used: unknown; problem?: Problem } {
  if (raw === undefined) return { used: s.default };
  const shown = safeJson(raw);
  switch (s.type) {
    case 'number':
    case 'integer': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        return { used: s.default, problem: (k, used) => t('Setting {0} is {1}, not a number: using {2}.', k, shown, used) };
      }
      let v = raw;
      let problem: Problem | undefined;
      if (s.type === 'integer' && !Number.isInteger(v)) {
        v = Math.floor(v);
        problem = (k, used) => t('Setting {0} is {1}, not a whole number: using {2}.', k, shown, used);
      }
      const { minimum, maximum } = s;
      if (minimum !== undefined && v < minimum) {
        return { used: minimum, problem: (k, used) => t('Setting {0} is {1}, below its minimum {2}: using {3}.', k, shown, minimum, used) };
      }
      if (maximum !== undefined && v > maximum) {
        return { used: maximum, problem: (k, used) => t('Setting {0} is {1}, above its maximum {2}: using {3}.', k, shown, maximum, used) };
      }
      return problem === undefined ? { used: v } : { used: v, problem };
    }
    case 'array': {
      if (!Array.isArray(raw)) return { used: s.default, problem: (k, used) => t('Setting {0} is {1}, not a list: using {2}.', k, shown, used) };
      if (s.items?.type !== 'string') return { used: raw };
      const text = raw.filter((x): x is string => typeof x === 'string');
      return text.length === raw.length
        ? { used: text }
        : { used: text, problem: (k, used) => t('Setting {0} holds entries that are not text ({1}): using {2}.', k, shown, used) };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { used: raw } : { used: s.default, problem: (k, used) => t('Setting {0} is {1}, not true or false: using {2}.', k, shown, used) };
    case 'string':
      if (typeof raw !== 'string') return { used: s.default, problem: (k, used) => t('Setting {0} is {1}, not a string: using {2}.', k, shown, used) };
      if (s.enum && !s.enum.includes(raw)) {
        const allowed = s.enum.map(safeJson).join(', ');
        return { used: s.default, problem: (k, used) => t('Setting {0} is {1}, not one of {2}: using {3}.', k, shown, allowed, used) };
      }
      return { used: raw };
    default:
      return { used: raw };
  }
}

function typedValues(values: Map<string, unknown>): SettingValues {
  const get = <T>(key: string, type: string): T => {
    const v = values.get(key);
    // Only a key missing from package.json, or read as the wrong type, gets here: a bug, not a user's value.
    if (typeof v !== type) throw new TypeError(`setting ${PREFIX}${key} is not a ${type} setting in package.json`);
    return v as T;
  };
  return {
    number: (key) => get<number>(key, 'number'),
    boolean: (key) => get<boolean>(key, 'boolean'),
    string: (key) => get<string>(key, 'string'),
    strings: (key) => {
      const v = values.get(key);
      if (!Array.isArray(v)) throw new TypeError(`setting ${PREFIX}${key} is not an array setting in package.json`);
      return v as string[];
    },
  };
}

/** A user's value for a message: JSON, cut short (settings.json may hold anything). */
function safeJson(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

const MIB = 1024 * 1024;

export interface ExtensionSettings {
  /** Bytes; undefined = automatic. */
  partSize?: number;
  /** undefined = automatic. */
  parallelParts?: number;
  concurrentFiles: number;
  pageSize: number;
  signatureVersion: SignatureVersion;
  checkpointsEnabled: boolean;
  openInEditorMaxBytes: number;
}

/** `0` means automatic; OSS parts must be at least 100 KB, so a tiny size is raised rather than failing every transfer. */
function partSizeBytes(v: SettingValues): number | undefined {
  const mb = v.number('partSizeMB');
  return mb > 0 ? Math.max(MIN_PART_SIZE, Math.round(mb * MIB)) : undefined;
}

function parallelParts(v: SettingValues): number | undefined {
  const n = v.number('parallelParts');
  return n > 0 ? n : undefined;
}

export function settingsFrom(v: SettingValues): ExtensionSettings {
  const out: ExtensionSettings = {
    concurrentFiles: v.number('concurrentFiles'),
    pageSize: v.number('pageSize'),
    signatureVersion: v.string('signatureVersion') === 'v1' ? 'v1' : 'v4',
    checkpointsEnabled: v.boolean('checkpoints.enabled'),
    openInEditorMaxBytes: Math.floor(v.number('openInEditorMaxSizeMB') * MIB),
  };
  const partSize = partSizeBytes(v);
  if (partSize !== undefined) out.partSize = partSize;
  const parallel = parallelParts(v);
  if (parallel !== undefined) out.parallelParts = parallel;
  return out;
}

/** What the transfer manager reads before each transfer. */
export function transferSettingsFrom(v: SettingValues): TransferSettings {
  const out: TransferSettings = {
    concurrentFiles: v.number('concurrentFiles'),
    disableCheckpoint: !v.boolean('checkpoints.enabled'),
  };
  const partSize = partSizeBytes(v);
  if (partSize !== undefined) out.partSize = partSize;
  const parallel = parallelParts(v);
  if (parallel !== undefined) out.parallel = parallel;
  const limit = v.number('bandwidthLimitMBps');
  if (limit > 0) {
    out.bandwidthLimit = Math.round(limit * MIB);
    out.bandwidthLimitBy = v.string('bandwidthLimitEnforcedBy') === 'server' ? 'server' : 'client';
  }
  return out;
}

/** The speed floor each OSS client is built with (the client's timeouts; see DEFAULT_TIMEOUTS in src/oss). */
export function speedFloorFrom(v: SettingValues): Pick<Timeouts, 'minSpeedBytesPerSec' | 'minSpeedWindowMs'> {
  return { minSpeedBytesPerSec: Math.round(v.number('minSpeedKBps') * 1024), minSpeedWindowMs: v.number('minSpeedSeconds') * 1000 };
}

/** What a sync run starts from (each run's options can change them). */
export interface SyncSettings {
  include: string[];
  exclude: string[];
  compare: 'size-mtime' | 'checksum';
}

/** Trimmed patterns without empty entries (an empty line in settings.json is not a pattern). */
function patterns(list: readonly string[]): string[] {
  return list.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function syncSettingsFrom(v: SettingValues): SyncSettings {
  return {
    include: patterns(v.strings('sync.include')),
    exclude: patterns(v.strings('sync.exclude')),
    compare: v.string('sync.compare') === 'checksum' ? 'checksum' : 'size-mtime',
  };
}
