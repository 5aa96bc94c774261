// String templates and heredocs: interpolation, directives, strip markers, indentation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HclValue } from '../../../lib/packer/hcl/functions/function-types.js';
import { evaluated } from './hcl-harness.js';

const CASES: [string, HclValue][] = [
  ['"a ${var.name} b"', 'a web b'],
  ['"  spaced  ${var.name}  out  "', '  spaced  web  out  '],
  ['"${var.count} ${true} ${1.25}"', '3 true 1.25'],
  ['"${1.0e21} ${-1.0e21} ${1.5e-7} ${-1.25e-10} ${0.5}"', '1000000000000000000000 -1000000000000000000000 0.00000015 -0.000000000125 0.5'],
  ['"${upper(var.name)}-${var.tags.env}"', 'WEB-prod'],
  ['"${"nested ${var.name}"}"', 'nested web'],
  // one interpolation alone keeps its type
  ['"${var.list}"', [1, 2, 3]],
  ['"${var.count}"', 3],
  ['"${var.tags}"', { env: 'prod', team: 'ops' }],
  // directives
  ['"%{ if var.count > 2 }big%{ else }small%{ endif }"', 'big'],
  ['"%{ if false }x%{ endif }y"', 'y'],
  ['"%{ if var.flag }on%{ endif }"', 'on'],
  ['"%{ for x in var.list }<${x}>%{ endfor }"', '<1><2><3>'],
  ['"%{ for i, x in ["a", "b"] }${i}=${x};%{ endfor }"', '0=a;1=b;'],
  ['"%{ for k, v in var.tags }${k}:${v} %{ endfor }"', 'env:prod team:ops '],
  ['"%{ for x in var.list }%{ if x != 2 }${x}%{ endif }%{ endfor }"', '13'],
  // strip markers
  ['"a   ${~ var.name ~}   b"', 'awebb'],
  ['"a   ${~ var.name}   b"', 'aweb   b'],
  ['"%{ for x in var.list ~}\n  ${x},\n%{~ endfor }"', '1,2,3,'],
  ['"x %{~ if true ~} y %{~ else ~} z %{~ endif ~} w"', 'xyw'],
  // heredocs: no backslash escapes, $${ still escapes
  ['<<EOT\nhello ${var.name}\nEOT', 'hello web\n'],
  ['<<EOT\nback\\slash \\n $${x}\nEOT', 'back\\slash \\n ${x}\n'],
  ['<<EOT\n    Foo\n      Bar\n    Baz\n  EOT', '    Foo\n      Bar\n    Baz\n'],
  ['<<EOT\nEOT', ''],
  ['<<EOT\n#!/bin/sh\necho "quoted" # comment\nEOT', '#!/bin/sh\necho "quoted" # comment\n'],
  // <<- strips the least indentation of the non-blank lines
  ['<<-EOT\n    Foo\n    Bar\n  EOT', 'Foo\nBar\n'],
  ['<<-EOT\n    Foo\n      Bar\n    Baz\n  EOT', 'Foo\n  Bar\nBaz\n'],
  ['<<-EOT\n    Foo\n  Bar\n    Baz\n  EOT', '  Foo\nBar\n  Baz\n'],
  ['<<-EOT\n    Foo\n\n    Bar\n  EOT', 'Foo\n\nBar\n'],
  ['<<-EOT\n    Foo\n      ${var.name}\n    Baz\n  EOT', 'Foo\n  web\nBaz\n'],
  ['<<-EOT\n    Foo\n  ${var.name}\n    Baz\n  EOT', '  Foo\nweb\n  Baz\n'],
  ['<<-EOT\n\tFoo\n  Bar\n  EOT', 'Foo\n Bar\n'],
  ['<<-EOT\r\n    Foo\r\n      Bar\r\n    EOT', 'Foo\r\n  Bar\r\n'],
  ['<<-EOT\n    a ${var.name} b\n      c\n    EOT', 'a web b\n  c\n'],
  ['<<-EOT\n    %{ for x in var.list ~}\n    ${x}\n    %{ endfor ~}\n    EOT', '1\n2\n3\n'],
];

for (const [text, expected] of CASES) {
  test(`${JSON.stringify(text)} is ${JSON.stringify(expected)}`, async () => {
    assert.equal(await evaluated(text), expected);
  });
}

test.run();
