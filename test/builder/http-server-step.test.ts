// The http-server step hands the server the paths the boot command names: a dotfile in
// http.directory is served at such a path, and only there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '../../lib/builder/context.js';
import { httpServer } from '../../lib/builder/steps/http-server.js';
import { namedPaths, scanTemplateBoot } from '../../lib/lint/named-paths.js';
import { memoryLog } from '../../lib/log/log.js';
import type { Template } from '../../lib/template/types.js';

test('a dotfile named by a boot command URL or <waitHttp> is served; other dotfiles are not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-http-step-'));
  await mkdir(join(dir, 'http', '.seed'), { recursive: true });
  await writeFile(join(dir, 'http', '.preseed.cfg'), 'preseed\n');
  await writeFile(join(dir, 'http', '.waited'), 'waited\n');
  await writeFile(join(dir, 'http', '.seed', 'user-data'), '#cloud-config\n');
  await writeFile(join(dir, 'http', '.env'), 'SECRET=1\n');
  const boot = {
    command: [
      '<esc>auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/.preseed.cfg<enter>',
      'ds=nocloud-net;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/.seed/<enter>',
      '<waitHttp /.waited>',
    ],
  } as Template['boot'];
  // As step-lists.ts makes it.
  const step = httpServer({ directory: join(dir, 'http'), content: {}, named: namedPaths(scanTemplateBoot({ name: 't', boot })) });
  const ctx = {
    options: {},
    template: { name: 't' },
    outputDir: join(dir, 'output'),
    log: memoryLog(),
    emit: () => {},
  } as unknown as BuildContext;
  try {
    await step.run(ctx, new AbortController().signal);
    const url = `http://127.0.0.1:${ctx.http!.port}`;
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      return [res.status, await res.text()];
    };
    assert.equal(await get('/.preseed.cfg'), [200, 'preseed\n']);
    assert.equal(await get('/.waited'), [200, 'waited\n']);
    assert.equal(await get('/.seed/user-data'), [200, '#cloud-config\n']);
    assert.is((await get('/.env'))[0], 404);
  } finally {
    await step.cleanup?.(ctx, { failed: false, cancelled: false, keepFiles: false });
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
