// Files and bytes of a running sync, with a speed over the last few seconds and the time left at
// that speed. Bytes only grow: a file paused and resumed, or retried, never takes the total back.
import type { TransferItem } from '../batch/transferTypes.js';
import type { SyncProgress } from './syncTypes.js';

const WINDOW_MS = 5000;

export class SyncProgressMeter {
  private readonly bytesOf = new Map<string, number>();
  private readonly finished = new Set<string>();
  private bytesDone = 0;
  private filesDone = 0;
  private filesFailed = 0;
  private readonly samples: Array<{ t: number; bytes: number }> = [];

  constructor(
    private readonly filesTotal: number,
    private readonly bytesTotal: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  note(t: TransferItem): void {
    if (this.finished.has(t.id)) return;
    const before = this.bytesOf.get(t.id) ?? 0;
    const after = t.state === 'done' ? Math.max(before, t.totalBytes) : Math.max(before, t.transferredBytes);
    if (after !== before) {
      this.bytesOf.set(t.id, after);
      this.bytesDone += after - before;
    }
    if (t.state === 'done' || t.state === 'failed') {
      if (t.state === 'done') this.filesDone++;
      else this.filesFailed++;
      // A finished file keeps its bytes in the total; it just stops being tracked one by one.
      this.bytesOf.delete(t.id);
      this.finished.add(t.id);
    }
    const now = this.now();
    this.samples.push({ t: now, bytes: this.bytesDone });
    while (this.samples.length > 2 && this.samples[0]!.t < now - WINDOW_MS) this.samples.shift();
  }

  progress(t?: TransferItem): SyncProgress {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const span = first && last ? (last.t - first.t) / 1000 : 0;
    const bytesPerSecond = span > 0.2 ? (last!.bytes - first!.bytes) / span : 0;
    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    return {
      filesDone: this.filesDone,
      filesFailed: this.filesFailed,
      filesTotal: this.filesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: Math.max(this.bytesTotal, this.bytesDone),
      bytesPerSecond,
      ...(bytesPerSecond > 0 ? { etaSeconds: left / bytesPerSecond } : {}),
      ...(t ? { current: t.spec.key } : {}),
    };
  }
}
