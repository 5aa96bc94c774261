// Which images a set of outputs needs, and which of them are shared.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planExports, type ExportPlan, type PlanInput } from '../../lib/export/plan.js';

const DIRS = { output: '/out', work: '/out/.kiln-work' };
const plan = (input: Partial<PlanInput>): ExportPlan => planExports({ name: 'd', formats: ['qcow2'], compress: true, ...input }, DIRS);

/** Each export or box as "kind:path:format[/subformat][+c]", to compare plans by table. */
function summary(p: ExportPlan): string[] {
  const image = (i: { path: string; format: string; vmdkSubformat?: string; compress: boolean }) =>
    `${i.path}:${i.format}${i.vmdkSubformat ? `/${i.vmdkSubformat}` : ''}${i.compress ? '+c' : ''}`;
  return [
    ...p.exports.map((j) => (j.kind === 'image' ? `image:${image(j.image)}` : `${j.kind}:${j.file}<-${image(j.disk)}`)),
    ...(p.box ? [`box:${p.box.file}<-${image(p.box.disk)}`] : []),
  ];
}

const cases: [string, Partial<PlanInput>, string[]][] = [
  ['qcow2 alone, compressed', {}, ['image:/out/d.qcow2:qcow2+c']],
  ['compress: false', { compress: false }, ['image:/out/d.qcow2:qcow2']],
  [
    'every disk format: only qcow2 is compressed, vmdk is monolithicSparse',
    { formats: ['qcow2', 'raw', 'vmdk', 'vdi', 'vhdx'] },
    ['image:/out/d.qcow2:qcow2+c', 'image:/out/d.raw:raw', 'image:/out/d.vmdk:vmdk/monolithicSparse', 'image:/out/d.vdi:vdi', 'image:/out/d.vhdx:vhdx'],
  ],
  [
    'the cloud formats: fixed VHD (vpc), streamOptimized vmdk beside a monolithicSparse one, GCE from a work-dir raw',
    { formats: ['vhd', 'vmdk', 'vmdk-stream', 'gce'] },
    [
      'image:/out/d.vhd:vpc',
      'image:/out/d.vmdk:vmdk/monolithicSparse',
      'image:/out/d-stream.vmdk:vmdk/streamOptimized',
      'gce:d-gce.tar.gz<-/out/.kiln-work/d-gce.raw:raw',
    ],
  ],
  ['gce packs the raw output when raw is a format too', { formats: ['gce', 'raw'] }, ['gce:d-gce.tar.gz<-/out/d.raw:raw', 'image:/out/d.raw:raw']],
  [
    'ova (and a virtualbox box) pack the vmdk-stream output',
    { formats: ['ova', 'vmdk-stream'], vagrant: { provider: 'virtualbox' } },
    [
      'ova:d.ova<-/out/d-stream.vmdk:vmdk/streamOptimized',
      'image:/out/d-stream.vmdk:vmdk/streamOptimized',
      'box:d.virtualbox.box<-/out/d-stream.vmdk:vmdk/streamOptimized',
    ],
  ],
  ['ova packs a streamOptimized vmdk from the work dir', { formats: ['ova'] }, ['ova:d.ova<-/out/.kiln-work/d-disk001.vmdk:vmdk/streamOptimized']],
  [
    'vmdk and ova are two different vmdks',
    { formats: ['vmdk', 'ova'] },
    ['image:/out/d.vmdk:vmdk/monolithicSparse', 'ova:d.ova<-/out/.kiln-work/d-disk001.vmdk:vmdk/streamOptimized'],
  ],
  [
    'a libvirt box reuses the qcow2 export',
    { formats: ['qcow2', 'vdi'], vagrant: { provider: 'libvirt' } },
    ['image:/out/d.qcow2:qcow2+c', 'image:/out/d.vdi:vdi', 'box:d.libvirt.box<-/out/d.qcow2:qcow2+c'],
  ],
  [
    'a libvirt box without a qcow2 export gets its own, with the same compression',
    { formats: ['raw'], compress: false, vagrant: { provider: 'libvirt' } },
    ['image:/out/d.raw:raw', 'box:d.libvirt.box<-/out/.kiln-work/d-box.qcow2:qcow2'],
  ],
  [
    'a virtualbox box shares the OVA\'s vmdk',
    { formats: ['ova'], vagrant: { provider: 'virtualbox' } },
    ['ova:d.ova<-/out/.kiln-work/d-disk001.vmdk:vmdk/streamOptimized', 'box:d.virtualbox.box<-/out/.kiln-work/d-disk001.vmdk:vmdk/streamOptimized'],
  ],
  [
    'a virtualbox box without an OVA still gets a streamOptimized vmdk',
    { formats: ['qcow2'], vagrant: { provider: 'virtualbox' } },
    ['image:/out/d.qcow2:qcow2+c', 'box:d.virtualbox.box<-/out/.kiln-work/d-disk001.vmdk:vmdk/streamOptimized'],
  ],
];
for (const [label, input, want] of cases) {
  test(`planExports: ${label}`, () => assert.equal(summary(plan(input)), want));
}

test('shared images are the same job object, so the export step converts them once', () => {
  const p = plan({ formats: ['qcow2', 'ova'], vagrant: { provider: 'libvirt' } });
  assert.ok(p.box!.disk === (p.exports[0] as { image: unknown }).image);
  const vb = plan({ formats: ['ova'], vagrant: { provider: 'virtualbox' } });
  assert.ok(vb.box!.disk === (vb.exports[0] as { disk: unknown }).disk);
});

test('outputs are named NAME.FORMAT and marked as outputs; package-only images are not', () => {
  const p = plan({ formats: ['vdi', 'ova'], vagrant: { provider: 'libvirt' } });
  assert.equal(p.exports[0], { kind: 'image', image: { path: '/out/d.vdi', format: 'vdi', compress: false, output: { file: 'd.vdi', format: 'vdi' } } });
  assert.is((p.exports[1] as { disk: { output?: unknown } }).disk.output, undefined);
  assert.is(p.box!.disk.output, undefined);
});

test.run();
