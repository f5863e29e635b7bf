// What a folder ↔ prefix pair looked like the last time it was synced: per name the local size and
// modification time and the object's ETag, size and CRC-64. It lets a plan tell "unchanged" from
// "changed" with no request beyond the listing, tell a conflict (both sides changed since) from a
// plain change, and gives checksum mode the CRC-64 of an unchanged file without reading it again.
// One JSON file per pair in the state folder, replaced atomically. It is a cache of facts, never a
// source of truth: a corrupt or foreign file is set aside and the plan falls back to comparing the
// two sides, which loses nothing.
import { createHash } from 'node:crypto';
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomically } from '../checkpoint/checkpointStore.js';

export interface IndexRecord {
  localSize: number;
  localMtimeMs: number;
  /** Without quotes, upper case. */
  etag: string;
  remoteSize: number;
  /** Decimal CRC-64 of the content both sides held, when known. */
  crc64?: string;
}

export interface SyncPair {
  endpoint: string;
  bucket: string;
  prefix: string;
  localDir: string;
}

const FORMAT = 1;

/** The ETag as OSS lists it (`"ABC…"`) and as the engine reports it compare equal. */
export function plainEtag(etag: string): string {
  // OSS's ETags are quoted upper-case hex: one slice, no regular expressions, for the common case.
  if (etag.length > 2 && etag.charCodeAt(0) === 0x22 && etag.charCodeAt(etag.length - 1) === 0x22) {
    const inner = etag.slice(1, -1);
    if (!inner.includes('"')) return inner.toUpperCase();
  }
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '').toUpperCase();
}

/** The pair's name in the state folder: its index and its remainder are named after it. */
export function pairId(pair: SyncPair): string {
  return createHash('sha256').update(JSON.stringify([pair.endpoint, pair.bucket, pair.prefix, path.resolve(pair.localDir)])).digest('hex').slice(0, 24);
}

function isRecord(v: unknown): v is [number, number, string, number, string | null] {
  return (
    Array.isArray(v) && v.length === 5 &&
    Number.isSafeInteger(v[0]) && v[0] >= 0 && typeof v[1] === 'number' && Number.isFinite(v[1]) &&
    typeof v[2] === 'string' && Number.isSafeInteger(v[3]) && v[3] >= 0 &&
    (v[4] === null || (typeof v[4] === 'string' && /^\d{1,20}$/.test(v[4])))
  );
}

/**
 * The file's size and time, or 'absent': what an index read or wrote last, to tell whether it is
 * still the one on disk. A stat of a local file in the calling thread: through the thread pool and
 * a promise it costs more CPU than the stat itself, on the path of every sync.
 */
async function stampOf(file: string): Promise<string> {
  const st = fsSync.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.mtimeMs}` : 'absent';
}

/** The index each plan was made with, so applying the plan need not read it again (see SyncIndex.isCurrent). */
const planIndexes = new WeakMap<object, SyncIndex>();
export function rememberPlanIndex(plan: object, index: SyncIndex): void {
  planIndexes.set(plan, index);
}
export function planIndexOf(plan: object): SyncIndex | undefined {
  return planIndexes.get(plan);
}

export class SyncIndex {
  private dirty = false;
  /** stampOf(file) before the last read, or after the last write. */
  private stamp: string | undefined;

  private constructor(
    readonly file: string | undefined,
    private readonly pair: SyncPair,
    private readonly records: Map<string, IndexRecord>,
    /** Why an index file on disk was not used (corrupt, another pair's); for the log. */
    readonly setAside?: string,
  ) {}

  /** An index that remembers nothing and saves nowhere (no state folder given). */
  static none(pair: SyncPair): SyncIndex {
    return new SyncIndex(undefined, pair, new Map());
  }

  static async open(stateDir: string, pair: SyncPair): Promise<SyncIndex> {
    const file = path.join(stateDir, `sync-${pairId(pair)}.json`);
    // Taken before the read: a write in between makes the index look out of date, never current.
    const stamp = await stampOf(file);
    let text: string;
    try {
      // One read in the calling thread (a sync index of 100,000 names is a few MB; parsing it costs more).
      text = fsSync.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new SyncIndex(file, pair, new Map()).stamped('absent');
      throw err;
    }
    const records = new Map<string, IndexRecord>();
    try {
      const doc = JSON.parse(text) as { format?: unknown; pair?: SyncPair; entries?: Record<string, unknown> };
      if (doc.format !== FORMAT) throw new Error(`format ${String(doc.format)}`);
      if (JSON.stringify(doc.pair) !== JSON.stringify({ ...pair, localDir: path.resolve(pair.localDir) })) throw new Error('it belongs to another folder or prefix');
      for (const [name, v] of Object.entries(doc.entries ?? {})) {
        if (!isRecord(v)) throw new Error(`a malformed record for "${name}"`);
        const r: IndexRecord = { localSize: v[0], localMtimeMs: v[1], etag: v[2], remoteSize: v[3] };
        if (v[4]) r.crc64 = v[4];
        records.set(name, r);
      }
    } catch (err) {
      const why = `the sync index ${file} was set aside (${err instanceof Error ? err.message : String(err)}); this sync compares both sides afresh`;
      await fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
      return new SyncIndex(file, pair, new Map(), why).stamped(await stampOf(file));
    }
    return new SyncIndex(file, pair, records).stamped(stamp);
  }

  private stamped(stamp: string): this {
    this.stamp = stamp;
    return this;
  }

  /** Whether the file on disk is still the one this index read or wrote last (nobody else saved since). */
  async isCurrent(): Promise<boolean> {
    if (!this.file) return true;
    return this.stamp !== undefined && (await stampOf(this.file).catch(() => undefined)) === this.stamp;
  }

  get size(): number {
    return this.records.size;
  }

  /** The names it remembers: what the pair held when it was last synced. */
  names(): IterableIterator<string> {
    return this.records.keys();
  }

  get(name: string): IndexRecord | undefined {
    return this.records.get(name);
  }

  set(name: string, record: IndexRecord): void {
    const etag = plainEtag(record.etag);
    const old = this.records.get(name);
    const sameFacts = old && old.localSize === record.localSize && old.localMtimeMs === record.localMtimeMs && old.etag === etag && old.remoteSize === record.remoteSize;
    // The same facts again (every unchanged file, each run) leave the file as it is, and cost no
    // new object; a CRC-64 known before stays known (same ETag and size: the same content).
    if (sameFacts && (record.crc64 === undefined || record.crc64 === old.crc64)) return;
    this.records.set(name, { ...record, etag });
    this.dirty = true;
  }

  delete(name: string): void {
    if (this.records.delete(name)) this.dirty = true;
  }

  /** Writes the index if it changed since the last save. */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    const entries: Record<string, [number, number, string, number, string | null]> = {};
    for (const [name, r] of this.records) entries[name] = [r.localSize, r.localMtimeMs, r.etag, r.remoteSize, r.crc64 ?? null];
    const doc = { format: FORMAT, pair: { ...this.pair, localDir: path.resolve(this.pair.localDir) }, entries };
    try {
      await writeAtomically(this.file, JSON.stringify(doc), { syncFolder: false });
      this.stamp = await stampOf(this.file).catch(() => undefined);
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }
}
