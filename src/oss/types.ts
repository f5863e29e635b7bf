// The typed shapes of the OSS client's public API. Everything above src/oss (the engine, the
// extension, the tests) codes against these, so they change only on purpose.
import type { Readable } from 'node:stream';

export type SignatureVersion = 'v1' | 'v4';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token; sent as x-oss-security-token (V1/V4 headers) or security-token (presigned V1). */
  securityToken?: string;
}

/** The credential kinds the client knows, as the Alibaba Cloud SDKs and CLI name them. */
export type CredentialKind = 'accessKey' | 'stsToken' | 'ramRoleArn' | 'ecsRamRole' | 'oidcRoleArn' | 'credentialsUri';

/** Credentials ready to sign with. Frozen: a provider hands out the same object until it renews it. */
export interface ResolvedCredentials extends Readonly<Credentials> {
  /** When temporary credentials stop working; undefined for long-term keys (and tokens of unknown life). */
  readonly expiration?: Date;
  /** Set on credentials fetched because OSS rejected the ones before: if these are rejected too, nothing newer exists. */
  readonly renewedAfterRejection?: boolean;
}

/**
 * Where a client's credentials come from (src/oss/credentials/). The client asks before it signs
 * each request, so renewed credentials reach every request signed after the renewal.
 */
export interface CredentialsProvider {
  readonly kind: CredentialKind;
  /** Credentials valid now; a refreshing provider renews them ahead of their expiry (one fetch for all callers). */
  getCredentials(signal?: AbortSignal): Promise<ResolvedCredentials>;
  /** The credentials at hand without any I/O (for presigning), or undefined when none are valid yet. */
  current(): ResolvedCredentials | undefined;
  /**
   * OSS rejected a request signed with `used` (expired or unknown token). Returns credentials worth
   * another attempt (newer ones, fetched if need be), or undefined when there are none: a static
   * key, or `used` was itself fetched after a rejection. Throws when the renewal itself fails.
   */
  renewAfterRejection(used: ResolvedCredentials, signal?: AbortSignal): Promise<ResolvedCredentials | undefined>;
  /** Releases connections the provider keeps (STS, metadata service). */
  close(): Promise<void>;
}

export interface Timeouts {
  /** TCP/TLS connect, ms. */
  connectMs?: number;
  /** Time to the response headers, ms. */
  headersMs?: number;
  /** Longest silence while a body is streaming (either way), ms. */
  bodyIdleMs?: number;
  /**
   * Slowest average a streaming body (either way) may keep for minSpeedWindowMs before it is cut
   * with a retryable RequestTimeout: catches a trickle the idle timeout never sees. 0 = off.
   */
  minSpeedBytesPerSec?: number;
  /** The window the speed floor averages over, ms. */
  minSpeedWindowMs?: number;
}

/**
 * How the client reaches its endpoints (the rules are in src/oss/http/proxySelection.ts):
 * localhost, 127.0.0.1 and ::1 always go direct; hosts in `noProxy` (or, without it, NO_PROXY)
 * go direct; everything else through `proxy`, or else the environment's HTTPS_PROXY / HTTP_PROXY.
 */
export interface NetworkOptions {
  /** `http://[user:password@]host:port` (or https://) for every request; wins over the environment. */
  proxy?: string;
  /** Hosts that never go through a proxy: `example.com` (and below), `.example.com`, `*`, `host:port`, IPs, CIDR. Non-empty: replaces NO_PROXY. */
  noProxy?: readonly string[];
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are read; usually process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Sent to the proxy as Proxy-Authorization (e.g. `Basic dXNlcjpwYXNz`); wins over user:password in the URL. Never shown. */
  proxyAuthorization?: string;
  /** false: connections through a proxy accept any certificate (a TLS-inspecting proxy). Default true. */
  proxyStrictSsl?: boolean;
  /** CA certificates (PEM) trusted besides Node's own roots (see loadTrustedCertificates). */
  ca?: readonly string[];
}

