// Child process for syncKill.test.ts: plans and runs an upload sync (its own TransferManager, a
// checkpoint folder and a state folder that outlive it) until the parent SIGKILLs it, or to the end.
// Nothing here cooperates with the kill.
import { OssClient } from '../../src/oss/index.js';
import { planSync, runSync } from '../../src/transfer/index.js';

export interface SyncKillSpec {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  localDir: string;
  prefix: string;
  stateDir: string;
  checkpointDir: string;
  partSize: number;
  /** Delete what the folder lacks (the approved deletes of a preview). */
  deleteExtraneous?: boolean;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.SYNC_KILL_SPEC ?? '') as SyncKillSpec;
  const client = new OssClient({ accessKeyId: spec.accessKeyId, accessKeySecret: spec.accessKeySecret, endpoint: spec.endpoint, region: 'cn-hangzhou' });
  const plan = await planSync(client, { direction: 'upload', localDir: spec.localDir, bucket: spec.bucket, prefix: spec.prefix, stateDir: spec.stateDir, deleteExtraneous: spec.deleteExtraneous === true });
  process.stdout.write(`PLAN ${JSON.stringify({ upload: plan.totals.upload.files, unchanged: plan.totals.unchanged.files })}\n`);
  const result = await runSync(client, plan, { checkpointDir: spec.checkpointDir, partSize: spec.partSize, parallel: 2, confirmLargeDelete: true });
  process.stdout.write(`RESULT ${JSON.stringify({ upload: result.upload, failures: result.failures.length })}\n`);
  await client.close();
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
