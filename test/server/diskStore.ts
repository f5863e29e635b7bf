// Buckets and objects on disk under dataDir, with an in-memory index rebuilt at start so a restarted
// server serves what it stored. Layout:
//   tmp/                                   bodies being received, objectPath() copies (wiped at start)
//   buckets/<bucket>/bucket.json
//   buckets/<bucket>/objects/<sha256(key)>.json         metadata, including the key itself
//   buckets/<bucket>/objects/<sha256(key)>-<rand>.data  the bytes (a new file per version), or
//   buckets/<bucket>/objects/<sha256(key)>-<rand>.parts/ a completed multipart upload's part files,
//                                                       hard-linked there at Complete (no data copied)
//   buckets/<bucket>/uploads/<uploadId>/...             see uploadStore.ts
// Keys never become paths: any UTF-8 (spaces, '..', emoji) maps to a hex file name. Data files are
// never written after they are committed, so a copy may hard-link them.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadHeaders } from './metaHeaders.js';
import { VersionPins } from './versionPins.js';

/** One piece of a multipart object: a part file inside the object's .parts folder. */
export interface Segment {
  file: string;
  size: number;
}

export interface ObjectMeta extends UploadHeaders {
  key: string;
  /** inside the bucket's objects/ folder: the file holding the bytes, or the folder of `segments` */
  dataFile: string;
  /** A completed multipart upload: its bytes are these files of the `dataFile` folder, in order. */
  segments?: Segment[];
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

/** A file holding part of an object's bytes, as read in order. */
export interface DataFile {
  path: string;
  size: number;
}

export class DiskStore {
  readonly buckets = new Map<string, BucketState>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly pins = new VersionPins();

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
      // Data files and part folders no metadata points at are leftovers of an interrupted commit.
      for (const f of files) {
        const data = f.endsWith('.data') || f.endsWith('.parts');
        if ((data && !referenced.has(f)) || f.endsWith('.tmp')) await rm(join(dir, f), { recursive: true, force: true });
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

  /** The files holding the object's bytes, in order: one for a plain object, the parts of a multipart one. */
  dataFiles(bucket: string, meta: ObjectMeta): DataFile[] {
    const at = join(this.objectsDir(bucket), meta.dataFile);
    if (!meta.segments) return [{ path: at, size: meta.size }];
    return meta.segments.map((s) => ({ path: join(at, s.file), size: s.size }));
  }

  /**
   * Keeps this version's files on disk until the returned release is called; undefined when the
   * version is no longer the object's current one (replaced or deleted: the caller answers 404).
   */
  pinCurrent(bucket: string, meta: ObjectMeta): (() => void) | undefined {
    if (this.buckets.get(bucket)?.objects.get(meta.key) !== meta) return undefined;
    return this.pins.pin(`${bucket}/${meta.dataFile}`);
  }

  /**
   * TEST HELPER behind server.objectPath(): one file holding the object's bytes, made synchronously.
   * A multipart object of several parts is concatenated into tmp/ once per version (removed with
   * the version); a test that reads it pays for the copy, Complete does not.
   */
  wholeFileSync(bucket: string, meta: ObjectMeta): string {
    const files = this.dataFiles(bucket, meta);
    if (files.length === 1) return files[0].path;
    const whole = this.wholeFilePath(bucket, meta.dataFile);
    if (existsSync(whole)) return whole;
    const tmp = `${whole}.${randomBytes(6).toString('hex')}.tmp`;
    const out = openSync(tmp, 'wx');
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    try {
      let position = 0;
      for (const f of files) {
        const input = openSync(f.path, 'r');
        try {
          for (let n; (n = readSync(input, buf, 0, buf.length, null)) > 0; ) {
            for (let off = 0; off < n; ) off += writeSync(out, buf, off, n - off, position + off);
            position += n;
          }
        } finally {
          closeSync(input);
        }
      }
    } finally {
      closeSync(out);
    }
    renameSync(tmp, whole);
    return whole;
  }

  private wholeFilePath(bucket: string, dataFile: string): string {
    return join(this.tmpDir, `whole-${bucket}-${dataFile}`);
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
  async commitObject(bucket: BucketState, sourceFile: string, meta: Omit<ObjectMeta, 'dataFile' | 'segments'>): Promise<ObjectMeta> {
    const dataFile = `${keyHash(meta.key)}-${randomBytes(6).toString('hex')}.data`;
    await rename(sourceFile, join(this.objectsDir(bucket.meta.name), dataFile));
    return this.record(bucket, { ...meta, dataFile });
  }

  /**
   * Records a new version made of several files: `fill` puts them into the version's fresh folder
   * (by hard link, no data copied) and returns them in order. Until the metadata is written the
   * folder is unreferenced, so a crash leaves only a leftover that open() sweeps. The caller holds
   * the key lock.
   */
  async commitSegmented(
    bucket: BucketState,
    meta: Omit<ObjectMeta, 'dataFile' | 'segments'>,
    fill: (dir: string) => Promise<Segment[]>,
  ): Promise<ObjectMeta> {
    const dataFile = `${keyHash(meta.key)}-${randomBytes(6).toString('hex')}.parts`;
    const dir = join(this.objectsDir(bucket.meta.name), dataFile);
    await mkdir(dir);
    let segments: Segment[];
    try {
      segments = await fill(dir);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    return this.record(bucket, { ...meta, dataFile, segments });
  }

  private async record(bucket: BucketState, full: ObjectMeta): Promise<ObjectMeta> {
    const name = bucket.meta.name;
    await writeJsonAtomic(join(this.objectsDir(name), `${keyHash(full.key)}.json`), full);
    const old = bucket.objects.get(full.key);
    if (!old) bucket.sorted = undefined;
    bucket.objects.set(full.key, full);
    if (old) await this.removeData(name, old.dataFile);
    return full;
  }

  /** Removes the object; false when it was not there. The caller holds the key lock. */
  async deleteObject(bucket: BucketState, key: string): Promise<boolean> {
    const old = bucket.objects.get(key);
    if (!old) return false;
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    await rm(join(this.objectsDir(bucket.meta.name), `${keyHash(key)}.json`), { force: true });
    await this.removeData(bucket.meta.name, old.dataFile);
    return true;
  }

  /**
   * Deletes a replaced or deleted version's file or part folder once no reader holds it. Never
   * fails: the metadata no longer names it, so a leftover is swept at the next start.
   */
  private async removeData(bucket: string, dataFile: string): Promise<void> {
    const path = join(this.objectsDir(bucket), dataFile);
    await this.pins
      .removeWhenFree(`${bucket}/${dataFile}`, async () => {
        await rm(path, { recursive: true, force: true });
        await rm(this.wholeFilePath(bucket, dataFile), { force: true });
      })
      .catch(() => undefined);
  }
}
