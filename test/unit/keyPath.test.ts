import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  KeyPathError,
  checkKey,
  keyBaseName,
  keyToLocalPath,
  localPathToKey,
  normalizePrefix,
  parentPrefix,
} from '../../src/transfer/paths/keyPath.js';

const root = '/home/u/dl';

test('keyToLocalPath maps keys below the base prefix into the folder', () => {
  assert.equal(keyToLocalPath(root, 'photos/2024/a.jpg', 'photos/', 'posix'), '/home/u/dl/2024/a.jpg');
  assert.equal(keyToLocalPath(root, 'a.txt', '', 'posix'), '/home/u/dl/a.txt');
  // A folder marker maps to the folder itself.
  assert.equal(keyToLocalPath(root, 'photos/2024/', 'photos/', 'posix'), '/home/u/dl/2024');
  // Unicode and spaces are kept as they are.
  assert.equal(keyToLocalPath(root, 'données/é t.txt', '', 'posix'), '/home/u/dl/données/é t.txt');
  // A backslash is an ordinary character on POSIX.
  assert.equal(keyToLocalPath(root, 'a\\b.txt', '', 'posix'), '/home/u/dl/a\\b.txt');
});

const unsafe: [string, RegExp][] = [
  ['../etc/passwd', /"\.\." path segment/],
  ['a/../../x', /"\.\." path segment/],
  ['a/..', /"\.\." path segment/],
  ['a/./b', /"\." path segment/],
  ['/etc/passwd', /absolute path/],
  ['\\windows\\x', /absolute path/],
  ['C:/Windows/x', /drive letter/],
  ['c:x', /drive letter/],
  ['a//b', /empty path segment/],
  ['a\\..\\..\\x', /"\.\." path segment/],
  ['a/b\u0000c', /control characters/],
];
for (const [key, reason] of unsafe) {
  test(`keyToLocalPath refuses ${JSON.stringify(key)} on every platform`, () => {
    for (const platform of ['posix', 'win32'] as const) {
      const r = platform === 'win32' ? 'C:\\dl' : root;
      assert.throws(
        () => keyToLocalPath(r, key, '', platform),
        (e: unknown) => e instanceof KeyPathError && reason.test(e.message) && e.key === key,
      );
    }
  });
}

test('keyToLocalPath refuses keys outside the base prefix and empty names', () => {
  assert.throws(() => keyToLocalPath(root, 'other/a.txt', 'photos/', 'posix'), /not below "photos\/"/);
  assert.throws(() => keyToLocalPath(root, 'photos/', 'photos/', 'posix'), /no name below/);
});

test('keyToLocalPath applies Windows file-name rules on win32 only', () => {
  assert.equal(keyToLocalPath('C:\\dl', 'a/b.txt', '', 'win32'), 'C:\\dl\\a\\b.txt');
  assert.throws(() => keyToLocalPath('C:\\dl', 'a/con.txt', '', 'win32'), /reserved device name/);
  assert.throws(() => keyToLocalPath('C:\\dl', 'a/b:c', '', 'win32'), /does not allow/);
  assert.throws(() => keyToLocalPath('C:\\dl', 'a/x\\y', '', 'win32'), /backslash/);
  assert.throws(() => keyToLocalPath('C:\\dl', 'dots./y', '', 'win32'), /ends with a dot/);
  assert.equal(keyToLocalPath(root, 'a/con.txt', '', 'posix'), '/home/u/dl/a/con.txt');
  assert.equal(keyToLocalPath(root, 'a/b:c', '', 'posix'), '/home/u/dl/a/b:c');
});

test('every accepted key stays inside the folder (fuzz over hostile segments)', () => {
  const pieces = ['..', '.', '', 'a', '...', '..a', 'a..', '\\', '/', ':', 'C:', '%2e%2e', ' ', '~'];
  let accepted = 0;
  for (const a of pieces) for (const b of pieces) for (const c of pieces) {
    const key = `${a}/${b}${c}`;
    for (const platform of ['posix', 'win32'] as const) {
      const p = platform === 'win32' ? path.win32 : path.posix;
      const r = platform === 'win32' ? 'C:\\dl' : root;
      let out: string;
      try {
        out = keyToLocalPath(r, key, '', platform);
      } catch (e) {
        assert.ok(e instanceof KeyPathError, String(e));
        continue;
      }
      accepted++;
      const rel = p.relative(r, out);
      assert.ok(rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel), `${platform} ${key} -> ${out}`);
    }
  }
  assert.ok(accepted > 20, 'the fuzz must also exercise accepted keys');
});

test('localPathToKey joins prefix and relative path with "/"', () => {
  assert.equal(localPathToKey('docs/', 'a/b.txt', 'posix'), 'docs/a/b.txt');
  assert.equal(localPathToKey('docs', 'b.txt', 'posix'), 'docs/b.txt');
  assert.equal(localPathToKey('', 'b.txt', 'posix'), 'b.txt');
  assert.equal(localPathToKey('/docs//', 'b.txt', 'posix'), 'docs/b.txt');
  assert.equal(localPathToKey('x/', 'sub\\dir\\f.bin', 'win32'), 'x/sub/dir/f.bin');
  assert.equal(localPathToKey('x/', 'a\\b', 'posix'), 'x/a\\b');
  assert.throws(() => localPathToKey('x/', '/abs', 'posix'), /relative path/);
  assert.throws(() => localPathToKey('x/', '../up', 'posix'), /leaves the folder/);
  assert.throws(() => localPathToKey('x/', '', 'posix'), /empty path/);
});

test('checkKey enforces the OSS key rules', () => {
  assert.equal(checkKey('ok'), 'ok');
  assert.throws(() => checkKey(''), /cannot be empty/);
  assert.throws(() => checkKey('/a'), /must not start/);
  assert.equal(checkKey('é'.repeat(511)), 'é'.repeat(511)); // 1022 bytes
  assert.throws(() => checkKey('é'.repeat(512)), /1024 bytes long; OSS allows 1023/);
});

test('prefix helpers', () => {
  assert.equal(normalizePrefix(''), '');
  assert.equal(normalizePrefix(' a/b '), 'a/b/');
  assert.equal(normalizePrefix('///'), '');
  assert.equal(keyBaseName('a/b/c.txt'), 'c.txt');
  assert.equal(keyBaseName('a/b/'), 'b');
  assert.equal(keyBaseName('c'), 'c');
  assert.equal(parentPrefix('a/b/c.txt'), 'a/b/');
  assert.equal(parentPrefix('a/b/'), 'a/');
  assert.equal(parentPrefix('c'), '');
});
