// The slice of the OSS client the engine uses. OssClient (src/oss) satisfies it; naming only
// these methods keeps the engine testable with a fake and documents what it depends on.
import type {
  AbortMultipartUploadOptions,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  GetObjectOptions,
  GetObjectResult,
  HeadObjectResult,
  InitiateMultipartUploadOptions,
  InitiateMultipartUploadResult,
  ListPartsOptions,
  ListPartsResult,
  ObjectOptions,
  PutObjectOptions,
  PutObjectResult,
  UploadPartOptions,
  UploadPartResult,
} from '../../oss/types.js';

export interface TransferClient {
  /** Normalized origin; part of a checkpoint's identity. */
  readonly endpoint: string;
  headObject(opts: ObjectOptions): Promise<HeadObjectResult>;
  getObject(opts: GetObjectOptions): Promise<GetObjectResult>;
  putObject(opts: PutObjectOptions): Promise<PutObjectResult>;
  deleteObject(opts: ObjectOptions): Promise<unknown>;
  initiateMultipartUpload(opts: InitiateMultipartUploadOptions): Promise<InitiateMultipartUploadResult>;
  uploadPart(opts: UploadPartOptions): Promise<UploadPartResult>;
  completeMultipartUpload(opts: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult>;
  abortMultipartUpload(opts: AbortMultipartUploadOptions): Promise<unknown>;
  /** Used to confirm that an upload id a checkpoint names belongs to the object before aborting it. */
  listParts(opts: ListPartsOptions): Promise<ListPartsResult>;
}

export interface TransferResult {
  etag: string;
  /** decimal CRC-64 of the whole object */
  crc64: string;
  size: number;
  /** true when an earlier run's checkpoint was used */
  resumed: boolean;
  /**
   * How the whole object was verified: 'crc64' end to end, or 'size+etag' when the object on the
   * server carries no CRC-64 (e.g. uploaded by a tool that did not compute it).
   */
  verifiedBy: 'crc64' | 'size+etag';
}
