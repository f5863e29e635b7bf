// Plans a folder ↔ prefix sync without moving a byte: walks the folder (excluded folders never
// entered), lists the prefix a page at a time, and gives every name its kind and action with the
// reason. Unchanged files cost no request beyond the listing (the index of the last sync, or sizes
// and times); only checksum mode and an ambiguous download compare ask the server with HEAD.
// Deleting is guarded here: refused outright when the source side is empty, flagged for a second
// question when it passes the threshold.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { OssClient } from '../../oss/index.js';
import { crc64OfFile } from '../engine/fileCrc64.js';
import { keysAfter, pagesInRanges, rangeBoundaries, rangePages, startRange, type StartedRange } from '../listing/keyRangePages.js';
import { checkKey, keyToLocalPath, normalizePrefix } from '../paths/keyPath.js';
import { TransferError } from '../transferError.js';
import { compareSides, unchangedSinceLastSync, type Probes } from './compareSides.js';
import { scanLocalTree, type LocalFileEntry, type LocalTree } from './localTree.js';
import { Semaphore } from './semaphore.js';
import { reasonOf, refusalOf, syncReasonEnglish, type SyncReason } from './syncReasons.js';
import { SyncFilter } from './syncFilter.js';
import { SyncIndex, rememberPlanIndex } from './syncIndex.js';
import { computeTotals, largeDeleteOf } from './syncTotals.js';
import type { RemoteState, SyncItem, SyncOptions, SyncPlan } from './syncTypes.js';

type PlanClient = Pick<OssClient, 'listObjectsV2' | 'headObject' | 'endpoint'>;

/** Listing ranges under way at once. */
const RANGES_AT_ONCE = 8;

function* keysOf(prefix: string, names: Iterable<string>): Generator<string> {
  for (const name of names) yield prefix + name;
}

/** The name of `child` below `parent` with '/' separators, or undefined when it is not below. */
function inside(parent: string, child: string): string | undefined {
  const rel = path.relative(parent, child);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

async function readLocalSide(opts: SyncOptions, localDir: string, filter: SyncFilter): Promise<LocalTree> {
  const st = await fs.stat(localDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && opts.direction === 'download') return undefined;
    throw new TransferError(err.code === 'ENOENT' ? 'FileNotFound' : 'LocalIoError', `The folder ${localDir} cannot be read (${err.code ?? err.message}).`, { cause: err });
  });
  if (st && !st.isDirectory()) throw new TransferError('InvalidArgument', `${localDir} is not a folder.`);
  if (!st) return { files: new Map(), folders: new Set(), refused: [], skippedLinks: 0 };
  return scanLocalTree(localDir, filter, { followSymlinks: opts.followSymlinks === true, ...(opts.signal ? { signal: opts.signal } : {}) });
}

