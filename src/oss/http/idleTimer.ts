// A watchdog for a request body that must keep moving: each arm() restarts the countdown, and
// onIdle runs once if nothing re-arms it in time. Unref'd, so it never keeps the process alive.
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {}

  /** Starts or restarts the countdown; a no-op when idle detection is off (ms <= 0). */
  arm(): void {
    if (this.timer) this.timer.refresh();
    else if (this.ms > 0) {
      this.timer = setTimeout(this.onIdle, this.ms);
      this.timer.unref();
    }
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
