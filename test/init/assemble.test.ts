// kiln init's assembly of a boot-config from _shared layers and its own folder, on a
// boot-configs tree made up for the test.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleBootConfig } from '../../lib/init/assemble.js';
import { listBootConfigs } from '../../lib/init/catalog.js';
import { kilnRejection } from '../helpers/rejection.js';

let root = '';
const put = async (path: string, text = `${path}\n`) => {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
};
const config = async (name: string) => (await listBootConfigs(root)).find((c) => c.name === name)!;

test.before.each(async () => {
  root = await mkdtemp(join(tmpdir(), 'kiln-assemble-'));
  await put('_shared/base/scripts/a.sh');
  await put('_shared/base/scripts/b.sh');
  await put('_shared/base/kiln.yaml'); // not a boot-config, however it looks
  await put('_shared/extra/scripts/b.sh');
  await put('distro/README.md', '# distro: A distribution\n');
  await put('distro/kiln.yaml');
  await put('distro/scripts/own.sh');
  await put('distro/kiln-init.json', '{ "shared": ["base", "extra"] }');
});
test.after.each(async () => {
  await rm(root, { recursive: true, force: true });
});

test('_shared is not a boot-config; a boot-config lists the layers its kiln-init.json names', async () => {
  const configs = await listBootConfigs(root);
  assert.equal(configs.map((c) => c.name), ['distro']);
  assert.equal(configs[0]!.shared, [join(root, '_shared', 'base'), join(root, '_shared', 'extra')]);
});

test('layers in order, then the folder itself; later ones win; kiln-init.json stays behind', async () => {
  await put('distro/scripts/a.sh');
  const tree = await assembleBootConfig(await config('distro'));
  assert.equal(Object.fromEntries(tree), {
    'scripts/a.sh': join(root, 'distro', 'scripts', 'a.sh'),
    'scripts/b.sh': join(root, '_shared', 'extra', 'scripts', 'b.sh'),
    'README.md': join(root, 'distro', 'README.md'),
    'kiln.yaml': join(root, 'distro', 'kiln.yaml'),
    'scripts/own.sh': join(root, 'distro', 'scripts', 'own.sh'),
  });
});

test('without kiln-init.json a boot-config is its folder alone', async () => {
  await rm(join(root, 'distro', 'kiln-init.json'));
  const tree = await assembleBootConfig(await config('distro'));
  assert.equal([...tree.keys()].sort(), ['README.md', 'kiln.yaml', 'scripts/own.sh']);
});

test('a broken kiln-init.json or a layer that does not exist is an E_TEMPLATE error naming the file', async () => {
  await put('distro/kiln-init.json', '{ "shared": ["base",] }');
  assert.match((await kilnRejection(listBootConfigs(root))).message, /distro\/kiln-init\.json: .*JSON/);
  await put('distro/kiln-init.json', '{ "shared": ["../outside"] }');
  const shape = await kilnRejection(listBootConfigs(root));
  assert.equal([shape.code, shape.message.endsWith('"shared" must be a list of folder names under boot-configs/_shared')], ['E_TEMPLATE', true]);
  await put('distro/kiln-init.json', '{ "shared": ["base", "missing"] }');
  const missing = await kilnRejection(assembleBootConfig(await config('distro')));
  assert.is(missing.code, 'E_TEMPLATE');
  assert.match(missing.message, `boot-config distro: its kiln-init.json names a shared layer that does not exist: ${join(root, '_shared', 'missing')}`);
});

test.run();
