// One request from start to end: address, operation, authentication, naming checks, the fault
// rule, then the operation's handler; every failure becomes OSS error XML, and a vanished client
// never becomes an unhandled error.
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { resolveAddress } from './addressing.js';
import { authenticate } from './auth.js';
import { drainBody } from './bodyReceiver.js';
import * as bucketOps from './bucketOps.js';
import * as listOps from './listObjectsOps.js';
import * as multipartOps from './multipartOps.js';
import { checkBucketName, checkObjectName } from './naming.js';
import * as objectOps from './objectOps.js';
import { OssServerError } from './ossServerError.js';
import { ConnectionGone, flattenHeaders, type RequestContext, type ServerState } from './requestContext.js';
import { sendError } from './responses.js';
import { routeOp, unsupportedSubresource } from './routeOp.js';
import type { FaultAction, OpName } from './serverTypes.js';
import { Pacer } from './pacer.js';
import { trafficLimitOf } from './trafficLimit.js';

const HANDLERS: Record<OpName, (ctx: RequestContext) => Promise<void>> = {
  ListBuckets: bucketOps.listBuckets,
  PutBucket: bucketOps.putBucket,
  DeleteBucket: bucketOps.deleteBucket,
  GetBucketInfo: bucketOps.getBucketInfo,
  GetBucketLocation: bucketOps.getBucketLocation,
  ListObjectsV2: listOps.listObjectsV2,
  ListObjects: listOps.listObjects,
  HeadObject: objectOps.headObject,
  GetObject: objectOps.getObject,
  PutObject: objectOps.putObject,
  DeleteObject: objectOps.deleteObject,
  DeleteMultipleObjects: objectOps.deleteMultipleObjects,
  CopyObject: objectOps.copyObject,
  InitiateMultipartUpload: multipartOps.initiateMultipartUpload,
  UploadPart: multipartOps.uploadPart,
  CompleteMultipartUpload: multipartOps.completeMultipartUpload,
  AbortMultipartUpload: multipartOps.abortMultipartUpload,
  ListParts: multipartOps.listParts,
  ListMultipartUploads: multipartOps.listMultipartUploads,
};

const DEFAULT_FAULT_CODES: Record<number, string> = {
  400: 'InvalidArgument',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  409: 'Conflict',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export function newRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

/** Actions that change state or answer before the handler runs. */
async function applyFaultBefore(ctx: RequestContext, action: FaultAction): Promise<void> {
  switch (action.type) {
    case 'forgetUpload': {
      const id = ctx.query.uploadId;
      if (id) await ctx.state.uploads.remove(id);
      return;
    }
    case 'replaceObject': {
      const bucket = ctx.bucket === undefined ? undefined : ctx.state.store.buckets.get(ctx.bucket);
      const key = ctx.key;
      if (!bucket || key === undefined) return;
      const tmp = ctx.state.store.tempPath();
      await writeFile(tmp, action.content);
      const old = bucket.objects.get(key);
      await ctx.state.store.withKeyLock(bucket.meta.name, key, () =>
        ctx.state.store.commitObject(bucket, tmp, {
          key,
          size: action.content.length,
          etag: createHash('md5').update(action.content).digest('hex').toUpperCase(),
          crc64: crc64ToString(crc64(action.content)),
          contentType: old?.contentType ?? 'application/octet-stream',
          meta: old?.meta ?? {},
          headers: old?.headers ?? {},
          storageClass: old?.storageClass ?? 'Standard',
          lastModified: new Date().toISOString(),
          objectType: 'Normal',
        }),
      );
      return;
    }
    case 'status': {
      // The client's bytes arrive before the failure, as when a real server fails late.
      await drainBody(ctx);
      const headers: Record<string, string> = {};
      if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
      throw new OssServerError(
        action.status,
        action.code ?? DEFAULT_FAULT_CODES[action.status] ?? 'InternalError',
        action.message ?? 'Injected fault.',
        {},
        headers,
      );
    }
    default:
      return; // reset, stall and pace act while the body or the response streams
  }
}

export async function handleRequest(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Errors on a socket the client killed are expected; they end the handler, not the process.
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  const ctx: RequestContext = {
    req,
    res,
    requestId: newRequestId(),
    method: (req.method ?? 'GET').toUpperCase(),
    query: {},
    headers: flattenHeaders(req),
    state,
  };
  try {
    const addr = resolveAddress(req.url ?? '/', req.headers.host);
    ctx.bucket = addr.bucket;
    ctx.key = addr.key;
    ctx.query = addr.query;
    const op = routeOp(ctx.method, addr.bucket, addr.key, addr.query, req.headers);
    if (!op) {
      const sub = unsupportedSubresource(addr.query);
      if (sub !== undefined) {
        throw new OssServerError(501, 'NotImplemented', `The test server does not implement the "${sub}" sub-resource.`, { Subresource: sub });
      }
      throw new OssServerError(405, 'MethodNotAllowed', `${ctx.method} is not supported on this resource by the test server.`, {
        Method: ctx.method,
        ResourceType: addr.key !== undefined ? 'Object' : addr.bucket !== undefined ? 'Bucket' : 'Service',
      });
    }
    ctx.op = op;
    state.stats.countRequest(op);
    state.stats.countCaller(op, authenticate(ctx));
    const limit = trafficLimitOf(op, ctx.headers);
    if (limit !== undefined) {
      ctx.pace = new Pacer(limit / 8);
      state.stats.countTrafficLimit(op, limit);
    }
    if (ctx.bucket !== undefined) checkBucketName(ctx.bucket);
    if (ctx.key !== undefined) checkObjectName(ctx.key);
    const pn = Number(ctx.query.partNumber);
    ctx.fault = state.faults.take({
      op,
      bucket: ctx.bucket,
      key: ctx.key,
      partNumber: Number.isInteger(pn) ? pn : undefined,
    });
    if (ctx.fault) await applyFaultBefore(ctx, ctx.fault);
    await HANDLERS[op](ctx);
  } catch (e) {
    if (e instanceof ConnectionGone || res.destroyed || res.headersSent) {
      if (!res.writableFinished) res.destroy();
      return;
    }
    const err =
      e instanceof OssServerError
        ? e
        : new OssServerError(500, 'InternalError', `The test server failed: ${(e as Error)?.message ?? String(e)}`);
    try {
      await sendError(ctx, err);
    } catch {
      res.destroy();
    }
  }
}
