// Maps method + address + sub-resource to the operation name (the contract's OpName).
import type { OpName } from './serverTypes.js';

export function routeOp(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: Record<string, string>,
  headers: Record<string, string | string[] | undefined>,
): OpName | undefined {
  const has = (name: string) => Object.prototype.hasOwnProperty.call(query, name);
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
      return 'HeadObject';
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
