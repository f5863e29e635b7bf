// Runs transfers for the extension: batches of files with a bounded number moving at once,
// per-file pause / resume / retry / cancel / discard, and a journal so transfers interrupted by a
// closed window come back as "interrupted". No vscode import: the UI listens to onDidChange.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { OssClient } from '../../oss/index.js';
import { checkpointPathFor } from '../checkpoint/checkpointStore.js';
import { discardTransfer, listCheckpoints } from '../engine/checkpointAdmin.js';
import { resumableDownload } from '../engine/downloadEngine.js';
import { resumableUpload } from '../engine/uploadEngine.js';
import { errorDetail } from '../errorDetail.js';
import { TransferJournal, type JournalRecord } from './transferJournal.js';
import type {
  BatchResult,
  TransferBatch,
  TransferEngine,
  TransferItem,
  TransferManagerDeps,
  TransferSettings,
  TransferSpec,
  TransferState,
} from './transferTypes.js';

type StopReason = 'pause' | 'cancel' | 'discard' | 'dispose';

interface Entry {
  item: TransferItem;
  batch?: BatchState;
  abort?: AbortController;
  stopReason?: StopReason;
  run?: Promise<void>;
  /** Increments per run, so late progress callbacks of an aborted run are ignored. */
  generation: number;
  cptPath?: string;
  endpoint?: string;
  started: boolean;
  /** The journal record as last written by this manager. */
  record?: JournalRecord;
}

interface BatchState {
  id: string;
  ids: string[];
  /** Last seen snapshot of each item, so a discarded item still appears in the result. */
  last: Map<string, TransferItem>;
  settled: boolean;
  resolve(r: BatchResult): void;
}

const SETTLED_IN_BATCH: ReadonlySet<TransferState> = new Set<TransferState>(['done', 'failed', 'cancelled']);

// Managers alive in this process, so a second manager on the same folder (a test's "new window")
// can tell a live owner from a dead one.
const liveInstances = new Set<string>();

