// A template in the style of kubernetes-sigs/image-builder's packer/qemu/packer.json
// (written for these tests), loaded with a var file and -var as `packer build` would
// be run on it, down to the PackerBuild values kiln translates.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadLegacyJson } from '../../../lib/packer/legacy-json/load-legacy-json.js';
import type { PackerBuild, PackerInputs, PluginConfig } from '../../../lib/packer/model.js';
import { removeScratch, scratch } from '../../helpers/scratch-dir.js';
import { at } from './text-position.js';

test.after(removeScratch);

const TEMPLATE = `{
  "_comment": "image-builder style, written for kiln's tests",
  "min_packer_version": "1.6.0",
  "variables": {
    "build_name": null,
    "distro_name": "debian",
    "kubernetes_semver": null,
    "kubernetes_rpm_version": "1.30.2-150500.1.1",
    "accelerator": "kvm",
    "boot_media_path": "http://{{ .HTTPIP }}:{{ .HTTPPort }}",
    "boot_command_prefix": "<esc><wait>linux ds=nocloud-net;s=",
    "vm_name": "{{user \`build_name\`}}-kube-{{user \`kubernetes_semver\`}}",
    "output_directory": "./output/{{user \`vm_name\`}}",
    "http_directory": "./packer/qemu/linux/{{user \`distro_name\`}}/http/",
    "ansible_ssh_args": "{{env \`ANSIBLE_SSH_ARGS\`}}",
    "ssh_password": "{{ uuid }}",
    "ssh_username": "builder",
    "headless": true,
    "cpus": 2
  },
  "sensitive-variables": ["ssh_password"],
  "builders": [
    {
      "type": "qemu",
      "accelerator": "{{user \`accelerator\`}}",
      "boot_command": ["{{user \`boot_command_prefix\`}}", "{{user \`boot_media_path\`}}/<enter>"],
      "cpus": "{{user \`cpus\`}}",
      "headless": "{{user \`headless\`}}",
      "http_directory": "{{user \`http_directory\`}}",
      "qemuargs": [["-m", "2048M"], ["-smbios", "type=1,serial=ds=nocloud-net;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/"]],
      "shutdown_command": "echo '{{user \`ssh_password\`}}' | sudo -S shutdown -P now",
      "ssh_password": "{{user \`ssh_password\`}}",
      "ssh_username": "{{user \`ssh_username\`}}",
      "vm_name": "{{user \`vm_name\`}}",
      "output_directory": "{{user \`output_directory\`}}",
      "disk_size": 20480
    },
    {
      "name": "qemu-efi",
      "type": "qemu",
      "firmware": "/usr/share/OVMF/OVMF_CODE.fd",
      "vm_name": "{{build_name}}-{{user \`kubernetes_semver\`}}"
    }
  ],
  "provisioners": [
    {
      "type": "shell",
      "execute_command": "echo '{{user \`ssh_password\`}}' | {{.Vars}} sudo -S -E bash '{{.Path}}'",
      "inline": ["echo {{build_name}} {{build_type}}", "echo ANSIBLE_SSH_ARGS='{{user \`ansible_ssh_args\`}}'"],
      "pause_before": "10s",
      "override": { "qemu-efi": { "execute_command": "sudo {{.Vars}} bash '{{.Path}}'" } }
    },
    {
      "type": "shell",
      "only": ["qemu"],
      "script": "{{template_dir}}/scripts/bios.sh",
      "environment_vars": [
        "KUBERNETES_VERSION={{user \`kubernetes_semver\` | replace \\"v\\" \\"\\" 1}}",
        "RPM={{ split (user \`kubernetes_rpm_version\`) \\"-\\" 0 }}"
      ]
    },
    { "type": "file", "except": ["qemu"], "source": "efi.cfg", "destination": "/tmp/efi.cfg" }
  ],
  "post-processors": [
    [
      { "type": "compress", "output": "{{user \`output_directory\`}}/{{build_name}}.tar.gz", "keep_input_artifact": true },
      { "type": "vagrant", "name": "box", "output": "{{ .Provider }}-{{build_name}}.box", "only": ["qemu"] }
    ],
    "checksum",
    { "type": "shell-local", "name": "publish", "inline": ["echo {{user \`vm_name\`}}"] }
  ]
}
`;

