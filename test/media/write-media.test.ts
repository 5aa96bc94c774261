// The cd and floppy images, made with the real tools and read back with them.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stageMediaFiles } from '../../lib/media/stage-files.js';
import { cdImageArgv, writeCdImage, writeFloppyImage } from '../../lib/media/write-media.js';
import { kilnRejection } from '../helpers/rejection.js';

let dir: string;
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-media-'));
  mkdirSync(join(dir, 'src', 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'src', 'ks.cfg'), 'text\n');
  writeFileSync(join(dir, 'src', 'scripts', 'post.sh'), 'echo\n');
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const render = (text: string) => text.replaceAll('{{ .HTTPIP }}', '10.0.2.2');
const listing = (root: string) => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();

test('staging: files at the root, a folder under its name or its contents with a slash, rendered content wins', async () => {
  const staged = join(dir, 'staged');
  const spec = { files: [join(dir, 'src', 'ks.cfg'), join(dir, 'src', 'scripts'), `${join(dir, 'src', 'scripts')}/`], content: { 'ks.cfg': 'url {{ .HTTPIP }}', '/sub/a.txt': 'a' } };
  await stageMediaFiles(spec, staged, render, 'cd');
  assert.equal(listing(staged), ['ks.cfg', 'post.sh', 'scripts/post.sh', 'sub/a.txt']);
  assert.is(await execa('cat', [join(staged, 'ks.cfg')]).then((r) => r.stdout), 'url 10.0.2.2');
});

test('staging: a content path outside the medium is refused', async () => {
  const error = await kilnRejection(stageMediaFiles({ files: [], content: { '../x': 'no' } }, join(dir, 's'), render, 'floppy'));
  assert.match(error.message, 'outside the medium');
});

test('cd: the label and the exact file names (Joliet/Rock Ridge) are on the image', async () => {
  const image = join(dir, 'cd.iso');
  await writeCdImage(join(dir, 'src'), image, 'OEMDRV');
  const info = await execa('isoinfo', ['-d', '-i', image]);
  assert.match(info.stdout, 'Volume id: OEMDRV');
  const names = await execa('isoinfo', ['-R', '-f', '-i', image]);
  assert.equal(names.stdout.split('\n').sort(), ['/ks.cfg', '/scripts', '/scripts/post.sh']);
  assert.equal(readdirSync(dir).filter((f) => f.includes('partial')), []);
});

test('cd argv: the label, Joliet and Rock Ridge for both tools', () => {
  assert.equal(cdImageArgv('genisoimage', '/s', '/o.iso', 'cidata').args, ['-quiet', '-input-charset', 'utf-8', '-V', 'cidata', '-J', '-joliet-long', '-r', '-o', '/o.iso', '/s']);
  assert.equal(cdImageArgv('xorriso', '/s', '/o.iso', 'X').args.slice(0, 2), ['-as', 'mkisofs']);
});

test('floppy: a 1.44 MB FAT image with the label and the files', async () => {
  const image = join(dir, 'floppy.img');
  await writeFloppyImage(join(dir, 'src'), image, 'ANSWERS');
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
  const label = await execa('mlabel', ['-i', image, '-s', '::'], { env });
  assert.match(label.stdout, 'ANSWERS');
  const files = await execa('mdir', ['-i', image, '-/', '-b', '::'], { env });
  assert.equal(files.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort(), ['::/ks.cfg', '::/scripts/', '::/scripts/post.sh']);
  const size = (await execa('stat', ['-c', '%s', image])).stdout;
  assert.is(size, String(1440 * 1024));
});

test('floppy: more than fits is E_TOOL with the way out', async () => {
  writeFileSync(join(dir, 'src', 'big.bin'), Buffer.alloc(2 * 1024 * 1024, 1));
  const error = await kilnRejection(writeFloppyImage(join(dir, 'src'), join(dir, 'f.img'), undefined));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.hint ?? '', '1.44 MB');
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.img') || f.includes('partial')), []);
});

test.run();
