// End to end on real QEMU: one `kiln build` (one install of the fixture ISO) writes
// qcow2 + vmdk + vdi + ova + a libvirt Vagrant box after shrinking the disk, and post-processes
// them (SUMS files, a Packer manifest, a shell-local marker); then every output is checked with
// qemu-img, by content, by structure, and the box with real Vagrant and vagrant-libvirt's own
// box-image code.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { runKiln } from '../helpers/run-kiln.js';
import { GIB, MIB, parseSize } from '../../lib/util/size.js';
import { child, parseXml, type XmlElement } from '../export/xml.js';

const NAME = 'exp';
const JUNK_MIB = 48;

const TEMPLATE = `
name: ${NAME}
variables:
  iso: {}
source:
  iso: { url: "{{ var \`iso\` }}", checksum: none }
machine:
  cpus: 1
  memory: 512
  disk: 1G
  qemu: { cpu_level: x86-64-v2 }   # as the RHEL 9 boot-configs set it: the emulated CPU must have SSE4.2
  virtualbox: { os_type: Debian_64 }
http:
  content:
    /ks.cfg: |
      hostname ${NAME}
      user kiln
      authorized_key {{ .SSHPublicKey }}
boot:
  wait: 0s
  key_interval: 10ms           # the CI machine is shared: leave the guest time for each key
  command:
    - '<waitSerial "boot:">'
    - "install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>"
ssh: { username: kiln, timeout: 5m }
provision:
  # Blocks a deleted file leaves behind: shrinking must give them back.
  - shell:
      inline:
        - dd if=/dev/urandom of=/var/junk bs=1M count=${JUNK_MIB} 2>/dev/null
        - sync
        - rm /var/junk
        - echo exported > /etc/kiln-export-marker
      sudo: true
shutdown: { command: sudo shutdown -P now, timeout: 2m }
output:
  directory: out
  formats: [qcow2, vmdk, vdi, ova]
  vagrant: { provider: libvirt, vagrantfile: box.rb }
post_process:
  - checksum: { types: [sha256, sha512] }
  - manifest: { output: packer-manifest.json, custom_data: { suite: export-e2e } }
  - shell-local:
      inline:
        - echo "$KILN_BUILD_NAME $PACKER_BUILDER_TYPE $KILN_ARTIFACTS" > post-marker.txt
`;

const USER_VAGRANTFILE = 'Vagrant.configure("2") do |config|\n  config.vm.hostname = "from-kiln-e2e"\nend\n';

// vagrant-libvirt 0.11's own code reads the added box the way `vagrant up` would.
const LIBVIRT_PROBE = `
require 'vagrant'
require 'vagrant-libvirt'
require 'vagrant-libvirt/action/handle_box_image'
require 'ostruct'
box = Vagrant::Box.new(ARGV[1], :libvirt, '0', Pathname.new(ARGV[0]))
h = VagrantPlugins::ProviderLibvirt::Action::HandleBoxImage
format, size = h.get_box_disk_settings(h.get_box_image_path(box, 'box.img'))
puts({ 'format' => h.verify_box_format(box.metadata['format']), 'virtual_size' => h.get_virtual_size({ machine: OpenStruct.new(box: box) }).to_B,
       'image_format' => format, 'image_size' => size.to_B }.to_json)
`;

const sha256File = async (path: string) => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};
const qemuInfo = async (path: string) => JSON.parse((await execa('qemu-img', ['info', '--output=json', path])).stdout);
const rasd = (item: XmlElement, name: string) => child(item, `rasd:${name}`).text;

