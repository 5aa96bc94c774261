// Test helper: a temp directory with an executable `VBoxManage` (a shell wrapper
// around main.js) and a fresh state file. Put `env` into process.env or pass `binary`
// to the driver; read what happened through `state()`.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextHeld, releaseHeld } from './hold.js';
import { emptyState, newFakeVm, readState, withLock, writeState, type FakeConfig, type FakeState, type FakeVm } from './state.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export interface FakeVBox {
  dir: string;
  /** The executable, for the driver's `binary` option. */
  binary: string;
  binDir: string;
  statePath: string;
  typedLog: string;
  /** Variables the fake reads; prepend binDir to PATH yourself when a child process needs it. */
  env: Record<string, string>;
  state(): FakeState;
  configure(config: Partial<FakeConfig>): void;
  vm(name: string): FakeVm | undefined;
  /** Names of registered VMs. */
  registered(): string[];
  /** Lets `ms` pass on the fake's clock (due power-offs happen, sessions unlock). */
  advanceClock(ms: number): void;
  /** Registers a powered-off VM straight in the state, as `createvm --register` would, without a process. */
  seedVm(name: string): void;
  /** The argv of the first call held by a config.hold rule, once the fake holds it (hold.ts). */
  held(): Promise<string[]>;
  /** Lets the held calls go on. */
  release(): void;
  remove(): void;
}

export function installFakeVBoxManage(options: { version?: string; config?: Partial<FakeConfig> } = {}): FakeVBox {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-fake-vbox-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  const statePath = join(dir, 'state.json');
  const typedLog = join(dir, 'typed.log');
  writeState(statePath, emptyState(options.config));
  writeFileSync(typedLog, '');
  const env = { FAKE_VBOX_STATE: statePath, FAKE_VBOX_VERSION: options.version ?? '7.0.14r161095', FAKE_VBOX_TYPED_LOG: typedLog };
  const binary = join(binDir, 'VBoxManage');
  // The wrapper fixes the environment, so the fake works whatever env the driver passes on.
  const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join('\n');
  writeFileSync(binary, `#!/bin/sh\n${exports}\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  chmodSync(binary, 0o755);
  const fake: FakeVBox = {
    dir,
    binary,
    binDir,
    statePath,
    typedLog,
    env,
    state: () => readState(statePath),
    configure: (config) =>
      withLock(statePath, () => {
        const state = readState(statePath);
        state.config = { ...state.config, ...config };
        writeState(statePath, state);
      }),
    vm: (name) => readState(statePath).vms.find((vm) => vm.name === name),
    registered: () => readState(statePath).vms.map((vm) => vm.name),
    advanceClock: (ms) => fake.configure({ clockOffsetMs: fake.state().config.clockOffsetMs + ms }),
    seedVm: (name) =>
      withLock(statePath, () => {
        const state = readState(statePath);
        state.vms.push(newFakeVm({ uuid: randomUUID(), name, ostype: 'Other_64', settingsFile: join(dir, 'vms', name, `${name}.vbox`), at: Date.now() }));
        writeState(statePath, state);
      }),
    held: () => nextHeld(statePath),
    release: () => releaseHeld(statePath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return fake;
}

/** The typed log as lines of [vm, text]. */
export function typedCalls(fake: FakeVBox): [string, string][] {
  return readFileSync(fake.typedLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [vm, text] = line.split('\t') as [string, string];
      return [vm, JSON.parse(text) as string];
    });
}
