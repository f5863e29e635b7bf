// Child of listingMemory.test.ts: lists and plans every object below many/ at the given endpoint,
// streamed (as the download command does now) or whole (listing, plan, then specs, as it did
// before), and prints how much heap stayed in use at worst (after a GC) and the peak RSS.
// Run with --expose-gc.
import { OssClient } from '../../src/oss/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { listObjectPages } from '../../src/transfer/listing/listObjectPages.js';
import type { TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { keepBothName } from '../../src/vscode/planning/conflictName.js';
import { resolveConflicts } from '../../src/vscode/planning/conflictPolicy.js';
import { planDownloads } from '../../src/vscode/planning/downloadPlan.js';
import { downloadSpecs, newDownloadTally } from '../../src/vscode/planning/downloadSpecs.js';
import { promises as fs } from 'node:fs';

const [endpoint, mode, root] = process.argv.slice(2) as [string, 'stream' | 'whole', string];
const gc = (globalThis as { gc?: () => void }).gc!;
const exists = (p: string): Promise<boolean> => fs.lstat(p).then(() => true, () => false);
const ask = async () => undefined;

async function main(): Promise<void> {
  const client = new OssClient({ accessKeyId: 'ak-memory', accessKeySecret: 'sk-memory', endpoint });
  gc();
  const base = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const sample = (): void => {
    gc();
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed - base.heapUsed);
    rss = Math.max(rss, m.rss);
  };
  let n = 0;
  // A consumer that keeps nothing, as a batch that has started the files holds them elsewhere.
  const take = (_s: TransferSpec): void => {
    if (++n % 1000 === 0) sample();
  };
  if (mode === 'stream') {
    const tally = newDownloadTally();
    const groups = [{ profileId: 'p', bucket: 'b', selections: [{ basePrefix: '', covers: { prefix: 'many/' }, pages: listObjectPages(client, 'b', 'many/') }] }];
    for await (const spec of downloadSpecs(root, groups, { exists, mkdir: async () => undefined, ask, onRefused: () => undefined }, tally)) take(spec);
  } else {
    const objects = await listAllObjects(client, 'b', 'many/');
    const plan = planDownloads(root, [{ basePrefix: '', objects }]);
    const resolved = await resolveConflicts(plan.downloads, (d) => d.file, exists, ask, keepBothName);
    const specs: TransferSpec[] = resolved.transfers.map(({ item, destination }) => ({ direction: 'download', profileId: 'p', bucket: 'b', key: item.key, file: destination, size: item.size }));
    sample();
    for (const s of specs) take(s);
  }
  sample();
  await client.close();
  process.stdout.write(JSON.stringify({ specs: n, heapMB: heap / 2 ** 20, rssMB: rss / 2 ** 20 }) + '\n');
}

void main().catch((e: unknown) => {
  process.stderr.write(String((e as Error).stack ?? e));
  process.exit(1);
});
