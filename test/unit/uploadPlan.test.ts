import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, symlink } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { planUploadKeys } from '../../src/vscode/planning/uploadPlan.js';
import { listLocalFiles, scanLocalFolder } from '../../src/transfer/paths/localFiles.js';

test('files go directly under the prefix, folders keep their name and relative paths', () => {
  const plan = planUploadKeys('dest', [
    { path: '/w/readme.md', isDirectory: false },
    { path: '/w/site', isDirectory: true, files: ['index.html', 'css/a.css', 'img/x/y.png'] },
  ], 'posix');
  assert.deepEqual(plan.uploads, [
    { file: '/w/readme.md', key: 'dest/readme.md' },
    { file: '/w/site/index.html', key: 'dest/site/index.html' },
    { file: '/w/site/css/a.css', key: 'dest/site/css/a.css' },
    { file: '/w/site/img/x/y.png', key: 'dest/site/img/x/y.png' },
  ]);
  assert.deepEqual(plan.duplicates, []);
});

test('Windows paths become "/" keys; the bucket root prefix is empty', () => {
  const plan = planUploadKeys('', [{ path: 'C:\\w\\site', isDirectory: true, files: ['css\\a.css'] }], 'win32');
  assert.deepEqual(plan.uploads, [{ file: 'C:\\w\\site\\css\\a.css', key: 'site/css/a.css' }]);
});

test('two sources with the same key are reported, not silently overwritten', () => {
  const plan = planUploadKeys('p/', [
    { path: '/a/x.txt', isDirectory: false },
    { path: '/b/x.txt', isDirectory: false },
  ], 'posix');
  assert.deepEqual(plan.uploads, [{ file: '/a/x.txt', key: 'p/x.txt' }]);
  assert.deepEqual(plan.duplicates, [{ file: '/b/x.txt', key: 'p/x.txt' }]);
});

test('a root folder cannot be uploaded by name', () => {
  assert.throws(() => planUploadKeys('', [{ path: '/', isDirectory: true, files: [] }], 'posix'), /has no name/);
});

test('listLocalFiles walks a real folder, sorted, without following folder links', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oss-e1-files-'));
  try {
    await mkdir(path.join(dir, 'b', 'c'), { recursive: true });
    await writeFile(path.join(dir, 'z.txt'), 'zz');
    await writeFile(path.join(dir, 'b', 'c', 'deep.bin'), Buffer.alloc(5));
    await writeFile(path.join(dir, 'a.txt'), '');
    await symlink(dir, path.join(dir, 'b', 'loop'));
    await symlink(path.join(dir, 'z.txt'), path.join(dir, 'link.txt'));
    const files = await listLocalFiles(dir);
    assert.deepEqual(files, [
      { relativePath: 'a.txt', size: 0 },
      { relativePath: path.join('b', 'c', 'deep.bin'), size: 5 },
      { relativePath: 'link.txt', size: 2 },
      { relativePath: 'z.txt', size: 2 },
    ]);
    const plan = planUploadKeys('up', [{ path: dir, isDirectory: true, files: files.map((f) => f.relativePath) }]);
    assert.ok(plan.uploads.some((u) => u.key === `up/${path.basename(dir)}/b/c/deep.bin`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('empty folders become folder markers; a folder with anything planned below it needs none', () => {
  const plan = planUploadKeys('dest', [
    { path: '/w/site', isDirectory: true, files: ['index.html', 'img/x.png'], emptyFolders: ['cache', 'img/thumbs', 'a/b/c'] },
    { path: '/w/blank', isDirectory: true, files: [], emptyFolders: [''] },
  ], 'posix');
  assert.deepEqual(plan.folders, [
    { folder: '/w/site/cache', key: 'dest/site/cache/' },
    { folder: '/w/site/img/thumbs', key: 'dest/site/img/thumbs/' },
    { folder: '/w/site/a/b/c', key: 'dest/site/a/b/c/' },
    { folder: '/w/blank', key: 'dest/blank/' },
  ]);
  assert.equal(plan.uploads.length, 2);
  // At the bucket root, on Windows.
  const win = planUploadKeys('', [{ path: 'C:\\w\\e', isDirectory: true, files: [], emptyFolders: ['x\\y'] }], 'win32');
  assert.deepEqual(win.folders, [{ folder: 'C:\\w\\e\\x\\y', key: 'e/x/y/' }]);
});

test('a marker is dropped when a file or another marker already makes that folder appear', () => {
  const plan = planUploadKeys('p', [
    { path: '/a/x', isDirectory: true, files: ['f.txt'] },
    // Same name selected twice, the second empty: x/ appears through x/f.txt anyway.
    { path: '/b/x', isDirectory: true, files: [], emptyFolders: [''] },
    { path: '/c/y', isDirectory: true, files: [], emptyFolders: ['z'] },
    { path: '/d/y', isDirectory: true, files: [], emptyFolders: ['z', ''] },
  ], 'posix');
  assert.deepEqual(plan.folders.map((f) => f.key), ['p/y/z/']);
  assert.deepEqual(plan.uploads.map((u) => u.key), ['p/x/f.txt']);
  // Plain files are not folders; nothing else changes for them.
  assert.deepEqual(planUploadKeys('p', [{ path: '/a/f', isDirectory: false }], 'posix').folders, []);
});

test('scanLocalFolder names the deepest folders with nothing to upload, the folder itself when empty', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oss-empty-dirs-'));
  try {
    await mkdir(path.join(dir, 'full', 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'full', 'sub', 'f.txt'), 'f');
    await mkdir(path.join(dir, 'hollow', 'deeper', 'deepest'), { recursive: true });
    await mkdir(path.join(dir, 'hollow', 'side'), { recursive: true });
    await mkdir(path.join(dir, 'linked'));
    // A link to a folder is not followed, so a folder holding only that is empty here.
    await symlink(path.join(dir, 'full'), path.join(dir, 'linked', 'to-full'));
    const scan = await scanLocalFolder(dir);
    assert.deepEqual(scan.files, [{ relativePath: path.join('full', 'sub', 'f.txt'), size: 1 }]);
    assert.deepEqual(scan.emptyFolders, [path.join('hollow', 'deeper', 'deepest'), path.join('hollow', 'side'), 'linked']);

    const blank = path.join(dir, 'hollow', 'side');
    assert.deepEqual(await scanLocalFolder(blank), { files: [], emptyFolders: [''] });
    const plan = planUploadKeys('up', [{ path: blank, isDirectory: true, ...(await scanLocalFolder(blank)) }].map((s) => ({ ...s, files: s.files.map((f) => f.relativePath) })));
    assert.deepEqual(plan.folders.map((f) => f.key), ['up/side/']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
