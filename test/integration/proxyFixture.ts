// Shared set-up for the proxy and CA tests: the test OSS server on 127.0.0.2 twice (plain HTTP, and
// HTTPS with a certificate from the test CA in fixtures/), a real forwarding proxy on 127.0.0.1 (the
// npm `proxy` package, nobody here wrote it) that counts what passes through it, and a round trip
// of a multipart upload and a ranged parallel download through the engine.
// 127.0.0.2 and not 127.0.0.1: localhost, 127.0.0.1 and ::1 always go direct (as in VS Code), so an
// endpoint there would never see the proxy. Not a test file itself (no .test.ts suffix).
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssClient, type NetworkOptions } from '../../src/oss/index.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { makeFile, sha256File } from './resumeFixture.js';

export const CREDS = { accessKeyId: 'proxy-ak', accessKeySecret: 'proxy-sk-secret' };
export const BUCKET = 'via-proxy';
export const FIXTURES = path.join(__dirname, 'fixtures');
export const CA_FILE = path.join(FIXTURES, 'test-ca-only.cert.pem');
export const CA_PEM = readFileSync(CA_FILE, 'utf8');
const KB = 1024;

export interface CountingProxy {
  /** http://127.0.0.1:port */
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

/** A forwarding proxy; with `credentials` ('user:password') it answers 407 to anything else. */
export async function startProxy(credentials?: string): Promise<CountingProxy> {
  // The `proxy` package is ESM only; this file is CommonJS.
  const { createProxy } = await import('proxy');
  const server = createProxy(http.createServer());
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
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `http://${host}`,
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

export interface Endpoints {
  dir: string;
  /** http://127.0.0.2:port */
  plain: OssServer;
  /** https://127.0.0.2:port, certificate signed by the test CA */
  tls: OssServer;
  clients: OssClient[];
  client(endpoint: string, network?: NetworkOptions): OssClient;
  close(): Promise<void>;
}

export async function startEndpoints(): Promise<Endpoints> {
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'proxy-it-'));
  const common = { port: 0, host: '127.0.0.2', credentials: [CREDS], buckets: [BUCKET] };
  const plain = await startOssServer({ ...common, dataDir: path.join(dir, 'plain') });
  const tls = await startOssServer({
    ...common,
    dataDir: path.join(dir, 'tls'),
    tls: { key: readFileSync(path.join(FIXTURES, 'test-ca-leaf.key.pem')), cert: readFileSync(path.join(FIXTURES, 'test-ca-leaf.cert.pem')) },
  });
  const clients: OssClient[] = [];
  return {
    dir,
    plain,
    tls,
    clients,
    client(endpoint, network) {
      const c = new OssClient({ ...CREDS, endpoint, region: 'cn-hangzhou', ...(network ? { network } : {}) });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all([plain.close(), tls.close()]);
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/**
 * Uploads a random file as a multipart upload (4 parts, 2 at a time), downloads it again as ranged
 * parts, and checks both copies byte for byte (the server's stored file and the downloaded one).
 */
export async function roundTrip(ep: Endpoints, server: OssServer, client: OssClient): Promise<void> {
  const size = 400 * KB + 123;
  const name = `rt-${++counter}`;
  const src = path.join(ep.dir, `${name}.src`);
  const dest = path.join(ep.dir, `${name}.dest`);
  const sha = await makeFile(src, size);
  const retry = { maxAttempts: 1 };
  const up = await resumableUpload(client, { bucket: BUCKET, key: `${name}.bin`, file: src, partSize: 100 * KB, parallel: 2, disableCheckpoint: true, retry });
  assert.equal(up.size, size);
  const stored = server.objectPath(BUCKET, `${name}.bin`);
  assert.ok(stored, 'the object landed on the server');
  assert.equal(await sha256File(stored), sha, 'the server holds the uploaded bytes');
  const down = await resumableDownload(client, { bucket: BUCKET, key: `${name}.bin`, file: dest, partSize: 100 * KB, parallel: 2, disableCheckpoint: true, retry });
  assert.equal(down.size, size);
  assert.equal(await sha256File(dest), sha, 'the download holds the same bytes');
}