test('one build exports qcow2, vmdk, vdi, ova and a libvirt box that Vagrant accepts', async () => {
  const iso = await installerIso();
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-export-'));
  const vagrantHome = join(dir, 'vagrant-home');
  try {
    await writeFile(join(dir, 'kiln.yaml'), TEMPLATE);
    await writeFile(join(dir, 'box.rb'), USER_VAGRANTFILE);
    const begin = performance.now();
    // A private cache: nothing resumed from (or left in) the user's stage cache.
    const run = await runKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } });
    const buildSeconds = (performance.now() - begin) / 1000;
    const out = join(dir, 'out');
    const buildLog = await readFile(join(out, 'build.log'), 'utf8').catch(() => '');
    assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${buildLog}`);
    console.log(`    export e2e: kiln build took ${buildSeconds.toFixed(1)} s`);
    // Under TCG, cpu_level x86-64-v2 is qemu64 with what that level adds, nothing more.
    assert.match(buildLog, / -cpu qemu64,\+ssse3,\+sse4\.1,\+sse4\.2,\+popcnt -smp /);

    const files = (await readdir(out)).sort();
    for (const f of ['exp.qcow2', 'exp.vmdk', 'exp.vdi', 'exp.ova', 'exp.libvirt.box', 'manifest.json']) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    assert.not.ok(files.includes('.kiln-work'), 'work dir left behind');
    assert.not.ok(files.some((f) => f.endsWith('.partial')), `partial files: ${files.join(', ')}`);

    // Shrinking ran before shutdown and gave the deleted file's blocks back.
    const shrunk = /shrink: (.+); disk data (\S+) -> (\S+)/.exec(run.stderr);
    assert.ok(shrunk, `no shrink report in:\n${run.stderr}`);
    console.log(`    export e2e: ${shrunk![0]}`);
    assert.match(shrunk![1]!, /^\/ (trimmed|zeroed)/);
    const [before, after] = [parseSize(shrunk![2]!), parseSize(shrunk![3]!)];
    assert.ok(before !== undefined && after !== undefined, `sizes in the shrink report: ${shrunk![0]}`);
    assert.ok(before! - after! >= JUNK_MIB * 0.8 * MIB, `shrink freed too little: ${shrunk![0]}`);

    // Each image: its type, the virtual size, a clean check, and the same guest bytes as the qcow2.
    const qcow2 = join(out, 'exp.qcow2');
    for (const [file, format, createType] of [
      ['exp.qcow2', 'qcow2'],
      ['exp.vmdk', 'vmdk', 'monolithicSparse'],
      ['exp.vdi', 'vdi'],
    ] as const) {
      const info = await qemuInfo(join(out, file));
      assert.is(info.format, format, file);
      assert.is(info['virtual-size'], GIB, file);
      if (createType) assert.is(info['format-specific'].data['create-type'], createType);
      const check = await execa('qemu-img', ['check', '-f', format, join(out, file)], { reject: false });
      assert.is(check.exitCode, 0, `${file}: ${check.stdout}${check.stderr}`);
      if (file !== 'exp.qcow2') await execa('qemu-img', ['compare', '-f', 'qcow2', '-F', format, qcow2, join(out, file)]);
    }
    assert.is(await readGuestFile(join(out, 'exp.vdi'), '/etc/kiln-export-marker'), 'exported\n');

    // The manifest lists every output with its real hash, and the box checksum for Vagrant.
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.equal(
      manifest.files.map((f: { file: string; format: string }) => `${f.file}:${f.format}`),
      ['exp.qcow2:qcow2', 'exp.vmdk:vmdk', 'exp.vdi:vdi', 'exp.ova:ova', 'exp.libvirt.box:vagrant-libvirt'],
    );
    for (const f of manifest.files as { file: string; sha256: string }[]) assert.is(f.sha256, await sha256File(join(out, f.file)), f.file);
    const boxSha = await sha256File(join(out, 'exp.libvirt.box'));
    assert.equal(manifest.vagrant, { box: 'exp.libvirt.box', provider: 'libvirt', checksum_type: 'sha256', checksum: boxSha });
    assert.equal(manifest.shrink.filesystems, [{ mount: '/', outcome: shrunk![1]!.split(' ')[1] }]);
    assert.ok(manifest.shrink.before_bytes - manifest.shrink.after_bytes >= JUNK_MIB * 0.8 * MIB, 'manifest shrink figures');
    for (const step of ['shrink', 'export', 'vagrant-box', 'post-process']) {
      assert.ok(manifest.steps.some((s: { name: string; status: string }) => s.name === step && s.status === 'ok'), `step ${step}`);
    }
    assert.match(run.stderr, new RegExp(`exp\\.libvirt\\.box .*sha256:${boxSha}`), 'the box checksum is printed');

    // post_process: SUMS files the coreutils tools verify, a Packer manifest, the shell-local marker.
    const exported = ['exp.qcow2', 'exp.vmdk', 'exp.vdi', 'exp.ova', 'exp.libvirt.box'];
    for (const [tool, sums] of [['sha256sum', 'SHA256SUMS'], ['sha512sum', 'SHA512SUMS']] as const) {
      assert.ok(files.includes(sums), `${sums} missing from ${files.join(', ')}`);
      const checked = await execa(tool, ['-c', '--strict', sums], { cwd: out, reject: false });
      assert.is(checked.exitCode, 0, `${tool} -c ${sums}:\n${checked.stdout}${checked.stderr}`);
      assert.is(checked.stdout, exported.map((f) => `${f}: OK`).join('\n'));
    }
    const packer = JSON.parse(await readFile(join(dir, 'packer-manifest.json'), 'utf8'));
    assert.is(packer.builds.length, 1);
    const [build] = packer.builds;
    assert.equal(Object.keys(build), ['name', 'builder_type', 'build_time', 'files', 'artifact_id', 'packer_run_uuid', 'custom_data']);
    assert.is(build.name, NAME);
    assert.is(build.builder_type, 'qemu');
    assert.is(build.artifact_id, 'VM');
    assert.ok(Math.abs(build.build_time - Date.now() / 1000) < 3600, `build_time ${build.build_time}`);
    assert.equal(build.custom_data, { suite: 'export-e2e' });
    assert.is(packer.last_run_uuid, build.packer_run_uuid);
    assert.equal(
      build.files,
      (manifest.files as { file: string; bytes: number }[]).map((f) => ({ name: `out/${f.file}`, size: f.bytes })),
    );
    const marker = (await readFile(join(dir, 'post-marker.txt'), 'utf8')).trim();
    const [markerName, builderType, ...artifacts] = marker.split(' ');
    assert.equal([markerName, builderType], [NAME, 'qemu']);
    assert.equal(artifacts.map((a) => a.split('/').pop()), exported, marker);
    assert.ok(artifacts.every((a) => a.startsWith('/') && a.endsWith(`/out/${a.split('/').pop()}`)), marker);

    // OVA: descriptor first, disk, manifest; the hashes and the OVF fields.
    const ovaDir = join(dir, 'ova');
    await mkdir(ovaDir);
    const ovaList = (await execa('tar', ['tf', join(out, 'exp.ova')])).stdout.split('\n');
    assert.equal(ovaList, ['exp.ovf', 'exp-disk001.vmdk', 'exp.mf']);
    await execa('tar', ['xf', join(out, 'exp.ova'), '-C', ovaDir]);
    const mf = await readFile(join(ovaDir, 'exp.mf'), 'utf8');
    assert.is(mf, `SHA256(exp.ovf)= ${await sha256File(join(ovaDir, 'exp.ovf'))}\nSHA256(exp-disk001.vmdk)= ${await sha256File(join(ovaDir, 'exp-disk001.vmdk'))}\n`);
    const env = parseXml(await readFile(join(ovaDir, 'exp.ovf'), 'utf8'));
    assert.is(Number(child(child(env, 'DiskSection'), 'Disk').attributes['ovf:capacity']), GIB);
    const vs = child(env, 'VirtualSystem');
    assert.is(child(vs, 'OperatingSystemSection').attributes['ovf:id'], '96');
    const items = child(vs, 'VirtualHardwareSection').children.filter((c) => c.name === 'Item');
    const byType = (t: number) => items.find((i) => rasd(i, 'ResourceType') === String(t))!;
    assert.is(rasd(byType(3), 'VirtualQuantity'), '1');
    assert.is(rasd(byType(4), 'VirtualQuantity'), '512');
    const ovaDisk = join(ovaDir, 'exp-disk001.vmdk');
    assert.is((await qemuInfo(ovaDisk))['format-specific'].data['create-type'], 'streamOptimized');
    await execa('qemu-img', ['compare', '-f', 'qcow2', '-F', 'vmdk', qcow2, ovaDisk]);

    // The box: vagrant-libvirt's v1 layout, the qcow2 export as box.img, the user's Vagrantfile appended.
    const boxDir = join(dir, 'box');
    await mkdir(boxDir);
    const boxFile = join(out, 'exp.libvirt.box');
    // A plain tar: the qcow2 inside is compressed already, so gzip would only cost time (boxCompression).
    assert.equal((await readFile(boxFile)).subarray(0, 2).toString('hex') === '1f8b', false, 'the box was gzipped again');
    assert.equal((await execa('tar', ['tf', boxFile])).stdout.split('\n'), ['metadata.json', 'Vagrantfile', 'box.img']);
    await execa('tar', ['xf', boxFile, '-C', boxDir]);
    assert.equal(JSON.parse(await readFile(join(boxDir, 'metadata.json'), 'utf8')), { provider: 'libvirt', format: 'qcow2', virtual_size: 1 });
    assert.is(await sha256File(join(boxDir, 'box.img')), manifest.files[0].sha256, 'box.img is the qcow2 export');
    assert.ok((await readFile(join(boxDir, 'Vagrantfile'), 'utf8')).endsWith(USER_VAGRANTFILE));

    // Real Vagrant, in a private VAGRANT_HOME: add (verifying the checksum), list, inspect, remove.
    const env2 = { VAGRANT_HOME: vagrantHome, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' };
    const vagrant = (args: string[]) => execa('vagrant', args, { env: env2, reject: false, cwd: dir });
    const boxName = `kiln-e2e-${process.pid}`;
    const added = await vagrant(['box', 'add', '--name', boxName, '--provider', 'libvirt', '--checksum-type', 'sha256', '--checksum', boxSha, boxFile]);
    assert.is(added.exitCode, 0, `vagrant box add failed (is vagrant installed? fixtures/install-host-deps.sh):\n${added.stdout}\n${added.stderr}`);
    const listed = await vagrant(['box', 'list']);
    assert.ok(listed.stdout.split('\n').some((l) => l.trim() === `${boxName} (libvirt, 0)`), listed.stdout);
    const probe = await execa('ruby', ['-e', LIBVIRT_PROBE, join(vagrantHome, 'boxes', boxName, '0', 'libvirt'), boxName], { env: env2 });
    assert.equal(JSON.parse(probe.stdout.trim().split('\n').pop()!), { format: 'qcow2', virtual_size: GIB, image_format: 'qcow2', image_size: GIB });
    const removed = await vagrant(['box', 'remove', boxName, '--provider', 'libvirt']);
    assert.is(removed.exitCode, 0, removed.stderr);
    assert.not.ok((await vagrant(['box', 'list'])).stdout.includes(boxName));
    assert.not.ok(existsSync(join(vagrantHome, 'boxes', boxName, '0')), 'box files left in VAGRANT_HOME');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
