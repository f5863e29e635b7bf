// The bench's emulated WAN relay (test/bench/wanLink.ts): bytes pass intact in both directions,
// an end is relayed only after the bytes before it, and neither the cap, the shared cap over all
// connections, the round trip nor a loss's stall can be beaten. Only lower bounds on time are
// checked: the relay may be slower on a loaded machine.
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

test('parseWanProfile reads the shared cap, the loss rate and the stall', () => {
  assert.deepEqual(parseWanProfile('30ms,25MB,shared=60MB'), { rttMs: 30, bytesPerSecond: 25 * 1024 * 1024, sharedBytesPerSecond: 60 * 1024 * 1024 });
  assert.deepEqual(parseWanProfile('30ms, 25MB, loss=0.1%, stall=250ms'), { rttMs: 30, bytesPerSecond: 25 * 1024 * 1024, lossRate: 0.001, stallMs: 250 });
  assert.deepEqual(parseWanProfile('30ms,25MB,handshake=3rtt'), { rttMs: 30, bytesPerSecond: 25 * 1024 * 1024, handshakeRtts: 3 });
  assert.throws(() => parseWanProfile('30ms,25MB,shared=60'), /cannot read "shared=60"/);
  assert.throws(() => parseWanProfile('30ms,25MB,loss=1ms'), /cannot read "loss=1ms"/);
  assert.throws(() => parseWanProfile('30ms,25MB,jitter=5ms'), /cannot read "jitter=5ms"/);
  assert.throws(() => parseWanProfile('30ms,25MB,handshake=30ms'), /cannot read "handshake=30ms"/);
  assert.throws(() => parseWanProfile('30ms,25MB,shared=0MB'), /above 0/);
  assert.throws(() => parseWanProfile('30ms,25MB,loss=100%'), /below 100/);
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
      // The handshake's round trip, then 1 MiB up and 0.5 MiB down at 4 MiB/s each way, plus a round
      // trip: at least 0.1 + 0.25 + 0.125 + 0.1 s.
      assert.ok(r.ms >= 570, `took ${r.ms.toFixed(0)} ms, faster than the emulated link allows`);
    }
  } finally {
    await link.close();
    await upstream.close();
  }
});

test('connections together never pass the shared cap, in either direction', async () => {
  const MiB = 1024 * 1024;
  // Each connection alone could move 1 MiB in 1/16 s; four of them through a shared 4 MiB/s need a second.
  const profile = { rttMs: 10, bytesPerSecond: 16 * MiB, sharedBytesPerSecond: 4 * MiB };
  for (const [up, down] of [[MiB, 16], [16, MiB]]) {
    const upstream = await hashingServer(randomBytes(down));
    const link = await startWanLink({ host: '127.0.0.1', port: upstream.port }, profile);
    try {
      const payload = randomBytes(up);
      const t0 = performance.now();
      const runs = await Promise.all(Array.from({ length: 4 }, () => exchange(link.port, payload)));
      const ms = performance.now() - t0;
      for (const r of runs) assert.deepEqual(r.got.subarray(0, 32), createHash('sha256').update(payload).digest());
      assert.equal(link.stats().connections, 4);
      const rate = (4 * Math.max(up, down)) / (ms / 1000);
      assert.ok(rate <= 4 * MiB * 1.02, `${up > down ? 'up' : 'down'}: 4 connections moved ${(rate / MiB).toFixed(2)} MiB/s together, above the shared 4 MiB/s`);
    } finally {
      await link.close();
      await upstream.close();
    }
  }
});

test('a lost segment stalls its connection, and the bytes behind it wait too', async () => {
  const reply = randomBytes(64 * 1024);
  const upstream = await hashingServer(reply);
  // Every draw is a loss: the request and the reply each stall once per chunk.
  const link = await startWanLink({ host: '127.0.0.1', port: upstream.port }, { rttMs: 10, bytesPerSecond: 64 * 1024 * 1024, lossRate: 0.01, stallMs: 300 }, { random: () => 0 });
  try {
    const payload = randomBytes(64 * 1024);
    const r = await exchange(link.port, payload);
    assert.deepEqual(r.got.subarray(0, 32), createHash('sha256').update(payload).digest());
    assert.ok(r.got.subarray(32).equals(reply), 'the reply arrived whole, in order');
    assert.ok(link.stats().stalls >= 2, `stalls counted: ${link.stats().stalls}`);
    // One stall up, one down, plus the round trip.
    assert.ok(r.ms >= 610, `took ${r.ms.toFixed(0)} ms, less than two stalls and a round trip`);
  } finally {
    await link.close();
    await upstream.close();
  }
});

test('without a loss drawn nothing stalls', async () => {
  const upstream = await hashingServer(randomBytes(1024));
  const link = await startWanLink({ host: '127.0.0.1', port: upstream.port }, { rttMs: 10, bytesPerSecond: 64 * 1024 * 1024, lossRate: 0.01, stallMs: 300 }, { random: () => 0.999999 });
  try {
    await exchange(link.port, randomBytes(64 * 1024));
    assert.equal(link.stats().stalls, 0);
  } finally {
    await link.close();
    await upstream.close();
  }
});

test("a new connection's first bytes wait for its handshake; later ones on it do not", async () => {
  const server = net.createServer((s) => s.on('data', (d: Buffer) => s.write(d)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const target = { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
  const echo = (s: net.Socket): Promise<number> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      s.once('data', () => resolve(performance.now() - t0));
      s.write('ping');
    });
  try {
    for (const handshakeRtts of [undefined, 3]) {
      const link = await startWanLink(target, { rttMs: 100, bytesPerSecond: 1024 * 1024, ...(handshakeRtts ? { handshakeRtts } : {}) });
      const s = net.connect(link.port, '127.0.0.1');
      try {
        const first = await echo(s);
        // The handshake (one round trip by default) and then the echo's own round trip.
        const expected = ((handshakeRtts ?? 1) + 1) * 100;
        assert.ok(first >= expected - 2, `first echo after ${first.toFixed(0)} ms, expected at least ${expected}`);
        // Later bytes pay the round trip only (at least 100 ms less than the first, 300 with 3 round trips of handshake).
        const second = await echo(s);
        assert.ok(second >= 98 && second < first, `second echo after ${second.toFixed(0)} ms, the first after ${first.toFixed(0)}`);
      } finally {
        s.destroy();
        await link.close();
      }
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
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
