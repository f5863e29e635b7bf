// Shared setup for the ossClient*.test.ts files: a test server in a temp dir with a plain key
// and an STS key, and clients for it. Not a test file itself (no .test.ts suffix).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { OssClient, OssError } from '../../src/oss/index.js';
import type { OssClientOptions } from '../../src/oss/types.js';
import { startOssServer, type OssServer } from '../server/index.js';

export const AK = 'ak-client-test';
export const SK = 'sk-client-test-secret';
export const STS_AK = 'STS.ak-temp';
export const STS_SK = 'sts-secret';
export const STS_TOKEN = 'sts-token-value/with+chars=';
export const BUCKET = 'bkt1';

export interface Harness {
  server: OssServer;
  dir: string;
  client(extra?: Partial<OssClientOptions>): OssClient;
  close(): Promise<void>;
}

export async function startHarness(serverExtra: { clockSkewMs?: number; buckets?: string[] } = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'oss-client-it-'));
  const server = await startOssServer({
    port: 0,
    dataDir: join(dir, 'data'),
    credentials: [
      { accessKeyId: AK, accessKeySecret: SK },
      { accessKeyId: STS_AK, accessKeySecret: STS_SK, securityToken: STS_TOKEN },
    ],
    buckets: serverExtra.buckets ?? [BUCKET],
    ...(serverExtra.clockSkewMs !== undefined ? { clockSkewMs: serverExtra.clockSkewMs } : {}),
  });
  const clients: OssClient[] = [];
  return {
    server,
    dir,
    client(extra = {}) {
      const c = new OssClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: server.endpoint, ...extra });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Awaits p and checks it failed with an OssError of this code; returns it for more checks. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<OssError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OssError, `expected OssError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected OssError ${code}, but the call succeeded`);
}

export async function readAll(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Deterministic pseudo-random bytes (no Math.random: tests must be repeatable). */
export function patternBytes(n: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}
