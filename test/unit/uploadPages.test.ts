// The page-by-page upload planner: planUploadKeys' keys, duplicates and markers while the folders
// are still being walked, the first page handed out before the walk is over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planUploadKeys, type UploadSource } from '../../src/vscode/planning/uploadPlan.js';
import { planUploadPages, type UploadPage, type UploadSourcePath } from '../../src/vscode/planning/uploadPages.js';
import type { LocalEntry } from '../../src/transfer/paths/localFiles.js';

/** A fake folder walk: files and empty folders per source path. */
function fakeWalk(tree: Record<string, UploadSource>, log: string[] = []) {
  return async function* (root: string): AsyncGenerator<LocalEntry> {
    const src = tree[root]!;
    for (const f of src.files ?? []) {
      log.push(`walk ${root}/${f}`);
      yield { kind: 'file', relativePath: f, size: f.length };
    }
    for (const e of src.emptyFolders ?? []) yield { kind: 'emptyFolder', relativePath: e };
  };
}

async function collect(prefix: string, sources: UploadSource[], pageSize = 2): Promise<UploadPage[]> {
  const tree = Object.fromEntries(sources.map((s) => [s.path, s]));
  const paths: UploadSourcePath[] = sources.map((s) => ({ path: s.path, isDirectory: s.isDirectory, size: 7 }));
  const out: UploadPage[] = [];
  for await (const p of planUploadPages(prefix, paths, { pageSize, platform: 'posix', walk: fakeWalk(tree) })) out.push(p);
  return out;
}

const CASES: UploadSource[][] = [
  [
    { path: '/w/site', isDirectory: true, files: ['index.html', 'img/x.png', 'a.txt'], emptyFolders: ['cache', 'img/thumbs', 'a/b/c'] },
    { path: '/w/blank', isDirectory: true, files: [], emptyFolders: [''] },
    { path: '/w/one.txt', isDirectory: false },
  ],
  [
    { path: '/a/x', isDirectory: true, files: ['f.txt', 'g.txt'] },
    { path: '/b/x', isDirectory: true, files: ['g.txt', 'h.txt'], emptyFolders: ['e'] },
    { path: '/b/x2', isDirectory: true, files: [], emptyFolders: [''] },
    { path: '/c/y', isDirectory: true, files: [], emptyFolders: ['z'] },
    { path: '/d/y', isDirectory: true, files: [], emptyFolders: ['z', ''] },
    { path: '/e/x', isDirectory: false },
  ],
];

test('pages plan what planUploadKeys plans for the whole selection', async () => {
  for (const sources of CASES) {
    const whole = planUploadKeys('p', sources, 'posix');
    for (const size of [1, 2, 100]) {
      const pages = await collect('p', sources, size);
      assert.deepEqual(pages.flatMap((pg) => pg.uploads).map(({ file, key }) => ({ file, key })), whole.uploads, `page size ${size}`);
      assert.deepEqual(pages.flatMap((pg) => pg.duplicates), whole.duplicates, `page size ${size}`);
      assert.deepEqual(pages.flatMap((pg) => pg.folders), whole.folders, `page size ${size}`);
      assert.deepEqual(pages.map((pg) => pg.more), [...pages.slice(1).map(() => true), false]);
      assert.ok(pages.slice(0, -1).every((pg) => pg.folders.length === 0), 'markers come with the last page');
    }
  }
});

test('the first page is handed out before the walk reaches the rest of the folder', async () => {
  const log: string[] = [];
  const files = Array.from({ length: 10 }, (_, i) => `f${i}`);
  const walk = fakeWalk({ '/big': { path: '/big', isDirectory: true, files } }, log);
  const it = planUploadPages('', [{ path: '/big', isDirectory: true }], { pageSize: 3, platform: 'posix', walk });
  const first = await it.next();
  assert.deepEqual(first.value && first.value.uploads.map((u) => u.key), ['big/f0', 'big/f1', 'big/f2']);
  assert.equal(log.length, 3, 'no file after the first page was walked yet');
  await it.return(undefined);
});
