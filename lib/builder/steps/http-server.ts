import { join } from 'node:path';
import { startHttpServer } from '../../http/index.js';
import type { namedPaths } from '../../lint/named-paths.js';
import type { Step } from '../../pipeline/step.js';
import { renderPlaceholders } from '../../template/render.js';
import type { Template } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { placeholderValues } from '../context.js';
import { GUEST_HOST_IP } from '../../template/placeholders.js';

/** Serves http.directory, the rendered http.content and the cloud-init seed on 127.0.0.1 for the guest. */
export interface HttpServerOptions extends Pick<Template['http'], 'directory' | 'content'> {
  /** The paths the boot command names (lint/named-paths.ts): the only dotfiles served. */
  named: ReturnType<typeof namedPaths>;
}

export function httpServer(options: HttpServerOptions): Step<BuildContext> {
  return {
  name: 'http-server',
  async run(ctx, signal) {
    ctx.http = await startHttpServer({
      directory: options.directory,
      // A dotfile in http.directory is served only at a path the boot command names (docs/template.md).
      named: options.named,
      content: options.content,
      // Rendered once the server listens: {{ .HTTPPort }} is only known then.
      render: (text, port) => renderPlaceholders(text, placeholderValues(ctx, port)),
      logFile: join(ctx.outputDir, 'http.log'),
      log: ctx.log,
      onRequest: (r) =>
        ctx.emit({
          type: 'http-request',
          method: r.method,
          path: r.path,
          status: r.status,
          bytes: r.bytes,
          remote: r.remote,
          ms: r.ms,
          ...(r.userAgent !== undefined ? { user_agent: r.userAgent } : {}),
          ...(r.rejected ? { rejected: r.rejected } : {}),
        }),
      signal,
    });
    ctx.log.info(`serving http://${ctx.http.host}:${ctx.http.port}/ (guest: http://${GUEST_HOST_IP}:${ctx.http.port}/)`);
  },
  async cleanup(ctx) {
    await ctx.http?.close();
  },
  };
}
