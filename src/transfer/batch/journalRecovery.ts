// Bringing back what an earlier window (or a crash) left unfinished: the items of every batch
// journal not driven by another live window (and the per-file records older versions wrote, moved
// into a batch journal of their own), with progress from the checkpoints they name, and checkpoints
// nobody journaled (shown without a profile, so they can be discarded).
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { listCheckpoints, type CheckpointSummary } from '../engine/checkpointAdmin.js';
import { BatchJournal } from './batchJournal.js';
import { readBatchJournals, type BatchJournalState, type JournalItemState } from './batchJournalFormat.js';
import type { Entry } from './transferEntry.js';
import type { JournalRecord, TransferJournal } from './transferJournal.js';
import { errText, newId, snapshot } from './transferSpecs.js';
import type { TransferItem, TransferLog } from './transferTypes.js';
import type { WindowOwnership } from './windowOwnership.js';

export interface RecoveryContext {
  dir: string;
  /** The per-file records of older versions: read, moved into a batch journal, removed. */
  journal: TransferJournal;
  /** The manager's rows: restored items are added here. */
  entries: Map<string, Entry>;
  ownership: WindowOwnership;
  /** A restored batch's journal, compacted and claimed, for the manager to release on close. */
  adopt(journal: BatchJournal): void;
  /** The items of a restored batch that had finished before (its journal said done). */
  finishedBefore?(batchId: string, ids: readonly string[]): void;
  log?: TransferLog;
}

/** A journal with no readable header this old is a leftover, not one being written right now. */
const DAMAGED_JOURNAL_AGE_MS = 60_000;

/**
 * Transfers an earlier window (or a crash) left unfinished become 'interrupted' items: every item of
 * a journal not driven by another live window and neither done nor dropped, with its progress from
 * the checkpoint it names, plus checkpoints nobody journaled (shown without a profile).
 */
export async function recoverInterrupted(ctx: RecoveryContext): Promise<{ restored: TransferItem[]; skippedLive: number }> {
  const { dir, log } = ctx;
  const listed = await listCheckpoints(dir);
  for (const bad of listed.invalid) {
    log?.warn(`Ignoring an unreadable checkpoint ${bad}; the transfer it belonged to starts over if run again.`);
  }
  const checkpoints = new Map(listed.valid.map((c) => [path.resolve(c.path), c]));
  const legacy = await readLegacy(ctx);
  const batches = await readBatches(ctx);

  // Checkpoints this manager already drives, or another live window does, are not ours to restore.
  const taken = new Set<string>();
  for (const e of ctx.entries.values()) if (e.cptPath) taken.add(path.resolve(e.cptPath));
  let skippedLive = 0;
  const ours: Array<{ state: BatchJournalState; items: JournalItemState[] }> = [];
  for (const b of batches) {
    if (ctx.ownership.isMine(b.header.owner)) continue; // restored here before
    const pending = b.items.filter((it) => !it.done && !it.dropped);
    if (ctx.ownership.ownedByOtherLiveManager({ owner: b.header.owner, updatedAt: lastWritten(b) })) {
      skippedLive += pending.length;
      for (const it of pending) if (it.cptPath) taken.add(path.resolve(it.cptPath));
    } else ours.push({ state: b, items: pending });
  }
  const legacyOurs: JournalRecord[] = [];
  for (const r of legacy) {
    if (!ctx.ownership.ownedByOtherLiveManager(r)) legacyOurs.push(r);
    else {
      skippedLive++;
      if (r.cptPath) taken.add(path.resolve(r.cptPath));
    }
  }

  const restored: TransferItem[] = [];
  /** Items not yet restored and without a checkpoint another row holds; claims their checkpoints. */
  const keep = (items: JournalItemState[]): JournalItemState[] =>
    items.filter((it) => {
      if (ctx.entries.has(it.id)) return false;
      const cpt = it.cptPath ? path.resolve(it.cptPath) : undefined;
      // A second record for a checkpoint already restored (a superseded run): drop it.
      if (cpt && taken.has(cpt)) return false;
      if (cpt) taken.add(cpt);
      return true;
    });

  for (const { state, items } of ours) {
    const kept = keep(items);
    if (!kept.length) {
      await fsp.rm(state.file, { force: true }).catch(() => undefined);
      continue;
    }
    if (state.damagedLines) log?.warn(`The batch journal ${state.file} has ${state.damagedLines} damaged line(s); what they recorded is lost.`);
    // Claim it, compacted to what is left (and what finished, as done), so another window restoring
    // at the same time leaves it to us.
    const done = state.items.filter((it) => it.done && !it.dropped);
    const journal = await claim(ctx, { ...state.header, owner: ctx.ownership.owner() }, kept, done);
    if (done.length) ctx.finishedBefore?.(state.header.id, done.map((it) => it.id));
    for (const it of kept) restored.push(restore(ctx, it, journal, checkpoints));
  }

  if (legacyOurs.length) {
    // Per-file records of an older version join one batch journal of their own, then go.
    const kept = keep(legacyOurs.map(fromLegacy));
    const journal = kept.length
      ? await claim(ctx, { id: newId(), label: 'Restored transfers', owner: ctx.ownership.owner(), created: new Date().toISOString() }, kept)
      : undefined;
    if (journal || !kept.length) {
      for (const r of legacyOurs) await ctx.journal.remove(r.id).catch(() => undefined);
    }
    for (const it of kept) restored.push(restore(ctx, it, journal, checkpoints));
  }

  for (const [cpt, c] of checkpoints) {
    if (taken.has(cpt)) continue;
    const id = `cpt-${createHash('sha256').update(cpt).digest('hex').slice(0, 24)}`;
    if (ctx.entries.has(id)) continue;
    const item: TransferItem = {
      id,
      spec: { direction: c.direction, profileId: '', bucket: c.bucket, key: c.key, file: c.file, size: c.totalBytes },
      state: 'interrupted',
      transferredBytes: Math.min(c.doneBytes, c.totalBytes),
      keptBytes: Math.min(c.doneBytes, c.totalBytes),
      totalBytes: c.totalBytes,
      bytesPerSecond: 0,
      error: new Error('This checkpoint has no journal record, so its profile is unknown; Discard it and start the transfer again.'),
    };
    ctx.entries.set(id, { item, generation: 0, cptPath: cpt, endpoint: c.endpoint, started: true });
    restored.push(snapshot(item));
  }
  return { restored, skippedLive };
}

