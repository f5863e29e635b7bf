// What a download keeps of the parts it is in the middle of. The temp file is written by position,
// so the start of a part in flight is good data once it is on disk: it is recorded in the
// checkpoint (`partial`: bytes and their CRC-64), and a later attempt or run fetches only the rest.
// The rules that keep this safe:
// - only flushed bytes are recorded: a record's bytes were written before a datasync that began
//   after the write, and the record is saved only after that datasync returned;
// - records ride along with the save of each finished part (its flush covers the other parts'
//   writes too); only when no part finished for everyMs does a save of their own run, and all are
//   saved at once when the run stops;
// - a part that finished leaves the list before its finished record is saved, so no checkpoint
//   names a part as both finished and partial;
// - on resume a record is trusted only if its part exists in the plan, it is shorter than the part,
//   and the temp file's bytes have the recorded CRC-64 (a tampered or stale record costs a refetch
//   of that part, never a wrong file).
import type { FileHandle } from 'node:fs/promises';
import { crc64Combine, crc64ToString, parseCrc64 } from '../../oss/crc/crc64.js';
import { FastCrc64 } from '../../oss/crc/crc64Wasm.js';
import type { DownloadCheckpoint, PartialPart } from '../checkpoint/checkpointCodec.js';
import type { PartRange } from './partPlan.js';
import type { ProgressMeter } from './progressMeter.js';

/** The first `bytes` bytes of a part and their CRC-64. */
export interface PartPrefix {
  bytes: number;
  crc: bigint;
}

/** A prefix as an attempt reports it: an earlier prefix plus what this attempt wrote after it. */
interface WrittenPrefix {
  base: PartPrefix | undefined;
  bytes: number;
  crc: bigint;
}

export interface PartialPartsDeps {
  /** The checkpoint the ledger saves; its `partial` list is kept here. */
  cpt: DownloadCheckpoint;
  ledger: { has(partNumber: number): boolean; save(): Promise<void>; readonly persisted: boolean };
  /** Resolves once everything written before the call is on disk. */
  sync(): Promise<void>;
  meter: ProgressMeter;
  /** Least time between two saves of in-flight progress. */
  everyMs: number;
  /** Why a background save failed (the next part's own save reports a lasting problem). */
  log(message: string): void;
}

const READ_CHUNK = 1024 * 1024;

/**
 * Why the checkpoint's partial records cannot belong to this plan, or undefined. Such a checkpoint
 * is not one this engine wrote for this object: it is set aside like any other that does not fit.
 */
export function partialPlanProblem(partial: readonly PartialPart[] | undefined, plan: readonly PartRange[]): string | undefined {
  for (const p of partial ?? []) {
    const part = plan[p.partNumber - 1];
    if (!part) return `it lists partial part ${p.partNumber} of an object of only ${plan.length} parts`;
    if (p.bytes >= part.length) return `it lists ${p.bytes} bytes of part ${p.partNumber}, which holds ${part.length}`;
  }
  return undefined;
}

/**
 * The partial records whose bytes are really in the temp file (their CRC-64 read back from it). A
 * record that does not match is dropped with a log line: that part is fetched whole again.
 */
export async function trustedPrefixes(
  partial: readonly PartialPart[] | undefined,
  plan: readonly PartRange[],
  fh: FileHandle,
  log: (message: string) => void,
): Promise<Map<number, PartPrefix>> {
  const out = new Map<number, PartPrefix>();
  for (const p of partial ?? []) {
    const part = plan[p.partNumber - 1]!;
    const crc = await crc64OfRegion(fh, part.start, p.bytes);
    if (crc === parseCrc64(p.crc64)) out.set(p.partNumber, { bytes: p.bytes, crc });
    else log(`The checkpoint's record of the first ${p.bytes} bytes of part ${p.partNumber} does not match the temporary file; that part is fetched again whole.`);
  }
  return out;
}

async function crc64OfRegion(fh: FileHandle, start: number, length: number): Promise<bigint> {
  const crc = new FastCrc64();
  const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, length));
  for (let off = 0; off < length; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - off), start + off);
    if (bytesRead === 0) break; // shorter than recorded: the CRC cannot match
    crc.update(buf.subarray(0, bytesRead));
    off += bytesRead;
  }
  return crc.value;
}

export class PartialParts {
  /** Written (not necessarily flushed) prefixes of the parts in flight. */
  private readonly written = new Map<number, WrittenPrefix>();
  /** Prefixes the checkpoint records (flushed). */
  private readonly recorded = new Map<number, PartPrefix>();
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private lastSaveAt: number;
  private stopped = false;

  constructor(
    private readonly deps: PartialPartsDeps,
    trusted: ReadonlyMap<number, PartPrefix>,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSaveAt = now();
    for (const [n, p] of trusted) {
      this.written.set(n, { base: undefined, bytes: p.bytes, crc: p.crc });
      this.recorded.set(n, p);
      deps.meter.partKept(n, p.bytes);
    }
    this.publish();
  }

