// The writer of one batch's journal (format in batchJournalFormat.ts). Records are buffered and
// written in groups: one write and one fdatasync per group, a group every `groupMs` or every
// `groupRecords` records, whichever comes first. A thousand small files thus cost a handful of
// flushes, not four each. `commit()` is for a caller that must know its records are durable before
// it goes on (a big file's start, before the engine writes a checkpoint that names nothing else).
// The file is created on the first group, so a batch that settles before then never touches the
// disk, and it is removed once every item is in (seal) and each is done or dropped: nothing is
// left to restore.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { syncFolder, writeAtomically } from '../checkpoint/checkpointStore.js';
import { errorDetail } from '../errorDetail.js';
import type { TransferLog, TransferSpec } from './transferTypes.js';
import { batchJournalPath, encodeHeader, encodeRecord, type BatchHeader, type BatchRecord, type JournalItemState, type JournalOwner } from './batchJournalFormat.js';

/** The file operations the writer uses; tests inject counting ones. */
export interface JournalFileOps {
  /** Opens for appending, creating it (mode 0600) if absent. */
  openAppend(file: string): Promise<JournalHandle>;
  /** Flushes the folder, so a new file's name survives a power cut. */
  syncFolder(dir: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** Replaces the file's whole content atomically (compaction). */
  replace(file: string, text: string): Promise<void>;
}

export interface JournalHandle {
  write(data: Buffer): Promise<void>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

export const nodeJournalFileOps: JournalFileOps = {
  async openAppend(file) {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const fh = await fsp.open(file, 'a', 0o600);
    return {
      async write(data) {
        for (let off = 0; off < data.length; ) off += (await fh.write(data, off, data.length - off)).bytesWritten;
      },
      datasync: () => fh.datasync(),
      close: () => fh.close(),
    };
  },
  syncFolder,
  remove: (file) => fsp.rm(file, { force: true }),
  replace: (file, text) => writeAtomically(file, text),
};

export interface BatchJournalOptions {
  groupMs?: number;
  groupRecords?: number;
  ops?: JournalFileOps;
  /** A group that could not be written (disk full, folder gone): the batch runs on, less restorable. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_GROUP_MS = 100;
export const DEFAULT_GROUP_RECORDS = 256;

export class BatchJournal {
  readonly file: string;
  private readonly ops: JournalFileOps;
  private readonly groupMs: number;
  private readonly groupRecords: number;
  private buffer: string[] = [];
  private handle: Promise<JournalHandle> | undefined;
  /** The file exists on disk with its header (created by a group, or by compaction). */
  private exists: boolean;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** The last group failed part-way: the next starts on a fresh line. */
  private torn = false;
  private removed = false;
  private removing: Promise<void> | undefined;
  /** A group has tried to open the file (it may exist even if that group failed). */
  private touched = false;
  /** No more items will be added (a streamed batch's source has ended): once none is open, the file goes. */
  private sealed = false;
  /** Items added and neither done nor dropped. */
  private readonly open = new Set<string>();
  private readonly onError: ((err: unknown) => void) | undefined;

  private constructor(dir: string, readonly header: BatchHeader, opts: BatchJournalOptions, exists: boolean) {
    this.file = batchJournalPath(dir, header.id);
    this.ops = opts.ops ?? nodeJournalFileOps;
    this.groupMs = opts.groupMs ?? DEFAULT_GROUP_MS;
    this.groupRecords = opts.groupRecords ?? DEFAULT_GROUP_RECORDS;
    this.onError = opts.onError;
    this.exists = exists;
    if (!exists) this.buffer.push(encodeHeader(header));
  }

  /** A new batch's journal; nothing is written before its first group. */
  static create(dir: string, header: BatchHeader, opts: BatchJournalOptions = {}): BatchJournal {
    return new BatchJournal(dir, header, opts, false);
  }

  /** A new batch's journal that logs a group it could not write. */
  static forBatch(dir: string, id: string, label: string, owner: JournalOwner, log?: TransferLog): BatchJournal {
    const onError = (err: unknown): void => log?.warn(`Could not write the journal of batch ${label}: ${errorDetail(err)} (its transfers may not be restored after a restart).`);
    return BatchJournal.create(dir, { id, label, owner, created: new Date().toISOString() }, { onError });
  }

  /**
   * Rewrites an existing batch's journal with only `items` (the ones still to do) under a new
   * owner, atomically, and goes on appending to it: restoring compacts a journal and claims it.
   * `done`: items that finished earlier, kept as done (never restored), so whoever finishes what
   * the batch was part of (a sync) still knows them after any number of restarts.
   */
  static async compact(dir: string, header: BatchHeader, items: JournalItemState[], opts: BatchJournalOptions = {}, done: readonly JournalItemState[] = []): Promise<BatchJournal> {
    const j = new BatchJournal(dir, header, opts, true);
    j.sealed = true;
    let text = encodeHeader(header);
    for (const it of done) text += encodeRecord({ kind: 'item', id: it.id, spec: it.spec }) + encodeRecord({ kind: 'done', id: it.id });
    for (const it of items) {
      text += encodeRecord({ kind: 'item', id: it.id, spec: it.spec });
      j.open.add(it.id);
      if (it.cptPath !== undefined) text += encodeRecord({ kind: 'start', id: it.id, cptPath: it.cptPath, endpoint: it.endpoint ?? '' });
      if (it.sent) text += encodeRecord({ kind: 'send', id: it.id });
    }
    await j.ops.replace(j.file, text);
    return j;
  }

