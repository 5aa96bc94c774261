// A lock shared by kiln processes on one host (and by concurrent calls in one process):
// a file created atomically (write a temp file, then link it to the lock's name, which
// fails if the name exists) holding the holder's pid, host and a random token.
//
// It must never deadlock: a waiter breaks the lock when its holder is a dead process on
// this host, or when the holder stopped touching it (a heartbeat keeps its mtime fresh;
// a stale mtime covers a reused pid, a holder on another host sharing the cache, and a
// SIGSTOPped one). Breaking renames the lock away first, so of two waiters only one
// removes it. Callers must not depend on the lock for correctness, only to avoid doing
// the same work twice: in the rare race where a fresh lock is broken, two holders run.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { throwIfAborted } from '../errors.js';
import { isAlive } from './is-alive.js';
import { sleep } from './sleep.js';

export interface LockHolder {
  pid: number;
  host: string;
  token: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** Called once when the lock is held by someone else and this call starts waiting. */
  onWait?: (holder: LockHolder) => void;
  /** A lock whose mtime is older than this is abandoned (default 2 minutes). */
  staleMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

const HEARTBEAT_MS = 15_000;
const DEFAULT_STALE_MS = 120_000;
// A lock file without readable content is one being created (the wx fallback), unless old.
const UNREADABLE_GRACE_MS = 10_000;

/** Runs `fn` holding the lock at `path`; waits (abortably) while another holds it. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const { signal } = options;
  let waiting = false;
  let pause = 25;
  for (;;) {
    throwIfAborted(signal);
    const attempt = await attemptLock(path, options.staleMs ?? DEFAULT_STALE_MS);
    if ('lock' in attempt) return attempt.lock;
    if (!waiting && attempt.holder) options.onWait?.(attempt.holder);
    waiting = true;
    await sleep(pause, signal);
    pause = Math.min(pause * 2, 500);
  }
}

/** The lock if nobody (alive) holds it now, else undefined: for callers that do something else instead of waiting. */
export async function tryFileLock(path: string, options: Pick<LockOptions, 'staleMs'> = {}): Promise<HeldLock | undefined> {
  const attempt = await attemptLock(path, options.staleMs ?? DEFAULT_STALE_MS);
  return 'lock' in attempt ? attempt.lock : undefined;
}

/** Takes the lock, breaking a stale one on the way; or says who holds it. */
async function attemptLock(path: string, staleMs: number): Promise<{ lock: HeldLock } | { holder?: LockHolder }> {
  const me: LockHolder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    if (await tryCreate(path, me)) return { lock: held(path, me, staleMs) };
    const seen = await inspect(path);
    if (!seen) continue; // released meanwhile
    if (!isStale(seen, staleMs)) return { holder: seen.holder };
    await breakLock(path, seen, me.token);
  }
}

function held(path: string, me: LockHolder, staleMs: number): HeldLock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    // A missed beat is harmless: the lock is stale only after several in a row.
    utimes(path, now, now).catch(() => {});
  }, Math.min(HEARTBEAT_MS, staleMs / 4));
  heartbeat.unref();
  return {
    async release() {
      clearInterval(heartbeat);
      // Only our own lock: if it was broken and taken by another, that one stays.
      if ((await inspect(path))?.holder?.token === me.token) await rm(path, { force: true });
    },
  };
}

interface SeenLock {
  holder?: LockHolder;
  ino: number;
  mtimeMs: number;
}

async function tryCreate(path: string, me: LockHolder): Promise<boolean> {
  const text = JSON.stringify(me);
  const temp = `${path}.${me.token}.tmp`;
  try {
    await writeFile(temp, text);
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Filesystems without hard links: exclusive create, content written just after.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      return writeFile(path, text, { flag: 'wx' }).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'EEXIST') return false;
          throw e;
        },
      );
    }
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function inspect(path: string): Promise<SeenLock | undefined> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    let holder: LockHolder | undefined;
    try {
      holder = JSON.parse(text) as LockHolder;
    } catch {
      holder = undefined;
    }
    return { holder: holder && typeof holder.pid === 'number' ? holder : undefined, ino: info.ino, mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  const age = Date.now() - seen.mtimeMs;
  if (!seen.holder) return age > UNREADABLE_GRACE_MS;
  // A pid means something only on the host that wrote it.
  if (seen.holder.host === hostname() && !isAlive(seen.holder.pid)) return true;
  return age > staleMs;
}

async function breakLock(path: string, seen: SeenLock, token: string): Promise<void> {
  const moved = `${path}.${token}.stale`;
  try {
    await rename(path, moved);
  } catch {
    return; // another waiter moved it first
  }
  const got = await inspect(moved);
  if (got && got.ino !== seen.ino) {
    // Between looking and moving, another waiter broke the stale lock and took a fresh
    // one: give it back (unless yet another took the name meanwhile).
    await link(moved, path).catch(() => {}); // the name taken already: that holder keeps it
  }
  await rm(moved, { force: true });
}
