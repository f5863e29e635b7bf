// Child process for batchKillRestore.test.ts. 'run': uploads a batch of small files through a
// TransferManager (as Upload Folder does) until the parent SIGKILLs it, printing how far it got and
// the file-system flushes so far every few completions. 'restore': a new manager restores what the
// journal left, resumes every restored item and prints what it did. Nothing here cooperates with the kill.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import type { TransferItem } from '../../src/transfer/batch/transferTypes.js';
import { countFsCalls } from '../bench/fsCallCounter.js';

export interface BatchKillSpec {
  phase: 'run' | 'restore';
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  srcDir: string;
  cptDir: string;
  prefix: string;
  concurrentFiles: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BATCH_KILL_SPEC ?? '') as BatchKillSpec;
  const counts = await countFsCalls();
  const client = new OssClient({ accessKeyId: spec.accessKeyId, accessKeySecret: spec.accessKeySecret, endpoint: spec.endpoint, region: 'cn-hangzhou' });
  const manager = new TransferManager({
    clientFor: async () => client,
    checkpointDir: spec.cptDir,
    settings: () => ({ concurrentFiles: spec.concurrentFiles, disableCheckpoint: false }),
    log: { info: () => undefined, warn: (m) => process.stderr.write(`warn ${m}\n`), error: (m) => process.stderr.write(`error ${String(m)}\n`) },
  });
  let done = 0;
  manager.onDidChange((it?: TransferItem) => {
    if (it?.state !== 'done') return;
    done++;
    if (done % 20 === 0) process.stdout.write(`PROGRESS ${JSON.stringify({ done, ...counts() })}\n`);
  });
  if (spec.phase === 'run') {
    const names = (await fsp.readdir(spec.srcDir)).sort();
    const batch = manager.startBatch('folder', names.map((n) => ({ direction: 'upload' as const, profileId: 'p', bucket: spec.bucket, key: `${spec.prefix}${n}`, file: path.join(spec.srcDir, n), size: 4096 })));
    const r = await batch.result;
    process.stdout.write(`RESULT ${JSON.stringify({ done: r.done.length, failed: r.failed.length, ...counts() })}\n`);
  } else {
    const restored = await manager.restoreInterrupted();
    const before = counts();
    const waits = restored.map((it) => {
      manager.resume(it.id);
      return new Promise<TransferItem>((resolve) => {
        const check = (): boolean => {
          const now = manager.get(it.id);
          if (now && (now.state === 'done' || now.state === 'failed')) {
            resolve(now);
            return true;
          }
          return false;
        };
        if (!check()) {
          const sub = manager.onDidChange(() => check() && sub.dispose());
        }
      });
    });
    const ends = await Promise.all(waits);
    const failed = ends.filter((e) => e.state === 'failed');
    for (const f of failed.slice(0, 3)) process.stderr.write(`failed ${f.spec.key}: ${String(f.error)}\n`);
    const after = counts();
    process.stdout.write(`RESULT ${JSON.stringify({ restored: restored.map((i) => i.spec.key), done: ends.length - failed.length, failed: failed.length, fsyncs: after.fsyncs - before.fsyncs })}\n`);
  }
  await manager.close();
  await client.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`FAILED ${String(err)}\n`);
  process.exit(2);
});
