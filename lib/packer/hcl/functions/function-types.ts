// The contract between HCL's evaluator and its function library: a function takes
// evaluated arguments and returns a value, or throws FunctionError with a message; the
// evaluator adds the call's position, and try()/can() catch it like any other error.
import type { PackerValue } from '../../model.js';

export type HclValue = PackerValue;

/** What a function may read besides its arguments; passed in so tests control it. */
export interface FunctionContext {
  /** Relative paths in file(), fileexists(), abspath() resolve against it (Packer: the working directory). */
  cwd: string;
  /** env() reads it. */
  env: Readonly<Record<string, string | undefined>>;
  /** timestamp() reads it. */
  now: () => Date;
}

export interface HclFunction {
  (args: HclValue[], context: FunctionContext): HclValue;
}

/** A function's complaint about its arguments ("lower: argument 1 must be a string, got a list"). */
export class FunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionError';
  }
}
