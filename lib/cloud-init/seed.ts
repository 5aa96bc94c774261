// The NoCloud seed of a build and how the guest is told where it is. Pure.
//
// Over HTTP (NoCloud-net) cloud-init fetches SEED_URL + "user-data", "meta-data",
// "network-config" (and "vendor-data", which kiln serves empty so the guest's request
// is answered). It learns SEED_URL from "ds=nocloud-net;s=SEED_URL" on the kernel
// command line (installer boots) or in the SMBIOS system serial number (disk images:
// QEMU's -smbios type=1,serial=..., argv.ts smbiosSerial). As a CD, the files sit in
// the root of a volume labelled CIDATA (cidata.ts).
import { renderMetaData, renderNetworkConfig, type MetaDataDefaults } from './meta-data.js';
import { withBuildDefaults } from './build-defaults.js';
import type { BuildUser, CloudInitSpec, Seed } from './types.js';
import { renderUserData } from './user-data.js';
import { SEED_HTTP_PREFIX } from '../template/placeholders.js';

export interface SeedInput extends MetaDataDefaults {
  /** With placeholders already rendered (mapStrings). */
  spec: CloudInitSpec;
  /** Added unless user_data already has it (build-defaults.ts); absent: user_data as written. */
  user?: BuildUser;
  /** With proxy: cache: apt's proxy, added with the user (build-defaults.ts). */
  aptProxy?: string;
}

export function renderSeed(input: SeedInput): Seed {
  const userData = input.user ? withBuildDefaults(input.spec.user_data, input.user, input.aptProxy ? { aptProxy: input.aptProxy } : {}) : input.spec.user_data;
  const metaData = renderMetaData(input.spec.meta_data, input);
  const seed: Seed = { userData: renderUserData(userData), metaData: metaData.text, instanceId: metaData.instanceId };
  if (input.spec.network_config !== undefined) seed.networkConfig = renderNetworkConfig(input.spec.network_config);
  return seed;
}

/** File name -> content, as on the CIDATA volume. */
export function seedFiles(seed: Seed): Record<string, string> {
  return {
    'user-data': seed.userData,
    'meta-data': seed.metaData,
    ...(seed.networkConfig !== undefined ? { 'network-config': seed.networkConfig } : {}),
  };
}

/** The seed as http.content entries under `prefix` ("/cloud-init/", as {{ .CloudInitURL }} names it). */
export function seedHttpContent(seed: Seed, prefix = SEED_HTTP_PREFIX): Record<string, string> {
  const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(seedFiles(seed))) out[`${dir}${name}`] = text;
  // cloud-init asks for vendor-data too; an empty answer is "none".
  out[`${dir}vendor-data`] = '';
  return out;
}

/**
 * "ds=nocloud-net;s=URL/": the NoCloud data source and its seed URL (which must end in
 * "/"). For http(s) the id is nocloud-net: cloud-init before 23.1 (Debian 12's 22.4)
 * reads "ds=nocloud" as local-only and ignores an http seed, falling back to no data
 * source at all; later versions read both ids the same way.
 */
export function nocloudSeedArg(seedUrl: string): string {
  const url = seedUrl.endsWith('/') ? seedUrl : `${seedUrl}/`;
  return `ds=${/^https?:/i.test(url) ? 'nocloud-net' : 'nocloud'};s=${url}`;
}
