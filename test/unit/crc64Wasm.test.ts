import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { FastCrc64, fastCrcAvailable } from '../../src/oss/crc/crc64Wasm.js';
import { Crc64, crc64 } from '../../src/oss/crc/crc64.js';

test('the WebAssembly CRC-64 is active and matches the protocol check values', () => {
  assert.equal(fastCrcAvailable(), true);
  assert.equal(new FastCrc64().update(Buffer.from('123456789')).value, 11051210869376104954n);
  assert.equal(new FastCrc64().update(Buffer.from('This is a test of the emergency broadcast system.')).value, 0x27db187fc15bbc72n);
  assert.equal(new FastCrc64().value, 0n);
  assert.equal(new FastCrc64().update(Buffer.alloc(0)).value, 0n);
});

test('matches src/oss/crc64 on random data, any length, alignment and chunking', () => {
  const data = randomBytes(3 * 1024 * 1024 + 13);
  const whole = crc64(data);
  assert.equal(new FastCrc64().update(data).value, whole, 'larger than one slice');
  for (const len of [1, 7, 8, 9, 15, 16, 17, 255, 4096, 65537]) {
    for (const off of [0, 1, 3, 5]) {
      const piece = data.subarray(off, off + len);
      assert.equal(new FastCrc64().update(piece).value, crc64(piece), `len ${len} offset ${off}`);
    }
  }
  const fast = new FastCrc64();
  const js = new Crc64();
  for (let p = 0; p < data.length; ) {
    const n = 1 + ((p * 7919) % 70_001);
    const piece = data.subarray(p, p + n);
    fast.update(piece);
    js.update(piece);
    p += n;
  }
  assert.equal(fast.value, js.value);
  assert.equal(fast.value, whole);
});
