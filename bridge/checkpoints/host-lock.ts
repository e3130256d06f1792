// One checkpoint, its run and any undo on a host go through one at a time: a checkpoint taken
// while another run is still queued on the same host would not be the state before its own run.
// Waiting here counts like waiting in the host's queue: it gives up after the same time, and
// when the caller goes away.

export type LockWait = { ok: true; release: () => void } | { ok: false; reason: "timeout" | "aborted" };

export class HostLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Resolves once `hostId` is free (and then holds it until `release`), or says why not. */
  acquire(hostId: string, timeoutMs: number, signal?: AbortSignal): Promise<LockWait> {
    const previous = this.tails.get(hostId) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next caller waits for this one, whether it ends up holding the lock or giving up.
    const tail = previous.then(() => done);
    this.tails.set(hostId, tail);
    void tail.then(() => {
      if (this.tails.get(hostId) === tail) this.tails.delete(hostId);
    });
    if (signal?.aborted) {
      void previous.then(release);
      return Promise.resolve({ ok: false, reason: "aborted" });
    }
    return new Promise((resolve) => {
      let settled = false;
      const finish = (wait: LockWait) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(wait);
      };
      // Gave up waiting: the lock passes on as soon as the one before lets go.
      const giveUp = (reason: "timeout" | "aborted") => {
        void previous.then(release);
        finish({ ok: false, reason });
      };
      const timer = setTimeout(() => giveUp("timeout"), timeoutMs);
      const onAbort = () => giveUp("aborted");
      signal?.addEventListener("abort", onAbort, { once: true });
      void previous.then(() => finish({ ok: true, release }));
    });
  }
}
