// The part machinery upload and download share: the ledger of finished parts bound to the
// checkpoint that records them, and the loop that moves the parts not yet finished. Data safety
// rests on its order: a part counts as done only once its job returned (a download flushes inside
// the job), and it is recorded and the checkpoint saved before its slot is given back, so a kill
// re-sends at most what was in flight (slots x partSize).
import type { Checkpoint } from '../checkpoint/checkpointCodec.js';
import { CheckpointWriter } from '../checkpoint/checkpointStore.js';
import { localIoError } from '../localIoError.js';
import type { PartRange } from './partPlan.js';
import { runPartQueue } from './partScheduler.js';
import type { PartSlots } from './partSlots.js';
import type { ProgressMeter } from './progressMeter.js';

type PartOf<C extends Checkpoint> = C['parts'][number];

/** The finished parts of one transfer, seeded from its checkpoint and written back through it. */
export class PartLedger<C extends Checkpoint> {
  private readonly done: Map<number, PartOf<C>>;
  private readonly writer: CheckpointWriter | undefined;

  /** Without `cptPath` nothing is written and the ledger only counts. `subject` names the file in errors. */
  constructor(
    private readonly cpt: C,
    cptPath: string | undefined,
    private readonly subject: string,
  ) {
    this.writer = cptPath ? new CheckpointWriter(cptPath) : undefined;
    this.done = new Map(cpt.parts.map((p: PartOf<C>) => [p.partNumber, p]));
  }

  /** True when saves reach a checkpoint file, so a later run can resume (or clean up) this one. */
  get persisted(): boolean {
    return this.writer !== undefined;
  }

  has(partNumber: number): boolean {
    return this.done.has(partNumber);
  }

  /** Counts a finished part; it reaches the checkpoint with the next save(). */
  add(part: PartOf<C>): void {
    this.done.set(part.partNumber, part);
  }

  async save(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    this.cpt.parts = [...this.done.values()].sort((a, b) => a.partNumber - b.partNumber) as C['parts'];
    this.cpt.updatedAt = new Date().toISOString();
    try {
      await writer.save(this.cpt);
    } catch (err) {
      throw localIoError(err, `writing the checkpoint ${writer.file} of`, this.subject);
    }
  }

  /** Bytes of `plan` already finished. */
  committedBytes(plan: readonly PartRange[]): number {
    let committed = 0;
    for (const p of plan) if (this.done.has(p.partNumber)) committed += p.length;
    return committed;
  }

  remaining(plan: readonly PartRange[]): PartRange[] {
    return plan.filter((p) => !this.done.has(p.partNumber));
  }

  /** The finished parts in plan order; call once every part of `plan` is done. */
  inPlanOrder(plan: readonly PartRange[]): Array<PartOf<C>> {
    return plan.map((p) => {
      const part = this.done.get(p.partNumber);
      if (!part) throw new Error(`part ${p.partNumber} is not finished`);
      return part;
    });
  }

  /** Waits for the writes under way and stops further ones: nothing touches the file afterwards. */
  async close(): Promise<void> {
    await this.writer?.close();
  }
}

export interface PartLoopOptions {
  /** Parts at once: a fixed number, or the slots a pacer grants (see partSlots.ts). */
  parallel: number | PartSlots;
  signal: AbortSignal | undefined;
  meter: ProgressMeter;
}

/**
 * Moves every part of `plan` the ledger lacks, as many at a time as `parallel` allows; `move` returns
 * the part's record once the part is safe. Each is recorded and saved before its slot is given back.
 * The first failure stops the rest (see runPartQueue).
 */
export async function runRemainingParts<C extends Checkpoint>(
  ledger: PartLedger<C>,
  plan: readonly PartRange[],
  { parallel, signal, meter }: PartLoopOptions,
  move: (part: PartRange, signal: AbortSignal) => Promise<PartOf<C>>,
): Promise<void> {
  meter.setCommitted(ledger.committedBytes(plan));
  meter.setPhase('transferring');
  await runPartQueue(
    ledger.remaining(plan),
    parallel,
    async (part, partSignal) => {
      const record = await move(part, partSignal);
      ledger.add(record);
      meter.partDone(part.partNumber, part.length);
      await ledger.save();
    },
    signal,
  );
}
