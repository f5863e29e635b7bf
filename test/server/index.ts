// startOssServer: an OSS-compatible HTTP server for tests, the benchmark and the demo. Objects live
// on disk under dataDir; see serverTypes.ts for the API and dispatch.ts for the request flow.
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { mkdir } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { DiskStore } from './diskStore.js';
import { handleRequest } from './dispatch.js';
import { Faults } from './faults.js';
import { isValidBucketName } from './naming.js';
import type { ServerState } from './requestContext.js';
import { Stats } from './stats.js';
import { UploadStore } from './uploadStore.js';
import type { OssServer, OssServerOptions, ServerCredential } from './serverTypes.js';

export * from './serverTypes.js';

function checkCredentials(c: ServerCredential[]): ServerCredential[] {
  if (!Array.isArray(c)) throw new TypeError('credentials must be an array of { accessKeyId, accessKeySecret }');
  for (const k of c) {
    if (!k || typeof k.accessKeyId !== 'string' || !k.accessKeyId || typeof k.accessKeySecret !== 'string' || !k.accessKeySecret) {
      throw new TypeError('every credential needs a non-empty accessKeyId and accessKeySecret');
    }
  }
  return c.map((k) => ({ ...k }));
}

export async function startOssServer(opts: OssServerOptions): Promise<OssServer> {
  if (!opts || typeof opts.dataDir !== 'string' || opts.dataDir === '') throw new TypeError('startOssServer needs a dataDir');
  const region = (opts.region ?? 'cn-hangzhou').replace(/^oss-/, '');
  const host = opts.host ?? '127.0.0.1';
  await mkdir(opts.dataDir, { recursive: true });
  const store = new DiskStore(opts.dataDir);
  await store.open();
  const uploads = new UploadStore(store);
  await uploads.open();
  for (const b of opts.buckets ?? []) {
    if (!isValidBucketName(b)) throw new TypeError(`buckets: "${b}" is not a valid bucket name (3-63 of a-z, 0-9, "-")`);
    if (!store.buckets.has(b)) await store.createBucket(b);
  }
  const closing = new AbortController();
  const state: ServerState = {
    store,
    uploads,
    faults: new Faults(),
    stats: new Stats(),
    region,
    credentials: checkCredentials(opts.credentials),
    clockSkewMs: opts.clockSkewMs ?? 0,
    hostPort: '',
    closing: closing.signal,
  };
  const inFlight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const onRequest = (req: Parameters<typeof handleRequest>[1], res: Parameters<typeof handleRequest>[2]): void => {
    const p = handleRequest(state, req, res).catch(() => undefined);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const serverOptions = { requestTimeout: 0, keepAliveTimeout: 60_000 };
  const server: Server = opts.tls ? createTlsServer({ ...serverOptions, key: opts.tls.key, cert: opts.tls.cert }, onRequest) : createServer(serverOptions, onRequest);
  // Over TLS 'connection' is the raw TCP socket: destroying it on close ends the TLS one too.
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  const port = address.port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  state.hostPort = `${hostForUrl}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    endpoint: `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
    port,
    faults: state.faults,
    stats: state.stats,
    setCredentials(c) {
      state.credentials = checkCredentials(c);
    },
    addCredential(c) {
      const [added] = checkCredentials([c]);
      state.credentials = [...state.credentials.filter((k) => k.accessKeyId !== added!.accessKeyId), added!];
    },
    removeCredential(accessKeyId) {
      const before = state.credentials.length;
      state.credentials = state.credentials.filter((k) => k.accessKeyId !== accessKeyId);
      return state.credentials.length < before;
    },
    objectPath(bucket, key) {
      const b = store.buckets.get(bucket);
      const meta = b?.objects.get(key);
      return meta ? store.wholeFileSync(bucket, meta) : undefined;
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await stopped;
        await Promise.allSettled([...inFlight]);
      })();
      return closed;
    },
  };
}
