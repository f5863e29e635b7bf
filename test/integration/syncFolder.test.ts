// Folder ↔ prefix sync (issue 16) against the test server: both directions, new / changed /
// deleted files, include / exclude, deleting only when asked and never from an empty source,
// conflicts from the index of the last sync, checksum mode, names (NFC, case, unsafe keys), folder
// markers, and a corrupt index that is set aside without losing anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { isTransferError, planSync, resolveConflict, runSync, type SyncOptions, type SyncPlan } from '../../src/transfer/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { startOssServer } from '../server/index.js';
import type { OssServer } from '../server/serverTypes.js';

const CREDS = { accessKeyId: 'sync-ak', accessKeySecret: 'sync-sk' };
const BUCKET = 'sync';
let root: string;
let server: OssServer;
let client: OssClient;

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sync-it-'));
  server = await startOssServer({ port: 0, dataDir: path.join(root, 'server'), credentials: [CREDS], buckets: [BUCKET] });
  client = new OssClient({ ...CREDS, endpoint: server.endpoint, region: 'cn-hangzhou' });
});
after(async () => {
  await client.close();
  await server.close();
  await fsp.rm(root, { recursive: true, force: true });
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fsp.writeFile(path.join(dir, rel), body);
  }
}

/** Every object below the prefix as name → sha256. */
async function bucketState(prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const o of await listAllObjects(client, BUCKET, prefix)) out[o.key.slice(prefix.length)] = sha(await fsp.readFile(server.objectPath(BUCKET, o.key)!));
  return out;
}

/** Every file below the folder as name → sha256 (empty folders as name/). */
async function folderState(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string, rel: string): Promise<void> {
    const entries = await fsp.readdir(d, { withFileTypes: true });
    if (entries.length === 0 && rel) out[`${rel}/`] = sha('');
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else out[r] = sha(await fsp.readFile(path.join(d, e.name)));
    }
  }
  await walk(dir, '');
  return out;
}

function names(plan: SyncPlan, kind: string): string[] {
  return plan.items.filter((i) => i.kind === kind).map((i) => i.name).sort();
}

let n = 0;
/** A fresh folder, prefix and state folder per test. */
async function pair(files: Record<string, string | Buffer> = {}) {
  const id = `t${++n}`;
  const localDir = path.join(root, id, 'local');
  const stateDir = path.join(root, id, 'state');
  const checkpointDir = path.join(root, id, 'cpt');
  await fsp.mkdir(localDir, { recursive: true });
  await writeTree(localDir, files);
  const prefix = `${id}/`;
  const opts = (extra: Partial<SyncOptions> = {}): SyncOptions => ({ direction: 'upload', localDir, bucket: BUCKET, prefix, stateDir, ...extra });
  const sync = async (extra: Partial<SyncOptions> = {}, run: Parameters<typeof runSync>[2] = {}) => {
    const plan = await planSync(client, opts(extra));
    const result = await runSync(client, plan, { checkpointDir, ...run });
    return { plan, result };
  };
  return { id, localDir, stateDir, checkpointDir, prefix, opts, sync };
}

test('upload: a first sync sends everything, a second with nothing changed sends nothing and asks no HEAD', async () => {
  const p = await pair({ 'a.txt': 'alpha', 'sub/b.txt': 'bravo', 'sub/deep/c.bin': randomBytes(5000), 'empty-dir/.keep-not': '' });
  await fsp.rm(path.join(p.localDir, 'empty-dir/.keep-not'));
  const first = await p.sync();
  assert.deepEqual(names(first.plan, 'new'), ['a.txt', 'empty-dir/', 'sub/b.txt', 'sub/deep/c.bin']);
  assert.equal(first.result.upload.done, 4);
  assert.deepEqual(first.result.failures, []);
  assert.deepEqual(await bucketState(p.prefix), await folderState(p.localDir), 'the bucket matches the folder byte for byte');
  const head = await client.headObject({ bucket: BUCKET, key: `${p.prefix}sub/b.txt` });
  const mtime = (await fsp.stat(path.join(p.localDir, 'sub/b.txt'))).mtimeMs;
  assert.ok(Math.abs(Number(head.meta['mtime']) * 1000 - mtime) < 1, `the file's time travels in x-oss-meta-mtime (${head.meta['mtime']} vs ${mtime})`);
  assert.match(head.contentType ?? '', /^text\/plain/, 'a content type from the name, as an upload sets');

  server.stats.reset();
  const second = await planSync(client, p.opts());
  assert.equal(second.totals.unchanged.files, 4);
  assert.equal(second.totals.upload.files + second.totals.delete.files, 0);
  assert.equal(server.stats.get('HeadObject').requests, 0, 'no request per unchanged file beyond the listing');
  assert.equal(server.stats.get('ListObjectsV2').requests, 1);
});

