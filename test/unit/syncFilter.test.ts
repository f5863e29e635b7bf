// The .gitignore-style patterns of sync's include / exclude: anchoring, folders, **, negation,
// character classes, and the defaults (node_modules, .git) that only an explicit choice brings back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncFilter, compilePattern } from '../../src/transfer/sync/syncFilter.js';

const takes = (f: SyncFilter, names: string[]) => names.filter((n) => f.takes(n));

test('a pattern without a slash matches at any depth; a leading or inner slash anchors it', () => {
  const f = new SyncFilter({ exclude: ['*.log', '/build', 'docs/tmp'] });
  assert.deepEqual(takes(f, ['a.log', 'x/y/b.log', 'build/out.js', 'src/build/keep.js', 'docs/tmp/x', 'other/docs/tmp/x', 'a.txt']), ['src/build/keep.js', 'other/docs/tmp/x', 'a.txt']);
});

test('a trailing slash matches folders only, and everything below them', () => {
  const f = new SyncFilter({ exclude: ['cache/'] });
  assert.equal(f.takes('cache'), true, 'a file named cache stays');
  assert.equal(f.takes('cache/x.bin'), false);
  assert.equal(f.takes('a/cache/x.bin'), false);
  assert.equal(f.skipsFolder('a/cache'), true);
});

test('** spans folders; ? and [] match one character; ! re-includes; the last matching rule wins', () => {
  const f = new SyncFilter({ exclude: ['**/gen/**', 'file?.txt', 'v[0-9].md', '*.tmp', '!keep.tmp'] });
  assert.deepEqual(
    takes(f, ['gen/a', 'x/gen/b/c', 'gen', 'file1.txt', 'file12.txt', 'v3.md', 'vx.md', 'a.tmp', 'keep.tmp', 'd/keep.tmp']),
    ['gen', 'file12.txt', 'vx.md', 'keep.tmp', 'd/keep.tmp'],
  );
});

test('a file below an excluded folder cannot be re-included (as in git)', () => {
  const f = new SyncFilter({ exclude: ['logs/', '!logs/important.log'] });
  assert.equal(f.takes('logs/important.log'), false);
});

test('includes narrow the files: a folder include takes what is below it, an exclude still wins', () => {
  const f = new SyncFilter({ include: ['site/', '*.html'], exclude: ['*.map'] });
  assert.deepEqual(takes(f, ['site/a.js', 'site/a.js.map', 'index.html', 'x/y.html', 'notes.txt']), ['site/a.js', 'index.html', 'x/y.html']);
});

test('node_modules and .git are left out by default, at any depth, and come back only when the defaults are off', () => {
  assert.deepEqual(takes(new SyncFilter(), ['node_modules/a.js', 'pkg/node_modules/b.js', '.git/HEAD', 'src/.gitignore']), ['src/.gitignore']);
  assert.deepEqual(takes(new SyncFilter({ defaultExcludes: false }), ['node_modules/a.js', '.git/HEAD']), ['node_modules/a.js', '.git/HEAD']);
});

test('comments, blank lines and escapes', () => {
  assert.equal(compilePattern('# comment'), undefined);
  assert.equal(compilePattern('   '), undefined);
  const f = new SyncFilter({ exclude: ['\\#hash', 'a\\*b', 'multi\nline.txt'] });
  assert.deepEqual(takes(f, ['#hash', 'a*b', 'axb', 'multi', 'line.txt']), ['axb']);
});

test('empty-folder markers follow their folder', () => {
  const f = new SyncFilter({ exclude: ['tmp/'] });
  assert.equal(f.takes('tmp/'), false);
  assert.equal(f.takes('keep/'), true);
});
