// Buckets and objects on disk under dataDir, with an in-memory index rebuilt at start so a restarted
// server serves what it stored. Layout:
//   tmp/                                   bodies being received (wiped at start)
//   buckets/<bucket>/bucket.json
//   buckets/<bucket>/objects/<sha256(key)>.json        metadata, including the key itself
//   buckets/<bucket>/objects/<sha256(key)>-<rand>.data the bytes (a new file per version)
//   buckets/<bucket>/uploads/<uploadId>/...            see uploadStore.ts
// Keys never become paths: any UTF-8 (spaces, '..', emoji) maps to a hex file name.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadHeaders } from './metaHeaders.js';

export interface ObjectMeta extends UploadHeaders {
  key: string;
  /** file name of the bytes inside the bucket's objects/ folder */
  dataFile: string;
  size: number;
  /** upper-case hex, unquoted ('<32 hex>' or '<32 hex>-<parts>') */
  etag: string;
  /** decimal CRC-64/XZ */
  crc64: string;
  /** ISO time */
  lastModified: string;
  objectType: 'Normal' | 'Multipart';
}

export interface BucketMeta {
  name: string;
  creationDate: string;
  storageClass: string;
}

export interface BucketState {
  meta: BucketMeta;
  objects: Map<string, ObjectMeta>;
  /** keys in UTF-8 byte order; rebuilt lazily after a change */
  sorted?: string[];
  /** number of multipart uploads in progress (kept by uploadStore, for BucketNotEmpty) */
  uploadCount: number;
}

export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Writes JSON through a temp file + rename, so a crash never leaves half a metadata file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, path);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined; // missing or torn file: skip it
  }
}

export class DiskStore {
  readonly buckets = new Map<string, BucketState>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(readonly dataDir: string) {}

  get tmpDir(): string {
    return join(this.dataDir, 'tmp');
  }
  bucketDir(bucket: string): string {
    return join(this.dataDir, 'buckets', bucket);
  }
  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }

  /** A fresh path for a body being received. */
  tempPath(): string {
    return join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  }

  async open(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
    const root = join(this.dataDir, 'buckets');
    await mkdir(root, { recursive: true });
    for (const name of await readdir(root)) {
      const meta = await readJson<BucketMeta>(join(root, name, 'bucket.json'));
      if (!meta || meta.name !== name) continue;
      const state: BucketState = { meta, objects: new Map(), uploadCount: 0 };
      const dir = this.objectsDir(name);
      await mkdir(dir, { recursive: true });
      const files = await readdir(dir);
      const referenced = new Set<string>();
      for (const f of files) {
        if (!f.endsWith('.json')) continue;
        const om = await readJson<ObjectMeta>(join(dir, f));
        if (!om || f !== `${keyHash(om.key)}.json`) continue;
        state.objects.set(om.key, om);
        referenced.add(om.dataFile);
      }
      // Data files no metadata points at are leftovers of an interrupted commit.
      for (const f of files) {
        if ((f.endsWith('.data') && !referenced.has(f)) || f.endsWith('.tmp')) await rm(join(dir, f), { force: true });
      }
      this.buckets.set(name, state);
    }
  }

  async createBucket(name: string, storageClass = 'Standard'): Promise<BucketState> {
    const meta: BucketMeta = { name, creationDate: new Date().toISOString(), storageClass };
    await mkdir(this.objectsDir(name), { recursive: true });
    await mkdir(join(this.bucketDir(name), 'uploads'), { recursive: true });
    await writeJsonAtomic(join(this.bucketDir(name), 'bucket.json'), meta);
    const state: BucketState = { meta, objects: new Map(), uploadCount: 0 };
    this.buckets.set(name, state);
    return state;
  }

  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
    await rm(this.bucketDir(name), { recursive: true, force: true });
  }

  sortedKeys(b: BucketState): string[] {
    if (!b.sorted) b.sorted = [...b.objects.keys()].sort(utf8Compare);
    return b.sorted;
  }

  dataPath(bucket: string, meta: ObjectMeta): string {
    return join(this.objectsDir(bucket), meta.dataFile);
  }

  /** Runs fn with the per-object lock held, so two writers of one key commit one after the other. */
  async withKeyLock<T>(bucket: string, key: string, fn: () => Promise<T>): Promise<T> {
    const id = `${bucket}\n${key}`;
    const previous = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = previous.then(() => mine);
    this.locks.set(id, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(id) === chained) this.locks.delete(id);
    }
  }

  /**
   * Moves a fully received file into place as the object's new version and records its metadata.
   * The caller holds the key lock.
   */
  async commitObject(bucket: BucketState, sourceFile: string, meta: Omit<ObjectMeta, 'dataFile'>): Promise<ObjectMeta> {
    const name = bucket.meta.name;
    const hash = keyHash(meta.key);
    const full: ObjectMeta = { ...meta, dataFile: `${hash}-${randomBytes(6).toString('hex')}.data` };
    await rename(sourceFile, join(this.objectsDir(name), full.dataFile));
    await writeJsonAtomic(join(this.objectsDir(name), `${hash}.json`), full);
    const old = bucket.objects.get(meta.key);
    if (!old) bucket.sorted = undefined;
    bucket.objects.set(meta.key, full);
    // Unlinking a file that a GET is still streaming is safe on POSIX: the reader keeps its handle.
    if (old) await unlink(join(this.objectsDir(name), old.dataFile)).catch(() => undefined);
    return full;
  }

  /** Removes the object; false when it was not there. The caller holds the key lock. */
  async deleteObject(bucket: BucketState, key: string): Promise<boolean> {
    const old = bucket.objects.get(key);
    if (!old) return false;
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    const dir = this.objectsDir(bucket.meta.name);
    await rm(join(dir, `${keyHash(key)}.json`), { force: true });
    await rm(join(dir, old.dataFile), { force: true });
    return true;
  }
}
