// The hostile server itself: it answers with what the handler says and records each request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostileServer, xmlError } from './hostileServer.js';

test('hostile server plays the handler and records requests', async () => {
  const s = await startHostileServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/xml', 'x-oss-request-id': 'hostile-req' });
    res.end(xmlError('NoSuchKey'));
  });
  try {
    await assert.rejects(s.client().headObject({ bucket: 'b', key: 'k' }), /NoSuchKey/);
    assert.equal(s.requests.length, 1);
    assert.equal(s.requests[0]!.method, 'HEAD');
    assert.match(s.requests[0]!.url, /^\/b\/k/);
  } finally {
    await s.close();
  }
});
