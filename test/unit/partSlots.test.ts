import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cappedSlots, countedSlots } from '../../src/transfer/engine/partSlots.js';

test('cappedSlots: one transfer holds at most its cap of a roomier shared source, and gives back to both', async () => {
  const shared = countedSlots(64);
  let sharedHeld = 0;
  const source = { take: async (s?: AbortSignal) => { await shared.take(s ?? new AbortController().signal); sharedHeld++; }, give: () => { sharedHeld--; shared.give(); } };
  const mine = cappedSlots(source, 16);
  const signal = new AbortController().signal;
  for (let i = 0; i < 16; i++) await mine.take(signal);
  let seventeenth = false;
  const waiting = mine.take(signal).then(() => (seventeenth = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(seventeenth, false, 'the 17th part waits for one of its own, not for the shared source');
  assert.equal(sharedHeld, 16);
  mine.give();
  await waiting;
  assert.equal(sharedHeld, 16);
  const ac = new AbortController();
  const aborted = mine.take(ac.signal);
  ac.abort();
  await assert.rejects(aborted);
  for (let i = 0; i < 16; i++) mine.give();
  assert.equal(sharedHeld, 0);
});
