// The transfer manager's journal: one small JSON file per transfer, beside the engine's
// checkpoints, saying who asked for it (profile id, direction, bucket, key, local file). A
// checkpoint alone lacks the profile, so without this a restarted window could not resume.
// One file per transfer (not one shared file) so two VS Code windows sharing globalStorage never
// overwrite each other's entries. No secrets: credentials live only in SecretStorage.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { sweepStaleTemps } from '../checkpoint/checkpointFiles.js';
import { writeAtomically } from '../checkpoint/checkpointStore.js';
import type { ProcessOwner } from '../locking/processLiveness.js';
import type { TransferSpec } from './transferTypes.js';

export const JOURNAL_SUFFIX = '.journal.json';
const JOURNAL_PREFIX = 'transfer-';

/** What the manager was asked to transfer, as it asked (its TransferSpec); headers minus any credential. */
export type JournalSpec = TransferSpec;

export interface JournalRecord {
  version: 1;
  id: string;
  spec: JournalSpec;
  /** The engine checkpoint this transfer uses. */
  cptPath: string;
  endpoint: string;
  /**
   * Which manager drives it now; another live manager leaves it alone. Its process is named by pid,
   * host and start time (as a lock names its holder); records from before the last two lack them.
   */
  owner: ProcessOwner & { instance: string };
  updatedAt: string;
}

export interface JournalReadResult {
  records: JournalRecord[];
  /** Files that could not be read or parsed, with the reason (for the log). */
  corrupt: Array<{ file: string; reason: string }>;
}

// Headers that would carry credentials are never persisted, whoever passed them.
const SECRET_HEADER = /authorization|security-token|signature|credential/i;

export class TransferJournal {
  // Per-record chain, so a remove never overtakes a write of the same record.
  private readonly chains = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {}

  pathOf(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new Error(`Invalid transfer id for the journal: ${JSON.stringify(id)}`);
    return path.join(this.dir, `${JOURNAL_PREFIX}${id}${JOURNAL_SUFFIX}`);
  }

  write(rec: JournalRecord): Promise<void> {
    const clean: JournalRecord = { ...rec, spec: { ...rec.spec, headers: safeHeaders(rec.spec.headers) } };
    if (!clean.spec.headers) delete clean.spec.headers;
    const file = this.pathOf(rec.id);
    // Durable like a checkpoint (fsync before the rename): after a power cut a journal entry is
    // either the old one or the new one, never an empty file that loses the transfer's profile.
    return this.enqueue(rec.id, () => writeAtomically(file, JSON.stringify(clean, null, 1)));
  }

  remove(id: string): Promise<void> {
    const file = this.pathOf(id);
    return this.enqueue(id, () => fsp.rm(file, { force: true }));
  }

  /** Every record in the folder; a damaged file is reported, never thrown. A missing folder is empty. */
  async readAll(): Promise<JournalReadResult> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], corrupt: [] };
      throw err;
    }
    // Temp files a killed window left mid-write; the same rules (age, writer gone) as checkpoints'.
    await sweepStaleTemps(this.dir, { names, extension: JOURNAL_SUFFIX });
    const records: JournalRecord[] = [];
    const corrupt: JournalReadResult['corrupt'] = [];
    for (const name of names.sort()) {
      if (!name.startsWith(JOURNAL_PREFIX) || !name.endsWith(JOURNAL_SUFFIX)) continue;
      const file = path.join(this.dir, name);
      try {
        const rec = parseRecord(await fsp.readFile(file, 'utf8'));
        if (this.pathOf(rec.id) !== file) throw new Error(`its id ${rec.id} does not match the file name`);
        records.push(rec);
      } catch (err) {
        corrupt.push({ file, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    return { records, corrupt };
  }

  /** Removes a damaged file so it is reported once, not on every start. */
  async removeFile(file: string): Promise<void> {
    await fsp.rm(file, { force: true });
  }

  private enqueue(id: string, op: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(op);
    this.chains.set(id, next);
    const cleanup = (): void => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    };
    next.then(cleanup, cleanup);
    return next;
  }
}

/** The headers minus any that could carry a credential (shared with the batch journal). */
export function safeHeaders(h: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!h) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (!SECRET_HEADER.test(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

export function parseRecord(text: string): JournalRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const r = v as Partial<JournalRecord> | null;
  if (!r || typeof r !== 'object') throw new Error('not an object');
  if (r.version !== 1) throw new Error(`unknown version ${String(r.version)}`);
  const str = (x: unknown): x is string => typeof x === 'string';
  if (!str(r.id) || !str(r.cptPath) || !str(r.endpoint) || !str(r.updatedAt)) throw new Error('missing id, cptPath, endpoint or updatedAt');
  const spec = parseSpec(r.spec);
  const owner = parseOwner(r.owner);
  return {
    version: 1,
    id: r.id,
    spec,
    cptPath: r.cptPath,
    endpoint: r.endpoint,
    owner,
    updatedAt: r.updatedAt,
  };
}

/** A persisted owner; a malformed host or start time is dropped, so it is judged by its pid as old ones are. */
export function parseOwner(v: unknown): JournalRecord['owner'] {
  const o = v as Partial<JournalRecord['owner']> | undefined;
  const str = (x: unknown): x is string => typeof x === 'string';
  if (!o || typeof o !== 'object' || typeof o.pid !== 'number' || !str(o.instance)) throw new Error('missing owner');
  return { pid: o.pid, instance: o.instance, ...(str(o.hostname) ? { hostname: o.hostname } : {}), ...(str(o.procStart) ? { procStart: o.procStart } : {}) };
}

/** A persisted TransferSpec checked field by field (credential headers dropped); throws naming what is wrong. */
export function parseSpec(v: unknown): JournalSpec {
  const s = v as Partial<JournalSpec> | undefined;
  const str = (x: unknown): x is string => typeof x === 'string';
  if (!s || typeof s !== 'object' || (s.direction !== 'upload' && s.direction !== 'download')) throw new Error('missing or bad spec.direction');
  if (!str(s.profileId) || !str(s.bucket) || !str(s.key) || !str(s.file)) throw new Error('missing spec.profileId, bucket, key or file');
  if (s.size !== undefined && !(typeof s.size === 'number' && s.size >= 0)) throw new Error('bad spec.size');
  if (s.headers !== undefined && (typeof s.headers !== 'object' || s.headers === null)) throw new Error('bad spec.headers');
  const headers = s.headers ? safeHeaders(s.headers as Record<string, string>) : undefined;
  return {
    direction: s.direction,
    profileId: s.profileId,
    bucket: s.bucket,
    key: s.key,
    file: s.file,
    ...(s.size !== undefined ? { size: s.size } : {}),
    ...(headers ? { headers } : {}),
  };
}
