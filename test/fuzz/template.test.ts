// Random templates (a valid one, mutated): loading and the answer-file lint either
// succeed or fail with a typed error (KilnError, ValidationError), each within a time
// bound. KILN_FUZZ_BUDGET=20000 runs a longer search (npm run fuzz).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KilnError } from '../../lib/errors.js';
import { lintAnswerFiles } from '../../lib/lint/lint-template.js';
import { loadParsedTemplate } from '../../lib/template/load.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { excerpt, fuzzBudget, fuzzSeed, int, mulberry32, pick, type Random, RUNAWAY_MS } from './random.js';

test.after(removeScratch);

const BASE = `name: fuzz
variables:
  user: vagrant
  secret: { default: s3cret, sensitive: true }
source:
  iso:
    url: x.iso
    checksum: none
machine: { cpus: 2, memory: 2G, disk: 20G }
http:
  directory: http
  content:
    /ks.cfg: "text\\nrootpw {{ var \`secret\` }}\\n"
cloud_init:
  user_data:
    runcmd: [[echo, hi]]
boot:
  wait: 5s
  command:
    - "<esc><wait>linux inst.ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>"
ssh:
  username: "{{ var \`user\` }}"
  timeout: 20m
provision:
  - shell: { inline: [echo ok] }
output: { formats: [qcow2] }
`;

const TOKENS = [
  ':', ': ', '- ', '-', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!!binary ', '"', "'", '\n', '  ', '\t', '#', '|', '>', '? ',
  '{{', '}}', '{{ var `user` }}', '{{ var `constructor` }}', '{{ .Name }}', '{{ .OutputDir }}', '{{ "{{" }}', 'constructor', '__proto__',
  'toString', '1e23', '1e400', '-1', '0', '.inf', 'null', '~', 'true', '99999999999999999999G', '<wait600h>', '<enter', '/', '..', 'é',
  '\u0000', '%', '@', '`', 'file:SUMS', 'https://', 'none', 'sha256:', 'ssh: none', 'name: x', '[[[[[[[[', ']]]]]]]]', '{a: {b: {c: ',
];

function mutate(random: Random, text: string): string {
  let out = text;
  for (let n = 1 + int(random, 5); n > 0; n--) {
    const at = int(random, out.length + 1);
    const span = int(random, 40);
    switch (int(random, 4)) {
      case 0:
        out = out.slice(0, at) + pick(random, TOKENS).repeat(random() < 0.03 ? 1 + int(random, 3000) : 1) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + span);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at, at + span).repeat(2) + out.slice(at);
        break;
      default: {
        const colon = out.indexOf(': ', at);
        if (colon >= 0) out = `${out.slice(0, colon + 2)}${pick(random, TOKENS)}${out.slice(out.indexOf('\n', colon) < 0 ? out.length : out.indexOf('\n', colon))}`;
      }
    }
  }
  return out;
}

const BUDGET = fuzzBudget(100);

test(`${BUDGET} mutated templates: typed errors only, none runs away (seed ${fuzzSeed()})`, async () => {
  const dir = await scratch({ 'x.iso': '', 'http/preseed.cfg': 'd-i debian-installer/locale string en_US\n' }, 'kiln-fuzz-');
  const file = join(dir, 'kiln.yaml');
  const random = mulberry32(fuzzSeed());
  let loaded = 0;
  for (let i = 0; i < BUDGET; i++) {
    const text = i === 0 ? BASE : mutate(random, BASE);
    await writeFile(file, text);
    const begin = performance.now();
    try {
      const { template, source } = await loadParsedTemplate(file, { cacheDir: join(dir, 'cache') });
      await lintAnswerFiles(template, { source, tools: false });
      loaded++;
    } catch (error) {
      if (!(error instanceof KilnError)) assert.unreachable(`case ${i}: ${(error as Error).stack} for ${excerpt(text)}`);
    }
    const took = performance.now() - begin;
    assert.ok(took < RUNAWAY_MS, `case ${i} took ${took.toFixed(0)} ms: ${excerpt(text)}`);
  }
  assert.ok(loaded > 0, 'the unmutated template loads');
});

test.run();
