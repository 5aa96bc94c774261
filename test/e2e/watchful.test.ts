// End to end on real QEMU (TCG): the waits that watch the guest (boot.wait auto,
// <waitScreen> with real tesseract, <waitHttp>, <waitSerial>), --json, --console and
// --screenshots; a broken boot command's failure.png and SSH-timeout error; and the
// interactive paths (--on-error=ask, kiln console) driven through pseudo-terminals.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recognizeText } from '../../lib/screen/ocr.js';
import { decodePng } from '../../lib/screen/png.js';
import { screenShows } from '../../lib/screen/text-match.js';
import { ptyKiln } from '../console/pty-kiln.js';
import { installerIso, qemuPids } from '../helpers/fixtures.js';
import { runKiln } from '../helpers/run-kiln.js';

// A stand-in key: the fixture only checks the shape, and ssh: none never logs in.
const DUMMY_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKilnE2eDummyKeyNotUsedForLoginAtAll0000 e2e';

async function project(name: string, yaml: string): Promise<{ dir: string; runtime: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), `kiln-e2e-${name}-`));
  await writeFile(join(dir, 'kiln.yaml'), yaml);
  // Running builds are recorded under XDG_RUNTIME_DIR, cached build stages under
  // XDG_CACHE_HOME: each test has its own, so no test resumes from another's install.
  const runtime = join(dir, 'runtime');
  return { dir, runtime, env: { XDG_RUNTIME_DIR: runtime, XDG_CACHE_HOME: join(dir, 'cache') } };
}

/** OCR of a saved screenshot, after checking it is a real PNG of a VGA screen. */
async function screenText(png: string): Promise<string> {
  const frame = decodePng(await readFile(png));
  assert.ok(frame.width >= 640 && frame.height >= 400, `${png} is ${frame.width}x${frame.height}`);
  return recognizeText(png);
}

type Event = { type: string; time: string; [key: string]: unknown };

