// One piece of work per key at a time: callers that ask for a key already in flight
// share its result (the guest's parallel requests for one URL fetch it upstream once).
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** The work's result; `shared` is true for callers that joined work another started. */
  async run(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const found = this.running.get(key);
    if (found) return { value: await found, shared: true };
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return { value: await started, shared: false };
  }
}
