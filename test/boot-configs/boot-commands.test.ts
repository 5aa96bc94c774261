// The keys each boot command types, replayed on a simulated US keyboard and compared
// with what the installer must receive, and the HTTP paths each command names checked
// against what its template serves. No installer runs here: this is what can be known
// without one (docs/distributions.md). Cloud-image boot-configs type nothing (files.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scanBootCommand } from '../../lib/lint/boot-references.js';
import { isServed, listServed } from '../../lib/lint/served-files.js';
import { parseBootCommand, type BootAction } from '../../lib/keyboard/parse.js';
import { renderPlaceholders } from '../../lib/template/render.js';
import { typedText } from '../keyboard/typed-text.js';
import { INSTALLER_TEMPLATES, load } from './catalog.js';

const URL = 'http://10.0.2.2:8123';
const debianBios = (n: string) => `<esc>auto preseed/url=${URL}/preseed.cfg hostname=debian-${n} mirror/http/proxy=<ret>`;
const debianEfi = (n: string) =>
  `clinux /install.amd/vmlinuz auto=true priority=critical preseed/url=${URL}/preseed.cfg hostname=debian-${n} mirror/http/proxy= --- quiet<ret>` +
  'initrd /install.amd/initrd.gz<ret>boot<ret>';
const ubuntuBios = (ds: string) => `clinux /casper/vmlinuz autoinstall ds=${ds}\\;s=${URL}/ ---<ret>initrd /casper/initrd<ret>boot<ret>`;
const ubuntuEfi = (ds: string) => `e<down><down><down><end><left><left><left>autoinstall ds=${ds}\\;s=${URL}/ <f10>`;
const isolinuxKs = `<up><tab> inst.ks=${URL}/ks.cfg<ret>`;
const alpine =
  `root<ret>setup-alpine -e -f ${URL}/answers && wget -q -O /tmp/post-install.sh ${URL}/post-install.sh` +
  ' && sh /tmp/post-install.sh /dev/vda && reboot<ret>';

const EXPECTED: Record<string, { keys: string; waitHttp: string }> = {
  'almalinux-9/kiln.yaml': { keys: isolinuxKs, waitHttp: '/ks.cfg' },
  'almalinux-9/kiln-efi.yaml': { keys: `<up>e<down><down><end> inst.ks=${URL}/ks.cfg<ctrl-x>`, waitHttp: '/ks.cfg' },
  'alpine/kiln.yaml': { keys: alpine, waitHttp: '/post-install.sh' },
  'alpine/kiln-efi.yaml': { keys: alpine, waitHttp: '/post-install.sh' },
  'debian-12/kiln.yaml': { keys: debianBios('12'), waitHttp: '/preseed.cfg' },
  'debian-12/kiln-efi.yaml': { keys: debianEfi('12'), waitHttp: '/preseed.cfg' },
  'debian-13/kiln.yaml': { keys: debianBios('13'), waitHttp: '/preseed.cfg' },
  'debian-13/kiln-efi.yaml': { keys: debianEfi('13'), waitHttp: '/preseed.cfg' },
  'fedora-server/kiln.yaml': { keys: `<up>e<down><down><end> inst.ks=${URL}/ks.cfg<f10>`, waitHttp: '/ks.cfg' },
  'fedora-server/kiln-efi.yaml': { keys: `<up>e<down><down><end> inst.ks=${URL}/ks.cfg<f10>`, waitHttp: '/ks.cfg' },
  'rocky-9/kiln.yaml': { keys: isolinuxKs, waitHttp: '/ks.cfg' },
  'rocky-9/kiln-efi.yaml': { keys: `<up>e<down><down><end> inst.ks=${URL}/ks.cfg<ctrl-x>`, waitHttp: '/ks.cfg' },
  'ubuntu-22.04/kiln.yaml': { keys: ubuntuBios('nocloud-net'), waitHttp: '/user-data' },
  'ubuntu-22.04/kiln-efi.yaml': { keys: ubuntuEfi('nocloud-net'), waitHttp: '/user-data' },
  'ubuntu-24.04/kiln.yaml': { keys: ubuntuBios('nocloud'), waitHttp: '/user-data' },
  'ubuntu-24.04/kiln-efi.yaml': { keys: ubuntuEfi('nocloud'), waitHttp: '/user-data' },
};

