// One datasync on behalf of many parts. Parallel download workers each need "my bytes are on
// disk" before recording their part; a datasync flushes the whole file anyway, so requests that
// arrive while one runs share the next one instead of queueing a flush each.
//
// It also flushes in the background as data accumulates (`written`): with plenty of RAM the
// kernel would otherwise hold everything until the next part ends, and that part's worker would
// then wait for the whole backlog. Background flushes overlap the disk with the network.

export class SyncCoalescer {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private unflushed = 0;

  constructor(
    private readonly syncOnce: () => Promise<void>,
    /** Bytes written since the last flush that start a background flush; 0 = never. */
    private readonly backgroundEvery = 0,
  ) {}

  /** Reports bytes just written; may start a background flush (never awaited by the writer). */
  written(bytes: number): void {
    this.unflushed += bytes;
    if (this.backgroundEvery > 0 && this.unflushed >= this.backgroundEvery && !this.running) {
      // Errors surface on the next awaited sync (the file is the same); nothing to do here.
      this.start().catch(() => undefined);
    }
  }

  /** Resolves after a sync that began after this call, i.e. one that covers every write before it. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    // A sync is under way and may have started before our writes: wait for it, then share one more.
    this.next ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.next;
  }

  private start(): Promise<void> {
    this.unflushed = 0;
    this.running = this.syncOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private startQueued(): Promise<void> {
    this.next = undefined;
    return this.sync();
  }
}
