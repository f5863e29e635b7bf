// The arithmetic of resuming inside a part (issue 17): prefixes carried across attempts with their
// CRC-64 combined, records made only of flushed bytes, finished parts leaving the records, and the
// checks a recorded prefix must pass before a resume trusts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { decodeCheckpoint, encodeCheckpoint, type DownloadCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { drainPartBody } from '../../src/transfer/engine/partBodyWriter.js';
import { PartialParts, partialPlanProblem, trustedPrefixes } from '../../src/transfer/engine/partialParts.js';
import { planParts } from '../../src/transfer/engine/partPlan.js';
import { ProgressMeter, type TransferProgress } from '../../src/transfer/engine/progressMeter.js';

function checkpoint(): DownloadCheckpoint {
  return {
    direction: 'download', endpoint: 'http://e', bucket: 'b', key: 'k', file: '/f', partSize: 1000, createdAt: '', updatedAt: '',
    object: { etag: '"e"', size: 3000 }, tempFile: '/f.osstmp-00000000', parts: [],
  };
}

/** A PartialParts whose flushes the test releases by hand and whose saves are recorded. */
function harness(opts: { persisted?: boolean; everyMs?: number } = {}) {
  const cpt = checkpoint();
  const done = new Set<number>();
  const saves: Array<DownloadCheckpoint['partial']> = [];
  const syncs: Array<() => void> = [];
  const reports: TransferProgress[] = [];
  const meter = new ProgressMeter(3000, (p) => reports.push(p), { intervalMs: 0 });
  const logs: string[] = [];
  const parts = new PartialParts(
    {
      cpt,
      ledger: { has: (n) => done.has(n), save: async () => void saves.push(structuredClone(cpt.partial)), persisted: opts.persisted ?? true },
      sync: () => new Promise<void>((r) => syncs.push(r)),
      meter,
      everyMs: opts.everyMs ?? 0,
      log: (m) => logs.push(m),
    },
    new Map(),
  );
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
  return { cpt, done, saves, syncs, meter, reports, parts, logs, settle };
}

test('a prefix carries across attempts: the next attempt starts where the record ends, with the combined CRC-64', async () => {
  const { parts, syncs, settle } = harness();
  const data = randomBytes(1000);
  assert.equal(parts.startOf(2), undefined, 'a part never begun starts at its first byte');
  parts.wrote(2, undefined, 300, crc64(data.subarray(0, 300)));
  assert.equal(parts.startOf(2), undefined, 'written but not yet flushed and recorded: not a place to start from');
  await settle();
  syncs.shift()!();
  await settle();
  const first = parts.startOf(2)!;
  assert.deepEqual(first, { bytes: 300, crc: crc64(data.subarray(0, 300)) });
  // The retry fetched bytes 300.. and wrote 450 more.
  parts.wrote(2, first, 450, crc64(data.subarray(300, 750)));
  await settle();
  syncs.shift()!();
  await settle();
  assert.deepEqual(parts.startOf(2), { bytes: 750, crc: crc64(data.subarray(0, 750)) });
  await parts.stop();
});

test('only flushed bytes are recorded: what was written after the flush began waits for the next save', async () => {
  const { parts, saves, syncs, cpt, settle, meter } = harness();
  const data = randomBytes(1000);
  parts.wrote(1, undefined, 200, crc64(data.subarray(0, 200)));
  await settle();
  assert.equal(syncs.length, 1, 'a save begins with a flush');
  assert.equal(saves.length, 0, 'nothing recorded before the flush returned');
  parts.wrote(1, undefined, 500, crc64(data.subarray(0, 500))); // written while the flush runs
  syncs.shift()!();
  await settle();
  assert.deepEqual(saves.at(-1), [{ partNumber: 1, bytes: 200, crc64: crc64ToString(crc64(data.subarray(0, 200))) }]);
  assert.equal(meter.keptBytes, 200, 'the meter keeps what the checkpoint holds');
  // The newer bytes get their own flush and save.
  assert.equal(syncs.length, 1);
  syncs.shift()!();
  await settle();
  assert.equal(saves.at(-1)![0]!.bytes, 500);
  assert.equal(cpt.partial![0]!.bytes, 500);
  await parts.stop();
});

