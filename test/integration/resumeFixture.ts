// Shared set-up for the engine's integration tests: a test server in a temp folder, a client for
// it, and random files with their SHA-256. Everything lives under one temp dir removed at the end.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { startOssServer } from '../server/index.js';
import type { OssServer } from '../server/serverTypes.js';
import type { TransferClient } from '../../src/transfer/index.js';

export const CREDS = { accessKeyId: 'engine-ak', accessKeySecret: 'engine-sk' };
export const BUCKET = 'engine';

export interface Fixture {
  server: OssServer;
  client: OssClient;
  dir: string;
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'engine-it-'));
  const server = await startOssServer({ port: 0, dataDir: path.join(dir, 'server'), credentials: [CREDS], buckets: [BUCKET] });
  const client = new OssClient({ ...CREDS, endpoint: server.endpoint, region: 'cn-hangzhou' });
  return {
    server,
    client,
    dir,
    async close() {
      await client.close();
      await server.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `size` random bytes in 1 MiB chunks (never the whole file in memory) and returns its SHA-256. */
export async function makeFile(file: string, size: number): Promise<string> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const fh = await fsp.open(file, 'w');
  const hash = createHash('sha256');
  try {
    for (let off = 0; off < size; ) {
      const n = Math.min(1024 * 1024, size - off);
      const chunk = randomBytes(n);
      hash.update(chunk);
      await fh.write(chunk, 0, n, off);
      off += n;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(() => true, () => false);
}

export async function listDir(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).sort();
}

/** The client seen through the engine's interface, with some methods replaced (to fake bad answers). */
export function wrapClient(c: OssClient, overrides: Partial<TransferClient>): TransferClient {
  return {
    endpoint: c.endpoint,
    headObject: (o) => c.headObject(o),
    getObject: (o) => c.getObject(o),
    putObject: (o) => c.putObject(o),
    deleteObject: (o) => c.deleteObject(o),
    initiateMultipartUpload: (o) => c.initiateMultipartUpload(o),
    uploadPart: (o) => c.uploadPart(o),
    completeMultipartUpload: (o) => c.completeMultipartUpload(o),
    abortMultipartUpload: (o) => c.abortMultipartUpload(o),
    listParts: (o) => c.listParts(o),
    ...overrides,
  };
}
