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
import { scribbledChunks } from './scribbledChunks.js';

test('over HTTPS, chunk buffers overwritten as soon as the next chunk is asked for still arrive intact', { timeout: 20_000 }, async (t) => {
  const CHUNK = 256 * 1024;
  const COUNT = 32;
  const check = scribbledChunks(CHUNK, COUNT);
  const cert = readFileSync(path.join(__dirname, 'fixtures', 'tls-test-only.cert.pem'), 'utf8');
  const server = https.createServer({ key: readFileSync(path.join(__dirname, 'fixtures', 'tls-test-only.key.pem')), cert }, check.handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The self-signed test certificate is trusted as a CA of this client only (the certificate is
  // verified, and no NODE_TLS_REJECT_UNAUTHORIZED=0 turns checking off for the whole process).
  const client = new OssClient({ accessKeyId: 'ak', accessKeySecret: 'sk', endpoint, network: { ca: [cert] } });
  t.after(() => client.close());
  await client.putObject({ bucket: 'bkt', key: 'k', body: check.source, contentLength: CHUNK * COUNT });
  assert.equal(check.verdict(), `ok ${CHUNK * COUNT}`);
});
