// Set-up for the credential tests: the OSS test server, a fake STS that registers what it issues
// with it, and a base AccessKey that may assume the test role. Everything under one temp folder.
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssClient, StaticCredentialsProvider, type CredentialsProvider, type RequestLogEntry } from '../../src/oss/index.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { acceptOn } from '../fakes/issuedCredentials.js';
import { startFakeSts, type FakeSts } from '../fakes/fakeSts.js';

export const BASE = { accessKeyId: 'LTAI-base-key', accessKeySecret: 'base-secret-0123456789' };
export const ROLE = 'acs:ram::1234567890123456:role/oss-transfer';
export const OIDC_PROVIDER = 'acs:ram::1234567890123456:oidc-provider/ack-rrsa';
export const BUCKET = 'creds';

export interface CredsFixture {
  server: OssServer;
  sts: FakeSts;
  dir: string;
  /** A client signing with `provider`; its request log (operation, status, error code) is kept in `log` and shown to `onLog`. */
  clientWith(provider: CredentialsProvider, onLog?: (e: RequestLogEntry) => void): { client: OssClient; log: RequestLogEntry[] };
  base(): StaticCredentialsProvider;
  close(): Promise<void>;
}

export async function startCredsFixture(opts: { lifetimeMs?: number } = {}): Promise<CredsFixture> {
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'creds-it-'));
  const server = await startOssServer({ port: 0, dataDir: path.join(dir, 'server'), credentials: [BASE], buckets: [BUCKET] });
  const sts = await startFakeSts({
    baseKeys: [BASE],
    roles: { [ROLE]: [BASE.accessKeyId] },
    oidcProviders: { [OIDC_PROVIDER]: 'oidc-token-1' },
    ...(opts.lifetimeMs ? { lifetimeMs: opts.lifetimeMs } : {}),
    onIssue: acceptOn(server),
  });
  const clients: OssClient[] = [];
  return {
    server,
    sts,
    dir,
    clientWith(provider, onLog) {
      const log: RequestLogEntry[] = [];
      const onRequestLog = (e: RequestLogEntry): void => {
        log.push(e);
        onLog?.(e);
      };
      const client = new OssClient({ endpoint: server.endpoint, region: 'cn-hangzhou', credentialsProvider: provider, onRequestLog });
      clients.push(client);
      return { client, log };
    },
    base: () => new StaticCredentialsProvider(BASE),
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await sts.close();
      await server.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** True when every key is a temporary (STS.) one: the base key never reached OSS. */
export function onlyTemporaryKeys(callers: Record<string, number>): boolean {
  const keys = Object.keys(callers);
  return keys.length > 0 && keys.every((k) => k.startsWith('STS.'));
}
