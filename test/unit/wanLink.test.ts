// The bench's emulated WAN relay (test/bench/wanLink.ts): bytes pass intact in both directions,
// an end is relayed only after the bytes before it, and neither the cap nor the round trip can be
// beaten. Only lower bounds on time are checked: the relay may be slower on a loaded machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { parseWanProfile, startWanLink } from '../bench/wanLink.js';

/** A server that answers each connection, once the client ends, with the SHA-256 of what it got and then `reply`. */
async function hashingServer(reply: Buffer): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    const h = createHash('sha256');
    s.on('data', (d: Buffer) => h.update(d));
    s.on('end', () => {
      s.write(h.digest());
      s.end(reply);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function exchange(port: number, payload: Buffer): Promise<{ got: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const chunks: Buffer[] = [];
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => {
      resolve({ got: Buffer.concat(chunks), ms: performance.now() - t0 });
      s.end();
    });
    s.on('error', reject);
    s.end(payload);
  });
}

test('parseWanProfile reads "30ms,25MB" and refuses what it cannot read', () => {
  assert.deepEqual(parseWanProfile('30ms,25MB'), { rttMs: 30, bytesPerSecond: 25 * 1024 * 1024 });
  assert.deepEqual(parseWanProfile(' 0.5 ms , 2.5 mb '), { rttMs: 0.5, bytesPerSecond: 2.5 * 1024 * 1024 });
  assert.throws(() => parseWanProfile('30,25'), /BENCH_WAN: cannot read/);
  assert.throws(() => parseWanProfile('30ms,0MB'), /above 0/);
});

test('bytes pass intact both ways, the end comes after them, and the cap and round trip hold', async () => {
  const reply = randomBytes(512 * 1024);
  const upstream = await hashingServer(reply);
  const link = await startWanLink({ host: '127.0.0.1', port: upstream.port }, { rttMs: 100, bytesPerSecond: 4 * 1024 * 1024 });
  try {
    const payload = randomBytes(1024 * 1024);
    const [a, b] = await Promise.all([exchange(link.port, payload), exchange(link.port, payload)]);
    for (const r of [a, b]) {
      assert.deepEqual(r.got.subarray(0, 32), createHash('sha256').update(payload).digest());
      assert.ok(r.got.subarray(32).equals(reply), 'the reply arrived whole before the end');
      // 1 MiB up and 0.5 MiB down at 4 MiB/s each way, plus a round trip: at least 0.25 + 0.125 + 0.1 s.
      assert.ok(r.ms >= 470, `took ${r.ms.toFixed(0)} ms, faster than the emulated link allows`);
    }
  } finally {
    await link.close();
    await upstream.close();
  }
});

test('a connection the server drops at once is closed on the client side too', async () => {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const link = await startWanLink({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, { rttMs: 10, bytesPerSecond: 1024 * 1024 });
  try {
    await new Promise<void>((resolve) => {
      const s = net.connect(link.port, '127.0.0.1');
      s.on('error', () => undefined);
      s.on('close', () => resolve());
    });
  } finally {
    await link.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
