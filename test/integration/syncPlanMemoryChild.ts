// Child of syncPlanMemory.test.ts (and the benchmark): plans a download sync of every object below
// many/ into an empty folder and prints the plan's size, the heap still in use after a GC and the
// peak RSS. Run with --expose-gc.
import { OssClient } from '../../src/oss/index.js';
import { planSync } from '../../src/transfer/index.js';

const [endpoint, root, stateDir] = process.argv.slice(2) as [string, string, string];
const gc = (globalThis as { gc?: () => void }).gc!;

async function main(): Promise<void> {
  const client = new OssClient({ accessKeyId: 'ak-memory', accessKeySecret: 'sk-memory', endpoint });
  gc();
  const base = process.memoryUsage();
  let rss = base.rss;
  const timer = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 20);
  const t0 = Date.now();
  const plan = await planSync(client, { direction: 'download', localDir: root, bucket: 'b', prefix: 'many/', stateDir });
  const ms = Date.now() - t0;
  clearInterval(timer);
  gc();
  const m = process.memoryUsage();
  rss = Math.max(rss, m.rss);
  console.log(JSON.stringify({ baseRssMB: base.rss / 2 ** 20, items: plan.items.length, downloads: plan.totals.download.files, heapMB: (m.heapUsed - base.heapUsed) / 2 ** 20, rssMB: rss / 2 ** 20, ms }));
  await client.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
