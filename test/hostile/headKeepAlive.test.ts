// A HEAD keeps its connection: a download's HEAD then its GETs (or a restore's HEAD checks) must not
// each open a new connection (a round trip, and a TLS handshake on a real link).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostileServer } from './hostileServer.js';

test("a HEAD leaves its connection open for the request after it (a download's parts)", async () => {
  const body = Buffer.from('hello, one connection');
  const sockets = new Set<unknown>();
  const s = await startHostileServer((req, res) => {
    sockets.add(req.socket);
    const headers = {
      'content-length': String(body.length),
      etag: '"e1"',
      'last-modified': new Date(0).toUTCString(),
      'x-oss-request-id': 'keepalive',
      connection: 'keep-alive',
    };
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  try {
    const c = s.client();
    // Pauses let the pool take each connection back, so only a closed connection makes a new one.
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));
    await c.headObject({ bucket: 'b', key: 'k' });
    await settle();
    await c.headObject({ bucket: 'b', key: 'k' });
    await settle();
    const got = await c.getObject({ bucket: 'b', key: 'k' });
    for await (const _chunk of got.body) void _chunk;
    assert.equal(s.requests.length, 3);
    assert.equal(sockets.size, 1, 'HEAD, HEAD, GET on one connection (undici closes after a HEAD unless told not to)');
  } finally {
    await s.close();
  }
});
