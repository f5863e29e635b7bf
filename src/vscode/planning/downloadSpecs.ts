// From listed pages to transfer specs, one page at a time, so the batch can start the first files
// while later pages are still being listed: each page is planned (downloadPages), checked against
// links on disk, its folders created, its existing files asked about, then handed out.
// Questions about existing files: one ConflictSession for the whole batch, so an "… all" answer
// holds for every later page and group too; dismissing a question stops the stream and marks the
// tally cancelled (the caller cancels what already started).
import type { TransferSpec } from '../../transfer/batch/transferTypes.js';
import { keepBothName } from './conflictName.js';
import { ConflictSession, type AskConflict } from './conflictPolicy.js';
import type { PlannedDownload, RefusedKey } from './downloadPlan.js';
import { planDownloadPages, type PagedSelection } from './downloadPages.js';
import type { PathPlatform } from '../../transfer/paths/keyPath.js';
import { refuseLinkedFolders } from './linkedFolderGuard.js';

export interface DownloadGroup {
  profileId: string;
  bucket: string;
  selections: PagedSelection[];
}

export interface DownloadStreamDeps {
  exists(path: string): boolean | Promise<boolean>;
  mkdir(path: string): Promise<void>;
  ask: AskConflict;
  /** A key that cannot be saved safely; nothing was written for it. */
  onRefused(bucket: string, refused: RefusedKey): void;
  platform?: PathPlatform;
}

/** What the stream did so far; final once it has ended. */
export interface DownloadTally {
  planned: number;
  skipped: number;
  refused: number;
  /** The user dismissed a question: nothing more was handed out after it. */
  cancelled: boolean;
}

export function newDownloadTally(): DownloadTally {
  return { planned: 0, skipped: 0, refused: 0, cancelled: false };
}

export async function* downloadSpecs(root: string, groups: readonly DownloadGroup[], deps: DownloadStreamDeps, tally: DownloadTally): AsyncGenerator<TransferSpec, void, undefined> {
  const session = new ConflictSession<PlannedDownload>((d) => d.file, deps.exists, deps.ask, keepBothName);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    for await (const page of planDownloadPages(root, group.selections, deps.platform)) {
      // Keys are checked by name first (the planner), then against what is on disk (links inside the folder).
      const plan = await refuseLinkedFolders(root, page);
      for (const r of plan.refused) {
        tally.refused++;
        deps.onRefused(group.bucket, r);
      }
      for (const f of plan.folders) await deps.mkdir(f);
      const resolved = await session.resolve(plan.downloads, page.more || g < groups.length - 1);
      if (resolved.cancelled) {
        tally.cancelled = true;
        return;
      }
      tally.skipped += resolved.skipped.length;
      for (const { item, destination } of resolved.transfers) {
        tally.planned++;
        yield { direction: 'download', profileId: group.profileId, bucket: group.bucket, key: item.key, file: destination, size: item.size };
      }
    }
  }
}