test('upload: two changed files, one deleted and one new are exactly what the plan shows; deleting only when asked', async () => {
  // Eight files, so deleting one stays under the large-delete threshold (20% of the destination).
  const p = await pair({ 'one.txt': 'one', 'two.txt': 'two', 'three.txt': 'three', 'four.txt': 'four', 'x1': '1', 'x2': '2', 'x3': '3', 'x4': '4' });
  await p.sync();
  await fsp.writeFile(path.join(p.localDir, 'one.txt'), 'ONE changed, longer');
  await new Promise((r) => setTimeout(r, 20));
  await fsp.writeFile(path.join(p.localDir, 'two.txt'), 'TWO'); // same size, new content and time
  await fsp.rm(path.join(p.localDir, 'three.txt'));
  await fsp.writeFile(path.join(p.localDir, 'five.txt'), 'five');

  const kept = await planSync(client, p.opts());
  assert.deepEqual(names(kept, 'changed'), ['one.txt', 'two.txt']);
  assert.deepEqual(names(kept, 'new'), ['five.txt']);
  assert.deepEqual(names(kept, 'extraneous'), ['three.txt']);
  assert.equal(kept.totals.delete.files, 0, 'deleting is off by default');
  assert.equal(kept.items.find((i) => i.name === 'three.txt')!.action, 'skip');

  const { plan, result } = await p.sync({ deleteExtraneous: true });
  assert.equal(plan.items.find((i) => i.name === 'three.txt')!.action, 'delete');
  assert.deepEqual([result.upload.done, result.delete.done], [3, 1]);
  assert.deepEqual(await bucketState(p.prefix), await folderState(p.localDir));
});

test('download: objects come down with their times, local changes are replaced, extraneous files go only when asked', async () => {
  const p = await pair();
  for (const [k, v] of Object.entries({ 'x.txt': 'ex', 'dir/y.txt': 'why', 'dir/z/': '' })) await client.putObject({ bucket: BUCKET, key: `${p.prefix}${k}`, body: Buffer.from(v) });
  const first = await p.sync({ direction: 'download' });
  assert.deepEqual(names(first.plan, 'new'), ['dir/y.txt', 'dir/z/', 'x.txt']);
  assert.deepEqual(await folderState(p.localDir), await bucketState(p.prefix));
  const again = await planSync(client, p.opts({ direction: 'download' }));
  assert.equal(again.totals.download.files, 0, 'nothing to download a second time');

  await fsp.writeFile(path.join(p.localDir, 'x.txt'), 'local edit');
  await fsp.writeFile(path.join(p.localDir, 'extra.txt'), 'only here');
  const kept = await p.sync({ direction: 'download' });
  assert.deepEqual(names(kept.plan, 'changed'), ['x.txt']);
  assert.deepEqual(names(kept.plan, 'extraneous'), ['extra.txt']);
  assert.equal(await fsp.readFile(path.join(p.localDir, 'x.txt'), 'utf8'), 'ex');
  assert.equal(await fsp.readFile(path.join(p.localDir, 'extra.txt'), 'utf8'), 'only here', 'not deleted without asking');

  const trashed: string[] = [];
  const del = await p.sync({ direction: 'download', deleteExtraneous: true }, { confirmLargeDelete: true, deleteLocal: async (f) => (trashed.push(f), fsp.rm(f)) });
  assert.equal(del.result.delete.done, 1);
  assert.deepEqual(trashed, [path.join(p.localDir, 'extra.txt')], 'local deletes go through the given deleter (the trash in VS Code)');
  assert.deepEqual(await folderState(p.localDir), await bucketState(p.prefix));
});

