// The shape of a template file as a JSON schema: keys, types and enums only. Rules that
// need more than one value, the file system or a parser live in semantics.ts.
// `description` says what is expected; check-schema.ts puts it in messages. The raw
// types of template data derive from these nodes (raw-template.ts).
import { VBOX_CHIPSETS, VBOX_DISK_INTERFACES, VBOX_GRAPHICS, VBOX_NIC_TYPES } from '../hypervisor/virtualbox/spec.js';
import { QEMU_DISK_INTERFACES } from '../hypervisor/qemu/disk-interfaces.js';
import type { Segment } from './finding.js';
import { ACCELS, CHECKSUM_TYPES, CPU_LEVELS, COMPRESS_FORMATS, DISK_FORMATS, FIRMWARES, HYPERVISORS, VAGRANT_PROVIDERS } from './enums.js';
import { argList, boolean, duration, exactlyOne, integer, listOf, mapOf, object, oneOf, orWords, type Scalar, shaped, size, string, stringList, stringMap, stringOrList, type SchemaNode } from './schema-nodes.js';
import { provisionItem, shellLocal } from './schema-provision.js';

export type { SchemaNode } from './schema-nodes.js';

const sourceFileKeys = {
  url: string('an http(s) URL or a local path'),
  urls: stringList('a list of URLs or local paths, tried in order', { minItems: 1 }),
  path: string('a local path, relative to the template'),
  checksum: string('sha256:<hex> (or sha512, sha1, md5), file:<url-or-path> of a SUMS file, or none'),
};
export const isoSource = object(sourceFileKeys, { required: ['checksum'] });
export const diskSource = object({ ...sourceFileKeys, backing: boolean }, { required: ['checksum'] });

const media = (description: string) =>
  object(
    {
      label: string('a volume label: letters, digits, "_", "-" and spaces, e.g. cidata or OEMDRV', { pattern: '^[A-Za-z0-9_ -]+$' }),
      files: stringList('a list of local files and folders, relative to the template'),
      content: mapOf(string('the file content'), 'a mapping of path on the medium to content'),
    },
    { minProperties: 1, description },
  );
export const mediaSpec = media('a CD attached to the VM, with label, files and content');

export const postProcessItem = exactlyOne(
  {
    checksum: object({ types: listOf(oneOf(CHECKSUM_TYPES), 'a list of checksum types', { minItems: 1 }) }),
    manifest: object({
      output: string('a file path, relative to the template'),
      strip_path: boolean,
      custom_data: stringMap,
    }),
    'shell-local': shellLocal,
    compress: object({
      format: oneOf(COMPRESS_FORMATS),
      level: integer(1, 19, 'a compression level: 1 to 9 for gzip, 1 to 19 for zstd'),
      output: string('an archive name in the output directory, ending in .tar.gz, like NAME.tar.gz', { pattern: '^[^/\\\\]+\\.(tar\\.gz|tgz)$' }),
      keep_originals: boolean,
    }),
  },
  'exactly one of checksum, manifest, shell-local or compress',
);

export const vagrantOutput = object(
  {
    provider: oneOf(VAGRANT_PROVIDERS),
    compression: integer(0, 9, 'a gzip level from 0 (none) to 9 (smallest)'),
    vagrantfile: string('a Vagrantfile fragment, relative to the template'),
    layout: oneOf(['v1', 'v2']),
    output: string('a path for a copy of the box, relative to the template, with {{ .Provider }}, {{ .BuildName }} or {{ .Name }}'),
  },
  { required: ['provider'], description: 'a mapping with a provider' },
);

