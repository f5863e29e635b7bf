// Prints CRC-64 throughput over 256 MiB, fed in 1 MiB chunks as a transfer would.
// Run: node --import tsx scripts/crc64Speed.ts [MiB]
import { randomFillSync } from 'node:crypto';
import { Crc64 } from '../src/oss/crc/crc64.js';

const totalMiB = Number(process.argv[2] ?? 256);
if (!Number.isInteger(totalMiB) || totalMiB <= 0) throw new Error('usage: crc64Speed.ts [MiB > 0]');
const chunk = randomFillSync(Buffer.alloc(1024 * 1024));

// Warm up so the JIT has optimised the loop before timing.
new Crc64().update(chunk).update(chunk);

const h = new Crc64();
const t0 = process.hrtime.bigint();
for (let i = 0; i < totalMiB; i++) h.update(chunk);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const mbps = (totalMiB * 1024 * 1024) / 1e6 / seconds;
console.log(`crc64: ${totalMiB} MiB in ${seconds.toFixed(3)} s = ${mbps.toFixed(0)} MB/s (crc ${h.digest()})`);
