// Random well-formed HCL expressions for the HCL fuzz suite: random token soup rarely
// parses, and the evaluator needs valid syntax with arbitrary (often ill-typed) meaning.
import { int, pick, type Random } from './random.js';

const LEAVES = [
  '0', '1', '-1', '2.5', '1.0e308', '99999999999999999999', 'true', 'false', 'null', '"x"', '"1"', '"true"', '""', '"é🚀"', '"a\\nb"',
  'var.name', 'var.count', 'var.list', 'var.tags', 'var.empty', 'var.flag', 'local.disks', 'local.nested', 'x', 'k', 'v', 'nope.nothing',
  '[]', '{}', 'string', 'number', 'list(string)', 'map(number)', 'object({ a = optional(number, 1) })', 'tuple([string, bool])',
];

const OPERATORS = ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||'];
const FUNCTIONS = ['upper', 'join', 'length', 'max', 'frob'];

/** An expression at most `depth` levels deep. */
export function randomExpression(random: Random, depth: number): string {
  if (depth <= 0 || random() < 0.25) return pick(random, LEAVES);
  const sub = (): string => randomExpression(random, depth - 1);
  switch (int(random, 18)) {
    case 0:
      return `[${Array.from({ length: int(random, 4) }, sub).join(', ')}]`;
    case 1:
      return `{ ${Array.from({ length: int(random, 3) }, () => `${pick(random, ['a', '"b c"', '(k)', '(x)', '__proto__'])} = ${sub()}`).join(', ')} }`;
    case 2:
      return `${sub()} ${pick(random, OPERATORS)} ${sub()}`;
    case 3:
      return `${pick(random, ['!', '-'])}${sub()}`;
    case 4:
      return `${sub()} ? ${sub()} : ${sub()}`;
    case 5:
      return `${sub()}[${sub()}]`;
    case 6:
      return `${sub()}.${pick(random, ['name', 'size', 'label', 'env', 'a', '0', '1'])}`;
    case 7:
      return `${sub()}${pick(random, ['[*].size', '.*.label', '[*]', '.*.label[0]'])}`;
    case 8:
      return `[for ${pick(random, ['x', 'k, v'])} in ${sub()} : ${sub()}${random() < 0.5 ? ` if ${sub()}` : ''}]`;
    case 9:
      return `{for ${pick(random, ['x', 'k, v'])} in ${sub()} : ${sub()} => ${sub()}${random() < 0.5 ? '...' : ''}}`;
    case 10:
      return `"${pick(random, ['', 'pre ', ' '])}\${${sub()}}${pick(random, ['', ' post'])}"`;
    case 11:
      return `"%{ if ${sub()} ~}y%{ else }n%{~ endif }"`;
    case 12:
      return `"%{ for ${pick(random, ['x', 'k, v'])} in ${sub()} }\${${sub()}},%{ endfor }"`;
    case 13:
      return `${pick(random, FUNCTIONS)}(${Array.from({ length: int(random, 3) }, sub).join(', ')}${random() < 0.2 ? '...' : ''})`;
    case 14:
      return `${pick(random, ['try', 'can'])}(${Array.from({ length: int(random, 3) }, sub).join(', ')})`;
    case 15:
      return `templatefile(${pick(random, ['"t.tpl"', '"missing.tpl"', 'var.name'])}, { xs = ${sub()}, who = ${sub()} })`;
    case 16:
      return `<<-EOT\n  ${pick(random, ['a', '#!/bin/sh'])} \${${sub()}}\n    %{ if ${sub()} }b%{ endif }\n  EOT\n`;
    default:
      return `(${sub()})`;
  }
}
