// Per-operation counters of requests and body bytes, so tests can prove how much a resume re-sent.
import type { OpName, OpStats, StatsController } from './serverTypes.js';

export class Stats implements StatsController {
  private byOp = new Map<OpName, OpStats>();
  private byCaller = new Map<OpName, Map<string, number>>();
  private limits: Array<{ op: OpName; bitsPerSecond: number }> = [];

  private entry(op: OpName): OpStats {
    let s = this.byOp.get(op);
    if (!s) {
      s = { requests: 0, bytesIn: 0, bytesOut: 0 };
      this.byOp.set(op, s);
    }
    return s;
  }

  countRequest(op: OpName): void {
    this.entry(op).requests += 1;
  }
  countCaller(op: OpName, accessKeyId: string): void {
    let m = this.byCaller.get(op);
    if (!m) this.byCaller.set(op, (m = new Map()));
    m.set(accessKeyId, (m.get(accessKeyId) ?? 0) + 1);
  }
  callers(op?: OpName): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [o, m] of this.byCaller) {
      if (op !== undefined && o !== op) continue;
      for (const [k, n] of m) out[k] = (out[k] ?? 0) + n;
    }
    return out;
  }
  countIn(op: OpName, n: number): void {
    this.entry(op).bytesIn += n;
  }
  countOut(op: OpName, n: number): void {
    this.entry(op).bytesOut += n;
  }
  countTrafficLimit(op: OpName, bitsPerSecond: number): void {
    this.limits.push({ op, bitsPerSecond });
  }

  trafficLimits(op?: OpName): number[] {
    return this.limits.filter((l) => op === undefined || l.op === op).map((l) => l.bitsPerSecond);
  }

  get(op: OpName): OpStats {
    return { ...this.entry(op) };
  }

  total(): OpStats {
    const t = { requests: 0, bytesIn: 0, bytesOut: 0 };
    for (const s of this.byOp.values()) {
      t.requests += s.requests;
      t.bytesIn += s.bytesIn;
      t.bytesOut += s.bytesOut;
    }
    return t;
  }

  reset(): void {
    this.byOp.clear();
    this.byCaller.clear();
    this.limits = [];
  }

  snapshot(): Record<string, OpStats> {
    const out: Record<string, OpStats> = {};
    for (const [op, s] of this.byOp) out[op] = { ...s };
    return out;
  }
}
