// Packer templates through the CLI, as a Packer user types it, without a VM: validate,
// inspect and import on an HCL2 folder and a legacy JSON template; problems at the
// user's file:line:col; secrets never printed nor written.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';

const SECRET = 'pkr-Secret-4711';

const VARIABLES = `variable "iso" {
  type    = string
  default = "installer.iso"
}
variable "password" {
  type      = string
  sensitive = true
}
variable "memory" {
  type    = number
  default = 1024
}
`;

const SOURCE = (extra = '') => `source "qemu" "vm" {
  iso_url          = var.iso
  iso_checksum     = "none"
  memory           = var.memory
  http_directory   = "http"
  boot_command     = ["<enter>"]
  ssh_username     = "vagrant"
  ssh_password     = var.password
  shutdown_command = "echo '\${var.password}' | sudo -S shutdown -P now"
  output_directory = "out"
${extra}}

build {
  sources = ["source.qemu.vm"]
  provisioner "shell" {
    execute_command = "echo '\${var.password}' | {{ .Vars }} sudo -S -E sh '{{ .Path }}'"
    scripts         = ["scripts/a.sh", "scripts/b.sh"]
  }
  post-processor "vagrant" {
    output = "boxes/{{ .Provider }}.box"
  }
}
`;

async function project(extra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-packer-cli-'));
  await mkdir(join(dir, 'tpl', 'http'), { recursive: true });
  await mkdir(join(dir, 'scripts'));
  await writeFile(join(dir, 'installer.iso'), 'x');
  await writeFile(join(dir, 'tpl', 'http', 'preseed.cfg'), 'd-i foo\n');
  await writeFile(join(dir, 'scripts', 'a.sh'), 'echo a\n');
  await writeFile(join(dir, 'scripts', 'b.sh'), 'echo b\n');
  await writeFile(join(dir, 'tpl', 'variables.pkr.hcl'), VARIABLES);
  await writeFile(join(dir, 'tpl', 'sources.pkr.hcl'), SOURCE(extra).replace('"http"', '"tpl/http"'));
  await writeFile(join(dir, 'debian.pkrvars.hcl'), 'memory = 2048\n');
  return dir;
}

const withProject = (extra: string, run: (dir: string) => Promise<void>) => async () => {
  const dir = await project(extra);
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

test('validate: a folder of .pkr.hcl with Packer\'s flags, secret from PKR_VAR_', withProject('', async (dir) => {
  const run = await runKiln(['validate', '-var-file=debian.pkrvars.hcl', '-only=qemu.vm', 'tpl'], { cwd: dir, env: { PKR_VAR_password: SECRET } });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, 'tpl: 1 build valid: qemu.vm');
  assert.not.ok(run.stderr.includes(SECRET) || run.stdout.includes(SECRET));
}));

test('validate: every problem at once, each at its place in the Packer files, the secret masked', withProject('  boot_wait = "10 seconds"\n  disk_sizee = 4096\n  http_port_max = "x"\n', async (dir) => {
  await rm(join(dir, 'scripts', 'b.sh'));
  const run = await runKiln(['validate', 'tpl'], { cwd: dir, env: { PKR_VAR_password: SECRET } });
  assert.is(run.code, 2, run.stderr);
  const lines = run.stderr.split('\n');
  const at = (line: number) => lines.find((l) => l.startsWith(`tpl/sources.pkr.hcl:${line}:`)) ?? '';
  assert.match(at(12), /disk_sizee.*did you mean "disk_size"/, run.stderr);
  assert.match(at(11), /10 seconds/, run.stderr);
  // kiln's own check (a script that does not exist) points at the scripts attribute.
  assert.match(at(20), /qemu\.vm: .*scripts\/b\.sh does not exist: .*the working directory, as in Packer/, run.stderr);
  assert.not.ok(run.stderr.includes(SECRET), 'the sensitive value was printed');
}));

test('validate: -only that matches nothing names the builds there are', withProject('', async (dir) => {
  const run = await runKiln(['validate', '-only=virtualbox-iso.*', 'tpl'], { cwd: dir, env: { PKR_VAR_password: SECRET } });
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, 'qemu.vm');
}));

test('inspect: variables, builds and settings, sensitive ones masked', withProject('', async (dir) => {
  const run = await runKiln(['inspect', '-var', 'memory=4096', 'tpl'], { cwd: dir, env: { PKR_VAR_password: SECRET } });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, 'var.memory = 4096');
  assert.match(run.stdout, 'var.password = <sensitive>');
  assert.match(run.stdout, /qemu\.vm: source qemu/);
  assert.match(run.stdout, /ssh_password = "<sensitive>"/);
  assert.match(run.stdout, /shell \(.*sources\.pkr\.hcl:15\)/);
  assert.not.ok(run.stdout.includes(SECRET));
}));

test('import: kiln.yaml that kiln validates, paths rebased, notes as comments, secrets left out as sensitive variables', withProject('  headless = true\n', async (dir) => {
  const run = await runKiln(['import', '--out', 'kiln', 'tpl'], { cwd: dir, env: { PKR_VAR_password: SECRET } });
  assert.is(run.code, 0, run.stderr);
  const written = await readFile(join(dir, 'kiln', 'kiln.yaml'), 'utf8');
  assert.not.ok(written.includes(SECRET), 'the secret was written');
  assert.match(written, /^# kiln template imported from tpl \(build qemu\.vm\)/);
  assert.match(written, 'secret_1');
  assert.match(written, 'directory: ../tpl/http');
  assert.match(written, 'script: ../scripts/a.sh');
  assert.match(written, /^#\s+tpl\/sources\.pkr\.hcl:11: headless is ignored/m);
  const check = await runKiln(['validate', 'kiln/kiln.yaml', '--var', `secret_1=${SECRET}`], { cwd: dir });
  assert.is(check.code, 0, `${check.stderr}\n--- kiln.yaml ---\n${written}`);
  const again = await runKiln(['import', '--out', 'kiln', 'tpl'], { cwd: dir, env: { PKR_VAR_password: SECRET } });
  assert.is(again.code, 2, 'an existing kiln.yaml is kept without --force');
  assert.ok(existsSync(join(dir, 'kiln', 'kiln.yaml')));
}));

test('a legacy JSON template: an unknown template function at its line and column, with did-you-mean', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-packer-json-'));
  try {
    await writeFile(join(dir, 'x.iso'), '');
    const json = {
      variables: { iso: 'x.iso' },
      builders: [{ type: 'qemu', iso_url: '{{user `iso`}}', iso_checksum: 'none', ssh_username: 'kiln', shutdown_command: 'sudo poweroff', output_directory: 'out-{{ lowr build_name }}' }],
    };
    await writeFile(join(dir, 'packer.json'), JSON.stringify(json, null, 2));
    const run = await runKiln(['validate', 'packer.json'], { cwd: dir });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /^packer\.json:\d+:\d+: .*lowr.*did you mean "lower"/m);
    json.builders[0]!.output_directory = 'out-{{ lower build_name }}';
    await writeFile(join(dir, 'packer.json'), JSON.stringify(json, null, 2));
    const fixed = await runKiln(['validate', 'packer.json'], { cwd: dir });
    assert.is(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, '1 build valid: qemu');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
