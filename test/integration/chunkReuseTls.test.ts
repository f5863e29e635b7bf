// The chunk-source guarantee (a chunk's buffer may be refilled once the next chunk is requested)
// over TLS, where the socket is a TLSSocket: its bytes must have been taken (encrypted) before the
// client asks for more. The key and certificate in fixtures/ are a throwaway pair for 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';

test('over HTTPS, chunk buffers overwritten as soon as the next chunk is asked for still arrive intact', { timeout: 20_000 }, async (t) => {
  // The test certificate is self-signed; this process only talks to its own server.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const CHUNK = 256 * 1024;
  const COUNT = 32;
  const expected = (i: number) => (i * 7) % 251;
  let verdict = '';
  const server = https.createServer(
    {
      key: readFileSync(path.join(__dirname, 'fixtures', 'tls-test-only.key.pem')),
      cert: readFileSync(path.join(__dirname, 'fixtures', 'tls-test-only.cert.pem')),
    },
    (req, res) => {
      let at = 0;
      let bad = -1;
      req.on('data', (c: Buffer) => {
        for (let k = 0; k < c.length; k++, at++) if (bad < 0 && c[k] !== expected(Math.floor(at / CHUNK))) bad = at;
        req.pause(); // a slow reader keeps the socket full, so writes queue
        setTimeout(() => req.resume(), 1);
      });
      req.on('end', () => {
        verdict = bad < 0 ? `ok ${at}` : `corrupt at ${bad}`;
        res.writeHead(200, { etag: '"x"' }).end();
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new OssClient({ accessKeyId: 'ak', accessKeySecret: 'sk', endpoint });
  t.after(() => client.close());
  const buffers = [Buffer.alloc(CHUNK), Buffer.alloc(CHUNK)];
  const source = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < COUNT; i++) {
        const buf = buffers[i % 2]!;
        buf.fill(expected(i));
        yield buf;
        buf.fill(0xee); // asked for the next chunk: this buffer is the producer's again
      }
    },
  };
  await client.putObject({ bucket: 'bkt', key: 'k', body: source, contentLength: CHUNK * COUNT });
  assert.equal(verdict, `ok ${CHUNK * COUNT}`);
});
