import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressMeter, type TransferProgress } from '../../src/transfer/engine/progressMeter.js';

function meter(total: number, intervalMs = 0) {
  let now = 1000;
  const reports: TransferProgress[] = [];
  const m = new ProgressMeter(total, (p) => reports.push(p), { intervalMs, now: () => now });
  return { m, reports, tick: (ms: number) => (now += ms) };
}

test('counts bytes inside parts in flight and commits finished parts', () => {
  const { m, reports, tick } = meter(1000);
  m.setPhase('transferring');
  tick(10);
  m.partAdvance(1, 100);
  m.partAdvance(2, 50);
  assert.equal(reports.at(-1)!.transferredBytes, 150);
  m.partDone(1, 400);
  assert.equal(reports.at(-1)!.transferredBytes, 450);
});

test('a failed attempt never makes the report go backwards', () => {
  const { m, reports } = meter(1000);
  m.setPhase('transferring');
  m.partAdvance(1, 300);
  assert.equal(reports.at(-1)!.transferredBytes, 300);
  m.partFailed(1);
  m.partAdvance(1, 100); // the retry starts again from zero
  assert.equal(reports.at(-1)!.transferredBytes, 300, 'holds still instead of dipping');
  m.partAdvance(1, 350);
  assert.equal(reports.at(-1)!.transferredBytes, 350);
  for (let i = 1; i < reports.length; i++) assert.ok(reports[i]!.transferredBytes >= reports[i - 1]!.transferredBytes);
});

test('never exceeds the total, and "done" comes only from finish()', () => {
  const { m, reports } = meter(100);
  m.setPhase('transferring');
  m.partAdvance(1, 80);
  m.partAdvance(2, 80);
  assert.equal(reports.at(-1)!.transferredBytes, 100);
  assert.ok(reports.every((r) => r.phase !== 'done'));
  m.setPhase('completing');
  assert.equal(reports.at(-1)!.phase, 'completing');
  m.finish();
  assert.deepEqual({ ...reports.at(-1)!, bytesPerSecond: 0 }, { transferredBytes: 100, totalBytes: 100, bytesPerSecond: 0, phase: 'done' });
  const n = reports.length;
  m.partAdvance(3, 5);
  m.finish();
  assert.equal(reports.length, n, 'nothing is reported after done');
});

test('a resumed transfer starts at the bytes already done', () => {
  const { m, reports } = meter(1000);
  m.setCommitted(600);
  m.setPhase('transferring');
  assert.equal(reports.at(-1)!.transferredBytes, 600);
});

test('reports are throttled, phase changes and the final report are not', () => {
  const { m, reports, tick } = meter(10_000, 250);
  m.setPhase('transferring');
  const start = reports.length;
  for (let i = 1; i <= 100; i++) {
    tick(10); // 100 updates over one second
    m.partAdvance(1, i * 10);
  }
  const during = reports.length - start;
  assert.ok(during >= 3 && during <= 5, `expected about 4 reports in a second, got ${during}`);
  m.finish();
  assert.equal(reports.at(-1)!.phase, 'done');
});

test('speed and ETA follow the bytes over the clock', () => {
  const { m, reports, tick } = meter(10_000);
  m.setPhase('transferring');
  for (let i = 1; i <= 10; i++) {
    tick(100);
    m.partAdvance(1, i * 100); // 1000 bytes per second
  }
  const last = reports.at(-1)!;
  assert.ok(Math.abs(last.bytesPerSecond - 1000) <= 1, `speed ${last.bytesPerSecond}`);
  assert.equal(last.etaSeconds, 9);
});
