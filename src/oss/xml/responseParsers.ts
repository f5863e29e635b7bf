// Per-operation readers of OSS success documents. Each returns the typed result without the
// response metadata (the client adds status, request id and headers).
import type {
  BucketInfo,
  ListBucketsResult,
  ListMultipartUploadsResult,
  ListObjectsV2Result,
  ListPartsResult,
  MultipartUploadSummary,
  ObjectSummary,
  PartSummary,
} from '../types.js';
import {
  XmlShapeError,
  asNode,
  childArray,
  childNode,
  optBool,
  optInt,
  optText,
  parseXmlExpecting,
  reqInt,
  reqText,
  urlDecodeField,
  type XmlNode,
} from './xmlParse.js';

type Meta = 'status' | 'requestId' | 'headers';

/** `oss-cn-hangzhou` -> `cn-hangzhou`. */
export function regionFromLocation(location: string): string {
  return location.startsWith('oss-') ? location.slice(4) : location;
}

function bucketInfoFrom(b: XmlNode): BucketInfo {
  const location = optText(b, 'Location') ?? '';
  const info: BucketInfo = {
    name: reqText(b, 'Name'),
    location,
    region: optText(b, 'Region') || regionFromLocation(location),
    creationDate: optText(b, 'CreationDate') ?? '',
  };
  const ext = optText(b, 'ExtranetEndpoint');
  if (ext) info.extranetEndpoint = ext;
  const int = optText(b, 'IntranetEndpoint');
  if (int) info.intranetEndpoint = int;
  const sc = optText(b, 'StorageClass');
  if (sc) info.storageClass = sc;
  return info;
}

export function parseListBuckets(xml: string): Omit<ListBucketsResult, Meta> {
  const root = parseXmlExpecting(xml, 'ListAllMyBucketsResult');
  const buckets = childArray(childNode(root, 'Buckets'), 'Bucket').map((b) => bucketInfoFrom(asNode(b)));
  const result: Omit<ListBucketsResult, Meta> = { buckets, isTruncated: optBool(root, 'IsTruncated') };
  const next = optText(root, 'NextMarker');
  if (next) result.nextMarker = next;
  const owner = childNode(root, 'Owner');
  if (owner) result.owner = { id: optText(owner, 'ID') ?? '', displayName: optText(owner, 'DisplayName') ?? '' };
  return result;
}

export function parseBucketInfo(xml: string): BucketInfo {
  const root = parseXmlExpecting(xml, 'BucketInfo');
  const bucket = childNode(root, 'Bucket');
  if (!bucket) throw new XmlShapeError('<Bucket> is missing from the BucketInfo response');
  return bucketInfoFrom(bucket);
}

/** Decodes a field only if the response says it was url-encoded (EncodingType=url). */
function fieldDecoder(root: XmlNode): (v: string, field: string) => string {
  const encoded = (optText(root, 'EncodingType') ?? '').toLowerCase() === 'url';
  return (v, field) => (encoded ? urlDecodeField(v, field) : v);
}

/** ListObjectsV2 with encoding-type=url; fields are decoded only if the server says it encoded them. */
export function parseListObjectsV2(xml: string): Omit<ListObjectsV2Result, Meta> {
  const root = parseXmlExpecting(xml, 'ListBucketResult');
  const dec = fieldDecoder(root);

  const objects: ObjectSummary[] = childArray(root, 'Contents').map((c) => {
    const n = asNode(c);
    return {
      key: dec(reqText(n, 'Key'), 'Key'),
      lastModified: optText(n, 'LastModified') ?? '',
      etag: optText(n, 'ETag') ?? '',
      size: reqInt(n, 'Size'),
      storageClass: optText(n, 'StorageClass') ?? '',
      type: optText(n, 'Type') ?? '',
    };
  });
  const prefixes = childArray(root, 'CommonPrefixes').map((p) => dec(reqText(asNode(p), 'Prefix'), 'Prefix'));
  const result: Omit<ListObjectsV2Result, Meta> = {
    name: optText(root, 'Name') ?? '',
    prefix: dec(optText(root, 'Prefix') ?? '', 'Prefix'),
    objects,
    prefixes,
    isTruncated: optBool(root, 'IsTruncated'),
    keyCount: optInt(root, 'KeyCount') ?? objects.length + prefixes.length,
  };
  const delimiter = optText(root, 'Delimiter');
  if (delimiter) result.delimiter = dec(delimiter, 'Delimiter');
  const next = optText(root, 'NextContinuationToken');
  if (next) result.nextContinuationToken = dec(next, 'NextContinuationToken');
  if (result.isTruncated && result.nextContinuationToken === undefined) {
    throw new XmlShapeError('listing is truncated but carries no NextContinuationToken');
  }
  return result;
}

