// The OSS client: typed operations over signed HTTP requests. One instance per credential set;
// it routes each bucket to its endpoint, signs (V4 by default, V1 on request), streams bodies
// both ways and turns every failure into an OssError.
// It never retries: the transfer engine decides what to retry and when (it sees `retryable`
// and `retryAfterMs` on the error).
// This class only composes: the request path (requestPath.ts) and one file per operation family,
// as the OSS SDKs group them (buckets, objects, multipart, listing).
import { createBucket, deleteBucket, getBucketInfo, listBuckets } from './bucketOperations.js';
import { listObjectsV2 } from './listingOperations.js';
import { abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, listMultipartUploads, listParts, uploadPart } from './multipartOperations.js';
import { copyObject, deleteObject, deleteObjects, getObject, headObject, putObject } from './objectOperations.js';
import { RequestPath } from './requestPath.js';
import type {
  AbortMultipartUploadOptions,
  BucketInfo,
  BucketOptions,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  CopyObjectOptions,
  CopyObjectResult,
  CreateBucketOptions,
  CredentialKind,
  DeleteObjectsOptions,
  DeleteObjectsResult,
  GetObjectOptions,
  GetObjectResult,
  HeadObjectResult,
  InitiateMultipartUploadOptions,
  InitiateMultipartUploadResult,
  ListBucketsOptions,
  ListBucketsResult,
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListObjectsV2Options,
  ListObjectsV2Result,
  ListPartsOptions,
  ListPartsResult,
  ObjectOptions,
  OssClientOptions,
  PresignOptions,
  PutObjectOptions,
  PutObjectResult,
  ResponseMeta,
  SignatureVersion,
  UploadPartOptions,
  UploadPartResult,
} from '../types.js';

const ops = { abortMultipartUpload, completeMultipartUpload, copyObject, createBucket, deleteBucket, deleteObject, deleteObjects, getBucketInfo, getObject, headObject, initiateMultipartUpload, listBuckets, listMultipartUploads, listObjectsV2, listParts, putObject, uploadPart };

export class OssClient {
  /** Normalised origin of the configured endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string;
  /** Region used for V4 signing (without `oss-`); undefined only for V1 on a custom domain. */
  readonly region?: string;
  readonly signatureVersion: SignatureVersion;
  // A #private field: util.inspect, JSON.stringify and object spreads never show it (it holds the secret).
  readonly #rp: RequestPath;

  constructor(options: OssClientOptions) {
    this.#rp = new RequestPath(options);
    this.endpoint = this.#rp.endpoint;
    if (this.#rp.region !== undefined) this.region = this.#rp.region;
    this.signatureVersion = this.#rp.signatureVersion;
  }

  /**
   * Sends this bucket's requests to another endpoint (its own region's, or a custom one).
   * The region for V4 comes from the host when it names one, else stays the client's.
   */
  setBucketEndpoint(bucket: string, endpointOrHost: string, region?: string): void {
    this.#rp.setBucketEndpoint(bucket, endpointOrHost, region);
  }

  /** Where a bucket's requests go (for display and tests). */
  bucketEndpoint(bucket: string): string {
    return this.#rp.bucketEndpoint(bucket);
  }

  listBuckets(opts: ListBucketsOptions = {}): Promise<ListBucketsResult> {
    return ops.listBuckets(this.#rp, opts);
  }

  getBucketInfo(opts: BucketOptions): Promise<BucketInfo> {
    return ops.getBucketInfo(this.#rp, opts);
  }

  createBucket(opts: CreateBucketOptions): Promise<ResponseMeta> {
    return ops.createBucket(this.#rp, opts);
  }

  deleteBucket(opts: BucketOptions): Promise<ResponseMeta> {
    return ops.deleteBucket(this.#rp, opts);
  }

  listObjectsV2(opts: ListObjectsV2Options): Promise<ListObjectsV2Result> {
    return ops.listObjectsV2(this.#rp, opts);
  }

  headObject(opts: ObjectOptions): Promise<HeadObjectResult> {
    return ops.headObject(this.#rp, opts);
  }

  getObject(opts: GetObjectOptions): Promise<GetObjectResult> {
    return ops.getObject(this.#rp, opts);
  }

  putObject(opts: PutObjectOptions): Promise<PutObjectResult> {
    return ops.putObject(this.#rp, opts);
  }

  deleteObject(opts: ObjectOptions): Promise<ResponseMeta> {
    return ops.deleteObject(this.#rp, opts);
  }

  deleteObjects(opts: DeleteObjectsOptions): Promise<DeleteObjectsResult> {
    return ops.deleteObjects(this.#rp, opts);
  }

  copyObject(opts: CopyObjectOptions): Promise<CopyObjectResult> {
    return ops.copyObject(this.#rp, opts);
  }

  initiateMultipartUpload(opts: InitiateMultipartUploadOptions): Promise<InitiateMultipartUploadResult> {
    return ops.initiateMultipartUpload(this.#rp, opts);
  }

  uploadPart(opts: UploadPartOptions): Promise<UploadPartResult> {
    return ops.uploadPart(this.#rp, opts);
  }

  completeMultipartUpload(opts: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult> {
    return ops.completeMultipartUpload(this.#rp, opts);
  }

  abortMultipartUpload(opts: AbortMultipartUploadOptions): Promise<ResponseMeta> {
    return ops.abortMultipartUpload(this.#rp, opts);
  }

  listParts(opts: ListPartsOptions): Promise<ListPartsResult> {
    return ops.listParts(this.#rp, opts);
  }

  listMultipartUploads(opts: ListMultipartUploadsOptions): Promise<ListMultipartUploadsResult> {
    return ops.listMultipartUploads(this.#rp, opts);
  }

  /**
   * A URL anyone can use until it expires. Synchronous: signing needs no I/O.
   * Keys with '.' or '..' path segments give a correct URL that browsers and fetch() cannot use:
   * WHATWG URL parsing removes those segments (even written as %2E) before sending.
   */
  presignUrl(opts: PresignOptions): string {
    return this.#rp.presignUrl(opts);
  }

  /**
   * For a client being replaced while a transfer may still hold it: its idle connections close,
   * requests in flight finish, and a later request still works (on a new connection). close()
   * instead makes every later request fail.
   */
  retire(): void {
    this.#rp.transport.retire();
  }

  /**
   * presignUrl with credentials fetched first (a refreshing provider may have none at hand yet).
   * With temporary credentials the URL stops working when they expire, whatever expiresSeconds says:
   * `credentialsExpire` tells when.
   */
  async presign(opts: PresignOptions): Promise<{ url: string; credentialsExpire?: Date }> {
    const creds = await this.#rp.credentials();
    return { url: this.#rp.presignUrl(opts, creds), ...(creds.expiration ? { credentialsExpire: creds.expiration } : {}) };
  }

  /** The kind of credentials this client signs with ('accessKey', 'ramRoleArn', …). */
  get credentialKind(): CredentialKind {
    return this.#rp.credentialKind;
  }

  /** Closes the connection pools and the credentials provider; in-flight requests finish first. */
  async close(): Promise<void> {
    await this.#rp.close();
  }
}
