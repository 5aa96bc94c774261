// matrix: the combinations and their names (pure), and the builds a template with a
// matrix loads as: each with its variable values and name, selected by --only/--except.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBuilds } from '../../lib/builder/load-for-build.js';
import { ValidationError } from '../../lib/errors.js';
import { matrixCells, nameSegment } from '../../lib/template/matrix.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

test('cells: every combination, the first variable slowest, named after the template and the values', () => {
  const cases: [string, Parameters<typeof matrixCells>[1], [string, Record<string, string>][]][] = [
    ['one variable', { firmware: ['bios', 'efi'] }, [['t-bios', { firmware: 'bios' }], ['t-efi', { firmware: 'efi' }]]],
    ['two variables', { distro: ['debian-12', 'alma'], firmware: ['efi', 'bios'] }, [
      ['t-debian-12-efi', { distro: 'debian-12', firmware: 'efi' }],
      ['t-debian-12-bios', { distro: 'debian-12', firmware: 'bios' }],
      ['t-alma-efi', { distro: 'alma', firmware: 'efi' }],
      ['t-alma-bios', { distro: 'alma', firmware: 'bios' }],
    ]],
    ['numbers and booleans become strings', { cpus: [1, 2], gui: [true] }, [['t-1-true', { cpus: '1', gui: 'true' }], ['t-2-true', { cpus: '2', gui: 'true' }]]],
  ];
  for (const [what, matrix, expected] of cases) assert.equal(matrixCells('t', matrix).map((c) => [c.name, c.values]), expected, what);
});

test('a value in a build name: lowercase, anything else than letters, digits, "." and "_" a "-"', () => {
  const cases: [string | number | boolean, string][] = [['efi', 'efi'], ['Full Desktop', 'full-desktop'], ['12.5', '12.5'], ['a/b c', 'a-b-c'], [' x ', 'x'], ['!!', ''], [false, 'false']];
  for (const [value, segment] of cases) assert.is(nameSegment(value), segment, String(value));
});

const TEMPLATE = (matrix: string) => `
name: deb
variables: { firmware: bios, flavour: min }
${matrix}
source: { iso: { url: "https://127.0.0.1:9/x.iso", checksum: "sha256:${'c'.repeat(64)}" } }
machine: { firmware: "{{ var \`firmware\` }}" }
http: { content: { /flavour: "{{ var \`flavour\` }}" } }
boot: { command: ["<enter>"] }
ssh: { username: kiln, password: x }
`;

async function loadMatrix(matrix: string, selection: { only?: string[]; except?: string[]; vars?: Record<string, string> } = {}) {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE(matrix) });
  return { dir, loaded: await loadBuilds(join(dir, 'kiln.yaml'), selection) };
}

test('a matrix template loads one build per cell, with its values and its name in output paths', async () => {
  const { dir, loaded } = await loadMatrix('matrix: { firmware: [bios, efi], flavour: [min, full] }');
  assert.equal(loaded.builds.map((b) => [b.name, b.template.name, b.template.machine.firmware, b.template.http.content?.['/flavour']]), [
    ['deb-bios-min', 'deb-bios-min', 'bios', 'min'],
    ['deb-bios-full', 'deb-bios-full', 'bios', 'full'],
    ['deb-efi-min', 'deb-efi-min', 'efi', 'min'],
    ['deb-efi-full', 'deb-efi-full', 'efi', 'full'],
  ]);
  assert.is(loaded.builds[2]!.template.output.directory, join(dir, 'output/deb-efi-min'));
  const plain = await loadMatrix('');
  assert.equal(plain.loaded.builds.map((b) => [b.name, b.template.name]), [[undefined, 'deb']], 'without a matrix: one build, unnamed, as before');
});

test('--only/--except pick builds by name or glob; a template without a matrix is picked by its name', async () => {
  const matrix = 'matrix: { firmware: [bios, efi], flavour: [min, full] }';
  const cases: [string, { only?: string[]; except?: string[] }, string[]][] = [
    [matrix, { only: ['deb-efi-min'] }, ['deb-efi-min']],
    [matrix, { only: ['*-efi-*'] }, ['deb-efi-min', 'deb-efi-full']],
    [matrix, { except: ['*-full'] }, ['deb-bios-min', 'deb-efi-min']],
    [matrix, { only: ['deb-bios-*'], except: ['*-min'] }, ['deb-bios-full']],
    ['', { only: ['deb'] }, ['deb']],
  ];
  for (const [m, selection, names] of cases) {
    const { loaded } = await loadMatrix(m, selection);
    assert.equal(loaded.builds.map((b) => b.name ?? b.template.name), names, JSON.stringify(selection));
  }
  const error = await kilnRejection(loadMatrix(matrix, { only: ['ubuntu-*'] }));
  assert.match(error.message, /--only\/--except leave none of the builds of .*kiln\.yaml/);
  assert.match(error.hint ?? '', 'its builds: deb-bios-min, deb-bios-full, deb-efi-min, deb-efi-full');
});

test('matrix problems: an undeclared variable, a bad list, a value naming no build, a --var for a matrix variable', async () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['matrix: { flavor: [min] }', {}, /:4:11: matrix\.flavor: "flavor" is not a declared variable: a matrix sets variables/],
    ['matrix: { firmware: [] }', {}, /matrix\.firmware/],
    ['matrix: { flavour: [min, "!!"] }', {}, /matrix\.flavour\[1\]: "!!" gives no build name/],
    ['matrix: { flavour: [min, MIN] }', {}, /matrix\.flavour\[1\]: "MIN" names the same build as an earlier value \(min\)/],
    ['matrix: { firmware: [bios, efi] }', { firmware: 'efi' }, /--var firmware: it is a matrix variable of/],
  ];
  for (const [matrix, vars, message] of cases) {
    const error = await kilnRejection(loadMatrix(matrix, { vars }), matrix);
    const text = error instanceof ValidationError ? error.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`).join('\n') : error.message;
    assert.match(text, message, `${matrix}: ${text}`);
  }
});

test.run();
