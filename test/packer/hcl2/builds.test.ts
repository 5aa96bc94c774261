// Build blocks: one build per source, nested source blocks (rename, added settings),
// provisioners and post-processor chains per source, Packer's build names for -only and
// -except, and the schema errors with positions.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PackerBuild } from '../../../lib/packer/model.js';
import { loadHcl2 } from '../../../lib/packer/hcl2/load-hcl2.js';
import { kilnRejection } from '../../helpers/rejection.js';
import { scratch } from '../../helpers/scratch-dir.js';
import { inputs, issueMatching, issuesOf, loadFiles, NULL_BUILD, removeScratch } from './load.js';

const ROLES = `
source "qemu" "base" {
  disk_size = 10000
}

source "virtualbox-iso" "base" {
  disk_size = 20000
}

build {
  name    = "roles"
  sources = ["source.virtualbox-iso.base"]

  source "source.qemu.base" {
    name      = "consul"
    vm_name   = "consul-\${source.type}"
  }

  source "qemu.base" {
    name    = "nomad"
    vm_name = "nomad"
  }

  provisioner "shell" {
    only   = ["qemu.consul", "source.virtualbox-iso.base"]
    inline = ["echo \${build.name}/\${source.type}.\${source.name}"]
  }

  provisioner "file" {
    except      = ["qemu.nomad"]
    source      = "a"
    destination = "/tmp/a"
    override = {
      consul = { destination = "/tmp/consul" }
    }
  }

  post-processors {
    post-processor "checksum" {
      checksum_types = ["sha256"]
    }
    post-processor "vagrant" {
      name   = "box"
      except = ["virtualbox-iso.base"]
    }
    post-processor "shell-local" {
      inline = ["echo done"]
    }
  }

  post-processor "manifest" {}
}

build {
  sources = ["source.qemu.base"]
}
`;

const summary = (build: PackerBuild) => ({
  name: build.name,
  buildName: build.buildName,
  provisioners: build.provisioners.map((p) => [p.type, p.settings.inline?.value ?? p.settings.destination?.value]),
  postProcessors: build.postProcessors.map((chain) => chain.map((p) => p.name ?? p.type)),
});

test('a build block yields one build per source, named as Packer names them', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': ROLES });
  assert.equal(template.builds.map(summary), [
    { name: 'virtualbox-iso.base', buildName: 'roles', provisioners: [['shell', ['echo roles/virtualbox-iso.base']], ['file', '/tmp/a']], postProcessors: [['checksum', 'shell-local'], ['manifest']] },
    { name: 'qemu.consul', buildName: 'roles', provisioners: [['shell', ['echo roles/qemu.consul']], ['file', '/tmp/consul']], postProcessors: [['checksum', 'box', 'shell-local'], ['manifest']] },
    { name: 'qemu.nomad', buildName: 'roles', provisioners: [], postProcessors: [['checksum', 'box', 'shell-local'], ['manifest']] },
    { name: 'qemu.base', buildName: undefined, provisioners: [], postProcessors: [] },
  ]);
  const consul = template.builds[1]!;
  assert.equal(consul.source.settings.vm_name?.value, 'consul-qemu');
  assert.equal(consul.source.settings.disk_size?.value, 10000);
  assert.equal(consul.source.name, 'consul');
  assert.equal(consul.source.settings.vm_name?.pos.line, 16);
  assert.not.ok('name' in consul.source.settings);
});

interface SelectCase {
  only?: string[];
  except?: string[];
  builds: string[];
}

const selections: SelectCase[] = [
  { only: ['roles.qemu.consul'], builds: ['roles.qemu.consul'] },
  { only: ['roles.*'], builds: ['roles.virtualbox-iso.base', 'roles.qemu.consul', 'roles.qemu.nomad'] },
  { only: ['*.qemu.*'], builds: ['roles.qemu.consul', 'roles.qemu.nomad'] },
  { only: ['qemu.base'], builds: ['qemu.base'] },
  { only: ['source.qemu.base'], builds: ['qemu.base'] },
  { only: ['*.consul', 'qemu.base'], builds: ['roles.qemu.consul', 'qemu.base'] },
  { only: ['roles.qemu.{consul,nomad}'], builds: ['roles.qemu.consul', 'roles.qemu.nomad'] },
  { except: ['roles.*'], builds: ['qemu.base'] },
  { only: ['*qemu*'], except: ['*.nomad'], builds: ['roles.qemu.consul', 'qemu.base'] },
];

for (const c of selections) {
  test(`-only ${c.only?.join(',') ?? ''} -except ${c.except?.join(',') ?? ''}`, async () => {
    const template = await loadFiles({ 'main.pkr.hcl': ROLES }, { only: c.only ?? [], except: c.except ?? [] });
    assert.equal(template.builds.map((b) => (b.buildName === undefined ? b.name : `${b.buildName}.${b.name}`)), c.builds);
  });
}

