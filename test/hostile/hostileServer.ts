// A deliberately misbehaving HTTP server for the hostile-server tests: each test hands it the
// handler that plays the broken or malicious OSS (or proxy) it wants to survive. Unlike the OSS
// test server it checks no signature and keeps no objects; it only records what the client asked.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OssClient } from '../../src/oss/index.js';
import type { OssClientOptions } from '../../src/oss/types.js';

export interface SeenRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingMessage['headers'];
}

export type HostileHandler = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>;

export interface HostileServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  requests: SeenRequest[];
  /** A client with throwaway keys aimed at this server (path-style, as for any IP endpoint). */
  client(extra?: Partial<OssClientOptions>): OssClient;
  close(): Promise<void>;
}

/** Starts the server on a free loopback port; `n` counts requests from 0 so a handler can vary. */
export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const n = requests.length;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    Promise.resolve(handler(req, res, n)).catch((e: unknown) => {
      // A handler bug must show up as a failed test, not a hung one.
      if (!res.headersSent) res.writeHead(599);
      res.end(String(e));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: OssClient[] = [];
  return {
    endpoint,
    requests,
    client(extra = {}) {
      const c = new OssClient({ accessKeyId: 'ak-hostile', accessKeySecret: 'sk-hostile-secret', endpoint, ...extra });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Drains a request body (so keep-alive stays usable) and resolves with its length. */
export function drainRequest(req: IncomingMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => resolve(n));
    req.on('error', reject);
  });
}

/** An OSS-style XML error body. */
export function xmlError(code: string, message = code): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>hostile-req</RequestId></Error>`;
}

/**
 * Writes `chunks` as the response body, waiting for the client to take each one, and stops as
 * soon as the client hangs up. Resolves with the bytes handed to the socket, so a test can tell
 * that a client stopped reading a huge body instead of taking it all. Chunks are produced lazily:
 * a generator can stand for hundreds of megabytes without the server ever holding them.
 */
export async function streamChunks(res: ServerResponse, chunks: Iterable<string | Buffer>): Promise<number> {
  let written = 0;
  let gone = res.destroyed;
  const hangUp = new Promise<void>((resolve) => {
    res.once('close', () => {
      gone = true;
      resolve();
    });
  });
  res.on('error', () => undefined);
  for (const chunk of chunks) {
    if (gone) break;
    written += Buffer.byteLength(chunk);
    if (!res.write(chunk)) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), hangUp]);
  }
  if (!gone) res.end();
  return written;
}
