// cloud-init user-data as served by kiln for NoCloud: a #cloud-config YAML document,
// and when it has an `autoinstall:` section (Ubuntu Server's installer, subiquity),
// that section's keys, types and the few values that silently break an install.
// Pure; positions come from the YAML parser.
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseYamlDocument } from '../util/yaml-document.js';
import { closestMatch } from '../util/did-you-mean.js';
import { own } from '../util/own.js';
import { firstYamlError } from '../util/yaml-error.js';
import { sortProblems, type LintProblem } from './problem.js';

type Expect = 'integer' | 'string' | 'boolean' | 'object' | 'array' | 'commands' | 'string-or-null';

/** The autoinstall keys subiquity reads (Ubuntu 22.04 and later) and their types. */
const AUTOINSTALL_KEYS: Readonly<Record<string, Expect>> = {
  version: 'integer',
  'interactive-sections': 'array',
  'early-commands': 'commands',
  'late-commands': 'commands',
  'error-commands': 'commands',
  reporting: 'object',
  'user-data': 'object',
  packages: 'array',
  'debconf-selections': 'string',
  locale: 'string',
  'refresh-installer': 'object',
  kernel: 'object',
  'kernel-crash-dumps': 'object',
  keyboard: 'object',
  zdevs: 'array',
  source: 'object',
  network: 'object',
  'ubuntu-pro': 'object',
  'ubuntu-advantage': 'object',
  proxy: 'string-or-null',
  apt: 'object',
  storage: 'object',
  identity: 'object',
  ssh: 'object',
  snaps: 'array',
  'active-directory': 'object',
  codecs: 'object',
  drivers: 'object',
  oem: 'object',
  timezone: 'string',
  updates: 'string',
  shutdown: 'string',
};

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  shutdown: ['reboot', 'poweroff'],
  updates: ['security', 'all'],
};

const HEADERS = ['#cloud-config', '## template: jinja'];

export interface UserDataLint {
  problems: LintProblem[];
  /** Whether the document has an `autoinstall:` section. */
  autoinstall: boolean;
}

export function lintUserData(text: string): UserDataLint {
  const problems: LintProblem[] = [];
  const firstLine = text.split('\n', 1)[0]!.replace(/\r$/, '').trimEnd();
  if (firstLine.startsWith('#!')) return { problems, autoinstall: false }; // a user-data script
  if (!HEADERS.includes(firstLine)) {
    problems.push({
      line: 1,
      column: 1,
      message: `user-data must start with the line "#cloud-config" (found ${JSON.stringify(firstLine.slice(0, 40))}): cloud-init ignores anything else as configuration`,
    });
  }
  const lineCounter = new LineCounter();
  // YAML 1.1, as cloud-init's PyYAML reads it: yes/no/on/off are booleans there.
  const doc = parseYamlDocument(text, { lineCounter, prettyErrors: false, version: '1.1' });
  const at = (node: Node | null | undefined): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  };
  const error = firstYamlError(doc, lineCounter);
  if (error) problems.push({ ...error, message: `YAML: ${error.message}` });
  if (doc.errors.length > 0) return { problems: sortProblems(problems), autoinstall: false };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { problems: sortProblems(problems), autoinstall: false };
  if (!isMap(root)) {
    problems.push({ ...at(root), message: 'user-data must be a mapping of cloud-config keys' });
    return { problems: sortProblems(problems), autoinstall: false };
  }
  const section = pairOf(root, 'autoinstall');
  if (section) lintAutoinstall(section, (node, message) => problems.push({ ...at(node), message }));
  return { problems: sortProblems(problems), autoinstall: section !== undefined };
}

type Report = (node: Node | null | undefined, message: string) => void;

