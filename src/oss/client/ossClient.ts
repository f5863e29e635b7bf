// The OSS client: typed operations over signed HTTP requests. One instance per credential set;
// it routes each bucket to its endpoint, signs (V4 by default, V1 on request), streams bodies
// both ways and turns every failure into an OssError.
// It never retries: the transfer engine decides what to retry and when (it sees `retryable`
// and `retryAfterMs` on the error).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { prepareBody, type PreparedBody } from '../http/bodySource.js';
import {
  defaultStyle,
  isIpOrLocalhost,
  listedBucketRoute,
  normalizeRegion,
  parseEndpoint,
  regionEndpoint,
  regionFromHost,
  requestTarget,
  withQuery,
  type AddressingStyle,
  type Endpoint,
} from '../endpoint.js';
import { errorFromHttpFailure, type ErrorContext } from '../errorResponse.js';
import { ERROR_BODY_KEEP, HttpTransport, readErrorBody } from '../http/httpTransport.js';
import { OssError } from '../ossError.js';
import { formatIsoBasic } from '../signing/ossDate.js';
import { presignV1, presignV4 } from '../signing/presign.js';
import { BodyLimitError, bodyLimitMessage, readBoundedText } from '../xml/responseLimits.js';
import { signRequest } from '../signing/authorizationHeaders.js';
import { ResponseHeaders } from '../responseHeaders.js';
import { encodeKeyForPath } from '../signing/uriEncode.js';
import {
  parseBucketInfo,
  parseCompleteMultipartUpload,
  parseCopyObject,
  parseDeleteResult,
  parseInitiateMultipartUpload,
  parseListBuckets,
  parseListMultipartUploads,
  parseListObjectsV2,
  parseListParts,
} from '../xml/responseParsers.js';
import type {
  AbortMultipartUploadOptions,
  BaseOptions,
  BucketInfo,
  BucketOptions,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  CopyObjectOptions,
  CopyObjectResult,
  CreateBucketOptions,
  Credentials,
  DeleteObjectsOptions,
  DeleteObjectsResult,
  EndpointRefusal,
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
  RequestLogEntry,
  ResponseMeta,
  SignatureVersion,
  UploadPartOptions,
  UploadPartResult,
} from '../types.js';
import { buildCompleteBody, buildCreateBucketBody, buildDeleteBody } from '../xml/xmlBuild.js';
import { XmlShapeError } from '../xml/xmlParse.js';

/**
 * Defaults: connect 10 s, first response byte 60 s, body silence 60 s, 16 sockets per origin.
 * Speed floor: a body averaging under 1 KiB/s for 20 s is cut (and retried by the engine). Any
 * working link, even a poor mobile one, moves a part tens of times faster (at 1 KiB/s one MiB
 * takes 17 minutes), so only a trickling or stuck peer falls below it; 20 s rides out TCP's
 * retransmission back-off (1+2+4+8 s) and a Wi-Fi hand-over, and still abandons a stuck part
 * within tens of seconds instead of the 60 s idle timeout, which a trickle never trips at all.
 */
export const DEFAULT_TIMEOUTS = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyIdleMs: 60_000,
  minSpeedBytesPerSec: 1024,
  minSpeedWindowMs: 20_000,
} as const;
export const DEFAULT_CONNECTIONS = 16;
/**
 * Region assumed for V4 when the endpoint is an IP/localhost address and no region is given:
 * such endpoints are test servers or proxies that cannot say their region, and this is the
 * test server's default. Any other endpoint whose region cannot be derived needs `region`.
 */
export const LOCAL_DEFAULT_REGION = 'cn-hangzhou';
/** An <Error> document in a 200 answer is looked for only in bodies up to this size (as error bodies are kept). */
const MAX_ERROR_DOCUMENT = ERROR_BODY_KEEP;
/** DeleteMultipleObjects accepts at most this many keys per request. */
export const DELETE_BATCH = 1000;

interface Route {
  endpoint: Endpoint;
  style: AddressingStyle;
  region?: string;
}

