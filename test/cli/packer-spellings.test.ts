// Packer's command line as users type it: one dash for long options, comma lists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packerSpellings, parseCommandArgs } from '../../lib/cli/args.js';

const spellings: [string[], string[]][] = [
  [['-var', 'a=1', '-var-file=x.pkrvars.hcl', '-only=qemu.vm', '-force'], ['--var', 'a=1', '--var-file=x.pkrvars.hcl', '--only=qemu.vm', '--force']],
  [['-on-error=abort', '-except', 'virtualbox-iso.*', '-color=false', '-timestamp-ui'], ['--on-error=abort', '--except', 'virtualbox-iso.*', '--color=false', '--timestamp-ui']],
  // kiln's own spellings and short flags are left alone; a value that looks like a flag too.
  [['--var', 'x=-only', '-h', '-v', 'dir/'], ['--var', 'x=-only', '-h', '-v', 'dir/']],
  [['-verbose', '-json'], ['-verbose', '-json']],
];
for (const [given, expected] of spellings) {
  test(`packerSpellings: ${given.join(' ')}`, () => assert.equal(packerSpellings(given), expected));
}

test('-only and -except take comma lists and repeat, as in Packer', () => {
  const args = parseCommandArgs('build', ['-only=qemu.vm,virtualbox-iso.vm', '-only', '*.x', '-var-file=a.pkrvars.hcl', 'tpl/']);
  assert.equal(args.only, ['qemu.vm', 'virtualbox-iso.vm', '*.x']);
  assert.equal(args.varFiles, ['a.pkrvars.hcl']);
  assert.is(args.file, 'tpl/');
});

test('Packer flags that change nothing in kiln are accepted; -parallel-builds sets the limit', () => {
  const args = parseCommandArgs('build', ['-color=false', '-timestamp-ui', '-parallel-builds=1', '-machine-readable', 't.json']);
  assert.is(args.file, 't.json');
  assert.is(args.parallel, 1);
});

test('build-only flags name themselves when given to another command', () => {
  assert.throws(() => parseCommandArgs('validate', ['--offline', 't.json']), /--offline applies to kiln build only/);
  assert.throws(() => parseCommandArgs('inspect', ['-force', 't.json']), /--force applies to kiln build only/);
  assert.not.throws(() => parseCommandArgs('import', ['-force', 't.json']));
  assert.throws(() => parseCommandArgs('build', ['--out', 'x', 't.json']), /--out applies to kiln import only/);
});

test.run();