function lintAutoinstall(section: Pair, report: Report): void {
  const key = section.key as Node;
  const value = section.value as Node | null;
  if (!isMap(value)) {
    report(value ?? key, 'autoinstall must be a mapping that starts with "version: 1"');
    return;
  }
  const version = pairOf(value, 'version');
  if (!version) report(key, 'autoinstall needs "version: 1"');
  for (const pair of value.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : '');
    const expect = own(AUTOINSTALL_KEYS, name);
    const node = pair.value as Node | null;
    if (!expect) {
      const near = closestMatch(name, Object.keys(AUTOINSTALL_KEYS));
      report(pair.key as Node, `unknown autoinstall key "${name}"${near ? `: did you mean "${near}"?` : ''} (the installer ignores it)`);
      continue;
    }
    if (expect === 'commands' && isSeq(node)) {
      const mapping = node.items.find((item) => isMap(item));
      if (mapping) {
        report(mapping as Node, `this ${name} entry is read as a mapping because of the ": " in it: put the whole command in quotes`);
        continue;
      }
    }
    const wrong = typeProblem(node, expect);
    if (wrong) {
      report(node ?? (pair.key as Node), `autoinstall.${name} must be ${wrong}`);
      continue;
    }
    const allowed = own(ENUMS, name);
    if (allowed && isScalar(node) && !allowed.includes(String(node.value))) {
      report(node, `autoinstall.${name} must be ${allowed.join(' or ')}, not ${JSON.stringify(node.value)}`);
    }
  }
  const number = isScalar(version?.value) ? version.value.value : undefined;
  if (version && Number.isInteger(number) && number !== 1) {
    report(version.value as Node, 'autoinstall.version must be the number 1');
  }
  const identity = pairOf(value, 'identity');
  if (identity && isMap(identity.value)) lintIdentity(identity.value, identity.key as Node, report);
  else if (!identity && !pairOf(value, 'user-data')) {
    report(key, 'autoinstall has no identity (or user-data): the installer would stop and ask for a user');
  }
  const ssh = pairOf(value, 'ssh');
  if (ssh && isMap(ssh.value)) {
    for (const flag of ['install-server', 'allow-pw']) {
      const pair = pairOf(ssh.value, flag);
      if (pair && typeProblem(pair.value as Node, 'boolean')) report(pair.value as Node, `autoinstall.ssh.${flag} must be true or false`);
    }
  }
}

function lintIdentity(identity: YAMLMap, key: Node, report: Report): void {
  for (const field of ['username', 'hostname', 'password']) {
    const pair = pairOf(identity, field);
    if (!pair) report(key, `autoinstall.identity needs ${field}`);
    else if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || pair.value.value === '') {
      report((pair.value as Node | null) ?? (pair.key as Node), `autoinstall.identity.${field} must be a non-empty string`);
    }
  }
  const password = pairOf(identity, 'password');
  if (password && isScalar(password.value) && typeof password.value.value === 'string' && password.value.value !== '') {
    if (!/^\$(1|5|6|y|2[aby]?)\$/.test(password.value.value)) {
      report(
        password.value,
        'autoinstall.identity.password must be a crypted hash such as "$6$..." (make one with: openssl passwd -6): a plain password is stored as the hash, so nobody could log in',
      );
    }
  }
}

function typeProblem(node: Node | null | undefined, expect: Expect): string | undefined {
  const value = isScalar(node) ? node.value : undefined;
  switch (expect) {
    case 'integer':
      return Number.isInteger(value) ? undefined : 'a whole number';
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'string-or-null':
      return typeof value === 'string' || value === null || node == null ? undefined : 'a string or null';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'object':
      return isMap(node) ? undefined : 'a mapping';
    case 'array':
      return isSeq(node) ? undefined : 'a list';
    case 'commands':
      return isSeq(node) && node.items.every((item) => (isScalar(item) && typeof item.value === 'string') || (isSeq(item) && item.items.every((w) => isScalar(w) && typeof w.value === 'string')))
        ? undefined
        : 'a list of commands (each a string, or a list of strings)';
  }
}

function pairOf(map: YAMLMap, name: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === name) as Pair | undefined;
}

/** meta-data: a YAML mapping (instance-id, local-hostname, ...) or empty. */
export function lintMetaData(text: string): LintProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, prettyErrors: false, version: '1.1' });
  const error = firstYamlError(doc, lineCounter);
  const problems: LintProblem[] = error ? [{ ...error, message: `YAML: ${error.message}` }] : [];
  const root = doc.contents;
  if (problems.length === 0 && root !== null && !isMap(root) && !(isScalar(root) && root.value === null)) {
    const { line, col } = lineCounter.linePos(root.range?.[0] ?? 0);
    problems.push({ line, column: col, message: 'meta-data must be a mapping such as "instance-id: my-vm", or empty' });
  }
  return problems;
}
