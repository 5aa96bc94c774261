// Running builds announce themselves here so that `kiln console NAME`, run from another
// terminal, can find the serial console of NAME's VM. One small JSON file per build in
// $XDG_RUNTIME_DIR/kiln/builds (or <tmpdir>/kiln-<uid>/builds), private to the user.
// A file whose process is gone (a crash, kill -9) is stale and ignored.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { isAlive } from '../util/is-alive.js';
import { writeJsonAtomic } from '../util/write-atomic.js';

export interface RunningBuild {
  name: string;
  pid: number;
  /** The serial console's UNIX socket. */
  serialSocket: string;
  outputDir: string;
  started: string;
}

export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'kiln', 'builds');
  return join(tmpdir(), `kiln-${userInfo().uid}`, 'builds');
}

/** Records `build`; returns the build already registered under its name if that one is still running. */
export async function registerBuild(build: RunningBuild, env: NodeJS.ProcessEnv = process.env): Promise<RunningBuild | undefined> {
  const dir = registryDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${build.name}.json`);
  const existing = await readEntry(file);
  if (existing && existing.pid !== build.pid && isAlive(existing.pid)) return existing;
  await writeJsonAtomic(file, build, { mode: 0o600 });
  return undefined;
}

/** Removes the record of `name` if it is this process's. */
export async function unregisterBuild(name: string, pid = process.pid, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = join(registryDir(env), `${name}.json`);
  const existing = await readEntry(file);
  if (existing?.pid === pid) await rm(file, { force: true });
}

/** Builds that are running now, by name; stale records are deleted on the way. */
export async function listRunningBuilds(env: NodeJS.ProcessEnv = process.env): Promise<RunningBuild[]> {
  const dir = registryDir(env);
  const names = await readdir(dir).catch(() => [] as string[]);
  const builds: RunningBuild[] = [];
  for (const entry of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, entry);
    const build = await readEntry(file);
    if (build && isAlive(build.pid)) builds.push(build);
    else await rm(file, { force: true });
  }
  return builds;
}

/** The running build called `name`, or the only one when no name is given. */
export async function findRunningBuild(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<RunningBuild> {
  const builds = await listRunningBuilds(env);
  const names = builds.map((b) => b.name).join(', ');
  if (name === undefined) {
    if (builds.length === 1) return builds[0]!;
    if (builds.length === 0) throw new KilnError('E_USAGE', 'no kiln build is running', { hint: 'start one with kiln build; kiln console attaches to its VM while it runs' });
    throw new KilnError('E_USAGE', `${builds.length} builds are running (${names}): say which`, { hint: 'kiln console NAME' });
  }
  const build = builds.find((b) => b.name === name);
  if (!build) {
    throw new KilnError('E_USAGE', `no running kiln build is called "${name}"`, {
      hint: builds.length ? `running now: ${names}` : 'the build may have finished, or not started its VM yet',
    });
  }
  return build;
}

async function readEntry(file: string): Promise<RunningBuild | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<RunningBuild>;
    if (typeof value.name !== 'string' || typeof value.pid !== 'number' || typeof value.serialSocket !== 'string') return undefined;
    return value as RunningBuild;
  } catch {
    return undefined;
  }
}
