// The pair each folder was last synced with — profile, bucket, prefix, direction and the run's
// options — kept in the workspace's state so the next sync of that folder is one click. Nothing
// secret: a profile is named by its id, its secret stays in SecretStorage. Entries are checked when
// read (workspace state outlives versions of this file).
import * as path from 'node:path';
import type { SyncCompare, SyncDirection } from '../../transfer/sync/syncTypes.js';

export const PAIRS_KEY = 'ossTransfer.sync.pairs';
/** The most pairs one workspace keeps; the least recently synced go first. */
export const MAX_PAIRS = 50;

export interface SyncPair {
  /** The local folder, absolute. */
  folder: string;
  profileId: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
  direction: SyncDirection;
  include: string[];
  exclude: string[];
  compare: SyncCompare;
  deleteExtraneous: boolean;
  /** When it was last synced (ms since the epoch). */
  lastSyncedAt: number;
}

/** What one sync run is asked to do: the pair and its options. */
export type SyncRun = Omit<SyncPair, 'lastSyncedAt'>;

/** The part of VS Code's Memento this uses (workspaceState). */
export interface PairMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function isPair(v: unknown): v is SyncPair {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p.folder === 'string' &&
    path.isAbsolute(p.folder) &&
    typeof p.profileId === 'string' &&
    typeof p.bucket === 'string' &&
    p.bucket.length > 0 &&
    typeof p.prefix === 'string' &&
    (p.prefix === '' || p.prefix.endsWith('/')) &&
    (p.direction === 'upload' || p.direction === 'download') &&
    isStrings(p.include) &&
    isStrings(p.exclude) &&
    (p.compare === 'size-mtime' || p.compare === 'checksum') &&
    typeof p.deleteExtraneous === 'boolean' &&
    typeof p.lastSyncedAt === 'number'
  );
}

/** The same folder whatever way its path was written (trailing separator, `..`). */
function folderKey(folder: string): string {
  return path.resolve(folder);
}

export class RememberedPairs {
  constructor(private readonly memento: PairMemento) {}

  /** Every valid pair, most recently synced first. */
  all(): SyncPair[] {
    const raw = this.memento.get<unknown>(PAIRS_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(isPair).sort((a, b) => b.lastSyncedAt - a.lastSyncedAt);
  }

  /** The pair of `folder`, if it was synced from this workspace. */
  get(folder: string): SyncPair | undefined {
    const key = folderKey(folder);
    return this.all().find((p) => folderKey(p.folder) === key);
  }

  /** The most recently synced pair whose folder `inWorkspace` accepts. */
  latest(inWorkspace: (folder: string) => boolean): SyncPair | undefined {
    return this.all().find((p) => inWorkspace(p.folder));
  }

  /** Keeps `pair` as its folder's pair (replacing the one before). */
  async remember(pair: SyncPair): Promise<void> {
    const key = folderKey(pair.folder);
    const clean: SyncPair = {
      folder: key,
      profileId: pair.profileId,
      bucket: pair.bucket,
      prefix: pair.prefix,
      direction: pair.direction,
      include: [...pair.include],
      exclude: [...pair.exclude],
      compare: pair.compare,
      deleteExtraneous: pair.deleteExtraneous,
      lastSyncedAt: pair.lastSyncedAt,
    };
    const rest = this.all().filter((p) => folderKey(p.folder) !== key);
    await this.memento.update(PAIRS_KEY, [clean, ...rest].slice(0, MAX_PAIRS));
  }

  async forget(folder: string): Promise<void> {
    const key = folderKey(folder);
    await this.memento.update(PAIRS_KEY, this.all().filter((p) => folderKey(p.folder) !== key));
  }
}
