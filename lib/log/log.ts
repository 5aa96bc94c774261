// Library code reports through this interface; the CLI decides where it goes
// (terminal, build.log, --json). Nothing in lib/ writes to stdout/stderr itself.

export interface Log {
  /** A normal progress message. */
  info(message: string): void;
  /** Something the user should notice but that does not fail the build. */
  warn(message: string): void;
  /** Detail for build.log only. */
  debug(message: string): void;
  /** A line of output produced by something kiln runs (provisioner, tool), tagged by its source. */
  output(source: string, line: string, stream?: 'stdout' | 'stderr'): void;
}

/** A Log that drops everything; handy in tests. */
export const silentLog: Log = {
  info() {},
  warn() {},
  debug() {},
  output() {},
};

/** A Log that records every call; tests assert on `lines`. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
    output: (s, l, stream = 'stdout') => lines.push(`${stream} ${s}: ${l}`),
  };
}
