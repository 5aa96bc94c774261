// One writer per stage key. Builds that run at once with the same install (a matrix, or
// two kiln processes) would otherwise each run it and store a layer of the same key. A
// build holds the lock of a stage's key from the moment it starts making that stage until
// its layer is stored (or the build ends); a build that wants to start from a stage
// another holds waits for it and then resumes from that build's layer (BuildCache.open).
// A stage that comes up mid-build while another build holds it is made without a layer,
// since a running guest cannot wait (LayerWriter asks claim()).
import { acquireFileLock, tryFileLock, type HeldLock, type LockHolder } from '../util/file-lock.js';
import { stageLockPath } from './layout.js';

export class StageLocks {
  private readonly held = new Map<string, HeldLock>();

  constructor(private readonly cacheDir: string) {}

  /** Takes the key's lock if nobody holds it; true also when this build holds it already. */
  async claim(key: string): Promise<boolean> {
    if (this.held.has(key)) return true;
    const lock = await tryFileLock(stageLockPath(this.cacheDir, key));
    if (lock) this.held.set(key, lock);
    return lock !== undefined;
  }

  /** Waits until the key's lock is free and takes it. */
  async wait(key: string, signal: AbortSignal, onWait: (holder: LockHolder) => void): Promise<void> {
    if (this.held.has(key)) return;
    this.held.set(key, await acquireFileLock(stageLockPath(this.cacheDir, key), { signal, onWait }));
  }

  async release(key: string): Promise<void> {
    const lock = this.held.get(key);
    this.held.delete(key);
    await lock?.release();
  }

  async releaseAll(): Promise<void> {
    for (const key of [...this.held.keys()]) await this.release(key);
  }
}
