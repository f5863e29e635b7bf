// What the parent (smallFilesBench.ts) asks of a small-files variant process (smallFilesVariant.ts):
// kept apart so the parent does not load the engine and the Transfers UI the variants bundle.
export type SmallVariantName =
  | 'batch-up' | 'alioss-put-pool' | 'raw-put-pool' | 'batch-down' | 'alioss-get-pool' | 'raw-get-pool'
  // BENCH_SYNC (syncBench.ts): a whole sync (plan + run) of the folder, the same again with nothing
  // changed, and a bare listing of the prefix (the yardstick of the no-change sync).
  | 'sync-up' | 'sync-nochange' | 'list-prefix';

const UPLOADS: ReadonlySet<SmallVariantName> = new Set<SmallVariantName>(['batch-up', 'alioss-put-pool', 'raw-put-pool', 'sync-up', 'sync-nochange', 'list-prefix']);

export function isSmallUpload(v: SmallVariantName): boolean {
  return UPLOADS.has(v);
}

export interface SmallVariantSpec {
  kind: 'small';
  variant: SmallVariantName;
  /** Files at once: TransferManager's concurrentFiles, or the pool's size. */
  concurrency: number;
  /** Upload: the folder holding the files. Download: the folder to download into. */
  dir: string;
  /** Upload: where the files go (the folder's name is added below it, as Upload Folder does). Download: what is downloaded. */
  prefix: string;
  checkpointDir: string;
  /** Drive TransferManager through the real Transfers UI under a fake vscode (BENCH_SMALL_UI=1). */
  ui: boolean;
  /** Sync variants: the pair's index folder, shared by a sync and the no-change sync after it. */
  stateDir?: string;
}
