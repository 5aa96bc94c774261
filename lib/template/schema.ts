// The shape of a template file as a JSON schema: keys, types and enums only. Rules that
// need more than one value, the file system or a parser live in semantics.ts.
// `description` says what is expected; check-schema.ts puts it in messages.
import { VBOX_CHIPSETS, VBOX_DISK_INTERFACES, VBOX_GRAPHICS, VBOX_NIC_TYPES } from '../hypervisor/virtualbox/spec.js';
import { QEMU_DISK_INTERFACES } from '../hypervisor/qemu/disk-interfaces.js';
import type { Segment } from './finding.js';
import { argList, boolean, duration, object, oneOf, size, string, stringList, stringMap, type SchemaNode } from './schema-nodes.js';
import { provisionItem, shellLocalCommands } from './schema-provision.js';

export type { SchemaNode } from './schema-nodes.js';

const sourceFile = (extra: Record<string, SchemaNode> = {}): SchemaNode =>
  object(
    {
      url: string('an http(s) URL or a local path'),
      urls: { ...stringList('a list of URLs or local paths, tried in order'), minItems: 1 },
      path: string('a local path, relative to the template'),
      checksum: string('sha256:<hex> (or sha512, sha1, md5), file:<url-or-path> of a SUMS file, or none'),
      ...extra,
    },
    { required: ['checksum'] },
  );

const media = (description: string): SchemaNode =>
  object(
    {
      label: { type: 'string', pattern: '^[A-Za-z0-9_ -]+$', description: 'a volume label: letters, digits, "_", "-" and spaces, e.g. cidata or OEMDRV' },
      files: stringList('a list of local files and folders, relative to the template'),
      content: { type: 'object', additionalProperties: string('the file content'), description: 'a mapping of path on the medium to content' },
    },
    { minProperties: 1, description },
  );


const postProcessor = object(
  {
    checksum: object({
      types: { type: 'array', minItems: 1, items: oneOf(['sha256', 'sha512', 'md5', 'sha1']), description: 'a list of checksum types' },
    }),
    manifest: object({
      output: string('a file path, relative to the template'),
      strip_path: boolean,
      custom_data: stringMap,
    }),
    'shell-local': object({ ...shellLocalCommands, env: stringMap }),
  },
  { minProperties: 1, maxProperties: 1, description: 'exactly one of checksum, manifest or shell-local' },
);