test('include / exclude: gitignore-style patterns, node_modules, .git and an inner checkpoint folder left out', async () => {
  const p = await pair({
    'src/app.js': 'app', 'src/app.log': 'log', 'docs/guide.md': 'guide', 'docs/draft.tmp': 'tmp', 'README.md': 'readme',
    'node_modules/lib/index.js': 'lib', '.git/HEAD': 'ref', 'build/out.js': 'out', '.cpt/x.cpt': 'cpt',
  });
  const plan = await planSync(client, p.opts({ exclude: ['*.log', '/build/'], checkpointDir: path.join(p.localDir, '.cpt') }));
  assert.deepEqual(plan.items.map((i) => i.name).sort(), ['README.md', 'docs/draft.tmp', 'docs/guide.md', 'src/app.js']);
  const narrowed = await planSync(client, p.opts({ include: ['docs/', 'README.md'], exclude: ['*.tmp'] }));
  assert.deepEqual(narrowed.items.map((i) => i.name).sort(), ['README.md', 'docs/guide.md']);
  const all = await planSync(client, p.opts({ defaultExcludes: false, include: ['node_modules/**'] }));
  assert.deepEqual(all.items.map((i) => i.name).sort(), ['node_modules/lib/index.js'], 'node_modules only when asked');
});

