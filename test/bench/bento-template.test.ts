// The benchmark's bento-style folder (bench/bento-template.ts) is what the benchmark says it
// is: 100+ variables, every distribution's var file resolving through the nested locals to
// its own values, and the variant for Packer 1.6.6 resolving to the same builds as the
// current form while leaving out the three features 1.6.6 predates.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bentoTemplate, NEWER_FEATURES, VARIABLE_COUNT } from '../../bench/bento-template.js';
import { DISTRIBUTIONS } from '../../bench/bento-sources.js';
import { loadHcl2 } from '../../lib/packer/hcl2/load-hcl2.js';
import type { PackerTemplate } from '../../lib/packer/model.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

async function load(features: ReadonlySet<(typeof NEWER_FEATURES)[number]>, distribution: string): Promise<PackerTemplate & { dir: string }> {
  const dir = await scratch(bentoTemplate(features), 'kiln-bench-bento-');
  const varFile = join(dir, 'os_pkrvars', distribution, `${distribution}-x86_64.pkrvars.hcl`);
  const template = await loadHcl2(join(dir, 'packer_templates'), { vars: [], varFiles: [varFile], only: [], except: [], env: {} });
  return { ...template, dir };
}

/** Each build's source settings, with the folder's own path taken out so two folders compare equal. */
function resolved(template: PackerTemplate & { dir: string }): unknown {
  return JSON.parse(JSON.stringify(template.builds.map((b) => ({ name: b.name, settings: Object.fromEntries(Object.entries(b.source.settings).map(([k, v]) => [k, v.value])) }))).replaceAll(template.dir, 'DIR'));
}

test('the folder declares 100+ variables, as many as VARIABLE_COUNT says', async () => {
  const template = await load(new Set(NEWER_FEATURES), 'debian');
  assert.ok(VARIABLE_COUNT >= 100, `${VARIABLE_COUNT} variables`);
  assert.is(template.variables.length, VARIABLE_COUNT);
});

const cases: { distribution: string; expect: Record<string, unknown> }[] = [
  { distribution: 'debian', expect: { memory: 2048, boot_wait: '10s', vm_name: 'debian-1.0-amd64', iso_url: 'https://mirror.example/debian/x86_64/debian-netinst.iso' } },
  { distribution: 'ubuntu', expect: { memory: 2048, boot_wait: '5s', vm_name: 'ubuntu-1.1-amd64' } },
  // The innermost level of the nested conditionals.
  { distribution: 'freebsd', expect: { memory: 2048, boot_wait: '10s', iso_url: 'https://mirror.example/freebsd/x86_64/freebsd-netinst.iso' } },
];

for (const c of cases) {
  test(`${c.distribution}: the qemu source resolves through the nested locals`, async () => {
    const template = await load(new Set(NEWER_FEATURES), c.distribution);
    const qemu = template.builds.find((b) => b.name === 'qemu.vm');
    assert.ok(qemu, 'a qemu.vm build');
    for (const [key, value] of Object.entries(c.expect)) assert.equal(qemu.source.settings[key]?.value, value, key);
    // The var file sets vbox_cpus only: the virtualbox source takes it, qemu keeps the default.
    assert.is(qemu.source.settings.cpus?.value, 2);
    assert.is(template.builds.find((b) => b.name === 'virtualbox-iso.vm')?.source.settings.cpus?.value, 4);
  });
}

test('every distribution has a var file that loads, with its scripts', async () => {
  for (const distribution of DISTRIBUTIONS) {
    const template = await load(new Set(NEWER_FEATURES), distribution);
    const scripts = template.builds[0]?.provisioners[0]?.settings.scripts?.value;
    assert.equal((scripts as string[]).map((s) => s.replace(/.*\/scripts\//, '')), ['_common/sshd.sh', '_common/vagrant.sh', `${distribution}/update_${distribution}.sh`, `${distribution}/cleanup_${distribution}.sh`, '_common/minimize.sh'], distribution);
  }
});

test('the Packer 1.6.6 variant leaves out the newer features and resolves to the same builds', async () => {
  const current = await load(new Set(NEWER_FEATURES), 'debian');
  const forPacker166 = await load(new Set(), 'debian');
  assert.equal(resolved(forPacker166), resolved(current));
  const text = Object.values(bentoTemplate(new Set())).join('\n');
  for (const newer of ['required_plugins', 'data "', 'sources = var.sources_enabled']) assert.not.ok(text.includes(newer), newer);
  const all = Object.values(bentoTemplate()).join('\n');
  for (const newer of ['required_plugins', 'data "host-info"', 'sources = var.sources_enabled']) assert.ok(all.includes(newer), newer);
});

test.after(removeScratch);
test.run();