  /** Items still to do (added, neither done nor dropped). */
  get pending(): number {
    return this.open.size;
  }

  /** Every item is in and none is left to do: the journal is gone (or going). */
  get finished(): boolean {
    return this.sealed && this.open.size === 0;
  }

  /** Every item of the batch has been added; the journal goes once they are all done or dropped. */
  seal(): Promise<void> {
    this.sealed = true;
    return this.open.size === 0 ? this.remove().catch((err) => this.onError?.(err)) : Promise.resolve();
  }

  /** Returns this journal, for the item to keep. */
  addItem(id: string, spec: TransferSpec): this {
    this.open.add(id);
    this.append({ kind: 'item', id, spec });
    return this;
  }

  started(id: string, cptPath: string, endpoint: string): void {
    this.append({ kind: 'start', id, cptPath, endpoint });
  }

  /** A big file's start, on disk before its engine writes the checkpoint; a failure is only logged (onError). */
  async startedDurably(id: string, cptPath: string, endpoint: string): Promise<void> {
    this.started(id, cptPath, endpoint);
    await this.commit().catch(() => undefined);
  }

  sending(id: string): void {
    this.append({ kind: 'send', id });
  }

  /** Buffered: a crash before its group is written sends the file again, nothing worse. */
  done(id: string): void {
    void this.settle(id, 'done').catch(() => undefined);
  }

  /** Nothing of the item is restored any more: resolves once that is on disk (or the file is gone). */
  drop(id: string): Promise<void> {
    return this.settle(id, 'drop');
  }

  /** Hands the batch to `owner` (RELEASED_OWNER on close), written with the next group. */
  setOwner(owner: JournalOwner): void {
    this.append({ kind: 'owner', owner, at: new Date().toISOString() });
  }

  /** Resolves once every record appended so far is on disk (written and flushed). */
  commit(): Promise<void> {
    this.clearTimer();
    if (this.removed) return Promise.resolve();
    if (this.queued) return this.queued;
    if (this.inFlight) {
      if (!this.buffer.length) return this.inFlight;
      this.queued = this.inFlight
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.writeGroup();
        });
      return this.queued;
    }
    return this.writeGroup();
  }

  /** Writes what is buffered and closes the file (the next record reopens it). */
  async close(): Promise<void> {
    await this.commit().catch(() => undefined);
    await this.closeHandle();
  }

  /** Deletes the journal: nothing of this batch is left to restore. Later records are ignored. */
  remove(): Promise<void> {
    this.removing ??= (async () => {
      this.removed = true;
      this.clearTimer();
      this.buffer = [];
      await this.queued?.catch(() => undefined);
      await this.inFlight?.catch(() => undefined);
      await this.closeHandle();
      if (this.exists || this.touched) await this.ops.remove(this.file);
    })();
    return this.removing;
  }

  private settle(id: string, kind: 'done' | 'drop'): Promise<void> {
    if (!this.open.delete(id) && kind === 'drop') return Promise.resolve();
    if (this.open.size === 0 && this.sealed) {
      return this.remove().catch((err) => this.onError?.(err));
    }
    this.append({ kind, id });
    return kind === 'drop' ? this.commit() : Promise.resolve();
  }

  private append(r: BatchRecord): void {
    if (this.removed) return;
    this.buffer.push(encodeRecord(r));
    if (this.buffer.length >= this.groupRecords) {
      void this.commit().catch(() => undefined);
    } else if (!this.timer && !this.queued) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.commit().catch(() => undefined);
      }, this.groupMs);
      this.timer.unref?.();
    }
  }

  /** One group: everything buffered, in one write and one fdatasync. */
  private writeGroup(): Promise<void> {
    if (!this.buffer.length || this.removed) return Promise.resolve();
    const lines = this.buffer;
    this.buffer = [];
    const run = (async () => {
      const creating = !this.exists;
      // A first group that failed part-way may have left half a header: start the file afresh.
      if (creating && this.torn) {
        await this.ops.remove(this.file);
        this.torn = false;
      }
      this.touched = true;
      const fh = await (this.handle ??= this.ops.openAppend(this.file));
      const text = (this.torn ? '\n' : '') + lines.join('');
      this.torn = true;
      await fh.write(Buffer.from(text, 'utf8'));
      await fh.datasync();
      this.torn = false;
      if (creating) {
        await this.ops.syncFolder(path.dirname(this.file));
        this.exists = true;
      }
    })();
    const settled = run
      .catch((err: unknown) => {
        this.onError?.(err);
        // None of these lines is known to be on disk: they go with the next group (a record read
        // twice means the same: the reader keeps an item's first line, the rest are idempotent).
        this.buffer.unshift(...lines);
        // The handle may be what failed; the next group opens the file again.
        void this.closeHandle();
        throw err;
      })
      .finally(() => {
        if (this.inFlight === settled) this.inFlight = undefined;
      });
    this.inFlight = settled;
    return settled;
  }

  private async closeHandle(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h) await h.then((x) => x.close()).catch(() => undefined);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
