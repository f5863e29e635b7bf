import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConflicts, type ConflictAnswer, type ConflictQuestion } from '../../src/vscode/planning/conflictPolicy.js';
import { keepBothName } from '../../src/vscode/planning/conflictName.js';

const id = (s: string): string => s;

function asker(answers: (ConflictAnswer | undefined)[]) {
  const asked: ConflictQuestion[] = [];
  return {
    asked,
    ask: async (q: ConflictQuestion) => {
      asked.push(q);
      return answers.shift();
    },
  };
}

test('free destinations pass without a question', async () => {
  const a = asker([]);
  const plan = await resolveConflicts(['x', 'y'], id, () => false, a.ask, keepBothName);
  assert.deepEqual(plan.transfers, [
    { item: 'x', destination: 'x' },
    { item: 'y', destination: 'y' },
  ]);
  assert.equal(a.asked.length, 0);
});

test('each conflict is asked separately without "apply to all"', async () => {
  const existing = new Set(['a.txt', 'b.txt', 'c.txt']);
  const a = asker([
    { choice: 'overwrite', applyToAll: false },
    { choice: 'skip', applyToAll: false },
    { choice: 'keepBoth', applyToAll: false },
  ]);
  const plan = await resolveConflicts(['a.txt', 'free.txt', 'b.txt', 'c.txt'], id, (d) => existing.has(d), a.ask, keepBothName);
  assert.equal(plan.cancelled, false);
  assert.deepEqual(plan.transfers, [
    { item: 'a.txt', destination: 'a.txt' },
    { item: 'free.txt', destination: 'free.txt' },
    { item: 'c.txt', destination: 'c (1).txt' },
  ]);
  assert.deepEqual(plan.skipped, ['b.txt']);
  assert.deepEqual(a.asked.map((q) => [q.destination, q.remaining]), [['a.txt', 3], ['b.txt', 2], ['c.txt', 1]]);
});

test('"apply to all" answers the rest of the batch', async () => {
  const existing = new Set(['a.txt', 'b.txt', 'a (1).txt']);
  const a = asker([{ choice: 'keepBoth', applyToAll: true }]);
  const plan = await resolveConflicts(['a.txt', 'b.txt'], id, (d) => existing.has(d), a.ask, keepBothName);
  assert.equal(a.asked.length, 1);
  assert.deepEqual(plan.transfers.map((t) => t.destination), ['a (2).txt', 'b (1).txt']);
});

test('keep-both names never collide with other items of the batch', async () => {
  // "a.txt" exists; the batch also writes "a (1).txt" itself, so the renamed copy must take "a (2).txt".
  const a = asker([{ choice: 'keepBoth', applyToAll: true }]);
  const plan = await resolveConflicts(['a.txt', 'a (1).txt'], id, (d) => d === 'a.txt', a.ask, keepBothName);
  assert.deepEqual(plan.transfers.map((t) => t.destination), ['a (2).txt', 'a (1).txt']);
});

test('dismissing the question cancels the whole batch', async () => {
  const a = asker([undefined]);
  const plan = await resolveConflicts(['a', 'b'], id, () => true, a.ask, keepBothName);
  assert.equal(plan.cancelled, true);
  assert.deepEqual(plan.transfers, []);
});

test('a batch resolved page by page: "apply to all" holds for later pages, keep-both names stay reserved', async () => {
  const { ConflictSession } = await import('../../src/vscode/planning/conflictPolicy.js');
  const existing = new Set(['a.txt', 'b.txt', 'c.txt']);
  const a = asker([{ choice: 'keepBoth', applyToAll: true }]);
  const session = new ConflictSession<string>(id, (d) => existing.has(d), a.ask, keepBothName);
  const first = await session.resolve(['a.txt', 'free.txt'], true);
  // A later page lists the very name "keep both" chose before it exists on disk.
  const second = await session.resolve(['b.txt', 'a (1).txt', 'c.txt'], false);
  assert.deepEqual(a.asked, [{ destination: 'a.txt', remaining: 1, more: true }]);
  assert.deepEqual(first.transfers.map((t) => t.destination), ['a (1).txt', 'free.txt']);
  assert.deepEqual(second.transfers.map((t) => t.destination), ['b (1).txt', 'a (2).txt', 'c (1).txt']);
});

test('a batch resolved page by page: a dismissed question cancels every later page too', async () => {
  const { ConflictSession } = await import('../../src/vscode/planning/conflictPolicy.js');
  const a = asker([undefined]);
  const session = new ConflictSession<string>(id, (d) => d === 'a.txt', a.ask, keepBothName);
  assert.equal((await session.resolve(['a.txt'], true)).cancelled, true);
  assert.equal((await session.resolve(['free.txt'], false)).cancelled, true);
  assert.equal(a.asked.length, 1);
});
