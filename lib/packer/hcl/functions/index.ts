// Every function a Packer HCL2 template can call, by name. try, can and templatefile are
// not here: the evaluator handles them, since they need unevaluated expressions or scope.
import { collectionFunctions } from './collections.js';
import { conversionFunctions } from './conversion.js';
import { encodingFunctions } from './encoding.js';
import { filesystemFunctions } from './filesystem.js';
import { formatFunctions } from './format.js';
import type { HclFunction } from './function-types.js';
import { hashingFunctions } from './hashing.js';
import { mapFunctions } from './maps.js';
import { numberFunctions } from './numbers.js';
import { setFunctions } from './sets.js';
import { stringFunctions } from './strings.js';
import { timeFunctions } from './time.js';

export { FunctionError, type FunctionContext, type HclFunction, type HclValue } from './function-types.js';

/** Frozen and prototype-free, so hclFunctions["constructor"] is no function. */
export const hclFunctions: Readonly<Record<string, HclFunction>> = Object.freeze(Object.assign(Object.create(null) as Record<string, HclFunction>, {
  ...stringFunctions,
  ...collectionFunctions,
  ...mapFunctions,
  ...setFunctions,
  ...numberFunctions,
  ...conversionFunctions,
  ...encodingFunctions,
  ...hashingFunctions,
  ...filesystemFunctions,
  ...timeFunctions,
  ...formatFunctions,
}));
