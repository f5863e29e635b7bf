// Bucket and object naming rules (oss-protocol.md §7).
import { OssServerError } from './ossServerError.js';

const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_RE.test(name);
}

export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new OssServerError(
      400,
      'InvalidBucketName',
      'The specified bucket is not valid: 3-63 characters of a-z, 0-9 and "-", starting and ending with a letter or digit.',
      { BucketName: name },
    );
  }
}

export function checkObjectName(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  let why: string | undefined;
  if (bytes === 0) why = 'must not be empty';
  else if (bytes > 1023) why = `is ${bytes} bytes long, the limit is 1023`;
  else if (key.startsWith('/') || key.startsWith('\\')) why = 'must not start with "/" or "\\"';
  if (why) throw new OssServerError(400, 'InvalidObjectName', `The specified object name ${why}.`, { ObjectName: key });
}