test('a build left out by -only or -except is not evaluated, so its errors do not stop the others', async () => {
  const text = 'source "qemu" "vm" {\n  memory = 1\n}\nsource "parallels-iso" "vm" {\n  boot_command = var.parallels_boot_command\n}\nbuild {\n  sources = ["qemu.vm", "parallels-iso.vm"]\n  provisioner "shell" {\n    only   = ["parallels-iso.vm"]\n    inline = [var.missing]\n  }\n}\n';
  const kept = await loadFiles({ 'main.pkr.hcl': text }, { only: ['qemu.vm'] });
  assert.equal(kept.builds.map((b) => b.name), ['qemu.vm']);
  const excepted = await loadFiles({ 'main.pkr.hcl': text }, { except: ['parallels-iso.*'] });
  assert.equal(excepted.builds.map((b) => b.name), ['qemu.vm']);
  const all = await issuesOf({ 'main.pkr.hcl': text });
  assert.equal(all.map((i) => [i.line, i.column]), [[5, 18], [11, 15]]);
});

test('-except naming a post-processor drops it and the rest of its chain', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': ROLES }, { except: ['box'], only: ['roles.qemu.consul'] });
  assert.equal(template.builds.map(summary)[0]?.postProcessors, [['checksum'], ['manifest']]);
});

test('a pattern that matches nothing is an error listing the builds', async () => {
  const issues = await issuesOf({ 'main.pkr.hcl': ROLES }, { only: ['qemu.consul'], except: ['vmware*'] });
  assert.equal(issues.map((i) => i.message), [
    '-only qemu.consul: matches no build; the builds are roles.virtualbox-iso.base, roles.qemu.consul, roles.qemu.nomad, qemu.base',
    '-except vmware*: matches no build; the builds are roles.virtualbox-iso.base, roles.qemu.consul, roles.qemu.nomad, qemu.base',
  ]);
});

test('nested blocks in a source become a list of objects under the block type', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': 'source "qemu" "vm" {\n  disk {\n    size = 10\n  }\n  disk {\n    size = 20\n    label = "data"\n  }\n}\nbuild {\n  sources = ["qemu.vm"]\n}\n' });
  assert.equal(template.builds[0]!.source.settings.disk, { value: [{ size: 10 }, { size: 20, label: 'data' }], pos: { file: join(template.dir, 'main.pkr.hcl'), line: 2, column: 3 } });
});

test('only, except and override naming no source of the template are notes, as Packer accepts them', async () => {
  const text = BUILD_OF('  sources = ["qemu.vm"]\n  provisioner "shell" {\n    only = ["qemu.mv"]\n  }\n  provisioner "shell" {\n    override = { vn = {} }\n  }');
  const template = await loadFiles({ 'main.pkr.hcl': text });
  assert.equal(template.builds[0]!.provisioners.length, 1);
  assert.equal(template.notes.map((n) => [n.pos.line, n.message]), [
    [6, 'provisioner "shell": only names "qemu.mv", which is not a source of this build: did you mean "qemu.vm"?'],
    [9, 'provisioner "shell": override has "vn", which is not a source of this build; it is ignored: did you mean "vm"?'],
  ]);
});

test('dynamic blocks make one block per element, with the iterator bound, nested ones too', async () => {
  const text = [
    'variable "disks" {',
    '  default = { data = 20, logs = 5 }',
    '}',
    'source "qemu" "vm" {',
    '  dynamic "disk" {',
    '    for_each = var.disks',
    '    iterator = d',
    '    content {',
    '      label = d.key',
    '      size  = d.value',
    '      dynamic "tag" {',
    '        for_each = ["a", "b"]',
    '        content {',
    '          name = "${d.key}-${tag.value}-${tag.key}"',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    'build {',
    '  sources = ["qemu.vm"]',
    '}',
  ].join('\n');
  const template = await loadFiles({ 'main.pkr.hcl': text });
  assert.equal(template.builds[0]!.source.settings.disk?.value, [
    { label: 'data', size: 20, tag: [{ name: 'data-a-0' }, { name: 'data-b-1' }] },
    { label: 'logs', size: 5, tag: [{ name: 'logs-a-0' }, { name: 'logs-b-1' }] },
  ]);
  const issue = issueMatching(await issuesOf({ 'main.pkr.hcl': 'source "qemu" "vm" {\n  dynamic "disk" {\n    for_each = 3\n    content {}\n  }\n}\nbuild {\n  sources = ["qemu.vm"]\n}\n' }), /^dynamic "disk": for_each must be a list or a map$/);
  assert.equal([issue.line, issue.column], [3, 16]);
});

interface ErrorCase {
  name: string;
  text: string;
  message: RegExp;
  at: [number, number];
}

const BUILD_OF = (body: string): string => `source "qemu" "vm" {\n  disk_size = 1\n}\nbuild {\n${body}\n}\n`;