export async function planSync(client: PlanClient, opts: SyncOptions): Promise<SyncPlan> {
  if (!opts.bucket) throw new TransferError('InvalidArgument', 'A sync needs a bucket.');
  if (opts.prefix !== '' && !opts.prefix.endsWith('/')) throw new TransferError('InvalidArgument', `The prefix "${opts.prefix}" must be empty or end in "/".`);
  const prefix = normalizePrefix(opts.prefix);
  const localDir = path.resolve(opts.localDir);
  const compare = opts.compare ?? 'size-mtime';
  const deleteExtraneous = opts.deleteExtraneous === true;
  const caseInsensitive = opts.caseInsensitive ?? (process.platform === 'win32' || process.platform === 'darwin');
  const cptInside = opts.checkpointDir ? inside(localDir, path.resolve(opts.checkpointDir)) : undefined;
  const filter = new SyncFilter({
    ...(opts.include ? { include: opts.include } : {}),
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
    defaultExcludes: opts.defaultExcludes !== false,
    extraDefaultExcludes: cptInside ? [`/${cptInside}/`] : [],
  });
  const pair = { endpoint: client.endpoint, bucket: opts.bucket, prefix, localDir };
  // The first listing page is on its way while the index is read and the folder walked.
  const signal = opts.signal ? { signal: opts.signal } : {};
  let boundaries: string[] | undefined;
  const openRange = (after: string | undefined, upper: () => string | undefined): StartedRange => startRange(rangePages(client, opts.bucket, prefix, after, upper, signal));
  const opening = openRange(undefined, () => boundaries?.[0]);
  const opened: StartedRange[] = [opening];
  let tree: LocalTree;
  let index: SyncIndex;
  try {
    // The index first (a few ms): the names of the last sync say where to cut the bucket's key
    // space, so the other ranges are asked for now and travel while the folder is walked.
    index = await (opts.stateDir ? SyncIndex.open(opts.stateDir, pair) : SyncIndex.none(pair));
    const known = rangeBoundaries(keysOf(prefix, index.names()));
    if (known.length > 0) {
      boundaries = known;
      // The last of them has no end yet: should the folder hold names past the index's last one, cuts
      // beyond it come with the walk (and that range stops at the first of them).
      for (let i = 1; i <= Math.min(known.length, RANGES_AT_ONCE - 1); i++) {
        opened.push(openRange(known[i - 1], () => boundaries?.[i]));
      }
    }
    tree = await readLocalSide(opts, localDir, filter);
  } catch (err) {
    for (const r of opened) void r.pages.return();
    throw err;
  }
  // With the local names known, the rest of the bucket's key space is asked for in ranges of about
  // a page each, several at once (a no-change sync of 20,000 files: 3 round trips, not 20). Ranges
  // already under way keep their bounds; local names past the last of them add cuts beyond it.
  const early = boundaries;
  const pastEarly = early && keysAfter(early[early.length - 1]!);
  const localNames = pastEarly ? [...tree.files.keys()].filter((name) => pastEarly(prefix + name)) : tree.files.keys();
  const fromLocal = rangeBoundaries(keysOf(prefix, localNames));
  boundaries = early && pastEarly ? [...early, ...fromLocal.filter(pastEarly)] : fromLocal;
  const pages = pagesInRanges(opened, boundaries, (after, upper) => openRange(after, () => upper), RANGES_AT_ONCE);
  const items: SyncItem[] = [];
  const counts = { heads: 0, hashed: 0, remote: 0 };
  const heads = new Semaphore(opts.headParallel ?? 16);
  const reads = new Semaphore(4);
  const matched = new Set<string>();
  // Download on a case-insensitive disk: keys that differ only in case would be one file.
  const byFoldedName = new Map<string, SyncItem>();

  const refuse = (item: SyncItem, why: SyncReason): void => {
    Object.assign(item, { kind: 'refused', action: 'skip', why, reason: syncReasonEnglish(why) });
  };
  /** Gives the item its reason, in English too. */
  const because = (item: SyncItem, why: SyncReason): void => {
    item.why = why;
    item.reason = syncReasonEnglish(why);
  };

  /** Plans a name on both sides through compareSides, which may ask the server or read the file. */
  async function planBoth(item: SyncItem, local: LocalFileEntry, remote: RemoteState): Promise<void> {
    const probes: Probes = {
      remoteCrc: () => heads.run(async () => (counts.heads++, (await client.headObject({ bucket: opts.bucket, key: item.key, ...(opts.signal ? { signal: opts.signal } : {}) })).crc64)),
      remoteMtimeMs: () =>
        heads.run(async () => {
          counts.heads++;
          const meta = (await client.headObject({ bucket: opts.bucket, key: item.key, ...(opts.signal ? { signal: opts.signal } : {}) })).meta;
          const s = Number(meta['mtime']);
          return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
        }),
      localCrc: () => reads.run(async () => (counts.hashed++, (await crc64OfFile(local.file, opts.signal)).toString())),
    };
    const v = await compareSides(opts.direction, compare, item.local!, remote, index.get(item.name), probes);
    item.kind = v.kind;
    item.why = v.why;
    item.reason = v.reason;
    if (v.kind === 'unchanged') {
      item.action = 'skip';
      if (v.crc64) item.crc64 = v.crc64;
    } else if (v.kind === 'changed') {
      item.action = opts.direction;
      item.size = opts.direction === 'upload' ? local.size : remote.size;
    } else {
      Object.assign(item, { action: 'skip', resolution: 'skip' });
    }
  }

  function remoteItem(key: string, name: string, remote: RemoteState, file: LocalFileEntry | undefined): { item: SyncItem; local?: LocalFileEntry } {
    const isMarker = name.endsWith('/');
    const local = file ?? (isMarker && tree.folders.has(name.slice(0, -1)) ? { file: path.join(localDir, name), size: 0, mtimeMs: 0 } : undefined);
    const item: SyncItem = { action: 'skip', kind: 'extraneous', key, file: local?.file ?? '', size: remote.size, reason: '', name, remote };
    if (local) {
      matched.add(name);
      item.local = { size: local.size, mtimeMs: local.mtimeMs };
      return { item, local };
    }
    if (opts.direction === 'download') {
      try {
        item.file = keyToLocalPath(localDir, key, prefix);
      } catch (err) {
        refuse(item, refusalOf(err));
        return { item };
      }
      Object.assign(item, { kind: 'new', action: 'download' });
      because(item, reasonOf(isMarker ? 'folderMissingLocally' : 'notLocal'));
      if (caseInsensitive) {
        const folded = name.toLowerCase();
        const twin = byFoldedName.get(folded);
        if (twin && twin.name !== name) {
          const why: SyncReason = { code: 'caseTwins', first: twin.name, second: name };
          refuse(twin, why);
          refuse(item, why);
        } else byFoldedName.set(folded, item);
      }
    } else {
      if (deleteExtraneous) item.action = 'delete';
      because(item, reasonOf(deleteExtraneous ? 'notLocalDeleted' : 'notLocalKept'));
    }
    return { item };
  }

  // A name refused on the local side (unreadable, or two names that are one after NFC) is refused
  // on the remote side too: its object is neither deleted nor downloaded over the local files.
  const refusedLocally = new Set(tree.refused.map((r) => r.name));
  try {
    for await (const page of pages) {
      const pending: Promise<void>[] = [];
      for (const o of page) {
        if (o.key === prefix) continue; // the prefix's own folder marker
        const name = o.key.slice(prefix.length).normalize('NFC');
        // A local file's name passed the same filter in the walk.
        const file = tree.files.get(name);
        if (!file && !filter.takes(name)) continue;
        counts.remote++;
        if (!file && refusedLocally.has(name)) continue;
        const remote: RemoteState = { size: o.size, etag: o.etag, lastModified: o.lastModified };
        // Most names of a repeated sync: the index says neither side changed, and the item is made whole at once.
        const same = file && !name.endsWith('/') ? unchangedSinceLastSync(file, remote, index.get(name)) : undefined;
        if (same) {
          matched.add(name);
          const local = { size: file!.size, mtimeMs: file!.mtimeMs };
          items.push({ action: 'skip', kind: 'unchanged', key: o.key, file: file!.file, size: remote.size, reason: same.reason, why: same.why, name, local, remote, ...(same.crc64 ? { crc64: same.crc64 } : {}) });
          continue;
        }
        const { item, local } = remoteItem(o.key, name, remote, file);
        items.push(item);
        if (local) {
          if (name.endsWith('/')) {
            item.kind = 'unchanged';
            because(item, reasonOf('folderOnBothSides'));
          }
          else pending.push(planBoth(item, local, remote));
        }
      }
      if (pending.length > 0) await Promise.all(pending);
    }
  } finally {
    void pages.return();
  }

  for (const [name, local] of tree.files) {
    if (matched.has(name)) continue;
    const item: SyncItem = { action: 'skip', kind: 'new', key: '', file: local.file, size: local.size, reason: '', name, local: { size: local.size, mtimeMs: local.mtimeMs } };
    if (opts.direction === 'upload') {
      try {
        item.key = checkKey(prefix + name);
        item.action = 'upload';
        because(item, reasonOf(name.endsWith('/') ? 'emptyFolderNotInBucket' : 'notInBucket'));
      } catch (err) {
        refuse(item, refusalOf(err));
      }
    } else {
      item.kind = 'extraneous';
      if (deleteExtraneous) item.action = 'delete';
      because(item, reasonOf(deleteExtraneous ? 'notInBucketDeleted' : 'notInBucketKept'));
    }
    items.push(item);
  }
  for (const r of tree.refused) items.push({ action: 'skip', kind: 'refused', key: '', file: r.file, size: 0, reason: syncReasonEnglish(r.why), why: r.why, name: r.name });

  const sourceCount = opts.direction === 'upload' ? tree.files.size : counts.remote;
  const destinationCount = opts.direction === 'upload' ? counts.remote : tree.files.size;
  const totals = computeTotals(items);
  if (deleteExtraneous && sourceCount === 0 && totals.delete.files > 0) {
    const source = opts.direction === 'upload' ? `the folder ${localDir}` : `oss://${opts.bucket}/${prefix}`;
    throw new TransferError('SyncRefused', `Refusing to delete ${totals.delete.files} file(s): ${source} has nothing to sync from (empty, or every file excluded).`);
  }
  const plan: SyncPlan = {
    direction: opts.direction, localDir, bucket: opts.bucket, prefix, compare, deleteExtraneous,
    profileId: opts.profileId ?? 'sync', items, totals, destinationCount,
    headRequests: counts.heads, filesHashed: counts.hashed,
    ...(opts.stateDir ? { stateDir: opts.stateDir } : {}),
    ...(index.setAside ? { notes: [index.setAside] } : {}),
  };
  const large = largeDeleteOf(plan);
  if (large) plan.largeDelete = large;
  rememberPlanIndex(plan, index);
  return plan;
}
