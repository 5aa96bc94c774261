// Random and mutated HCL: parsing fails only with ValidationError, evaluation, type
// constraints and templatefile() only with HclError (or TypeConversionError), each case
// within a time bound; deep nesting is a reported error, never a stack overflow.
// KILN_FUZZ_BUDGET=20000 runs a longer search (npm run fuzz).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../lib/errors.js';
import type { HclBody, HclExpr } from '../../lib/packer/hcl/ast.js';
import { evaluate, traversals } from '../../lib/packer/hcl/evaluate.js';
import { HclError } from '../../lib/packer/hcl/hcl-error.js';
import { parseHcl } from '../../lib/packer/hcl/parse.js';
import { parseBareTemplate } from '../../lib/packer/hcl/template-file.js';
import { convertToType, parseTypeConstraint, TypeConversionError } from '../../lib/packer/hcl/type-constraint.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { contextWith, NAMES } from '../packer/hcl/hcl-harness.js';
import { randomExpression } from './hcl-expressions.js';
import { excerpt, fuzzBudget, fuzzSeed, int, mulberry32, pick, tokens, type Random, RUNAWAY_MS } from './random.js';

test.after(removeScratch);

const BASE = `variable "size" {
  type    = object({ gb = number, tags = optional(map(string), {}) })
  default = { gb = "20" }
}
locals {
  names  = [for i, d in local.disks : "\${i}-\${upper(d.label)}" if d.size > 5]
  byKey  = {for d in local.disks : d.label => d.size...}
  script = <<-EOT
    #!/bin/sh
    echo "\${var.name}" %{ if var.count > 2 ~} big %{~ else } small %{ endif }
    %{ for k, v in var.tags }\${k}=\${v}
    %{ endfor }
  EOT
  pick   = try(var.tags.missing, can(var.list[9]) ? 1 : var.list.0 * -2 + 7 % 3)
  rendered = templatefile("t.tpl", { xs = var.list, who = "\${var.name}" })
  splat  = local.disks[*].size
  old    = local.disks.*.label
  same   = [1, "1", null] == [1, "1", null] && !(2 >= 3 || "a" != "a")
  more   = max(var.list...)
}
source "qemu" "vm" {
  disk_size = "\${var.count}G"
  boot_command = ["<esc>\\n", join(",", ["a", "b"])]
}
`;

const TOKENS = [
  '{', '}', '[', ']', '(', ')', '"', '${', '%{', '}', '~', '=', ':', '?', ',', '.', '...', '[*]', '.*', '=>', '\n', ' ', '\t', '#', '//', '/*', '*/',
  '<<EOT\n', '<<-EOT\n', '\nEOT\n', 'EOT', '\\', '\\n', '\\u00e9', '\\uZZ', '$${', '%%{', '+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||', '!',
  'for', 'in', 'if', 'else', 'endif', 'endfor', 'true', 'false', 'null', '0', '1', '1.5', '1.0e308', '0x1F', '-1', '99999999999999999999',
  'var', 'local', 'var.name', 'var.list', 'var.tags', 'var.empty', 'local.disks', 'x', 'k', 'v', 'upper', 'join', 'max', 'length', 'try', 'can',
  'templatefile', 'optional', 'list', 'map', 'object', 'string', 'number', '__proto__', 'constructor', 'toString', 'é', '🚀', '\u0000', '\r\n',
  '[[[[[[[[', ']]]]]]]]', '((((((((', '"${"${"${', 'a.b.c.d.e', '[0][0][0]', 'locals {', 'source "x" "y" {', 'block {',
];

function mutate(random: Random, text: string): string {
  let out = text;
  for (let n = 1 + int(random, 3); n > 0; n--) {
    const at = int(random, out.length + 1);
    const span = int(random, 40);
    switch (int(random, 3)) {
      case 0:
        out = out.slice(0, at) + pick(random, TOKENS).repeat(random() < 0.03 ? 1 + int(random, 1500) : 1) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + span);
        break;
      default:
        out = out.slice(0, at) + out.slice(at, at + span).repeat(random() < 0.05 ? 1 + int(random, 400) : 2) + out.slice(at);
    }
  }
  return out;
}

function* expressions(body: HclBody): Generator<HclExpr> {
  for (const attribute of body.attributes) yield attribute.expr;
  for (const block of body.blocks) yield* expressions(block.body);
}

const expected = (error: unknown, ...types: (abstract new (...args: never[]) => Error)[]): boolean => types.some((type) => error instanceof type);

const BUDGET = fuzzBudget(200);

test(`${BUDGET} random and mutated HCL files: typed errors only, none runs away (seed ${fuzzSeed()})`, async () => {
  const dir = await scratch({ 't.tpl': '%{ for x in xs ~}\n${x} for ${who}\n%{ endfor ~}\n' }, 'kiln-fuzz-hcl-');
  const context = contextWith(NAMES, dir);
  const random = mulberry32(fuzzSeed());
  let parsed = 0;
  let evaluated = 0;
  for (let i = 0; i < BUDGET; i++) {
    const kind = random();
    const text =
      kind < 0.4
        ? Array.from({ length: 1 + int(random, 4) }, (_, n) => `v${n} = ${randomExpression(random, 1 + int(random, 6))}\n`).join('')
        : kind < 0.85
          ? mutate(random, BASE)
          : tokens(random, TOKENS, int(random, 120));
    const fail = (stage: string, error: unknown): never => assert.unreachable(`case ${i}: ${stage}: ${(error as Error).stack} for ${excerpt(text)}`) as never;
    const begin = performance.now();
    let body: HclBody | undefined;
    try {
      body = await parseHcl(text, 'fuzz.pkr.hcl');
      parsed++;
    } catch (error) {
      if (!expected(error, ValidationError)) fail('parse', error);
    }
    for (const expr of body === undefined ? [] : expressions(body)) {
      try {
        traversals(expr);
        const value = evaluate(expr, context);
        evaluated++;
        convertToType(value, parseTypeConstraint(expr));
      } catch (error) {
        if (!expected(error, HclError, TypeConversionError)) fail('evaluate', error);
      }
    }
    try {
      parseBareTemplate(text, 'fuzz.tpl');
    } catch (error) {
      if (!expected(error, HclError)) fail('template', error);
    }
    const took = performance.now() - begin;
    assert.ok(took < RUNAWAY_MS, `case ${i} took ${took.toFixed(0)} ms: ${excerpt(text)}`);
  }
  // The mutations must leave enough valid HCL for the evaluator to be exercised at all.
  assert.ok(parsed > BUDGET / 10, `only ${parsed} of ${BUDGET} cases parsed`);
  assert.ok(evaluated > BUDGET / 4, `only ${evaluated} expressions evaluated in ${BUDGET} cases`);
});

test.run();
