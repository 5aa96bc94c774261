// Seed lint: each bad seed gives the place (key path, or the line inside a literal,
// down to kiln.yaml:LINE:COLUMN) and the reason; `cloud-init schema` runs where installed.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintCloudInit, offsetOf, pathAtLine } from '../../lib/cloud-init/lint-seed.js';
import { templatePositions } from '../../lib/lint/template-positions.js';
import { renderUserData } from '../../lib/cloud-init/user-data.js';
import type { CloudInitSpec } from '../../lib/cloud-init/types.js';
import { formatPath, type Finding } from '../../lib/template/finding.js';
import { parseSource } from '../../lib/template/parse-source.js';

const spec = (over: Partial<CloudInitSpec>): CloudInitSpec => ({ user_data: {}, meta_data: {}, via: ['http'], ...over });
const show = (findings: Finding[]) => findings.map((f) => `${formatPath(f.path)}${f.offset !== undefined ? `@${f.offset}` : ''}: ${f.message}`);

let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-seed-lint-test-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('good seeds pass', async () => {
  assert.equal(await lintCloudInit(spec({ user_data: { packages: ['htop'] }, meta_data: 'instance-id: a\n', network_config: { version: 2, ethernets: {} } })), []);
  assert.equal(await lintCloudInit(spec({ user_data: '#cloud-config\nruncmd: [ls]\n', network_config: 'network:\n  version: 1\n  config: []\n' })), []);
  assert.equal(await lintCloudInit(spec({ user_data: [{ cloud_config: { packages: ['curl'] } }, { script: '#!/bin/sh\necho ok\n' }] })), []);
});

test('a literal: the line and the reason, at that character of the string', async () => {
  const text = '#cloud-config\nruncmd:\n  - ls\n  - a: b: c\n';
  const found = await lintCloudInit(spec({ user_data: text }));
  assert.equal(show(found), [`cloud_init.user_data@${text.indexOf('b: c')}: user-data line 4: YAML: Nested mappings are not allowed in compact mappings`]);

  const noHeader = await lintCloudInit(spec({ user_data: 'packages: [htop]\n' }));
  assert.equal(show(noHeader), ['cloud_init.user_data@0: user-data line 1: user-data must start with the line "#cloud-config" (found "packages: [htop]"): cloud-init ignores anything else as configuration']);
});

test('parts: a script with a syntax error, a bad cloud-config text', async () => {
  const found = await lintCloudInit(
    spec({
      user_data: [
        { cloud_config: '#cloud-config\nusers: [unclosed\n' },
        { script: '#!/bin/sh\nif true; then\n  echo hi\n' },
      ],
    }),
  );
  const shown = show(found);
  assert.is(shown.length, 2);
  assert.match(shown[0]!, /^cloud_init\.user_data\[0\]\.cloud_config@\d+: user-data line 3: YAML: /);
  assert.match(shown[1]!, /^cloud_init\.user_data\[1\]\.script@\d+: script line 3: sh -n: .*(end of file|expecting)/);
});

test('a literal multi-part: problems at their line in the whole document', async () => {
  const mime = renderUserData([{ script: '#!/bin/sh\necho ok\n' }, { cloud_config: '#cloud-config\nruncmd:\n  - a\n - b\n' }]);
  const lines = mime.split('\n');
  const badLine = lines.indexOf(' - b') + 1;
  const found = await lintCloudInit(spec({ user_data: mime }));
  assert.is(found.length, 1);
  assert.match(found[0]!.message, new RegExp(`^user-data line ${badLine}: YAML: `));
  assert.is(found[0]!.offset, offsetOf(mime, badLine, 1) + (found[0]!.offset! - offsetOf(mime, badLine, 1)));
  assert.ok(found[0]!.offset! >= offsetOf(mime, badLine, 1) && found[0]!.offset! < offsetOf(mime, badLine + 1, 1));
  assert.equal(show(await lintCloudInit(spec({ user_data: 'Content-Type: multipart/mixed\n\nno boundary\n' }))), [
    'cloud_init.user_data@0: user-data line 1: a MIME multi-part document needs "Content-Type: multipart/mixed; boundary=..." and at least one part',
  ]);
});

