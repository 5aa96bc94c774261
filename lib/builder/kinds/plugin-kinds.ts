// Plugin kinds at build time: the kind imported again from the module the template
// loaded it from (Node keeps the module, so this is a lookup), and the context its run
// gets, made from the build's.
import { pathToFileURL } from 'node:url';
import { KilnError } from '../../errors.js';
import type { PluginArtifact, PluginContext, PluginGuest, PluginKind, KindStage } from '../../plugins/kind.js';
import type { SshSession } from '../../ssh/session.js';
import type { PluginStep } from '../../template/types.js';
import type { BuildContext } from '../context.js';

export async function pluginKind(step: PluginStep, stage: KindStage): Promise<PluginKind> {
  const exported = (await import(pathToFileURL(step.module).href)) as { kinds?: PluginKind[]; default?: { kinds?: PluginKind[] } };
  const found = (exported.kinds ?? exported.default?.kinds ?? []).find((k) => k.stage === stage && k.name === step.kind);
  if (!found) {
    throw new KilnError('E_TEMPLATE', `${step.module} no longer gives the ${stage} kind "${step.kind}"`, { hint: 'the plugin changed while kiln ran: run the build again' });
  }
  return found;
}

export interface PluginContextInput {
  label: string;
  /** Provisioners: the guest's session. */
  session?: SshSession;
  artifacts?: readonly PluginArtifact[];
  signal: AbortSignal;
}

export function pluginContext(ctx: BuildContext, input: PluginContextInput): PluginContext {
  const { label, session, signal } = input;
  return {
    label,
    buildName: ctx.template.name,
    templateDir: ctx.template.dir,
    outputDir: ctx.outputDir,
    // Through the build log: masked, prefixed, and in build.log like every step's lines.
    log: { info: (message) => ctx.log.info(`${label}: ${message}`), output: (line) => ctx.log.output(label, line, 'stdout') },
    ...(session ? { guest: guestOf(ctx, label, session, signal) } : {}),
    ...(input.artifacts ? { artifacts: input.artifacts } : {}),
  };
}

function guestOf(ctx: BuildContext, label: string, session: SshSession, signal: AbortSignal): PluginGuest {
  return {
    async exec(command, options = {}) {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const result = await session.exec(command, {
        ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
        signal,
        onStdout: (line) => (stdout.push(line), ctx.log.output(label, line, 'stdout')),
        onStderr: (line) => (stderr.push(line), ctx.log.output(label, line, 'stderr')),
      });
      return { exitCode: result.exitCode, stdout, stderr };
    },
    writeFile: (remotePath, contents, mode) => session.writeFile(remotePath, contents, mode),
    uploadFile: async (localPath, remotePath, mode) => void (await session.uploadFile(localPath, remotePath, mode, { signal })),
    download: async (remotePath, localPath) => void (await session.download(remotePath, localPath, { signal })),
  };
}
