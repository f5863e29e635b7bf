// The checkpoint file format: versioned JSON whose content carries its own SHA-256, so a torn
// or hand-edited file is recognised and never trusted. It holds no secret: no AccessKey, no STS
// token, no signed URL — only what identifies the transfer and what is already done.
import { createHash } from 'node:crypto';

export const CHECKPOINT_FORMAT = 'oss-transfer-checkpoint';
/**
 * Version 1: parts of `partSize` bytes, even. Version 2: the same fields plus `partShape:
 * 'tapered'` (parts shrinking toward the end, see partPlan.ts). A checkpoint of even parts is still
 * written as version 1, so an older OSS Transfer keeps resuming it; a tapered one is version 2, which
 * an older one discards (its upload aborted) and starts over, rather than numbering its parts wrongly.
 */
export const CHECKPOINT_VERSION = 1;
export const TAPERED_CHECKPOINT_VERSION = 2;

interface CheckpointBase {
  endpoint: string;
  bucket: string;
  key: string;
  /** absolute local path */
  file: string;
  partSize: number;
  /** How the parts are cut; absent: even parts of `partSize`. */
  partShape?: 'tapered';
  createdAt: string;
  updatedAt: string;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  /** decimal CRC-64/XZ of the part's bytes */
  crc64: string;
}

export interface UploadCheckpoint extends CheckpointBase {
  direction: 'upload';
  /** identity of the local source: a change means the parts no longer match it */
  source: { size: number; mtimeMs: number };
  uploadId: string;
  parts: UploadedPart[];
}

export interface DownloadedPart {
  partNumber: number;
  crc64: string;
}

/**
 * A part a stopped run got partway through: its first `bytes` bytes are in the temp file and were
 * flushed to disk before this was recorded. A resume fetches only the rest of the part.
 */
export interface PartialPart {
  partNumber: number;
  /** at least 1 and less than the part's length */
  bytes: number;
  /** decimal CRC-64/XZ of those first `bytes` bytes */
  crc64: string;
}

export interface DownloadCheckpoint extends CheckpointBase {
  direction: 'download';
  /** identity of the remote source */
  object: { etag: string; size: number; crc64?: string; lastModified?: string };
  /** absolute path of the temporary file the parts are written into */
  tempFile: string;
  parts: DownloadedPart[];
  /** Parts begun but not finished (never one listed in `parts`); absent in older checkpoints. */
  partial?: PartialPart[];
}

export type Checkpoint = UploadCheckpoint | DownloadCheckpoint;

export function encodeCheckpoint(cpt: Checkpoint): string {
  const body = JSON.stringify(cpt);
  const version = cpt.partShape === 'tapered' ? TAPERED_CHECKPOINT_VERSION : CHECKPOINT_VERSION;
  return JSON.stringify({ format: CHECKPOINT_FORMAT, version, sha256: sha256(body), checkpoint: cpt }, null, 1) + '\n';
}

export type DecodeResult =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; reason: string; /** fields readable despite the failure, to clean up after it */ salvage: Salvage };

/**
 * What a checkpoint that cannot be trusted still names. Never acted on as it stands: cleanup goes
 * only as far as the transfer reading it can confirm (see checkpointCleanup.ts).
 */
export interface Salvage {
  direction?: 'upload' | 'download';
  endpoint?: string;
  bucket?: string;
  key?: string;
  file?: string;
  uploadId?: string;
  tempFile?: string;
}

