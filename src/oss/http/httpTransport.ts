// HTTP on undici: one keep-alive pool per origin (direct or through a proxy: networkRoutes.ts),
// streamed request and response bodies, timeouts, upload progress, and AbortSignal cancellation
// that tears the socket down at once. Failures below HTTP come out as OssError (see
// errorResponse.ts; the proxy's and the certificates' in networkFailure.ts).
// This layer never retries: the transfer engine owns the retry policy.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { OssError, REQUEST_TIMEOUT } from '../ossError.js';
import { abortedError, networkError, type ErrorContext } from '../errorResponse.js';
import { bufferStream, isChunkSource } from './bodySource.js';
import { ChunkMeter } from './chunkMeter.js';
import { IdleTimer } from './idleTimer.js';
import { SpeedFloor, type SpeedFloorOptions } from './speedFloor.js';
import type { ChunkSource } from '../types.js';
import { subscribeAbort } from './abortFanout.js';
import { networkPathFailure } from './networkFailure.js';
import { NetworkRoutes } from './networkRoutes.js';
import type { NetworkOptions } from '../types.js';

export interface TransportOptions {
  connections: number;
  connectMs: number;
  headersMs: number;
  bodyIdleMs: number;
  /** A body (either way) averaging less than this over minSpeedWindowMs is cut; 0 = off. */
  minSpeedBytesPerSec: number;
  minSpeedWindowMs: number;
  /** Proxy and trusted CAs; absent: direct, Node's default CAs. */
  network?: NetworkOptions;
}

export interface HttpRequest {
  origin: string;
  /** Encoded path and query, sent verbatim (no dot-segment normalisation: keys may hold '..'). */
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer | Readable | ChunkSource;
  /** Exact byte count of `body` (checked while streaming). */
  bodyLength?: number;
  signal?: AbortSignal;
  onUploadProgress?: (sentBytes: number) => void;
  ctx: ErrorContext;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Must be consumed or destroyed. Errors on it are OssErrors. */
  body: Readable;
}

/** Buffers above this are streamed in slices so progress and the idle check see them move. */
const INLINE_BUFFER_MAX = 1024 * 1024;
const RESPONSE_HIGH_WATER_MARK = 512 * 1024;
/** Error bodies are read to keep the socket reusable, but only this much is kept. */
export const ERROR_BODY_KEEP = 64 * 1024;
const ERROR_BODY_DRAIN_MAX = 1024 * 1024;

