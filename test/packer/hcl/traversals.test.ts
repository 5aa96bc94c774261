// traversals(): the variables an expression reads, for dependency ordering and checks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { traversals } from '../../../lib/packer/hcl/evaluate.js';
import { expression } from './hcl-harness.js';

const CASES: [string, string[]][] = [
  ['1', []],
  ['var.a', ['var.a']],
  ['var.a.b[0].c', ['var.a.b.0.c']],
  ['var.list[local.i].name', ['var.list', 'local.i']],
  ['"${var.a}-${local.b.c}"', ['var.a', 'local.b.c']],
  ['"%{ for x in var.xs }${x}${local.y}%{ endfor }"', ['var.xs', 'local.y']],
  ['"%{ if var.on }${path.root}%{ else }${packer.version}%{ endif }"', ['var.on', 'path.root', 'packer.version']],
  ['[for k, v in var.m : "${k}${v.name}${local.z}" if v != var.skip]', ['var.m', 'local.z', 'var.skip']],
  ['{for x in var.xs : x.id => x...}', ['var.xs']],
  ['[for x in var.xs : [for y in x : y + local.n]]', ['var.xs', 'local.n']],
  ['data.amazon-ami.base.id', ['data.amazon-ami.base.id']],
  ['source.qemu.vm', ['source.qemu.vm']],
  ['local.disks[*].size', ['local.disks']],
  ['upper(var.a)', ['var.a']],
  ['try(var.a, local.b)', ['var.a', 'local.b']],
  ['var.c ? local.t : local.f', ['var.c', 'local.t', 'local.f']],
  ['-var.n + (local.m * 2)', ['var.n', 'local.m']],
  ['{ (var.k) = local.v, plain = 1 }', ['var.k', 'local.v']],
  ['x', ['x']],
];

for (const [text, expected] of CASES) {
  test(`${text} reads ${expected.join(', ') || 'nothing'}`, async () => {
    const found = traversals(await expression(text));
    assert.equal(found.map((t) => [t.root, ...t.steps].join('.')), expected);
  });
}

test('a traversal spans its whole reference', async () => {
  const [found] = traversals(await expression('upper(var.a.b)'));
  assert.equal(found, { root: 'var', steps: ['a', 'b'], span: { file: 'test.pkr.hcl', line: 1, column: 11, endLine: 1, endColumn: 18 } });
});

test.run();
