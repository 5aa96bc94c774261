import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KilnError } from '../../../lib/errors.js';
import { parseVBoxVersion, vboxFeatures } from '../../../lib/hypervisor/virtualbox/version.js';
import { kilnThrown } from '../../helpers/rejection.js';

const PARSED: [string, [number, number, number, string]][] = [
  ['7.0.14r161095\n', [7, 0, 14, '7.0.14r161095']],
  ['6.1.50r161033', [6, 1, 50, '6.1.50r161033']],
  ['7.1.4r165100\r\n', [7, 1, 4, '7.1.4r165100']],
  ['6.1.38_Ubuntur153438\n', [6, 1, 38, '6.1.38_Ubuntur153438']],
  ['7.0.10_Debianr158379', [7, 0, 10, '7.0.10_Debianr158379']],
  // A Linux host without the kernel module prints a warning first.
  ['WARNING: The vboxdrv kernel module is not loaded. Either there is no module\n         available for the current kernel (6.1.0-18-amd64) or it failed to\n         load.\n\n6.1.50r161033\n', [6, 1, 50, '6.1.50r161033']],
];
for (const [output, [major, minor, patch, text]] of PARSED) {
  test(`parses ${JSON.stringify(output.slice(-30))}`, () => {
    assert.equal(parseVBoxVersion(output), { major, minor, patch, text });
  });
}

for (const bad of ['', 'VBoxManage: error: Failed to create the VirtualBox object!', '7.0', 'r161095']) {
  test(`refuses ${JSON.stringify(bad)} with a typed error`, () => {
    assert.throws(() => parseVBoxVersion(bad), (e: unknown) => e instanceof KilnError && e.code === 'E_TOOL' && /version/.test(e.message));
  });
}

const FEATURES: [string, boolean, boolean][] = [
  ['6.1.50r1', false, false],
  ['7.0.0r1', true, false],
  ['7.0.14r1', true, false],
  ['7.1.4r1', true, true],
  ['7.2.0r1', true, true],
  ['8.0.0r1', true, true],
];
for (const [text, natLocalhostReachable, platformArchitecture] of FEATURES) {
  test(`features of ${text}`, () => {
    assert.equal(vboxFeatures(parseVBoxVersion(text)), { natLocalhostReachable, platformArchitecture });
  });
}

for (const old of ['6.0.24r1', '5.2.44r1', '4.3.40r1']) {
  test(`${old} is too old, with an install hint`, () => {
    const error = kilnThrown(() => vboxFeatures(parseVBoxVersion(old)));
    assert.is(error.code, 'E_TOOL');
    assert.match(error.message, /too old.*6\.1 or 7\.x/);
    assert.match(error.hint ?? '', /virtualbox\.org/);
  });
}

test.run();
