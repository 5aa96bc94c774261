export { startPackageCache, type PackageCache, type PackageCacheOptions } from './server.js';
export { PACKAGES_LOCK, readPackagesLock, type LockEntry, type PackagesLock } from './recording.js';
export { describeStats, type PackageCacheStats } from './stats.js';
export { PackageStore, type UrlRecord } from './store.js';
export { OfflineMiss } from './resolve.js';
