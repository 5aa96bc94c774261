// kiln import moves a template: local paths must still name the same files from the new place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rebasePaths } from '../../../lib/packer/import/rebase-paths.js';

test('relative paths follow the file; URLs, placeholders and guest paths do not move', () => {
  const doc: Record<string, unknown> = {
    source: { iso: { urls: ['https://mirror/x.iso', 'isos/x.iso'], checksum: 'none' } },
    http: { directory: 'tpl/http' },
    cd: { files: ['tpl/ks.cfg', 'tpl/extra/'] },
    provision: [
      { shell: { script: 'scripts/a.sh' } },
      { file: { source: 'files/motd', destination: '/etc/motd' } },
      { file: { source: '/var/log/x.log', destination: 'logs/', direction: 'download' } },
    ],
    output: { directory: 'output-vm', vagrant: { provider: 'libvirt', output: '{{ .OutputDir }}/x.box' } },
  };
  const changed = rebasePaths(doc, '/work', '/work/kiln');
  assert.equal(doc.source, { iso: { urls: ['https://mirror/x.iso', '../isos/x.iso'], checksum: 'none' } });
  assert.equal(doc.http, { directory: '../tpl/http' });
  assert.equal(doc.cd, { files: ['../tpl/ks.cfg', '../tpl/extra/'] });
  assert.equal(doc.provision, [
    { shell: { script: '../scripts/a.sh' } },
    { file: { source: '../files/motd', destination: '/etc/motd' } },
    { file: { source: '/var/log/x.log', destination: '../logs/', direction: 'download' } },
  ]);
  assert.equal(doc.output, { directory: '../output-vm', vagrant: { provider: 'libvirt', output: '{{ .OutputDir }}/x.box' } });
  assert.ok(changed.includes('provision[2].file.destination'));
});

test('absolute paths under the new folder become relative (bento\'s ${path.root}/...); others stay absolute', () => {
  const doc: Record<string, unknown> = { http: { directory: '/repo/packer_templates/http' }, ssh: { private_key: '/home/u/.ssh/id' } };
  rebasePaths(doc, '/repo', '/repo/packer_templates');
  assert.equal(doc, { http: { directory: 'http' }, ssh: { private_key: '/home/u/.ssh/id' } });
});

test.run();
