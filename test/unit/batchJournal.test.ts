// The batch journal: records round-trip, groups cost one write and one fdatasync each, a torn tail
// or an unknown record is skipped, a newer version's file is reported, a finished batch leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchJournal, nodeJournalFileOps, type JournalFileOps } from '../../src/transfer/batch/batchJournal.js';
import { batchJournalPath, parseBatchJournal, readBatchJournals, type BatchHeader } from '../../src/transfer/batch/batchJournalFormat.js';
import type { TransferSpec } from '../../src/transfer/batch/transferTypes.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bjournal-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  return dir;
}

const header = (id = 'b1'): BatchHeader => ({ id, label: 'Upload folder', owner: { pid: 42, instance: 'w1', hostname: 'box', procStart: '7' }, created: '2026-01-01T00:00:00.000Z' });
const spec = (key: string, extra: Partial<TransferSpec> = {}): TransferSpec => ({ direction: 'upload', profileId: 'p1', bucket: 'b', key, file: `/src/${key}`, size: 10, ...extra });

/** The real file operations, counting each call. */
function counting(failWrites = 0): { ops: JournalFileOps; n: Record<string, number> } {
  const n = { open: 0, write: 0, datasync: 0, syncFolder: 0, remove: 0, replace: 0 };
  let fail = failWrites;
  const ops: JournalFileOps = {
    async openAppend(file) {
      n.open++;
      const h = await nodeJournalFileOps.openAppend(file);
      return {
        async write(data) {
          n.write++;
          if (fail > 0) {
            fail--;
            // Half the group reaches the file, then the disk says no (a torn group).
            await h.write(data.subarray(0, Math.floor(data.length / 2)));
            throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
          }
          await h.write(data);
        },
        async datasync() {
          n.datasync++;
          await h.datasync();
        },
        close: () => h.close(),
      };
    },
    async syncFolder(dir) {
      n.syncFolder++;
      await nodeJournalFileOps.syncFolder(dir);
    },
    async remove(file) {
      n.remove++;
      await nodeJournalFileOps.remove(file);
    },
    async replace(file, text) {
      n.replace++;
      await nodeJournalFileOps.replace(file, text);
    },
  };
  return { ops, n };
}

test('records round-trip: items, big-file starts, sends, done, drops and a new owner; no credential is written', async (t) => {
  const dir = await tempDir(t);
  const j = BatchJournal.create(dir, header());
  j.addItem('i1', spec('a', { headers: { 'Content-Type': 'text/plain', Authorization: 'OSS ak:sig', 'x-oss-security-token': 'tok' } }));
  j.addItem('i2', spec('b', { direction: 'download' }));
  j.addItem('i3', spec('c'));
  j.addItem('i4', spec('d'));
  j.started('i2', '/cpt/x.cpt', 'http://e');
  j.sending('i1');
  j.sending('i3');
  j.done('i3');
  j.drop('i4');
  j.setOwner({ pid: 0, instance: 'released' });
  await j.commit();
  const text = await fsp.readFile(j.file, 'utf8');
  assert.ok(!text.includes('sig') && !text.includes('tok'), text);
  const { journals, damaged, unknownVersion } = await readBatchJournals(dir);
  assert.deepEqual([damaged, unknownVersion], [[], []]);
  assert.equal(journals.length, 1);
  const s = journals[0]!;
  assert.equal(s.file, batchJournalPath(dir, 'b1'));
  assert.deepEqual({ ...s.header, owner: s.header.owner }, { ...header(), owner: { pid: 0, instance: 'released' } });
  assert.notEqual(s.ownedSince, header().created);
  assert.deepEqual(s.items, [
    { id: 'i1', spec: spec('a', { headers: { 'Content-Type': 'text/plain' } }), sent: true, done: false, dropped: false },
    { id: 'i2', spec: spec('b', { direction: 'download' }), cptPath: '/cpt/x.cpt', endpoint: 'http://e', sent: false, done: false, dropped: false },
    { id: 'i3', spec: spec('c'), sent: false, done: true, dropped: false },
    { id: 'i4', spec: spec('d'), sent: false, done: false, dropped: true },
  ]);
  assert.equal(s.damagedLines, 0);
  await j.close();
});