interface Op {
  operation: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: PreparedBody;
  signal?: AbortSignal;
  onUploadProgress?: (sentBytes: number) => void;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

function invalidArgument(ctx: ErrorContext, message: string, code = 'InvalidArgument'): OssError {
  return new OssError({ ...ctx, code, message, status: 0, retryable: false });
}

function meta(res: RawResponse): ResponseMeta {
  return { status: res.status, requestId: res.headers['x-oss-request-id'] ?? '', headers: res.headers };
}

/** Adds the entries whose value is set; empty strings are dropped (V4 should not sign empty values). */
function defined(q: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

function lowerCaseHeaders(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = String(v);
  return out;
}

function optionalHeader(headers: Record<string, string>, name: string): string | undefined {
  const v = headers[name];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The result of a request that stored bytes (PutObject, UploadPart): its ETag (required for a part:
 * Complete names parts by it) and, if sent, CRC-64.
 */
function storedResult(res: RawResponse, ctx: ErrorContext, etagRequired: boolean): PutObjectResult & UploadPartResult {
  const h = new ResponseHeaders(res.headers, ctx, res.status);
  const result: PutObjectResult = { ...meta(res), etag: h.etag(etagRequired) };
  const crc = h.crc64();
  if (crc !== undefined) result.crc64 = crc;
  return result;
}

function md5Base64(data: Buffer | string): string {
  return createHash('md5').update(data).digest('base64');
}

function checkMax(ctx: ErrorContext, name: string, v: number | undefined, max: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max)) {
    throw invalidArgument(ctx, `${name} must be a whole number in 1..${max}, got ${v}`);
  }
}

export class OssClient {
  /** Normalised origin of the configured endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string;
  /** Region used for V4 signing (without `oss-`); undefined only for V1 on a custom domain. */
  readonly region?: string;
  readonly signatureVersion: SignatureVersion;

  private readonly ep: Endpoint;
  private readonly style: AddressingStyle;
  // A #private field: util.inspect, JSON.stringify and object spreads never show the secret.
  readonly #creds: Credentials;
  private readonly transport: HttpTransport;
  private readonly bucketRoutes = new Map<string, Route>();
  /** Buckets the caller routed by hand; listBuckets must not overwrite those. */
  private readonly pinnedBuckets = new Set<string>();
  private readonly onRequestLog?: (entry: RequestLogEntry) => void;
  private readonly onEndpointRefused?: (e: EndpointRefusal) => void;
  /** `bucket\nlisted` pairs already reported, so a listing repeated on every refresh says it once. */
  private readonly refusedEndpoints = new Set<string>();
  private readonly now: () => Date;

  constructor(options: OssClientOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('OssClient needs an options object');
    if (typeof options.accessKeyId !== 'string' || options.accessKeyId === '') {
      throw new TypeError('accessKeyId is required');
    }
    if (typeof options.accessKeySecret !== 'string' || options.accessKeySecret === '') {
      throw new TypeError('accessKeySecret is required');
    }
    this.#creds = {
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      ...(options.securityToken ? { securityToken: options.securityToken } : {}),
    };
    const version = options.signatureVersion ?? 'v4';
    if (version !== 'v1' && version !== 'v4') throw new TypeError(`signatureVersion must be 'v1' or 'v4', got ${String(version)}`);
    this.signatureVersion = version;

    const givenRegion = options.region ? normalizeRegion(options.region) : undefined;
    if (options.endpoint) this.ep = parseEndpoint(options.endpoint);
    else if (givenRegion) this.ep = parseEndpoint(regionEndpoint(givenRegion));
    else throw new TypeError('OssClient needs a region or an endpoint');
    this.endpoint = this.ep.origin;
    this.style = defaultStyle(this.ep, options);

    const region =
      givenRegion ??
      regionFromHost(this.ep.hostname) ??
      (isIpOrLocalhost(this.ep.hostname) ? LOCAL_DEFAULT_REGION : undefined);
    if (region === undefined && version === 'v4') {
      throw new TypeError(
        `cannot tell the region of endpoint ${this.endpoint}; give the region option (e.g. cn-hangzhou) for V4 signing`,
      );
    }
    if (region !== undefined) this.region = region;

