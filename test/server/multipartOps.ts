// Multipart uploads: Initiate, UploadPart, Complete, Abort, ListParts, ListMultipartUploads.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc64Combine, crc64ToString, parseCrc64 } from '../../src/oss/crc/crc64.js';
import { encodeKeyForPath, rfc3986Encode } from '../../src/oss/signing/uriEncode.js';
import { readSmallBody, receiveVerified } from './bodyReceiver.js';
import { utf8Compare } from './diskStore.js';
import { linkAll } from './linkAll.js';
import { intParam, listPage } from './listing.js';
import { checkDeclaredSize, checkMd5, expectedMd5, uploadHeaders } from './metaHeaders.js';
import { normalizeEtag, quoteEtag, requireBucket } from './objectLookup.js';
import { OssServerError, invalidArgument, malformedXml, noSuchUpload } from './ossServerError.js';
import type { RequestContext } from './requestContext.js';
import { respond, sendXml } from './responses.js';
import type { PartMeta, UploadState } from './uploadStore.js';
import { parseXmlBody, xmlList, xmlText } from './xmlReader.js';

const MIN_PART_BYTES = 100 * 1024;
const MAX_PARTS = 10000;

function encodeIf(url: boolean, s: string): string {
  return url ? rfc3986Encode(s) : s;
}

/** The upload named by ?uploadId, which must belong to this bucket and key. */
function requireUpload(ctx: RequestContext): UploadState {
  requireBucket(ctx);
  const id = ctx.query.uploadId ?? '';
  if (id === '') throw invalidArgument('uploadId is required.', 'uploadId', id);
  const upload = ctx.state.uploads.uploads.get(id);
  if (!upload || upload.bucket !== ctx.bucket || upload.key !== ctx.key) throw noSuchUpload(id);
  return upload;
}

export async function initiateMultipartUpload(ctx: RequestContext): Promise<void> {
  const bucket = requireBucket(ctx);
  const h = uploadHeaders(ctx);
  const upload = await ctx.state.uploads.initiate({ bucket: bucket.meta.name, key: ctx.key!, ...h });
  const url = ctx.query['encoding-type'] === 'url';
  await sendXml(ctx, 200, 'InitiateMultipartUploadResult', {
    Bucket: upload.bucket,
    Key: encodeIf(url, upload.key),
    UploadId: upload.uploadId,
    EncodingType: url ? 'url' : undefined,
  });
}

export async function uploadPart(ctx: RequestContext): Promise<void> {
  const raw = ctx.query.partNumber ?? '';
  const partNumber = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(partNumber >= 1 && partNumber <= MAX_PARTS)) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PARTS}, inclusive.`, 'partNumber', raw);
  }
  const upload = requireUpload(ctx);
  checkDeclaredSize(ctx);
  const md5 = expectedMd5(ctx);
  const file = await receiveVerified(ctx, md5);
  try {
    const { etag, crc } = file;
    const part = await ctx.state.uploads.commitPart(upload, file.path, {
      partNumber,
      etag,
      size: file.size,
      crc64: crc,
      lastModified: new Date().toISOString(),
    });
    if (!part) throw noSuchUpload(upload.uploadId); // aborted or completed while the part streamed in
    await respond(ctx, 200, { ETag: quoteEtag(etag), 'x-oss-hash-crc64ecma': crc });
  } finally {
    await rm(file.path, { force: true });
  }
}

type ListedPart = { partNumber: number; etag: string };

function partsFromXml(body: Buffer): ListedPart[] {
  const doc = parseXmlBody(body, 'CompleteMultipartUpload');
  return xmlList(doc.Part).map((p) => {
    const node = (p ?? {}) as Record<string, unknown>;
    const num = (xmlText(node.PartNumber) ?? '').trim();
    const etag = xmlText(node.ETag);
    if (!/^\d+$/.test(num) || etag === undefined) throw malformedXml('Every <Part> needs a <PartNumber> and an <ETag>.');
    return { partNumber: Number(num), etag: normalizeEtag(etag) };
  });
}

// UNCONFIRMED status for OSS (oss-protocol.md §5): 400, as S3 answers.
function invalidPart(n: number, why: string): OssServerError {
  return new OssServerError(
    400,
    'InvalidPart',
    `One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag (part ${n}: ${why}).`,
    { PartNumber: String(n) },
  );
}

/**
 * The parts Complete names (or, with x-oss-complete-all, every part), checked against the upload:
 * InvalidPartOrder, InvalidPart, EntityTooSmall. Synchronous, so the caller can claim the upload
 * right after with nothing changed in between.
 */
function chooseParts(upload: UploadState, listed: ListedPart[] | undefined): PartMeta[] {
  let chosen: PartMeta[];
  if (!listed) {
    chosen = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  } else {
    chosen = [];
    for (let i = 0; i < listed.length; i++) {
      const { partNumber, etag } = listed[i];
      if (i > 0 && partNumber <= listed[i - 1].partNumber) {
        // UNCONFIRMED status for OSS (oss-protocol.md §5): 400, as S3 answers.
        throw new OssServerError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', {
          PartNumber: String(partNumber),
        });
      }
      const part = upload.parts.get(partNumber);
      if (!part) throw invalidPart(partNumber, 'not uploaded');
      if (part.etag !== etag) throw invalidPart(partNumber, `ETag ${etag} does not match ${part.etag}`);
      chosen.push(part);
    }
  }
  if (chosen.length === 0) throw malformedXml('The upload has no parts to complete.');
  for (let i = 0; i < chosen.length - 1; i++) {
    if (chosen[i].size < MIN_PART_BYTES) {
      // UNCONFIRMED status for OSS: 400 EntityTooSmall, as S3 answers.
      throw new OssServerError(400, 'EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size: every part but the last must be at least ${MIN_PART_BYTES} bytes.`, {
        PartNumber: String(chosen[i].partNumber),
        ProposedSize: String(chosen[i].size),
        MinSizeAllowed: String(MIN_PART_BYTES),
      });
    }
  }
  return chosen;
}

