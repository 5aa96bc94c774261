import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../lib/errors.js';
import { formatIssues } from '../../lib/template/format-issues.js';

test('one line per issue, file:line:col: path: message, in file order', () => {
  const error = new ValidationError(
    [
      { path: 'machine.memory', message: '"2X" is not a size', line: 12, column: 11 },
      { path: 'pasword', message: 'not declared', file: 'vars.yaml', line: 1, column: 1 },
      { path: 'machne', message: 'unknown key "machne"', line: 3, column: 1 },
      { path: 'boot.command[0]', message: 'unknown special key <wiat>', line: 12, column: 3 },
      { path: 'variables', message: '--var x is not declared' },
      { path: '', message: 'missing required key "ssh"', line: 1, column: 1 },
    ],
    'kiln.yaml',
  );
  assert.is(
    formatIssues(error),
    [
      'kiln.yaml: variables: --var x is not declared',
      'kiln.yaml:1:1: missing required key "ssh"',
      'kiln.yaml:3:1: machne: unknown key "machne"',
      'kiln.yaml:12:3: boot.command[0]: unknown special key <wiat>',
      'kiln.yaml:12:11: machine.memory: "2X" is not a size',
      'vars.yaml:1:1: pasword: not declared',
    ].join('\n'),
  );
});

test('without a file name the template is called "template"', () => {
  assert.is(formatIssues(new ValidationError([{ path: 'name', message: 'bad', line: 1, column: 7 }])), 'template:1:7: name: bad');
});

test.run();