    const t = options.timeouts ?? {};
    const connections = options.connections ?? DEFAULT_CONNECTIONS;
    if (!Number.isInteger(connections) || connections < 1) throw new TypeError(`connections must be a positive whole number, got ${connections}`);
    this.transport = new HttpTransport({
      connections,
      connectMs: t.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
      headersMs: t.headersMs ?? DEFAULT_TIMEOUTS.headersMs,
      bodyIdleMs: t.bodyIdleMs ?? DEFAULT_TIMEOUTS.bodyIdleMs,
      minSpeedBytesPerSec: t.minSpeedBytesPerSec ?? DEFAULT_TIMEOUTS.minSpeedBytesPerSec,
      minSpeedWindowMs: t.minSpeedWindowMs ?? DEFAULT_TIMEOUTS.minSpeedWindowMs,
    });
    if (options.onRequestLog) this.onRequestLog = options.onRequestLog;
    if (options.onEndpointRefused) this.onEndpointRefused = options.onEndpointRefused;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Sends this bucket's requests to another endpoint (its own region's, or a custom one).
   * The region for V4 comes from the host when it names one, else stays the client's.
   */
  setBucketEndpoint(bucket: string, endpointOrHost: string, region?: string): void {
    this.setRoute(bucket, endpointOrHost, region);
    this.pinnedBuckets.add(bucket);
  }

  private setRoute(bucket: string, endpointOrHost: string, region?: string): void {
    const endpoint = parseEndpoint(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(endpointOrHost.trim()) ? endpointOrHost : `${this.ep.protocol}//${endpointOrHost.trim()}`,
    );
    const r = region ? normalizeRegion(region) : (regionFromHost(endpoint.hostname) ?? this.region);
    const route: Route = { endpoint, style: defaultStyle(endpoint, {}) };
    if (r !== undefined) route.region = r;
    this.bucketRoutes.set(bucket, route);
  }

  /** Where a bucket's requests go (for display and tests). */
  bucketEndpoint(bucket: string): string {
    return (this.bucketRoutes.get(bucket)?.endpoint ?? this.ep).origin;
  }

  /**
   * Learns a bucket's own endpoint from a listing, but only against real OSS and only an endpoint
   * that passes checkListedEndpoint: anything else leaves the bucket where it was, said once.
   */
  private learnBucket(b: BucketInfo): void {
    if (this.style === 'cname' || this.pinnedBuckets.has(b.name)) return;
    const judged = listedBucketRoute(this.ep, b);
    if (!judged) return;
    if ('refused' in judged) {
      const seen = `${b.name}\n${judged.listed}`;
      if (this.refusedEndpoints.has(seen)) return;
      this.refusedEndpoints.add(seen);
      this.onEndpointRefused?.({ bucket: b.name, listed: judged.listed, reason: judged.refused, kept: this.bucketEndpoint(b.name) });
      return;
    }
    try {
      this.setRoute(b.name, judged.origin, b.region || undefined);
    } catch {
      // A malformed region in a listing leaves the bucket on the client's endpoint.
    }
  }

  private route(bucket: string | undefined): Route {
    const r = bucket === undefined ? undefined : this.bucketRoutes.get(bucket);
    if (r) return r;
    const route: Route = { endpoint: this.ep, style: this.style };
    if (this.region !== undefined) route.region = this.region;
    return route;
  }

  // ---------- the one request path ----------

