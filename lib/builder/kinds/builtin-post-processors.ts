// kiln's own post-processor kinds, through the kind interface plugin kinds implement
// too (lib/plugins/kind.ts), run on what export and vagrant-box wrote (ctx.exports):
// SUMS files, a Packer-compatible manifest, compressed artifacts, commands on the host.
import { join } from 'node:path';
import type { Kind } from '../../plugins/kind.js';
import { writeChecksums } from '../../post-process/checksum.js';
import { compressFiles, removeOriginals } from '../../post-process/compress.js';
import { appendPackerBuild } from '../../post-process/packer-manifest.js';
import { runShellLocal } from '../../post-process/shell-local.js';
import { postProcessItem } from '../../template/schema.js';
import type { Hypervisor, PostProcessor } from '../../template/types.js';
import { formatSize } from '../../util/size.js';
import type { BuildContext } from '../context.js';
import { PACKER_BUILDER_TYPE } from '../packer-names.js';

export interface BuiltinPostProcessContext {
  ctx: BuildContext;
  label: string;
  name: string;
  hypervisor: Hypervisor;
  /** shell-local's working directory, the base of manifest file names. */
  templateDir: string;
  /** One id for every manifest this build appends to, as Packer has one per run. */
  runUuid: string;
}

type BuiltinType = Exclude<PostProcessor['type'], 'plugin'>;
type BuiltinKind<T extends BuiltinType> = Kind<Extract<PostProcessor, { type: T }>, BuiltinPostProcessContext>;

const kind = <T extends BuiltinType>(name: T, rest: Omit<BuiltinKind<T>, 'name' | 'stage' | 'schema'>): BuiltinKind<T> => ({
  name,
  stage: 'post-process',
  schema: postProcessItem.properties![name]!,
  ...rest,
});

/** What the earlier post-processors left: compress replaces the artifacts it packs. */
export const artifactsOf = (ctx: BuildContext) => ctx.exports.map((e) => ({ ...e, path: join(ctx.outputDir, e.file) }));

export const BUILTIN_POST_PROCESSORS: { [T in BuiltinType]: BuiltinKind<T> } = {
  checksum: kind('checksum', {
    async run({ ctx, label }, p, signal) {
      const written = await writeChecksums({ outputDir: ctx.outputDir, files: ctx.exports, types: p.types, signal });
      ctx.log.info(`${label}: wrote ${written.join(', ')}`);
    },
  }),
  manifest: kind('manifest', {
    async run({ ctx, label, name, hypervisor, templateDir, runUuid }, p, signal) {
      await appendPackerBuild({
        path: p.output,
        baseDir: templateDir,
        stripPath: p.strip_path,
        // Like manifest.json: a sensitive variable's value in custom_data is not written out.
        build: ctx.log.masker.maskDeep({
          name,
          builder_type: PACKER_BUILDER_TYPE[hypervisor],
          build_time: Math.floor(Date.now() / 1000),
          files: artifactsOf(ctx).map((a) => ({ path: a.path, size: a.bytes })),
          // What Packer's QEMU and VirtualBox builders give as their artifact's id.
          artifact_id: 'VM',
          packer_run_uuid: runUuid,
          custom_data: Object.keys(p.custom_data).length > 0 ? p.custom_data : null,
        }),
        signal,
      });
      ctx.log.info(`${label}: added this build to ${p.output}`);
    },
  }),
  compress: kind('compress', {
    async run({ ctx, label }, p, signal) {
      // The Vagrant box is gzipped already, and kiln publish reads it where vagrant-box wrote it.
      const packed = ctx.exports.filter((e) => !e.format.startsWith('vagrant-'));
      const files = packed.map((e) => e.file);
      const written = await compressFiles({ outputDir: ctx.outputDir, files, format: p.format, level: p.level, archive: p.output, signal });
      if (!p.keep_originals) {
        await removeOriginals(ctx.outputDir, files);
        ctx.exports = ctx.exports.filter((e) => !packed.includes(e));
      }
      ctx.exports.push(...written);
      ctx.log.info(`${label}: wrote ${written.map((w) => `${w.file} (${formatSize(w.bytes)})`).join(', ')}${p.keep_originals ? '' : `; removed ${files.join(', ')}`}`);
    },
  }),
  'shell-local': kind('shell-local', {
    cache: false,
    async run({ ctx, label, name, hypervisor, templateDir }, p, signal) {
      ctx.log.info(`${label}: running ${p.inline ? 'inline commands' : p.scripts!.join(', ')}`);
      await runShellLocal({
        label,
        ...(p.inline ? { inline: p.inline } : {}),
        ...(p.scripts ? { scripts: p.scripts } : {}),
        cwd: templateDir,
        env: {
          KILN_BUILD_NAME: name,
          KILN_OUTPUT_DIR: ctx.outputDir,
          KILN_ARTIFACTS: artifactsOf(ctx).map((a) => a.path).join(' '),
          KILN_BUILDER: hypervisor,
          PACKER_BUILD_NAME: name,
          PACKER_BUILDER_TYPE: PACKER_BUILDER_TYPE[hypervisor],
          ...p.env,
        },
        onLine: (line, stream) => ctx.log.output(label, line, stream),
        signal,
      });
    },
  }),
};

