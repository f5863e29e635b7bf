// Child process for responseBodies.test.ts: runs one client operation against the hostile server
// at argv[2] and prints one JSON line with how it ended and how far the process's resident memory
// rose above where it stood just before the request. A child, so that a client that buffers a huge
// body runs out of memory here (under the --max-old-space-size the test gives) and not in the
// test runner.
import { OssClient } from '../../src/oss/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';

const [endpoint, operation] = process.argv.slice(2);
if (!endpoint || !operation) throw new Error('usage: bodyChild.ts <endpoint> <operation>');

const client = new OssClient({ accessKeyId: 'ak-hostile', accessKeySecret: 'sk-hostile-secret', endpoint });
const operations: Record<string, () => Promise<unknown>> = {
  listObjectsV2: () => client.listObjectsV2({ bucket: 'b' }),
  listAllObjects: () => listAllObjects(client, 'b', ''),
  deleteObjects: () => client.deleteObjects({ bucket: 'b', keys: ['k'] }),
  listParts: () => client.listParts({ bucket: 'b', key: 'k', uploadId: 'u' }),
};
const run = operations[operation];
if (!run) throw new Error(`unknown operation ${operation}`);

async function main(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let outcome: Record<string, unknown>;
  try {
    await run();
    outcome = { ok: true };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string; status?: number };
    outcome = { ok: false, name: err.name, code: err.code, status: err.status, message: err.message };
  }
  // maxRSS (KiB) is the peak of the whole life of the process; loading tsx peaks well below the
  // limits the test checks.
  const growthMb = (process.resourceUsage().maxRSS * 1024 - rssBefore) / (1024 * 1024);
  process.stdout.write(JSON.stringify({ ...outcome, growthMb: Math.round(growthMb) }) + '\n');
  await client.close();
}

void main();