const VAR_FILE = '{\n  "build_name": "ubuntu-2204",\n  "kubernetes_semver": "v1.30.2",\n  "distro_name": "ubuntu"\n}\n';
const UUID = '0b7f5e2c-1d2e-4a5b-8c9d-0e1f2a3b4c5d';

async function load(inputs: Partial<PackerInputs> = {}) {
  const dir = await scratch({ 'packer/qemu/packer.json': TEMPLATE, 'vars/ubuntu-2204.json': VAR_FILE }, 'kiln-legacy-');
  const template = await loadLegacyJson(join(dir, 'packer/qemu/packer.json'), {
    vars: [['cpus', '4']],
    varFiles: [join(dir, 'vars/ubuntu-2204.json')],
    only: [],
    except: [],
    env: { ANSIBLE_SSH_ARGS: '-o ForwardAgent=yes' },
    ...inputs,
  }, { uuid: () => UUID, now: new Date(Date.UTC(2026, 0, 2)) });
  return { dir, template };
}

const values = (config: PluginConfig) => Object.fromEntries(Object.entries(config.settings).map(([key, setting]) => [key, setting.value]));
const summary = (build: PackerBuild) => ({
  name: build.name,
  source: { type: build.source.type, name: build.source.name, settings: values(build.source) },
  provisioners: build.provisioners.map((p) => ({ type: p.type, settings: values(p) })),
  postProcessors: build.postProcessors.map((chain) => chain.map((p) => ({ type: p.type, name: p.name, settings: values(p) }))),
});

test('each builder is a build with its settings, provisioners and post-processor chains evaluated', async () => {
  const { dir, template } = await load();
  const packerDir = join(dir, 'packer/qemu');
  assert.equal(template.builds.map(summary), [
    {
      name: 'qemu',
      source: {
        type: 'qemu',
        name: undefined,
        settings: {
          accelerator: 'kvm',
          // The variable's build-time fields reach the build, as in Packer.
          boot_command: ['<esc><wait>linux ds=nocloud-net;s=', 'http://{{ .HTTPIP }}:{{ .HTTPPort }}/<enter>'],
          cpus: '4',
          // Packer reads a boolean default weakly, as "1".
          headless: '1',
          http_directory: './packer/qemu/linux/ubuntu/http/',
          qemuargs: [['-m', '2048M'], ['-smbios', 'type=1,serial=ds=nocloud-net;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/']],
          shutdown_command: `echo '${UUID}' | sudo -S shutdown -P now`,
          ssh_password: UUID,
          ssh_username: 'builder',
          vm_name: 'ubuntu-2204-kube-v1.30.2',
          output_directory: './output/ubuntu-2204-kube-v1.30.2',
          disk_size: 20480,
        },
      },
      provisioners: [
        {
          type: 'shell',
          settings: {
            execute_command: `echo '${UUID}' | {{.Vars}} sudo -S -E bash '{{.Path}}'`,
            inline: ['echo qemu qemu', "echo ANSIBLE_SSH_ARGS='-o ForwardAgent=yes'"],
            pause_before: '10s',
          },
        },
        { type: 'shell', settings: { script: `${packerDir}/scripts/bios.sh`, environment_vars: ['KUBERNETES_VERSION=1.30.2', 'RPM=1.30.2'] } },
      ],
      postProcessors: [
        [
          { type: 'compress', name: undefined, settings: { output: './output/ubuntu-2204-kube-v1.30.2/qemu.tar.gz', keep_input_artifact: true } },
          { type: 'vagrant', name: 'box', settings: { output: '{{ .Provider }}-qemu.box' } },
        ],
        [{ type: 'checksum', name: undefined, settings: {} }],
        [{ type: 'shell-local', name: 'publish', settings: { inline: ['echo ubuntu-2204-kube-v1.30.2'] } }],
      ],
    },
    {
      name: 'qemu-efi',
      source: { type: 'qemu', name: 'qemu-efi', settings: { firmware: '/usr/share/OVMF/OVMF_CODE.fd', vm_name: 'qemu-efi-v1.30.2' } },
      provisioners: [
        {
          type: 'shell',
          settings: { inline: ['echo qemu-efi qemu', "echo ANSIBLE_SSH_ARGS='-o ForwardAgent=yes'"], pause_before: '10s', execute_command: "sudo {{.Vars}} bash '{{.Path}}'" },
        },
        { type: 'file', settings: { source: 'efi.cfg', destination: '/tmp/efi.cfg' } },
      ],
      postProcessors: [
        [{ type: 'compress', name: undefined, settings: { output: './output/ubuntu-2204-kube-v1.30.2/qemu-efi.tar.gz', keep_input_artifact: true } }],
        [{ type: 'checksum', name: undefined, settings: {} }],
        [{ type: 'shell-local', name: 'publish', settings: { inline: ['echo ubuntu-2204-kube-v1.30.2'] } }],
      ],
    },
  ]);
  const [qemu] = template.builds;
  assert.is(qemu!.dir, packerDir);
  assert.equal(qemu!.sensitive, [UUID]);
  assert.equal(qemu!.files, [join(packerDir, 'packer.json'), join(dir, 'vars/ubuntu-2204.json')]);
});

