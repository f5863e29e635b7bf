// CRC-64/XZ combination: crc(A‖B) from crc(A), crc(B) and len(B), without the bytes. This is
// zlib's crc32_combine GF(2) matrix method widened to 64 bits: apply len(B) zero bytes to
// crc(A), then XOR crc(B); the init/xorout conditioning cancels out exactly as in zlib.
// zlib re-squares its operators on every call (~3.5 ms here), which adds up over 10,000 parts,
// so the operator for 2^k zero bytes is squared once and kept. BigInt is fine at this rate.

const POLY_REFLECTED = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;

type Matrix = bigint[]; // 64 columns; column i is the image of bit i

function gf2MatrixTimes(mat: Matrix, vec: bigint): bigint {
  let sum = 0n;
  let i = 0;
  while (vec !== 0n) {
    if (vec & 1n) sum ^= mat[i];
    vec >>= 1n;
    i++;
  }
  return sum;
}

function gf2MatrixSquare(mat: Matrix): Matrix {
  const square = new Array<bigint>(64);
  for (let n = 0; n < 64; n++) square[n] = gf2MatrixTimes(mat, mat[n]);
  return square;
}

// zeroBytesOperator[k] advances a CRC register over 2^k zero bytes.
const zeroBytesOperator: Matrix[] = [];

function operatorFor(k: number): Matrix {
  if (zeroBytesOperator.length === 0) {
    const oneBit: Matrix = new Array<bigint>(64);
    oneBit[0] = POLY_REFLECTED;
    for (let n = 1; n < 64; n++) oneBit[n] = 1n << BigInt(n - 1);
    // 1 bit -> 2 -> 4 -> 8 bits = one zero byte.
    zeroBytesOperator.push(gf2MatrixSquare(gf2MatrixSquare(gf2MatrixSquare(oneBit))));
  }
  while (zeroBytesOperator.length <= k) {
    zeroBytesOperator.push(gf2MatrixSquare(zeroBytesOperator[zeroBytesOperator.length - 1]));
  }
  return zeroBytesOperator[k];
}

function checkCrc(name: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MASK64) throw new RangeError(`${name} must be an unsigned 64-bit bigint`);
}

/** CRC of A‖B given crc(A), crc(B) and B's length in bytes. */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  checkCrc('crcA', crcA);
  checkCrc('crcB', crcB);
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) throw new RangeError(`lengthB must be a non-negative integer, got ${lengthB}`);
  let crc = crcA;
  // Walk the bits of lengthB with division: bit operators would truncate lengths past 2^32.
  for (let len = lengthB, k = 0; len > 0; len = Math.floor(len / 2), k++) {
    if (len % 2 === 1) crc = gf2MatrixTimes(operatorFor(k), crc);
  }
  return crc ^ crcB;
}
