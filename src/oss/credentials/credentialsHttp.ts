// The HTTP side of fetching credentials (STS, the ECS metadata service, a credentials URI): short
// timeouts, a small bounded body, and every failure an OssError that is NOT retryable. A transfer
// waiting on credentials must fail in seconds with the reason, not ride the engine's retry loop.
import { HttpTransport, readErrorBody } from '../http/httpTransport.js';
import { OssError } from '../ossError.js';
import type { NetworkOptions } from '../types.js';

export interface CredentialsHttpTimeouts {
  connectMs: number;
  /** Time to the response headers, and longest silence in the body. */
  responseMs: number;
}

/** STS and credentials URIs: a few seconds; the metadata service answers in milliseconds on ECS and never elsewhere. */
export const CREDENTIALS_HTTP_TIMEOUTS: CredentialsHttpTimeouts = { connectMs: 5_000, responseMs: 10_000 };

/** Credential documents are a few hundred bytes; anything past this is not one. */
const MAX_BODY = 64 * 1024;

export interface TextResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface CredentialsRequest {
  url: URL;
  method: 'GET' | 'PUT' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Names the request in errors: 'AssumeRole', 'EcsRamRole', … */
  operation: string;
  signal?: AbortSignal;
}

export class CredentialsHttp {
  private readonly transport: HttpTransport;

  /** `network`: the proxy and CAs the OSS requests use (STS and a credentials URI go the same way). */
  constructor(timeouts: CredentialsHttpTimeouts = CREDENTIALS_HTTP_TIMEOUTS, network?: NetworkOptions) {
    this.transport = new HttpTransport({
      connections: 2,
      connectMs: timeouts.connectMs,
      headersMs: timeouts.responseMs,
      bodyIdleMs: timeouts.responseMs,
      minSpeedBytesPerSec: 0,
      minSpeedWindowMs: 10_000,
      ...(network ? { network } : {}),
    });
  }

  /** Sends and reads the whole (bounded) body. Network failures become non-retryable OssErrors. */
  async send(r: CredentialsRequest): Promise<TextResponse> {
    const ctx = { operation: r.operation };
    const headers: Record<string, string> = { accept: 'application/json', ...(r.headers ?? {}) };
    const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
    try {
      const res = await this.transport.request({
        origin: r.url.origin,
        path: `${r.url.pathname}${r.url.search}`,
        method: r.method,
        headers,
        ...(body ? { body, bodyLength: body.length } : {}),
        ...(r.signal ? { signal: r.signal } : {}),
        ctx,
      });
      const text = await readErrorBody(res.body);
      if (Buffer.byteLength(text) >= MAX_BODY) {
        throw new OssError({ ...ctx, code: 'InvalidResponse', message: `the answer of ${r.url.host} is larger than a credentials document`, status: res.status, retryable: false });
      }
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (e instanceof OssError && !e.retryable) throw e;
      const err = e instanceof OssError ? e : undefined;
      throw new OssError({
        ...ctx,
        code: err?.code ?? 'NetworkError',
        message: `${r.url.host} could not be reached: ${err?.serverMessage ?? (e as Error)?.message ?? String(e)}`,
        status: err?.status ?? 0,
        retryable: false,
        ...(err ? { details: err.details } : {}),
        cause: e,
      });
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