test('settings, plugins and variables keep where they were written', async () => {
  const { dir, template } = await load();
  const file = join(dir, 'packer/qemu/packer.json');
  const [qemu, efi] = template.builds;
  assert.equal(qemu!.source.pos, { file, ...at(TEMPLATE, '{', '"builders"') });
  assert.equal(qemu!.source.settings.qemuargs!.pos, { file, ...at(TEMPLATE, '"qemuargs"') });
  assert.equal(qemu!.provisioners[1]!.settings.script!.pos, { file, ...at(TEMPLATE, '"script"') });
  // An overridden setting is where the override wrote it.
  assert.equal(efi!.provisioners[0]!.settings.execute_command!.pos, { file, ...at(TEMPLATE, '"execute_command"', '"override"') });
  const byName = Object.fromEntries(template.variables.map((v) => [v.name, v]));
  assert.equal(byName.ssh_password, { name: 'ssh_password', value: '<sensitive>', sensitive: true, pos: { file, ...at(TEMPLATE, '"ssh_password"') } });
  assert.equal(byName.distro_name!.value, 'ubuntu');
  assert.equal(byName.distro_name!.pos, { file, ...at(TEMPLATE, '"distro_name"') });
  assert.equal(byName.ansible_ssh_args!.value, '-o ForwardAgent=yes');
  assert.equal(template.notes, [{ pos: { file, ...at(TEMPLATE, '"min_packer_version"') }, message: 'min_packer_version "1.6.0" is not checked: kiln reads the template itself, not through Packer' }]);
});

test('-only and -except choose builders by glob; -except also skips named post-processors', async () => {
  const names = async (inputs: Partial<PackerInputs>) => (await load(inputs)).template.builds.map((b) => b.name);
  assert.equal(await names({ only: ['qemu'] }), ['qemu']);
  assert.equal(await names({ only: ['*-efi'] }), ['qemu-efi']);
  assert.equal(await names({ only: ['qemu{,-efi}'] }), ['qemu', 'qemu-efi']);
  assert.equal(await names({ except: ['qemu'] }), ['qemu-efi']);
  const { template } = await load({ except: ['publish', 'box'] });
  assert.equal(template.builds[0]!.postProcessors.map((chain) => chain.map((p) => p.type)), [['compress'], ['checksum']]);
});

test.run();
