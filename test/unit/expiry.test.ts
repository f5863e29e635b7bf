import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSeconds, parseExpiry } from '../../src/vscode/commands/clipboard/expiry.js';

test('parseExpiry accepts seconds and unit durations', () => {
  assert.equal(parseExpiry('900'), 900);
  assert.equal(parseExpiry(' 15m '), 900);
  assert.equal(parseExpiry('1h30m'), 5400);
  assert.equal(parseExpiry('1H 30M'), 5400);
  assert.equal(parseExpiry('7d'), 604800);
  assert.equal(parseExpiry('1w'), 604800);
});

test('parseExpiry refuses junk and out-of-range values with a reason', () => {
  assert.throws(() => parseExpiry(''), /Enter how long/);
  assert.throws(() => parseExpiry('abc'), /not a duration/);
  assert.throws(() => parseExpiry('5x'), /not a duration/);
  assert.throws(() => parseExpiry('1h junk'), /not a duration/);
  assert.throws(() => parseExpiry('0'), /at least 1 second/);
  assert.throws(() => parseExpiry('8d'), /at most 7 days/);
  assert.throws(() => parseExpiry('604801'), /at most 7 days/);
});

test('describeSeconds', () => {
  assert.equal(describeSeconds(90), '1 minute 30 seconds');
  assert.equal(describeSeconds(604800), '7 days');
  assert.equal(describeSeconds(3600), '1 hour');
  assert.equal(describeSeconds(0), '0 seconds');
});
