/** A level-triggered wake-up: `set` before `wait` is not lost. */
export class WakeSignal {
  private pending = false;
  private waiter: (() => void) | undefined;

  set(): void {
    this.pending = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  reset(): void {
    this.pending = false;
  }

  /** Resolves on `set` (or at once if already set) or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
