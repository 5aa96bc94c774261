// galaxy_file: the roles and collections a requirements file lists, installed by
// ansible-galaxy into the build's own folder (never into ~/.ansible), so builds do not
// share or overwrite each other's. A requirements entry with a local `src` installs offline.
import { join } from 'node:path';
import { KilnError } from '../../errors.js';
import { describeExit, runHostProgram, type HostProgramOptions } from './host-program.js';

export interface GalaxyInstall {
  roles: string;
  collections: string;
}

/** Installs both kinds (a file listing only one kind makes the other a no-op); returns where they went. */
export async function installGalaxyRequirements(file: string, into: string, options: HostProgramOptions): Promise<GalaxyInstall> {
  const installed = { roles: join(into, 'roles'), collections: join(into, 'collections') };
  const runs: [string, string[]][] = [
    ['roles', ['role', 'install', '-r', file, '-p', installed.roles]],
    ['collections', ['collection', 'install', '-r', file, '-p', installed.collections]],
  ];
  for (const [what, args] of runs) {
    options.log.info(`${options.label}: installing the ${what} of ${file} with ansible-galaxy`);
    const result = await runHostProgram('ansible-galaxy', args, options);
    if (result.exitCode !== 0) {
      throw new KilnError('E_PROVISION', `${options.label}: ansible-galaxy ${what.slice(0, -1)} install -r ${file} ${describeExit(result)}${result.stderrTail ? `:\n${result.stderrTail}` : ''}`, {
        hint: 'check the requirements file; a role or collection from a local path (src: ./x.tar.gz) installs without the network',
      });
    }
  }
  return installed;
}
