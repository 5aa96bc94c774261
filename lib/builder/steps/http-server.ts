import { join } from 'node:path';
import { startHttpServer } from '../../http/index.js';
import { namedPaths, scanTemplateBoot } from '../../lint/named-paths.js';
import type { Step } from '../../pipeline/step.js';
import { renderPlaceholders } from '../../template/render.js';
import type { BuildContext } from '../context.js';
import { placeholderValues } from '../context.js';
import { GUEST_HOST_IP } from '../../template/placeholders.js';

/** Serves http.directory, the rendered http.content and the cloud-init seed on 127.0.0.1 for the guest. */
export const httpServer: Step<BuildContext> = {
  name: 'http-server',
  skip: (ctx) => !ctx.template.http.directory && Object.keys(ctx.template.http.content).length === 0 && !ctx.template.cloud_init?.via.includes('http'),
  async run(ctx, signal) {
    ctx.http = await startHttpServer({
      directory: ctx.template.http.directory,
      // A dotfile in http.directory is served only at a path the boot command names (docs/template.md).
      named: namedPaths(scanTemplateBoot(ctx.template)),
      content: ctx.template.http.content,
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
