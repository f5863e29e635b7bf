// An engine the test drives by hand: each upload or download waits until the test reports progress,
// finishes or fails it, and a stop aborts it like the real engines do.
import assert from 'node:assert/strict';
import type { TransferEngine } from '../../../src/transfer/batch/transferTypes.js';

export interface Call {
  key: string;
  signal: AbortSignal;
  /** `kept`: what the engine says a resume would keep (absent: it says nothing, as before). */
  progress(done: number, total: number, kept?: number): void;
  finish(size: number): void;
  fail(err: unknown): void;
}

export class ScriptedEngine {
  readonly calls: Call[] = [];
  private waiters: Array<() => void> = [];
  readonly engine: TransferEngine = {
    resumableUpload: ((_c: unknown, o: never) => this.call(o)) as unknown as TransferEngine['resumableUpload'],
    resumableDownload: ((_c: unknown, o: never) => this.call(o)) as unknown as TransferEngine['resumableDownload'],
  };
  private call(o: { key: string; signal: AbortSignal; onProgress?: (p: object) => void }) {
    return new Promise<{ etag: string; crc64: string; size: number; resumed: boolean }>((resolve, reject) => {
      const c: Call = {
        key: o.key,
        signal: o.signal,
        progress: (done, total, kept) =>
          o.onProgress?.({ transferredBytes: done, totalBytes: total, bytesPerSecond: 0, phase: 'transferring', ...(kept === undefined ? {} : { keptBytes: kept }) }),
        finish: (size) => resolve({ etag: '"e"', crc64: '0', size, resumed: false }),
        fail: reject,
      };
      o.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'Aborted' })), { once: true });
      this.calls.push(c);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async waitCalls(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
  }
  callFor(key: string): Call {
    const c = [...this.calls].reverse().find((x) => x.key === key);
    assert.ok(c, `a call for ${key}`);
    return c;
  }
}
