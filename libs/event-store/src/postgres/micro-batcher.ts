/**
 * Requests that arrive while `concurrency` batches are in flight queue up and are sent
 * together in the next batch. A batch only holds requests made before it is sent, so each
 * takes effect after it was asked for; when nothing is in flight a request goes at the next
 * turn of the event loop (requests of the same turn share it).
 */
export class MicroBatcher<T> {
  private queue: T[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly concurrency: number,
    /** How many of the queued requests (at least 1) the next batch takes. */
    private readonly size: (queue: readonly T[]) => number,
    /** Sends a batch; settles every request in it, never rejects. */
    private readonly send: (batch: T[]) => Promise<void>,
  ) {}

  add(request: T): void {
    this.queue.push(request);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.concurrency) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.concurrency) {
      const batch = this.queue.splice(0, Math.max(1, this.size(this.queue)));
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }
}
