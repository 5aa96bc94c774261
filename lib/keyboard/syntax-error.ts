import { KilnError } from '../errors.js';

const GENERAL_HINT = 'see docs/boot-command.md for every key name and wait form';

/** A malformed boot command; `offset` is the 0-based index of the problem in the source. */
export class BootCommandSyntaxError extends KilnError {
  readonly offset: number;

  constructor(message: string, offset: number, hint = GENERAL_HINT) {
    super('E_INVALID', message, { hint });
    this.name = 'BootCommandSyntaxError';
    this.offset = offset;
  }
}
