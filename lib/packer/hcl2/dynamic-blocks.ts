// `dynamic "disk" { for_each = ..., iterator = d, content { ... } }`: one `disk` block per
// element of for_each, its content evaluated with the iterator (`disk.key`, `disk.value`,
// or the `iterator` name) bound to the element. The blocks it yields may hold dynamic
// blocks of their own.
import { didYouMean } from '../../util/did-you-mean.js';
import type { HclBlock, HclBody, HclValue, Span } from './hcl.js';
import type { Problems } from './problems.js';
import { evaluateIn, type Scope } from './scope.js';

/** A block to evaluate in a scope of its own. */
export interface ScopedBody {
  type: string;
  body: HclBody;
  scope: Scope;
  span: Span;
}

const DYNAMIC_ATTRIBUTES = ['for_each', 'iterator', 'labels'];

export function expandDynamic(block: HclBlock, scope: Scope, problems: Problems, path: string): ScopedBody[] {
  const [type] = block.labels;
  if (type === undefined || block.labels.length !== 1) {
    problems.add(block.span, 'a dynamic block takes one label, the type of the blocks it makes: dynamic "disk" { ... }', path);
    return [];
  }
  const at = `${path}.dynamic.${type}`;
  for (const attribute of block.body.attributes) {
    if (!DYNAMIC_ATTRIBUTES.includes(attribute.name)) problems.add(attribute.nameSpan, `unknown attribute "${attribute.name}" in dynamic "${type}"${didYouMean(attribute.name, DYNAMIC_ATTRIBUTES)}`, at);
  }
  const forEach = block.body.attributes.find((a) => a.name === 'for_each');
  const contents = block.body.blocks.filter((b) => b.type === 'content');
  const content = contents[0];
  if (forEach === undefined || content === undefined || contents.length > 1) {
    problems.add(block.span, `dynamic "${type}" needs a for_each attribute and one content block`, at);
    return [];
  }
  const iterator = iteratorName(block, type, scope, problems, at);
  let collection: HclValue;
  try {
    collection = evaluateIn(scope, forEach.expr);
  } catch (error) {
    problems.addError(error, at);
    return [];
  }
  const elements = entriesOf(collection);
  if (elements === undefined) {
    problems.add(forEach.expr.span, `dynamic "${type}": for_each must be a list or a map`, at);
    return [];
  }
  return elements.map(([key, value]) => ({
    type,
    body: content.body,
    scope: { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } },
    span: block.span,
  }));
}

function iteratorName(block: HclBlock, type: string, scope: Scope, problems: Problems, at: string): string {
  const attribute = block.body.attributes.find((a) => a.name === 'iterator');
  if (attribute === undefined) return type;
  // Written as a bare name (iterator = d): read the name itself, not a value.
  if (attribute.expr.kind === 'variable') return attribute.expr.name;
  try {
    const value = evaluateIn(scope, attribute.expr);
    if (typeof value === 'string') return value;
  } catch (error) {
    problems.addError(error, at);
  }
  problems.add(attribute.expr.span, `dynamic "${type}": iterator must be a name, like iterator = d`, at);
  return type;
}

function entriesOf(collection: HclValue): [HclValue, HclValue][] | undefined {
  if (Array.isArray(collection)) return collection.map((value, index) => [index, value]);
  if (collection !== null && typeof collection === 'object') return Object.entries(collection);
  return undefined;
}
