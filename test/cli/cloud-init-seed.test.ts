// A bad cloud-init seed is a template error: `kiln validate` and `kiln build` name the
// line in kiln.yaml and the reason, exit 2, and nothing boots or is written.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';

async function project(template: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-cli-seed-'));
  await writeFile(join(dir, 'image.qcow2'), '');
  await writeFile(join(dir, 'kiln.yaml'), template);
  return dir;
}

const HEAD = `name: seed
source: { disk: { url: image.qcow2, checksum: none } }
ssh: { username: kiln }
output: { directory: out }
`;

test('a #cloud-config string that is not YAML, and a part without "#!": validate and build stop at the line', async () => {
  const dir = await project(`${HEAD}cloud_init:
  user_data:
    - cloud_config: |
        #cloud-config
        packages: [htop
        runcmd: [ls]
    - script: "echo no shebang"
`);
  try {
    for (const command of ['validate', 'build']) {
      const run = await runKiln([command, 'kiln.yaml'], { cwd: dir });
      assert.is(run.code, 2, run.stderr);
      assert.match(run.stderr, /kiln\.yaml:11:\d+: cloud_init\.user_data\[1\]\.script: a script must start with "#!"/);
      assert.not.ok(existsSync(join(dir, 'out')), `${command} wrote output`);
    }
    // The shape error is reported first (it comes from validation); fix it to reach the lint.
    await writeFile(join(dir, 'kiln.yaml'), (await readFile(join(dir, 'kiln.yaml'), 'utf8')).replace('"echo no shebang"', '"#!/bin/sh\\necho ok"'));
    const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /kiln\.yaml:10:\d+: cloud_init\.user_data\[0\]\.cloud_config: user-data line 3: YAML: Flow sequence/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('unknown cloud_init keys and deliveries get a did-you-mean; a good seed validates', async () => {
  const dir = await project(`${HEAD}cloud_init:
  via: cdrum
  user_dta: {}
`);
  try {
    const bad = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /kiln\.yaml:6:\d+: cloud_init\.via: via must be http, cdrom .*did you mean "cdrom"/);
    assert.match(bad.stderr, /kiln\.yaml:7:\d+: cloud_init\.user_dta: unknown key "user_dta".*did you mean "user_data"/);

    await writeFile(join(dir, 'kiln.yaml'), `${HEAD}cloud_init:\n  via: [http, cdrom]\n  user_data: { packages: [htop] }\n`);
    const good = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(good.code, 0, good.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('cloud-init schema (installed by fixtures/install-host-deps.sh) reports wrong types at the key in kiln.yaml', async () => {
  const dir = await project(`${HEAD}cloud_init:
  user_data:
    packages: 5
    users:
      - name: a
        lock_passwd: maybe
`);
  try {
    const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /kiln\.yaml:7:\d+: cloud_init\.user_data\.packages: cloud-init schema: 5 is not of type 'array'/);
    assert.match(run.stderr, /kiln\.yaml:9:\d+: cloud_init\.user_data\.users\[0\]: cloud-init schema: .*lock_passwd/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('{{ .CloudInitURL }} without an HTTP seed behind it is refused, naming the fix', async () => {
  const iso = (extra: string) => `name: seed
source: { iso: { url: image.qcow2, checksum: none } }
ssh: { username: kiln }
boot: { command: ["linux ds=nocloud-net;s={{ .CloudInitURL }}<enter>"] }
${extra}`;
  const dir = await project(iso(''));
  try {
    const none = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(none.code, 2, none.stderr);
    assert.match(none.stderr, /kiln\.yaml:4:\d+: boot\.command\[0\]: \{\{ \.CloudInitURL \}\} is the seed kiln serves over HTTP, and this template serves none: add cloud_init: \{\}/);
    await writeFile(join(dir, 'kiln.yaml'), iso('cloud_init: { via: cdrom }\n'));
    const cdrom = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.match(cdrom.stderr, /add http to cloud_init\.via/);
    await writeFile(join(dir, 'kiln.yaml'), iso('cloud_init: {}\n'));
    const served = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(served.code, 0, served.stderr);
    // The seed is served ahead of http.content: a template's own copy would never be.
    await writeFile(join(dir, 'kiln.yaml'), iso('cloud_init: {}\nhttp: { content: { /cloud-init/user-data: "#cloud-config\\n" } }\n'));
    const shadowed = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(shadowed.code, 2, shadowed.stderr);
    assert.match(shadowed.stderr, /http\.content: \/cloud-init\/user-data would never be served: kiln serves the cloud_init seed at \/cloud-init\/user-data/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
