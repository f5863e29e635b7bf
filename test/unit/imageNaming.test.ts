import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEFAULT_NAME_PATTERN, HASH_LENGTH, contentHash, imageExtension, imageKey, namePatternProblem, nameField } from '../../src/vscode/markdown/imageNaming.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const otherPng = Buffer.concat([png, Buffer.from([0])]);
// Local time, as the name shows it: the same key in any time zone the test runs in.
const may4 = new Date(2026, 4, 4, 9, 5, 7);

test('the default pattern gives the date and a short content hash under the target folder', () => {
  const key = imageKey('docs/images', DEFAULT_NAME_PATTERN, { bytes: png, mime: 'image/png', now: may4 });
  const hash = createHash('sha256').update(png).digest('hex').slice(0, HASH_LENGTH);
  assert.equal(key, `docs/images/2026-05-04-${hash}.png`);
  assert.equal(contentHash(png), hash);
  assert.equal(hash.length, 12);
  assert.equal(imageKey('', DEFAULT_NAME_PATTERN, { bytes: png, mime: 'image/png', now: may4 }), `2026-05-04-${hash}.png`, 'the bucket root has no leading /');
});

test('two different images pasted in the same second get different keys; the same image gets the same key', () => {
  const a = imageKey('img/', DEFAULT_NAME_PATTERN, { bytes: png, mime: 'image/png', now: may4 });
  const b = imageKey('img/', DEFAULT_NAME_PATTERN, { bytes: otherPng, mime: 'image/png', now: may4 });
  const again = imageKey('img/', DEFAULT_NAME_PATTERN, { bytes: Buffer.from(png), mime: 'image/png', now: new Date(may4) });
  assert.notEqual(a, b);
  assert.equal(a, again);
});

test('every field of a pattern is filled in, with folders kept', () => {
  const key = imageKey('p/', '{yyyy}/{MM}/{dd}/{HH}{mm}{ss}-{time}-{name}-{hash}.{ext}', { bytes: png, mime: 'image/jpeg', fileName: 'Screen Shot (2).JPEG', now: may4 });
  assert.equal(key, `p/2026/05/04/090507-090507-Screen-Shot-2-${contentHash(png)}.jpeg`);
});

test('{name} keeps letters of any script and drops what would make odd keys', () => {
  assert.equal(nameField('image.png'), 'image');
  assert.equal(nameField(undefined), 'image');
  assert.equal(nameField(''), 'image');
  assert.equal(nameField('...png'), 'image');
  assert.equal(nameField('截图 2026.png'), '截图-2026');
  assert.equal(nameField('C:\\Users\\me\\a?b#c%d.png'), 'a-b-c-d');
  assert.equal(nameField('../../etc/passwd'), 'passwd');
  assert.equal([...nameField('x'.repeat(300))].length, 64);
});

test('the extension follows the MIME type, keeping the file\'s own spelling of the same type', () => {
  assert.equal(imageExtension('image/png'), 'png');
  assert.equal(imageExtension('image/jpeg'), 'jpg');
  assert.equal(imageExtension('image/jpeg', 'a.jpeg'), 'jpeg');
  assert.equal(imageExtension('image/jpeg', 'a.png'), 'jpg', 'a misnamed file gets the extension of what it is');
  assert.equal(imageExtension('image/svg+xml', 'd.svg'), 'svg');
  assert.equal(imageExtension('IMAGE/WEBP'), 'webp');
  assert.equal(imageExtension('image/x-portable-anymap'), 'img');
  assert.equal(imageExtension('image/jxl', 'photo.jxl'), 'jxl');
  assert.equal(imageExtension('image/jxl'), 'jxl');
});

test('a pattern without {hash}, with an unknown field or a bad folder is refused, naming the setting', () => {
  assert.equal(namePatternProblem(DEFAULT_NAME_PATTERN), undefined);
  assert.match(namePatternProblem('{date}.{ext}') ?? '', /no \{hash\}/);
  assert.match(namePatternProblem('{hash}-{user}.{ext}') ?? '', /unknown field \{user\}/);
  assert.match(namePatternProblem('{hash}}.png') ?? '', /unmatched/);
  assert.match(namePatternProblem('/{hash}.png') ?? '', /starts with/);
  assert.match(namePatternProblem('a//{hash}.png') ?? '', /empty/);
  assert.match(namePatternProblem('../{hash}.png') ?? '', /"\.\."/);
  assert.match(namePatternProblem('   ') ?? '', /empty/);
  assert.throws(() => imageKey('', '{date}.{ext}', { bytes: png, mime: 'image/png', now: may4 }), /ossTransfer\.imageUpload\.namePattern/);
});

test('a key OSS would refuse (over 1023 bytes) is an error, not a failed upload later', () => {
  assert.throws(() => imageKey('a'.repeat(1020), DEFAULT_NAME_PATTERN, { bytes: png, mime: 'image/png', now: may4 }), /OSS allows 1023/);
});
