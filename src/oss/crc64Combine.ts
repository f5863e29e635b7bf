// CRC-64/XZ combination: crc(A‖B) from crc(A), crc(B) and len(B), without the bytes. This is
// zlib's crc32_combine GF(2) matrix method widened to 64 bits: apply len(B) zero bytes to
// crc(A) with a squared-operator chain, then XOR crc(B). The init/xorout conditioning cancels out
// exactly as in zlib. It runs once per part, so BigInt is fine here.

const POLY_REFLECTED = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;

function gf2MatrixTimes(mat: readonly bigint[], vec: bigint): bigint {
  let sum = 0n;
  let i = 0;
  while (vec !== 0n) {
    if (vec & 1n) sum ^= mat[i];
    vec >>= 1n;
    i++;
  }
  return sum;
}

function gf2MatrixSquare(mat: readonly bigint[]): bigint[] {
  const square = new Array<bigint>(64);
  for (let n = 0; n < 64; n++) square[n] = gf2MatrixTimes(mat, mat[n]);
  return square;
}

function checkCrc(name: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MASK64) throw new RangeError(`${name} must be an unsigned 64-bit bigint`);
}

/** CRC of A‖B given crc(A), crc(B) and B's length in bytes. */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  checkCrc('crcA', crcA);
  checkCrc('crcB', crcB);
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) throw new RangeError(`lengthB must be a non-negative integer, got ${lengthB}`);
  if (lengthB === 0) return crcA;

  // odd: the operator for one zero bit; even: for two.
  let odd = new Array<bigint>(64);
  odd[0] = POLY_REFLECTED;
  let row = 1n;
  for (let n = 1; n < 64; n++) {
    odd[n] = row;
    row <<= 1n;
  }
  let even = gf2MatrixSquare(odd); // 2 zero bits
  odd = gf2MatrixSquare(even); // 4 zero bits

  // Each pass squares once more: first one zero byte, then 2, 4, ... picking the bits of lengthB.
  let len = lengthB;
  let crc = crcA;
  for (;;) {
    even = gf2MatrixSquare(odd);
    if (len % 2 === 1) crc = gf2MatrixTimes(even, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
    odd = gf2MatrixSquare(even);
    if (len % 2 === 1) crc = gf2MatrixTimes(odd, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return crc ^ crcB;
}
