// What checkpointing costs an upload: runs one multipart upload against the local test server and
// counts the checkpoint writes (renames of `<cpt>.tmp-*`) and the fsyncs made, with the time spent
// in the fsyncs; then times the same CheckpointWriter writing a checkpoint of that many parts
// on its own, one save after another. Everything lives in a temp folder removed at the end.
// Run: node --import tsx scripts/checkpointWriteCost.ts [MiB=1024] [partMiB=8]
import { randomFillSync } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../src/oss/index.js';
import { CheckpointWriter } from '../src/transfer/checkpoint/checkpointStore.js';
import type { UploadCheckpoint } from '../src/transfer/checkpoint/checkpointCodec.js';
import { resumableUpload } from '../src/transfer/index.js';
import { startOssServer } from '../test/server/index.js';

const MiB = 1024 * 1024;
const totalMiB = Number(process.argv[2] ?? 1024);
const partMiB = Number(process.argv[3] ?? 8);
if (!Number.isInteger(totalMiB) || totalMiB <= 0 || !Number.isInteger(partMiB) || partMiB <= 0) {
  throw new Error('usage: checkpointWriteCost.ts [MiB > 0] [partMiB > 0]');
}

// Counters wrapped around the fs calls the checkpoint store makes and around the writer's save,
// whose wait is what a part worker spends on its checkpoint (the engine itself is untouched).
const counts = { renames: 0, syncs: 0, syncMs: 0, saves: 0, saveWaitMs: 0 };
const realSave = CheckpointWriter.prototype.save;
CheckpointWriter.prototype.save = async function (this: CheckpointWriter, cpt): Promise<void> {
  const t0 = performance.now();
  try {
    return await realSave.call(this, cpt);
  } finally {
    counts.saves++;
    counts.saveWaitMs += performance.now() - t0;
  }
};
const realRename = fsp.rename;
fsp.rename = async (from, to) => {
  if (String(from).includes('.tmp-')) counts.renames++;
  return realRename(from, to);
};

async function countSyncs(): Promise<void> {
  const probe = await fsp.open(__filename, 'r');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> };
  await probe.close();
  for (const name of ['sync', 'datasync'] as const) {
    const real = proto[name];
    proto[name] = async function (this: unknown): Promise<void> {
      const t0 = performance.now();
      try {
        return await real.call(this);
      } finally {
        counts.syncs++;
        counts.syncMs += performance.now() - t0;
      }
    };
  }
}

async function makeFile(file: string, bytes: number): Promise<void> {
  const fh = await fsp.open(file, 'w');
  const chunk = Buffer.alloc(MiB);
  try {
    for (let off = 0; off < bytes; off += MiB) await fh.write(randomFillSync(chunk), 0, Math.min(MiB, bytes - off), off);
  } finally {
    await fh.close();
  }
}

async function main(): Promise<void> {
  await countSyncs();
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'cpt-cost-'));
  const creds = { accessKeyId: 'cost-ak', accessKeySecret: 'cost-sk' };
  const server = await startOssServer({ port: 0, dataDir: path.join(dir, 'server'), credentials: [creds], buckets: ['cost'] });
  const client = new OssClient({ ...creds, endpoint: server.endpoint, region: 'cn-hangzhou' });
  try {
    const file = path.join(dir, 'big.bin');
    await makeFile(file, totalMiB * MiB);
    const t0 = performance.now();
    await resumableUpload(client, { bucket: 'cost', key: 'big.bin', file, partSize: partMiB * MiB, cptFile: path.join(dir, 'big.cpt') });
    const seconds = (performance.now() - t0) / 1000;
    const parts = Math.ceil(totalMiB / partMiB);
    console.log(
      `upload ${totalMiB} MiB in ${parts} parts: ${seconds.toFixed(2)} s; ${counts.saves} saves waited ` +
        `${counts.saveWaitMs.toFixed(0)} ms in all (${(counts.saveWaitMs / counts.saves).toFixed(1)} ms each); ` +
        `${counts.renames} checkpoint writes; ${counts.syncs} fsyncs taking ${counts.syncMs.toFixed(0)} ms in all`,
    );

    // The writer alone: `parts` saves in a row of a checkpoint growing to `parts` parts.
    const writer = new CheckpointWriter(path.join(dir, 'alone.cpt'));
    const now = new Date().toISOString();
    const cpt: UploadCheckpoint = {
      direction: 'upload', endpoint: server.endpoint, bucket: 'cost', key: 'big.bin', file, partSize: partMiB * MiB,
      createdAt: now, updatedAt: now, source: { size: totalMiB * MiB, mtimeMs: 0 }, uploadId: 'U'.repeat(32), parts: [],
    };
    const before = { ...counts };
    const t1 = performance.now();
    for (let i = 1; i <= parts; i++) {
      cpt.parts.push({ partNumber: i, etag: `"${'A'.repeat(32)}"`, crc64: '12345678901234567890' });
      await writer.save(cpt);
    }
    await writer.close();
    const ms = performance.now() - t1;
    console.log(
      `writer alone: ${parts} sequential saves in ${ms.toFixed(0)} ms (${(ms / parts).toFixed(2)} ms per write), ` +
        `${counts.syncs - before.syncs} fsyncs taking ${(counts.syncMs - before.syncMs).toFixed(0)} ms`,
    );
  } finally {
    await client.close();
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
