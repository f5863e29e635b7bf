// Shared set-up for the proxy and CA tests: the test OSS server on 127.0.0.2 twice (plain HTTP, and
// HTTPS with a certificate from the test CA in fixtures/), the counting proxy (countingProxy.ts),
// and a round trip of a multipart upload and a ranged parallel download through the engine.
// 127.0.0.2 and not 127.0.0.1: localhost, 127.0.0.1 and ::1 always go direct (as in VS Code), so an
// endpoint there would never see the proxy. Not a test file itself (no .test.ts suffix).
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssClient, type NetworkOptions } from '../../src/oss/index.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { makeFile, sha256File } from './resumeFixture.js';

export { startProxy, type CountingProxy } from './countingProxy.js';

export const CREDS = { accessKeyId: 'proxy-ak', accessKeySecret: 'proxy-sk-secret' };
export const BUCKET = 'via-proxy';
export const FIXTURES = path.join(__dirname, 'fixtures');
export const CA_FILE = path.join(FIXTURES, 'test-ca-only.cert.pem');
export const CA_PEM = readFileSync(CA_FILE, 'utf8');
const KB = 1024;

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
