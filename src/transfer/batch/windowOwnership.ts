// Which window (manager) drives a journaled transfer. A record names its owner by pid, host,
// process start time and manager instance; another live owner's records are left alone, a dead
// owner's are restored here. The liveness judgement itself is the one locks use.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ownerAlive, thisProcess } from '../locking/processLiveness.js';
import type { JournalRecord } from './transferJournal.js';

// Managers alive in this process, so a second manager on the same folder (a test's "new window")
// can tell a live owner from a dead one.
const liveInstances = new Set<string>();

/** The owner written into records a window closes without finishing: any window may take them. */
export const RELEASED_OWNER: JournalRecord['owner'] = { pid: 0, instance: 'released' };

export class WindowOwnership {
  private readonly instance = randomBytes(6).toString('hex');

  constructor() {
    liveInstances.add(this.instance);
  }

  /** This manager as a record's owner. */
  owner(): JournalRecord['owner'] {
    return { ...thisProcess(), instance: this.instance };
  }

  /** Whether `owner` is this manager (a journal it restored and claimed). */
  isMine(owner: JournalRecord['owner']): boolean {
    return owner.instance === this.instance && owner.pid === process.pid;
  }

  /** `rec` is a per-file record or a batch journal's owner with the time it was last written. */
  ownedByOtherLiveManager(rec: Pick<JournalRecord, 'owner' | 'updatedAt'>): boolean {
    const o = rec.owner;
    // This process: a manager of it is alive only while it has not been closed.
    if (o.pid === process.pid && (o.hostname === undefined || o.hostname === hostname())) {
      return o.instance !== this.instance && liveInstances.has(o.instance);
    }
    // Nobody refreshes a record while its transfer runs, so its age counts only for another
    // host's, whose process cannot be checked from here.
    const written = Date.parse(rec.updatedAt);
    return ownerAlive(o, { ageMs: Number.isFinite(written) ? Date.now() - written : Number.POSITIVE_INFINITY, heartbeat: false });
  }

  /** This manager has closed: its records count as another window's no longer. */
  end(): void {
    liveInstances.delete(this.instance);
  }
}