/**
 * The object's ETag follows S3's rule (MD5 of the binary part MD5s, "-<count>"); its CRC folds the
 * part CRCs with crc64Combine, as OSS reports the CRC of the whole object.
 */
function multipartSums(chosen: PartMeta[]): { etag: string; crc64: string; size: number } {
  const md5s = createHash('md5');
  let crc = 0n;
  let size = 0;
  for (const p of chosen) {
    md5s.update(Buffer.from(p.etag, 'hex'));
    crc = crc64Combine(crc, parseCrc64(p.crc64), p.size);
    size += p.size;
  }
  return { etag: `${md5s.digest('hex').toUpperCase()}-${chosen.length}`, crc64: crc64ToString(crc), size };
}

export async function completeMultipartUpload(ctx: RequestContext): Promise<void> {
  const upload = requireUpload(ctx);
  const completeAll = (ctx.headers['x-oss-complete-all'] ?? '').toLowerCase() === 'yes';
  const body = await readSmallBody(ctx, 4 * 1024 * 1024);
  checkMd5(expectedMd5(ctx), createHash('md5').update(body).digest());
  let listed: ListedPart[] | undefined;
  if (completeAll) {
    if (body.length > 0) throw invalidArgument('With x-oss-complete-all: yes the body must be empty.', 'x-oss-complete-all', 'yes');
  } else {
    listed = partsFromXml(body);
    if (listed.length === 0) throw malformedXml('CompleteMultipartUpload must name at least one <Part>.');
  }
  const bucket = requireBucket(ctx);
  const { store, uploads } = ctx.state;
  const committed = await store.withKeyLock(bucket.meta.name, upload.key, async () => {
    // Under the key lock: an Abort that came first wins, and the parts checked are the parts used.
    if (uploads.uploads.get(upload.uploadId) !== upload) throw noSuchUpload(upload.uploadId);
    const chosen = chooseParts(upload, listed);
    const sums = multipartSums(chosen);
    uploads.claim(upload.uploadId);
    try {
      // The part files become the object's segments by hard link: Complete costs a few file-system
      // calls per part, not a copy of the data (real OSS does not make the client wait for one
      // either). Linking rather than moving leaves the upload whole until the metadata is written,
      // so a crash or error before that loses nothing.
      return await store.commitSegmented(
        bucket,
        {
          key: upload.key,
          ...sums,
          contentType: upload.contentType,
          meta: upload.meta,
          headers: upload.headers,
          storageClass: upload.storageClass,
          lastModified: new Date().toISOString(),
          objectType: 'Multipart',
        },
        async (dir) => {
          await linkAll(chosen.map((p): [string, string] => [uploads.partPath(upload, p), join(dir, p.dataFile)]));
          return chosen.map((p) => ({ file: p.dataFile, size: p.size }));
        },
      );
    } catch (e) {
      uploads.restore(upload);
      throw e;
    }
  });
  await uploads.removeFiles(upload);
  const url = ctx.query['encoding-type'] === 'url';
  await sendXml(
    ctx,
    200,
    'CompleteMultipartUploadResult',
    {
      EncodingType: url ? 'url' : undefined,
      Location: `http://${ctx.state.hostPort}/${upload.bucket}/${encodeKeyForPath(upload.key)}`,
      Bucket: upload.bucket,
      Key: encodeIf(url, upload.key),
      ETag: quoteEtag(committed.etag),
    },
    { ETag: quoteEtag(committed.etag), 'x-oss-hash-crc64ecma': committed.crc64 },
  );
}

