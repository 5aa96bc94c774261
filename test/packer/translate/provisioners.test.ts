// Packer provisioners -> kiln's provision list.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PackerValue, PluginConfig } from '../../../lib/packer/model.js';
import { translateBuild } from '../../../lib/packer/translate/translate-build.js';
import { assertOriginsMatch, block, lineOf, MINIMAL_QEMU, packerBuild, schemaFindingsToday } from './packer-build.js';

const PACKER_ENV = { PACKER_BUILDER_TYPE: 'qemu', PACKER_BUILD_NAME: 'vm' };

function translate(provisioners: PluginConfig[], source: Record<string, PackerValue> = MINIMAL_QEMU) {
  const translation = translateBuild(packerBuild(block('qemu', source), provisioners));
  assertOriginsMatch(translation.document, translation.origins);
  if (!translation.problems.length) assert.equal(schemaFindingsToday(translation.document), []);
  return { ...translation, provision: translation.document.provision as Record<string, Record<string, unknown>>[] | undefined };
}

test('shell inline with every option kiln takes', () => {
  const shell = block('shell', {
    inline: ['apt-get update', 'apt-get -y upgrade'],
    environment_vars: ['DEBIAN_FRONTEND=noninteractive', 'EMPTY=', 'A=b=c', '__proto__=plain'],
    env: { FROM_ENV: 'yes', A: 'wins' },
    execute_command: "echo 'vagrant' | sudo -S sh -c '{{ .Vars }} {{ .Path }}'",
    inline_shebang: '/bin/bash -e',
    valid_exit_codes: [0, 2300218],
    pause_before: '10s',
    pause_after: '5s',
    max_retries: 3,
    timeout: '5m',
    remote_folder: '/var/tmp',
    remote_path: '/var/tmp/script.sh',
    skip_clean: true,
    start_retry_timeout: '10m',
    expect_disconnect: true,
  });
  const { provision, problems, notes } = translate([shell]);
  assert.equal(problems, []);
  assert.equal(notes, []);
  assert.equal(provision, [
    {
      shell: {
        inline: ['apt-get update', 'apt-get -y upgrade'],
        env: Object.fromEntries([...Object.entries(PACKER_ENV), ['DEBIAN_FRONTEND', 'noninteractive'], ['EMPTY', ''], ['A', 'wins'], ['__proto__', 'plain'], ['FROM_ENV', 'yes']]),
        execute_command: "echo 'vagrant' | sudo -S sh -c '{{ .Vars }} {{ .Path }}'",
        inline_shebang: '/bin/bash -e',
        valid_exit_codes: [0, 2300218],
        pause_before: '10s',
        pause_after: '5s',
        max_retries: 3,
        timeout: '5m',
        remote_folder: '/var/tmp',
        remote_path: '/var/tmp/script.sh',
        skip_clean: true,
        start_retry_timeout: '10m',
        expect_disconnect: true,
      },
    },
  ]);
});

test('the guest sees PACKER_HTTP_ADDR when the build serves HTTP, as under Packer', () => {
  const { provision } = translate([block('shell', { script: 'a.sh' })], { ...MINIMAL_QEMU, http_directory: 'http' });
  assert.equal(provision?.[0]?.shell?.env, { ...PACKER_ENV, PACKER_HTTP_ADDR: '{{ .HTTPIP }}:{{ .HTTPPort }}', PACKER_HTTP_IP: '{{ .HTTPIP }}', PACKER_HTTP_PORT: '{{ .HTTPPort }}' });
});

test('scripts: one entry per script, each with the options, and later provisioners numbered after them', () => {
  const scripts = block('shell', { scripts: ['a.sh', 'b.sh', 'c.sh'], expect_disconnect: true, environment_vars: ['X=1'] });
  const after = block('shell', { inline: ['echo done'] });
  const { provision, origins } = translate([scripts, after]);
  const options = { expect_disconnect: true, env: { ...PACKER_ENV, X: '1' } };
  assert.equal(provision, [
    { shell: { ...options, script: 'a.sh' } },
    { shell: { ...options, script: 'b.sh' } },
    { shell: { ...options, script: 'c.sh' } },
    { shell: { env: PACKER_ENV, inline: ['echo done'] } },
  ]);
  assert.is(origins.get('provision[2].shell.expect_disconnect')?.line, lineOf(scripts, 'expect_disconnect'));
  assert.is(origins.get('provision[2].shell.script')?.line, lineOf(scripts, 'scripts'));
  assert.is(origins.get('provision[3].shell.inline')?.line, lineOf(after, 'inline'));
});

