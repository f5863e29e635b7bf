// An OSS error the handlers throw; responses.ts turns it into OSS's error XML (or, for HEAD, the
// x-oss-err header). Extras become extra elements (BucketName, UploadId, StringToSign ...).

export class OssServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extras: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OssServerError';
  }
}

// OSS puts an "EC" (error detail code) in every error. The STS ones follow Alibaba's published EC
// pages (0002-00000006 invalid token, 0002-00000007 expired credential); the rest are this server's
// own numbering in OSS's shape. Clients must treat EC as opaque text.
const EC: Record<string, string> = {
  AccessDenied: '0003-00000001',
  InvalidAccessKeyId: '0002-00000902',
  SignatureDoesNotMatch: '0002-00000040',
  RequestTimeTooSkewed: '0002-00000504',
  SecurityTokenExpired: '0002-00000007',
  InvalidSecurityToken: '0002-00000006',
  InvalidArgument: '0017-00000001',
  InvalidObjectName: '0016-00000005',
  InvalidBucketName: '0015-00000001',
  InvalidDigest: '0016-00000101',
  MalformedXML: '0017-00000201',
  NoSuchBucket: '0015-00000101',
  NoSuchKey: '0026-00000001',
  NoSuchUpload: '0042-00000002',
  PreconditionFailed: '0026-00000011',
  BucketNotEmpty: '0015-00000301',
  BucketAlreadyExists: '0015-00000104',
  FileAlreadyExists: '0016-00000105',
  InvalidRange: '0026-00000012',
  InvalidPart: '0042-00000101',
  InvalidPartOrder: '0042-00000102',
  EntityTooSmall: '0042-00000103',
  EntityTooLarge: '0016-00000201',
  MethodNotAllowed: '0003-00000201',
  InternalError: '0000-00000001',
  ServiceUnavailable: '0000-00000002',
};

export function errorEc(code: string): string {
  return EC[code] ?? '0000-00000000';
}

export const accessDenied = (message: string) => new OssServerError(403, 'AccessDenied', message);
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new OssServerError(
    400,
    'InvalidArgument',
    message,
    name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
  );
export const noSuchBucket = (bucket: string) =>
  new OssServerError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket });
export const noSuchKey = (key: string) =>
  new OssServerError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
export const noSuchUpload = (uploadId: string) =>
  new OssServerError(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );
export const malformedXml = (message: string) => new OssServerError(400, 'MalformedXML', message);
export const invalidDigest = (message: string) => new OssServerError(400, 'InvalidDigest', message);