  private async send(op: Op): Promise<RawResponse> {
    const started = Date.now();
    const ctx: ErrorContext = { operation: op.operation };
    if (op.bucket !== undefined) ctx.bucket = op.bucket;
    if (op.key !== undefined) ctx.key = op.key;
    let status = 0;
    let requestId: string | undefined;
    try {
      if (op.bucket !== undefined && (typeof op.bucket !== 'string' || op.bucket === '')) {
        throw invalidArgument(ctx, 'bucket name is empty', 'InvalidBucketName');
      }
      if (op.key !== undefined && (typeof op.key !== 'string' || op.key === '')) {
        // An empty key would turn an object request into a bucket request (DELETE / deletes the bucket).
        throw invalidArgument(ctx, 'object key is empty', 'InvalidObjectName');
      }
      const route = this.route(op.bucket);
      let target;
      try {
        target = requestTarget(route.endpoint, route.style, op.bucket, op.key);
      } catch (e) {
        throw invalidArgument(ctx, (e as Error).message, op.bucket !== undefined ? 'InvalidBucketName' : 'InvalidArgument');
      }
      const query = op.query ?? {};
      const headers = lowerCaseHeaders(op.headers);
      if (op.body && headers['content-type'] === undefined) headers['content-type'] = 'application/octet-stream';
      try {
        signRequest({
          method: op.method,
          bucket: op.bucket,
          key: op.key,
          query,
          headers,
          creds: this.#creds,
          version: this.signatureVersion,
          region: route.region,
          now: this.now(),
        });
      } catch (e) {
        if (e instanceof OssError) throw e;
        throw invalidArgument(ctx, (e as Error).message);
      }
      // Opened last: from here on the transport owns (and closes) the stream.
      const body = op.body?.open();
      const res = await this.transport.request({
        origin: target.origin,
        path: withQuery(target.path, query),
        method: op.method,
        headers,
        ...(body !== undefined ? { body, bodyLength: op.body!.length } : {}),
        ...(op.signal ? { signal: op.signal } : {}),
        ...(op.onUploadProgress ? { onUploadProgress: op.onUploadProgress } : {}),
        ctx,
      });
      status = res.status;
      requestId = res.headers['x-oss-request-id'];
      if (res.status >= 200 && res.status < 300) {
        this.log(op, started, status, requestId);
        return res;
      }
      const text = op.method === 'HEAD' ? (discardBody(res.body), '') : await readErrorBody(res.body);
      throw errorFromHttpFailure({ ...ctx, status: res.status, headers: res.headers, body: text });
    } catch (e) {
      const err = e instanceof OssError ? e : invalidArgument(ctx, (e as Error)?.message ?? String(e), 'ClientError');
      this.log(op, started, err.status || status, err.requestId || requestId, err.code);
      throw err;
    }
  }

  private log(op: Op, started: number, status: number, requestId: string | undefined, error?: string): void {
    if (!this.onRequestLog) return;
    const entry: RequestLogEntry = { operation: op.operation, method: op.method, status, durationMs: Date.now() - started };
    if (op.bucket !== undefined) entry.bucket = op.bucket;
    if (op.key !== undefined) entry.key = op.key;
    if (requestId) entry.requestId = requestId;
    if (error) entry.error = error;
    try {
      this.onRequestLog(entry);
    } catch {
      // A failing logger must not fail the request.
    }
  }

  /**
   * Sends, reads the XML body (within XML_BODY_LIMITS) and parses it; a malformed or oversized
   * document becomes OssError 'InvalidResponse'.
   */
  private async sendXml<T>(op: Op, parse: (xml: string) => T): Promise<{ res: RawResponse; value: T }> {
    const res = await this.send(op);
    const invalid = (message: string, details?: Record<string, string>): OssError =>
      new OssError({
        operation: op.operation,
        bucket: op.bucket,
        key: op.key,
        code: 'InvalidResponse',
        message,
        status: res.status,
        requestId: meta(res).requestId,
        retryable: false,
        ...(details ? { details } : {}),
      });
    let text: string;
    try {
      text = await readBoundedText(res.body);
    } catch (e) {
      if (e instanceof OssError) throw e;
      if (e instanceof BodyLimitError) throw invalid(bodyLimitMessage(e, op.operation), { limit: String(e.limit), limitOf: e.exceeded });
      throw new OssError({ operation: op.operation, bucket: op.bucket, key: op.key, code: 'NetworkError', message: String(e), status: res.status, requestId: meta(res).requestId, retryable: true, cause: e });
    }
    try {
      return { res, value: parse(text) };
    } catch (e) {
      if (!(e instanceof XmlShapeError)) throw e;
      // Some servers answer 200 with an <Error> document; report it as the error it is. A real
      // one is small, so a large body is not searched (nor cleaned up for a message).
      if (text.length <= MAX_ERROR_DOCUMENT && text.includes('<Error>')) {
        const asError = errorFromHttpFailure({ operation: op.operation, bucket: op.bucket, key: op.key, status: res.status, headers: res.headers, body: text });
        if (asError.code) throw asError;
      }
      throw invalid(e.message);
    }
  }

