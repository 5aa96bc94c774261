// Rules the schema cannot express: sizes, durations, checksums, exactly-one-of choices,
// cross-key rules (ssh: none) and which local paths must exist. Pure: the paths are
// returned for check-paths.ts to look at. Runs on data that may have failed the schema,
// so every rule checks the types it relies on.
import { isAbsolute } from 'node:path';
import { parseCloudInitSpec } from '../cloud-init/spec.js';
import { parseChecksumSpec } from '../source/checksum-spec.js';
import { parseProxyUrl } from '../source/proxy-settings.js';
import { redactUrl } from '../util/redact-url.js';
import { formatSize, MIB, parseSize, SIZE_HINT, TIB } from '../util/size.js';
import { scanExpressions } from './expressions.js';
import type { Finding, Segment } from './finding.js';
import { resolveLocation } from './paths.js';
import { VARIABLE_NAME } from './variables.js';
import { Checker, isRecord, type Data, type SemanticResult } from './checker.js';
import { checkPostProcess, checkProvision } from './check-steps.js';
import { checkScopedPlaceholders } from './check-scoped-placeholders.js';
import { checkMedia } from './check-media.js';
import { checkMatrix } from './check-matrix.js';

export type { PathCheck, SemanticResult } from './checker.js';

export function checkSemantics(data: unknown, dir: string): SemanticResult {
  const c = new Checker(dir);
  if (!isRecord(data)) return c;
  checkVariables(c, data.variables);
  checkMatrix(c, data);
  checkSource(c, data.source);
  checkMachine(c, data.machine);
  checkHttp(c, data.http);
  checkMedia(c, data);
  checkCloudInit(c, data.cloud_init);
  checkCloudInitUrl(c, data);
  checkBoot(c, data.boot);
  checkSsh(c, data);
  checkProxy(c, data.proxy);
  checkProvision(c, data.provision);
  checkPostProcess(c, data.post_process);
  checkShutdown(c, data);
  checkOutput(c, data.output);
  checkOvaName(c, data);
  c.findings.push(...checkScopedPlaceholders(data));
  return c;
}

function checkVariables(c: Checker, variables: unknown): void {
  if (!isRecord(variables)) return;
  for (const name of Object.keys(variables)) {
    if (!VARIABLE_NAME.test(name)) {
      c.problem(['variables', name], `"${name}" is not a valid variable name: use letters, digits, "_" and "-", starting with a letter`, 'key');
    }
  }
}

function checkSource(c: Checker, source: unknown): void {
  if (!isRecord(source)) return;
  for (const kind of ['iso', 'disk'] as const) {
    const spec = source[kind];
    if (!isRecord(spec)) continue;
    const given = (['url', 'urls', 'path'] as const).filter((k) => spec[k] !== undefined);
    if (given.length === 0) c.problem(['source', kind], `missing "url": give url (a URL or path), urls (a list tried in order) or path`, 'key');
    for (const extra of given.slice(1)) {
      c.problem(['source', kind, extra], `give only one of url, urls or path (found ${given.join(', ')})`, 'key');
    }
    // A single local source must exist; in a urls list the later entries are fallbacks,
    // so a missing local one is the fetcher's to skip.
    if (typeof spec.url === 'string') location(c, ['source', kind, 'url'], spec.url, true);
    if (typeof spec.path === 'string') location(c, ['source', kind, 'path'], spec.path, true);
    if (Array.isArray(spec.urls)) spec.urls.forEach((u, i) => typeof u === 'string' && location(c, ['source', kind, 'urls', i], u, false));
    if (typeof spec.checksum === 'string') {
      const parsed = parseChecksumSpec(spec.checksum);
      if (!parsed.ok) c.problem(['source', kind, 'checksum'], parsed.message);
      else if (parsed.spec.kind === 'file') location(c, ['source', kind, 'checksum'], parsed.spec.location, true);
    }
  }
}

