import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTypeFor } from '../../src/transfer/paths/contentType.js';

test('content type from the extension, case-insensitive, last extension wins', () => {
  assert.equal(contentTypeFor('a/b/photo.JPG'), 'image/jpeg');
  assert.equal(contentTypeFor('C:\\x\\index.html'), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('backup.tar.gz'), 'application/gzip');
  assert.equal(contentTypeFor('README'), undefined);
  assert.equal(contentTypeFor('.bashrc'), undefined);
  assert.equal(contentTypeFor('dir.png/file'), undefined);
  assert.equal(contentTypeFor('x.unknownext'), undefined);
});
