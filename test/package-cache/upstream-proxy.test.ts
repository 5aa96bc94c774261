// kiln's package cache goes upstream through the build's host proxy (a real tinyproxy
// with a login): a cached GET and a guest's CONNECT tunnel both show in its log.
import { createServer, type Server } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPackageCache } from '../../lib/package-cache/index.js';
import { ProxyRoutes } from '../../lib/source/proxy-routes.js';
import { resolveProxySettings } from '../../lib/source/proxy-settings.js';
import { startMirror } from '../helpers/mirror-server.js';
import { connectViaProxy, viaProxy } from '../helpers/proxy-client.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { startTinyproxy } from '../helpers/tinyproxy.js';

const quiet = { info() {}, warn() {}, debug() {}, output() {} };

test('a miss and a CONNECT go through the host proxy named by --proxy', async () => {
  const proxy = await startTinyproxy({ auth: { user: 'kiln', password: 'up-str3am' } });
  const mirror = await startMirror({ files: { '/debian/pool/hello_1.0_all.deb': 'a package' } });
  const echo: Server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const routes = new ProxyRoutes(resolveProxySettings({ flag: proxy.urlWithAuth(), env: {} }));
  const cache = await startPackageCache({ cacheDir: await scratch(), offline: false, dispatcher: routes.dispatcher, routes, log: quiet, onOfflineMiss: () => {} });
  try {
    const url = `${mirror.url}/debian/pool/hello_1.0_all.deb`;
    assert.is((await viaProxy(cache.port, url)).body.toString(), 'a package');
    assert.is((await viaProxy(cache.port, url)).headers['x-kiln-cache'], 'hit');
    const echoPort = (echo.address() as { port: number }).port;
    const { status, socket } = await connectViaProxy(cache.port, `127.0.0.1:${echoPort}`);
    assert.is(status, 200);
    const echoed = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      socket.write('tunnelled twice');
    });
    socket.destroy();
    assert.is(echoed, 'tunnelled twice');
    assert.equal(await proxy.requests(), [`GET ${url}`, `CONNECT 127.0.0.1:${echoPort}`]);
  } finally {
    await cache.close();
    await routes.close();
    await new Promise((resolve) => echo.close(resolve));
    await mirror.close();
    await proxy.stop();
    await removeScratch();
  }
});

test.run();
