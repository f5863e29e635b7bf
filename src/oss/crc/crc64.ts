// CRC-64/XZ (ECMA-182 polynomial, reflected, init = xorout = all ones), the checksum OSS returns
// in x-oss-hash-crc64ecma. The hot loop is slicing-by-8 over two 32-bit halves held in
// Uint32Arrays: BigInt per byte is orders of magnitude too slow to keep up with a transfer.
export { crc64Combine } from './crc64Combine.js';

const POLY_HI = 0xc96c5795; // reflected 0xC96C5795D7870F42, high half
const POLY_LO = 0xd7870f42;
const MASK64 = 0xffffffffffffffffn;

// T[k*256 + b]: the CRC contribution of byte b followed by k zero bytes (k = 0..7).
const TLO = new Uint32Array(8 * 256);
const THI = new Uint32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TLO[n] = lo;
  THI[n] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let n = 0; n < 256; n++) {
    const pLo = TLO[(k - 1) * 256 + n];
    const pHi = THI[(k - 1) * 256 + n];
    const idx = pLo & 0xff;
    TLO[k * 256 + n] = (((pLo >>> 8) | (pHi << 24)) ^ TLO[idx]) >>> 0;
    THI[k * 256 + n] = ((pHi >>> 8) ^ THI[idx]) >>> 0;
  }
}

// Word reads through a Uint32Array are faster than assembling bytes, but they see the host's
// byte order; OSS's CRC wants little-endian words, so big-endian hosts take the byte path.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const WORD_PATH_MIN = 64; // below this a typed-array view costs more than it saves

/**
 * Advances the raw (pre-xorout) register held in state[0] (low) / state[1] (high) over data.
 * A two-slot array keeps both halves without allocating per call.
 */
function updateRaw(state: Uint32Array, data: Uint8Array): void {
  let lo = state[0];
  let hi = state[1];
  const len = data.length;
  let i = 0;
  if (LITTLE_ENDIAN && len >= WORD_PATH_MIN) {
    // Single bytes up to a 4-byte boundary, then 8 bytes (two words) per step.
    for (; ((data.byteOffset + i) & 3) !== 0; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TLO[idx];
      hi = (hi >>> 8) ^ THI[idx];
    }
    const words = new Uint32Array(data.buffer, data.byteOffset + i, ((len - i) >>> 3) << 1);
    const nw = words.length;
    for (let w = 0; w < nw; w += 2) {
      const a = lo ^ words[w];
      const c = hi ^ words[w + 1];
      const i7 = 1792 + (a & 0xff);
      const i6 = 1536 + ((a >>> 8) & 0xff);
      const i5 = 1280 + ((a >>> 16) & 0xff);
      const i4 = 1024 + (a >>> 24);
      const i3 = 768 + (c & 0xff);
      const i2 = 512 + ((c >>> 8) & 0xff);
      const i1 = 256 + ((c >>> 16) & 0xff);
      const i0 = c >>> 24;
      lo = TLO[i7] ^ TLO[i6] ^ TLO[i5] ^ TLO[i4] ^ TLO[i3] ^ TLO[i2] ^ TLO[i1] ^ TLO[i0];
      hi = THI[i7] ^ THI[i6] ^ THI[i5] ^ THI[i4] ^ THI[i3] ^ THI[i2] ^ THI[i1] ^ THI[i0];
    }
    i += nw * 4;
  } else {
    const end8 = len - (len % 8);
    for (; i < end8; i += 8) {
      const a = lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
      const c = hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
      const i7 = 1792 + (a & 0xff);
      const i6 = 1536 + ((a >>> 8) & 0xff);
      const i5 = 1280 + ((a >>> 16) & 0xff);
      const i4 = 1024 + (a >>> 24);
      const i3 = 768 + (c & 0xff);
      const i2 = 512 + ((c >>> 8) & 0xff);
      const i1 = 256 + ((c >>> 16) & 0xff);
      const i0 = c >>> 24;
      lo = TLO[i7] ^ TLO[i6] ^ TLO[i5] ^ TLO[i4] ^ TLO[i3] ^ TLO[i2] ^ TLO[i1] ^ TLO[i0];
      hi = THI[i7] ^ THI[i6] ^ THI[i5] ^ THI[i4] ^ THI[i3] ^ THI[i2] ^ THI[i1] ^ THI[i0];
    }
  }
  for (; i < len; i++) {
    const idx = (lo ^ data[i]) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ TLO[idx];
    hi = (hi >>> 8) ^ THI[idx];
  }
  state[0] = lo;
  state[1] = hi;
}

function checkData(data: Uint8Array): void {
  if (!(data instanceof Uint8Array)) throw new TypeError('crc64 input must be a Uint8Array or Buffer');
}

function fromBigint(state: Uint32Array, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MASK64) throw new RangeError('a CRC-64 value must be an unsigned 64-bit bigint');
  const raw = v ^ MASK64;
  state[0] = Number(raw & 0xffffffffn);
  state[1] = Number(raw >> 32n);
}

function toBigint(state: Uint32Array): bigint {
  return ((BigInt(state[1]) << 32n) | BigInt(state[0])) ^ MASK64;
}

/** CRC-64/XZ of data, continuing from `previous` (the CRC of the bytes before it; default: none). */
export function crc64(data: Uint8Array, previous: bigint = 0n): bigint {
  checkData(data);
  const state = new Uint32Array(2);
  fromBigint(state, previous);
  updateRaw(state, data);
  return toBigint(state);
}

/** Streaming CRC-64/XZ; BigInt only when the value is read. */
export class Crc64 {
  private readonly state = new Uint32Array([0xffffffff, 0xffffffff]);

  constructor(initial: bigint = 0n) {
    fromBigint(this.state, initial);
  }

  update(data: Uint8Array): this {
    checkData(data);
    updateRaw(this.state, data);
    return this;
  }

  get value(): bigint {
    return toBigint(this.state);
  }

  /** Decimal, as OSS sends it in x-oss-hash-crc64ecma. */
  digest(): string {
    return crc64ToString(this.value);
  }
}

/** Decimal unsigned 64-bit string. */
export function crc64ToString(v: bigint): string {
  if (typeof v !== 'bigint' || v < 0n || v > MASK64) throw new RangeError('a CRC-64 value must be an unsigned 64-bit bigint');
  return v.toString(10);
}

/** Parses the decimal form of x-oss-hash-crc64ecma; throws on anything else. */
export function parseCrc64(s: string): bigint {
  if (typeof s !== 'string' || !/^[0-9]{1,20}$/.test(s.trim())) {
    throw new TypeError(`not a decimal CRC-64 value: ${JSON.stringify(s)}`);
  }
  const v = BigInt(s.trim());
  if (v > MASK64) throw new RangeError(`CRC-64 value out of range: ${s}`);
  return v;
}
