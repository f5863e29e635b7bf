// One datasync on behalf of many parts. Parallel download workers each need "my bytes are on
// disk" before recording their part; a datasync flushes the whole file anyway, so requests that
// arrive while one runs share the next one instead of queueing a flush each.

export class SyncCoalescer {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly syncOnce: () => Promise<void>) {}

  /** Resolves after a sync that began after this call, i.e. one that covers every write before it. */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.syncOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // A sync is under way and may have started before our writes: wait for it, then share one more.
    this.next ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.next;
  }

  private startQueued(): Promise<void> {
    this.next = undefined;
    return this.sync();
  }
}
