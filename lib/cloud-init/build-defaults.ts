// What kiln adds to user-data so that it can log in: the ssh.username user with kiln's
// public key and/or the password, and sudo without a password; with proxy: cache, apt's
// proxy (kiln's package cache). Whatever the template already says wins; only what is
// missing is added. Pure.
//
// Changes are made on a YAML document, so a literal #cloud-config keeps its comments.
import { Document, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { BuildUser, CloudConfig, UserDataPart, UserDataSpec } from './types.js';
import { userDataKind } from './user-data.js';
import { CLOUD_CONFIG_HEADER, TO_STRING, parseYaml } from './yaml-text.js';

export const SUDO_NOPASSWD = 'ALL=(ALL) NOPASSWD:ALL';
const PASSWORD_KEYS = ['passwd', 'hashed_passwd', 'plain_text_passwd'];

/**
 * user_data with the build user added. Cloud-config (keys or text) is merged; a script
 * becomes a multi-part with the user's cloud-config before it; a literal MIME
 * multi-part, #include or jinja template is returned unchanged (see canAddBuildUser).
 */
export function withBuildDefaults(userData: UserDataSpec, user: BuildUser, extras: BuildExtras = {}): UserDataSpec {
  if (typeof userData === 'string') {
    switch (userDataKind(userData)) {
      case 'cloud-config':
        return addToText(userData, user, extras) ?? userData;
      case 'script':
        return [{ cloud_config: addToConfig({}, user, extras) }, { script: userData }];
      default:
        return userData;
    }
  }
  if (!Array.isArray(userData)) return addToConfig(userData, user, extras);
  const parts: UserDataPart[] = [...userData];
  const first = parts.findIndex((p) => 'cloud_config' in p);
  if (first < 0) return [{ cloud_config: addToConfig({}, user, extras) }, ...parts];
  const { cloud_config: config } = parts[first] as { cloud_config: CloudConfig | string };
  parts[first] = { cloud_config: typeof config === 'string' ? (addToText(config, user, extras) ?? config) : addToConfig(config, user, extras) };
  return parts;
}

/** False when kiln leaves user_data as written (a literal multi-part, #include, jinja, ...), so the template must create the user itself. */
export function canAddBuildUser(userData: UserDataSpec): boolean {
  if (typeof userData !== 'string') return true;
  const kind = userDataKind(userData);
  return kind === 'cloud-config' || kind === 'script';
}

/** More that kiln adds to the first cloud-config. */
export interface BuildExtras {
  /** apt's proxy (`apt: { proxy }`): kiln's package cache as the guest reaches it. */
  aptProxy?: string;
}

function addToConfig(config: CloudConfig, user: BuildUser, extras: BuildExtras): CloudConfig {
  const doc = new Document(config, { version: '1.1' });
  addUser(doc, user);
  addAptProxy(doc, extras.aptProxy);
  return doc.toJS() as CloudConfig;
}

/** Undefined when the text does not parse as YAML (lint reports it). */
function addToText(text: string, user: BuildUser, extras: BuildExtras): string | undefined {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) return undefined;
  if (doc.contents !== null && !isMap(doc.contents) && !(isScalar(doc.contents) && doc.contents.value === null)) return undefined;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  addUser(doc, user);
  addAptProxy(doc, extras.aptProxy);
  const out = doc.toString(TO_STRING);
  return out.startsWith(CLOUD_CONFIG_HEADER) ? out : `${CLOUD_CONFIG_HEADER}\n${out}`;
}

function addUser(doc: Document, user: BuildUser): void {
  let users = doc.get('users', true);
  // "users: default, vagrant" is cloud-init's short form of a list of names.
  if (isScalar(users) && typeof users.value === 'string') {
    users = doc.createNode(users.value.split(',').map((s) => s.trim()).filter(Boolean));
    doc.set('users', users);
  }
  if (users === undefined || (isScalar(users) && users.value === null)) {
    doc.set('users', doc.createNode([newUser(user)]));
  } else if (isSeq(users)) {
    const index = users.items.findIndex((item) => nameOf(item) === user.username);
    if (index < 0) users.add(doc.createNode(newUser(user)));
    else if (isMap(users.items[index])) fillUser(doc, users.items[index] as YAMLMap, user);
    else users.items[index] = doc.createNode(newUser(user));
  }
  // Any other form of users (the old mapping of name -> settings) is left to the template.
  if (user.password !== undefined && !doc.has('ssh_pwauth')) doc.set('ssh_pwauth', true);
}

/** apt: { proxy: URL }, unless the template names a proxy for apt itself. */
function addAptProxy(doc: Document, url: string | undefined): void {
  if (!url) return;
  const apt = doc.get('apt', true);
  if (apt !== undefined && !(isScalar(apt) && apt.value === null) && !isMap(apt)) return;
  if (isMap(apt) && (apt.has('proxy') || apt.has('http_proxy'))) return;
  if (isMap(apt)) apt.set('proxy', url);
  else doc.set('apt', doc.createNode({ proxy: url }));
}

function nameOf(item: unknown): unknown {
  if (isScalar(item)) return item.value;
  if (isMap(item)) return item.get('name');
  return undefined;
}

function newUser(user: BuildUser): Record<string, unknown> {
  return {
    name: user.username,
    sudo: SUDO_NOPASSWD,
    shell: '/bin/bash',
    ...(user.password !== undefined ? { lock_passwd: false, plain_text_passwd: user.password } : {}),
    ...(user.sshPublicKey ? { ssh_authorized_keys: [user.sshPublicKey] } : {}),
  };
}

function fillUser(doc: Document, entry: YAMLMap, user: BuildUser): void {
  if (!entry.has('sudo')) entry.set('sudo', SUDO_NOPASSWD);
  if (user.password !== undefined && !PASSWORD_KEYS.some((k) => entry.has(k))) {
    if (!entry.has('lock_passwd')) entry.set('lock_passwd', false);
    entry.set('plain_text_passwd', user.password);
  }
  if (!user.sshPublicKey) return;
  const keys = entry.get('ssh_authorized_keys', true);
  // kiln's key is added next to the template's own: kiln needs it to log in.
  if (keys === undefined || (isScalar(keys) && keys.value === null)) entry.set('ssh_authorized_keys', doc.createNode([user.sshPublicKey]));
  else if (isSeq(keys) && !keys.items.some((k) => isScalar(k) && k.value === user.sshPublicKey)) keys.add(doc.createNode(user.sshPublicKey));
}
