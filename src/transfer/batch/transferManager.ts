// Runs transfers for the extension: batches of files with a bounded number moving at once,
// per-file pause / resume / retry / cancel / discard, and a journal so transfers interrupted by a
// closed window come back as "interrupted". No vscode import: the UI listens to onDidChange.
// This file is the queue and the state machine; its other jobs live beside it: batch bookkeeping
// (batchBook.ts), one row per checkpoint and Discard (checkpointClaims.ts), restoring after a
// restart (journalRecovery.ts) and which window owns what (windowOwnership.ts).
import * as path from 'node:path';
import { resumableDownload } from '../engine/downloadEngine.js';
import { resumableUpload } from '../engine/uploadEngine.js';
import { downloadSmallFile, remoteCopyOfLocal, uploadSmallFile } from '../engine/singleRequestTransfer.js';
import { BatchBook } from './batchBook.js';
import type { BatchJournal } from './batchJournal.js';
import { BatchJournals } from './batchJournals.js';
import { CheckpointClaims } from './checkpointClaims.js';
import { ConnectionBudget } from './connectionBudget.js';
import { recoverInterrupted } from './journalRecovery.js';
import { alreadyUploaded } from './restoredUploadCheck.js';
import { goesAsOneRequest, runOnEngine } from './runOnEngine.js';
import { SETTLED_IN_BATCH, type BatchState, type Entry, type StopReason } from './transferEntry.js';
import { TransferJournal } from './transferJournal.js';
import { readBatchSource } from './batchSource.js';
import { alreadyInProgress, errText, newId, queuedItem, snapshot, validateSpec } from './transferSpecs.js';
import { TransferRows } from './transferRows.js';
import type { TransferBatch, TransferEngine, TransferItem, TransferManagerDeps, TransferSettings, TransferSpec, TransferState } from './transferTypes.js';
import { WindowOwnership } from './windowOwnership.js';
import type { PacerLane } from '../pacing/linkPacer.js';

/** How many queued items a streamed batch's source may run ahead of the transfers. */
export const STREAM_AHEAD = 1000;
const DEFAULT_TRANSFER_SETTINGS: TransferSettings = { concurrentFiles: 64, disableCheckpoint: false };

export class TransferManager {
  private readonly entries = new TransferRows();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<(item?: TransferItem) => void>();
  /** Older versions' per-file records, read (and moved into batch journals) on restore. */
  private readonly journal: TransferJournal;
  private readonly journals: BatchJournals;
  private readonly engine: TransferEngine;
  private readonly ownership = new WindowOwnership();
  private readonly book: BatchBook;
  private readonly claims: CheckpointClaims;
  private running = 0;
  /** The request slots and bandwidth cap all transfers share (see connectionBudget.ts). */
  private readonly budget: ConnectionBudget;
  private disposed = false;
  private closing: Promise<void> | undefined;
  private skippedLive = 0;
  /** Per restored batch, the items that had finished in an earlier session. */
  private readonly finishedEarlier = new Map<string, Set<string>>();

  constructor(private readonly deps: TransferManagerDeps) {
    if (!deps.checkpointDir || !path.isAbsolute(deps.checkpointDir)) {
      throw new Error(`TransferManager: checkpointDir must be an absolute path (got ${JSON.stringify(deps.checkpointDir)})`);
    }
    this.journal = new TransferJournal(deps.checkpointDir);
    this.journals = new BatchJournals(deps.checkpointDir, deps.log);
    this.engine = deps.engine ?? { resumableUpload, resumableDownload, uploadSmallFile, downloadSmallFile, remoteMatchesLocal: remoteCopyOfLocal };
    this.budget = new ConnectionBudget(deps.pacer, deps.bandwidthLimit);
    this.book = new BatchBook(this.entries);
    this.claims = new CheckpointClaims({
      checkpointDir: deps.checkpointDir,
      entries: this.entries,
      ...(deps.log ? { log: deps.log } : {}),
      forget: (e) => this.forget(e),
      clientFor: (profileId, bucket) => this.deps.clientFor(profileId, bucket),
    });
  }