test('delete guards: an empty or missing source never wipes the other side; a large delete needs a second yes', async () => {
  const p = await pair({ 'keep.txt': 'k' });
  await p.sync();
  const emptyDir = path.join(root, p.id, 'empty');
  await fsp.mkdir(emptyDir);
  await assert.rejects(planSync(client, p.opts({ localDir: emptyDir, prefix: p.prefix, deleteExtraneous: true, stateDir: undefined })), (e: unknown) => isTransferError(e, 'SyncRefused') && /Refusing to delete 1 file/.test((e as Error).message));
  await assert.rejects(planSync(client, p.opts({ localDir: path.join(root, p.id, 'missing'), deleteExtraneous: true })), (e: unknown) => isTransferError(e, 'FileNotFound'));
  // A mistyped prefix: nothing to download from, so nothing local is deleted.
  await assert.rejects(planSync(client, p.opts({ direction: 'download', prefix: `${p.prefix}typo/`, deleteExtraneous: true })), (e: unknown) => isTransferError(e, 'SyncRefused'));
  assert.deepEqual(Object.keys(await bucketState(p.prefix)), ['keep.txt']);
  assert.equal(await fsp.readFile(path.join(p.localDir, 'keep.txt'), 'utf8'), 'k');

  const big = await pair(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}.txt`, `${i}`])));
  await big.sync();
  for (let i = 1; i < 60; i++) await fsp.rm(path.join(big.localDir, `f${i}.txt`));
  const plan = await planSync(client, big.opts({ deleteExtraneous: true }));
  assert.deepEqual(plan.largeDelete, { count: 59, destinationCount: 60 });
  await assert.rejects(runSync(client, plan, { checkpointDir: big.checkpointDir }), (e: unknown) => isTransferError(e, 'SyncRefused') && /59 of 60/.test((e as Error).message));
  assert.equal(Object.keys(await bucketState(big.prefix)).length, 60, 'nothing deleted without the second yes');
  const done = await runSync(client, plan, { checkpointDir: big.checkpointDir, confirmLargeDelete: true });
  assert.equal(done.delete.done, 59);
  // Two of five is 40%, above the share even though under 50 files.
  const share = await pair({ a: '1', b: '2', c: '3', d: '4', e: '5' });
  await share.sync();
  await fsp.rm(path.join(share.localDir, 'a'));
  await fsp.rm(path.join(share.localDir, 'b'));
  assert.ok((await planSync(client, share.opts({ deleteExtraneous: true }))).largeDelete);
});

test('conflicts: both sides changed since the last sync is listed, skipped by default, resolved only when chosen', async () => {
  const p = await pair({ 'doc.txt': 'v1', 'other.txt': 'o' });
  await p.sync();
  await fsp.writeFile(path.join(p.localDir, 'doc.txt'), 'local v2');
  await client.putObject({ bucket: BUCKET, key: `${p.prefix}doc.txt`, body: Buffer.from('remote v2!') });
  const { plan, result } = await p.sync();
  const c = plan.items.find((i) => i.name === 'doc.txt')!;
  assert.equal(c.kind, 'conflict');
  assert.equal(c.action, 'skip');
  assert.equal(result.upload.done, 0);
  assert.equal((await bucketState(p.prefix))['doc.txt'], sha('remote v2!'), 'never a silent overwrite');

  const again = await planSync(client, p.opts());
  const item = again.items.find((i) => i.name === 'doc.txt')!;
  assert.equal(item.kind, 'conflict', 'still a conflict on the next plan');
  resolveConflict(again, item, 'keep-remote');
  assert.equal(again.totals.download.files, 1);
  await runSync(client, again, { checkpointDir: p.checkpointDir });
  assert.equal(await fsp.readFile(path.join(p.localDir, 'doc.txt'), 'utf8'), 'remote v2!');
  assert.equal((await planSync(client, p.opts())).totals.unchanged.files, 2, 'resolved: both sides agree again');
});

test('checksum mode: a touched file with the same content is unchanged; the index spares reading it next time', async () => {
  const p = await pair({ 'same.bin': randomBytes(20_000), 'diff.bin': randomBytes(100) });
  await p.sync({ compare: 'checksum' });
  const later = new Date(Date.now() + 60_000);
  await fsp.utimes(path.join(p.localDir, 'same.bin'), later, later);
  const d = await fsp.readFile(path.join(p.localDir, 'diff.bin'));
  d[0] = d[0]! ^ 0xff;
  await fsp.writeFile(path.join(p.localDir, 'diff.bin'), d);
  const plan = await planSync(client, p.opts({ compare: 'checksum' }));
  assert.equal(plan.items.find((i) => i.name === 'same.bin')!.kind, 'unchanged');
  assert.equal(plan.items.find((i) => i.name === 'diff.bin')!.kind, 'changed');
  await runSync(client, plan, { checkpointDir: p.checkpointDir });
  const next = await planSync(client, p.opts({ compare: 'checksum' }));
  assert.equal(next.totals.unchanged.files, 2);
  assert.equal(next.filesHashed, 0, 'the index gives the CRC-64 of unchanged files');
  assert.equal(next.headRequests, 0);
});

test('without an index: size and times decide, and checksum mode asks the server for CRC-64', async () => {
  const p = await pair({ 'a.txt': 'aaaa', 'b.txt': 'bbbb' });
  await p.sync();
  const fresh = { stateDir: path.join(root, p.id, 'other-machine') };
  const plan = await planSync(client, p.opts(fresh));
  assert.equal(plan.totals.unchanged.files, 2, 'uploaded after the files changed: unchanged');
  const sum = await planSync(client, p.opts({ ...fresh, compare: 'checksum' }));
  assert.equal(sum.totals.unchanged.files, 2);
  assert.equal(sum.headRequests, 2);
  assert.equal(sum.filesHashed, 2);
});

test('names: unsafe keys are refused per file, an NFD file matches its NFC key, keys differing in case are refused on a case-insensitive disk', async () => {
  const p = await pair();
  for (const k of ['ok.txt', 'bad\u0001name.txt', 'Readme.md', 'README.md']) await client.putObject({ bucket: BUCKET, key: `${p.prefix}${k}`, body: Buffer.from(k) });
  const plan = await planSync(client, p.opts({ direction: 'download', caseInsensitive: true }));
  assert.deepEqual(names(plan, 'refused'), ['README.md', 'Readme.md', 'bad\u0001name.txt']);
  assert.match(plan.items.find((i) => i.name === 'README.md')!.reason, /differ only in case/);
  assert.match(plan.items.find((i) => i.name.startsWith('bad'))!.reason, /control characters/);
  const r = await runSync(client, plan, { checkpointDir: p.checkpointDir });
  assert.equal(r.download.done, 1);
  assert.deepEqual(await fsp.readdir(p.localDir), ['ok.txt'], 'nothing refused was written');

  const q = await pair({ ['cafe\u0301.txt']: 'nfd' });
  await q.sync();
  assert.deepEqual(Object.keys(await bucketState(q.prefix)), ['caf\u00e9.txt'], 'the key is NFC');
  assert.equal((await planSync(client, q.opts())).totals.unchanged.files, 1, 'the NFD file matches its NFC key');
});

test('a name refused locally (two files that are one name after NFC) keeps its object: not deleted, not downloaded over them', async () => {
  const p = await pair({ 'caf\u00e9.txt': 'nfc', 'cafe\u0301.txt': 'nfd', 'other.txt': 'o' });
  await client.putObject({ bucket: BUCKET, key: `${p.prefix}caf\u00e9.txt`, body: Buffer.from('on OSS') });
  await client.putObject({ bucket: BUCKET, key: `${p.prefix}gone.txt`, body: Buffer.from('extraneous') });
  const up = await planSync(client, p.opts({ deleteExtraneous: true }));
  assert.deepEqual(names(up, 'refused'), ['caf\u00e9.txt', 'caf\u00e9.txt'], 'both local files are refused');
  assert.deepEqual(up.items.filter((i) => i.action === 'delete').map((i) => i.name), ['gone.txt'], 'the twin object is not planned as extraneous');
  const r = await runSync(client, up, { checkpointDir: p.checkpointDir, confirmLargeDelete: true });
  assert.equal(r.delete.done, 1);
  assert.equal((await bucketState(p.prefix))['caf\u00e9.txt'], sha('on OSS'), 'the object is kept');
  const down = await planSync(client, p.opts({ direction: 'download', deleteExtraneous: true }));
  assert.ok(!down.items.some((i) => i.name === 'caf\u00e9.txt' && i.action !== 'skip'), 'nothing is downloaded over the twins');
  await runSync(client, down, { checkpointDir: p.checkpointDir, confirmLargeDelete: true });
  assert.equal(await fsp.readFile(path.join(p.localDir, 'caf\u00e9.txt'), 'utf8'), 'nfc');
  assert.equal(await fsp.readFile(path.join(p.localDir, 'cafe\u0301.txt'), 'utf8'), 'nfd');
});

test('a key like ../../x from a hostile listing never leaves the folder', async () => {
  const p = await pair();
  const fake = {
    endpoint: client.endpoint,
    headObject: client.headObject.bind(client),
    listObjectsV2: async () => ({
      status: 200, requestId: 'r', headers: {}, name: BUCKET, prefix: p.prefix, isTruncated: false, keyCount: 2, prefixes: [],
      objects: [`${p.prefix}../../x`, `${p.prefix}fine.txt`].map((key) => ({ key, lastModified: new Date().toISOString(), etag: '"E"', size: 1, storageClass: 'Standard', type: 'Normal' })),
    }),
  } as unknown as OssClient;
  const plan = await planSync(fake, p.opts({ direction: 'download' }));
  const bad = plan.items.find((i) => i.key.endsWith('../../x'))!;
  assert.equal(bad.kind, 'refused');
  assert.equal(bad.action, 'skip');
  assert.match(bad.reason, /"\.\." path segment/);
  assert.equal(plan.items.find((i) => i.name === 'fine.txt')!.action, 'download');
});

test('a corrupt index is set aside: the plan compares both sides afresh and loses nothing', async () => {
  const p = await pair({ 'a.txt': 'a' });
  await p.sync();
  const [file] = (await fsp.readdir(p.stateDir)).filter((f) => f.endsWith('.json'));
  await fsp.writeFile(path.join(p.stateDir, file!), '{"format":1,"pair":');
  const plan = await planSync(client, p.opts());
  assert.equal(plan.totals.unchanged.files, 1);
  assert.match(plan.notes?.[0] ?? '', /set aside/);
  assert.ok((await fsp.readdir(p.stateDir)).some((f) => f.includes('.corrupt-')), 'the bad file is kept for a look, not deleted');
});

test('symbolic links are not followed unless asked', async () => {
  const p = await pair({ 'real/file.txt': 'r' });
  await fsp.symlink(path.join(p.localDir, 'real'), path.join(p.localDir, 'link'));
  assert.deepEqual((await planSync(client, p.opts())).items.map((i) => i.name), ['real/file.txt']);
  assert.deepEqual((await planSync(client, p.opts({ followSymlinks: true }))).items.map((i) => i.name).sort(), ['link/file.txt', 'real/file.txt']);
});
