import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDownloads } from '../../src/vscode/planning/downloadPlan.js';

const o = (key: string, size = 1) => ({ key, size });

test('a folder selection keeps the folder name; objects land directly in the chosen folder', () => {
  const plan = planDownloads('/dl', [
    { basePrefix: 'data/', objects: [o('data/photos/'), o('data/photos/a.jpg', 5), o('data/photos/2024/b.jpg', 7)] },
    { basePrefix: 'docs/', objects: [o('docs/readme.md', 3)] },
  ], 'posix');
  assert.deepEqual(plan.downloads, [
    { key: 'data/photos/a.jpg', size: 5, file: '/dl/photos/a.jpg' },
    { key: 'data/photos/2024/b.jpg', size: 7, file: '/dl/photos/2024/b.jpg' },
    { key: 'docs/readme.md', size: 3, file: '/dl/readme.md' },
  ]);
  assert.deepEqual(plan.folders, ['/dl/photos']);
  assert.deepEqual(plan.refused, []);
});

test('unsafe keys are refused and nothing for them is planned', () => {
  const plan = planDownloads('/dl', [{ basePrefix: '', objects: [o('../escape'), o('ok.txt'), o('/abs'), o('a/../../b')] }], 'posix');
  assert.deepEqual(plan.downloads.map((d) => d.file), ['/dl/ok.txt']);
  assert.deepEqual(plan.refused.map((r) => r.key), ['../escape', '/abs', 'a/../../b']);
  for (const d of plan.downloads) assert.ok(d.file.startsWith('/dl/'));
});

test('a file where a folder must go is refused, whichever comes first', () => {
  for (const objects of [[o('a'), o('a/b')], [o('a/b'), o('a')]]) {
    const plan = planDownloads('/dl', [{ basePrefix: '', objects }], 'posix');
    assert.deepEqual(plan.downloads.map((d) => d.key), ['a/b']);
    assert.deepEqual(plan.refused, [{ key: 'a', reason: 'a folder of the same name is needed for "a/b"' }]);
  }
});

test('names differing only in case collide on Windows, not on POSIX', () => {
  const sel = [{ basePrefix: '', objects: [o('Readme.md'), o('README.md')] }];
  assert.equal(planDownloads('/dl', sel, 'posix').downloads.length, 2);
  const win = planDownloads('C:\\dl', sel, 'win32');
  assert.deepEqual(win.downloads.map((d) => d.file), ['C:\\dl\\Readme.md']);
  assert.deepEqual(win.refused, [{ key: 'README.md', reason: 'it would be saved to the same file as "Readme.md"' }]);
});

test('the same key selected twice is planned once', () => {
  const plan = planDownloads('/dl', [
    { basePrefix: 'x/', objects: [o('x/a')] },
    { basePrefix: 'x/', objects: [o('x/a')] },
  ], 'posix');
  assert.equal(plan.downloads.length, 1);
  assert.deepEqual(plan.refused, []);
});
