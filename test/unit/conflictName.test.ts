import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepBothName, numberedName, splitName } from '../../src/vscode/planning/conflictName.js';

test('numberedName inserts " (n)" before the extension', () => {
  assert.equal(numberedName('report.pdf', 1), 'report (1).pdf');
  assert.equal(numberedName('archive.tar.gz', 2), 'archive (2).tar.gz');
  assert.equal(numberedName('README', 1), 'README (1)');
  assert.equal(numberedName('.env', 1), '.env (1)');
  assert.equal(numberedName('a.b.c', 1), 'a.b (1).c');
  assert.equal(numberedName('report (1).pdf', 2), 'report (2).pdf');
  assert.throws(() => numberedName('x', 0), /positive integer/);
});

test('splitName reads an existing counter', () => {
  assert.deepEqual(splitName('x (7).txt'), { stem: 'x', counter: 7, ext: '.txt' });
  assert.deepEqual(splitName('x(7).txt'), { stem: 'x(7)', ext: '.txt' });
  assert.deepEqual(splitName('.tar.gz'), { stem: '.tar', ext: '.gz' });
});

test('keepBothName finds the first free name and keeps the folder part', async () => {
  const existing = new Set(['/d/a.txt', '/d/a (1).txt', '/d/a (2).txt']);
  assert.equal(await keepBothName('/d/a.txt', (c) => existing.has(c)), '/d/a (3).txt');
  assert.equal(await keepBothName('C:\\d\\a.txt', () => false), 'C:\\d\\a (1).txt');
  assert.equal(await keepBothName('pre/fix/a.txt', async (c) => c === 'pre/fix/a (1).txt'), 'pre/fix/a (2).txt');
  // Continues from an existing counter instead of producing "a (1) (1).txt".
  assert.equal(await keepBothName('/d/a (2).txt', (c) => existing.has(c)), '/d/a (3).txt');
});

test('keepBothName skips names reserved by the batch', async () => {
  assert.equal(await keepBothName('k/a.txt', () => false, new Set(['k/a (1).txt'])), 'k/a (2).txt');
});

test('keepBothName gives up with a clear error', async () => {
  await assert.rejects(keepBothName('a.txt', () => true, new Set(), 5), /No free name found for "a.txt" after 5 tries/);
  await assert.rejects(keepBothName('dir/', () => false), /no file name/);
});
