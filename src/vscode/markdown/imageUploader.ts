// Uploads one pasted or dropped image to the workspace's image target and gives the URL to link.
// The bytes go through the transfer engine (one PutObject checked by CRC-64, retried on transient
// errors; multipart for a very large image) from a private temp file that is removed afterwards.
// The PUT carries x-oss-forbid-overwrite, so an object already at the key is never replaced: when
// it holds the same bytes (the same image pasted again that day) it is reused; anything else is
// refused with a clear error. No vscode import: tested against the local OSS server.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc64, crc64ToString, type OssClient } from '../../oss/index.js';
import { resumableUpload } from '../../transfer/index.js';
import { errorCauses, errorField } from '../../transfer/errorDetail.js';
import { imageUrl } from './imageLink.js';
import { imageKey } from './imageNaming.js';
import type { ImageTarget } from './imageTarget.js';
import { t } from '../presentation/translate.js';

/** An image as the clipboard or a drop hands it over. */
export interface ImageFile {
  bytes: Uint8Array;
  mime: string;
  fileName?: string;
}

export interface UploadedImage {
  bucket: string;
  key: string;
  url: string;
  size: number;
  /** True when the object was already there with the same bytes and nothing was sent. */
  reused: boolean;
}

export interface ImageUploadOptions {
  client: OssClient;
  /** Set when the profile reaches its bucket through a custom domain (links then use that domain). */
  customDomainBucket?: string;
  namePattern: string;
  signal?: AbortSignal;
  now?: Date;
  /** Where the temp file is written; the system temp folder by default. */
  tempDir?: string;
  log?: (line: string) => void;
}

/** The key is taken by another object: a different image, or something put there by hand. */
export class ImageKeyTakenError extends Error {
  readonly code = 'ImageKeyTaken';
  readonly nextStep = t('Change ossTransfer.imageUpload.namePattern (keep {0} in it) or choose another folder with "OSS: Set Image Upload Target…".', '{hash}');
  constructor(bucket: string, key: string) {
    super(t('{0} already holds a different object, which was left alone', `oss://${bucket}/${key}`));
    this.name = 'ImageKeyTakenError';
  }
}

function isAlreadyThere(err: unknown): boolean {
  return errorCauses(err).some((c) => errorField<string>(c, 'code', 'string') === 'FileAlreadyExists');
}

export async function uploadImage(target: ImageTarget, image: ImageFile, opts: ImageUploadOptions): Promise<UploadedImage> {
  const { client } = opts;
  const { bucket } = target;
  const key = imageKey(target.prefix, opts.namePattern, { ...image, now: opts.now ?? new Date() });
  const size = image.bytes.byteLength;
  const dir = await fs.mkdtemp(path.join(opts.tempDir ?? os.tmpdir(), 'oss-image-'));
  let reused = false;
  try {
    const file = path.join(dir, 'image');
    await fs.writeFile(file, image.bytes, { mode: 0o600 });
    try {
      await resumableUpload(client, {
        bucket,
        key,
        file,
        disableCheckpoint: true,
        signal: opts.signal,
        headers: { 'Content-Type': image.mime, 'x-oss-forbid-overwrite': 'true' },
        onLog: opts.log,
      });
    } catch (err) {
      if (!isAlreadyThere(err)) throw err;
      if (!(await holdsSameBytes(client, bucket, key, image.bytes, opts.signal))) throw new ImageKeyTakenError(bucket, key);
      reused = true;
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const url = imageUrl(target.link, bucket, key, {
    bucketEndpoint: client.bucketEndpoint(bucket),
    customDomainBucket: opts.customDomainBucket,
    presign: (k, expiresSeconds) => client.presignUrl({ bucket, key: k, method: 'GET', expiresSeconds }),
  });
  // The URL itself stays out of the log: a presigned one carries a signature.
  opts.log?.(`Image ${reused ? 'already in' : 'uploaded to'} ${bucket}/${key} (${size} bytes), linked by ${target.link.kind} URL.`);
  return { bucket, key, url, size, reused };
}

/** Same size and CRC-64 (or, from a server that sends no CRC-64, the MD5 ETag of a simple upload). */
async function holdsSameBytes(client: OssClient, bucket: string, key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<boolean> {
  const head = await client.headObject({ bucket, key, signal });
  if (head.size !== bytes.byteLength) return false;
  if (head.crc64 !== undefined) return head.crc64 === crc64ToString(crc64(bytes));
  const md5 = createHash('md5').update(bytes).digest('hex');
  return head.etag.replace(/"/g, '').toLowerCase() === md5;
}
