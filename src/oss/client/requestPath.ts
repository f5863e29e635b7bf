// The one request path of the client: routes a bucket to its endpoint, signs (V4 by default, V1 on
// request), sends over the transport, reads bounded XML or empty bodies and turns every failure into
// an OssError. The operation families (bucketOperations.ts, objectOperations.ts, …) build on it.
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
import { HttpTransport, readErrorBody } from '../http/httpTransport.js';
import { OssError } from '../ossError.js';
import { formatIsoBasic } from '../signing/ossDate.js';
import { presignV1, presignV4 } from '../signing/presign.js';
import { BodyLimitError, bodyLimitMessage, readBoundedText } from '../xml/responseLimits.js';
import { signRequest } from '../signing/authorizationHeaders.js';
import { StaticCredentialsProvider, isCredentialsProvider } from '../credentials/credentialsProvider.js';
import { sendWithRenewal } from './credentialRenewal.js';
import type {
  BucketInfo,
  CredentialsProvider,
  EndpointRefusal,
  OssClientOptions,
  PresignOptions,
  PutObjectOptions,
  RequestLogEntry,
  ResolvedCredentials,
  SignatureVersion,
} from '../types.js';
import { XmlShapeError } from '../xml/xmlParse.js';
import { type Op, type RawResponse, invalidArgument, meta, lowerCaseHeaders, discardBody } from './requestShapes.js';
import { DEFAULT_TIMEOUTS, DEFAULT_CONNECTIONS, LOCAL_DEFAULT_REGION, MAX_ERROR_DOCUMENT } from './clientDefaults.js';

interface Route {
  endpoint: Endpoint;
  style: AddressingStyle;
  region?: string;
}

export class RequestPath {
  /** Normalised origin of the configured endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string;
  /** Region used for V4 signing (without `oss-`); undefined only for V1 on a custom domain. */
  readonly region?: string;
  readonly signatureVersion: SignatureVersion;

  private readonly ep: Endpoint;
  private readonly style: AddressingStyle;
  // A #private field: util.inspect, JSON.stringify and object spreads never show the secret.
  readonly #provider: CredentialsProvider;
  readonly transport: HttpTransport;
  private readonly bucketRoutes = new Map<string, Route>();
  /** Buckets the caller routed by hand; listBuckets must not overwrite those. */
  private readonly pinnedBuckets = new Set<string>();
  private readonly onRequestLog?: (entry: RequestLogEntry) => void;
  private readonly onEndpointRefused?: (e: EndpointRefusal) => void;
  /** `bucket\nlisted` pairs already reported, so a listing repeated on every refresh says it once. */
  private readonly refusedEndpoints = new Set<string>();
  readonly now: () => Date;

  constructor(options: OssClientOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('OssClient needs an options object');
    if (options.credentialsProvider !== undefined) {
      if (!isCredentialsProvider(options.credentialsProvider)) throw new TypeError('credentialsProvider must be a CredentialsProvider');
      if (options.accessKeyId !== undefined || options.accessKeySecret !== undefined) {
        throw new TypeError('give either credentialsProvider or accessKeyId + accessKeySecret, not both');
      }
      this.#provider = options.credentialsProvider;
    } else {
      if (typeof options.accessKeyId !== 'string' || options.accessKeyId === '') {
        throw new TypeError('accessKeyId is required');
      }
      if (typeof options.accessKeySecret !== 'string' || options.accessKeySecret === '') {
        throw new TypeError('accessKeySecret is required');
      }
      this.#provider = new StaticCredentialsProvider({
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        ...(options.securityToken ? { securityToken: options.securityToken } : {}),
      });
    }
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
      ...(options.network ? { network: options.network } : {}),
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
  learnBucket(b: BucketInfo): void {
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

  route(bucket: string | undefined): Route {
    const r = bucket === undefined ? undefined : this.bucketRoutes.get(bucket);
    if (r) return r;
    const route: Route = { endpoint: this.ep, style: this.style };
    if (this.region !== undefined) route.region = this.region;
    return route;
  }

  // ---------- the one request path ----------

  /** The kind of credentials this client signs with. */
  get credentialKind(): CredentialsProvider['kind'] {
    return this.#provider.kind;
  }

  /** Credentials valid now (renewed ahead of expiry by a refreshing provider). */
  credentials(signal?: AbortSignal): Promise<ResolvedCredentials> {
    return this.#provider.getCredentials(signal);
  }

  /**
   * Signs with the provider's credentials and sends; a rejection of the credentials themselves is
   * handled in sendWithRenewal (credentialRenewal.ts).
   */
  send(op: Op): Promise<RawResponse> {
    return sendWithRenewal(this.#provider, op, (creds) => this.sendSigned(op, creds));
  }

  private async sendSigned(op: Op, creds: ResolvedCredentials): Promise<RawResponse> {
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
          creds,
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
  async sendXml<T>(op: Op, parse: (xml: string) => T): Promise<{ res: RawResponse; value: T }> {
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
  async sendEmpty(op: Op): Promise<RawResponse> {
    const res = await this.send(op);
    discardBody(res.body);
    return res;
  }

  async body(ctx: ErrorContext, input: PutObjectOptions['body'], contentLength?: number): Promise<PreparedBody> {
    try {
      return await prepareBody(input, contentLength);
    } catch (e) {
      throw invalidArgument(ctx, (e as Error).message);
    }
  }

  // ---------- presign ----------

  /**
   * A URL anyone can use until it expires. Synchronous: signing needs no I/O.
   * Keys with '.' or '..' path segments give a correct URL that browsers and fetch() cannot use:
   * WHATWG URL parsing removes those segments (even written as %2E) before sending.
   */
  presignUrl(opts: PresignOptions, creds: ResolvedCredentials | undefined = this.#provider.current()): string {
    if (!creds) throw new TypeError('no valid credentials are at hand yet for presigning; use presign(), which fetches them');
    const method = opts.method ?? 'GET';
    if (!opts.bucket) throw new TypeError('presignUrl needs a bucket');
    if (!opts.key) throw new TypeError('presignUrl needs a key');
    if (!Number.isSafeInteger(opts.expiresSeconds) || opts.expiresSeconds < 1) {
      throw new TypeError(`expiresSeconds must be a positive whole number, got ${opts.expiresSeconds}`);
    }
    const route = this.route(opts.bucket);
    const target = requestTarget(route.endpoint, route.style, opts.bucket, opts.key);
    const now = this.now();
    const base = { method, bucket: opts.bucket, key: opts.key, creds };
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

  /** Closes the connection pools (and the credentials provider's); in-flight requests finish first. */
  async close(): Promise<void> {
    await Promise.all([this.transport.close(), this.#provider.close()]);
  }
}
