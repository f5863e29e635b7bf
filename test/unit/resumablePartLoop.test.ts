// The part ledger and loop shared by upload and download: what a kill leaves on disk depends on a
// finished part being in the checkpoint before its worker moves another, and on a resumed run
// counting only what its checkpoint lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DownloadCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { readCheckpoint } from '../../src/transfer/checkpoint/checkpointStore.js';
import { planParts } from '../../src/transfer/engine/partPlan.js';
import { ProgressMeter } from '../../src/transfer/engine/progressMeter.js';
import { PartLedger, runRemainingParts } from '../../src/transfer/engine/resumablePartLoop.js';
import { TransferError } from '../../src/transfer/transferError.js';

const PART = 102400;
const SIZE = 4 * PART + 1000;
const tick = () => new Promise<void>((r) => setImmediate(r));

const checkpoint = (parts: DownloadCheckpoint['parts'] = []): DownloadCheckpoint => ({
  direction: 'download',
  endpoint: 'http://127.0.0.1:9000',
  bucket: 'b',
  key: 'k',
  file: '/tmp/dest.bin',
  partSize: PART,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  object: { etag: '"E"', size: SIZE },
  tempFile: '/tmp/dest.bin.tmp',
  parts,
});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'partloop-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function savedParts(cptPath: string): Promise<number[]> {
  const r = await readCheckpoint(cptPath);
  if (!('ok' in r) || !r.ok) return assert.fail('the checkpoint is readable');
  return r.checkpoint.parts.map((p) => p.partNumber);
}

test('a finished part is in the checkpoint file before its worker starts the next part', () =>
  withDir(async (dir) => {
    const cptPath = path.join(dir, 'x.cpt');
    const ledger = new PartLedger(checkpoint(), cptPath, '/tmp/dest.bin');
    const plan = planParts(SIZE, PART);
    const seenAtStart: number[][] = [];
    await runRemainingParts(ledger, plan, { parallel: 1, signal: undefined, meter: new ProgressMeter(SIZE) }, async (part) => {
      seenAtStart.push(part.partNumber === 1 ? [] : await savedParts(cptPath));
      await tick();
      return { partNumber: part.partNumber, crc64: '0' };
    });
    assert.deepEqual(seenAtStart, [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]);
    assert.deepEqual(await savedParts(cptPath), [1, 2, 3, 4, 5]);
    await ledger.close();
  }));

test('a seeded ledger counts its bytes as committed, moves only the rest, and lists parts in plan order', async () => {
  const seeded = checkpoint([
    { partNumber: 5, crc64: '5' },
    { partNumber: 2, crc64: '2' },
  ]);
  const ledger = new PartLedger(seeded, undefined, '/tmp/dest.bin');
  const plan = planParts(SIZE, PART);
  assert.equal(ledger.committedBytes(plan), PART + 1000);
  assert.equal(ledger.persisted, false);
  const reports: number[] = [];
  const meter = new ProgressMeter(SIZE, (p) => reports.push(p.transferredBytes));
  const moved: number[] = [];
  await runRemainingParts(ledger, plan, { parallel: 2, signal: undefined, meter }, async (part) => {
    moved.push(part.partNumber);
    return { partNumber: part.partNumber, crc64: String(part.partNumber) };
  });
  assert.deepEqual(moved.sort(), [1, 3, 4]);
  assert.ok(reports.length > 0 && reports[0] === PART + 1000, `progress starts from the seeded bytes (${reports[0]})`);
  assert.deepEqual(
    ledger.inPlanOrder(plan).map((p) => p.crc64),
    ['1', '2', '3', '4', '5'],
  );
  // Without a checkpoint path nothing is written, and the checkpoint object is left as it was given.
  await ledger.save();
  assert.deepEqual(
    seeded.parts.map((p) => p.partNumber),
    [5, 2],
  );
});

test('a failing part stops the rest; the parts finished before it stay recorded', () =>
  withDir(async (dir) => {
    const cptPath = path.join(dir, 'x.cpt');
    const ledger = new PartLedger(checkpoint(), cptPath, '/tmp/dest.bin');
    const boom = new TransferError('CrcMismatch', 'part 2 is bad');
    const started: number[] = [];
    const p = runRemainingParts(ledger, planParts(SIZE, PART), { parallel: 1, signal: undefined, meter: new ProgressMeter(SIZE) }, async (part) => {
      started.push(part.partNumber);
      if (part.partNumber === 2) throw boom;
      return { partNumber: part.partNumber, crc64: '0' };
    });
    await assert.rejects(p, (e: unknown) => e === boom);
    await ledger.close();
    assert.deepEqual(started, [1, 2], 'nothing was started after the failure');
    assert.deepEqual(await savedParts(cptPath), [1]);
    assert.equal(ledger.has(2), false);
  }));

test('a checkpoint that cannot be written fails the part with a local I/O error naming the transfer', () =>
  withDir(async (dir) => {
    // The checkpoint's folder is a file: no write can succeed.
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const ledger = new PartLedger(checkpoint(), path.join(blocker, 'x.cpt'), '/tmp/dest.bin');
    const p = runRemainingParts(ledger, planParts(SIZE, PART), { parallel: 1, signal: undefined, meter: new ProgressMeter(SIZE) }, async (part) => ({
      partNumber: part.partNumber,
      crc64: '0',
    }));
    await assert.rejects(p, (e: unknown) => e instanceof TransferError && /writing the checkpoint .*x\.cpt of/.test(e.message) && e.message.includes('/tmp/dest.bin'));
    await ledger.close();
  }));
