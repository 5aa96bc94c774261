// A second kiln process for the concurrency tests: `node fetch-child.js --child <json>`
// runs fetchSource once, printing each log line as it happens and then the result, so
// the parent can see it waiting for the lock. Imported by uvu (as every file under
// source/), it does nothing.
import { fetchSource } from '../../lib/source/fetch-source.js';
import type { Log } from '../../lib/log/log.js';

if (process.argv[2] === '--child') {
  const { urls, checksum, cacheDir } = JSON.parse(process.argv[3]!);
  const say = (level: string) => (message: string) => process.stdout.write(`${level}: ${message}\n`);
  const log: Log = { info: say('info'), warn: say('warn'), debug: say('debug'), output: () => {} };
  fetchSource({ urls, checksum }, { cacheDir, log }).then(
    (got) => process.stdout.write(`RESULT ${JSON.stringify(got)}\n`),
    (error: Error & { code?: string }) => {
      process.stdout.write(`ERROR ${error.code} ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
