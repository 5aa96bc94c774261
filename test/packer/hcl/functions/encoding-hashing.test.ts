import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, errorCases, resultCases } from './call.js';

resultCases(test, [
  ['base64encode', ['Hello World'], 'SGVsbG8gV29ybGQ='],
  ['base64encode', ['héllo'], 'aMOpbGxv'],
  ['base64decode', ['SGVsbG8gV29ybGQ='], 'Hello World'],
  ['base64decode', ['aMOp\nbGxv'], 'héllo'],
  ['jsonencode', [{ hello: 'world', a: [1, 2.5, true, null] }], '{"a":[1,2.5,true,null],"hello":"world"}'],
  ['jsonencode', ['<b> & \u2028'], '"\\u003cb\\u003e \\u0026 \\u2028"'],
  ['jsonencode', [1e21], '1000000000000000000000'],
  ['jsonencode', [[]], '[]'],
  ['jsondecode', ['{"hello": "world", "a": [1, true, null]}'], { a: [1, true, null], hello: 'world' }],
  ['jsondecode', ['"x"'], 'x'],
  ['yamlencode', [{ a: 'b', c: 'd' }], '"a": "b"\n"c": "d"\n'],
  ['yamlencode', [{ foo: [1, { c: 'd', a: 'b' }, 3], bar: 'baz' }], '"bar": "baz"\n"foo":\n- 1\n- "a": "b"\n  "c": "d"\n- 3\n'],
  ['yamlencode', [{ script: 'line 1\nline 2\n' }], '"script": |\n  line 1\n  line 2\n'],
  ['yamlencode', [{ empty: [], none: {}, nothing: null, yes: true }], '"empty": []\n"none": {}\n"nothing": null\n"yes": true\n'],
  ['yamlencode', ['hello'], '"hello"\n'],
  ['yamlencode', [true], 'true\n...\n'],
  ['yamlencode', [null], 'null\n...\n'],
  ['yamldecode', ['hello: world\nlist: [1, "two", true]\nnothing: ~\n'], { hello: 'world', list: [1, 'two', true], nothing: null }],
  ['yamldecode', ['base: &b {x: 1}\nother: *b\n'], { base: { x: 1 }, other: { x: 1 } }],
  ['yamldecode', [''], null],
  ['yamldecode', ['a: yes\nb: off\nc: 0755\nd: 0x1F\ne: 1_000\nf: "yes"\n'], { a: true, b: false, c: 493, d: 31, e: 1000, f: 'yes' }],
  ['yamldecode', ['day: 2001-12-14\nat: 2001-12-14T21:59:43.10-05:00\n'], { at: '2001-12-15T02:59:43Z', day: '2001-12-14T00:00:00Z' }],
  ['yamldecode', ['base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n'], { base: { x: 1 }, m: { x: 1, z: 2 } }],
  ['urlencode', ['Hello World!'], 'Hello+World%21'],
  ['urlencode', ['a/b?c=d&e=é~_-.'], 'a%2Fb%3Fc%3Dd%26e%3D%C3%A9~_-.'],
  ['md5', ['hello world'], '5eb63bbbe01eeed093cb22bb8f5acdc3'],
  ['sha1', ['hello world'], '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed'],
  ['sha256', ['hello world'], 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'],
  ['sha512', ['hello world'], '309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f'],
  ['uuidv5', ['dns', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
  ['uuidv5', ['url', 'https://www.terraform.io/'], '9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5'],
  ['uuidv5', ['6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
]);

errorCases(test, [
  ['base64decode', ['abc'], 'base64decode: the string is not valid base64 (standard alphabet, padded with =)'],
  ['base64decode', ['a-b_'], 'base64decode: the string is not valid base64 (standard alphabet, padded with =)'],
  ['base64decode', ['/w=='], 'base64decode: the decoded result is not valid UTF-8'],
  ['jsondecode', ['{"a": }'], 'jsondecode: the string is not valid JSON: Unexpected token \'}\', "{"a": }" is not valid JSON'],
  ['jsonencode', [], 'jsonencode: expects 1 argument, got 0'],
  ['yamldecode', ['a: 1\n---\nb: 2\n'], 'yamldecode: the string holds more than one YAML document; yamldecode reads exactly one'],
  ['yamldecode', ['a: [1, 2'], 'yamldecode: the string is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 9'],
  ['yamldecode', ['a: 1\na: 2\n'], 'yamldecode: the string is not valid YAML: Map keys must be unique at line 2, column 1'],
  ['md5', [['x']], 'md5: argument 1 must be a string, got a list'],
  ['uuidv5', ['nope', 'x'], 'uuidv5: the namespace must be dns, url, oid, x500 or a UUID, got "nope"'],
  ['uuidv4', ['x'], 'uuidv4: expects no arguments, got 1'],
]);

test('uuidv4 gives a fresh version 4 UUID each call', () => {
  const first = call('uuidv4', []) as string;
  assert.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is.not(call('uuidv4', []), first);
});

test('jsondecode then jsonencode gives the keys sorted', () => {
  assert.is(call('jsonencode', [call('jsondecode', ['{"z":{"y":1,"b":2},"a":0}'])]), '{"a":0,"z":{"b":2,"y":1}}');
});

test.run();