export class TransferManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<(item?: TransferItem) => void>();
  private readonly journal: TransferJournal;
  private readonly engine: TransferEngine;
  private readonly instance = randomBytes(6).toString('hex');
  private running = 0;
  private disposed = false;
  private closing: Promise<void> | undefined;
  private skippedLive = 0;

  constructor(private readonly deps: TransferManagerDeps) {
    if (!deps.checkpointDir || !path.isAbsolute(deps.checkpointDir)) {
      throw new Error(`TransferManager: checkpointDir must be an absolute path (got ${JSON.stringify(deps.checkpointDir)})`);
    }
    this.journal = new TransferJournal(deps.checkpointDir);
    this.engine = deps.engine ?? { resumableUpload, resumableDownload };
    liveInstances.add(this.instance);
  }

  startBatch(label: string, specs: TransferSpec[]): TransferBatch {
    this.assertAlive();
    specs.forEach((s, i) => validateSpec(s, i));
    const batchId = newId();
    let resolve!: (r: BatchResult) => void;
    const result = new Promise<BatchResult>((r) => (resolve = r));
    const batch: BatchState = { id: batchId, ids: [], last: new Map(), settled: false, resolve };
    const journaled = !this.readSettings().disableCheckpoint;

    for (const spec of specs) {
      const identity = identityOf(spec);
      let conflict: Entry | undefined;
      for (const e of this.entries.values()) {
        if (identityOf(e.item.spec) !== identity) continue;
        // An active twin would share the checkpoint; an idle one is superseded by this new run,
        // which picks its checkpoint up and resumes.
        if (e.item.state === 'queued' || e.item.state === 'running') conflict = e;
        else {
          this.forget(e);
          // The new item writes its own record for the same checkpoint.
          void this.journal.remove(e.item.id).catch(() => undefined);
        }
      }
      const item: TransferItem = {
        id: newId(),
        spec: copySpec(spec),
        state: 'queued',
        transferredBytes: 0,
        totalBytes: spec.size ?? 0,
        bytesPerSecond: 0,
        batchId,
      };
      const entry: Entry = { item, batch, generation: 0, started: false };
      this.entries.set(item.id, entry);
      batch.ids.push(item.id);
      if (conflict) {
        item.state = 'failed';
        item.error = new Error(
          `${spec.direction === 'upload' ? 'Uploading' : 'Downloading'} ${spec.key} with the same local file is already in progress; wait for it or cancel it first.`,
        );
      } else {
        this.queue.push(item.id);
        if (journaled) {
          // Queued files are journaled too, so closing the window mid-batch loses none of them.
          entry.record = { version: 1, id: item.id, spec: copySpec(spec), cptPath: '', endpoint: '', owner: this.owner(), updatedAt: new Date().toISOString() };
          void this.journal.write(entry.record).catch((err) => this.deps.log?.warn(`Could not journal ${spec.key}: ${errText(err)}`));
        }
      }
      batch.last.set(item.id, snapshot(item));
    }

    for (const id of batch.ids) this.emit(this.entries.get(id)!.item);
    this.pump();
    this.checkBatch(batch);

    const entries = this.entries;
    return {
      id: batchId,
      label,
      get items(): TransferItem[] {
        return batch.ids.map((id) => entries.get(id)?.item ?? batch.last.get(id)!).map(snapshot);
      },
      result,
      cancel: () => {
        for (const id of batch.ids) {
          const e = this.entries.get(id);
          if (e && e.batch === batch) this.stop(e, 'cancel');
        }
      },
    };
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
    return e && snapshot(e.item);
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
      e.item.state = 'queued';
      e.item.error = undefined;
      e.item.bytesPerSecond = 0;
      e.item.etaSeconds = undefined;
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
   * Stops the transfer if it runs, aborts its multipart upload on the server, deletes its
   * checkpoint and temporary file and its journal record, and removes it from the list.
   */
  /**
   * Stops the transfer and removes its checkpoint, temp file and journal record. Resolves with whether
   * the server could be reached, i.e. whether an upload's multipart upload was aborted there too.
   */
  async discard(id: string): Promise<{ reachedServer: boolean }> {
    const e = this.entry(id);
    if (e.item.state === 'running' || e.item.state === 'queued' || e.item.state === 'paused') this.stop(e, 'discard');
    await e.run?.catch(() => undefined);
    const { spec } = e.item;
    let client: OssClient | undefined;
    if (spec.profileId) {
      try {
        client = await this.deps.clientFor(spec.profileId, spec.bucket);
      } catch (err) {
        this.deps.log?.warn(
          `Discard ${spec.bucket}/${spec.key}: no client for profile ${spec.profileId} (${errText(err)}); only local files are removed.`,
        );
      }
    }
    let cptPath = client ? this.checkpointPath(spec, client.endpoint) : e.cptPath;
    // A checkpoint another row holds (this one was refused while that one ran) is that row's to discard.
    const held = cptPath ? this.holderOf(cptPath, e) : undefined;
    if (held) {
      this.deps.log?.info(`Discard ${spec.bucket}/${spec.key}: its checkpoint belongs to another row of the Transfers view and is kept.`);
      cptPath = undefined;
    }
    if (cptPath) {
      await discardTransfer(client, cptPath);
      if (!client && e.item.spec.direction === 'upload') {
        this.deps.log?.warn(
          `Discarded the checkpoint of ${spec.bucket}/${spec.key} without reaching the server; an incomplete multipart upload may remain there (list and abort it from the bucket).`,
        );
      }
    }
    // A checkpoint found under another endpoint than today's client uses is also removed.
    if (e.cptPath && e.cptPath !== cptPath && !this.holderOf(e.cptPath, e)) await discardTransfer(client, e.cptPath);
    await this.journal.remove(id).catch((err) => this.deps.log?.warn(`Could not remove journal record ${id}: ${errText(err)}`));
    this.forget(e);
    return { reachedServer: client !== undefined };
  }

  /** Removes finished transfers (and cancelled ones that never started) from the list. */
  clearFinished(): void {
    for (const e of [...this.entries.values()]) {
      if (e.item.state === 'done') this.forget(e);
      else if (e.item.state === 'cancelled' && !e.started) {
        this.forget(e);
        void this.journal.remove(e.item.id).catch(() => undefined);
      }
    }
  }

  /**
   * Transfers an earlier window (or a crash) left unfinished become 'interrupted' items: every
   * journal record not driven by another live window, with its progress from the checkpoint it
   * names, plus checkpoints nobody journaled (shown without a profile, so they can be discarded).
   */
  async restoreInterrupted(): Promise<TransferItem[]> {
    this.assertAlive();
    const dir = this.deps.checkpointDir;
    const listed = await listCheckpoints(dir);
    for (const bad of listed.invalid) {
      this.deps.log?.warn(`Ignoring an unreadable checkpoint ${bad}; the transfer it belonged to starts over if run again.`);
    }
    const checkpoints = new Map(listed.valid.map((c) => [path.resolve(c.path), c]));

    let records: JournalRecord[] = [];
    try {
      const read = await this.journal.readAll();
      records = read.records;
      for (const c of read.corrupt) {
        this.deps.log?.error(
          `The transfer journal file ${c.file} is damaged (${c.reason}); it is removed. Its checkpoint, if any, is listed without a profile.`,
        );
        await this.journal.removeFile(c.file).catch(() => undefined);
      }
    } catch (err) {
      this.deps.log?.error(`Could not read the transfer journal in ${dir}: ${errText(err)}`);
    }

    // Checkpoints this manager already drives, or another live window does, are not ours to restore.
    const taken = new Set<string>();
    for (const e of this.entries.values()) if (e.cptPath) taken.add(path.resolve(e.cptPath));
    this.skippedLive = 0;
    for (const r of records) {
      if (r.cptPath && this.ownedByOtherLiveManager(r)) taken.add(path.resolve(r.cptPath));
    }

    const restored: TransferItem[] = [];
    for (const rec of records) {
      if (this.entries.has(rec.id)) continue;
      if (this.ownedByOtherLiveManager(rec)) {
        this.skippedLive++;
        continue;
      }
      const cptPath = rec.cptPath ? path.resolve(rec.cptPath) : undefined;
      if (cptPath && taken.has(cptPath)) {
        // A second record for a checkpoint already restored (a superseded run): drop it.
        await this.journal.remove(rec.id).catch(() => undefined);
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
      const claimed: JournalRecord = { ...rec, owner: this.owner(), updatedAt: new Date().toISOString() };
      this.entries.set(item.id, { item, generation: 0, cptPath, endpoint: rec.endpoint || undefined, started: true, record: claimed });
      if (cptPath) taken.add(cptPath);
      // Claim it, so another window restoring at the same time leaves it to us.
      await this.journal.write(claimed).catch((err) => this.deps.log?.warn(`Could not update journal record ${rec.id}: ${errText(err)}`));
      restored.push(snapshot(item));
    }

    for (const [cpt, c] of checkpoints) {
      if (taken.has(cpt)) continue;
      const id = `cpt-${createHash('sha256').update(cpt).digest('hex').slice(0, 24)}`;
      if (this.entries.has(id)) continue;
      const item: TransferItem = {
        id,
        spec: { direction: c.direction, profileId: '', bucket: c.bucket, key: c.key, file: c.file, size: c.totalBytes },
        state: 'interrupted',
        transferredBytes: Math.min(c.doneBytes, c.totalBytes),
        totalBytes: c.totalBytes,
        bytesPerSecond: 0,
        error: new Error('This checkpoint has no journal record, so its profile is unknown; Discard it and start the transfer again.'),
      };
      this.entries.set(id, { item, generation: 0, cptPath: cpt, endpoint: c.endpoint, started: true });
      restored.push(snapshot(item));
    }
    if (restored.length) this.emit(undefined);
    return restored;
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
      for (const e of this.entries.values()) if (e.batch) this.settleBatch(e.batch, true);
      const released = { pid: 0, instance: 'released' };
      await Promise.allSettled(
        [...this.entries.values()]
          .filter((e) => e.record && e.item.state !== 'done')
          .map((e) => this.journal.write({ ...e.record!, owner: released, updatedAt: new Date().toISOString() })),
      );
      liveInstances.delete(this.instance);
    })();
    return this.closing;
  }

  // ---------- internals ----------

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
      return { concurrentFiles: 3, disableCheckpoint: false };
    }
  }

  private pump(): void {
    if (this.disposed) return;
    let limit = Math.floor(this.readSettings().concurrentFiles);
    if (!(limit >= 1)) limit = 1;
    while (this.running < limit && this.queue.length) {
      const e = this.entries.get(this.queue.shift()!);
      if (!e || e.item.state !== 'queued') continue;
      this.start(e);
    }
  }

  private start(e: Entry): void {
    const ac = new AbortController();
    e.abort = ac;
    e.stopReason = undefined;
    e.generation++;
    e.started = true;
    this.running++;
    this.setState(e, 'running');
    e.run = this.execute(e, ac, e.generation).finally(() => {
      this.running--;
      if (e.abort === ac) e.abort = undefined;
      this.pump();
    });
  }

  private async execute(e: Entry, ac: AbortController, generation: number): Promise<void> {
    const { item } = e;
    const { spec } = item;
    try {
      const settings = this.readSettings();
      if (!spec.profileId) {
        throw new Error('This transfer has no profile recorded (its journal record is missing); Discard it and start the transfer again.');
      }
      const client = await this.deps.clientFor(spec.profileId, spec.bucket);
      if (ac.signal.aborted) throw new Error('stopped before start');
      let cptFile: string | undefined;
      if (!settings.disableCheckpoint) {
        await fsp.mkdir(this.deps.checkpointDir, { recursive: true });
        e.endpoint = client.endpoint;
        const cptPath = this.checkpointPath(spec, client.endpoint);
        cptFile = cptPath;
        // Synchronous check and claim: of two rows starting together only one can pass.
        this.claimCheckpoint(e, cptPath);
        e.cptPath = cptPath;
        // Journal first: a window killed right after the engine writes its checkpoint still knows the profile.
        e.record = { version: 1, id: item.id, spec: copySpec(spec), cptPath, endpoint: client.endpoint, owner: this.owner(), updatedAt: new Date().toISOString() };
        await this.journal
          .write(e.record)
          .catch((err) => this.deps.log?.warn(`Could not write the journal record of ${spec.key}: ${errText(err)} (it will not be restored after a restart).`));
      }
      const common = {
        bucket: spec.bucket,
        key: spec.key,
        file: spec.file,
        // The path journaled above, handed over as is: the engine never derives its own.
        cptFile,
        disableCheckpoint: settings.disableCheckpoint,
        partSize: settings.partSize,
        parallel: settings.parallel,
        signal: ac.signal,
        onLog: (m: string) => this.deps.log?.info(m),
        onProgress: (p: { transferredBytes: number; totalBytes: number; bytesPerSecond: number; etaSeconds?: number }) => {
          if (e.generation !== generation || item.state !== 'running') return;
          item.transferredBytes = p.transferredBytes;
          item.totalBytes = p.totalBytes;
          item.bytesPerSecond = p.bytesPerSecond;
          item.etaSeconds = p.etaSeconds;
          this.emit(item);
        },
      };
      const res =
        spec.direction === 'upload'
          ? await this.engine.resumableUpload(client, { ...common, headers: spec.headers })
          : await this.engine.resumableDownload(client, common);
      item.transferredBytes = res.size;
      item.totalBytes = res.size;
      item.bytesPerSecond = 0;
      item.etaSeconds = undefined;
      item.error = undefined;
      if (!settings.disableCheckpoint) {
        await this.journal.remove(item.id).catch((err) => this.deps.log?.warn(`Could not remove journal record ${item.id}: ${errText(err)}`));
      }
      this.setState(e, 'done');
    } catch (err) {
      const reason = e.stopReason;
      e.stopReason = undefined;
      item.bytesPerSecond = 0;
      item.etaSeconds = undefined;
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

  /**
   * One row per checkpoint: a run about to use `cptPath` takes it over from an idle row holding it
   * (an interrupted one without a journal record, a paused, failed or cancelled earlier run), which
   * leaves the list; two rows sharing a checkpoint would break each other on Discard. A row that is
   * running or queued with it keeps it, and this run is refused.
   */
  private claimCheckpoint(e: Entry, cptPath: string): void {
    const other = this.holderOf(cptPath, e);
    if (!other) return;
    const { spec } = e.item;
    if (other.item.state === 'running' || other.item.state === 'queued') {
      // This row gives up any claim on the checkpoint, so its Discard cannot remove the other's.
      if (e.cptPath && samePath(e.cptPath, cptPath)) e.cptPath = undefined;
      if (e.record) {
        e.record = undefined;
        void this.journal.remove(e.item.id).catch(() => undefined);
      }
      throw new Error(
        `${spec.direction === 'upload' ? 'Uploading' : 'Downloading'} ${spec.key} with the same local file is already in progress in another row of the Transfers view; wait for it or cancel it first.`,
      );
    }
    if (other.item.state !== 'done') {
      this.deps.log?.info(`${spec.bucket}/${spec.key}: continuing from the checkpoint of an earlier ${other.item.state} run, whose row is replaced.`);
    }
    this.forget(other);
    void this.journal.remove(other.item.id).catch(() => undefined);
  }

  /** Where this transfer's checkpoint lives: computed here only, journaled, and handed to the engine as cptFile. */
  private checkpointPath(spec: TransferSpec, endpoint: string): string {
    return checkpointPathFor({ ...identityFields(spec), endpoint, checkpointDir: this.deps.checkpointDir });
  }

  /** The row, other than `except`, whose checkpoint is `cptPath`. */
  private holderOf(cptPath: string, except?: Entry): Entry | undefined {
    for (const other of this.entries.values()) {
      if (other !== except && other.cptPath && samePath(other.cptPath, cptPath)) return other;
    }
    return undefined;
  }

  private setState(e: Entry, state: TransferState): void {
    e.item.state = state;
    if (state === 'running' || state === 'queued') e.item.error = undefined;
    this.emit(e.item);
    if (e.batch) this.checkBatch(e.batch);
  }

  /** Drops an entry from the list (its batch treats it as cancelled). */
  private forget(e: Entry): void {
    const id = e.item.id;
    const i = this.queue.indexOf(id);
    if (i >= 0) this.queue.splice(i, 1);
    this.entries.delete(id);
    if (e.batch) {
      e.batch.last.set(id, snapshot({ ...e.item, state: SETTLED_IN_BATCH.has(e.item.state) ? e.item.state : 'cancelled' }));
      this.checkBatch(e.batch);
    }
    this.emit(undefined);
  }

  private checkBatch(batch: BatchState): void {
    if (batch.settled) return;
    for (const id of batch.ids) {
      const e = this.entries.get(id);
      if (e && e.batch === batch) batch.last.set(id, snapshot(e.item));
    }
    const all = batch.ids.map((id) => batch.last.get(id)!);
    if (all.every((it) => SETTLED_IN_BATCH.has(it.state))) this.settleBatch(batch, false);
  }

  private settleBatch(batch: BatchState, force: boolean): void {
    if (batch.settled) return;
    batch.settled = true;
    const r: BatchResult = { done: [], failed: [], cancelled: [] };
    for (const id of batch.ids) {
      const e = this.entries.get(id);
      const it = e && e.batch === batch ? snapshot(e.item) : batch.last.get(id)!;
      if (it.state === 'done') r.done.push(it);
      else if (it.state === 'failed') r.failed.push(it);
      else if (it.state === 'cancelled' || force) r.cancelled.push(it);
    }
    // Items that run again later (resume, retry) are no longer part of this finished batch.
    for (const id of batch.ids) {
      const e = this.entries.get(id);
      if (e && e.batch === batch) e.batch = undefined;
    }
    batch.resolve(r);
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

  private owner(): JournalRecord['owner'] {
    return { pid: process.pid, instance: this.instance };
  }

  private ownedByOtherLiveManager(rec: JournalRecord): boolean {
    const { pid, instance } = rec.owner;
    if (pid === process.pid) return instance !== this.instance && liveInstances.has(instance);
    return processAlive(pid);
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function validateSpec(s: TransferSpec, i: number): void {
  const where = `Transfer #${i + 1}`;
  if (!s || typeof s !== 'object') throw new TypeError(`${where}: not a transfer description`);
  if (s.direction !== 'upload' && s.direction !== 'download') {
    throw new TypeError(`${where}: direction must be 'upload' or 'download' (got ${JSON.stringify(s.direction)})`);
  }
  if (typeof s.profileId !== 'string' || !s.profileId) throw new TypeError(`${where}: profileId is required`);
  if (typeof s.bucket !== 'string' || !s.bucket) throw new TypeError(`${where}: bucket is required`);
  if (typeof s.key !== 'string' || !s.key) throw new TypeError(`${where}: key is required`);
  if (typeof s.file !== 'string' || !path.isAbsolute(s.file)) {
    throw new TypeError(`${where}: file must be an absolute local path (got ${JSON.stringify(s.file)})`);
  }
  if (s.size !== undefined && !(Number.isFinite(s.size) && s.size >= 0)) throw new TypeError(`${where}: size must be a number >= 0`);
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

function identityFields(s: TransferSpec): { direction: 'upload' | 'download'; bucket: string; key: string; file: string } {
  return { direction: s.direction, bucket: s.bucket, key: s.key, file: s.file };
}

function identityOf(s: TransferSpec): string {
  return JSON.stringify([s.direction, s.profileId, s.bucket, s.key, path.resolve(s.file)]);
}

function copySpec(s: TransferSpec): TransferSpec {
  return { ...s, ...(s.headers ? { headers: { ...s.headers } } : {}) };
}

function snapshot(it: TransferItem): TransferItem {
  return { ...it };
}

function newId(): string {
  return randomBytes(8).toString('hex');
}

function errText(err: unknown): string {
  return errorDetail(err);
}
