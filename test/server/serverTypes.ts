// The public shapes of the test server (startOssServer's options, fault rules, stats). The engine,
// the benchmark and the e2e tests code against these, so they change only on purpose.

export type OpName =
  | 'ListBuckets'
  | 'PutBucket'
  | 'DeleteBucket'
  | 'GetBucketInfo'
  | 'GetBucketLocation'
  | 'ListObjectsV2'
  | 'ListObjects'
  | 'HeadObject'
  | 'GetObject'
  | 'PutObject'
  | 'DeleteObject'
  | 'DeleteMultipleObjects'
  | 'CopyObject'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads';

export const ALL_OPS: readonly OpName[] = [
  'ListBuckets', 'PutBucket', 'DeleteBucket', 'GetBucketInfo', 'GetBucketLocation', 'ListObjectsV2',
  'ListObjects', 'HeadObject', 'GetObject', 'PutObject', 'DeleteObject', 'DeleteMultipleObjects',
  'CopyObject', 'InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload',
  'AbortMultipartUpload', 'ListParts', 'ListMultipartUploads',
];

export interface ServerCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, every request signed with this key must carry exactly this STS token. */
  securityToken?: string;
  /** After this instant requests signed with this key get 403 SecurityTokenExpired. */
  expiresAt?: Date;
}

export interface OssServerOptions {
  /** default 0 (any free port) */
  port?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** Objects, uploads and metadata live here; a restarted server serves them again. */
  dataDir: string;
  credentials: ServerCredential[];
  /** default 'cn-hangzhou' (an 'oss-' prefix is stripped) */
  region?: string;
  /** Created at start when missing. */
  buckets?: string[];
  /** The server's clock offset in ms (positive = server ahead), to provoke RequestTimeTooSkewed. */
  clockSkewMs?: number;
  /** Serve HTTPS with this key and certificate (PEM); the endpoint is then https://. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface FaultMatch {
  op?: OpName | OpName[];
  bucket?: string;
  key?: string;
  partNumber?: number;
}

export type FaultAction =
  /** Destroy the socket after N request-body bytes (operations that carry a body: PutObject,
   * UploadPart, CompleteMultipartUpload, DeleteMultipleObjects, PutBucket; if the body is shorter the
   * request is carried out and the connection dropped instead of the answer) or after N
   * response-body bytes (the other operations; 0 = before the response headers). */
  | { type: 'reset'; afterBytes: number }
  /** Answer with this status and error XML (after draining the request body), plus Retry-After. */
  | { type: 'status'; status: number; code?: string; message?: string; retryAfterSeconds?: number }
  /** Pause before the response headers; with afterBytes, after N body bytes (request body for
   * operations that carry one — before the headers if that body is shorter — else response body). */
  | { type: 'stall'; ms: number; afterBytes?: number }
  /** Drop the multipart upload, so this and later requests for it get NoSuchUpload. */
  | { type: 'forgetUpload' }
  /** Overwrite the object's content (new ETag and CRC) before the request is served. */
  | { type: 'replaceObject'; content: Buffer }
  /** Send response bodies no faster than this, shared by every request the rule matches (one slow
   * link for, say, one object: its parallel ranged GETs together move at this rate). */
  | { type: 'pace'; bytesPerSecond: number };

export interface FaultController {
  /** times: default 1; Infinity keeps the rule forever. Returns the rule id. */
  add(match: FaultMatch, action: FaultAction, times?: number): string;
  remove(id: string): void;
  clear(): void;
  /** How often the rule fired (still answers after the rule is used up or removed). */
  hits(id: string): number;
}

/** Body bytes only (no headers). */
export interface OpStats {
  requests: number;
  bytesIn: number;
  bytesOut: number;
}

export interface StatsController {
  get(op: OpName): OpStats;
  /** Authenticated requests per AccessKey ID (of one operation, or all): which credentials signed what. */
  callers(op?: OpName): Record<string, number>;
  total(): OpStats;
  reset(): void;
  snapshot(): Record<string, OpStats>;
  /** The x-oss-traffic-limit (bit/s) of every request that carried one, in arrival order. */
  trafficLimits(op?: OpName): number[];
}

export interface OssServer {
  /** 'http://127.0.0.1:PORT' */
  endpoint: string;
  port: number;
  /** Stops listening and destroys open sockets; resolves when in-flight handlers have finished. */
  close(): Promise<void>;
  faults: FaultController;
  stats: StatsController;
  /** Replace the accepted keys (simulate revoked or expired credentials). */
  setCredentials(c: ServerCredential[]): void;
  /** Accept one more key (an STS credential a fake STS just issued); a key with the same ID is replaced. */
  addCredential(c: ServerCredential): void;
  /** Stop accepting a key (a revoked STS credential); true when it was accepted before. */
  removeCredential(accessKeyId: string): boolean;
  /**
   * TEST HELPER: a file holding the object's bytes, for checksum checks in tests; undefined when
   * absent. A multipart object keeps its parts as separate files, so for one of several parts this
   * concatenates them (synchronously, once per version) into a file under dataDir/tmp.
   */
  objectPath(bucket: string, key: string): string | undefined;
}
