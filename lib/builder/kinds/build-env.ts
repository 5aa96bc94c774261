// What host programs started by a provisioner get from the build: Packer's variables
// for playbooks, and the environment of shell-local commands.
import type { ShellLocalProvisioner } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { placeholderValues } from '../context.js';
import { guestConnection } from '../guest-connection.js';
import { PACKER_BUILDER_TYPE } from '../packer-names.js';

/** What Packer's ansible provisioners give every playbook. */
export function packerBuildVars(ctx: BuildContext): Record<string, string> {
  const http: Record<string, string> = ctx.http ? { packer_http_addr: `${placeholderValues(ctx).HTTPIP}:${ctx.http.port}` } : {};
  return { packer_build_name: ctx.template.name, packer_builder_type: PACKER_BUILDER_TYPE[ctx.template.hypervisor], ...http };
}

/** kiln's and Packer's names for the build and the guest's SSH address, then the template's env (rendered). */
export async function shellLocalEnv(ctx: BuildContext, p: ShellLocalProvisioner, render: (text: string) => string): Promise<Record<string, string>> {
  const guest = await guestConnection(ctx);
  const http: Record<string, string> = ctx.http ? { PACKER_HTTP_ADDR: `${placeholderValues(ctx).HTTPIP}:${ctx.http.port}` } : {};
  return {
    KILN_BUILD_NAME: ctx.template.name,
    KILN_OUTPUT_DIR: ctx.outputDir,
    KILN_BUILDER: ctx.template.hypervisor,
    KILN_SSH_HOST: guest.host,
    KILN_SSH_PORT: String(guest.port),
    KILN_SSH_USER: guest.user,
    ...(guest.privateKeyFile !== undefined ? { KILN_SSH_PRIVATE_KEY: guest.privateKeyFile } : {}),
    PACKER_BUILD_NAME: ctx.template.name,
    PACKER_BUILDER_TYPE: PACKER_BUILDER_TYPE[ctx.template.hypervisor],
    ...http,
    ...Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, render(v)])),
  };
}
