// The small-files variants of the bench (BENCH_SMALL): many small files up or down, by
// TransferManager as the Upload / Download commands drive it, by ali-oss `put` / `get` from a pool
// of workers, and by a pool of plain signed PutObject / GetObject requests through our OssClient
// (no checkpoint, journal or verification: the limit). Each runs in its own process
// (benchVariant.ts); the listing and planning before the first transfer are not timed, for
// anyone: `start()` marks the moment the transfers begin.
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { OssClient } from '../../src/oss/index.js';
import { contentTypeFor } from '../../src/transfer/paths/contentType.js';
import { planDownloads } from '../../src/vscode/planning/downloadPlan.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { scanLocalFolder } from '../../src/transfer/paths/localFiles.js';
import type { TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { planSync, runSync } from '../../src/transfer/index.js';
import { planUploadKeys } from '../../src/vscode/planning/uploadPlan.js';
import { isSmallUpload, type SmallVariantSpec } from './smallFilesSpec.js';
import { runTransferBatch } from './transferBatchDriver.js';
import { runPool } from './workerPool.js';

/** The ali-oss calls the pools use. */
export interface AliSmallClient {
  put(name: string, file: string): Promise<unknown>;
  get(name: string, file: string): Promise<unknown>;
}

export interface SmallRunContext {
  client: OssClient;
  bucket: string;
  ali(): AliSmallClient;
  /** Starts the clock: everything before it (listing, planning) is not timed. */
  start(): void;
}

interface SmallUpload {
  file: string;
  key: string;
  size: number;
}

/** What Upload Folder plans for `dir` below `prefix` (scanLocalFolder + planUploadKeys). */
async function planFolderUpload(dir: string, prefix: string): Promise<SmallUpload[]> {
  const { files, emptyFolders } = await scanLocalFolder(dir);
  const sizes = new Map(files.map((f) => [path.join(dir, f.relativePath), f.size]));
  const plan = planUploadKeys(prefix, [{ path: dir, isDirectory: true, files: files.map((f) => f.relativePath), emptyFolders }]);
  return plan.uploads.map((u) => ({ ...u, size: sizes.get(u.file) ?? 0 }));
}

/** What Download plans for every object below `prefix` into `dir` (listing + planDownloads), with the folders made. */
async function planFolderDownload(ctx: SmallRunContext, prefix: string, dir: string): Promise<SmallUpload[]> {
  const objects = await listAllObjects(ctx.client, ctx.bucket, prefix);
  const plan = planDownloads(dir, [{ basePrefix: prefix, objects: objects.map((o) => ({ key: o.key, size: o.size })) }]);
  if (plan.refused.length) throw new Error(`refused keys: ${plan.refused.map((r) => r.key).join(', ')}`);
  for (const f of plan.folders) await fsp.mkdir(f, { recursive: true });
  for (const d of new Set(plan.downloads.map((d) => path.dirname(d.file)))) await fsp.mkdir(d, { recursive: true });
  return plan.downloads;
}

/** A sync is timed whole: its listing and planning are part of what a user waits for. */
async function runSyncVariant(spec: SmallVariantSpec, ctx: SmallRunContext): Promise<number> {
  const { client, bucket } = ctx;
  if (spec.variant === 'list-prefix') {
    ctx.start();
    return (await listAllObjects(client, bucket, spec.prefix)).length;
  }
  ctx.start();
  const plan = await planSync(client, { direction: 'upload', localDir: spec.dir, bucket, prefix: spec.prefix, ...(spec.stateDir ? { stateDir: spec.stateDir } : {}) });
  const r = await runSync(client, plan, { checkpointDir: spec.checkpointDir, concurrency: spec.concurrency });
  if (r.failures.length) throw new Error(`${spec.variant}: ${r.failures.length} failures, first ${String(r.failures[0]!.error)}`);
  const moved = r.upload.done;
  if (spec.variant === 'sync-nochange' && moved !== 0) throw new Error(`sync-nochange moved ${moved} files`);
  return spec.variant === 'sync-nochange' ? plan.totals.unchanged.files : moved;
}

export async function runSmallVariant(spec: SmallVariantSpec, ctx: SmallRunContext): Promise<number> {
  if (spec.variant === 'sync-up' || spec.variant === 'sync-nochange' || spec.variant === 'list-prefix') return runSyncVariant(spec, ctx);
  const { client, bucket } = ctx;
  const c = spec.concurrency;
  const up = isSmallUpload(spec.variant);
  const todo = up ? await planFolderUpload(spec.dir, spec.prefix) : await planFolderDownload(ctx, spec.prefix, spec.dir);
  switch (spec.variant) {
    case 'batch-up':
    case 'batch-down': {
      const specs: TransferSpec[] = todo.map((t) => {
        const s: TransferSpec = { direction: up ? 'upload' : 'download', profileId: 'bench', bucket, key: t.key, file: t.file, size: t.size };
        // As uploadPaths does: the content type from the file name.
        const type = up ? contentTypeFor(t.file) : undefined;
        if (type) s.headers = { 'Content-Type': type };
        return s;
      });
      ctx.start();
      await runTransferBatch({ client, checkpointDir: spec.checkpointDir, concurrentFiles: c, ui: spec.ui }, `${spec.variant} ${specs.length} files`, specs);
      break;
    }
    case 'alioss-put-pool': {
      const ali = ctx.ali();
      ctx.start();
      await runPool(todo, c, (t) => ali.put(t.key, t.file));
      break;
    }
    case 'alioss-get-pool': {
      const ali = ctx.ali();
      ctx.start();
      await runPool(todo, c, (t) => ali.get(t.key, t.file));
      break;
    }
    case 'raw-put-pool':
      ctx.start();
      await runPool(todo, c, (t) => client.putObject({ bucket, key: t.key, body: { file: t.file } }));
      break;
    case 'raw-get-pool':
      ctx.start();
      await runPool(todo, c, async (t) => {
        const r = await client.getObject({ bucket, key: t.key });
        await pipeline(r.body, createWriteStream(t.file));
      });
      break;
  }
  return todo.length;
}
