// Maps method + address + sub-resource to the operation name (the contract's OpName).
import type { OpName } from './serverTypes.js';

// Sub-resources of real OSS this server does not implement: a request naming one is refused
// (501 NotImplemented) instead of being mistaken for a plain object or listing request.
const UNSUPPORTED = [
  'acl', 'append', 'position', 'tagging', 'symlink', 'restore', 'versioning', 'versions', 'versionId', 'cors',
  'lifecycle', 'logging', 'website', 'referer', 'cname', 'qos', 'worm', 'inventory', 'policy', 'encryption',
  'replication', 'stat', 'x-oss-process', 'callback',
];

export function unsupportedSubresource(query: Record<string, string>): string | undefined {
  return UNSUPPORTED.find((name) => Object.prototype.hasOwnProperty.call(query, name));
}

export function routeOp(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: Record<string, string>,
  headers: Record<string, string | string[] | undefined>,
): OpName | undefined {
  const has = (name: string) => Object.prototype.hasOwnProperty.call(query, name);
  if (unsupportedSubresource(query) !== undefined) return undefined;
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : undefined;
  if (key === undefined) {
    switch (method) {
      case 'PUT':
        return 'PutBucket';
      case 'DELETE':
        return 'DeleteBucket';
      case 'POST':
        return has('delete') ? 'DeleteMultipleObjects' : undefined;
      case 'GET':
        if (has('bucketInfo')) return 'GetBucketInfo';
        if (has('location')) return 'GetBucketLocation';
        if (has('uploads')) return 'ListMultipartUploads';
        return query['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects';
      default:
        return undefined;
    }
  }
  switch (method) {
    case 'HEAD':
      return 'HeadObject'; // also ?objectMeta (GetObjectMeta): the same headers, a subset OSS sends
    case 'GET':
      return has('uploadId') ? 'ListParts' : 'GetObject';
    case 'PUT':
      if (has('uploadId') || has('partNumber')) return 'UploadPart';
      return headers['x-oss-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (has('uploads')) return 'InitiateMultipartUpload';
      if (has('uploadId')) return 'CompleteMultipartUpload';
      return undefined;
    case 'DELETE':
      return has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return undefined;
  }
}

/** Operations whose request carries a body; faults with afterBytes count request bytes for these. */
export const BODY_OPS: ReadonlySet<OpName> = new Set<OpName>([
  'PutObject',
  'UploadPart',
  'CompleteMultipartUpload',
  'DeleteMultipleObjects',
  'PutBucket',
]);
