// Multipart uploads on disk: buckets/<bucket>/uploads/<uploadId>/upload.json, and per part
// part-<n>.json (metadata) + part-<n>-<rand>.data (bytes; a re-upload of a part number writes a new
// file and replaces the old one, S3's behaviour — UNCONFIRMED for OSS in oss-protocol.md).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic, type DiskStore } from './diskStore.js';
import type { UploadHeaders } from './metaHeaders.js';

export interface PartMeta {
  partNumber: number;
  /** upper-case hex MD5, unquoted */
  etag: string;
  size: number;
  crc64: string;
  lastModified: string;
  dataFile: string;
}

export interface UploadMeta extends UploadHeaders {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
}

export interface UploadState extends UploadMeta {
  parts: Map<number, PartMeta>;
}

export class UploadStore {
  readonly uploads = new Map<string, UploadState>();

  constructor(private readonly disk: DiskStore) {}

  uploadDir(bucket: string, uploadId: string): string {
    return join(this.disk.bucketDir(bucket), 'uploads', uploadId);
  }

  async open(): Promise<void> {
    for (const [bucket, state] of this.disk.buckets) {
      const root = join(this.disk.bucketDir(bucket), 'uploads');
      await mkdir(root, { recursive: true });
      for (const id of await readdir(root)) {
        const dir = join(root, id);
        let meta: UploadMeta;
        try {
          meta = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as UploadMeta;
        } catch {
          await rm(dir, { recursive: true, force: true }); // never finished initiating
          continue;
        }
        const upload: UploadState = { ...meta, parts: new Map() };
        const files = await readdir(dir);
        for (const f of files) {
          if (!/^part-\d+\.json$/.test(f)) continue;
          try {
            const p = JSON.parse(await readFile(join(dir, f), 'utf8')) as PartMeta;
            upload.parts.set(p.partNumber, p);
          } catch {
            // a torn part record: that part is simply not there
          }
        }
        const referenced = new Set([...upload.parts.values()].map((p) => p.dataFile));
        for (const f of files) {
          if ((f.endsWith('.data') && !referenced.has(f)) || f.endsWith('.tmp')) await rm(join(dir, f), { force: true });
        }
        this.uploads.set(id, upload);
        state.uploadCount += 1;
      }
    }
  }

  async initiate(meta: Omit<UploadMeta, 'uploadId' | 'initiated'>): Promise<UploadState> {
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    const full: UploadMeta = { ...meta, uploadId, initiated: new Date().toISOString() };
    const dir = this.uploadDir(meta.bucket, uploadId);
    await mkdir(dir, { recursive: true });
    await writeJsonAtomic(join(dir, 'upload.json'), full);
    const upload: UploadState = { ...full, parts: new Map() };
    this.uploads.set(uploadId, upload);
    const b = this.disk.buckets.get(meta.bucket);
    if (b) b.uploadCount += 1;
    return upload;
  }

  partPath(upload: UploadMeta, part: PartMeta): string {
    return join(this.uploadDir(upload.bucket, upload.uploadId), part.dataFile);
  }

  /** Moves a received part into the upload; false if the upload vanished meanwhile. */
  async commitPart(upload: UploadState, sourceFile: string, part: Omit<PartMeta, 'dataFile'>): Promise<PartMeta | undefined> {
    if (this.uploads.get(upload.uploadId) !== upload) return undefined;
    const dir = this.uploadDir(upload.bucket, upload.uploadId);
    const full: PartMeta = { ...part, dataFile: `part-${part.partNumber}-${randomBytes(6).toString('hex')}.data` };
    try {
      await rename(sourceFile, join(dir, full.dataFile));
      await writeJsonAtomic(join(dir, `part-${part.partNumber}.json`), full);
    } catch (e) {
      if (this.uploads.get(upload.uploadId) !== upload) return undefined; // aborted while we wrote
      throw e;
    }
    if (this.uploads.get(upload.uploadId) !== upload) return undefined;
    const old = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, full);
    if (old) await unlink(join(dir, old.dataFile)).catch(() => undefined);
    return full;
  }

  /**
   * Takes the upload out of service at Complete: from here on commitPart refuses it, so its parts
   * are fixed, and requests naming it get NoSuchUpload. Synchronous, so nothing slips in between a
   * check of the parts and the claim.
   */
  claim(uploadId: string): UploadState | undefined {
    const upload = this.uploads.get(uploadId);
    if (!upload) return undefined;
    this.uploads.delete(uploadId);
    const b = this.disk.buckets.get(upload.bucket);
    if (b) b.uploadCount -= 1;
    return upload;
  }

  /** Puts back a claimed upload whose Complete failed before the object was committed. */
  restore(upload: UploadState): void {
    if (this.uploads.has(upload.uploadId)) return;
    this.uploads.set(upload.uploadId, upload);
    const b = this.disk.buckets.get(upload.bucket);
    if (b) b.uploadCount += 1;
  }

  /**
   * Deletes a claimed upload's folder (its part records and whatever parts were not used). Never
   * fails: the upload is already out of service, and an UploadPart still finishing may add a file
   * while the folder is being removed, hence the retries.
   */
  async removeFiles(upload: UploadMeta): Promise<void> {
    await rm(this.uploadDir(upload.bucket, upload.uploadId), { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }

  /** Drops the upload and its files (abort, or a forgetUpload fault). */
  async remove(uploadId: string): Promise<boolean> {
    const upload = this.claim(uploadId);
    if (!upload) return false;
    await this.removeFiles(upload);
    return true;
  }
}