async function readLegacy(ctx: RecoveryContext): Promise<JournalRecord[]> {
  try {
    const read = await ctx.journal.readAll();
    for (const c of read.corrupt) {
      ctx.log?.error(`The transfer journal file ${c.file} is damaged (${c.reason}); it is removed. Its checkpoint, if any, is listed without a profile.`);
      await ctx.journal.removeFile(c.file).catch(() => undefined);
    }
    return read.records;
  } catch (err) {
    ctx.log?.error(`Could not read the transfer journal in ${ctx.dir}: ${errText(err)}`);
    return [];
  }
}

async function readBatches(ctx: RecoveryContext): Promise<BatchJournalState[]> {
  try {
    const read = await readBatchJournals(ctx.dir);
    for (const u of read.unknownVersion) {
      ctx.log?.warn(`The batch journal ${u.file} was written by a newer version of the extension (format ${String(u.version)}); it is left for that version.`);
    }
    for (const d of read.damaged) {
      const age = await fsp.stat(d.file).then((s) => Date.now() - s.mtimeMs, () => Number.POSITIVE_INFINITY);
      if (age < DAMAGED_JOURNAL_AGE_MS) continue;
      ctx.log?.error(`The batch journal ${d.file} is damaged (${d.reason}); it is removed. Its checkpoints, if any, are listed without a profile.`);
      await fsp.rm(d.file, { force: true }).catch(() => undefined);
    }
    return read.journals;
  } catch (err) {
    ctx.log?.error(`Could not read the batch journals in ${ctx.dir}: ${errText(err)}`);
    return [];
  }
}

async function claim(ctx: RecoveryContext, header: BatchJournalState['header'], items: JournalItemState[], done: JournalItemState[] = []): Promise<BatchJournal | undefined> {
  try {
    const j = await BatchJournal.compact(ctx.dir, header, items, { onError: (err) => ctx.log?.warn(`Could not write the batch journal of ${header.label}: ${errText(err)}`) }, done);
    ctx.adopt(j);
    return j;
  } catch (err) {
    ctx.log?.warn(`Could not claim the batch journal of ${header.label}: ${errText(err)} (its transfers are restored, but not again after another restart).`);
    return undefined;
  }
}

function restore(ctx: RecoveryContext, it: JournalItemState, journal: BatchJournal | undefined, checkpoints: Map<string, CheckpointSummary>): TransferItem {
  const cptPath = it.cptPath ? path.resolve(it.cptPath) : undefined;
  const c = cptPath ? checkpoints.get(cptPath) : undefined;
  const item: TransferItem = {
    id: it.id,
    spec: { ...it.spec, ...(it.spec.headers ? { headers: { ...it.spec.headers } } : {}) },
    state: 'interrupted',
    transferredBytes: c ? Math.min(c.doneBytes, c.totalBytes) : 0,
    totalBytes: c ? c.totalBytes : (it.spec.size ?? 0),
    bytesPerSecond: 0,
  };
  if (c) item.keptBytes = item.transferredBytes;
  // Sent in one request, or run on the engine whose checkpoint is gone (it finishes by removing
  // it): the upload may have completed before the crash, so a HEAD + CRC-64 decides on resume.
  const maybeOnServer = it.spec.direction === 'upload' && (it.sent || (cptPath !== undefined && !c));
  ctx.entries.set(item.id, { item, generation: 0, cptPath, endpoint: it.endpoint || undefined, started: true, ...(journal ? { journal } : {}), ...(maybeOnServer ? { maybeOnServer } : {}) });
  return snapshot(item);
}

function fromLegacy(r: JournalRecord): JournalItemState {
  return { id: r.id, spec: r.spec, ...(r.cptPath ? { cptPath: r.cptPath, endpoint: r.endpoint } : {}), sent: false, done: false, dropped: false };
}

function lastWritten(b: BatchJournalState): string {
  return new Date(Math.max(Date.parse(b.ownedSince) || 0, b.modifiedMs)).toISOString();
}
