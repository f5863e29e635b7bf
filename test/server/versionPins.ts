// Keeps an object version's files while a reader still needs them. A GET streams a multipart object
// segment by segment, opening each file as it goes, and a copy hard-links them; an overwrite or
// delete in the meantime must not pull the later segments away, so their removal waits for the
// last reader (as an open file handle keeps a single unlinked file readable on POSIX).

export class VersionPins {
  private readonly readers = new Map<string, number>();
  private readonly pendingRemoval = new Map<string, () => Promise<void>>();

  /** Holds `id` until the returned release is called (calling it again does nothing). */
  pin(id: string): () => void {
    this.readers.set(id, (this.readers.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.readers.get(id) ?? 1) - 1;
      if (left > 0) {
        this.readers.set(id, left);
        return;
      }
      this.readers.delete(id);
      const remove = this.pendingRemoval.get(id);
      this.pendingRemoval.delete(id);
      // Nobody awaits a deferred removal; a leftover is swept at the next start.
      void remove?.().catch(() => undefined);
    };
  }

  /** Runs `remove` now, or when the last reader of `id` lets go. */
  async removeWhenFree(id: string, remove: () => Promise<void>): Promise<void> {
    if (this.readers.has(id)) {
      this.pendingRemoval.set(id, remove);
      return;
    }
    await remove();
  }
}