const VALUES = { HTTPIP: '10.0.2.2', HTTPPort: 8123, Name: 'x', SSHPublicKey: '', OutputDir: '/out', CloudInitURL: '', HTTPProxy: '', ProxyURL: '' };

async function actionsOf(path: string): Promise<BootAction[]> {
  const t = await load(path);
  return parseBootCommand(renderPlaceholders(t.boot.command.join(''), { ...VALUES, Name: t.name }));
}

/** typedText, with keys pressed while Ctrl is held written as <ctrl-x>. */
function stream(actions: BootAction[]): string {
  let ctrl = false;
  let out = '';
  for (const action of actions) {
    if (action.kind !== 'keys') continue;
    const [first] = action.events;
    if (action.events.length === 1 && first!.qcode === 'ctrl') ctrl = first!.down;
    else out += ctrl ? `<ctrl-${typedText([action])}>` : typedText([action]);
  }
  return out;
}

test('every installer template has an expected key stream', () => {
  assert.equal(INSTALLER_TEMPLATES.map(([d, f]) => `${d}/${f}`).sort(), Object.keys(EXPECTED).sort());
});

for (const [dir, file, path] of INSTALLER_TEMPLATES) {
  const expected = EXPECTED[`${dir}/${file}`];
  test(`${dir}/${file}: typed keys and the answer file it waits for`, async () => {
    assert.ok(expected, 'no expectation');
    const actions = await actionsOf(path);
    assert.is(stream(actions), expected!.keys);
    const waits = actions.filter((a) => a.kind === 'waitHttp').map((a) => (a as { path: string }).path);
    assert.equal(waits, [expected!.waitHttp]);
  });

  test(`${dir}/${file}: every path the boot command fetches is served`, async () => {
    const t = await load(path);
    const { files } = await listServed(t.http);
    const scan = scanBootCommand(t.boot.command.map((line) => renderPlaceholders(line, { ...VALUES, HTTPPort: '65535' })));
    assert.ok(scan.references.length > 0, 'the boot command fetches nothing from kiln');
    for (const ref of scan.references) {
      const needed = ref.kind === 'nocloud' ? [`${ref.path}user-data`, `${ref.path}meta-data`] : [ref.path];
      for (const p of needed) assert.ok(isServed(files, p), `${p} is not served`);
    }
    for (const wait of scan.waits) assert.ok(isServed(files, wait.path), `${wait.path} is not served`);
  });
}

test('GRUB parameters are typed as the keys GRUB needs: "\\;" unshifted, F10 and Ctrl-X as keys', async () => {
  const [, , ubuntu] = INSTALLER_TEMPLATES.find(([d, f]) => d === 'ubuntu-24.04' && f === 'kiln-efi.yaml')!;
  const qcodes = (await actionsOf(ubuntu)).flatMap((a) => (a.kind === 'keys' ? a.events.filter((e) => e.down).map((e) => e.qcode) : []));
  assert.equal(qcodes.slice(0, 8), ['e', 'down', 'down', 'down', 'end', 'left', 'left', 'left']);
  const ds = qcodes.join(' ').indexOf('n o c l o u d backslash semicolon s equal');
  assert.ok(ds > 0, qcodes.join(' '));
  assert.is(qcodes.at(-1), 'f10');
  const [, , alma] = INSTALLER_TEMPLATES.find(([d, f]) => d === 'almalinux-9' && f === 'kiln-efi.yaml')!;
  const events = (await actionsOf(alma)).flatMap((a) => (a.kind === 'keys' ? a.events : []));
  assert.equal(events.slice(-4), [
    { qcode: 'ctrl', down: true },
    { qcode: 'x', down: true },
    { qcode: 'x', down: false },
    { qcode: 'ctrl', down: false },
  ]);
});

test.run();
