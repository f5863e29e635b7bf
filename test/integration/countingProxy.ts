// A real forwarding proxy on 127.0.0.1 (the npm `proxy` package: nobody here wrote it) that counts
// what passes through it, optionally wanting Basic credentials. For the proxy integration tests and
// the proxy e2e test. Not a test file itself (no .test.ts suffix).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface CountingProxy {
  /** http://127.0.0.1:port (https:// when it was started with TLS) */
  url: string;
  host: string;
  /** CONNECT requests (tunnels opened). */
  connects: number;
  /** Forwarded plain-HTTP requests (`GET http://host/path`). */
  forwarded: number;
  /** TCP connections clients opened to the proxy. */
  connections: number;
  /** Requests answered 407. */
  refused: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A forwarding proxy; with `credentials` ('user:password') it answers 407 to anything else; with
 * `tls` clients reach the proxy itself over TLS (an https:// proxy).
 */
export async function startProxy(credentials?: string, tls?: { key: Buffer | string; cert: Buffer | string }): Promise<CountingProxy> {
  // The `proxy` package is ESM only; this file is CommonJS.
  const { createProxy } = await import('proxy');
  // An https.Server serves the same request and connect events; the package's typing names only http.Server.
  const server = createProxy(tls ? (https.createServer(tls) as unknown as http.Server) : http.createServer());
  const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
  const counts = { connects: 0, forwarded: 0, connections: 0, refused: 0 };
  server.on('connect', () => counts.connects++);
  server.on('request', () => counts.forwarded++);
  server.on('connection', () => counts.connections++);
  if (expected !== undefined) {
    server.authenticate = (req) => {
      const ok = req.headers['proxy-authorization'] === expected;
      if (!ok) counts.refused++;
      return ok;
    };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `${tls ? 'https' : 'http'}://${host}`,
    host,
    get connects() {
      return counts.connects;
    },
    get forwarded() {
      return counts.forwarded;
    },
    get connections() {
      return counts.connections;
    },
    get refused() {
      return counts.refused;
    },
    reset() {
      Object.assign(counts, { connects: 0, forwarded: 0, connections: 0, refused: 0 });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
