// Function calls, argument expansion, and the special forms try(), can(), templatefile().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HclValue } from '../../../lib/packer/hcl/functions/function-types.js';
import { removeScratch, scratch } from '../../helpers/scratch-dir.js';
import { contextWith, evaluated, evaluationError, NAMES } from './hcl-harness.js';

test.after(removeScratch);

const CASES: [string, HclValue][] = [
  ['upper("abc")', 'ABC'],
  ['join("-", ["a", "b"])', 'a-b'],
  ['max(1, 5, 3)', 5],
  ['max(var.list...)', 3],
  ['max(10, var.list...)', 10],
  ['length(local.disks)', 2],
  ['try(var.nope, "fallback")', 'fallback'],
  ['try(var.name, "fallback")', 'web'],
  ['try(local.disks[5].size, local.disks[0].size)', 10],
  ['try(upper(1), "not a string")', 'not a string'],
  ['try(var.tags.missing, null)', null],
  ['can(var.tags.env)', true],
  ['can(var.tags.missing)', false],
  ['can(1 / 0)', false],
  ['[for d in local.disks : d.label if can(d.size)]', ['a', 'b']],
];

for (const [text, expected] of CASES) {
  test(`${text} is ${JSON.stringify(expected)}`, async () => {
    assert.equal(await evaluated(text), expected);
  });
}

const ERRORS: [string, RegExp][] = [
  ['upper(1)', /^upper: argument 1 must be a string, got number$/],
  ['uper("x")', /^there is no function named "uper": did you mean "upper"\?$/],
  ['templatefle("a", {})', /^there is no function named "templatefle": did you mean "templatefile"\?$/],
  ['max(var.name...)', /^max: the argument before "\.\.\." must be a list, got a string$/],
  ['try(var.nope, var.nada)', /^try: no argument evaluated without an error; the last one failed with: var has no attribute "nada"$/],
  ['try()', /^try: takes at least one argument$/],
  ['can(1, 2)', /^can: takes 1 argument, got 2$/],
  ['templatefile("x")', /^templatefile: takes 2 arguments, got 1$/],
  ['templatefile("no-such.tpl", {})', /^templatefile: cannot read \/tmp\/no-such\.tpl: ENOENT$/],
  ['templatefile("x.tpl", [])', /^templatefile: the variables must be an object, got a list$/],
];

for (const [text, message] of ERRORS) {
  test(`${text} fails: ${message.source}`, async () => {
    assert.match((await evaluationError(text)).message, message);
  });
}

test('a function error is reported at the call', async () => {
  const error = await evaluationError('"x ${upper(1)}"');
  assert.equal([error.span.line, error.span.column, error.span.endColumn], [1, 10, 18]);
});

test('templatefile renders a file with the given variables as its only names', async () => {
  const dir = await scratch({
    'user-data.tpl': '#cloud-config\nhostname: ${name}\n%{ for u in users ~}\n- ${upper(u)}\n%{ endfor ~}\npath: ${"C:\\\\x"} $${literal}\n',
    'one-line.tpl': 'no newline ${n}',
    'empty.tpl': '',
  });
  const context = contextWith(NAMES, dir);
  assert.is(
    await evaluated('templatefile("user-data.tpl", { name = var.name, users = ["ann", "bo"] })', context),
    '#cloud-config\nhostname: web\n- ANN\n- BO\npath: C:\\x ${literal}\n',
  );
  assert.is(await evaluated('templatefile("one-line.tpl", { n = 1 })', context), 'no newline 1');
  assert.is(await evaluated('templatefile("empty.tpl", {})', context), '');
  assert.is(await evaluated(`templatefile("${dir}/one-line.tpl", { n = 2 })`, context), 'no newline 2');
});

test('a template file sees only its variables, and its errors are at its own line:col', async () => {
  const dir = await scratch({ 'a.tpl': 'line one\n  ${var.name}\n', 'bad.tpl': 'ok\nstill ok\n  ${ oops(\n', 'again.tpl': '${templatefile("a.tpl", {})}' });
  const context = contextWith(NAMES, dir);
  const unknown = await evaluationError('templatefile("a.tpl", { vars = 1 })', context);
  assert.match(unknown.message, /^there is no variable named "var": did you mean "vars"\?$/);
  assert.equal([unknown.span.file, unknown.span.line, unknown.span.column], [`${dir}/a.tpl`, 2, 5]);
  const syntax = await evaluationError('templatefile("bad.tpl", {})', context);
  assert.match(syntax.message, /^templatefile: syntax error in the template: /);
  assert.equal([syntax.span.file, syntax.span.line, syntax.span.column], [`${dir}/bad.tpl`, 3, 3]);
  assert.match((await evaluationError('templatefile("again.tpl", {})', context)).message, /^templatefile: a template file cannot call templatefile\(\)$/);
  assert.is(await evaluated('can(templatefile("bad.tpl", {}))', context), false);
});

test.run();