  /** Bytes of `plan` that trusted records hold beyond the finished parts (a resume starts there too). */
  keptBytes(): number {
    let n = 0;
    for (const p of this.recorded.values()) n += p.bytes;
    return n;
  }

  /**
   * Where the next attempt at this part starts: where the checkpoint's record of it ends, as a
   * resume would (a retry after a cut loses at most the bytes since the last save).
   */
  startOf(partNumber: number): PartPrefix | undefined {
    return this.recorded.get(partNumber);
  }

  /**
   * An attempt that started at `base` has written `bytes` more with CRC-64 `crc`. Kept as pieces:
   * combining CRCs costs a little, so it is done only when a record is made.
   */
  wrote(partNumber: number, base: PartPrefix | undefined, bytes: number, crc: bigint): void {
    if (this.stopped) return;
    this.written.set(partNumber, { base, bytes, crc });
    this.schedule();
  }

  /** The part is finished: it leaves the records before its finished entry is saved. */
  finished(partNumber: number): void {
    this.written.delete(partNumber);
    if (this.recorded.delete(partNumber)) this.publish();
  }

  /** What is written now; hand it to flushedBy once a flush that began after this call returned. */
  snapshot(): ReadonlyMap<number, WrittenPrefix> {
    return new Map(this.written);
  }

  /**
   * A flush that began after `snapshot` returned: its prefixes go into the checkpoint with the
   * caller's next save (a finished part's), which spares a save of their own.
   */
  flushedBy(snapshot: ReadonlyMap<number, WrittenPrefix>): void {
    if (this.stopped || !this.deps.ledger.persisted) return;
    if (this.take(snapshot)) this.publish();
    this.lastSaveAt = this.now();
  }

  /** Stops the background saves (waiting for one under way). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.saving;
  }

  /**
   * The run stopped: every prefix written so far is flushed and recorded, so a resume fetches only
   * what never reached the disk. Throws when the flush or the save fails.
   */
  async keepAll(): Promise<void> {
    await this.stop();
    if (!this.deps.ledger.persisted) return;
    await this.deps.sync();
    await this.record(new Map(this.written));
  }

  private schedule(): void {
    if (this.timer || this.saving || this.stopped || !this.deps.ledger.persisted) return;
    const wait = Math.max(0, this.lastSaveAt + this.deps.everyMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A finished part's save took the records along meanwhile: wait from that one.
      if (this.now() - this.lastSaveAt < this.deps.everyMs) return this.schedule();
      this.saving = this.saveFlushed().finally(() => {
        this.saving = undefined;
        if (this.ahead()) this.schedule();
      });
    }, wait);
    this.timer.unref?.();
  }

  /** Whether some part has written more than the checkpoint records. */
  private ahead(): boolean {
    for (const [n, w] of this.written) if (w.bytes + (w.base?.bytes ?? 0) > (this.recorded.get(n)?.bytes ?? 0)) return true;
    return false;
  }

  private async saveFlushed(): Promise<void> {
    // Taken before the flush: these bytes were written before it began, so it covers them.
    const snapshot = new Map(this.written);
    try {
      await this.deps.sync();
      if (this.stopped) return;
      await this.record(snapshot);
    } catch (err) {
      this.deps.log(`Saving the progress inside parts failed (${err instanceof Error ? err.message : String(err)}); it is tried again.`);
    } finally {
      this.lastSaveAt = this.now();
    }
  }

  /** Takes the flushed prefixes of parts still in flight into the records; true when any grew. */
  private take(flushed: ReadonlyMap<number, WrittenPrefix>): boolean {
    let changed = false;
    for (const [n, w] of flushed) {
      // Finished meanwhile (or never in flight): its finished record is what counts.
      if (!this.written.has(n) || this.deps.ledger.has(n)) continue;
      const p = prefixOf(w);
      if (p.bytes > (this.recorded.get(n)?.bytes ?? 0)) {
        this.recorded.set(n, p);
        changed = true;
      }
    }
    return changed;
  }

  /** Records the prefixes of `flushed` for parts still in flight, saves, then tells the meter. */
  private async record(flushed: ReadonlyMap<number, WrittenPrefix>): Promise<void> {
    if (!this.take(flushed)) return;
    this.publish();
    await this.deps.ledger.save();
    for (const [n, p] of this.recorded) this.deps.meter.partKept(n, p.bytes);
  }

  private publish(): void {
    const list: PartialPart[] = [...this.recorded]
      .filter(([n]) => !this.deps.ledger.has(n))
      .sort(([a], [b]) => a - b)
      .map(([partNumber, p]) => ({ partNumber, bytes: p.bytes, crc64: crc64ToString(p.crc) }));
    if (list.length) this.deps.cpt.partial = list;
    else delete this.deps.cpt.partial;
  }
}

function prefixOf(w: WrittenPrefix): PartPrefix {
  if (!w.base) return { bytes: w.bytes, crc: w.crc };
  return { bytes: w.base.bytes + w.bytes, crc: crc64Combine(w.base.crc, w.crc, w.bytes) };
}
