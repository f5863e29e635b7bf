// Writes responses: the common headers (x-oss-request-id, Date, Server), XML bodies, OSS error XML
// (or, for HEAD, the x-oss-err header), and streamed bodies with the response-side faults (stall
// before the headers, reset or stall after N body bytes, a paced body) and byte counting for stats.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatRfc1123 } from '../../src/oss/signing/ossDate.js';
import type { ObjectMeta } from './diskStore.js';
import { openObjectReader, type ObjectReader } from './objectReader.js';
import { OssServerError, errorEc } from './ossServerError.js';
import { PACE_SLICE, pacerFor } from './pacer.js';
import { ConnectionGone, type RequestContext } from './requestContext.js';
import { BODY_OPS } from './routeOp.js';
import { xmlDocument, type XmlNode } from './xmlWriter.js';

export type Headers = Record<string, string | number>;

/** A stored object's bytes (a plain file or a multipart object's parts) as a response body. */
export interface ObjectBody {
  bucket: string;
  meta: ObjectMeta;
  /** inclusive byte offsets */
  start: number;
  end: number;
}

const CHUNK = 1024 * 1024;

export function baseHeaders(ctx: RequestContext): Headers {
  return {
    'x-oss-request-id': ctx.requestId,
    Date: formatRfc1123(new Date()),
    Server: 'AliyunOSS',
  };
}

function gone(ctx: RequestContext, why: string): ConnectionGone {
  ctx.res.socket?.destroy();
  return new ConnectionGone(why);
}

function waitDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    // Already gone (a killed client): 'close' has fired and will not again. Waiting would hang
    // the response forever, with the object's file handle open until GC closed it.
    if (res.destroyed || res.closed) {
      reject(new ConnectionGone('client went away while receiving the body'));
      return;
    }
    const done = () => {
      res.off('drain', done);
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', done);
      reject(new ConnectionGone('client went away while receiving the body'));
    };
    res.on('drain', done);
    res.on('close', closed);
  });
}

function bodyOpOf(ctx: RequestContext): boolean {
  return ctx.op !== undefined && BODY_OPS.has(ctx.op);
}

/** The response-side fault threshold (bytes of body after which to stall or reset), if any. */
function responseFault(ctx: RequestContext): { kind: 'reset' | 'stall'; after: number; ms: number } | undefined {
  const f = ctx.fault;
  if (!f || (ctx.op !== undefined && BODY_OPS.has(ctx.op))) return undefined;
  if (f.type === 'reset') return { kind: 'reset', after: f.afterBytes, ms: 0 };
  if (f.type === 'stall' && f.afterBytes !== undefined) return { kind: 'stall', after: f.afterBytes, ms: f.ms };
  return undefined;
}

async function* bodyChunks(body: Buffer | ObjectReader, range?: ObjectBody): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(body)) {
    for (let i = 0; i < body.length; i += CHUNK) yield body.subarray(i, i + CHUNK);
    return;
  }
  if (!range || range.end < range.start) return;
  yield* body.chunks(range.start, range.end, CHUNK);
}

/**
 * Sends status, headers and body. Content-Length is always set (no chunked responses). For HEAD
 * the body is not written but its length is announced.
 */
export async function respond(ctx: RequestContext, status: number, headers: Headers, body?: Buffer | ObjectBody): Promise<void> {
  const { res } = ctx;
  if (res.destroyed || res.headersSent) throw new ConnectionGone('response already gone');
  const f = ctx.fault;
  const bodyOp = ctx.op !== undefined && BODY_OPS.has(ctx.op);
  // A stall fires before the headers when it has no byte threshold, or when a body-carrying
  // request ended before reaching its threshold.
  if (f?.type === 'stall' && (f.afterBytes === undefined || bodyOp)) {
    ctx.fault = undefined; // a stall fires once per request, even if the handler answers twice
    await sleep(f.ms, undefined, { signal: ctx.state.closing }).catch(() => undefined);
    if (res.destroyed) throw new ConnectionGone('client went away during a stall');
  }
  const rf = responseFault(ctx);
  if (rf?.kind === 'reset' && rf.after === 0) throw gone(ctx, 'reset fault before the response');
  // Body-carrying operation whose reset threshold was not reached while reading: the work is done,
  // the answer is lost.
  if (f?.type === 'reset' && bodyOp) throw gone(ctx, 'reset fault instead of the response');
  const length = body === undefined ? 0 : Buffer.isBuffer(body) ? body.length : Math.max(0, body.end - body.start + 1);
  if (body === undefined || ctx.method === 'HEAD' || length === 0) {
    res.writeHead(status, { ...baseHeaders(ctx), ...headers, 'Content-Length': length });
    await endResponse(ctx);
    if (rf?.kind === 'reset') res.socket?.destroy(); // nothing to cut: answer, then drop the connection
    return;
  }
  // Pinned before any header goes out, so an object replaced meanwhile is a 404, not a cut body.
  const reader = Buffer.isBuffer(body) ? undefined : openObjectReader(ctx.state.store, body.bucket, body.meta);
  try {
    res.writeHead(status, { ...baseHeaders(ctx), ...headers, 'Content-Length': length });
    await writeBody(ctx, reader ?? (body as Buffer), Buffer.isBuffer(body) ? undefined : body, rf);
  } finally {
    reader?.close();
  }
}

