// `VBoxManage showvminfo VM --machinereadable`: one `key=value` per line, keys and
// string values in double quotes ("SATA Controller-0-0"="/path/disk.vdi", memory=2048),
// backslash-escaped where they contain quotes or backslashes.

export type VmInfo = ReadonlyMap<string, string>;

/** Parses the output; lines that are not key=value (wrapped descriptions) are skipped. */
export function parseMachineReadable(output: string): VmInfo {
  const info = new Map<string, string>();
  for (const line of output.split(/\r?\n/)) {
    const key = readToken(line, 0, '=');
    if (!key || line[key.end] !== '=') continue;
    const value = readToken(line, key.end + 1, '');
    if (!value) continue;
    info.set(key.text, value.text);
  }
  return info;
}

function readToken(line: string, start: number, stop: string): { text: string; end: number } | undefined {
  if (line[start] !== '"') {
    const end = stop ? line.indexOf(stop, start) : line.length;
    if (end <= start) return undefined;
    return { text: line.slice(start, end).trim(), end };
  }
  let text = '';
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) text += line[++i];
    else if (c === '"') return { text, end: i + 1 };
    else text += c;
  }
  return undefined; // unterminated quote
}

/** VMState values VBoxManage prints (machineStateToName's short names). */
export type VmState =
  | 'poweroff'
  | 'saved'
  | 'teleported'
  | 'aborted'
  | 'aborted-saved'
  | 'running'
  | 'paused'
  | 'gurumeditation'
  | 'teleporting'
  | 'livesnapshotting'
  | 'starting'
  | 'stopping'
  | 'saving'
  | 'restoring'
  | (string & {});

/** States in which no VM process runs: the guest has stopped, one way or another. */
const STOPPED = new Set(['poweroff', 'saved', 'teleported', 'aborted', 'aborted-saved']);

export function vmState(info: VmInfo): VmState {
  const state = info.get('VMState');
  if (state === undefined) throw new Error('showvminfo printed no VMState line');
  return state;
}

export const isStopped = (state: VmState): boolean => STOPPED.has(state);

