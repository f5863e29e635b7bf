// Deleting a folder page by page: a count first, then 1000 keys a DeleteMultipleObjects request,
// each page deleted before the next one is listed. 1,100 objects on the test server (its own
// listing and delete), 10,000 on a generated bucket (test/hostile/listingFake.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { countSelection, deleteSelection, withoutOverlaps } from '../../src/vscode/commands/delete/deletePages.js';
import { keyHash } from '../server/diskStore.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { startListingFake } from '../hostile/listingFake.js';

const creds = { accessKeyId: 'del-ak', accessKeySecret: 'del-sk' };
const BUCKET = 'del-bucket';
const N = 1_100;
let server: OssServer;
let dataDir: string;
let client: OssClient;

/**
 * Thousands of PutObjects take minutes on a busy 2-core machine: one object is put for real, copied on
 * disk in the server's own layout (diskStore.ts: <sha256(key)>.json beside its .data file), and
 * the restarted server indexes them all.
 */
async function seed(keys: string[]): Promise<void> {
  const dir = path.join(dataDir, 'buckets', BUCKET, 'objects');
  const template = JSON.parse(await readFile(path.join(dir, `${keyHash(keys[0]!)}.json`), 'utf8')) as { key: string; dataFile: string };
  const data = await readFile(path.join(dir, template.dataFile));
  for (let i = 1; i < keys.length; i += 200) {
    await Promise.all(
      keys.slice(i, i + 200).map(async (key) => {
        const dataFile = `${keyHash(key)}-seeded.data`;
        await writeFile(path.join(dir, dataFile), data);
        await writeFile(path.join(dir, `${keyHash(key)}.json`), JSON.stringify({ ...template, key, dataFile }));
      }),
    );
  }
}

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'oss-delete-pages-'));
  let first = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: [BUCKET] });
  const keys = Array.from({ length: N }, (_, i) => `big/${String(i).padStart(5, '0')}.txt`);
  const seeder = new OssClient({ ...creds, endpoint: first.endpoint });
  for (const key of [keys[0]!, 'bigger/keep.txt', 'big', 'other/keep.txt']) await seeder.putObject({ bucket: BUCKET, key, body: 'x' });
  await seeder.close();
  await first.close();
  await seed(keys);
  server = first = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: [BUCKET] });
  client = new OssClient({ ...creds, endpoint: server.endpoint });
  assert.equal((await readdir(path.join(dataDir, 'buckets', BUCKET, 'objects'))).length, 2 * (N + 3));
});

after(async () => {
  await client?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('overlapping selections are counted and deleted once', () => {
  assert.deepEqual(withoutOverlaps({ keys: ['a/x', 'b', 'b', 'c/d/e'], prefixes: ['a/', 'c/', 'c/d/', 'a/'] }), { keys: ['b'], prefixes: ['a/', 'c/'] });
});

test('1,100 objects below a folder on the test server: counted, then deleted 1000 keys a request as the listing goes', { timeout: 180_000 }, async () => {
  const sel = { keys: [], prefixes: ['big/'] };
  const counted = await countSelection(client, BUCKET, sel);
  assert.equal(counted.count, N);
  assert.deepEqual(counted.examples, ['big/00000.txt', 'big/00001.txt', 'big/00002.txt', 'big/00003.txt', 'big/00004.txt']);

  server.stats.reset();
  const calls: string[] = [];
  const watched = {
    listObjectsV2: (o: Parameters<OssClient['listObjectsV2']>[0]) => {
      calls.push('list');
      return client.listObjectsV2(o);
    },
    deleteObjects: (o: Parameters<OssClient['deleteObjects']>[0]) => {
      calls.push(`delete ${o.keys.length}`);
      return client.deleteObjects(o);
    },
  };
  const sizes: number[] = [];
  const deleted = await deleteSelection(watched, BUCKET, sel, { onDeleted: (n) => sizes.push(n) });
  assert.equal(deleted, N);
  assert.deepEqual(sizes, [1000, 100]);
  assert.equal(server.stats.get('DeleteMultipleObjects').requests, 2);
  // Each page goes before the next is listed: never more than one page of keys held.
  assert.deepEqual(calls, ['list', 'delete 1000', 'list', 'delete 100']);
  assert.deepEqual(await listAllObjects(client, BUCKET, 'big/'), []);
  const left = (await listAllObjects(client, BUCKET, '')).map((o) => o.key);
  assert.deepEqual(left, ['big', 'bigger/keep.txt', 'other/keep.txt']);
});

test('10,000 objects below a folder: 10 DeleteMultipleObjects requests of 1000 keys', { timeout: 60_000 }, async () => {
  const fake = await startListingFake({ count: 10_000 });
  const c = fake.client();
  try {
    // The object inside the selected folder is not counted or sent twice.
    const sel = withoutOverlaps({ keys: ['many/0000005.bin'], prefixes: ['many/'] });
    assert.deepEqual(await countSelection(c, 'b', sel), { count: 10_000, examples: ['many/0000000.bin', 'many/0000001.bin', 'many/0000002.bin', 'many/0000003.bin', 'many/0000004.bin'] });
    const sizes: number[] = [];
    assert.equal(await deleteSelection(c, 'b', sel, { onDeleted: (n) => sizes.push(n) }), 10_000);
    assert.equal(fake.counts.get('DeleteMultipleObjects'), 10);
    assert.deepEqual(sizes, Array(10).fill(1000));
    assert.equal(fake.deleted.size, 10_000);
  } finally {
    await fake.close();
  }
});