test('a finished part leaves the records before its finished entry is saved; a save under way does not bring it back', async () => {
  const { parts, saves, syncs, cpt, done, settle, meter } = harness();
  parts.wrote(1, undefined, 200, 1n);
  parts.wrote(3, undefined, 100, 2n);
  await settle();
  syncs.shift()!();
  await settle();
  assert.deepEqual(cpt.partial!.map((p) => p.partNumber), [1, 3]);
  parts.wrote(1, undefined, 900, 3n);
  parts.wrote(3, undefined, 150, 4n);
  await settle();
  // Part 1 finishes while the next flush runs.
  const savedBefore = saves.length;
  parts.finished(1);
  done.add(1);
  meter.partDone(1, 1000);
  assert.deepEqual(cpt.partial!.map((p) => p.partNumber), [3], 'gone from the list at once');
  syncs.shift()!();
  await settle();
  assert.ok(saves.length > savedBefore, 'the flush under way went on to save part 3');
  assert.ok(saves.slice(savedBefore).every((s) => !(s ?? []).some((p) => p.partNumber === 1)), 'part 1 is never recorded as partial after it finished');
  assert.deepEqual(cpt.partial!.map((p) => p.partNumber), [3]);
  assert.equal(meter.keptBytes, 1000 + 150);
  parts.finished(3);
  assert.equal(cpt.partial, undefined, 'no list once nothing is partial');
  await parts.stop();
});

test("a finished part's flush carries the other parts' progress into its save: no flush or save of their own", async () => {
  const { parts, saves, syncs, cpt, done, settle } = harness({ everyMs: 60_000 });
  parts.wrote(1, undefined, 1000, 1n); // part 1 got all its bytes
  parts.wrote(2, undefined, 300, 2n);
  const before = parts.snapshot(); // taken before part 1's own flush
  parts.wrote(2, undefined, 450, 3n); // written during that flush: not covered by it
  parts.finished(1);
  done.add(1);
  parts.flushedBy(before);
  assert.deepEqual(cpt.partial, [{ partNumber: 2, bytes: 300, crc64: '2' }], "ready for part 1's save");
  await settle();
  assert.equal(syncs.length, 0, 'no flush of their own');
  assert.equal(saves.length, 0, 'no save of their own');
  await parts.stop();
});

test('keepAll flushes and records every prefix written; without a checkpoint nothing is recorded', async () => {
  const h = harness();
  h.parts.wrote(2, undefined, 640, 7n);
  const kept = h.parts.keepAll();
  await h.settle();
  // A background save may have started first; release every flush asked for.
  while (h.syncs.length) {
    h.syncs.shift()!();
    await h.settle();
  }
  await kept;
  assert.deepEqual(h.cpt.partial, [{ partNumber: 2, bytes: 640, crc64: '7' }]);
  assert.equal(h.meter.keptBytes, 640);

  const none = harness({ persisted: false });
  none.parts.wrote(2, undefined, 640, 7n);
  await none.parts.keepAll();
  assert.equal(none.syncs.length, 0);
  assert.equal(none.cpt.partial, undefined);
});

test('a recorded prefix must fit the plan: inside an existing part and shorter than it', () => {
  const plan = planParts(2500, 1000); // 1000, 1000, 500
  assert.equal(partialPlanProblem(undefined, plan), undefined);
  assert.equal(partialPlanProblem([{ partNumber: 3, bytes: 499, crc64: '1' }], plan), undefined);
  assert.match(partialPlanProblem([{ partNumber: 3, bytes: 500, crc64: '1' }], plan)!, /500 bytes of part 3, which holds 500/);
  assert.match(partialPlanProblem([{ partNumber: 4, bytes: 1, crc64: '1' }], plan)!, /partial part 4 of an object of only 3 parts/);
});

test('on resume a prefix is trusted only when the temp file holds bytes with its CRC-64', async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'partial-'));
  try {
    const file = path.join(dir, 'x.osstmp');
    const data = randomBytes(2500);
    await fsp.writeFile(file, data);
    const plan = planParts(2500, 1000);
    const fh = await fsp.open(file, 'r');
    const logs: string[] = [];
    const trusted = await trustedPrefixes(
      [
        { partNumber: 1, bytes: 300, crc64: crc64ToString(crc64(data.subarray(0, 300))) },
        { partNumber: 2, bytes: 400, crc64: crc64ToString(crc64(data.subarray(0, 400))) }, // the CRC of other bytes
        { partNumber: 3, bytes: 499, crc64: crc64ToString(crc64(data.subarray(2000, 2499))) },
      ],
      plan,
      fh,
      (m) => logs.push(m),
    );
    await fh.close();
    assert.deepEqual([...trusted.keys()], [1, 3]);
    assert.deepEqual(trusted.get(3), { bytes: 499, crc: crc64(data.subarray(2000, 2499)) });
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /first 400 bytes of part 2 does not match the temporary file; that part is fetched again whole/);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});