  /** Sends and discards the (empty) success body. */
  private async sendEmpty(op: Op): Promise<RawResponse> {
    const res = await this.send(op);
    discardBody(res.body);
    return res;
  }

  private async body(ctx: ErrorContext, input: PutObjectOptions['body'], contentLength?: number): Promise<PreparedBody> {
    try {
      return await prepareBody(input, contentLength);
    } catch (e) {
      throw invalidArgument(ctx, (e as Error).message);
    }
  }

  // ---------- buckets ----------

  async listBuckets(opts: ListBucketsOptions = {}): Promise<ListBucketsResult> {
    const ctx = { operation: 'ListBuckets' };
    checkMax(ctx, 'maxKeys', opts.maxKeys, 1000);
    const { res, value } = await this.sendXml(
      {
        ...ctx,
        method: 'GET',
        query: defined({ prefix: opts.prefix, marker: opts.marker, 'max-keys': opts.maxKeys }),
        ...signalOf(opts),
      },
      parseListBuckets,
    );
    for (const b of value.buckets) this.learnBucket(b);
    return { ...meta(res), ...value };
  }

  async getBucketInfo(opts: BucketOptions): Promise<BucketInfo> {
    const { value } = await this.sendXml(
      { operation: 'GetBucketInfo', method: 'GET', bucket: opts.bucket, query: { bucketInfo: '' }, ...signalOf(opts) },
      parseBucketInfo,
    );
    this.learnBucket(value);
    return value;
  }

  async createBucket(opts: CreateBucketOptions): Promise<ResponseMeta> {
    const headers: Record<string, string> = {};
    if (opts.acl) headers['x-oss-acl'] = opts.acl;
    let body: PreparedBody | undefined;
    if (opts.storageClass) {
      const xml = buildCreateBucketBody(opts.storageClass);
      headers['content-type'] = 'application/xml';
      body = await prepareBody(xml);
    }
    const res = await this.sendEmpty({
      operation: 'PutBucket',
      method: 'PUT',
      bucket: opts.bucket,
      headers,
      ...(body ? { body } : {}),
      ...signalOf(opts),
    });
    return meta(res);
  }

  async deleteBucket(opts: BucketOptions): Promise<ResponseMeta> {
    const res = await this.sendEmpty({ operation: 'DeleteBucket', method: 'DELETE', bucket: opts.bucket, ...signalOf(opts) });
    return meta(res);
  }

  // ---------- listing ----------

  async listObjectsV2(opts: ListObjectsV2Options): Promise<ListObjectsV2Result> {
    checkMax({ operation: 'ListObjectsV2', bucket: opts.bucket }, 'maxKeys', opts.maxKeys, 1000);
    const { res, value } = await this.sendXml(
      {
        operation: 'ListObjectsV2',
        method: 'GET',
        bucket: opts.bucket,
        query: defined({
          'list-type': 2,
          prefix: opts.prefix,
          delimiter: opts.delimiter,
          'start-after': opts.startAfter,
          'continuation-token': opts.continuationToken,
          'max-keys': opts.maxKeys,
          'fetch-owner': opts.fetchOwner ? 'true' : undefined,
          // Always: keys may hold characters an XML document cannot carry.
          'encoding-type': 'url',
        }),
        ...signalOf(opts),
      },
      parseListObjectsV2,
    );
    return { ...meta(res), ...value };
  }

  // ---------- objects ----------

  async headObject(opts: ObjectOptions): Promise<HeadObjectResult> {
    const ctx = { operation: 'HeadObject', bucket: opts.bucket, key: opts.key };
    const res = await this.sendEmpty({ ...ctx, method: 'HEAD', ...signalOf(opts) });
    const h = res.headers;
    const checked = new ResponseHeaders(h, ctx, res.status);
    const metaHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (k.startsWith('x-oss-meta-')) metaHeaders[k.slice('x-oss-meta-'.length)] = v;
    const result: HeadObjectResult = {
      ...meta(res),
      // Required: a HEAD without a size would plan a download of nothing; without an ETag, one without If-Match.
      size: checked.contentLength(true),
      etag: checked.etag(true),
      lastModified: checked.date('last-modified') ?? '',
      meta: metaHeaders,
    };
    const crc = checked.crc64();
    if (crc !== undefined) result.crc64 = crc;
    const ct = optionalHeader(h, 'content-type');
    if (ct) result.contentType = ct;
    const ot = optionalHeader(h, 'x-oss-object-type');
    if (ot) result.objectType = ot;
    const sc = optionalHeader(h, 'x-oss-storage-class');
    if (sc) result.storageClass = sc;
    return result;
  }