const errors: ErrorCase[] = [
  { name: 'unknown top-level block', text: 'sorce "qemu" "vm" {}\n' + NULL_BUILD, message: /^unknown block type "sorce": did you mean "source"\?$/, at: [1, 1] },
  { name: 'top-level attribute', text: 'name = "x"\n' + NULL_BUILD, message: /^unknown top-level attribute "name": a Packer template sets values inside variable, locals, source and build blocks$/, at: [1, 1] },
  { name: 'wrong labels', text: 'source "qemu" {}\n' + NULL_BUILD, message: /^source "qemu": a source block takes "type" "name"/, at: [1, 1] },
  { name: 'unknown block in a build', text: BUILD_OF('  sources = ["source.qemu.vm"]\n  provisoner "shell" {}'), message: /^unknown block "provisoner" in a build block: did you mean "provisioner"\?$/, at: [6, 3] },
  { name: 'unknown attribute in a build', text: BUILD_OF('  source = ["source.qemu.vm"]'), message: /^unknown attribute "source" in a build block: did you mean "sources"\?$/, at: [5, 3] },
  { name: 'unknown source, with did-you-mean', text: BUILD_OF('  sources = ["source.qemu.mv"]'), message: /^unknown source "source\.qemu\.mv": did you mean "source\.qemu\.vm"\?$/, at: [5, 13] },
  { name: 'only and except together', text: BUILD_OF('  sources = ["qemu.vm"]\n  provisioner "shell" {\n    only = ["qemu.vm"]\n    except = ["qemu.vm"]\n  }'), message: /^provisioner "shell": only and except cannot both be set$/, at: [6, 3] },
  { name: 'an override of a source setting', text: BUILD_OF('  source "qemu.vm" {\n    disk_size = 2\n  }'), message: /^"disk_size" is already set by source "qemu" "vm" \(at .*main\.pkr\.hcl:2:3\); a build's source block can only add settings the source leaves unset$/, at: [6, 5] },
  { name: 'a source used twice under one name', text: BUILD_OF('  sources = ["qemu.vm"]\n  source "qemu.vm" {\n    memory = 1\n  }'), message: /^this build uses source qemu\.vm twice/, at: [6, 3] },
  { name: 'a provisioner without its type', text: BUILD_OF('  sources = ["qemu.vm"]\n  provisioner {\n  }'), message: /^provisioner: a provisioner block takes one label, its type/, at: [6, 3] },
  { name: 'an error in a provisioner setting', text: BUILD_OF('  sources = ["qemu.vm"]\n  provisioner "shell" {\n    inline = [var.nope]\n  }'), message: /^unknown variable "var\.nope": declare it with variable "nope" \{ \}$/, at: [7, 15] },
  { name: 'no build block', text: 'source "qemu" "vm" {}\n', message: /: the template has no build block; add build \{ sources = \["source\.TYPE\.NAME"\] \} to say what to build$/, at: [0, 0] },
];

for (const c of errors) {
  test(`error: ${c.name}`, async () => {
    const issue = issueMatching(await issuesOf({ 'main.pkr.hcl': c.text }), c.message);
    assert.equal([issue.line ?? 0, issue.column ?? 0], c.at);
  });
}

test('problems in variables, locals, sources and provisioners are reported together', async () => {
  const issues = await issuesOf({
    'a.pkr.hcl': 'variable "os" {}\nlocals {\n  name = local.nme\n}\n',
    'b.pkr.hcl': BUILD_OF('  sources = ["qemu.vm"]\n  provisioner "shell" {\n    inline = [path.rot]\n  }\n  post-procesor "vagrant" {}'),
  });
  assert.equal(issues.map((i) => `${i.file?.split('/').pop()}:${i.line}:${i.column}`), ['a.pkr.hcl:1:1', 'a.pkr.hcl:3:10', 'b.pkr.hcl:9:3', 'b.pkr.hcl:7:15']);
});

test('a single file is a template of its own; *.pkr.json is refused with the reason', async () => {
  const dir = await scratch({ 'one.pkr.hcl': 'source "qemu" "one" {}\nbuild {\n  sources = ["qemu.one"]\n}\n', 'two.pkr.hcl': 'this is not read', 'x.auto.pkrvars.hcl': 'not = read' });
  const template = await loadHcl2(join(dir, 'one.pkr.hcl'), inputs());
  assert.equal(template.builds.map((b) => [b.name, b.dir]), [['qemu.one', dir]]);

  const json = await scratch({ 'a.pkr.hcl': NULL_BUILD, 'b.pkr.json': '{}' });
  const error = await kilnRejection(loadHcl2(json, inputs()), 'a .pkr.json file loaded');
  assert.match(error.message, /b\.pkr\.json: HCL-JSON templates \(\*\.pkr\.json\) are not supported$/);
  assert.match(error.hint ?? '', /kiln reads Packer templates in HCL syntax \(\*\.pkr\.hcl\) and legacy JSON templates/);
});

test.after.each(removeScratch);
test.run();