test('a body cut mid-part still writes what arrived and reports the written prefix with its CRC-64', async () => {
  const file = Buffer.alloc(1000);
  const data = randomBytes(1000);
  const written: Array<[number, bigint]> = [];
  const body = new PassThrough();
  const drained = drainPartBody(body, 0, 1000, 256, {
    write: async (bufs, _n, position) => void Buffer.concat(bufs).copy(file, position),
    progress: () => undefined,
    tooLong: () => new Error('too long'),
    written: (n, crc) => written.push([n, crc]),
  });
  body.write(data.subarray(0, 300)); // one full batch of 256 and 44 bytes waiting for the next
  await new Promise((r) => setTimeout(r, 10));
  body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  await assert.rejects(drained, /socket hang up/);
  assert.deepEqual(written.at(-1), [300, crc64(data.subarray(0, 300))], 'the 44 bytes were written before the rejection');
  assert.deepEqual(file.subarray(0, 300), data.subarray(0, 300));
});

test('bytes trickling in reach the file within the hold time, not only when a batch fills', async () => {
  const written: number[] = [];
  const body = new PassThrough();
  const drained = drainPartBody(
    body,
    0,
    100,
    1024 * 1024,
    { write: async () => undefined, progress: () => undefined, tooLong: () => new Error('too long'), written: (n) => written.push(n) },
    20,
  );
  body.write(Buffer.alloc(10));
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(written, [10], 'written after the hold time although the batch is far from full');
  body.end(Buffer.alloc(90));
  assert.equal((await drained).received, 100);
  assert.deepEqual(written, [10, 100]);
});

test('the meter reports what a resume keeps: finished parts and recorded prefixes, nothing without a checkpoint', () => {
  const reports: TransferProgress[] = [];
  const m = new ProgressMeter(3000, (p) => reports.push(p), { intervalMs: 0 });
  m.setCommitted(1000);
  m.setPhase('transferring');
  m.partAdvance(2, 700);
  m.partKept(2, 512);
  m.partAdvance(2, 800);
  assert.deepEqual([reports.at(-1)!.transferredBytes, reports.at(-1)!.keptBytes], [1800, 1512]);
  m.partDone(2, 1000);
  assert.deepEqual([reports.at(-1)!.transferredBytes, reports.at(-1)!.keptBytes], [2000, 2000]);
  m.partAdvance(3, 300);
  m.keepNothing();
  m.close();
  assert.deepEqual([reports.at(-1)!.transferredBytes, reports.at(-1)!.keptBytes], [2300, 0], 'closing reports where it stands');
});

test('the checkpoint codec refuses a partial list that is malformed or names a finished part', () => {
  const withPartial = (partial: unknown, parts: DownloadCheckpoint['parts'] = []): string => {
    const cpt = { ...checkpoint(), parts, partial } as DownloadCheckpoint;
    return encodeCheckpoint(cpt);
  };
  const ok = decodeCheckpoint(withPartial([{ partNumber: 2, bytes: 10, crc64: '123' }]));
  assert.equal(ok.ok, true);
  assert.equal(decodeCheckpoint(encodeCheckpoint(checkpoint())).ok, true, 'absent in older checkpoints');
  const reasons = [
    withPartial({}),
    withPartial([{ partNumber: 0, bytes: 10, crc64: '1' }]),
    withPartial([{ partNumber: 1, bytes: 0, crc64: '1' }]),
    withPartial([{ partNumber: 1, bytes: 1.5, crc64: '1' }]),
    withPartial([{ partNumber: 1, bytes: 10, crc64: 'x' }]),
    withPartial([{ partNumber: 1, bytes: 10, crc64: '1' }, { partNumber: 1, bytes: 20, crc64: '2' }]),
    withPartial([{ partNumber: 1, bytes: 10, crc64: '1' }], [{ partNumber: 1, crc64: '5' }]),
  ].map((text) => {
    const d = decodeCheckpoint(text);
    assert.equal(d.ok, false);
    return d.ok ? '' : d.reason;
  });
  assert.deepEqual(reasons, [
    'bad field partial',
    'bad partial part entry',
    'bad partial part entry',
    'bad partial part entry',
    'bad partial part entry',
    'partial part 1 listed twice',
    'part 1 listed as both finished and partial',
  ]);
});
