// The page-by-page download planner: the same refusals as planDownloads while the listing is
// still arriving, files held back only while a folder of their name may still be listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDownloadPages, type PagedSelection, type PagePlan } from '../../src/vscode/planning/downloadPages.js';
import { planDownloads } from '../../src/vscode/planning/downloadPlan.js';
import type { PathPlatform } from '../../src/transfer/paths/keyPath.js';

const o = (key: string, size = 1) => ({ key, size });
type Obj = ReturnType<typeof o>;

function folder(prefix: string, basePrefix: string, ...pages: Obj[][]): PagedSelection {
  return { basePrefix, covers: { prefix }, pages };
}

async function plans(root: string, sels: PagedSelection[], platform: PathPlatform = 'posix'): Promise<PagePlan[]> {
  const out: PagePlan[] = [];
  for await (const p of planDownloadPages(root, sels, platform)) out.push(p);
  return out;
}

async function merged(root: string, sels: PagedSelection[], platform: PathPlatform = 'posix') {
  const all = await plans(root, sels, platform);
  return {
    downloads: all.flatMap((p) => p.downloads).map((d) => d.key).sort(),
    folders: all.flatMap((p) => p.folders).sort(),
    refused: all.flatMap((p) => p.refused),
  };
}

test('pages of a sorted listing plan what planDownloads plans for the whole listing', async () => {
  const keys = ['f/', 'f/a', 'f/a.txt', 'f/a/b', 'f/b/', 'f/c', 'f/c/', 'f/d.txt', 'f/e', 'f/e0', '../x', 'f/sub/deep/z'];
  const objects = keys.filter((k) => k.startsWith('f/')).map((k) => o(k));
  const whole = planDownloads('/dl', [{ basePrefix: '', objects }], 'posix');
  for (const size of [1, 2, 3, 100]) {
    const pages: Obj[][] = [];
    for (let i = 0; i < objects.length; i += size) pages.push(objects.slice(i, i + size));
    const got = await merged('/dl', [folder('f/', '', ...pages)]);
    assert.deepEqual(got.downloads, whole.downloads.map((d) => d.key).sort(), `page size ${size}`);
    assert.deepEqual(got.folders, [...whole.folders].sort(), `page size ${size}`);
    assert.deepEqual(
      got.refused.map((r) => r.key).sort(),
      whole.refused.map((r) => r.key).sort(),
      `page size ${size}`,
    );
  }
});

test('a file is handed out as soon as the listing has passed every key that could need its name as a folder', async () => {
  const all = await plans('/dl', [folder('f/', '', [o('f/a'), o('f/a.txt')], [o('f/a0'), o('f/b')], [o('f/c')])]);
  // Page 1: f/a waits (f/a/… may follow), f/a.txt waits for f/a.txt0. Page 2 passes both; f/b waits.
  assert.deepEqual(all.map((p) => p.downloads.map((d) => d.key)), [['f/a', 'f/a.txt', 'f/a0'], ['f/b'], ['f/c']]);
  assert.deepEqual(all.map((p) => p.more), [true, true, false]);
});

test('a file where a folder must go is refused even when its folder comes pages later', async () => {
  const got = await merged('/dl', [folder('f/', '', [o('f/a')], [o('f/a!')], [o('f/a-b')], [o('f/a/b')])]);
  assert.deepEqual(got.downloads, ['f/a!', 'f/a-b', 'f/a/b']);
  assert.deepEqual(got.refused, [{ key: 'f/a', reason: 'a folder of the same name is needed for "f/a/b"' }]);
});

test('unsafe keys are refused page by page', async () => {
  const got = await merged('/dl', [folder('', '', [o('../escape'), o('ok.txt')], [o('/abs'), o('a/../../b')])]);
  assert.deepEqual(got.downloads, ['ok.txt']);
  assert.deepEqual(got.refused.map((r) => r.key), ['../escape', '/abs', 'a/../../b']);
});

test('two selected folders of the same name: the second one\'s colliding files are refused', async () => {
  const got = await merged('/dl', [folder('x/a/', 'x/', [o('x/a/1'), o('x/a/2')]), folder('y/a/', 'y/', [o('y/a/1'), o('y/a/3')])]);
  assert.deepEqual(got.downloads, ['x/a/1', 'x/a/2', 'y/a/3']);
  assert.deepEqual(got.refused, [{ key: 'y/a/1', reason: 'it would be saved to the same file as "x/a/1"' }]);
});

test('a key two selections share is planned once, by the first', async () => {
  const sels: PagedSelection[] = [
    folder('x/', '', [o('x/a'), o('x/b/c')], [o('x/b/d')]),
    folder('x/b/', 'x/', [o('x/b/c'), o('x/b/d')]),
    { basePrefix: 'x/', covers: { key: 'x/a' }, pages: [[o('x/a')]] },
  ];
  const all = await plans('/dl', sels);
  const files = all.flatMap((p) => p.downloads).map((d) => d.file).sort();
  assert.deepEqual(files, ['/dl/x/a', '/dl/x/b/c', '/dl/x/b/d']);
  assert.deepEqual(all.flatMap((p) => p.refused), []);
});

test('on Windows names differing only in case collide across pages', async () => {
  const got = await merged('C:\\dl', [folder('', '', [o('Readme.md')], [o('README.md')], [o('docs/x'), o('DOCS')])], 'win32');
  assert.deepEqual(got.downloads, ['Readme.md', 'docs/x']);
  assert.deepEqual(got.refused, [
    { key: 'README.md', reason: 'it would be saved to the same file as "Readme.md"' },
    { key: 'DOCS', reason: 'a folder of the same name is needed for "docs/x"' },
  ]);
});

test('a selected object waits for nothing but the end of its own selection', async () => {
  const all = await plans('/dl', [{ basePrefix: 'x/', covers: { key: 'x/one' }, pages: [[o('x/one', 5)]] }]);
  assert.deepEqual(all, [{ downloads: [{ key: 'x/one', size: 5, file: '/dl/one' }], folders: [], refused: [], more: false }]);
});
