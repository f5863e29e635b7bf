// A profile whose endpoint is a custom domain bound to one bucket, through the profile store, the
// client registry and the Buckets tree (fake vscode module) against the test server.
// The test server has no custom-domain table: it takes the bucket from the first label of a non-IP
// Host. So the domain here is `<bucket>.cname.test`, resolved to 127.0.0.1 by a patched dns.lookup
// that knows that one name under cname.test only: a request sent virtual-hosted (`<bucket>.<domain>`) would not
// resolve, one sent path style would name the wrong bucket, so only Host = domain, path = /key works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryChannel, MemoryMemento, MemorySecrets, installFakeVscode, type TreeItem } from './fakeVscode.js';
import { startOssServer, type OssServer } from '../server/index.js';

installFakeVscode();

const creds = { accessKeyId: 'cname-ak', accessKeySecret: 'cname-secret-value' };
const BUCKET = 'cname-files';
const OTHER = 'cname-other';
const DOMAIN = `${BUCKET}.cname.test`;
const lookups: string[] = [];
const realLookup = dns.lookup;

let server: OssServer;
let dataDir: string;
let channel: MemoryChannel;
let endpoint: string;
let profileId: string;
let store: import('../../src/vscode/profiles/profileStore.js').ProfileStore;
let clients: import('../../src/vscode/profiles/clientRegistry.js').ClientRegistry;
let tree: import('../../src/vscode/tree/bucketTreeProvider.js').BucketTreeProvider;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

before(async () => {
  // Under cname.test only the custom domain resolves (to the test server); those look-ups are
  // recorded. Other names (the server binding 127.0.0.1) resolve as usual.
  (dns as { lookup: unknown }).lookup = (host: string, opts: unknown, cb?: LookupCallback): void => {
    if (!host.endsWith('.cname.test')) {
      (realLookup as (...a: unknown[]) => void)(host, opts, cb);
      return;
    }
    const callback = (typeof opts === 'function' ? opts : cb) as LookupCallback;
    const all = typeof opts === 'object' && opts !== null && (opts as { all?: boolean }).all;
    lookups.push(host);
    if (host !== DOMAIN) {
      process.nextTick(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), all ? [] : ''));
      return;
    }
    process.nextTick(() => (all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
  };
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'oss-cname-'));
  server = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: [BUCKET, OTHER] });
  endpoint = `http://${DOMAIN}:${new URL(server.endpoint).port}`;

  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  const { BucketTreeProvider } = await import('../../src/vscode/tree/bucketTreeProvider.js');
  channel = new MemoryChannel();
  const log = new Logger(channel as never);
  store = new ProfileStore(new MemoryMemento() as never, new MemorySecrets() as never, {});
  const saved = await store.save(
    { name: 'files domain', accessKeyId: creds.accessKeyId, endpoint, region: 'cn-hangzhou', customDomainBucket: BUCKET },
    { accessKeySecret: creds.accessKeySecret },
  );
  profileId = saved.id;
  clients = new ClientRegistry(store, log, () => 'v4');
  const settings = () => ({ pageSize: 100, concurrentFiles: 3, signatureVersion: 'v4' as const, checkpointsEnabled: true, openInEditorMaxBytes: 1 << 20 });
  tree = new BucketTreeProvider(store, clients, settings, log);
});

after(async () => {
  tree?.dispose();
  clients?.dispose();
  store?.dispose();
  (dns as { lookup: unknown }).lookup = realLookup;
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('the saved profile keeps its bucket binding', () => {
  assert.equal(store.get(profileId)!.customDomainBucket, BUCKET);
});

test('object operations go to <domain>/<key> and land in the bound bucket', async () => {
  const client = await clients.clientFor(profileId, BUCKET);
  assert.equal(client.endpoint, endpoint);
  await client.putObject({ bucket: BUCKET, key: 'docs/hello.txt', body: 'hello through the domain' });
  await client.putObject({ bucket: BUCKET, key: 'top.txt', body: 'top' });
  const got = await client.getObject({ bucket: BUCKET, key: 'docs/hello.txt' });
  assert.equal(await streamText(got.body), 'hello through the domain');
  // What the server stored is in the bound bucket, as a path-style client sees it.
  const { OssClient } = await import('../../src/oss/index.js');
  const direct = new OssClient({ ...creds, endpoint: server.endpoint });
  try {
    assert.equal((await direct.headObject({ bucket: BUCKET, key: 'docs/hello.txt' })).size, 24);
    assert.equal((await direct.listObjectsV2({ bucket: OTHER })).objects.length, 0);
  } finally {
    await direct.close();
  }
  assert.ok(lookups.length > 0 && lookups.every((h) => h === DOMAIN), `only the domain itself is looked up: ${lookups.join(', ')}`);
  assert.ok(client.presignUrl({ bucket: BUCKET, key: 'top.txt', expiresSeconds: 60 }).startsWith(`${endpoint}/top.txt?`));
});

test('the Buckets tree shows just the bound bucket without calling ListBuckets, and lists it', async () => {
  const [profile] = await tree.getChildren();
  assert.ok(profile);
  const buckets = await tree.getChildren(profile);
  assert.deepEqual(buckets.map((n) => [n.kind, label(n)]), [['bucket', BUCKET]]);
  assert.match(String((tree.getTreeItem(buckets[0]!) as unknown as TreeItem).description), /custom domain/);
  const top = await tree.getChildren(buckets[0]!);
  assert.deepEqual(top.map(label).sort(), ['docs', 'top.txt']);
  assert.ok(!channel.lines.some((l) => l.includes('ListBuckets')), `no ListBuckets in the log:\n${channel.lines.join('\n')}`);
  assert.ok(channel.lines.some((l) => l.includes('ListObjectsV2') || l.includes('ListObjects')), channel.lines.join('\n'));
});

test('another bucket through the custom domain is refused before any request', async () => {
  await assert.rejects(clients.clientFor(profileId, OTHER), /reaches only bucket cname-files through its custom domain, not cname-other/);
});

type Node = import('../../src/vscode/tree/treeNodes.js').TreeNode;
function label(n: Node): string {
  return (tree.getTreeItem(n) as unknown as TreeItem).label;
}

async function streamText(body: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