test('meta-data and network-config', async () => {
  assert.equal(show(await lintCloudInit(spec({ meta_data: 'instance-id: [a\n' }))).map((s) => s.replace(/YAML: .*/, 'YAML')), ['cloud_init.meta_data@15: meta-data line 2: YAML']);
  assert.equal(show(await lintCloudInit(spec({ meta_data: '- a\n' }))), ['cloud_init.meta_data@0: meta-data line 1: meta-data must be a mapping such as "instance-id: my-vm", or empty']);
  assert.equal(show(await lintCloudInit(spec({ network_config: { ethernets: {} } }))), [
    'cloud_init.network_config: network-config must be a mapping with "version: 1" or "version: 2" (cloud-init\'s network configuration formats)',
  ]);
  const broken = await lintCloudInit(spec({ network_config: 'version: 2\nethernets: {\n' }));
  assert.match(show(broken)[0]!, /^cloud_init\.network_config@\d+: network-config line 3: YAML: /);
});

test('cloud-init schema where installed: its key paths point at the keys', async () => {
  // A stand-in that answers like cloud-init 22.4 (Debian 12) does.
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(
    join(bin, 'cloud-init'),
    `#!/bin/sh
[ "$1" = schema ] && [ "$2" = -c ] || exit 64
if grep -q 'lock_passwd: maybe' "$3"; then
  echo "Error:" >&2
  echo "Cloud config schema errors: packages: 5 is not of type 'array', users.0: {'name': 'a', 'lock_passwd': 'maybe'} is not valid under any of the given schemas" >&2
  exit 1
fi
echo "Valid cloud-config: $3"
`,
  );
  await chmod(join(bin, 'cloud-init'), 0o755);
  const saved = process.env['PATH'];
  process.env['PATH'] = `${bin}${delimiter}${saved}`;
  try {
    const bad = spec({ user_data: { users: [{ name: 'a', lock_passwd: 'maybe' }], packages: 5 } });
    assert.equal(show(await lintCloudInit(bad)), [
      "cloud_init.user_data.users[0]: cloud-init schema: {'name': 'a', 'lock_passwd': 'maybe'} is not valid under any of the given schemas",
      "cloud_init.user_data.packages: cloud-init schema: 5 is not of type 'array'",
    ]);
    assert.is((await lintCloudInit(bad))[0]!.at, 'key');
    assert.equal(await lintCloudInit(bad, { tools: false }), [], 'tools: false runs no checker');
    assert.equal(await lintCloudInit(spec({ user_data: { users: [{ name: 'a' }] } })), []);
    // In a literal, cloud-init's paths become lines inside the string.
    const literal = '#cloud-config\nusers:\n  - name: a\n    lock_passwd: maybe\npackages: 5\n';
    assert.equal(show(await lintCloudInit(spec({ user_data: literal }))), [
      `cloud_init.user_data@${literal.indexOf('  - name')}: user-data line 3: cloud-init schema: users.0: {'name': 'a', 'lock_passwd': 'maybe'} is not valid under any of the given schemas`,
      `cloud_init.user_data@${literal.indexOf('packages')}: user-data line 5: cloud-init schema: packages: 5 is not of type 'array'`,
    ]);
  } finally {
    process.env['PATH'] = saved;
  }
});

test('pathAtLine: the key a line of generated cloud-config is about', () => {
  const text = '#cloud-config\nusers:\n  - name: a\n    groups: [x]\n  - b\nruncmd:\n  - [ls, -l]\n';
  const cases: [number, (string | number)[]][] = [
    [1, []],
    [2, ['users']],
    [3, ['users', 0, 'name']],
    [4, ['users', 0, 'groups']],
    [5, ['users', 1]],
    [7, ['runcmd', 0]],
  ];
  for (const [line, path] of cases) assert.equal(pathAtLine(text, line), path, `line ${line}`);
});

test('findings become kiln.yaml:LINE:COLUMN issues, inside a | block at the very line', async () => {
  const file = join(dir, 'kiln.yaml');
  await writeFile(
    file,
    [
      'name: t', //                              1
      'cloud_init:', //                          2
      '  user_data: |', //                       3
      '    #cloud-config', //                    4
      '    runcmd:', //                          5
      '      - ls', //                           6
      '      - a: b: c', //                      7
      '  network_config:', //                    8
      '    ethernets: {}', //                    9
      '',
    ].join('\n'),
  );
  const text = '#cloud-config\nruncmd:\n  - ls\n  - a: b: c\n';
  const findings = await lintCloudInit(spec({ user_data: text, network_config: { ethernets: {} } }));
  const issues = templatePositions(parseSource(await readFile(file, 'utf8'), file)).findings(findings);
  assert.equal(issues.map((i) => [i.path, i.line, i.column]), [
    ['cloud_init.user_data', 7, 12], // the "b" of "b: c"
    ['cloud_init.network_config', 9, 5],
  ]);
  assert.match(issues[0]!.message, /^user-data line 4: YAML: /);
});

test.run();