test('shell: body keys checked, bad values at their key', () => {
  const cases: [Record<string, PackerValue>, 'note' | 'problem', string, RegExp][] = [
    [{ inline: ['true'], script: 'a.sh' }, 'problem', 'script', /shell provisioner: give exactly one of inline, script, scripts/],
    [{ expect_disconnect: true }, 'problem', '', /give exactly one of inline, script, scripts/],
    [{ script: 'a.sh', environment_vars: ['NOEQUALS'] }, 'problem', 'environment_vars', /"NOEQUALS" is not NAME=value/],
    [{ script: 'a.sh', valid_exit_codes: ['zero'] }, 'problem', 'valid_exit_codes', /expected a number, got "zero"/],
    [{ script: 'a.sh', pause_before: 'soon' }, 'problem', 'pause_before', /not a duration/],
    [{ script: 'a.sh', remote_file: 'x.sh' }, 'note', 'remote_file', /remote_file is ignored/],
    [{ script: 'a.sh', sudo: true }, 'problem', 'sudo', /not a key of the shell provisioner that kiln knows/],
  ];
  for (const [settings, kind, key, message] of cases) {
    const shell = block('shell', settings);
    const { notes, problems } = translate([shell]);
    const found = kind === 'note' ? notes : problems;
    const line = key ? lineOf(shell, key) : shell.pos.line;
    assert.ok(found.some((n) => n.pos.line === line && message.test(n.message)), `${JSON.stringify(settings)}: ${JSON.stringify(found)}`);
    if (kind === 'note') assert.equal(problems, []);
  }
});

test('file: source or sources, destination, direction', () => {
  const upload = block('file', { source: 'files/', destination: '/etc/app' });
  const download = block('file', { source: '/var/log/installer.log', destination: 'logs/', direction: 'download' });
  const many = block('file', { sources: ['a.conf', 'b.conf'], destination: '/etc/' });
  const { provision, problems } = translate([upload, download, many]);
  assert.equal(problems, []);
  assert.equal(provision, [
    { file: { source: 'files/', destination: '/etc/app' } },
    { file: { source: '/var/log/installer.log', destination: 'logs/', direction: 'download' } },
    { file: { source: 'a.conf', destination: '/etc/' } },
    { file: { source: 'b.conf', destination: '/etc/' } },
  ]);
});

test('file: content is refused, generated noted', () => {
  const content = block('file', { content: 'hello', destination: '/tmp/x' });
  const generated = block('file', { source: 'out.txt', destination: '/tmp/', generated: true });
  const { notes, problems } = translate([content, generated]);
  assert.equal(problems.map((p) => p.pos.line), [lineOf(content, 'content')]);
  assert.ok(notes.some((n) => n.pos.line === lineOf(generated, 'generated')));
});

test('ansible: image-builder\'s block as Packer writes it, with what kiln does instead of the proxy noted', () => {
  const ansible = block('ansible', {
    playbook_file: 'ansible/node.yml',
    user: 'builder',
    ansible_env_vars: ['ANSIBLE_SSH_ARGS=-o ControlMaster=no', 'ANSIBLE_REMOTE_TEMP=/tmp/.ansible/'],
    extra_arguments: ['--extra-vars', '@vars.json', '--scp-extra-args', '-O'],
    groups: ['node'],
    host_alias: 'node-1',
    galaxy_file: 'requirements.yml',
    roles_path: 'roles',
    limit: 'node-1',
    use_proxy: false,
    ansible_ssh_extra_args: ['-o IdentitiesOnly=yes'],
    pause_before: '5s',
    max_retries: 1,
    timeout: '1h',
  });
  const { provision, problems, notes } = translate([ansible]);
  assert.equal(problems, []);
  assert.equal(provision, [
    {
      ansible: {
        playbook_file: 'ansible/node.yml',
        user: 'builder',
        ansible_env_vars: { ANSIBLE_SSH_ARGS: '-o ControlMaster=no', ANSIBLE_REMOTE_TEMP: '/tmp/.ansible/' },
        extra_arguments: ['--extra-vars', '@vars.json', '--scp-extra-args', '-O', '--limit', 'node-1'],
        groups: ['node'],
        host_alias: 'node-1',
        galaxy_file: 'requirements.yml',
        roles_path: 'roles',
        pause_before: '5s',
        max_retries: 1,
        timeout: '1h',
      },
    },
  ]);
  assert.equal(notes.map((n) => n.pos.line), [lineOf(ansible, 'use_proxy'), lineOf(ansible, 'ansible_ssh_extra_args')]);
});

