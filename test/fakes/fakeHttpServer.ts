// A small HTTP server (127.0.0.1, or another loopback address: 127.0.0.1 never goes through a proxy) for the credential fakes: reads each request whole (bodies are
// a few hundred bytes), hands it to a handler and sends what it returns; close() drops sockets.
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface FakeHttpServer {
  /** 'http://HOST:PORT' */
  url: string;
  close(): Promise<void>;
}

function flat(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

export function json(status: number, doc: unknown): FakeResponse {
  return { status, headers: { 'content-type': 'application/json;charset=utf-8' }, body: JSON.stringify(doc) };
}

export async function startFakeHttpServer(handle: (r: FakeRequest) => FakeResponse | Promise<FakeResponse>, host = '127.0.0.1'): Promise<FakeHttpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      void Promise.resolve()
        .then(() => handle({ method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query, headers: flat(req), body: Buffer.concat(chunks).toString('utf8') }))
        .catch((e: unknown) => json(500, { Code: 'InternalError', Message: String(e) }))
        .then((r) => {
          res.writeHead(r.status, { 'content-length': String(Buffer.byteLength(r.body)), ...(r.headers ?? {}) });
          res.end(r.body);
        });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
