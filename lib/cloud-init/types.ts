// The `cloud_init:` section of a template, and the NoCloud seed rendered from it.

/** cloud-config keys, as YAML would read them (`users:`, `packages:`, `runcmd:`, ...). */
export type CloudConfig = Record<string, unknown>;

/** One part of a multi-part (MIME) user-data. */
export type UserDataPart =
  /** text/cloud-config: keys, or a "#cloud-config" document as text. */
  | { cloud_config: CloudConfig | string }
  /** text/x-shellscript: run once per instance, late in boot (cloud-final), in part order. */
  | { script: string; filename?: string }
  /** text/cloud-boothook: run early, at every boot. */
  | { boothook: string; filename?: string }
  /** Any other part type cloud-init knows (text/x-include-url, text/jinja2, ...). */
  | { content_type: string; content: string; filename?: string };

/**
 * user_data as written: cloud-config keys (rendered as a #cloud-config document), a
 * literal document (cloud-config, a script, an existing MIME multi-part), or a list
 * of parts (rendered as MIME multi-part).
 */
export type UserDataSpec = CloudConfig | string | UserDataPart[];

/** How the guest gets the seed: from kiln's HTTP server (NoCloud-net), and/or a CIDATA CD. */
export type SeedDelivery = 'http' | 'cdrom';

export interface CloudInitSpec {
  user_data: UserDataSpec;
  /** Keys of meta-data (instance-id, local-hostname, ...), or a literal document. */
  meta_data: CloudConfig | string;
  /** Network configuration version 1 or 2; absent: cloud-init's default (DHCP on the first NIC). */
  network_config?: CloudConfig | string;
  /** At least one; default ['http']. */
  via: SeedDelivery[];
}

/** The three files of a NoCloud seed. */
export interface Seed {
  userData: string;
  metaData: string;
  networkConfig?: string;
  /** The instance-id the guest will see: meta_data's own, or kiln's. */
  instanceId: string;
}

/** What the build adds to user-data so kiln can log in. */
export interface BuildUser {
  /** ssh.username */
  username: string;
  /** The public key kiln logs in with (generated, or the template's private_key's). */
  sshPublicKey?: string;
  /** ssh.password, when the template gives one. */
  password?: string;
}