async function writeBody(
  ctx: RequestContext,
  source: Buffer | ObjectReader,
  range: ObjectBody | undefined,
  rf: ReturnType<typeof responseFault>,
): Promise<void> {
  const { res } = ctx;
  let sent = 0;
  let faultDone = rf === undefined;
  // x-oss-traffic-limit holds this request's body; a `pace` rule holds every body it matches together.
  const pacer = ctx.pace ?? (bodyOpOf(ctx) ? undefined : pacerFor(ctx.fault));
  for await (let chunk of bodyChunks(source, range)) {
    while (chunk.length > 0) {
      let piece = pacer ? chunk.subarray(0, PACE_SLICE) : chunk;
      if (!faultDone && rf && sent + piece.length >= rf.after) piece = piece.subarray(0, rf.after - sent);
      if (pacer && piece.length > 0) {
        await sleep(pacer.reserve(piece.length), undefined, { signal: ctx.state.closing }).catch(() => undefined);
        if (res.destroyed) throw new ConnectionGone('client went away while its body was paced');
      }
      const atFault = !faultDone && rf !== undefined && sent + piece.length >= rf.after;
      if (piece.length > 0) {
        // Before a fault, wait until the bytes are handed to the kernel so the client really gets them.
        if (atFault) {
          await new Promise<void>((resolve) => {
            if (res.destroyed || res.closed) return resolve();
            res.once('close', resolve);
            res.write(piece, () => {
              res.off('close', resolve);
              resolve();
            });
          });
        } else if (!res.write(piece)) {
          await waitDrain(res);
        }
        sent += piece.length;
        if (ctx.op) ctx.state.stats.countOut(ctx.op, piece.length);
        if (res.destroyed) throw new ConnectionGone('client went away while receiving the body');
      }
      chunk = chunk.subarray(piece.length);
      if (atFault && rf) {
        faultDone = true;
        if (rf.kind === 'reset') throw gone(ctx, `reset fault after ${sent} response bytes`);
        await stallWhileConnected(ctx, rf.ms);
        if (res.destroyed) throw new ConnectionGone('client went away during a stall');
      }
    }
  }
  await endResponse(ctx);
  // A reset rule asking for more bytes than the body has: the response went out whole, then the
  // connection is closed.
  if (!faultDone && rf?.kind === 'reset') res.socket?.destroy();
}

/**
 * A stall in the middle of a body: ends early when the client goes away (a paused download), so
 * long stalls do not pile up behind clients that left, or when the server closes.
 */
async function stallWhileConnected(ctx: RequestContext, ms: number): Promise<void> {
  const stop = new AbortController();
  const onGone = (): void => stop.abort();
  ctx.res.once('close', onGone);
  ctx.state.closing.addEventListener('abort', onGone, { once: true });
  try {
    if (!ctx.res.destroyed && !ctx.state.closing.aborted) await sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
  } finally {
    ctx.res.off('close', onGone);
    ctx.state.closing.removeEventListener('abort', onGone);
  }
}

/** Resolves when the response is flushed, or when the connection closed first (never hangs). */
function endResponse(ctx: RequestContext): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.res.destroyed || ctx.res.closed) return resolve();
    const done = () => {
      ctx.res.off('close', done);
      ctx.res.off('finish', done);
      resolve();
    };
    ctx.res.once('close', done);
    ctx.res.once('finish', done);
    ctx.res.end();
  });
}

export function sendXml(ctx: RequestContext, status: number, root: string, node: XmlNode | string, headers: Headers = {}): Promise<void> {
  const body = Buffer.from(xmlDocument(root, node), 'utf8');
  return respond(ctx, status, { 'Content-Type': 'application/xml', ...headers }, body);
}

export function errorXml(ctx: RequestContext, err: OssServerError): string {
  return xmlDocument('Error', {
    Code: err.code,
    Message: err.message,
    RequestId: ctx.requestId,
    HostId: ctx.headers.host ?? '',
    ...err.extras,
    EC: errorEc(err.code),
  });
}

export async function sendError(ctx: RequestContext, err: OssServerError): Promise<void> {
  const headers: Headers = { ...err.headers, 'x-oss-ec': errorEc(err.code) };
  if (err.status === 304) {
    await respond(ctx, 304, err.headers);
    return;
  }
  const xml = errorXml(ctx, err);
  if (ctx.method === 'HEAD') {
    // HEAD answers carry no body; OSS puts the error XML, base64, in x-oss-err
    headers['x-oss-err'] = Buffer.from(xml, 'utf8').toString('base64');
    await respond(ctx, err.status, headers);
    return;
  }
  await respond(ctx, err.status, { 'Content-Type': 'application/xml', ...headers }, Buffer.from(xml, 'utf8'));
}