export function parseInitiateMultipartUpload(xml: string): { uploadId: string } {
  const root = parseXmlExpecting(xml, 'InitiateMultipartUploadResult');
  const uploadId = reqText(root, 'UploadId');
  if (uploadId === '') throw new XmlShapeError('<UploadId> is empty');
  return { uploadId };
}

export function parseCompleteMultipartUpload(xml: string): { etag: string; location: string } {
  const root = parseXmlExpecting(xml, 'CompleteMultipartUploadResult');
  return { etag: reqText(root, 'ETag'), location: optText(root, 'Location') ?? '' };
}

export function parseListParts(xml: string): Omit<ListPartsResult, Meta> {
  const root = parseXmlExpecting(xml, 'ListPartsResult');
  const parts: PartSummary[] = childArray(root, 'Part').map((p) => {
    const n = asNode(p);
    return {
      partNumber: reqInt(n, 'PartNumber'),
      etag: reqText(n, 'ETag'),
      size: reqInt(n, 'Size'),
      lastModified: optText(n, 'LastModified') ?? '',
    };
  });
  const result: Omit<ListPartsResult, Meta> = { parts, isTruncated: optBool(root, 'IsTruncated') };
  const next = optInt(root, 'NextPartNumberMarker');
  if (next !== undefined) result.nextPartNumberMarker = next;
  return result;
}

export function parseListMultipartUploads(xml: string): Omit<ListMultipartUploadsResult, Meta> {
  const root = parseXmlExpecting(xml, 'ListMultipartUploadsResult');
  const dec = fieldDecoder(root);
  const uploads: MultipartUploadSummary[] = childArray(root, 'Upload').map((u) => {
    const n = asNode(u);
    return {
      key: dec(reqText(n, 'Key'), 'Key'),
      uploadId: reqText(n, 'UploadId'),
      initiated: optText(n, 'Initiated') ?? '',
    };
  });
  const prefixes = childArray(root, 'CommonPrefixes').map((p) => dec(reqText(asNode(p), 'Prefix'), 'Prefix'));
  const result: Omit<ListMultipartUploadsResult, Meta> = {
    uploads,
    prefixes,
    isTruncated: optBool(root, 'IsTruncated'),
  };
  const nextKey = optText(root, 'NextKeyMarker');
  if (nextKey) result.nextKeyMarker = dec(nextKey, 'NextKeyMarker');
  const nextUpload = optText(root, 'NextUploadIdMarker');
  if (nextUpload) result.nextUploadIdMarker = nextUpload;
  return result;
}

export function parseDeleteResult(xml: string): { deleted: string[] } {
  // Quiet mode may answer with an empty body or an empty <DeleteResult/>.
  if (xml.trim() === '') return { deleted: [] };
  const root = parseXmlExpecting(xml, 'DeleteResult');
  const dec = fieldDecoder(root);
  const deleted = childArray(root, 'Deleted').map((d) => dec(reqText(asNode(d), 'Key'), 'Key'));
  return { deleted };
}

export function parseCopyObject(xml: string): { etag: string; lastModified: string } {
  const root = parseXmlExpecting(xml, 'CopyObjectResult');
  return { etag: reqText(root, 'ETag'), lastModified: optText(root, 'LastModified') ?? '' };
}

export interface ErrorDocument {
  code: string;
  message: string;
  requestId: string;
  hostId: string;
  ec: string;
  /** Every other leaf of <Error> (BucketName, UploadId, StringToSign...). */
  details: Record<string, string>;
}

/** The `<Error>` document, or undefined when the text is not one (a proxy's HTML page, empty body). */
export function parseErrorDocument(xml: string): ErrorDocument | undefined {
  let root;
  try {
    root = parseXmlExpecting(xml, 'Error');
  } catch {
    return undefined;
  }
  const details: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    if (name.startsWith('#') || ['Code', 'Message', 'RequestId', 'HostId', 'EC'].includes(name)) continue;
    if (typeof value === 'string') details[name] = value;
  }
  const text = (n: string): string => {
    try {
      return optText(root, n) ?? '';
    } catch {
      return '';
    }
  };
  return {
    code: text('Code'),
    message: text('Message'),
    requestId: text('RequestId'),
    hostId: text('HostId'),
    ec: text('EC'),
    details,
  };
}
