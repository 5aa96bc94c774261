import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hclFunctions } from '../../../../lib/packer/hcl/functions/index.js';

const EXPECTED = [
  'abspath', 'basename', 'dirname', 'pathexpand', 'env', 'join', 'split', 'trimprefix', 'trimsuffix', 'trimspace', 'trim',
  'substr', 'sha256', 'sha1', 'sha512', 'md5', 'lower', 'upper', 'title', 'chomp', 'indent', 'replace', 'regex_replace',
  'regex', 'regexall', 'format', 'formatlist', 'concat', 'contains', 'length', 'lookup', 'merge', 'coalesce', 'coalescelist',
  'keys', 'values', 'element', 'index', 'flatten', 'distinct', 'compact', 'slice', 'reverse', 'sort', 'range', 'zipmap',
  'setunion', 'setintersection', 'setproduct', 'chunklist', 'min', 'max', 'abs', 'ceil', 'floor', 'pow', 'signum', 'parseint',
  'tostring', 'tonumber', 'tobool', 'tolist', 'toset', 'tomap', 'timestamp', 'formatdate', 'timeadd', 'legacy_isotime',
  'uuidv4', 'uuidv5', 'base64encode', 'base64decode', 'jsonencode', 'jsondecode', 'yamlencode', 'yamldecode', 'urlencode',
  'file', 'fileexists', 'fileset', 'startswith', 'endswith', 'strcontains', 'strrev',
];

test('every function Packer templates call is registered, and only those', () => {
  assert.equal(Object.keys(hclFunctions).sort(), [...EXPECTED].sort());
});

test('the evaluator\'s special forms are not functions here', () => {
  for (const name of ['try', 'can', 'templatefile']) assert.is(hclFunctions[name], undefined);
});

test('names inherited from Object are not functions', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.is(hclFunctions[name], undefined);
});

test('the registry cannot be changed', () => {
  assert.ok(Object.isFrozen(hclFunctions));
});

test.run();
