import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  canAddBuildUser,
  hostnameFor,
  mapStrings,
  newInstanceId,
  renderSeed,
  seedFiles,
  seedHttpContent,
  writeCidataIso,
  type BuildUser,
} from '../../cloud-init/index.js';
import type { Step } from '../../pipeline/step.js';
import { renderPlaceholders } from '../../template/render.js';
import type { CloudInitSpec } from '../../cloud-init/types.js';
import type { SshConfig } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';

/**
 * Renders the NoCloud seed from `cloud_init:` (with the build user kiln logs in as) and
 * hands it over as the template asks: served under {{ .CloudInitURL }}, and/or written
 * to a CIDATA ISO for start-vm to attach. The files are also left in the work dir,
 * which --on-error=abort keeps, to see what the guest was given.
 */
export function cloudInitSeed(options: { spec: CloudInitSpec; name: string; ssh: SshConfig | null }): Step<BuildContext> {
  const { spec, name } = options;
  return {
  name: 'cloud-init-seed',
  async run(ctx, signal) {
    const values = placeholderValues(ctx);
    // A resumed guest keeps the instance-id it was configured with: a new one would
    // make cloud-init configure it again (users, runcmd, SSH host keys).
    const instanceId = ctx.cache?.instanceId ?? newInstanceId(name);
    const user = buildUser(options.ssh, ctx.sshKey);
    if (user && !canAddBuildUser(spec.user_data)) {
      ctx.log.warn(`cloud_init.user_data is kept as written (kiln adds its login user only to cloud-config): it must create ${user.username} with kiln's key or password itself`);
    }
    const seed = renderSeed({
      spec: mapStrings(spec, (text) => renderPlaceholders(text, values)),
      ...(user ? { user } : {}),
      // proxy: cache: apt in the guest goes through kiln's package cache.
      ...(values.ProxyURL ? { aptProxy: values.ProxyURL } : {}),
      instanceId,
      hostname: hostnameFor(name),
    });
    const files = seedFiles(seed);
    const dir = join(need(ctx.workDir, 'workDir'), 'cloud-init');
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, { mode: 0o600 });

    // meta_data may set its own; what the guest sees is what is logged and kept.
    ctx.seed = { instanceId: seed.instanceId };
    if (spec.via.includes('http')) {
      need(ctx.http, 'http server').serve(seedHttpContent(seed));
      ctx.seed.url = values.CloudInitURL;
      ctx.log.info(`cloud-init seed served at ${values.CloudInitURL} (instance-id ${seed.instanceId})`);
    }
    if (spec.via.includes('cdrom')) {
      const iso = join(need(ctx.workDir, 'workDir'), 'seed.iso');
      const made = await writeCidataIso(files, iso, { signal });
      ctx.seed.iso = iso;
      ctx.log.info(`cloud-init seed on a CIDATA CD (${made.tool}, ${made.bytes} bytes, instance-id ${seed.instanceId})`);
    }
  },
  };
}

/** The user kiln logs in as, for cloud-init to create; none with `ssh: none`. */
function buildUser(ssh: SshConfig | null, key: BuildContext['sshKey']): BuildUser | undefined {
  if (!ssh) return undefined;
  return {
    username: ssh.username,
    ...(key ? { sshPublicKey: key.publicKey } : {}),
    // As ssh-connect.ts logs in with it.
    ...(ssh.password !== undefined ? { password: ssh.password } : {}),
  };
}
