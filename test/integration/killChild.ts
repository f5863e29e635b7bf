// Child process for killResume.test.ts: runs one resumable transfer described by the
// KILL_CHILD_SPEC environment variable and prints its result. The parent SIGKILLs it at random
// points; nothing here cooperates with that — it is an ordinary run of the engine.
import { OssClient } from '../../src/oss/index.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';

interface Spec {
  direction: 'upload' | 'download';
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  key: string;
  file: string;
  cptFile: string;
  partSize: number;
  parallel: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.KILL_CHILD_SPEC ?? '') as Spec;
  const client = new OssClient({ accessKeyId: spec.accessKeyId, accessKeySecret: spec.accessKeySecret, endpoint: spec.endpoint, region: 'cn-hangzhou' });
  const opts = { bucket: spec.bucket, key: spec.key, file: spec.file, cptFile: spec.cptFile, partSize: spec.partSize, parallel: spec.parallel };
  const result = spec.direction === 'upload' ? await resumableUpload(client, opts) : await resumableDownload(client, opts);
  await client.close();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`FAILED ${String(err)}\n`);
  process.exit(2);
});
