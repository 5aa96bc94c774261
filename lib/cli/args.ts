import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KilnError } from '../errors.js';

export interface CommonArgs {
  file: string;
  vars: Record<string, string>;
  varFiles: string[];
  /** --proxy: the proxy for every download (a URL, or none), over the template's and the environment's. */
  proxy?: string;
}

export interface BuildArgs extends CommonArgs {
  force: boolean;
  onError: 'cleanup' | 'abort' | 'ask';
  verbose: boolean;
  /** --json: JSON events on stdout, human output on stderr. */
  json: boolean;
  /** --console: stream the guest's serial console. */
  console: boolean;
  /** --screenshots: boot-NN.png after each boot.command line. */
  screenshots: boolean;
  /** --no-cache: resume from no cached stage. */
  noCache: boolean;
}

/** node's parseArgs (strict), with its complaints turned into E_USAGE (exit 2) and `hint`. */
export function parseUsage<T extends ParseArgsConfig>(config: T, hint: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new KilnError('E_USAGE', (error as Error).message, { hint });
  }
}

/** Parses `build`/`validate` arguments; usage mistakes are E_USAGE (exit 2) with the fix. */
export function parseCommandArgs(command: 'build' | 'validate', argv: string[]): BuildArgs {
  const parsed = parseUsage(
    {
      args: argv,
      allowPositionals: true,
      options: {
        var: { type: 'string', multiple: true },
        'var-file': { type: 'string', multiple: true },
        proxy: { type: 'string' },
        force: { type: 'boolean', default: false },
        'on-error': { type: 'string', default: 'cleanup' },
        verbose: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        console: { type: 'boolean', default: false },
        screenshots: { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
      },
    },
    'see kiln --help',
  );
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new KilnError('E_USAGE', `kiln ${command} takes one template file, got ${positionals.length}`, {
      hint: `kiln ${command} kiln.yaml`,
    });
  }
  if (command === 'validate' && (values.force || values['on-error'] !== 'cleanup' || values.json || values.console || values.screenshots || values['no-cache'])) {
    throw new KilnError('E_USAGE', '--force, --on-error, --json, --console, --screenshots and --no-cache apply to kiln build only');
  }
  const onError = values['on-error'];
  if (onError !== 'cleanup' && onError !== 'abort' && onError !== 'ask') {
    throw new KilnError('E_USAGE', `--on-error must be cleanup, abort or ask, got "${onError}"`);
  }
  // A Map first: `--var __proto__=x` assigned to a plain object would be dropped.
  const vars = new Map<string, string>();
  for (const pair of values.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new KilnError('E_USAGE', `--var expects NAME=VALUE, got "${pair}"`);
    vars.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return {
    file: positionals[0]!,
    vars: Object.fromEntries(vars),
    varFiles: values['var-file'] ?? [],
    ...(values.proxy !== undefined ? { proxy: values.proxy } : {}),
    force: values.force ?? false,
    onError,
    verbose: values.verbose ?? false,
    json: values.json ?? false,
    console: values.console ?? false,
    screenshots: values.screenshots ?? false,
    noCache: values['no-cache'] ?? false,
  };
}
