// Bringing back what an earlier window (or a crash) left unfinished: every journal record not
// driven by another live window, with its progress from the checkpoint it names, and checkpoints
// nobody journaled (shown without a profile, so they can be discarded).
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { listCheckpoints } from '../engine/checkpointAdmin.js';
import type { Entry } from './transferEntry.js';
import type { JournalRecord, TransferJournal } from './transferJournal.js';
import { errText, snapshot } from './transferSpecs.js';
import type { TransferItem, TransferLog } from './transferTypes.js';
import type { WindowOwnership } from './windowOwnership.js';

export interface RecoveryContext {
  dir: string;
  journal: TransferJournal;
  /** The manager's rows: restored items are added here. */
  entries: Map<string, Entry>;
  ownership: WindowOwnership;
  log?: TransferLog;
}

/**
 * Transfers an earlier window (or a crash) left unfinished become 'interrupted' items: every
 * journal record not driven by another live window, with its progress from the checkpoint it
 * names, plus checkpoints nobody journaled (shown without a profile, so they can be discarded).
 */
export async function recoverInterrupted(ctx: RecoveryContext): Promise<{ restored: TransferItem[]; skippedLive: number }> {
const dir = ctx.dir;
  const listed = await listCheckpoints(dir);
  for (const bad of listed.invalid) {
    ctx.log?.warn(`Ignoring an unreadable checkpoint ${bad}; the transfer it belonged to starts over if run again.`);
  }
  const checkpoints = new Map(listed.valid.map((c) => [path.resolve(c.path), c]));

  let records: JournalRecord[] = [];
  try {
    const read = await ctx.journal.readAll();
    records = read.records;
    for (const c of read.corrupt) {
      ctx.log?.error(
        `The transfer journal file ${c.file} is damaged (${c.reason}); it is removed. Its checkpoint, if any, is listed without a profile.`,
      );
      await ctx.journal.removeFile(c.file).catch(() => undefined);
    }
  } catch (err) {
    ctx.log?.error(`Could not read the transfer journal in ${dir}: ${errText(err)}`);
  }

  // Checkpoints this manager already drives, or another live window does, are not ours to restore.
  const taken = new Set<string>();
  for (const e of ctx.entries.values()) if (e.cptPath) taken.add(path.resolve(e.cptPath));
  let skippedLive = 0;
  for (const r of records) {
    if (r.cptPath && ctx.ownership.ownedByOtherLiveManager(r)) taken.add(path.resolve(r.cptPath));
  }

  const restored: TransferItem[] = [];
  for (const rec of records) {
    if (ctx.entries.has(rec.id)) continue;
    if (ctx.ownership.ownedByOtherLiveManager(rec)) {
      skippedLive++;
      continue;
    }
    const cptPath = rec.cptPath ? path.resolve(rec.cptPath) : undefined;
    if (cptPath && taken.has(cptPath)) {
      // A second record for a checkpoint already restored (a superseded run): drop it.
      await ctx.journal.remove(rec.id).catch(() => undefined);
      continue;
    }
    const c = cptPath ? checkpoints.get(cptPath) : undefined;
    const item: TransferItem = {
      id: rec.id,
      spec: { ...rec.spec, ...(rec.spec.headers ? { headers: { ...rec.spec.headers } } : {}) },
      state: 'interrupted',
      transferredBytes: c ? Math.min(c.doneBytes, c.totalBytes) : 0,
      totalBytes: c ? c.totalBytes : (rec.spec.size ?? 0),
      bytesPerSecond: 0,
    };
    const claimed: JournalRecord = { ...rec, owner: ctx.ownership.owner(), updatedAt: new Date().toISOString() };
    ctx.entries.set(item.id, { item, generation: 0, cptPath, endpoint: rec.endpoint || undefined, started: true, record: claimed });
    if (cptPath) taken.add(cptPath);
    // Claim it, so another window restoring at the same time leaves it to us.
    await ctx.journal.write(claimed).catch((err) => ctx.log?.warn(`Could not update journal record ${rec.id}: ${errText(err)}`));
    restored.push(snapshot(item));
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
      totalBytes: c.totalBytes,
      bytesPerSecond: 0,
      error: new Error('This checkpoint has no journal record, so its profile is unknown; Discard it and start the transfer again.'),
    };
    ctx.entries.set(id, { item, generation: 0, cptPath: cpt, endpoint: c.endpoint, started: true });
    restored.push(snapshot(item));
  }
  return { restored, skippedLive };
}
