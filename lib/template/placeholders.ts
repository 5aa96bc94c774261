// The build-time placeholders' values, in one place for the three that need them: the
// build (real port and key), the stage cache (stand-ins for what differs per build) and
// the lint (samples, before anything runs).
import type { PlaceholderValues } from './types.js';

/** The host as the guest sees it: QEMU user networking and VirtualBox NAT both use it. */
export const GUEST_HOST_IP = '10.0.2.2';

/** Where the embedded server serves the cloud_init seed ({{ .CloudInitURL }}). */
export const SEED_HTTP_PREFIX = '/cloud-init/';

export interface PlaceholderInputs {
  name: string;
  outputDir: string;
  /** The HTTP server's port (or a stand-in); undefined when no server runs. */
  httpPort?: number | string;
  sshPublicKey?: string;
  /** The build's proxy as the guest reaches it (guestProxyUrl), or a stand-in; '' or undefined: none. */
  httpProxy?: string;
  /** kiln's package cache as the guest reaches it (packageCacheGuestUrl), or a stand-in; undefined: none. */
  proxyUrl?: string;
}

export function placeholderTable(inputs: PlaceholderInputs): PlaceholderValues {
  const port = inputs.httpPort;
  return {
    HTTPIP: GUEST_HOST_IP,
    HTTPPort: port ?? '',
    Name: inputs.name,
    SSHPublicKey: inputs.sshPublicKey ?? '',
    OutputDir: inputs.outputDir,
    CloudInitURL: port === undefined ? '' : `http://${GUEST_HOST_IP}:${port}${SEED_HTTP_PREFIX}`,
    HTTPProxy: inputs.httpProxy ?? '',
    ProxyURL: inputs.proxyUrl ?? '',
  };
}

/** The package cache (proxy: cache) as the guest reaches it: this host's 127.0.0.1 is 10.0.2.2. */
export const packageCacheGuestUrl = (port: number): string => `http://${GUEST_HOST_IP}:${port}`;
