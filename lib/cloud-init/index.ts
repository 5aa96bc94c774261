// Public surface of lib/cloud-init: the NoCloud seed of a cloud-image build, from the
// template's `cloud_init:` section to the files the guest reads (over HTTP or on a
// CIDATA CD), its lint, and the check that cloud-init finished in the guest.
export { parseCloudInitSpec, type SpecResult } from './spec.js';
export { mapStrings, renderUserData, userDataKind, type UserDataKind } from './user-data.js';
export { canAddBuildUser, withBuildDefaults, SUDO_NOPASSWD } from './build-defaults.js';
export { hostnameFor, instanceIdFor, newInstanceId, renderMetaData, renderNetworkConfig } from './meta-data.js';
export { nocloudSeedArg, renderSeed, seedFiles, seedHttpContent, type SeedInput } from './seed.js';
export { CIDATA_LABEL, chooseIsoTool, isoToolArgv, writeCidataIso, type CidataOptions, type CidataResult, type IsoTool } from './cidata.js';
export { buildIso9660, type IsoFile, type IsoOptions } from './iso9660.js';
export { lintCloudInit, type SeedLintOptions } from './lint-seed.js';
export { cloudInitWaitCommand, cloudInitStatusError, parseCloudInitStatus, type CloudInitStatus } from './status.js';
export type { BuildUser, CloudConfig, CloudInitSpec, Seed, SeedDelivery, UserDataPart, UserDataSpec } from './types.js';
