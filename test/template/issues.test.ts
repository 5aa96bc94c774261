// Every class of template problem: the issue's key path, message and line:column.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { issuesOf, lines, removeScratch, scratch } from './scratch.js';

/** Top-level keys every template needs, appended after the case so its line numbers start at 1. */
const BASE: Record<string, string> = {
  name: 'name: t',
  source: 'source: { iso: { url: x.iso, checksum: none } }',
  ssh: 'ssh: { username: u }',
};

function template(body: string): string {
  const missing = Object.entries(BASE).filter(([key]) => !new RegExp(`^${key}:`, 'm').test(body));
  return body + missing.map(([, line]) => `${line}\n`).join('');
}

interface Case {
  name: string;
  body: string;
  path: string;
  message: RegExp;
  /** [line, column], or undefined when the issue has no position. */
  at?: [number, number];
  files?: Record<string, string>;
  /** Do not append the BASE keys. */
  bare?: boolean;
}

const cases: Case[] = [
  // unknown keys, with and without a suggestion
  { name: 'unknown top-level key', body: lines('machne:', '  cpus: 2'), path: 'machne', message: /^unknown key "machne": did you mean "machine"\?$/, at: [1, 1] },
  { name: 'unknown nested key', body: lines('machine:', '  cpuz: 2'), path: 'machine.cpuz', message: /did you mean "cpus"\?/, at: [2, 3] },
  { name: 'unknown key, nothing close', body: lines('boot:', '  zzzzzz: 1'), path: 'boot.zzzzzz', message: /unknown key "zzzzzz": remove it \(known keys here: wait, key_interval, command\)/, at: [2, 3] },
  { name: 'unknown key in a variable', body: lines('variables:', '  pw: { defualt: x }'), path: 'variables.pw.defualt', message: /did you mean "default"\?/, at: [2, 9] },
  { name: 'unknown key in cloud_init', body: lines('cloud_init:', '  userdata: {}'), path: 'cloud_init.userdata', message: /did you mean "user_data"\?/, at: [2, 3] },
  { name: 'unknown key in a provisioner', body: lines('provision:', '  - shell: { inline: [x], sudoo: true }'), path: 'provision[0].shell.sudoo', message: /did you mean "sudo"\?/, at: [2, 27] },
  // types, enums, ranges, patterns
  { name: 'bad name', body: lines('name: Debian 12'), path: 'name', message: /"Debian 12" is not valid here: expected a lowercase name like debian-12/, at: [1, 7] },
  { name: 'bad hypervisor', body: lines('hypervisor: qemuu'), path: 'hypervisor', message: /"qemuu" is not one of qemu, virtualbox: did you mean "qemu"\?/, at: [1, 13] },
  { name: 'cpus not a number', body: lines('machine:', '  cpus: two'), path: 'machine.cpus', message: /expected a number of CPUs, got "two"/, at: [2, 9] },
  { name: 'cpus zero', body: lines('machine:', '  cpus: 0'), path: 'machine.cpus', message: /0 is out of range: must be at least 1/, at: [2, 9] },
  { name: 'ssh port out of range', body: lines('ssh:', '  username: u', '  port: 70000'), path: 'ssh.port', message: /must be at most 65535/, at: [3, 9] },
  { name: 'firmware enum', body: lines('machine: { firmware: uefi }'), path: 'machine.firmware', message: /"uefi" is not one of bios, efi: did you mean "efi"\?/, at: [1, 22] },
  { name: 'accel enum', body: lines('machine: { accel: kvmm }'), path: 'machine.accel', message: /not one of auto, kvm, hvf, whpx, tcg: did you mean "kvm"\?/, at: [1, 19] },
  { name: 'format enum', body: lines('output:', '  formats: [qcow2, qcow]'), path: 'output.formats[1]', message: /"qcow" is not one of qcow2, raw, vmdk, vmdk-stream, vdi, vhdx, vhd, gce, ova: did you mean "qcow2"\?/, at: [2, 20] },
  { name: 'a cloud format misspelt', body: lines('output:', '  formats: [vmdk-steam]'), path: 'output.formats[0]', message: /did you mean "vmdk-stream"\?/, at: [2, 13] },
  { name: 'duplicate format', body: lines('output:', '  formats: [qcow2, raw, qcow2]'), path: 'output.formats[2]', message: /"qcow2" is listed twice/, at: [2, 25] },
  { name: 'no formats', body: lines('output: { formats: [] }'), path: 'output.formats', message: /must not be empty/, at: [1, 20] },
  { name: 'vagrant provider', body: lines('output:', '  vagrant: { provider: vmware }'), path: 'output.vagrant.provider', message: /not one of libvirt, virtualbox/, at: [2, 24] },
  { name: 'number where text is wanted', body: lines('ssh:', '  username: u', '  password: 1234'), path: 'ssh.password', message: /expected a password .*, got 1234 \(quote it: "1234"\)/, at: [3, 13] },
  { name: 'boolean not a boolean', body: lines('output: { compress: yes }'), path: 'output.compress', message: /expected true or false, got "yes"/, at: [1, 21] },
  { name: 'template not a mapping', body: '- a\n- b\n', bare: true, path: '', message: /expected a mapping with name, source, ssh/, at: [1, 1] },
  // required keys and exactly-one-of
  { name: 'ssh missing', body: lines('name: t', 'source: { iso: { url: x.iso, checksum: none } }'), bare: true, path: '', message: /missing required key "ssh": add a mapping with a username, or none/, at: [1, 1] },
  { name: 'ssh without username', body: lines('ssh:', '  password: x'), path: 'ssh', message: /missing required key "username": add the login user/, at: [1, 1] },
  { name: 'ssh a bad string', body: lines('ssh: nope'), path: 'ssh', message: /"nope" is not valid here: expected a mapping with a username, or none/, at: [1, 6] },
  { name: 'checksum missing', body: lines('source:', '  iso:', '    url: x.iso'), path: 'source.iso', message: /missing required key "checksum": add sha256:<hex>/, at: [2, 3] },
  { name: 'iso and disk', body: lines('source:', '  iso: { url: a, checksum: none }', '  disk: { url: b, checksum: none }'), path: 'source', message: /expected exactly one of iso or disk, found iso and disk/, at: [2, 3] },
  { name: 'neither iso nor disk', body: lines('source: {}'), path: 'source', message: /expected exactly one of iso or disk, found none/, at: [1, 9] },
  { name: 'no url', body: lines('source:', '  iso:', '    checksum: none'), path: 'source.iso', message: /missing "url": give url .*, urls .* or path/, at: [2, 3] },
  { name: 'url and urls', body: lines('source:', '  iso:', '    url: a.iso', '    urls: [b.iso]', '    checksum: none'), path: 'source.iso.urls', message: /give only one of url, urls or path \(found url, urls\)/, at: [4, 5] },
  { name: 'unsupported scheme', body: lines('source:', '  disk: { url: "ftp://h/x.img", checksum: none }'), path: 'source.disk.url', message: /unsupported URL scheme "ftp:" in "ftp:\/\/h\/x.img": use an http\(s\):\/\/ or file:\/\/ URL, or a local path/, at: [2, 16] },
  { name: 'a URL the fetcher could not parse', body: lines('source:', '  iso: { url: "http://[bad/x.iso", checksum: none }'), path: 'source.iso.url', message: /"http:\/\/\[bad\/x\.iso" is not a valid URL/, at: [2, 15] },
  { name: 'bad checksum', body: lines('source:', '  iso:', '    url: x.iso', '    checksum: sha256:abc'), path: 'source.iso.checksum', message: /sha256 checksum must be 64 hex digits, got 3 characters/, at: [4, 15] },
  { name: 'provisioner with two kinds', body: lines('provision:', '  - shell: { inline: [x] }', '    file: { source: a, destination: /b }'), path: 'provision[0]', message: /expected exactly one of shell, file.*, found shell and file/, at: [2, 5] },
  { name: 'inline and script', body: lines('provision:', '  - shell: { inline: [x], script: s.sh }'), path: 'provision[0].shell.script', message: /either inline or script, not both/, at: [2, 27], files: { 's.sh': '' } },
  { name: 'neither inline nor script', body: lines('provision:', '  - shell: { sudo: true }'), path: 'provision[0].shell', message: /missing "inline" or "script"/, at: [2, 5] },
  { name: 'empty inline', body: lines('provision:', '  - shell: { inline: [] }'), path: 'provision[0].shell.inline', message: /no commands/, at: [2, 22] },
  { name: 'bad env name', body: lines('provision:', '  - shell:', '      inline: [x]', '      env: { MY-VAR: 1 }'), path: 'provision[0].shell.env.MY-VAR', message: /"MY-VAR" is not a valid environment variable name/, at: [4, 14] },
  { name: 'file destination missing', body: lines('provision:', '  - file: { source: a }'), path: 'provision[0].file', message: /missing required key "destination": add a path in the guest/, at: [2, 5], files: { a: '' } },
  // shell options, file downloads, media, scoped placeholders
  { name: 'sudo beside execute_command', body: lines('provision:', '  - shell: { inline: [x], sudo: true, execute_command: "sh {{ .Path }}" }'), path: 'provision[0].shell.sudo', message: /put sudo in it .* and remove sudo/, at: [2, 27] },
  { name: 'execute_command that never runs the script', body: lines('provision:', '  - shell: { inline: [x], execute_command: "true" }'), path: 'provision[0].shell.execute_command', message: /put \{\{ \.Path \}\} where the script goes/, at: [2, 44] },
  { name: 'relative remote_folder', body: lines('provision:', '  - shell: { inline: [x], remote_folder: tmp }'), path: 'provision[0].shell.remote_folder', message: /absolute path in the guest/, at: [2, 42] },
  { name: 'bad pause_before', body: lines('provision:', '  - shell: { inline: [x], pause_before: soon }'), path: 'provision[0].shell.pause_before', message: /"soon" is not a duration/, at: [2, 41] },
  { name: '{{ .Vars }} outside execute_command', body: lines('provision:', '  - shell: { inline: ["echo {{ .Vars }}"] }'), path: 'provision[0].shell.inline[0]', message: /\{\{ \.Vars \}\} only has a value in a shell provisioner's execute_command/, at: [2, 29] },
  { name: 'download destination missing on the host', body: lines('provision:', '  - file: { source: /var/log/x, destination: logs/x, direction: download }'), path: 'provision[0].file.destination', message: /logs\/x does not exist/, at: [2, 46] },
  { name: 'cd label too long', body: lines('cd:', `  label: ${'L'.repeat(33)}`), path: 'cd.label', message: /a cd label holds at most 32/, at: [2, 10] },
  { name: 'cd file as a pattern', body: lines('cd: { files: ["ks/*.cfg"] }'), path: 'cd.files[0]', message: /not patterns/, at: [1, 15] },
  { name: 'cd file missing', body: lines('cd: { files: [ks.cfg] }'), path: 'cd.files[0]', message: /ks\.cfg does not exist/, at: [1, 15] },
  { name: 'floppy on q35', body: lines('machine: { qemu: { machine: q35 } }', 'floppy: { content: { a: b } }'), path: 'floppy', message: /has no floppy controller/, at: [2, 1] },
  // sizes and durations
  { name: 'bad memory size', body: lines('machine:', '  memory: 2X'), path: 'machine.memory', message: /"2X" is not a size: write a size like 512M/, at: [2, 11] },
  { name: 'memory not whole MiB', body: lines('machine:', '  memory: 1.5M'), path: 'machine.memory', message: /whole number of MiB/, at: [2, 11] },
  { name: 'disk too small', body: lines('machine:', '  disk: 512K'), path: 'machine.disk', message: /"512K" is too small: give at least 1M/, at: [2, 9] },
  { name: 'bad duration', body: lines('boot:', '  wait: soon'), path: 'boot.wait', message: /"soon" is not a duration: write a duration like .*, or auto/, at: [2, 9] },
  { name: 'bare number duration', body: lines('ssh:', '  username: u', '  timeout: 30'), path: 'ssh.timeout', message: /^expected a duration like 500ms, 10s or 1m30s, got 30$/, at: [3, 12] },
  { name: 'zero timeout', body: lines('shutdown:', '  timeout: 0s'), path: 'shutdown.timeout', message: /must be longer than 0/, at: [2, 12] },
  // cross-key rules
  { name: 'ssh none with provisioners', body: lines('ssh: none', 'provision:', '  - shell: { inline: [x] }'), path: 'provision', message: /provisioners run over SSH, but ssh is none/, at: [2, 1] },
  { name: 'ssh none with a shutdown command', body: lines('ssh: none', 'shutdown: { command: poweroff }'), path: 'shutdown.command', message: /runs over SSH, but ssh is none: remove it, or write none/, at: [2, 22] },
  { name: 'http path without a slash', body: lines('http:', '  content:', '    ks.cfg: x'), path: 'http.content["ks.cfg"]', message: /URL path "ks.cfg" must start with "\/": write "\/ks.cfg"/, at: [3, 5] },
  { name: 'bad variable name', body: lines('variables:', '  "my var": x'), path: 'variables["my var"]', message: /not a valid variable name/, at: [2, 3] },
  // paths that must exist
  { name: 'http directory missing', body: lines('http: { directory: www }'), path: 'http.directory', message: /\/www does not exist: fix the path/, at: [1, 20] },
  { name: 'http directory is a file', body: lines('http: { directory: www }'), path: 'http.directory', message: /\/www is not a directory/, at: [1, 20], files: { www: '' } },
  { name: 'script missing', body: lines('provision:', '  - shell: { script: scripts/x.sh }'), path: 'provision[0].shell.script', message: /scripts\/x\.sh does not exist/, at: [2, 22] },
  { name: 'script is a directory', body: lines('provision:', '  - shell: { script: scripts }'), path: 'provision[0].shell.script', message: /scripts is not a file/, at: [2, 22], files: { 'scripts/': '' } },
  { name: 'file source missing', body: lines('provision:', '  - file: { source: motd, destination: /etc/motd }'), path: 'provision[0].file.source', message: /motd does not exist/, at: [2, 21] },
  { name: 'private key missing', body: lines('ssh:', '  username: u', '  private_key: id_rsa'), path: 'ssh.private_key', message: /id_rsa does not exist/, at: [3, 16] },
  // expressions and variables
  { name: 'unknown placeholder', body: lines('http:', '  content:', '    /ks: "url={{ .HTTPIp }}"'), path: 'http.content["/ks"]', message: /unknown placeholder "\{\{ \.HTTPIp \}\}": did you mean "\{\{ \.HTTPIP \}\}"\?/, at: [3, 15] },
  { name: 'unclosed placeholder', body: lines('provision:', '  - shell: { inline: ["echo {{ .Name"] }'), path: 'provision[0].shell.inline[0]', message: /unclosed "\{\{"/, at: [2, 29] },
  { name: 'not a placeholder', body: lines('ssh:', '  username: "{{ whoami }}"'), path: 'ssh.username', message: /"\{\{ whoami \}\}" is not a placeholder/, at: [2, 14] },
  { name: 'placeholder in output.directory', body: lines('output:', '  directory: out/{{ .HTTPIP }}'), path: 'output.directory', message: /\{\{ \.HTTPIP \}\} is not known when the output directory is chosen/, at: [2, 18] },
  { name: 'variable without a value', body: lines('variables: { pw: }', 'ssh:', '  username: u', '  password: "x{{ var `pw` }}"'), path: 'ssh.password', message: /variable "pw" has no value: pass --var pw=\.\.\./, at: [4, 15] },
  { name: 'undeclared variable', body: lines('variables: { password: x }', 'ssh: { username: "{{ var `pasword` }}" }'), path: 'ssh.username', message: /variable "pasword" is not declared: did you mean "password"\?/, at: [2, 19] },
  { name: 'undeclared variable, nothing close', body: lines('name: "{{ var `zzz` }}"'), path: 'name', message: /variable "zzz" is not declared: add it under variables:/, at: [1, 8] },
  { name: 'variable value with a bad placeholder', body: lines('variables: { v: "{{ .Nope }}" }', 'http: { content: { /a: "{{ var `v` }}" } }'), path: 'http.content["/a"]', message: /the value of variable "v" has a bad placeholder/, at: [2, 25] },
  // post_process
  { name: 'unknown post-processor', body: lines('post_process:', '  - checksums: {}'), path: 'post_process[0].checksums', message: /^unknown key "checksums": did you mean "checksum"\?$/, at: [2, 5] },
  { name: 'post-processor kind typo', body: lines('post_process:', '  - shell_local: { inline: [x] }'), path: 'post_process[0].shell_local', message: /did you mean "shell-local"\?/, at: [2, 5] },
  { name: 'two post-processor kinds in one item', body: lines('post_process:', '  - checksum: {}', '    manifest: {}'), path: 'post_process[0]', message: /expected exactly one of checksum, manifest, shell-local or compress, found checksum and manifest/, at: [2, 5] },
  { name: 'compress format', body: lines('post_process:', '  - compress: { format: xz }'), path: 'post_process[0].compress.format', message: /"xz" is not one of tar\.gz, gz, zst/, at: [2, 25] },
  { name: 'gzip level above 9', body: lines('post_process:', '  - compress: { format: gz, level: 12 }'), path: 'post_process[0].compress.level', message: /12 is out of range for gz: gzip levels go from 1 to 9/, at: [2, 36] },
  { name: 'zstd level above 19', body: lines('post_process:', '  - compress: { format: zst, level: 22 }'), path: 'post_process[0].compress.level', message: /22 is out of range: must be at most 19/, at: [2, 37] },
  { name: 'compress output for per-file formats', body: lines('post_process:', '  - compress: { format: zst, output: a.tar.gz }'), path: 'post_process[0].compress.output', message: /only tar\.gz writes one archive: remove output/, at: [2, 30] },
  { name: 'compress output in a folder', body: lines('post_process:', '  - compress: { output: dist/a.tar.gz }'), path: 'post_process[0].compress.output', message: /expected an archive name in the output directory, ending in \.tar\.gz/, at: [2, 25] },
  { name: 'unknown checksum type', body: lines('post_process:', '  - checksum: { types: [sha256, sha521] }'), path: 'post_process[0].checksum.types[1]', message: /"sha521" is not one of sha256, sha512, md5, sha1: did you mean "sha512"\?/, at: [2, 33] },
  { name: 'checksum type twice', body: lines('post_process:', '  - checksum: { types: [md5, md5] }'), path: 'post_process[0].checksum.types[1]', message: /"md5" is listed twice/, at: [2, 30] },
  { name: 'empty checksum types', body: lines('post_process:', '  - checksum: { types: [] }'), path: 'post_process[0].checksum.types', message: /must not be empty/, at: [2, 24] },
  { name: 'unknown manifest key', body: lines('post_process:', '  - manifest: { strip_paths: true }'), path: 'post_process[0].manifest.strip_paths', message: /did you mean "strip_path"\?/, at: [2, 17] },
  { name: 'empty manifest output', body: lines('post_process:', '  - manifest:', '      output: ""'), path: 'post_process[0].manifest.output', message: /the path is empty/, at: [3, 15] },
  { name: 'shell-local with nothing to run', body: lines('post_process:', '  - shell-local: { env: { A: 1 } }'), path: 'post_process[0].shell-local', message: /missing "inline", "script" or "scripts"/, at: [2, 5] },
  { name: 'shell-local inline and script', body: lines('post_process:', '  - shell-local: { inline: [x], script: s.sh }'), path: 'post_process[0].shell-local.script', message: /give only one of inline, script or scripts \(found inline, script\)/, at: [2, 33], files: { 's.sh': '' } },
  { name: 'shell-local script missing', body: lines('post_process:', '  - shell-local:', '      script: post/x.sh'), path: 'post_process[0].shell-local.script', message: /post\/x\.sh does not exist/, at: [3, 15] },
  { name: 'shell-local scripts: the missing one', body: lines('post_process:', '  - shell-local:', '      scripts: [a.sh, b.sh]'), path: 'post_process[0].shell-local.scripts[1]', message: /b\.sh does not exist/, at: [3, 23], files: { 'a.sh': '' } },
  { name: 'shell-local bad env name', body: lines('post_process:', '  - shell-local:', '      inline: [x]', '      env: { 1X: a }'), path: 'post_process[0].shell-local.env["1X"]', message: /"1X" is not a valid environment variable name/, at: [4, 14] },
  { name: 'post_process not a list', body: lines('post_process: { checksum: {} }'), path: 'post_process', message: /expected a list of post-processors, got a mapping/, at: [1, 15] },
  // boot command syntax, located inside the string
  { name: 'boot command typo', body: lines('boot:', '  command:', '    - "<esc><wiat>"'), path: 'boot.command[0]', message: /<wiat>/, at: [3, 13] },
  { name: 'boot command typo, plain scalar', body: lines('boot:', '  command: [ab<entr>]'), path: 'boot.command[0]', message: /<entr>/, at: [2, 15] },
  { name: 'boot command typo, single string', body: lines("boot: { command: 'x<nope>' }"), path: 'boot.command', message: /<nope>/, at: [1, 20] },
  { name: 'boot command typo in the second line', body: lines('boot:', '  command:', '    - "<esc>"', '    - "ok<f13>"'), path: 'boot.command[1]', message: /<f13>/, at: [4, 10] },
  { name: 'boot command typo after a variable', body: lines('variables: { v: abcdef }', 'boot:', '  command: ["{{ var `v` }}<wiat>"]'), path: 'boot.command[0]', message: /<wiat>/, at: [3, 27] },
  { name: 'boot command typo in a block scalar', body: lines('boot:', '  command: |-', '    <esc><wiat>'), path: 'boot.command', message: /<wiat>/, at: [3, 10] },
  { name: 'placeholder in a block scalar', body: lines('http:', '  content:', '    /ks.cfg: |  # preseed', '      d-i a b', '', '      d-i url {{ .HTTPIp }}', '      d-i c d'), path: 'http.content["/ks.cfg"]', message: /did you mean "\{\{ \.HTTPIP \}\}"/, at: [6, 15] },
  { name: 'placeholder in a folded scalar: the scalar start', body: lines('http:', '  content:', '    /ks.cfg: >', '      d-i a b', '      d-i url {{ .HTTPIp }}'), path: 'http.content["/ks.cfg"]', message: /did you mean/, at: [3, 14] },
  { name: 'boot command escapes: the scalar start', body: lines('boot:', '  command: ["\\x41<wiat>"]'), path: 'boot.command[0]', message: /<wiat>/, at: [2, 13] },
];

test.after(removeScratch);

for (const c of cases) {
  test(c.name, async () => {
    const issues = await issuesOf(c.bare ? c.body : template(c.body), { files: c.files });
    const issue = issues.find((i) => i.path === c.path && c.message.test(i.message));
    assert.ok(issue, `no issue at ${c.path} matching ${c.message}; got:\n${issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n')}`);
    assert.equal(issue.line === undefined ? undefined : [issue.line, issue.column], c.at);
  });
}

test('every problem is reported at once, in file order', async () => {
  const issues = await issuesOf(
    lines('name: T', 'machne: {}', 'hypervisor: qemuu', 'boot: { wait: soon, command: "<wiat>" }', 'ssh: none', 'provision: [ { file: { source: a, destination: b } } ]', 'source: {}'),
    { files: { a: '' } },
  );
  assert.equal(
    issues.map((i) => [i.path, i.line, i.column]),
    [
      ['name', 1, 7],
      ['machne', 2, 1],
      ['hypervisor', 3, 13],
      ['boot.wait', 4, 15],
      ['boot.command', 4, 31],
      ['provision', 6, 1],
      ['source', 7, 9],
    ],
  );
});

test('a value with a missing variable is not also reported for its shape', async () => {
  const issues = await issuesOf(template(lines('variables: { key: }', 'ssh: { username: u, private_key: "{{ var `key` }}" }')));
  assert.equal(issues.map((i) => i.path), ['ssh.private_key']);
  assert.match(issues[0]!.message, /variable "key" has no value/);
});

test('--var for an undeclared variable is an issue with a suggestion', async () => {
  const issues = await issuesOf(template(lines('variables: { password: x }')), { vars: { pasword: 'y', zzz: 'z' } });
  assert.equal(issues, [
    { path: 'variables', message: '--var pasword is not declared in the template: did you mean "password"?' },
    { path: 'variables', message: '--var zzz is not declared in the template: declare it under variables: or fix the name' },
  ]);
});

test('var file problems are located in the var file', async () => {
  const dir = await scratch({ 'vars.yaml': lines('password: ok', 'pasword: typo', 'nested: { a: 1 }') });
  const issues = await issuesOf(template(lines('variables: { password: x, nested: y }')), { varFiles: [`${dir}/vars.yaml`] });
  assert.equal(issues, [
    { path: 'pasword', message: 'variable "pasword" is not declared in the template: did you mean "password"?', file: `${dir}/vars.yaml`, line: 2, column: 1 },
    { path: 'nested', message: 'variable "nested" must be a string, number or boolean (write "" for an empty value)', file: `${dir}/vars.yaml`, line: 3, column: 9 },
  ]);
});

test('a sensitive value never appears in an issue', async () => {
  const issues = await issuesOf(template(lines('variables: { pw: { default: Hunter 2, sensitive: true } }', 'name: "{{ var `pw` }}"')));
  assert.equal(issues.map((i) => i.path), ['name']);
  assert.not.match(issues[0]!.message, /Hunter 2/);
  assert.match(issues[0]!.message, /"<sensitive>" is not valid here/);
});

test('JSON templates are located too', async () => {
  const issues = await issuesOf('{\n  "name": "t",\n  "machne": {},\n  "source": {"iso": {"url": "x.iso", "checksum": "none"}},\n  "ssh": "none"\n}\n', { name: 'kiln.json' });
  assert.equal(issues, [{ path: 'machne', message: 'unknown key "machne": did you mean "machine"?', line: 3, column: 3 }]);
});

test.run();
