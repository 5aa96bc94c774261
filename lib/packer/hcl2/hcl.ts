// The HCL language as this front end uses it: the parser, evaluator and type system of
// lib/packer/hcl, and its function library, imported in one place.
export { parseHcl } from '../hcl/parse.js';
export { evaluate, traversals, type EvalContext } from '../hcl/evaluate.js';
export { HclError } from '../hcl/hcl-error.js';
export { parseTypeConstraint, convertToType, describeType, TypeConversionError, type TypeConstraint } from '../hcl/type-constraint.js';
export type { HclBody, HclAttribute, HclBlock, HclExpr, Span } from '../hcl/ast.js';
export type { HclValue, FunctionContext } from '../hcl/functions/function-types.js';
export { hclFunctions } from '../hcl/functions/index.js';