test('ansible-local: playbook_files as a list, Packer\'s comma-separated inventory_groups as a list', () => {
  const local = block('ansible-local', {
    playbook_files: ['site.yml', 'k8s.yml'],
    playbook_dir: 'ansible',
    role_paths: ['roles/base'],
    group_vars: 'ansible/group_vars',
    inventory_groups: 'web, db',
    staging_directory: '/tmp/ansible',
    clean_staging_directory: true,
    extra_arguments: ['-v'],
  });
  const { provision, problems } = translate([local]);
  assert.equal(problems, []);
  assert.equal(provision, [
    {
      'ansible-local': {
        playbook_file: ['site.yml', 'k8s.yml'],
        playbook_dir: 'ansible',
        role_paths: ['roles/base'],
        group_vars: 'ansible/group_vars',
        inventory_groups: ['web', 'db'],
        staging_directory: '/tmp/ansible',
        clean_staging_directory: true,
        extra_arguments: ['-v'],
      },
    },
  ]);
});

test('shell-local and breakpoint provisioners; file takes pause_before, max_retries and timeout', () => {
  const local = block('shell-local', { command: 'date > started', environment_vars: ['A=1'], env: { B: '2' }, timeout: '1m' });
  const pause = block('breakpoint', { note: 'look', disable: true });
  const copy = block('file', { source: 'a', destination: '/a', pause_before: '2s', max_retries: 2, timeout: '30s' });
  const { provision, problems } = translate([local, pause, copy]);
  assert.equal(problems, []);
  assert.equal(provision, [
    { 'shell-local': { inline: ['date > started'], env: { A: '1', B: '2' }, timeout: '1m' } },
    { breakpoint: { note: 'look', disable: true } },
    { file: { source: 'a', destination: '/a', pause_before: '2s', max_retries: 2, timeout: '30s' } },
  ]);
});

test('problems at their keys, all at once: an inventory file, playbook_paths, both playbook keys, other provisioner kinds', () => {
  const ansible = block('ansible', { playbook_file: 'site.yml', inventory_file: 'hosts' }, 'config');
  const local = block('ansible-local', { playbook_file: 'a.yml', playbook_files: ['b.yml'], playbook_paths: ['more'] });
  const powershell = block('powershell', { inline: ['Get-Date'] });
  const { problems } = translate([ansible, local, powershell]);
  assert.equal(problems.map((p) => [p.pos.line, p.message.split(':')[0]]), [
    [lineOf(ansible, 'inventory_file'), 'inventory_file'],
    [lineOf(local, 'playbook_paths'), 'playbook_paths'],
    [lineOf(local, 'playbook_files'), 'ansible-local provisioner'],
    [powershell.pos.line, 'powershell provisioner'],
  ]);
});

test.run();

test('Packer\'s build variables become kiln placeholders or the template\'s own values; one kiln lacks is a problem at its key', () => {
  const shell = block('shell', {
    inline: ['curl http://{{ build `PackerHTTPAddr` }}/x', 'echo {{ build `User` }}@{{ build "Host" }}', 'echo {{ build `Port` }}'],
  });
  const { provision, problems } = translate([shell]);
  const inline = (provision?.[0]?.shell as { inline: string[] }).inline;
  assert.equal(inline.slice(0, 2), ['curl http://{{ .HTTPIP }}:{{ .HTTPPort }}/x', `echo ${String(MINIMAL_QEMU.ssh_username)}@127.0.0.1`]);
  assert.is(problems.length, 1);
  assert.match(problems[0]!.message, /provision\[0\]\.shell\.inline\[2\]: \{\{ build `Port` \}\}: kiln has no value for Packer's build variable Port/);
  assert.is(problems[0]!.pos.line, lineOf(shell, 'inline'));
});
