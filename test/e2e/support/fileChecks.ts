// Byte-identity checks: SHA-256 of a local file and of the object file the OSS server stored.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { OssServer } from '../../server/index.js';

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(fs.createReadStream(file), new Writable({
    write(chunk, _enc, cb) {
      h.update(chunk);
      cb();
    },
  }));
  return h.digest('hex');
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** SHA-256 of the object's bytes as stored on the server's disk (not through any client). */
export async function serverObjectSha256(server: OssServer, bucket: string, key: string): Promise<string | undefined> {
  const file = server.objectPath(bucket, key);
  if (!file || !fs.existsSync(file)) return undefined;
  return sha256File(file);
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}
