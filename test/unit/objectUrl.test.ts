import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectUrl } from '../../src/vscode/commands/clipboard/objectUrl.js';

test('a bucket on OSS gets a virtual-hosted URL on its own endpoint, a local server a path-style one', () => {
  assert.equal(objectUrl('https://oss-cn-beijing.aliyuncs.com', 'photos', 'a b/c.jpg'), 'https://photos.oss-cn-beijing.aliyuncs.com/a%20b/c.jpg');
  assert.equal(objectUrl('http://127.0.0.1:9000', 'photos', 'dir/'), 'http://127.0.0.1:9000/photos/dir/');
});

test('through a custom domain the URL is <domain>/<key>, with no bucket in host or path', () => {
  assert.equal(objectUrl('https://files.example.com', 'photos', 'x/y.png', 'photos'), 'https://files.example.com/x/y.png');
  assert.equal(objectUrl('http://cdn.example.com:8080', 'photos', 'é.txt', 'photos'), 'http://cdn.example.com:8080/%C3%A9.txt');
  assert.throws(() => objectUrl('https://files.example.com', 'other', 'k', 'photos'), /serves bucket photos, not other/);
});