export async function abortMultipartUpload(ctx: RequestContext): Promise<void> {
  const upload = requireUpload(ctx);
  await ctx.state.uploads.remove(upload.uploadId);
  await respond(ctx, 204, {});
}

export async function listParts(ctx: RequestContext): Promise<void> {
  const upload = requireUpload(ctx);
  const maxParts = Math.min(1000, intParam(ctx.query, 'max-parts', 1000, 1, Number.MAX_SAFE_INTEGER, invalidArgument));
  const marker = intParam(ctx.query, 'part-number-marker', 0, 0, Number.MAX_SAFE_INTEGER, invalidArgument);
  const after = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const truncated = after.length > maxParts;
  const url = ctx.query['encoding-type'] === 'url';
  await sendXml(ctx, 200, 'ListPartsResult', {
    Bucket: upload.bucket,
    EncodingType: url ? 'url' : undefined,
    Key: encodeIf(url, upload.key),
    UploadId: upload.uploadId,
    StorageClass: upload.storageClass,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length > 0 ? page[page.length - 1].partNumber : marker,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: quoteEtag(p.etag),
      HashCrc64ecma: p.crc64,
      Size: p.size,
    })),
  });
}

export async function listMultipartUploads(ctx: RequestContext): Promise<void> {
  const bucket = requireBucket(ctx);
  const q = ctx.query;
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter ?? '';
  const keyMarker = q['key-marker'] ?? '';
  const uploadIdMarker = q['upload-id-marker'] ?? '';
  const max = Math.min(1000, intParam(q, 'max-uploads', 1000, 1, Number.MAX_SAFE_INTEGER, invalidArgument));
  const all = [...ctx.state.uploads.uploads.values()]
    .filter((u) => u.bucket === bucket.meta.name)
    .sort((a, b) => utf8Compare(a.key, b.key) || a.initiated.localeCompare(b.initiated) || a.uploadId.localeCompare(b.uploadId));
  const page = listPage(all, (u) => u.key, {
    prefix,
    delimiter,
    max,
    marker: keyMarker === '' ? undefined : keyMarker,
    isAfterMarker: (u) => {
      if (keyMarker === '') return true;
      const c = utf8Compare(u.key, keyMarker);
      // Without upload-id-marker every upload of key-marker itself is skipped (S3's rule).
      if (c === 0) return uploadIdMarker !== '' && u.uploadId > uploadIdMarker;
      return c > 0;
    },
  });
  const url = q['encoding-type'] === 'url';
  await sendXml(ctx, 200, 'ListMultipartUploadsResult', {
    Bucket: bucket.meta.name,
    EncodingType: url ? 'url' : undefined,
    KeyMarker: encodeIf(url, keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: page.isTruncated ? encodeIf(url, page.lastKey ?? '') : '',
    NextUploadIdMarker: page.isTruncated ? (page.lastItem?.uploadId ?? '') : '',
    Delimiter: encodeIf(url, delimiter),
    Prefix: encodeIf(url, prefix),
    MaxUploads: max,
    IsTruncated: page.isTruncated,
    Upload: page.items.map((u) => ({
      Key: encodeIf(url, u.key),
      UploadId: u.uploadId,
      StorageClass: u.storageClass,
      Initiated: u.initiated,
    })),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encodeIf(url, p) })),
  });
}