export function decodeCheckpoint(text: string): DecodeResult {
  let outer: unknown;
  try {
    outer = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON', salvage: {} };
  }
  if (!isObject(outer)) return { ok: false, reason: 'not a JSON object', salvage: {} };
  const inner = outer.checkpoint;
  const salvage = salvageFrom(inner);
  if (outer.format !== CHECKPOINT_FORMAT) return { ok: false, reason: 'not an OSS Transfer checkpoint', salvage };
  if (outer.version !== CHECKPOINT_VERSION && outer.version !== TAPERED_CHECKPOINT_VERSION) return { ok: false, reason: `unsupported version ${String(outer.version)}`, salvage };
  if (typeof outer.sha256 !== 'string' || sha256(JSON.stringify(inner)) !== outer.sha256) {
    return { ok: false, reason: 'checksum mismatch (the file was truncated or edited)', salvage };
  }
  const problem = validate(inner) ?? shapeProblem(inner as { partShape?: unknown }, outer.version);
  if (problem) return { ok: false, reason: problem, salvage };
  return { ok: true, checkpoint: inner as Checkpoint };
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function salvageFrom(v: unknown): Salvage {
  if (!isObject(v)) return {};
  const s: Salvage = {};
  if (v.direction === 'upload' || v.direction === 'download') s.direction = v.direction;
  if (typeof v.endpoint === 'string') s.endpoint = v.endpoint;
  if (typeof v.bucket === 'string') s.bucket = v.bucket;
  if (typeof v.key === 'string') s.key = v.key;
  if (typeof v.file === 'string') s.file = v.file;
  if (typeof v.uploadId === 'string' && v.uploadId) s.uploadId = v.uploadId;
  if (typeof v.tempFile === 'string' && v.tempFile) s.tempFile = v.tempFile;
  return s;
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCrc = (v: unknown): boolean => isStr(v) && /^\d{1,20}$/.test(v);

/** Returns what is wrong with a decoded checkpoint body, or undefined when it is well formed. */
function validate(v: unknown): string | undefined {
  if (!isObject(v)) return 'missing checkpoint body';
  for (const f of ['endpoint', 'bucket', 'key', 'file', 'createdAt', 'updatedAt'] as const) {
    if (!isStr(v[f]) || (f !== 'createdAt' && f !== 'updatedAt' && v[f] === '')) return `bad field ${f}`;
  }
  if (!isNonNegInt(v.partSize) || v.partSize === 0) return 'bad field partSize';
  if (!Array.isArray(v.parts)) return 'bad field parts';
  const seen = new Set<number>();
  for (const p of v.parts as unknown[]) {
    if (!isObject(p) || !isNonNegInt(p.partNumber) || p.partNumber < 1 || !isCrc(p.crc64)) return 'bad part entry';
    if (seen.has(p.partNumber)) return `part ${p.partNumber} listed twice`;
    seen.add(p.partNumber);
    if (v.direction === 'upload' && !isStr(p.etag)) return 'bad part etag';
  }
  if (v.direction === 'upload') {
    if (!isStr(v.uploadId) || !v.uploadId) return 'bad field uploadId';
    if (!isObject(v.source) || !isNonNegInt(v.source.size) || typeof v.source.mtimeMs !== 'number') return 'bad field source';
    return undefined;
  }
  if (v.direction === 'download') {
    if (!isStr(v.tempFile) || !v.tempFile) return 'bad field tempFile';
    const o = v.object;
    if (!isObject(o) || !isStr(o.etag) || !isNonNegInt(o.size)) return 'bad field object';
    if (o.crc64 !== undefined && !isCrc(o.crc64)) return 'bad field object.crc64';
    return partialProblem(v.partial, seen);
  }
  return 'bad field direction';
}

/** A version-2 checkpoint is exactly one with tapered parts. */
function shapeProblem(v: { partShape?: unknown }, version: unknown): string | undefined {
  if (v.partShape !== undefined && v.partShape !== 'tapered') return 'bad field partShape';
  if ((v.partShape === 'tapered') !== (version === TAPERED_CHECKPOINT_VERSION)) return `part shape does not match version ${String(version)}`;
  return undefined;
}

/** What is wrong with a download's `partial` list (`done`: the part numbers listed as finished). */
function partialProblem(partial: unknown, done: ReadonlySet<number>): string | undefined {
  if (partial === undefined) return undefined;
  if (!Array.isArray(partial)) return 'bad field partial';
  const seen = new Set<number>();
  for (const p of partial as unknown[]) {
    if (!isObject(p) || !isNonNegInt(p.partNumber) || p.partNumber < 1 || !isNonNegInt(p.bytes) || p.bytes < 1 || !isCrc(p.crc64)) {
      return 'bad partial part entry';
    }
    if (seen.has(p.partNumber)) return `partial part ${p.partNumber} listed twice`;
    if (done.has(p.partNumber)) return `part ${p.partNumber} listed as both finished and partial`;
    seen.add(p.partNumber);
  }
  return undefined;
}