  /**
   * Queues a batch. `specs` may be an array, checked whole before anything starts, or an async
   * iterable (a listing, a folder walk) whose items start as they arrive; the source is read at most
   * STREAM_AHEAD queued items ahead, and its failure ends up in the batch's result.
   */
  startBatch(label: string, specs: readonly TransferSpec[] | AsyncIterable<TransferSpec>): TransferBatch {
    this.assertAlive();
    const streamed = !Array.isArray(specs);
    if (!streamed) (specs as readonly TransferSpec[]).forEach((s, i) => validateSpec(s, i));
    const { batch, result } = this.book.open(newId());
    // Queued files are journaled too (in groups), so closing the window mid-batch loses none of them.
    const journal = this.journals.open(batch.id, label, this.ownership.owner(), !this.readSettings().disableCheckpoint);
    let stopped = false;
    const handle = this.book.handle(batch, label, result, () => {
      stopped = true;
      this.book.sourceEnded(batch);
      for (const id of batch.ids) {
        const e = this.entries.get(id);
        if (e && e.batch === batch) this.stop(e, 'cancel');
      }
    });
    if (!streamed) {
      for (const spec of specs as readonly TransferSpec[]) this.addToBatch(batch, spec, journal);
      void journal?.seal();
      this.book.sourceEnded(batch); // every item is in: the batch may settle (at once when empty)
      this.pump();
      return handle;
    }
    void readBatchSource(specs as AsyncIterable<TransferSpec>, {
      add: (spec, n) => {
        validateSpec(spec, n);
        this.addToBatch(batch, spec, journal);
        this.pump();
      },
      stopped: () => stopped || this.disposed,
      room: () => (batch.queuedCount >= STREAM_AHEAD && !batch.settled ? this.book.whenRoom(batch) : undefined),
    }).then((error) => {
      if (error !== undefined) this.deps.log?.error(`${label}: the list of files to transfer stopped early: ${errText(error)}`);
      void journal?.seal();
      this.book.sourceEnded(batch, error);
    });
    return handle;
  }

  /** One spec joins a batch: queued, or failed at once when the same transfer is already active. */
  private addToBatch(batch: BatchState, spec: TransferSpec, journal: BatchJournal | undefined): void {
    let conflict: Entry | undefined;
    for (const e of this.entries.twinsOf(spec)) {
      // An active twin would share the checkpoint; an idle one is superseded by this new run,
      // which picks its checkpoint up and resumes.
      if (e.item.state === 'queued' || e.item.state === 'running') conflict = e;
      else {
        this.forget(e);
        // The new item writes its own record for the same checkpoint.
        void e.journal?.drop(e.item.id).catch(() => undefined);
      }
    }
    const item = queuedItem(spec, batch.id);
    const entry: Entry = { item, batch, generation: 0, started: false };
    this.entries.set(item.id, entry);
    if (conflict) {
      Object.assign(item, { state: 'failed', error: alreadyInProgress(spec, '') });
    } else {
      this.queue.push(item.id);
      if (journal) entry.journal = journal.addItem(item.id, spec);
    }
    this.book.note(batch, item);
    this.emit(item);
  }