  /** The body streams; the caller must consume or destroy it. Aborting the signal destroys it. */
  async getObject(opts: GetObjectOptions): Promise<GetObjectResult> {
    const ctx = { operation: 'GetObject', bucket: opts.bucket, key: opts.key };
    const headers = lowerCaseHeaders(opts.headers);
    if (opts.range) {
      const { start, end } = opts.range;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
        throw invalidArgument(ctx, `range must be whole numbers with 0 <= start <= end, got ${start}-${end}`);
      }
      headers['range'] = `bytes=${start}-${end}`;
    }
    if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
    if (opts.ifNoneMatch) headers['if-none-match'] = opts.ifNoneMatch;
    if (opts.strictRange) headers['x-oss-range-behavior'] = 'standard';
    const res = await this.send({ ...ctx, method: 'GET', headers, ...signalOf(opts) });
    const h = res.headers;
    const checked = new ResponseHeaders(h, ctx, res.status);
    let result: GetObjectResult;
    try {
      result = {
        ...meta(res),
        body: res.body,
        // Absent when the body is chunked.
        contentLength: checked.contentLength(false) ?? -1,
        // Optional here: the engine compares it with HEAD's, where it is required.
        etag: checked.etag(false),
        lastModified: checked.date('last-modified') ?? '',
      };
      // A 206 must say which bytes it holds (a ranged answer without it cannot be placed).
      const cr = checked.contentRange(res.status === 206);
      if (cr) result.contentRange = cr;
      const crc = checked.crc64();
      if (crc !== undefined) result.crc64 = crc;
    } catch (e) {
      res.body.on('error', () => undefined);
      res.body.destroy();
      throw e;
    }
    const ct = optionalHeader(h, 'content-type');
    if (ct) result.contentType = ct;
    return result;
  }

  async putObject(opts: PutObjectOptions): Promise<PutObjectResult> {
    const ctx = { operation: 'PutObject', bucket: opts.bucket, key: opts.key };
    const body = await this.body(ctx, opts.body, opts.contentLength);
    const headers = lowerCaseHeaders(opts.headers);
    headers['content-type'] = opts.contentType ?? headers['content-type'] ?? 'application/octet-stream';
    if (opts.contentMd5) headers['content-md5'] = opts.contentMd5;
    const res = await this.sendEmpty({
      ...ctx,
      method: 'PUT',
      headers,
      body,
      ...signalOf(opts),
      ...(opts.onUploadProgress ? { onUploadProgress: opts.onUploadProgress } : {}),
    });
    return storedResult(res, ctx, false);
  }

  /** 204 whether or not the key existed (OSS semantics). */
  async deleteObject(opts: ObjectOptions): Promise<ResponseMeta> {
    const res = await this.sendEmpty({ operation: 'DeleteObject', method: 'DELETE', bucket: opts.bucket, key: opts.key, ...signalOf(opts) });
    return meta(res);
  }

  /**
   * Deletes in batches of 1000 (one request each, in order). The metadata is the last
   * request's; an empty key list sends nothing and returns status 0.
   */
  async deleteObjects(opts: DeleteObjectsOptions): Promise<DeleteObjectsResult> {
    const ctx = { operation: 'DeleteMultipleObjects', bucket: opts.bucket };
    if (!Array.isArray(opts.keys)) throw invalidArgument(ctx, 'keys must be an array of object keys');
    for (const k of opts.keys) if (typeof k !== 'string' || k === '') throw invalidArgument(ctx, 'keys must not hold empty keys', 'InvalidObjectName');
    const deleted: string[] = [];
    let last: ResponseMeta = { status: 0, requestId: '', headers: {} };
    for (let i = 0; i < opts.keys.length; i += DELETE_BATCH) {
      let xml: string;
      try {
        xml = buildDeleteBody(opts.keys.slice(i, i + DELETE_BATCH), opts.quiet ?? false);
      } catch (e) {
        throw invalidArgument(ctx, (e as Error).message, 'InvalidObjectName');
      }
      const body = await prepareBody(xml);
      const { res, value } = await this.sendXml(
        {
          ...ctx,
          method: 'POST',
          query: { delete: '', 'encoding-type': 'url' },
          headers: { 'content-type': 'application/xml', 'content-md5': md5Base64(xml) },
          body,
          ...signalOf(opts),
        },
        parseDeleteResult,
      );
      // One at a time: spreading a long array into push() overflows the call stack.
      for (const k of value.deleted) deleted.push(k);
      last = meta(res);
    }
    return { ...last, deleted };
  }

  async copyObject(opts: CopyObjectOptions): Promise<CopyObjectResult> {
    const ctx = { operation: 'CopyObject', bucket: opts.bucket, key: opts.key };
    if (!opts.sourceBucket || !opts.sourceKey) throw invalidArgument(ctx, 'sourceBucket and sourceKey are required');
    const headers = lowerCaseHeaders(opts.headers);
    headers['x-oss-copy-source'] = `/${opts.sourceBucket}/${encodeKeyForPath(opts.sourceKey)}`;
    const { res, value } = await this.sendXml({ ...ctx, method: 'PUT', headers, ...signalOf(opts) }, parseCopyObject);
    return { ...meta(res), ...value };
  }

  // ---------- multipart ----------

  async initiateMultipartUpload(opts: InitiateMultipartUploadOptions): Promise<InitiateMultipartUploadResult> {
    const headers = lowerCaseHeaders(opts.headers);
    // The object's eventual Content-Type is set here, not at Complete.
    headers['content-type'] = opts.contentType ?? headers['content-type'] ?? 'application/octet-stream';
    const { res, value } = await this.sendXml(
      { operation: 'InitiateMultipartUpload', method: 'POST', bucket: opts.bucket, key: opts.key, query: { uploads: '' }, headers, ...signalOf(opts) },
      parseInitiateMultipartUpload,
    );
    return { ...meta(res), ...value };
  }

  async uploadPart(opts: UploadPartOptions): Promise<UploadPartResult> {
    const ctx = { operation: 'UploadPart', bucket: opts.bucket, key: opts.key };
    checkMax(ctx, 'partNumber', opts.partNumber, 10000);
    if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
    const body = await this.body(ctx, opts.body, opts.contentLength);
    const res = await this.sendEmpty({
      ...ctx,
      method: 'PUT',
      query: { partNumber: String(opts.partNumber), uploadId: opts.uploadId },
      headers: { 'content-type': 'application/octet-stream' },
      body,
      ...signalOf(opts),
      ...(opts.onUploadProgress ? { onUploadProgress: opts.onUploadProgress } : {}),
    });
    return storedResult(res, ctx, true);
  }

  /** Parts are sent in the order given; the server rejects a wrong order (InvalidPartOrder). */
  async completeMultipartUpload(opts: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult> {
    const ctx = { operation: 'CompleteMultipartUpload', bucket: opts.bucket, key: opts.key };
    if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
    if (!Array.isArray(opts.parts) || opts.parts.length === 0) throw invalidArgument(ctx, 'parts must list at least one part');
    const xml = buildCompleteBody(opts.parts);
    const headers = lowerCaseHeaders(opts.headers);
    headers['content-type'] = 'application/xml';
    headers['content-md5'] = md5Base64(xml);
    const { res, value } = await this.sendXml(
      { ...ctx, method: 'POST', query: { uploadId: opts.uploadId }, headers, body: await prepareBody(xml), ...signalOf(opts) },
      parseCompleteMultipartUpload,
    );
    const result: CompleteMultipartUploadResult = { ...meta(res), ...value };
    const crc = new ResponseHeaders(res.headers, ctx, res.status).crc64();
    if (crc !== undefined) result.crc64 = crc;
    return result;
  }

  async abortMultipartUpload(opts: AbortMultipartUploadOptions): Promise<ResponseMeta> {
    const ctx = { operation: 'AbortMultipartUpload', bucket: opts.bucket, key: opts.key };
    if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
    const res = await this.sendEmpty({ ...ctx, method: 'DELETE', query: { uploadId: opts.uploadId }, ...signalOf(opts) });
    return meta(res);
  }

  async listParts(opts: ListPartsOptions): Promise<ListPartsResult> {
    const ctx = { operation: 'ListParts', bucket: opts.bucket, key: opts.key };
    if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
    checkMax(ctx, 'maxParts', opts.maxParts, 1000);
    const { res, value } = await this.sendXml(
      {
        ...ctx,
        method: 'GET',
        query: defined({ uploadId: opts.uploadId, 'max-parts': opts.maxParts, 'part-number-marker': opts.partNumberMarker }),
        ...signalOf(opts),
      },
      parseListParts,
    );
    return { ...meta(res), ...value };
  }

  async listMultipartUploads(opts: ListMultipartUploadsOptions): Promise<ListMultipartUploadsResult> {
    const ctx = { operation: 'ListMultipartUploads', bucket: opts.bucket };
    checkMax(ctx, 'maxUploads', opts.maxUploads, 1000);
    const { res, value } = await this.sendXml(
      {
        ...ctx,
        method: 'GET',
        query: {
          uploads: '',
          ...defined({
            prefix: opts.prefix,
            delimiter: opts.delimiter,
            'key-marker': opts.keyMarker,
            'upload-id-marker': opts.uploadIdMarker,
            'max-uploads': opts.maxUploads,
            'encoding-type': 'url',
          }),
        },
        ...signalOf(opts),
      },
      parseListMultipartUploads,
    );
    return { ...meta(res), ...value };
  }

  // ---------- presign ----------

  /**
   * A URL anyone can use until it expires. Synchronous: signing needs no I/O.
   * Keys with '.' or '..' path segments give a correct URL that browsers and fetch() cannot use:
   * WHATWG URL parsing removes those segments (even written as %2E) before sending.
   */
  presignUrl(opts: PresignOptions): string {
    const method = opts.method ?? 'GET';
    if (!opts.bucket) throw new TypeError('presignUrl needs a bucket');
    if (!opts.key) throw new TypeError('presignUrl needs a key');
    if (!Number.isSafeInteger(opts.expiresSeconds) || opts.expiresSeconds < 1) {
      throw new TypeError(`expiresSeconds must be a positive whole number, got ${opts.expiresSeconds}`);
    }
    const route = this.route(opts.bucket);
    const target = requestTarget(route.endpoint, route.style, opts.bucket, opts.key);
    const now = this.now();
    const base = { method, bucket: opts.bucket, key: opts.key, creds: this.#creds };
    const extra: Record<string, string> = {};
    if (opts.query) Object.assign(extra, opts.query);
    let added: Record<string, string>;
    if (this.signatureVersion === 'v4') {
      if (!route.region) throw new TypeError('V4 presigning needs a region');
      added = presignV4({
        ...base,
        isoDate: formatIsoBasic(now),
        expiresSeconds: opts.expiresSeconds,
        region: route.region,
        query: extra,
        headers: lowerCaseHeaders(opts.headers),
      });
    } else {
      added = presignV1({
        ...base,
        expires: Math.floor(now.getTime() / 1000) + opts.expiresSeconds,
        query: extra,
        headers: lowerCaseHeaders(opts.headers),
      });
    }
    return target.origin + withQuery(target.path, { ...extra, ...added });
  }

  /** Closes the connection pools; in-flight requests finish first. */
  async close(): Promise<void> {
    await this.transport.close();
  }
}

function signalOf(o: BaseOptions): { signal?: AbortSignal } {
  return o.signal ? { signal: o.signal } : {};
}

/**
 * Drains a body nobody reads. The listener matters: an abort that lands after the headers but before
 * the (empty) body ended errors the stream, and an 'error' with no listener would crash the process.
 */
function discardBody(body: NodeJS.ReadableStream): void {
  body.on('error', () => {});
  body.resume();
}