export interface OssClientOptions extends Partial<Credentials> {
  /**
   * Where credentials come from when they can change (STS tokens renewed, a RAM role, the ECS
   * metadata service, …). Give either this or accessKeyId + accessKeySecret (+ securityToken).
   * The client closes it when it is closed.
   */
  credentialsProvider?: CredentialsProvider;
  /** `cn-hangzhou` (an `oss-` prefix is accepted and stripped). Needed for V4 signing. */
  region?: string;
  /** `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`, or a host name (https assumed). */
  endpoint?: string;
  signatureVersion?: SignatureVersion;
  /** Path-style addressing. Default: true for IP/localhost endpoints, false otherwise. */
  pathStyle?: boolean;
  /** The endpoint is a custom domain bound to one bucket: Host = domain, path = /key. */
  cname?: boolean;
  timeouts?: Timeouts;
  /** Connections kept per origin. */
  connections?: number;
  /** Proxy and trusted CAs. Absent: direct connections, Node's default CAs (no environment is read). */
  network?: NetworkOptions;
  /** Called once per finished request (for the extension's log). Never given secrets or signatures. */
  onRequestLog?: (entry: RequestLogEntry) => void;
  /**
   * Called once per bucket and listed value when a listing names an endpoint the client will not
   * follow (not an OSS host, or a scheme change): that bucket stays on the client's endpoint.
   */
  onEndpointRefused?: (e: EndpointRefusal) => void;
  /** Clock used for signing; tests move it. */
  now?: () => Date;
}

export interface EndpointRefusal {
  bucket: string;
  /** The endpoint as the server named it (untrusted text). */
  listed: string;
  reason: string;
  /** Where the bucket's requests go instead. */
  kept: string;
}

export interface RequestLogEntry {
  operation: string;
  method: string;
  bucket?: string;
  key?: string;
  status: number;
  requestId?: string;
  durationMs: number;
  error?: string;
}

/** Headers / query passed through verbatim (content type, x-oss-meta-*, storage class...). */
export type HeaderMap = Record<string, string>;

export interface BaseOptions {
  signal?: AbortSignal;
}
export interface BucketOptions extends BaseOptions {
  bucket: string;
}
export interface ObjectOptions extends BucketOptions {
  key: string;
}

export interface ResponseMeta {
  status: number;
  requestId: string;
  headers: Record<string, string>;
}

// ---------- buckets ----------
export interface ListBucketsOptions extends BaseOptions {
  prefix?: string;
  marker?: string;
  maxKeys?: number;
}
export interface BucketInfo {
  name: string;
  /** `oss-cn-hangzhou` */
  location: string;
  /** `cn-hangzhou` (derived from location when the XML lacks it) */
  region: string;
  creationDate: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
  storageClass?: string;
}
export interface ListBucketsResult extends ResponseMeta {
  buckets: BucketInfo[];
  isTruncated: boolean;
  nextMarker?: string;
  owner?: { id: string; displayName: string };
}
export interface CreateBucketOptions extends BucketOptions {
  storageClass?: string;
  acl?: string;
}

// ---------- listing ----------
export interface ListObjectsV2Options extends BucketOptions {
  prefix?: string;
  delimiter?: string;
  startAfter?: string;
  continuationToken?: string;
  maxKeys?: number;
  fetchOwner?: boolean;
}
export interface ObjectSummary {
  key: string;
  lastModified: string;
  /** quoted as OSS sends it: `"5B3C1A2E053D763E1B002CC607C5A0FE"` */
  etag: string;
  size: number;
  storageClass: string;
  type: string;
}
export interface ListObjectsV2Result extends ResponseMeta {
  name: string;
  prefix: string;
  delimiter?: string;
  objects: ObjectSummary[];
  prefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
  keyCount: number;
}

// ---------- objects ----------
export interface HeadObjectResult extends ResponseMeta {
  size: number;
  etag: string;
  /** decimal unsigned 64-bit, as in x-oss-hash-crc64ecma */
  crc64?: string;
  lastModified: string;
  contentType?: string;
  objectType?: string;
  storageClass?: string;
  meta: Record<string, string>;
}

/** Byte range, both ends inclusive (as in HTTP). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface GetObjectOptions extends ObjectOptions {
  range?: ByteRange;
  ifMatch?: string;
  ifNoneMatch?: string;
  /** Ask for OSS's standard range behaviour (x-oss-range-behavior: standard). */
  strictRange?: boolean;
  headers?: HeaderMap;
  /**
   * OSS's single-connection bandwidth throttling: the server holds this request's body to this many
   * bits per second (x-oss-traffic-limit, 819200..838860800, i.e. 100 KB/s..100 MB/s).
   */
  trafficLimit?: number;
}
export interface GetObjectResult extends ResponseMeta {
  /** The body; the caller must consume or destroy it. */
  body: Readable;
  contentLength: number;
  /** Parsed Content-Range of a 206. */
  contentRange?: { start: number; end: number; total: number };
  etag: string;
  crc64?: string;
  lastModified: string;
  contentType?: string;
}