test('group commit: one write and one fdatasync per group, far fewer than records', async (t) => {
  const dir = await tempDir(t);
  const { ops, n } = counting();
  const j = BatchJournal.create(dir, header(), { ops, groupRecords: 100, groupMs: 60_000 });
  // 2,000 small files: an item line each, then a send and a done each.
  for (let i = 0; i < 2000; i++) j.addItem(`i${i}`, spec(`k${i}`));
  for (let i = 0; i < 1999; i++) {
    j.sending(`i${i}`);
    j.done(`i${i}`);
  }
  await j.commit();
  const records = 1 + 2000 + 2 * 1999;
  assert.equal(n.datasync, n.write, 'each group is flushed once');
  assert.ok(n.write <= Math.ceil(records / 100) + 1, `${n.write} groups for ${records} records`);
  assert.equal(n.open, 1);
  assert.equal(n.syncFolder, 1, 'the folder once, when the file is created');
  const s = (await readBatchJournals(dir)).journals[0]!;
  assert.equal(s.items.filter((i) => i.done).length, 1999);
  await j.close();
});

test('group commit: records within the interval share one group, and concurrent commits share one flush', async (t) => {
  const dir = await tempDir(t);
  const { ops, n } = counting();
  const j = BatchJournal.create(dir, header(), { ops, groupMs: 30 });
  for (let i = 0; i < 20; i++) j.addItem(`i${i}`, spec(`k${i}`));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(n.datasync, 1, 'the timer wrote the 20 items as one group');
  for (let i = 0; i < 10; i++) j.started(`i${i}`, `/c/${i}.cpt`, 'http://e');
  // Ten big files awaiting their start record at once: at most one group in flight plus one after it.
  await Promise.all(Array.from({ length: 10 }, () => j.commit()));
  assert.ok(n.datasync <= 3, `${n.datasync} flushes`);
  const s = (await readBatchJournals(dir)).journals[0]!;
  assert.equal(s.items.filter((i) => i.cptPath).length, 10);
  await j.close();
});

test('a torn last line (killed mid-write) is ignored; unknown record kinds are skipped; a damaged middle line is counted', () => {
  const h = JSON.stringify({ batchJournal: 1, ...header() });
  const item = (id: string) => JSON.stringify({ kind: 'item', id, spec: spec(id) });
  const text = [h, item('a'), JSON.stringify({ kind: 'checksum-v2', crc: 'x' }), item('b'), '{"kind":"done","id"', ''].join('\n') + '{"kind":"done","id":"a"}'.slice(0, 12);
  const r = parseBatchJournal('/x', text);
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.deepEqual(r.state.items.map((i) => [i.id, i.done]), [
    ['a', false],
    ['b', false],
  ]);
  assert.equal(r.state.damagedLines, 1, 'the unfinished line in the middle');
  const clean = parseBatchJournal('/x', `${h}\n${item('a')}\n{"kind":"do`);
  assert.ok(clean.kind === 'ok' && clean.state.damagedLines === 0 && clean.state.items.length === 1);
  assert.equal(parseBatchJournal('/x', '{"batchJour').kind, 'damaged');
});

test('a group that failed part-way is written again with the next, after a fresh line', async (t) => {
  const dir = await tempDir(t);
  const errors: unknown[] = [];
  const { ops } = counting(1);
  const j = BatchJournal.create(dir, header(), { ops, groupMs: 60_000, onError: (e) => errors.push(e) });
  j.addItem('a', spec('a'));
  await assert.rejects(j.commit(), /no space/);
  j.addItem('b', spec('b'));
  await j.commit();
  j.done('a');
  await j.commit();
  await j.close();
  const s = (await readBatchJournals(dir)).journals[0]!;
  assert.deepEqual(s.items.map((i) => [i.id, i.done]), [
    ['a', true],
    ['b', false],
  ]);
  assert.equal(s.damagedLines, 0);
  assert.equal(errors.length, 1);

  // A torn group after the header: the next starts on a new line, so only that half line is lost.
  const { ops: ops2 } = counting();
  const j2 = BatchJournal.create(dir, header('b2'), { ops: ops2, groupMs: 60_000 });
  j2.addItem('x', spec('x'));
  await j2.commit();
  await j2.close();
  await fsp.appendFile(j2.file, '{"kind":"item","id":"y","spec":');
  const { ops: ops3 } = counting(1);
  const again = await BatchJournal.compact(dir, header('b2'), (await readBatchJournals(dir)).journals.find((s) => s.header.id === 'b2')!.items, { ops: ops3, groupMs: 60_000 });
  again.addItem('z', spec('z'));
  await assert.rejects(again.commit());
  await again.commit();
  await again.close();
  const s2 = (await readBatchJournals(dir)).journals.find((s) => s.header.id === 'b2')!;
  assert.deepEqual(s2.items.map((i) => i.id), ['x', 'z']);
  assert.equal(s2.damagedLines, 1, 'the half group');
});

