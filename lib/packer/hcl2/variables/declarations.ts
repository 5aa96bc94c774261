// `variable "name" { type, default, description, sensitive, nullable, validation { } }`
// blocks, and the legacy `variables { name = default }` form, read into declarations.
// A declaration's own attributes are fixed values: they cannot refer to anything.
import { didYouMean } from '../../../util/did-you-mean.js';
import { attempt, type Problems } from '../problems.js';
import { convertToType, describeType, HclError, parseTypeConstraint, TypeConversionError, traversals, type HclAttribute, type HclBlock, type HclExpr, type TypeConstraint, type HclValue, type Span } from '../hcl.js';
import { evaluateIn, type Scope } from '../scope.js';
import { blockTitle } from '../top-level.js';

export interface Validation {
  condition: HclExpr;
  conditionSpan: Span;
  errorMessage: HclExpr;
}

export interface VariableDeclaration {
  name: string;
  /** Where the variable is declared (its block, or its attribute in a variables block). */
  span: Span;
  /** The declared type; undefined for any type. */
  type?: TypeConstraint;
  default?: HclValue;
  hasDefault: boolean;
  description?: string;
  sensitive: boolean;
  nullable: boolean;
  validations: Validation[];
}

const VARIABLE_ATTRIBUTES = ['type', 'default', 'description', 'sensitive', 'nullable'];
const VALIDATION_ATTRIBUTES = ['condition', 'error_message'];

/** A value written where nothing may be referred to: a default, a var file's value. */
export function constantValue(expr: HclExpr, scope: Scope, what: string): HclValue {
  const [ref] = traversals(expr);
  if (ref !== undefined) throw new HclError(`${what} must be a fixed value; it cannot refer to ${ref.root}`, ref.span);
  return evaluateIn(scope, expr);
}

export function declareVariables(blocks: readonly HclBlock[], legacy: readonly HclAttribute[], scope: Scope, problems: Problems): VariableDeclaration[] {
  const declared = new Map<string, VariableDeclaration>();
  const add = (declaration: VariableDeclaration | undefined): void => {
    if (declaration === undefined) return;
    const earlier = declared.get(declaration.name);
    if (earlier !== undefined) {
      problems.add(declaration.span, `variable "${declaration.name}" is declared twice (first at ${earlier.span.file}:${earlier.span.line}:${earlier.span.column})`);
      return;
    }
    declared.set(declaration.name, declaration);
  };
  for (const block of blocks) add(declareBlock(block, scope, problems));
  for (const attribute of legacy) {
    const value = attempt(problems, () => constantValue(attribute.expr, scope, `variable "${attribute.name}"`));
    add({ name: attribute.name, span: attribute.nameSpan, default: value, hasDefault: value !== undefined, sensitive: false, nullable: true, validations: [] });
  }
  return [...declared.values()];
}

function declareBlock(block: HclBlock, scope: Scope, problems: Problems): VariableDeclaration | undefined {
  const name = block.labels[0] ?? '';
  const declaration: VariableDeclaration = { name, span: block.span, hasDefault: false, sensitive: false, nullable: true, validations: [] };
  const what = `variable "${name}"`;
  for (const attribute of block.body.attributes) {
    const at = `variable.${name}.${attribute.name}`;
    switch (attribute.name) {
      case 'type':
        declaration.type = attempt(problems, () => parseTypeConstraint(attribute.expr), at);
        break;
      case 'default': {
        const value = attempt(problems, () => constantValue(attribute.expr, scope, `the default of ${what}`), at);
        if (value !== undefined) Object.assign(declaration, { default: value, hasDefault: true });
        break;
      }
      case 'description': {
        const value = attempt(problems, () => constantValue(attribute.expr, scope, `the description of ${what}`), at);
        if (typeof value === 'string') declaration.description = value;
        break;
      }
      case 'sensitive':
      case 'nullable': {
        const value = attempt(problems, () => constantValue(attribute.expr, scope, `${attribute.name} of ${what}`), at);
        if (typeof value === 'boolean') declaration[attribute.name] = value;
        else if (value !== undefined) problems.add(attribute.expr.span, `${what}: ${attribute.name} must be true or false`, at);
        break;
      }
      default:
        problems.add(attribute.nameSpan, `unknown attribute "${attribute.name}" in ${blockTitle(block)}${didYouMean(attribute.name, VARIABLE_ATTRIBUTES) || `: a variable block takes ${VARIABLE_ATTRIBUTES.join(', ')} and validation blocks`}`, at);
    }
  }
  for (const nested of block.body.blocks) {
    if (nested.type !== 'validation') {
      problems.add(nested.span, `unknown block "${nested.type}" in ${blockTitle(block)}${didYouMean(nested.type, ['validation']) || ': a variable block holds only validation blocks'}`);
      continue;
    }
    const validation = readValidation(nested, what, problems);
    if (validation !== undefined) declaration.validations.push(validation);
  }
  const defaultAttribute = block.body.attributes.find((a) => a.name === 'default');
  if (declaration.hasDefault && declaration.type !== undefined && declaration.default !== null && defaultAttribute !== undefined) {
    try {
      declaration.default = convertToType(declaration.default ?? null, declaration.type);
    } catch (error) {
      if (!(error instanceof TypeConversionError)) throw error;
      problems.add(defaultAttribute.expr.span, `the default of ${what} is not ${describeType(declaration.type)}: ${error.message}`, `variable.${name}.default`);
      Object.assign(declaration, { default: undefined, hasDefault: false });
    }
  }
  return declaration;
}

function readValidation(block: HclBlock, what: string, problems: Problems): Validation | undefined {
  const condition = block.body.attributes.find((a) => a.name === 'condition');
  const errorMessage = block.body.attributes.find((a) => a.name === 'error_message');
  for (const attribute of block.body.attributes) {
    if (!VALIDATION_ATTRIBUTES.includes(attribute.name)) {
      problems.add(attribute.nameSpan, `unknown attribute "${attribute.name}" in a validation block of ${what}${didYouMean(attribute.name, VALIDATION_ATTRIBUTES)}`);
    }
  }
  if (condition === undefined || errorMessage === undefined) {
    problems.add(block.span, `a validation block of ${what} needs both condition and error_message`);
    return undefined;
  }
  return { condition: condition.expr, conditionSpan: condition.expr.span, errorMessage: errorMessage.expr };
}