test('boot.wait auto, <waitScreen>, <waitHttp> and <waitSerial> gate typing; --json, --console, --screenshots', async () => {
  const iso = await installerIso();
  const { dir, env } = await project('watch', `
name: watch
variables: { iso: {} }
source: { iso: { url: "{{ var \`iso\` }}", checksum: none } }
machine: { cpus: 1, memory: 512, disk: 1G }
http:
  content:
    /answers.txt: |
      hostname watch
      user kiln
      authorized_key ${DUMMY_KEY}
      finish poweroff
boot:
  wait: auto
  key_interval: 10ms
  command:
    - '<waitScreen "kiln test installer">'
    - "install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/answers.txt<enter>"
    - "<waitHttp /answers.txt>"
    - '<waitSerial /answer file ok \\(hostname watch/>'
ssh: none
shutdown: { timeout: 2m }
output: { directory: out, formats: [qcow2] }
`);
  try {
    const begin = Date.now();
    const run = await runKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`, '--json', '--console', '--screenshots'], { cwd: dir, env });
    const out = join(dir, 'out');
    assert.is(run.code, 0, `kiln build failed:\n${run.stderr}`);
    console.log(`    watch build: ${((Date.now() - begin) / 1000).toFixed(1)}s`);

    // stdout is JSON lines and nothing else, in time order.
    const events: Event[] = run.stdout.trimEnd().split('\n').map((line, i) => {
      try {
        return JSON.parse(line) as Event;
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${line}`);
      }
    });
    assert.ok(events.every((e) => typeof e.type === 'string' && !Number.isNaN(Date.parse(e.time))));
    assert.is(events[0]!.type, 'build-started');
    assert.is(events.at(-1)!.type, 'build-finished');
    const find = (pred: (e: Event) => boolean, what: string) => {
      const i = events.findIndex(pred);
      assert.ok(i >= 0, `no ${what} event`);
      return i;
    };
    for (const step of ['start-vm', 'boot-command', 'shutdown', 'export']) {
      const finished = events[find((e) => e.type === 'step-finished' && e.step === step, `${step} finished`)]!;
      assert.is(finished.status, 'ok');
      assert.type(finished.ms, 'number');
      assert.ok(find((e) => e.type === 'step-started' && e.step === step, `${step} started`) < events.indexOf(finished));
    }

    // boot.wait auto: typing started once the prompt was drawn, well before a fixed 10 s.
    const wait = events[find((e) => e.type === 'boot-wait', 'boot-wait')]!;
    assert.equal([wait.mode, wait.settled], ['auto', true]);
    assert.ok((wait.ms as number) >= 3000 && (wait.ms as number) < 10_000, `auto waited ${wait.ms} ms`);
    assert.ok(find((e) => e.type === 'serial' && /boot:/.test(e.line as string), 'serial boot:') < events.indexOf(wait), 'typing was allowed before the boot prompt');
    // boot-00.png is the screen at the moment typing started: the prompt and its banner.
    const before = await screenText(join(out, 'boot-00.png'));
    assert.ok(screenShows(before, 'kiln test installer') && screenShows(before, 'boot:'), `boot-00.png shows:\n${before}`);

    // <waitScreen> read the banner with tesseract.
    const screen = events[find((e) => e.type === 'wait' && e.kind === 'screen', 'waitScreen')]!;
    assert.is(screen.target, 'kiln test installer');

    // Every key arrived: the installer got exactly the typed command line.
    const port = /serving http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr)?.[1];
    const typed = `install ks=http://10.0.2.2:${port}/answers.txt`;
    const serialLog = await readFile(join(out, 'serial.log'), 'latin1');
    const cmdline = /KILN-FIXTURE-CMDLINE: (.*)/.exec(serialLog)?.[1]?.trim() ?? '';
    assert.ok(cmdline.endsWith(` ks=http://10.0.2.2:${port}/answers.txt`), `command line garbled: ${cmdline}`);
    const keys = events.filter((e) => e.type === 'keys');
    assert.equal(keys.map((e) => [e.line, e.keys]), [[1, 0], [2, typed.length + 1], [3, 0], [4, 0]]);

    // <waitHttp> returned once the guest had fetched the file, and says who fetched it.
    const request = find((e) => e.type === 'http-request' && e.path === '/answers.txt', 'http-request');
    const http = find((e) => e.type === 'wait' && e.kind === 'http', 'waitHttp');
    assert.ok(request < http, 'waitHttp finished before the request');
    assert.match(String((events[http]!.detail as { user_agent: string }).user_agent), /Wget/);
    assert.match(run.stderr, /guest \S+ \(Wget\) fetched \/answers\.txt: 200/);

    // <waitSerial /re/> returned after the installer printed it: the screenshot taken
    // right after that line shows it on the screen too.
    const serialWait = find((e) => e.type === 'wait' && e.kind === 'serial', 'waitSerial');
    assert.ok(http < serialWait);
    assert.match(String((events[serialWait]!.detail as { match: string }).match), /^answer file ok \(hostname watch$/);
    const after = await screenText(join(out, 'boot-04.png'));
    assert.ok(screenShows(after, 'answer file ok'), `boot-04.png shows:\n${after}`);
    for (const n of ['01', '02', '03']) decodePng(await readFile(join(out, `boot-${n}.png`)));

    // --console: the guest's lines on stderr, set apart from kiln's, and as events.
    assert.match(run.stderr, /^serial> KILN-FIXTURE-CMDLINE: /m);
    assert.match(run.stderr, /^ok  boot-command/m);
    assert.ok(events.some((e) => e.type === 'serial' && String(e.line).startsWith('KILN-FIXTURE: install complete')));
    assert.not.ok(existsSync(join(out, 'failure.png')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('<waitScreen> that never shows fails the build with what the screen said and failure.png', async () => {
  const iso = await installerIso();
  const { dir, env } = await project('noscreen', `
name: noscreen
variables: { iso: {} }
source: { iso: { url: "{{ var \`iso\` }}", checksum: none } }
machine: { cpus: 1, memory: 256, disk: 1G }
boot:
  wait: 0s
  command: ['<waitScreen "Welcome to Debian">', "install<enter>"]
ssh: { username: kiln, password: x, timeout: 8s }
output: { directory: out }
`);
  try {
    const run = await runKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`, '--json'], { cwd: dir, env });
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stderr, /timed out after 8(\.0)?s waiting for the screen to show "Welcome to Debian"; the screen last read: "[^"]*kiln test installer/);
    assert.match(run.stderr, /\[E_BOOT\]/);
    const failure = await screenText(join(dir, 'out', 'failure.png'));
    assert.ok(screenShows(failure, 'kiln test installer'), failure);
    const error = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Event).find((e) => e.type === 'error');
    assert.equal([error?.code, error?.exit_code], ['E_BOOT', 1]);
    assert.equal(await qemuPids('kiln-noscreen'), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a broken boot command: SSH-timeout error with serial lines and failure.png; --on-error=ask (serial shell) and kiln console in ptys', async () => {
  const iso = await installerIso();
  const { dir, env } = await project('broken', `
name: broken
variables: { iso: {} }
source: { iso: { url: "{{ var \`iso\` }}", checksum: none } }
machine: { cpus: 1, memory: 256, disk: 1G }
http:
  content:
    /answers.txt: |
      hostname broken
      user kiln
      authorized_key {{ .SSHPublicKey }}
boot:
  wait: 0s
  command: ['<waitSerial "boot:">', "instal ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/answers.txt<enter>"]
ssh: { username: kiln, timeout: 15s }
output: { directory: out }
`);
  const build = ptyKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`, '--on-error=ask'], { cwd: dir, env });
  const consoles: ReturnType<typeof ptyKiln>[] = [];
  try {
    await build.waitFor(/choice \[s\/c\/r\/k\/a\]: $/, 90_000);
    const shown = build.text();
    // What was tried, what the guest printed, where its screen is.
    assert.match(shown, /no SSH login to 127\.0\.0\.1:\d+ as kiln \(public key\) within 15s: \d+ attempts?, last error: /);
    assert.match(shown, /last serial console lines \(.*serial\.log\):[\s\S]*Loading instal\.\.\. failed/);
    const png = join(dir, 'out', 'failure.png');
    assert.match(shown, new RegExp(`the guest's screen: ${png.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(shown, /\[E_SSH_TIMEOUT\]/);
    assert.match(shown, /step wait-ssh failed; the VM is still running/);
    const failure = await screenText(png);
    assert.ok(screenShows(failure, 'Loading instal... failed'), `failure.png shows:\n${failure}`);

    // Another terminal attaches to the VM's serial console, types at the boot prompt, detaches.
    const cons = ptyKiln(['console', 'broken'], { cwd: dir, env });
    consoles.push(cons);
    await cons.waitFor(/serial console of broken .*Ctrl-\] detaches/);
    cons.write('xyz\r');
    await cons.waitFor(/Loading xyz\.\.\. failed/, 30_000);
    cons.write('\x1d');
    await cons.waitFor(/detached from broken/);
    assert.is((await cons.exited).exitCode, 0);

    // "shell": SSH does not answer, so the serial console it is.
    build.mark();
    build.write('s\r');
    await build.waitFor(/SSH does not answer \([^)]*\); using the serial console instead[\s\S]*serial console of broken/, 30_000);
    build.write('abc\r');
    await build.waitFor(/Loading abc\.\.\. failed/, 30_000);
    build.write('\x1d');
    await build.waitFor(/detached from broken[\s\S]*choice \[s\/c\/r\/k\/a\]: $/);

    // "clean up": QEMU stops, the work files go, failure.png stays.
    build.write('k\r');
    const exit = await build.exited;
    assert.is(exit.exitCode, 1, build.text().slice(-3000));
    assert.equal(await qemuPids('kiln-broken'), []);
    assert.not.ok(existsSync(join(dir, 'out', '.kiln-work')));
    assert.ok(existsSync(png));
    const gone = await runKiln(['console', 'broken'], { cwd: dir, env });
    assert.is(gone.code, 2);
    assert.match(gone.stderr, /no running kiln build is called "broken"/);
  } finally {
    build.kill();
    for (const c of consoles) c.kill();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--on-error=ask over SSH: a shell in the guest, a command, exit, retry the step, then clean up', async () => {
  const iso = await installerIso();
  const { dir, env } = await project('asker', `
name: asker
variables: { iso: {} }
source: { iso: { url: "{{ var \`iso\` }}", checksum: none } }
machine: { cpus: 2, memory: 512, disk: 1G }
http:
  content:
    /answers.txt: |
      hostname asker
      user kiln
      authorized_key {{ .SSHPublicKey }}
boot:
  wait: 0s
  command: ['<waitSerial "boot:">', "install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/answers.txt<enter>"]
ssh: { username: kiln, timeout: 5m }
provision:
  - shell: { inline: ['test -f /tmp/fixed || { echo "not fixed yet"; exit 3; }', 'echo "fixed now"'] }
  - shell: { inline: ["exit 7"] }
output: { directory: out }
`);
  const build = ptyKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`, '--on-error=ask'], { cwd: dir, env });
  try {
    const begin = Date.now();
    await build.waitFor(/step provision failed; the VM is still running[\s\S]*choice \[s\/c\/r\/k\/a\]: $/, 240_000);
    console.log(`    asker: first failure after ${((Date.now() - begin) / 1000).toFixed(1)}s`);
    assert.match(build.text(), /not fixed yet/);

    build.mark();
    build.write('s\r');
    await build.waitFor(/shell over SSH as kiln@127\.0\.0\.1:\d+/);
    await build.waitFor(/\$ $/, 30_000); // the guest's shell prompt
    build.write('hostname; touch /tmp/fixed; echo "answer=$((6 * 7))"\r');
    await build.waitFor(/^asker\r?$[\s\S]*answer=42/m, 30_000);
    build.write('exit\r');
    await build.waitFor(/the session ended in asker[\s\S]*choice \[s\/c\/r\/k\/a\]: $/, 30_000);

    // Retry: the first provisioner passes now; the second fails, and we are asked again.
    build.mark();
    build.write('r\r');
    await build.waitFor(/fixed now[\s\S]*exit(ed with)? (code )?7[\s\S]*choice \[s\/c\/r\/k\/a\]: $/, 60_000);
    build.write('k\r');
    const exit = await build.exited;
    assert.is(exit.exitCode, 1, build.text().slice(-3000));
    assert.equal(await qemuPids('kiln-asker'), []);
    assert.not.ok(existsSync(join(dir, 'out', '.kiln-work')));
    console.log(`    asker: total ${((Date.now() - begin) / 1000).toFixed(1)}s`);
  } finally {
    build.kill();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