export const LOCAL_READ_ERROR = 'LocalReadError';
export const BODY_LENGTH_MISMATCH = 'BodyLengthMismatch';

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * Counts request-body bytes as undici reads them (progress), checks the declared length, and
 * notices a body that stops moving (undici's own timeouts only watch the response side).
 */
class UploadMeter extends Transform {
  private sent = 0;
  private readonly idle: IdleTimer;
  sourceError: unknown;

  constructor(
    private readonly expected: number,
    idleMs: number,
    onIdle: () => void,
    private readonly floor: SpeedFloor,
    private readonly onProgress?: (n: number) => void,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.idle = new IdleTimer(idleMs, onIdle);
    this.idle.arm();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.sent += chunk.length;
    if (this.sent > this.expected) {
      cb(new TypeError(`request body is longer than its declared length ${this.expected}`));
      return;
    }
    this.idle.arm();
    // The watch starts with the first byte (not while connecting) and ends with the last one.
    this.floor.release();
    this.floor.add(chunk.length);
    this.onProgress?.(this.sent);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.idle.disarm();
    this.floor.stop();
    if (this.sent !== this.expected) {
      cb(new TypeError(`request body ended after ${this.sent} of its declared ${this.expected} bytes`));
      return;
    }
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.idle.disarm();
    this.floor.stop();
    cb(err);
  }
}

/** Re-emits undici's response body with errors mapped to OssError and cleanup on close. */
class ResponseBody extends Readable {
  private finished = false;
  private readonly floor: SpeedFloor;
  constructor(
    private readonly src: Readable,
    private readonly mapError: (e: unknown) => OssError,
    private readonly onClose: () => void,
    floor: SpeedFloorOptions,
    tooSlow: (moved: number) => OssError,
  ) {
    super({ highWaterMark: RESPONSE_HIGH_WATER_MARK });
    this.floor = new SpeedFloor(floor, (moved) => this.destroy(tooSlow(moved)));
    src.on('data', (chunk: Buffer) => {
      this.floor.add(chunk.length);
      if (!this.push(chunk)) {
        src.pause();
        // Our reader is behind: that time is not the server's.
        this.floor.hold();
      }
    });
    src.on('end', () => {
      this.finished = true;
      this.floor.stop();
      this.push(null);
    });
    src.on('error', (e) => this.destroy(this.mapError(e)));
    src.pause();
  }

  override _read(): void {
    this.floor.release();
    this.src.resume();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.floor.stop();
    // Destroying an unfinished undici body aborts its request and closes that socket.
    if (!this.finished) this.src.destroy();
    this.onClose();
    cb(err);
  }
}

const KEEP_ALIVE_MS = 10_000;

export class HttpTransport {
  private routes: NetworkRoutes;

  constructor(private readonly opts: TransportOptions) {
    this.routes = this.newRoutes();
  }

  private newRoutes(): NetworkRoutes {
    const o = this.opts;
    return new NetworkRoutes({ connections: o.connections, connectMs: o.connectMs, headersMs: o.headersMs, bodyIdleMs: o.bodyIdleMs, keepAliveMs: KEEP_ALIVE_MS, ...(o.network ? { network: o.network } : {}) });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (req.signal?.aborted) {
      if (req.body instanceof Readable) req.body.destroy();
      throw abortedError(req.ctx, req.signal.reason);
    }

    // Our own controller, so the abort reason undici propagates (to the promise and to the
    // response body) is already the OssError we want callers to see.
    const controller = new AbortController();
    const onUserAbort = (): void => controller.abort(abortedError(req.ctx, req.signal?.reason));
    const unsubscribe = req.signal ? subscribeAbort(req.signal, onUserAbort) : undefined;
    let meter: UploadMeter | undefined;
    let chunkMeter: ChunkMeter | undefined;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      unsubscribe?.();
      // A server may answer before reading the whole body (an early 403); the rest is dropped.
      if (meter && !meter.writableFinished) meter.destroy();
      chunkMeter?.stop();
    };

    let body: Buffer | Readable | ChunkSource | undefined = req.body;
    const idleAbort = (): void =>
      controller.abort(
        new OssError({
          ...req.ctx,
          code: REQUEST_TIMEOUT,
          message: `request body did not move for ${this.opts.bodyIdleMs} ms`,
          status: 0,
          retryable: true,
        }),
      );
    const tooSlowAbort = (moved: number): void => controller.abort(this.tooSlow(req.ctx, moved));
    if (isChunkSource(body)) {
      const length = req.bodyLength;
      if (length === undefined) throw new TypeError('a chunk source request body needs bodyLength');
      chunkMeter = new ChunkMeter(body, length, this.opts.bodyIdleMs, idleAbort, req.onUploadProgress, new SpeedFloor(this.floorOptions(), tooSlowAbort));
      body = chunkMeter;
      req.headers['content-length'] = String(length);
    } else if (body !== undefined) {
      const length = req.bodyLength ?? (Buffer.isBuffer(body) ? body.length : undefined);
      if (length === undefined) throw new TypeError('a streamed request body needs bodyLength');
      const small = Buffer.isBuffer(body) && body.length <= INLINE_BUFFER_MAX && !req.onUploadProgress;
      if (!small) {
        const source: Readable = Buffer.isBuffer(body) ? bufferStream(body) : body;
        const m = new UploadMeter(length, this.opts.bodyIdleMs, idleAbort, new SpeedFloor(this.floorOptions(), tooSlowAbort), req.onUploadProgress);
        source.on('error', (e) => {
          m.sourceError = e;
          m.destroy(e);
        });
        m.on('error', () => {
          /* surfaced through undici's rejection */
        });
        // Whatever ends the request early (abort, reset, early answer) must also close the
        // source, or a file stream would keep its descriptor open.
        m.on('close', () => {
          if (!source.destroyed && !source.readableEnded) source.destroy();
        });
        source.pipe(m);
        meter = m;
        body = m;
      }
      req.headers['content-length'] = String(length);
    }

    let res;
    const routes = this.routes;
    try {
      res = await routes.dispatcherFor(req.origin).request({
        origin: req.origin,
        path: req.path,
        method: req.method as 'GET',
        headers: req.headers,
        // undici documents AsyncIterable bodies (Dispatcher.md) though its typings omit them.
        body: (body ?? null) as Readable | Buffer | null,
        signal: controller.signal,
        // undici closes the connection after every HEAD (for servers that wrongly send a body); OSS
        // sends none, and a download's HEAD would otherwise cost its parts a new connection (and a TLS
        // handshake). A stray body would only break the next request on that socket, which is retried.
        ...(req.method === 'HEAD' ? { reset: false } : {}),
      });
    } catch (e) {
      const failure = this.requestFailure(e, req, meter ?? chunkMeter, routes);
      release();
      throw failure;
    }
    const headers = flattenHeaders(res.headers);
    const responseBody = new ResponseBody(res.body, (e) => networkError(e, req.ctx), release, this.floorOptions(), (moved) => this.tooSlow(req.ctx, moved));
    return { status: res.statusCode, headers, body: responseBody };
  }

  private floorOptions(): SpeedFloorOptions {
    return { minBytesPerSec: this.opts.minSpeedBytesPerSec, windowMs: this.opts.minSpeedWindowMs };
  }

  /** Retryable like a stall: a trickle is a stall that the idle timer cannot see. */
  private tooSlow(ctx: ErrorContext, moved: number): OssError {
    const { minSpeedBytesPerSec: min, minSpeedWindowMs: windowMs } = this.opts;
    return new OssError({
      ...ctx,
      code: REQUEST_TIMEOUT,
      message: `the body moved ${moved} bytes in ${windowMs / 1000} s, below the floor of ${min} B/s`,
      status: 0,
      retryable: true,
      details: { reason: 'belowSpeedFloor' },
    });
  }

  private requestFailure(e: unknown, req: HttpRequest, meter: { sourceError: unknown } | undefined, routes: NetworkRoutes): OssError {
    if (e instanceof OssError) return e;
    if (meter?.sourceError !== undefined) {
      const src = meter.sourceError as Error;
      return new OssError({
        ...req.ctx,
        code: LOCAL_READ_ERROR,
        message: `reading the request body failed: ${src.message}`,
        status: 0,
        retryable: false,
        cause: src,
      });
    }
    if (e instanceof TypeError && /request body/.test(e.message)) {
      return new OssError({ ...req.ctx, code: BODY_LENGTH_MISMATCH, message: e.message, status: 0, retryable: false, cause: e });
    }
    const route = routes.routeFor(req.origin);
    const path = { target: new URL(req.origin).host, ...(route ? { route, credentialsSent: routes.sendsProxyCredentials(route) } : {}) };
    return networkPathFailure(e, req.ctx, path) ?? networkError(e, req.ctx);
  }

  /**
   * Lets go of the idle connections, keeping the transport usable: requests in flight finish on
   * their connections, later ones open new ones. For a client that is being replaced (settings
   * changed) while a transfer still holds it: close() would fail that transfer's next request.
   */
  retire(): void {
    const old = this.routes;
    this.routes = this.newRoutes();
    void old.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.routes.close();
  }

  async destroy(): Promise<void> {
    await this.routes.destroy();
  }
}

/** Reads an error body (bounded) so the connection can be reused; returns its text. */
export async function readErrorBody(body: Readable): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (keptBytes < ERROR_BODY_KEEP) {
        kept.push(chunk);
        keptBytes += chunk.length;
      }
      if (total > ERROR_BODY_DRAIN_MAX) {
        body.destroy();
        break;
      }
    }
  } catch {
    // A broken error body still leaves the status and headers to report.
  }
  return Buffer.concat(kept).subarray(0, ERROR_BODY_KEEP).toString('utf8');
}
