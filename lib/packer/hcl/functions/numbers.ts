// Number functions. HCL numbers are arbitrary-precision in Packer; here they are doubles,
// which holds every value a template plausibly computes (sizes, counts, ports).
import { family, fn, variadic } from './arguments.js';
import { FunctionError } from './function-types.js';

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Go's big.Int SetString for a given base: letters are case-blind up to base 36, a-z then A-Z above it. */
function parseInteger(text: string, base: number): number | undefined {
  if (!Number.isInteger(base) || base < 2 || base > 62) {
    throw new FunctionError(`parseint: the base must be a whole number from 2 to 62, got ${base}`);
  }
  const match = /^([+-]?)(.+)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ''] = match;
  let value = 0n;
  for (const char of digits) {
    const digit = DIGITS.indexOf(base <= 36 ? char.toLowerCase() : char);
    if (digit < 0 || digit >= base) return undefined;
    value = value * BigInt(base) + BigInt(digit);
  }
  return Number(sign === '-' ? -value : value);
}

export const numberFunctions = family({
  abs: fn(['number'], ([n]) => Math.abs(n)),
  ceil: fn(['number'], ([n]) => Math.ceil(n)),
  floor: fn(['number'], ([n]) => Math.floor(n)),
  signum: fn(['number'], ([n]) => Math.sign(n)),
  pow: fn(['number', 'number'], ([base, exponent]) => base ** exponent),
  min: variadic([], 'number', (_, numbers) => Math.min(...numbers), 1),
  max: variadic([], 'number', (_, numbers) => Math.max(...numbers), 1),
  parseint: fn(['string', 'number'], ([text, base]) => {
    const value = parseInteger(text, base);
    if (value === undefined) throw new FunctionError(`parseint: cannot parse ${JSON.stringify(text)} as a base ${base} integer`);
    return value;
  }),
});
