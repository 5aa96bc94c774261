// Parsing HCL files into kiln's syntax tree: bodies, blocks, spans, and syntax errors
// reported all at once at their file:line:col.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../../lib/errors.js';
import { parseHcl } from '../../../lib/packer/hcl/parse.js';
import { rejection } from '../../helpers/rejection.js';

const TEMPLATE = `# a Packer template
packer {
  required_plugins {
    qemu = { version = ">= 1.0", source = "github.com/hashicorp/qemu" }
  }
}

variable "disk_size" {
  type    = number
  default = 10 // GiB
}

/* the one source */
source "qemu" "ubuntu" {
  disk_size = var.disk_size
}

build {
  sources = ["source.qemu.ubuntu"]
  provisioner "shell" { inline = ["echo hi"] }
}
`;

test('a template parses into blocks with their labels and attributes with their spans', async () => {
  const body = await parseHcl(TEMPLATE, 'main.pkr.hcl');
  assert.equal(body.attributes, []);
  assert.equal(
    body.blocks.map((b) => [b.type, b.labels, b.span.line, b.span.column]),
    [
      ['packer', [], 2, 1],
      ['variable', ['disk_size'], 8, 1],
      ['source', ['qemu', 'ubuntu'], 14, 1],
      ['build', [], 18, 1],
    ],
  );
  const variable = body.blocks[1]!.body;
  assert.equal(variable.attributes.map((a) => a.name), ['type', 'default']);
  const fallback = variable.attributes[1]!;
  assert.equal(fallback.nameSpan, { file: 'main.pkr.hcl', line: 10, column: 3, endLine: 10, endColumn: 10 });
  assert.equal(fallback.span, { file: 'main.pkr.hcl', line: 10, column: 3, endLine: 10, endColumn: 15 });
  assert.equal(fallback.expr, { kind: 'literal', value: 10, span: { file: 'main.pkr.hcl', line: 10, column: 13, endLine: 10, endColumn: 15 } });
  const build = body.blocks[3]!.body;
  assert.equal(build.blocks.map((b) => [b.type, b.labels, b.body.attributes.map((a) => a.name)]), [['provisioner', ['shell'], ['inline']]]);
  assert.equal(body.blocks[0]!.body.blocks[0]!.body.attributes.map((a) => a.name), ['qemu']);
});

test('an empty file, or one of comments, is an empty body', async () => {
  assert.equal(await parseHcl('', 'e.hcl'), { attributes: [], blocks: [] });
  assert.equal(await parseHcl('# nothing\n// here\n', 'e.hcl'), { attributes: [], blocks: [] });
});

test('CRLF line ends parse, and positions count them as one line end', async () => {
  const body = await parseHcl('a = 1\r\nb {\r\n  c = <<-EOT\r\n    x\r\n    EOT\r\n}\r\nd = 2\r\n', 'crlf.hcl');
  assert.equal(body.attributes.map((a) => [a.name, a.span.line, a.span.column]), [['a', 1, 1], ['d', 7, 1]]);
  assert.equal(body.blocks[0]!.body.attributes.map((a) => [a.name, a.span.line, a.span.column]), [['c', 3, 3]]);
});

test('a heredoc may end the file without a newline after its marker', async () => {
  const body = await parseHcl('a = 1\nb = <<EOT\nx\nEOT', 'eof.hcl');
  assert.equal(body.attributes.map((a) => [a.name, a.expr.kind, a.span.endLine, a.span.endColumn]), [['a', 'literal', 1, 6], ['b', 'template', 4, 4]]);
});

test('a file that is one bare object is reported, not read as a body', async () => {
  const error = (await rejection(parseHcl('{ a = 1 }\n', 'obj.hcl'))) as ValidationError;
  assert.instance(error, ValidationError);
  assert.equal(error.issues.map((i) => [i.line, i.column, i.message]), [[1, 1, 'a file must hold attributes and blocks, not a bare object']]);
});

test('block labels may be quoted with escapes, or bare names', async () => {
  const body = await parseHcl('source "a\\"b" c { }\n', 'l.hcl');
  assert.equal(body.blocks[0]!.labels, ['a"b', 'c']);
});

test('columns count characters, whatever their UTF-8 length', async () => {
  const body = await parseHcl('a = "é🚀"\nb = "x"  # ü\nc = 1\n', 'u.hcl');
  assert.equal(body.attributes.map((a) => [a.name, a.expr.span.line, a.expr.span.column, a.expr.span.endColumn]), [
    ['a', 1, 5, 10],
    ['b', 2, 5, 8],
    ['c', 3, 5, 6],
  ]);
});

const SYNTAX_ERRORS: [string, [number, number, string][]][] = [
  ['a = [1, 2', [[1, 10, 'missing "]"']]],
  ['a = "unclosed\nb = 2', [[2, 6, 'missing closing quote \'"\'']]],
  ['source "qemu" "x" {\n  a = 1\n', [[2, 8, 'missing "}"']]],
  ['a = [1, 2\n\n', [[1, 10, 'missing "]"']]],
  ['a = {b = 1 c}', [[1, 12, 'unexpected "c"']]],
  ['a = f(1,,2)', [[1, 8, 'unexpected ","']]],
  ['a = 1 +', [[1, 8, 'missing a value']]],
  // No value after "=": the grammar invents a heredoc that swallows the rest; one issue, not its missing tokens.
  ['source "qemu" "x" {\n  a = = 1\n  b = 2\n}\n', [[2, 7, 'expected a value here, found "= 1"']]],
  ['a = 1\nb { c = 1\n  c = 2 }\na = 3', [[3, 3, '"c" is already set on line 2; an attribute is set once per block'], [4, 1, '"a" is already set on line 1; an attribute is set once per block']]],
  ['ok = 1\nbad = [1,,2]\nfine = 2\nworse = {a = }', [[2, 9, 'unexpected ","'], [4, 10, 'unexpected "a ="']]],
];

for (const [text, expected] of SYNTAX_ERRORS) {
  test(`syntax errors in ${JSON.stringify(text)} are reported at their positions`, async () => {
    const error = await rejection(parseHcl(text, 'bad.pkr.hcl'));
    assert.instance(error, ValidationError);
    const { issues, hint, file } = error as ValidationError;
    assert.equal(issues.map((i) => [i.line, i.column, i.message]), expected);
    assert.ok(issues.every((i) => i.file === 'bad.pkr.hcl'));
    assert.is(file, 'bad.pkr.hcl');
    assert.match(hint ?? '', /already set/.test(expected[0]![2]) ? /^Keep one of the two settings/ : /HCL syntax/);
  });
}

test('nesting deeper than 200 levels is a clear error, not a stack overflow', async () => {
  const deep = (n: number) => `a = ${'['.repeat(n)}${']'.repeat(n)}\n`;
  await parseHcl(deep(200), 'deep.hcl');
  for (const text of [deep(201), deep(20_000), `a = x${'.b'.repeat(300)}`, `a = 1${' + 1'.repeat(300)}`, `a = "${'%{ if x }'.repeat(300)}${'%{ endif }'.repeat(300)}"`]) {
    const error = (await rejection(parseHcl(text, 'deep.hcl'))) as ValidationError;
    assert.instance(error, ValidationError);
    assert.match(error.issues[0]!.message, /nest deeper than 200 levels|^unexpected/);
  }
});

test.run();