/**
 * A body the client can send: bytes, a string, a stream or chunk source (give contentLength), or a
 * file region.
 */
export type BodyInput = Buffer | Uint8Array | string | Readable | ChunkSource | FileBody;

/**
 * Chunks produced on demand (an async iterable that is not a stream). The client asks for the next
 * chunk only after the previous one has left for the socket: a chunk of at least
 * CHUNK_REUSE_MIN_BYTES may be overwritten by its producer once the chunk after it is requested,
 * so a producer can read into a couple of buffers it reuses instead of allocating one per chunk.
 * Smaller chunks must not be reused before the request has ended.
 */
export interface ChunkSource {
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
}
export interface FileBody {
  file: string;
  /** first byte, default 0 */
  start?: number;
  /** bytes to send, default to the end of the file */
  length?: number;
}

export interface PutObjectOptions extends ObjectOptions {
  body: BodyInput;
  contentLength?: number;
  contentType?: string;
  contentMd5?: string;
  headers?: HeaderMap;
  /** Called as request body bytes leave (cumulative count for this request). */
  onUploadProgress?: (sentBytes: number) => void;
  /**
   * OSS's single-connection bandwidth throttling: the server holds this request's body to this many
   * bits per second (x-oss-traffic-limit, 819200..838860800, i.e. 100 KB/s..100 MB/s).
   */
  trafficLimit?: number;
}
export interface PutObjectResult extends ResponseMeta {
  etag: string;
  crc64?: string;
}

export interface DeleteObjectsOptions extends BucketOptions {
  keys: string[];
  quiet?: boolean;
}
export interface DeleteObjectsResult extends ResponseMeta {
  deleted: string[];
}

export interface CopyObjectOptions extends ObjectOptions {
  sourceBucket: string;
  sourceKey: string;
  headers?: HeaderMap;
}
export interface CopyObjectResult extends ResponseMeta {
  etag: string;
  lastModified: string;
}

// ---------- multipart ----------
export interface InitiateMultipartUploadOptions extends ObjectOptions {
  headers?: HeaderMap;
  contentType?: string;
}
export interface InitiateMultipartUploadResult extends ResponseMeta {
  uploadId: string;
}
export interface UploadPartOptions extends ObjectOptions {
  uploadId: string;
  partNumber: number;
  body: BodyInput;
  contentLength?: number;
  onUploadProgress?: (sentBytes: number) => void;
  /**
   * OSS's single-connection bandwidth throttling: the server holds this request's body to this many
   * bits per second (x-oss-traffic-limit, 819200..838860800, i.e. 100 KB/s..100 MB/s).
   */
  trafficLimit?: number;
}
export interface UploadPartResult extends ResponseMeta {
  etag: string;
  crc64?: string;
}
export interface CompletedPart {
  partNumber: number;
  etag: string;
}
export interface CompleteMultipartUploadOptions extends ObjectOptions {
  uploadId: string;
  parts: CompletedPart[];
  headers?: HeaderMap;
}
export interface CompleteMultipartUploadResult extends ResponseMeta {
  etag: string;
  location: string;
  crc64?: string;
}
export interface AbortMultipartUploadOptions extends ObjectOptions {
  uploadId: string;
}
export interface ListPartsOptions extends ObjectOptions {
  uploadId: string;
  maxParts?: number;
  partNumberMarker?: number;
}
export interface PartSummary {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
}
export interface ListPartsResult extends ResponseMeta {
  parts: PartSummary[];
  isTruncated: boolean;
  nextPartNumberMarker?: number;
}
export interface ListMultipartUploadsOptions extends BucketOptions {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}
export interface MultipartUploadSummary {
  key: string;
  uploadId: string;
  initiated: string;
}
export interface ListMultipartUploadsResult extends ResponseMeta {
  uploads: MultipartUploadSummary[];
  prefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

// ---------- presign ----------
export interface PresignOptions {
  bucket: string;
  key: string;
  method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  /** seconds from now; V4 allows 1..604800 */
  expiresSeconds: number;
  query?: Record<string, string>;
  headers?: HeaderMap;
}
