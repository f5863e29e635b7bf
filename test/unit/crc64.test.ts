import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Crc64, crc64, crc64Combine, crc64ToString, parseCrc64 } from '../../src/oss/crc/crc64.js';

const MASK = 0xffffffffffffffffn;

// Bit-at-a-time BigInt reference, independent of the table code (slow; small inputs only).
function referenceCrc64(data: Uint8Array): bigint {
  let crc = MASK;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ 0xc96c5795d7870f42n : crc >> 1n;
  }
  return crc ^ MASK;
}

// Deterministic pseudo-random bytes and integers (xorshift32) so failures reproduce.
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
function randomBytes(next: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = next() & 0xff;
  return b;
}

test('check values', () => {
  assert.equal(crc64(Buffer.from('123456789')), 0x995dc9bbdf1939fan);
  assert.equal(crc64ToString(crc64(Buffer.from('123456789'))), '11051210869376104954');
  assert.equal(crc64(Buffer.from('This is a test of the emergency broadcast system.')), 0x27db187fc15bbc72n);
  assert.equal(crc64(new Uint8Array(0)), 0n);
  assert.equal(new Crc64().value, 0n);
  assert.equal(new Crc64().digest(), '0');
});

test('matches the bitwise reference for every length 0..300 at every alignment', () => {
  const next = rng(7);
  const backing = randomBytes(next, 320);
  for (let offset = 0; offset < 8; offset++) {
    for (let len = 0; len <= 300; len += len < 80 ? 1 : 13) {
      const view = backing.subarray(offset, offset + len);
      assert.equal(crc64(view), referenceCrc64(view), `offset ${offset} length ${len}`);
    }
  }
  // A Uint8Array view on an odd offset of a plain ArrayBuffer, not a pooled Buffer.
  const ab = new ArrayBuffer(1000);
  const u = new Uint8Array(ab, 3, 997);
  u.set(randomBytes(next, 997));
  assert.equal(crc64(u), referenceCrc64(u));
});

test('incremental equals one-shot on random splits', () => {
  const next = rng(42);
  const data = randomBytes(next, 200_000);
  const whole = crc64(data);
  for (let round = 0; round < 30; round++) {
    const h = new Crc64();
    let prev = 0n;
    let pos = 0;
    while (pos < data.length) {
      const n = Math.min(data.length - pos, next() % (round % 3 === 0 ? 17 : 9000));
      const piece = data.subarray(pos, pos + n);
      h.update(piece);
      prev = crc64(piece, prev);
      pos += n;
    }
    assert.equal(h.value, whole);
    assert.equal(prev, whole);
    assert.equal(h.digest(), whole.toString());
  }
});

test('Crc64 can start from a known CRC and update chains', () => {
  const a = Buffer.from('hello, ');
  const b = Buffer.from('world');
  assert.equal(new Crc64(crc64(a)).update(b).value, crc64(Buffer.concat([a, b])));
  const h = new Crc64();
  assert.equal(h.update(a).update(b), h);
});

test('combine equals one-shot for many random splits, including lengthB 0 and 1', () => {
  const next = rng(99);
  const data = randomBytes(next, 5000);
  const whole = crc64(data);
  const cuts = [0, 1, data.length - 1, data.length];
  for (let i = 0; i < 60; i++) cuts.push(next() % (data.length + 1));
  for (const cut of cuts) {
    const a = data.subarray(0, cut);
    const b = data.subarray(cut);
    assert.equal(crc64Combine(crc64(a), crc64(b), b.length), whole, `cut at ${cut}`);
  }
  const x = crc64(Buffer.from('abc'));
  assert.equal(crc64Combine(x, 0n, 0), x);
  assert.equal(crc64Combine(x, crc64(Buffer.from('d')), 1), crc64(Buffer.from('abcd')));
});

test('combine folds many parts in order, as for a multipart upload', () => {
  const next = rng(5);
  const parts = Array.from({ length: 12 }, (_, i) => randomBytes(next, i === 3 ? 0 : 1 + (next() % 3000)));
  let folded = 0n;
  for (const p of parts) folded = crc64Combine(folded, crc64(p), p.length);
  assert.equal(folded, crc64(Buffer.concat(parts)));
});

test('combine handles long zero runs and lengths beyond 32 bits', () => {
  const zeros = Buffer.alloc(1_000_003);
  const a = crc64(Buffer.from('prefix'));
  assert.equal(crc64Combine(a, crc64(zeros), zeros.length), crc64(zeros, a));
  // Beyond 2^32 bytes nothing can be hashed here, so check that combining is associative.
  const [x, y, z] = [0x0123456789abcdefn, 0xfedcba9876543210n, 0x1111222233334444n];
  const l1 = 2 ** 33 + 5;
  const l2 = 2 ** 40 + 77;
  assert.equal(crc64Combine(crc64Combine(x, y, l1), z, l2), crc64Combine(x, crc64Combine(y, z, l2), l1 + l2));
});

test('bad input is rejected clearly', () => {
  assert.throws(() => crc64('abc' as unknown as Uint8Array), /Uint8Array/);
  assert.throws(() => crc64(Buffer.from('a'), -1n), /unsigned 64-bit/);
  assert.throws(() => crc64(Buffer.from('a'), 1n << 64n), /unsigned 64-bit/);
  assert.throws(() => crc64Combine(1n, 2n, -1), /lengthB/);
  assert.throws(() => crc64Combine(1n, 2n, 1.5), /lengthB/);
  assert.throws(() => crc64Combine(-1n, 2n, 1), /crcA/);
  assert.throws(() => new Crc64().update(null as unknown as Uint8Array), /Uint8Array/);
});

test('decimal string form round-trips; garbage throws', () => {
  for (const v of [0n, 1n, 0x995dc9bbdf1939fan, MASK]) assert.equal(parseCrc64(crc64ToString(v)), v);
  assert.equal(crc64ToString(MASK), '18446744073709551615');
  assert.equal(parseCrc64('11051210869376104954'), 0x995dc9bbdf1939fan);
  for (const bad of ['', ' ', '-1', '1.5', '0x10', '1e3', '12a', '18446744073709551616', '123456789012345678901']) {
    assert.throws(() => parseCrc64(bad), /CRC-64/, bad);
  }
  assert.throws(() => crc64ToString(-1n), /unsigned 64-bit/);
});