function location(c: Checker, path: Segment[], value: string, mustExist: boolean): void {
  const resolved = resolveLocation(c.dir, value);
  if (!resolved.ok) c.problem(path, resolved.message);
  // A local path, not a URL, must exist.
  else if (mustExist && isAbsolute(resolved.location)) c.paths.push({ path, absolute: resolved.location, expect: 'file' });
}

function checkMachine(c: Checker, machine: unknown): void {
  if (!isRecord(machine)) return;
  const memory = size(c, ['machine', 'memory'], machine.memory, MAX_MEMORY);
  if (memory !== undefined && memory % MIB !== 0) c.problem(['machine', 'memory'], 'must be a whole number of MiB, like 1536 or 2G');
  size(c, ['machine', 'disk'], machine.disk, MAX_DISK);
  const vbox = machine.virtualbox;
  if (isRecord(vbox) && Array.isArray(vbox.modifyvm)) {
    vbox.modifyvm.forEach((args, i) => {
      if (Array.isArray(args) && args.length === 0) {
        c.problem(['machine', 'virtualbox', 'modifyvm', i], 'an empty argument list: write the modifyvm options, e.g. ["--nic1", "nat"]');
      }
    });
  }
}

/** Far above any workstation, and below what makes sizes lose precision. */
export const MAX_MEMORY = 4 * TIB;
export const MAX_DISK = 64 * TIB;

function size(c: Checker, path: Segment[], value: unknown, max: number): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const bytes = parseSize(value, MIB);
  if (bytes === undefined) c.problem(path, `${JSON.stringify(value)} is not a size: ${SIZE_HINT}`);
  else if (bytes < MIB) c.problem(path, `${JSON.stringify(value)} is too small: give at least 1M`);
  else if (bytes > max) c.problem(path, `${JSON.stringify(value)} is too large: give at most ${formatSize(max)} (a typo, or a unit missing: a bare number is MiB)`);
  else return bytes;
  return undefined;
}

function checkHttp(c: Checker, http: unknown): void {
  if (!isRecord(http)) return;
  c.localPath(['http', 'directory'], http.directory, 'directory');
  if (!isRecord(http.content)) return;
  for (const urlPath of Object.keys(http.content)) {
    if (!urlPath.startsWith('/')) {
      c.problem(['http', 'content', urlPath], `URL path "${urlPath}" must start with "/": write "/${urlPath}"`, 'key');
    }
  }
}

function checkCloudInit(c: Checker, cloudInit: unknown): void {
  if (cloudInit === undefined) return;
  c.findings.push(...parseCloudInitSpec(cloudInit).findings);
}

/** {{ .CloudInitURL }} names the seed kiln serves over HTTP: without one the guest would get an empty URL or a 404. */
function checkCloudInitUrl(c: Checker, data: Data): void {
  const via = isRecord(data.cloud_init) ? data.cloud_init.via ?? 'http' : undefined;
  if (via === 'http' || (Array.isArray(via) && via.includes('http'))) return;
  const places: [Segment[], unknown][] = [];
  const boot = isRecord(data.boot) ? data.boot.command : undefined;
  if (typeof boot === 'string') places.push([['boot', 'command'], boot]);
  if (Array.isArray(boot)) boot.forEach((line, i) => places.push([['boot', 'command', i], line]));
  const content = isRecord(data.http) && isRecord(data.http.content) ? data.http.content : {};
  for (const [key, text] of Object.entries(content)) places.push([['http', 'content', key], text]);
  const usesUrl = (text: unknown) =>
    typeof text === 'string' && scanExpressions(text).pieces.some((p) => p.kind === 'expression' && p.expression.kind === 'placeholder' && p.expression.name === 'CloudInitURL');
  const found = places.find(([, text]) => usesUrl(text));
  if (!found) return;
  const fix = via === undefined ? 'add cloud_init: {} (kiln then serves its seed there)' : 'add http to cloud_init.via';
  c.problem(found[0], `{{ .CloudInitURL }} is the seed kiln serves over HTTP, and this template serves none: ${fix}`);
}