  onDidChange(listener: (item?: TransferItem) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  items(): TransferItem[] {
    return [...this.entries.values()].map((e) => snapshot(e.item));
  }

  get(id: string): TransferItem | undefined {
    const e = this.entries.get(id);
    return e ? snapshot(e.item) : undefined;
  }

  /** A queued or running transfer stops and keeps its checkpoint; resume continues it. */
  pause(id: string): void {
    this.stop(this.entry(id), 'pause');
  }

  /** Queues a paused, interrupted, cancelled or failed transfer again; it resumes from its checkpoint. */
  resume(id: string): void {
    this.assertAlive();
    const e = this.entry(id);
    const s = e.item.state;
    if (s === 'paused' || s === 'interrupted' || s === 'cancelled' || s === 'failed') {
      Object.assign(e.item, { state: 'queued', error: undefined, bytesPerSecond: 0, etaSeconds: undefined });
      this.queue.push(id);
      this.emit(e.item);
      this.pump();
    }
  }

  /** Same as resume; the name the UI shows for a failed transfer. */
  retry(id: string): void {
    this.resume(id);
  }

  /** Stops a queued, running or paused transfer; the checkpoint stays (Discard removes it). */
  cancel(id: string): void {
    this.stop(this.entry(id), 'cancel');
  }

  /**
   * Stops the transfer and removes its checkpoint, temp file and journal record. Resolves with whether
   * the server could be reached, i.e. whether an upload's multipart upload was aborted there too.
   */
  async discard(id: string): Promise<{ reachedServer: boolean }> {
    const e = this.entry(id);
    if (e.item.state === 'running' || e.item.state === 'queued' || e.item.state === 'paused') this.stop(e, 'discard');
    await e.run?.catch(() => undefined);
    return await this.claims.discard(e);
  }

  /** Removes finished transfers (and cancelled ones that never started) from the list. */
  clearFinished(): void {
    for (const e of [...this.entries.values()]) {
      if (e.item.state === 'done') this.forget(e);
      else if (e.item.state === 'cancelled' && !e.started) {
        this.forget(e);
        void e.journal?.drop(e.item.id).catch(() => undefined);
      }
    }
  }

  /**
   * Transfers an earlier window (or a crash) left unfinished become 'interrupted' items (see
   * journalRecovery.ts).
   */
  async restoreInterrupted(): Promise<TransferItem[]> {
    this.assertAlive();
    const { restored, skippedLive } = await recoverInterrupted({
      dir: this.deps.checkpointDir,
      journal: this.journal,
      entries: this.entries,
      ownership: this.ownership,
      adopt: (j) => this.journals.track(j),
      finishedBefore: (batchId, ids) => {
        const set = this.finishedEarlier.get(batchId) ?? new Set<string>();
        for (const id of ids) set.add(id);
        this.finishedEarlier.set(batchId, set);
      },
      ...(this.deps.log ? { log: this.deps.log } : {}),
    });
    this.skippedLive = skippedLive;
    if (restored.length) this.emit(undefined);
    return restored;
  }

  /**
   * The items of batch `batchId` that had finished in an earlier session, as its journal said when
   * restoreInterrupted() brought the rest back (what a sync needs to finish after a reload).
   */
  finishedInEarlierSession(batchId: string): ReadonlySet<string> | undefined {
    return this.finishedEarlier.get(batchId);
  }

  /**
   * How many unfinished transfers the last restoreInterrupted() left to another live window. A
   * window being reloaded may still be shutting down; calling restoreInterrupted() again later
   * picks them up once it is gone.
   */
  get skippedForOtherWindows(): number {
    return this.skippedLive;
  }

  /**
   * Stops every running transfer (checkpoints kept, so the next window restores them) and, once
   * they stopped, releases their journal records so a window that starts meanwhile can take them.
   */
  dispose(): void {
    void this.close();
  }

  /** dispose() and wait until no transfer can write any more. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.disposed = true;
    this.queue.length = 0;
    for (const e of this.entries.values()) {
      if (e.item.state === 'running') this.stop(e, 'dispose');
      else if (e.item.state === 'queued') this.setState(e, 'interrupted');
    }
    this.listeners.clear();
    const runs = [...this.entries.values()].map((e) => e.run);
    this.closing = (async () => {
      await Promise.allSettled(runs);
      for (const e of this.entries.values()) if (e.batch) this.book.settle(e.batch, true);
      await this.journals.releaseAll();
      this.budget.close();
      this.ownership.end();
    })();
    return this.closing;
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new Error(`No transfer with id ${JSON.stringify(id)} (it may have been discarded or cleared).`);
    return e;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('The transfer manager has been disposed.');
  }

  private stop(e: Entry, reason: StopReason): void {
    const s = e.item.state;
    if (s === 'running') {
      e.stopReason = reason;
      e.abort?.abort();
      return; // the run's end sets the state
    }
    if (s === 'queued' || (s === 'paused' && reason !== 'pause')) {
      const i = this.queue.indexOf(e.item.id);
      if (i >= 0) this.queue.splice(i, 1);
      this.setState(e, reason === 'pause' ? 'paused' : reason === 'dispose' ? 'interrupted' : 'cancelled');
    }
  }

  private readSettings(): TransferSettings {
    try {
      return this.deps.settings();
    } catch (err) {
      this.deps.log?.warn(`Could not read the transfer settings (${errText(err)}); using defaults.`);
      return DEFAULT_TRANSFER_SETTINGS;
    }
  }

  /** Re-reads the settings (a new bandwidth cap applies at once) and starts what may start now. */
  readonly settingsChanged = (): void => this.pump();
  private pump(): void {
    if (this.disposed) return;
    const settings = this.readSettings();
    this.budget.apply(settings);
    const maxFiles = Math.max(1, Math.floor(settings.concurrentFiles) || 1);
    while (this.queue.length) {
      const e = this.entries.get(this.queue[0]!);
      if (!e || e.item.state !== 'queued') {
        this.queue.shift();
        continue;
      }
      const lane = this.budget.start(e.item.spec, settings, this.running, maxFiles, this.settingsChanged);
      if (!lane) break; // in queue order
      this.queue.shift();
      this.start(e, lane);
    }
  }

  private start(e: Entry, lane: PacerLane): void {
    const ac = new AbortController();
    e.abort = ac;
    e.stopReason = undefined;
    e.generation++;
    e.started = true;
    this.running++;
    this.setState(e, 'running');
    e.run = this.execute(e, ac, e.generation, lane).finally(() => {
      this.running--;
      lane.close();
      if (e.abort === ac) e.abort = undefined;
      this.pump();
    });
  }

  private async execute(e: Entry, ac: AbortController, generation: number, lane: PacerLane): Promise<void> {
    const { item } = e;
    const { spec } = item;
    try {
      const settings = this.readSettings();
      if (!spec.profileId) {
        throw new Error('This transfer has no profile recorded (its journal record is missing); Discard it and start the transfer again.');
      }
      const client = await this.deps.clientFor(spec.profileId, spec.bucket);
      if (ac.signal.aborted) throw new Error('stopped before start');
      // A file that fits in one part goes as one request: no checkpoint to claim; an upload is noted
      // as being sent (in the next journal group, not waited for), so a restore checks it on the server.
      const small = goesAsOneRequest(this.engine, spec, settings);
      let cptFile: string | undefined;
      if (small) {
        if (spec.direction === 'upload') e.journal?.sending(item.id);
      } else if (!settings.disableCheckpoint) {
        cptFile = await this.claims.take(e, client.endpoint);
      }
      const found = e.maybeOnServer ? await alreadyUploaded(e, client, this.engine, ac.signal, this.deps.log) : false;
      if (found) return this.finish(e, spec.size ?? item.totalBytes, found.outcome);
      const run = { settings, cptFile, signal: ac.signal, onLog: (m: string) => this.deps.log?.info(m), oneRequest: small, pacing: this.budget.pacing(lane) };
      const res = await runOnEngine(this.engine, client, spec, run, (p) => {
        if (e.generation !== generation || item.state !== 'running') return;
        Object.assign(item, { transferredBytes: p.transferredBytes, totalBytes: p.totalBytes, bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds });
        if (p.keptBytes !== undefined) item.keptBytes = p.keptBytes;
        this.emit(item);
      });
      this.finish(e, res.size, { etag: res.etag, crc64: res.crc64 });
    } catch (err) {
      const reason = e.stopReason;
      e.stopReason = undefined;
      Object.assign(item, { bytesPerSecond: 0, etaSeconds: undefined });
      // Stopped unfinished, it has exactly what the checkpoint kept; a resume starts there, so the
      // figure does not fall back when it runs again.
      if (item.keptBytes !== undefined) item.transferredBytes = item.keptBytes;
      if (reason === 'pause') this.setState(e, 'paused');
      else if (reason === 'cancel' || reason === 'discard') this.setState(e, 'cancelled');
      else if (reason === 'dispose') this.setState(e, 'interrupted');
      else {
        item.error = err;
        this.deps.log?.error(`${spec.direction === 'upload' ? 'Upload' : 'Download'} of ${spec.bucket}/${spec.key} failed: ${errText(err)}`);
        this.setState(e, 'failed');
      }
    }
  }

  private finish(e: Entry, size: number, outcome?: TransferItem['outcome']): void {
    Object.assign(e.item, { transferredBytes: size, totalBytes: size, bytesPerSecond: 0, etaSeconds: undefined, keptBytes: undefined, error: undefined, outcome });
    e.journal?.done(e.item.id);
    this.setState(e, 'done');
  }

  private setState(e: Entry, state: TransferState): void {
    e.item.state = state;
    if (state === 'running' || state === 'queued') e.item.error = undefined;
    this.emit(e.item);
    if (e.batch) this.book.note(e.batch, e.item);
  }

  /** Drops an entry from the list (its batch treats it as cancelled). */
  private forget(e: Entry): void {
    const id = e.item.id;
    const i = this.queue.indexOf(id);
    if (i >= 0) this.queue.splice(i, 1);
    this.entries.delete(id);
    if (e.batch) this.book.note(e.batch, { ...e.item, state: SETTLED_IN_BATCH.has(e.item.state) ? e.item.state : 'cancelled' });
    this.emit(undefined);
  }

  private emit(item: TransferItem | undefined): void {
    const snap = item && snapshot(item);
    for (const l of [...this.listeners]) {
      try {
        l(snap);
      } catch (err) {
        this.deps.log?.warn(`A transfer listener failed: ${errText(err)}`);
      }
    }
  }
}
