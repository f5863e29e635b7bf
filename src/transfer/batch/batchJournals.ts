// The journals of the batches one manager drives (its own and those it restored): opened per batch,
// kept until their batch is finished, and handed back on close so another window may take them.
import { BatchJournal } from './batchJournal.js';
import type { JournalOwner } from './batchJournalFormat.js';
import type { TransferLog } from './transferTypes.js';
import { RELEASED_OWNER } from './windowOwnership.js';

export class BatchJournals {
  private readonly live = new Set<BatchJournal>();

  constructor(
    private readonly dir: string,
    private readonly log?: TransferLog,
  ) {}

  /** A new batch's journal, or none when checkpoints (and so restoring) are off. */
  open(batchId: string, label: string, owner: JournalOwner, enabled: boolean): BatchJournal | undefined {
    if (!enabled) return undefined;
    const j = BatchJournal.forBatch(this.dir, batchId, label, owner, this.log);
    this.track(j);
    return j;
  }

  /** Keeps a journal (a restored one too) to release on close; forgets finished ones. */
  track(j: BatchJournal): void {
    for (const old of this.live) if (old.finished) this.live.delete(old);
    this.live.add(j);
  }

  /** Closing: what is unfinished goes to whichever window restores it next. */
  async releaseAll(): Promise<void> {
    await Promise.allSettled(
      [...this.live].map((j) => {
        if (!j.finished) j.setOwner(RELEASED_OWNER);
        return j.close();
      }),
    );
  }
}