export const templateSchema: SchemaNode = object(
  {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'a lowercase name like debian-12 (letters, digits, ".", "_", "-")' },
    variables: {
      type: 'object',
      description: 'a mapping of variable names to a default value or { default, sensitive }',
      additionalProperties: {
        type: ['object', 'string', 'number', 'boolean', 'null'],
        description: 'a default value, or { default: ..., sensitive: true }',
        properties: { default: { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' }, sensitive: boolean },
        additionalProperties: false,
      },
    },
    matrix: {
      type: 'object',
      description: 'a mapping of variable names to lists of values; each combination is one build (docs/matrix.md)',
      minProperties: 1,
      additionalProperties: {
        type: 'array',
        minItems: 1,
        description: 'a list of values, such as [bios, efi]',
        items: { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' },
      },
    },
    hypervisor: oneOf(['qemu', 'virtualbox']),
    source: object(
      { iso: sourceFile(), disk: sourceFile({ backing: boolean }) },
      { minProperties: 1, maxProperties: 1, description: 'exactly one of iso or disk' },
    ),
    machine: object({
      cpus: { type: 'integer', minimum: 1, maximum: 256, description: 'a number of CPUs' },
      memory: size,
      disk: size,
      firmware: oneOf(['bios', 'efi']),
      accel: oneOf(['auto', 'kvm', 'hvf', 'whpx', 'tcg']),
      disk_discard: boolean,
      qemu: object({
        binary: string('a QEMU system emulator, e.g. qemu-system-x86_64'),
        machine: string('a QEMU machine type, e.g. pc or q35'),
        args: argList,
        disk_interface: oneOf([...QEMU_DISK_INTERFACES]),
        net_device: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', description: 'a QEMU network device model, e.g. virtio-net-pci or e1000' },
        cpu_model: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.,=+-]*$', description: 'a QEMU CPU model, e.g. host, max or Haswell' },
      }),
      virtualbox: object({
        os_type: string('a VirtualBox OS type, e.g. Debian_64'),
        chipset: oneOf([...VBOX_CHIPSETS]),
        graphics: oneOf([...VBOX_GRAPHICS]),
        nic_type: oneOf([...VBOX_NIC_TYPES]),
        disk_interface: oneOf([...VBOX_DISK_INTERFACES]),
        modifyvm: { type: 'array', items: argList, description: 'a list of argument lists for VBoxManage modifyvm' },
      }),
    }),
    http: object({
      directory: string('a directory relative to the template'),
      content: { type: 'object', additionalProperties: string('the file content'), description: 'a mapping of URL path to content' },
    }),
    cloud_init: object({
      user_data: { type: ['object', 'string', 'array'], description: 'cloud-config keys (a mapping), a #cloud-config document or script (a string), or a list of parts' },
      meta_data: { type: ['object', 'string'], description: 'a mapping or a string' },
      network_config: { type: ['object', 'string'], description: 'a mapping or a string' },
      via: { type: ['string', 'array'], items: string(), description: 'a string or a list of strings' },
    }),
    boot: object({
      wait: string('a duration like 10s, or auto'),
      key_interval: duration,
      command: { type: ['string', 'array'], items: string(), description: 'a string or a list of strings' },
    }),
    ssh: {
      type: ['object', 'string'],
      pattern: '^none$',
      description: 'a mapping with a username, or none',
      properties: {
        username: string('the login user, e.g. vagrant'),
        password: string('a password (quote it if it looks like a number)'),
        private_key: string('a private key file, relative to the template'),
        port: { type: 'integer', minimum: 1, maximum: 65535, description: 'a TCP port' },
        timeout: duration,
      },
      required: ['username'],
      additionalProperties: false,
    },
    proxy: {
      type: ['object', 'string'],
      pattern: '^none$',
      description: 'a mapping with upstream: http://[user:password@]host:port, or none',
      properties: { upstream: string('a proxy URL: http://[user:password@]host:port') },
      required: ['upstream'],
      additionalProperties: false,
    },
    cd: media('a CD attached to the VM, with label, files and content'),
    floppy: media('a floppy disk attached to the VM, with label, files and content'),
    provision: {
      type: 'array',
      description: 'a list of provisioners',
      items: provisionItem,
    },
    post_process: { type: 'array', description: 'a list of post-processors', items: postProcessor },
    shutdown: object({ command: string('a shell command, or none'), timeout: duration }),
    cache: object({ memory: boolean }, { description: 'a mapping with memory: true or false' }),
    output: object({
      directory: string('a directory relative to the template'),
      formats: { type: 'array', minItems: 1, items: oneOf(['qcow2', 'raw', 'vmdk', 'vdi', 'vhdx', 'ova']), description: 'a list of disk formats' },
      compress: boolean,
      vagrant: object(
        {
          provider: oneOf(['libvirt', 'virtualbox']),
          compression: { type: 'integer', minimum: 0, maximum: 9, description: 'a gzip level from 0 (none) to 9 (smallest)' },
          vagrantfile: string('a Vagrantfile fragment, relative to the template'),
          layout: oneOf(['v1', 'v2']),
          output: string('a path for a copy of the box, relative to the template, with {{ .Provider }}, {{ .BuildName }} or {{ .Name }}'),
        },
        { required: ['provider'], description: 'a mapping with a provider' },
      ),
    }),
  },
  { required: ['name', 'source', 'ssh'], description: 'a mapping with name, source, ssh and the other template keys' },
);

/** The schema node describing the value at `path`, if the schema has one. */
export function schemaAt(path: readonly Segment[], root: SchemaNode = templateSchema): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.items;
    else {
      const extra: SchemaNode['additionalProperties'] = node.additionalProperties;
      const named = node.properties && Object.hasOwn(node.properties, segment) ? node.properties[segment] : undefined;
      node = named ?? (typeof extra === 'object' ? extra : undefined);
    }
  }
  return node;
}
