// A hostile (or tampered, over plain HTTP) OSS answers ListBuckets / GetBucketInfo naming another
// server as the bucket's endpoint. Signed requests, STS token included, must keep going to the
// profile's own endpoint, and the refusal is logged once.
// The client follows listings only when it talks to real OSS (an aliyuncs.com host), so the test
// resolves every *.aliyuncs.com name to 127.0.0.1: the client then believes the hostile server is
// http://oss-cn-hangzhou.aliyuncs.com:<port>. The "attacker" is a second server on another port.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssClient } from '../../src/oss/index.js';
import { MemoryChannel, MemoryMemento, MemorySecrets, installFakeVscode } from '../integration/fakeVscode.js';
import { drainRequest, startHostileServer, type HostileServer } from './hostileServer.js';

installFakeVscode();

const TOKEN = 'sts-token-must-stay-home';
const realLookup = dns.lookup;
let attacker: HostileServer;
let oss: HostileServer;
let evilHost: string;
let ossEndpoint: string;

before(async () => {
  type Cb = (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;
  (dns as { lookup: unknown }).lookup = (host: string, opts: unknown, cb?: Cb) => {
    const callback = (typeof opts === 'function' ? opts : cb) as Cb;
    const all = typeof opts === 'object' && opts !== null && (opts as { all?: boolean }).all;
    if (!host.endsWith('.aliyuncs.com')) return (realLookup as unknown as (...a: unknown[]) => void)(host, opts, cb);
    process.nextTick(() => (all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
  };
  attacker = await startHostileServer((req, res) => answer(req, res));
  evilHost = attacker.endpoint.replace('http://', '');
  oss = await startHostileServer((req, res) => answer(req, res));
  ossEndpoint = oss.endpoint.replace('127.0.0.1', 'oss-cn-hangzhou.aliyuncs.com');
});

after(async () => {
  (dns as { lookup: unknown }).lookup = realLookup;
  await oss?.close();
  await attacker?.close();
});

function bucketXml(name: string): string {
  return `<Bucket><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><ExtranetEndpoint>${evilHost}</ExtranetEndpoint><IntranetEndpoint>${evilHost}</IntranetEndpoint><Location>oss-cn-hangzhou</Location><Name>${name}</Name><Region>cn-hangzhou</Region><StorageClass>Standard</StorageClass></Bucket>`;
}

// Plays OSS for ListBuckets, GetBucketInfo, HeadObject and PutObject; every bucket it names
// claims to live on the attacker's server.
async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await drainRequest(req);
  const url = new URL(req.url ?? '/', 'http://x');
  const xml = (body: string): void => {
    res.writeHead(200, { 'content-type': 'application/xml', 'x-oss-request-id': 'hostile-req' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  };
  const bucket = (req.headers.host ?? '').split('.oss-')[0];
  if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('bucketInfo')) return xml(`<BucketInfo>${bucketXml(bucket!)}</BucketInfo>`);
  if (req.method === 'GET' && url.pathname === '/') {
    return xml(`<ListAllMyBucketsResult><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><Buckets>${bucketXml('victim')}</Buckets></ListAllMyBucketsResult>`);
  }
  res.writeHead(200, { etag: '"0123456789ABCDEF0123456789ABCDEF"', 'content-length': '0', 'x-oss-request-id': 'hostile-req', 'last-modified': new Date().toUTCString() });
  res.end();
}

function seenByAttacker(): string[] {
  return attacker.requests.map((r) => `${r.method} ${r.url} token=${String(r.headers['x-oss-security-token'] ?? '')}`);
}

test('an evil ExtranetEndpoint in ListBuckets does not redirect later signed requests', async () => {
  const refusals: string[] = [];
  const client = new OssClient({
    accessKeyId: 'ak-hostile',
    accessKeySecret: 'sk-hostile-secret',
    securityToken: TOKEN,
    endpoint: ossEndpoint,
    onEndpointRefused: (e) => refusals.push(`${e.bucket} ${e.listed} -> ${e.kept}`),
  });
  try {
    const before = oss.requests.length;
    const listed = await client.listBuckets();
    assert.equal(listed.buckets[0]?.extranetEndpoint, evilHost, 'the listing did name the attacker');
    await client.headObject({ bucket: 'victim', key: 'k' });
    await client.putObject({ bucket: 'victim', key: 'k', body: 'secret data' });
    await client.listBuckets();
    assert.deepEqual(seenByAttacker(), [], 'no request reached the listed host');
    assert.equal(client.bucketEndpoint('victim'), ossEndpoint);
    const home = oss.requests.slice(before);
    assert.deepEqual(home.map((r) => r.method), ['GET', 'HEAD', 'PUT', 'GET']);
    assert.ok(home.every((r) => r.headers['x-oss-security-token'] === TOKEN));
    assert.deepEqual(refusals, [`victim ${evilHost} -> ${ossEndpoint}`], 'said once, not on every listing');
  } finally {
    await client.close();
  }
});

test('the extension: a looked-up or remembered evil endpoint is not followed, and the log says so once', async () => {
  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  const channel = new MemoryChannel();
  const store = new ProfileStore(new MemoryMemento() as never, new MemorySecrets() as never, {
    OSS_ACCESS_KEY_ID: 'ak-hostile',
    OSS_ACCESS_KEY_SECRET: 'sk-hostile-secret',
    OSS_SESSION_TOKEN: TOKEN,
    OSS_ENDPOINT: ossEndpoint,
  });
  // Remembered from an earlier GetBucketInfo ("Add Bucket by Name") that a hostile server answered.
  await store.addBucket('env', { name: 'remembered', region: 'cn-hangzhou', extranetEndpoint: evilHost });
  const clients = new ClientRegistry(store, new Logger(channel as never), () => 'v4');
  try {
    for (const bucket of ['looked-up', 'remembered']) {
      const client = await clients.clientFor('env', bucket);
      await client.headObject({ bucket, key: 'k' });
      assert.equal(client.bucketEndpoint(bucket), ossEndpoint, bucket);
    }
    await (await clients.clientFor('env', 'looked-up')).headObject({ bucket: 'looked-up', key: 'k2' });
    assert.deepEqual(seenByAttacker(), []);
    const warnings = channel.lines.filter((l) => l.startsWith('warn ') && l.includes(evilHost));
    assert.equal(warnings.length, 2, channel.lines.join('\n'));
    assert.ok(warnings.some((l) => l.includes('looked-up')) && warnings.some((l) => l.includes('remembered')), warnings.join('\n'));
    assert.ok(!channel.lines.some((l) => l.includes(TOKEN) || l.includes('sk-hostile-secret')));
  } finally {
    clients.dispose();
    store.dispose();
  }
});