test("a journal from a newer version is reported and left alone, not read or thrown on; one of another batch's name is damaged", async (t) => {
  const dir = await tempDir(t);
  const future = batchJournalPath(dir, 'f1');
  await fsp.writeFile(future, `${JSON.stringify({ batchJournal: 2, id: 'f1', items: 'elsewhere' })}\n`);
  await fsp.writeFile(batchJournalPath(dir, 'm1'), `${JSON.stringify({ batchJournal: 1, ...header('other') })}\n`);
  await fsp.writeFile(path.join(dir, 'upload-x.cpt'), 'not ours');
  const r = await readBatchJournals(dir);
  assert.deepEqual(r.journals, []);
  assert.deepEqual(r.unknownVersion, [{ file: future, version: 2 }]);
  assert.equal(r.damaged.length, 1);
  assert.match(r.damaged[0]!.reason, /does not match/);
  assert.ok(await fsp.stat(future));
  assert.deepEqual(await readBatchJournals(path.join(dir, 'absent')), { journals: [], unknownVersion: [], damaged: [] });
});

test('a batch whose items are all done or dropped removes its journal; one that settles before its first group never writes', async (t) => {
  const dir = await tempDir(t);
  const { ops, n } = counting();
  const j = BatchJournal.create(dir, header(), { ops, groupMs: 60_000 });
  j.addItem('a', spec('a'));
  j.addItem('b', spec('b'));
  j.addItem('c', spec('c'));
  await j.seal();
  await j.commit();
  j.done('a');
  j.done('b');
  await j.commit();
  assert.ok(await fsp.stat(j.file));
  j.drop('c');
  await j.remove(); // what the last settle started; waits for it
  await assert.rejects(fsp.stat(j.file), { code: 'ENOENT' });
  assert.equal(n.remove, 1);

  const { ops: quiet, n: q } = counting();
  const k = BatchJournal.create(dir, header('b2'), { ops: quiet, groupMs: 60_000 });
  k.addItem('a', spec('a'));
  await k.seal();
  k.done('a');
  await k.commit();
  assert.equal(k.finished, true);
  assert.deepEqual([q.open, q.write, q.datasync, q.remove], [0, 0, 0, 0]);
  assert.deepEqual(await fsp.readdir(dir), []);

  // A streamed batch may add more after all so far are done: its journal stays until the source ends.
  const m = BatchJournal.create(dir, header('b3'), { groupMs: 60_000 });
  m.addItem('a', spec('a'));
  m.done('a');
  await m.commit();
  assert.equal(m.finished, false);
  assert.ok(await fsp.stat(m.file));
  await m.seal();
  assert.equal(m.finished, true);
  await assert.rejects(fsp.stat(m.file), { code: 'ENOENT' });
});

test('compaction keeps only the given items under the new owner and appends after them', async (t) => {
  const dir = await tempDir(t);
  const j = BatchJournal.create(dir, header());
  for (const id of ['a', 'b', 'c']) j.addItem(id, spec(id));
  j.started('b', '/c/b.cpt', 'http://e');
  j.sending('c');
  j.done('a');
  await j.close();
  const before = (await readBatchJournals(dir)).journals[0]!;
  const owner = { pid: 7, instance: 'w2' };
  const c = await BatchJournal.compact(dir, { ...before.header, owner }, before.items.filter((i) => !i.done));
  assert.equal(c.pending, 2);
  c.done('b');
  await c.commit();
  const after = (await readBatchJournals(dir)).journals[0]!;
  assert.deepEqual(after.header.owner, owner);
  assert.deepEqual(after.items.map((i) => [i.id, i.done, i.sent, i.cptPath ?? null]), [
    ['b', true, false, '/c/b.cpt'],
    ['c', false, true, null],
  ]);
  const lines = (await fsp.readFile(c.file, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 1 + 2 + 1 + 1 + 1, 'header, two items, a start, a send, a done');
  await c.close();
});