function checkBoot(c: Checker, boot: unknown): void {
  if (!isRecord(boot)) return;
  c.duration(['boot', 'wait'], boot.wait, { auto: true });
  c.duration(['boot', 'key_interval'], boot.key_interval);
}

function checkSsh(c: Checker, data: Data): void {
  const ssh = data.ssh;
  if (ssh === 'none') {
    if (Array.isArray(data.provision) && data.provision.length > 0) {
      c.problem(['provision'], 'provisioners run over SSH, but ssh is none: remove provision, or set ssh: { username: ... }', 'key');
    }
    return;
  }
  if (!isRecord(ssh)) return;
  if (typeof ssh.username === 'string' && !ssh.username.trim()) c.problem(['ssh', 'username'], 'the username is empty: give the login user, e.g. vagrant');
  c.localPath(['ssh', 'private_key'], ssh.private_key, 'file');
  c.duration(['ssh', 'timeout'], ssh.timeout, { positive: true });
}

function checkProxy(c: Checker, proxy: unknown): void {
  if (!isRecord(proxy) || typeof proxy.upstream !== 'string') return;
  const check = parseProxyUrl(proxy.upstream);
  // The URL may carry a password: quoted masked.
  if (!check.ok) c.problem(['proxy', 'upstream'], `${redactUrl(proxy.upstream)} is not a proxy URL: ${check.reason}`);
}

function checkShutdown(c: Checker, data: Data): void {
  const shutdown = data.shutdown;
  if (!isRecord(shutdown)) return;
  const command = shutdown.command;
  if (typeof command === 'string' && !command.trim()) c.problem(['shutdown', 'command'], 'the command is empty: give a command, or none for the ACPI power button');
  if (data.ssh === 'none' && typeof command === 'string' && command !== 'none' && command.trim()) {
    c.problem(['shutdown', 'command'], 'a shutdown command runs over SSH, but ssh is none: remove it, or write none');
  }
  c.duration(['shutdown', 'timeout'], shutdown.timeout, { positive: true });
}

function checkOutput(c: Checker, output: unknown): void {
  if (!isRecord(output)) return;
  const formats = output.formats;
  if (Array.isArray(formats)) {
    formats.forEach((format, i) => {
      if (formats.indexOf(format) < i) {
        c.problem(['output', 'formats', i], `${JSON.stringify(format)} is listed twice: remove the duplicate`);
      }
    });
  }
  checkVagrant(c, output.vagrant);
  const directory = output.directory;
  if (typeof directory !== 'string') return;
  if (!directory.trim()) c.problem(['output', 'directory'], 'the directory is empty: give a path like output/{{ .Name }}');
  for (const piece of scanExpressions(directory).pieces) {
    if (piece.kind === 'expression' && piece.expression.kind === 'placeholder' && piece.expression.name !== 'Name') {
      const finding: Finding = {
        path: ['output', 'directory'],
        message: `${piece.source} is not known when the output directory is chosen: only {{ .Name }} can be used here`,
        offset: piece.start,
      };
      c.findings.push(finding);
    }
  }
}

/** An OVA's members are NAME.ovf, NAME-disk001.vmdk and NAME.mf, and tar names hold 100 bytes. */
const OVA_NAME_MAX = 87;

function checkOvaName(c: Checker, data: Data): void {
  const formats = isRecord(data.output) ? data.output.formats : undefined;
  if (typeof data.name === 'string' && data.name.length > OVA_NAME_MAX && Array.isArray(formats) && formats.includes('ova')) {
    c.problem(['name'], `the name is ${data.name.length} characters; an OVA's member names allow at most ${OVA_NAME_MAX}: shorten it`);
  }
}

function checkVagrant(c: Checker, vagrant: unknown): void {
  if (!isRecord(vagrant)) return;
  c.localPath(['output', 'vagrant', 'vagrantfile'], vagrant.vagrantfile, 'file');
  if (vagrant.layout !== undefined && vagrant.provider === 'virtualbox') {
    c.problem(['output', 'vagrant', 'layout'], 'layout chooses the metadata.json of libvirt boxes: remove it for provider virtualbox', 'key');
  }
}

