import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TransferJournal, type JournalRecord } from '../../src/transfer/batch/transferJournal.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'journal-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  return dir;
}

function record(id: string, extra: Partial<JournalRecord['spec']> = {}): JournalRecord {
  return {
    version: 1,
    id,
    spec: { direction: 'upload', profileId: 'prof-1', bucket: 'b', key: 'dir/file name.bin', file: '/home/u/file name.bin', size: 42, ...extra },
    cptPath: `/state/checkpoints/upload-${id}.cpt`,
    endpoint: 'http://127.0.0.1:9000',
    owner: { pid: 1234, instance: 'abc' },
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

test('writes, reads back and removes records; a missing folder reads as empty', async (t) => {
  const dir = await tempDir(t);
  const j = new TransferJournal(path.join(dir, 'checkpoints'));
  assert.deepEqual(await j.readAll(), { records: [], corrupt: [] });
  await j.write(record('a1'));
  await j.write(record('b2', { direction: 'download' }));
  const read = await j.readAll();
  assert.deepEqual(read.corrupt, []);
  assert.deepEqual(
    read.records.map((r) => [r.id, r.spec.direction]),
    [
      ['a1', 'upload'],
      ['b2', 'download'],
    ],
  );
  assert.deepEqual(read.records[0], record('a1'));
  await j.remove('a1');
  assert.deepEqual((await j.readAll()).records.map((r) => r.id), ['b2']);
  // No temp files left behind by the atomic writes.
  const names = await fsp.readdir(path.join(dir, 'checkpoints'));
  assert.deepEqual(names, ['transfer-b2.journal.json']);
});

test('never persists credential-bearing headers', async (t) => {
  const dir = await tempDir(t);
  const j = new TransferJournal(dir);
  await j.write(record('h1', { headers: { 'Content-Type': 'text/plain', Authorization: 'OSS ak:sig', 'x-oss-security-token': 'tok' } }));
  const text = await fsp.readFile(j.pathOf('h1'), 'utf8');
  assert.ok(!text.includes('sig') && !text.includes('tok'), text);
  assert.deepEqual((await j.readAll()).records[0]!.spec.headers, { 'Content-Type': 'text/plain' });
});

test('reports damaged files instead of throwing, and ignores unrelated files', async (t) => {
  const dir = await tempDir(t);
  const j = new TransferJournal(dir);
  await j.write(record('ok1'));
  await fsp.writeFile(path.join(dir, 'transfer-bad1.journal.json'), '{"version":1, "id": "bad1"');
  await fsp.writeFile(path.join(dir, 'transfer-bad2.journal.json'), JSON.stringify({ ...record('bad2'), spec: { direction: 'sideways' } }));
  await fsp.writeFile(path.join(dir, 'transfer-bad3.journal.json'), JSON.stringify(record('other')));
  await fsp.writeFile(path.join(dir, 'upload-x.cpt'), 'engine checkpoint, not ours');
  const read = await j.readAll();
  assert.deepEqual(read.records.map((r) => r.id), ['ok1']);
  assert.equal(read.corrupt.length, 3);
  assert.match(read.corrupt[0]!.reason, /not JSON/);
  assert.match(read.corrupt[1]!.reason, /direction/);
  assert.match(read.corrupt[2]!.reason, /does not match/);
  await j.removeFile(read.corrupt[0]!.file);
  assert.equal((await j.readAll()).corrupt.length, 2);
});

test('rejects ids that could escape the folder', () => {
  const j = new TransferJournal('/x');
  assert.throws(() => j.pathOf('../evil'), /Invalid transfer id/);
  assert.throws(() => j.pathOf(''), /Invalid transfer id/);
});

test('a remove queued behind a write of the same record wins', async (t) => {
  const dir = await tempDir(t);
  const j = new TransferJournal(dir);
  const w = j.write(record('r1'));
  const r = j.remove('r1');
  await Promise.all([w, r]);
  assert.deepEqual((await j.readAll()).records, []);
});

test('temp files a killed writer left behind are swept when the journal is read; fresh ones are kept', async (t) => {
  const dir = await tempDir(t);
  const j = new TransferJournal(dir);
  await j.write(record('k1'));
  const stale = `${j.pathOf('k1')}.tmp-999999999-0badf00d`; // a writer pid that does not exist
  const oldStyle = `${j.pathOf('k2')}.tmp-deadbeef`;
  const fresh = `${j.pathOf('k3')}.tmp-${process.pid}-12345678`;
  for (const f of [stale, oldStyle, fresh]) await fsp.writeFile(f, '{"half":');
  const longAgo = new Date(Date.now() - 3600_000);
  await fsp.utimes(stale, longAgo, longAgo);
  await fsp.utimes(oldStyle, longAgo, longAgo);
  const { records, corrupt } = await j.readAll();
  assert.deepEqual(records.map((r) => r.id), ['k1']);
  assert.deepEqual(corrupt, []);
  const left = (await fsp.readdir(dir)).sort();
  assert.deepEqual(left, [path.basename(j.pathOf('k1')), path.basename(fresh)].sort());
});

test('the owner keeps its host and start time; records without them (older versions) still load', async (t) => {
  const dir = await tempDir(t);
  const j = new TransferJournal(dir);
  await j.write({ ...record('n1'), owner: { pid: 1234, instance: 'abc', hostname: 'box', procStart: '98765' } });
  await j.write(record('o1'));
  // Hand-damaged optional fields: the record stays, judged by its pid like an old one.
  await fsp.writeFile(j.pathOf('d1'), JSON.stringify({ ...record('d1'), owner: { pid: 1234, instance: 'abc', hostname: 7, procStart: {} } }));
  const read = await j.readAll();
  assert.deepEqual(read.corrupt, []);
  const owners = Object.fromEntries(read.records.map((r) => [r.id, r.owner]));
  assert.deepEqual(owners, {
    d1: { pid: 1234, instance: 'abc' },
    n1: { pid: 1234, instance: 'abc', hostname: 'box', procStart: '98765' },
    o1: { pid: 1234, instance: 'abc' },
  });
});