type VariableDefault = Scalar | null | { default?: Scalar; sensitive?: boolean };
const variableValue: SchemaNode = {
  type: ['object', 'string', 'number', 'boolean', 'null'],
  description: 'a default value, or { default: ..., sensitive: true }',
  properties: { default: { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' }, sensitive: { type: 'boolean', description: 'true or false' } },
  additionalProperties: false,
};
const matrixValues: SchemaNode = {
  type: 'array',
  minItems: 1,
  description: 'a list of values, such as [bios, efi]',
  items: { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' },
};
const anyOf = <T>(types: SchemaNode['type'], description: string) => shaped<T>({ type: types, description });

export const templateSchema = object(
  {
    name: string('a lowercase name like debian-12 (letters, digits, ".", "_", "-")', { pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    variables: mapOf(shaped<VariableDefault>(variableValue), 'a mapping of variable names to a default value or { default, sensitive }'),
    matrix: mapOf(shaped<Scalar[]>(matrixValues), 'a mapping of variable names to lists of values; each combination is one build (docs/matrix.md)', { minProperties: 1 }),
    hypervisor: oneOf(HYPERVISORS),
    source: exactlyOne({ iso: isoSource, disk: diskSource }, 'exactly one of iso or disk'),
    machine: object({
      cpus: integer(1, 256, 'a number of CPUs'),
      memory: size,
      disk: size,
      firmware: oneOf(FIRMWARES),
      accel: oneOf(ACCELS),
      disk_discard: boolean,
      qemu: object({
        binary: string('a QEMU system emulator, e.g. qemu-system-x86_64'),
        machine: string('a QEMU machine type, e.g. pc or q35'),
        args: argList,
        disk_interface: oneOf([...QEMU_DISK_INTERFACES]),
        net_device: string('a QEMU network device model, e.g. virtio-net-pci or e1000', { pattern: '^[a-z0-9][a-z0-9_.-]*$' }),
        cpu_model: string('a QEMU CPU model, e.g. host, max or Haswell', { pattern: '^[A-Za-z0-9][A-Za-z0-9_.,=+-]*$' }),
        cpu_level: oneOf(CPU_LEVELS),
      }),
      virtualbox: object({
        os_type: string('a VirtualBox OS type, e.g. Debian_64'),
        chipset: oneOf([...VBOX_CHIPSETS]),
        graphics: oneOf([...VBOX_GRAPHICS]),
        nic_type: oneOf([...VBOX_NIC_TYPES]),
        disk_interface: oneOf([...VBOX_DISK_INTERFACES]),
        modifyvm: listOf(argList, 'a list of argument lists for VBoxManage modifyvm'),
      }),
    }),
    http: object({
      directory: string('a directory relative to the template'),
      content: mapOf(string('the file content'), 'a mapping of URL path to content'),
    }),
    // Its parts are checked by cloud-init/lint-seed.ts; normalise hands them to parseCloudInitSpec.
    cloud_init: object({
      user_data: anyOf<unknown>(['object', 'string', 'array'], 'cloud-config keys (a mapping), a #cloud-config document or script (a string), or a list of parts'),
      meta_data: anyOf<unknown>(['object', 'string'], 'a mapping or a string'),
      network_config: anyOf<unknown>(['object', 'string'], 'a mapping or a string'),
      via: stringOrList('a string or a list of strings'),
    }),
    boot: object({
      wait: string('a duration like 10s, or auto'),
      key_interval: duration,
      command: stringOrList('a string or a list of strings'),
    }),
    ssh: orWords(
      object(
        {
          username: string('the login user, e.g. vagrant'),
          password: string('a password (quote it if it looks like a number)'),
          private_key: string('a private key file, relative to the template'),
          port: integer(1, 65535, 'a TCP port'),
          timeout: duration,
        },
        { required: ['username'] },
      ),
      ['none'],
      'a mapping with a username, or none',
    ),
    proxy: orWords(
      object(
        {
          upstream: string('a proxy URL: http://[user:password@]host:port'),
          cache: { ...boolean, description: "true: the guest's package downloads go through kiln's package cache" },
        },
        { minProperties: 1 },
      ),
      ['none', 'cache'],
      'cache, none, or a mapping with upstream: http://[user:password@]host:port and/or cache: true',
    ),
    cd: mediaSpec,
    floppy: media('a floppy disk attached to the VM, with label, files and content'),
    plugins: listOf(string('an npm package name, or a path relative to the template like ./plugins/motd.mjs'), 'a list of plugins (docs/plugins.md)'),
    provision: listOf(provisionItem, 'a list of provisioners'),
    post_process: listOf(postProcessItem, 'a list of post-processors'),
    shutdown: object({ command: string('a shell command, or none'), timeout: duration }),
    cache: object({ memory: boolean }, { description: 'a mapping with memory: true or false' }),
    output: object({
      directory: string('a directory relative to the template'),
      formats: listOf(oneOf(DISK_FORMATS), 'a list of disk formats', { minItems: 1 }),
      compress: boolean,
      vagrant: vagrantOutput,
    }),
  },
  { required: ['name', 'source', 'ssh'], description: 'a mapping with name, source, ssh and the other template keys' },
);

/** The template schema with plugin kinds added to the provision and post_process items. */
export function schemaWithKinds(kinds: readonly { kind: { name: string; stage: 'provision' | 'post-process'; schema: SchemaNode } }[]): SchemaNode {
  const root: SchemaNode = templateSchema;
  if (kinds.length === 0) return root;
  const item = (base: SchemaNode, stage: 'provision' | 'post-process'): SchemaNode => {
    const properties = { ...base.properties, ...Object.fromEntries(kinds.filter((k) => k.kind.stage === stage).map((k) => [k.kind.name, k.kind.schema])) };
    const names = Object.keys(properties);
    return { ...base, properties, description: `exactly one of ${names.slice(0, -1).join(', ')} or ${names.at(-1)}` };
  };
  const top = root.properties!;
  const list = (key: 'provision' | 'post_process', stage: 'provision' | 'post-process'): SchemaNode => ({ ...top[key]!, items: item(top[key]!.items!, stage) });
  return { ...root, properties: { ...top, provision: list('provision', 'provision'), post_process: list('post_process', 'post-process') } };
}

/** The schema node describing the value at `path`, if the schema has one. */
export function schemaAt(path: readonly Segment[], root: SchemaNode = templateSchema as SchemaNode): SchemaNode | undefined {
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
