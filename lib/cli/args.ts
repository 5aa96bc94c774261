import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KilnError } from '../errors.js';
import { parseCacheRef } from '../shared-cache/remote-layer.js';

export interface CommonArgs {
  file: string;
  vars: Record<string, string>;
  varFiles: string[];
  /** -only / -except: which builds of a Packer template (names or globs, like Packer's). */
  only: string[];
  except: string[];
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
  /** --offline: download nothing; sources come from the cache. */
  offline: boolean;
  /** --cache-from / --cache-to: a stage cache shared through an OCI registry (oci://HOST/REPO). */
  cacheFrom?: string;
  cacheTo?: string;
  /** kiln build takes several templates; `file` is the first. */
  files: string[];
  /** --parallel N (Packer: -parallel-builds=N, 0 = no limit): how many builds run at once; absent: what the host can carry. */
  parallel?: number;
  /** --fail-fast: the first failed build stops the others. */
  failFast: boolean;
  /** --list: print the builds the templates expand to, build nothing. */
  list: boolean;
}

/** Packer's options that change nothing in kiln: accepted so that a Packer command line runs as typed. */
const PACKER_NO_OPS = ['color', 'timestamp-ui', 'machine-readable'] as const;

/** Long options Packer users spell with one dash (`-var-file=x`, `-only=qemu.vm`, `-force`). */
const SINGLE_DASH = new Set(['var', 'var-file', 'only', 'except', 'force', 'on-error', 'proxy', 'parallel-builds', ...PACKER_NO_OPS]);

/** `-var-file=x` -> `--var-file=x` for the options Packer spells with one dash; short flags stay as they are. */
export function packerSpellings(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const match = /^-([a-z][a-z-]+)(=.*)?$/s.exec(arg);
    return match && SINGLE_DASH.has(match[1]!) ? `-${arg}` : arg;
  });
}

/** `-only=a,b -only c` -> [a, b, c], as Packer reads them. */
const commaLists = (values: string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** node's parseArgs (strict), with its complaints turned into E_USAGE (exit 2) and `hint`. */
export function parseUsage<T extends ParseArgsConfig>(config: T, hint: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new KilnError('E_USAGE', (error as Error).message, { hint });
  }
}

export type TemplateCommand = 'build' | 'validate' | 'inspect' | 'import' | 'fetch' | 'bundle export';

/** Parses the arguments of the commands that read a template; usage mistakes are E_USAGE (exit 2) with the fix. */
export function parseCommandArgs(command: TemplateCommand, argv: string[]): BuildArgs & { out: string; files: string[]; output?: string } {
  const parsed = parseUsage(
    {
      args: packerSpellings(argv),
      allowPositionals: true,
      options: {
        var: { type: 'string', multiple: true },
        'var-file': { type: 'string', multiple: true },
        only: { type: 'string', multiple: true },
        except: { type: 'string', multiple: true },
        color: { type: 'string' },
        'timestamp-ui': { type: 'boolean' },
        'machine-readable': { type: 'boolean' },
        'parallel-builds': { type: 'string' },
        proxy: { type: 'string' },
        force: { type: 'boolean', default: false },
        'on-error': { type: 'string', default: 'cleanup' },
        verbose: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        console: { type: 'boolean', default: false },
        screenshots: { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        'cache-from': { type: 'string' },
        'cache-to': { type: 'string' },
        parallel: { type: 'string' },
        'fail-fast': { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        out: { type: 'string', default: '.' },
        output: { type: 'string', short: 'o' },
        offline: { type: 'boolean', default: false },
      },
    },
    'see kiln --help',
  );
  const { values, positionals } = parsed;
  const several = command === 'fetch' || command === 'build' || command === 'bundle export';
  if (positionals.length !== 1 && !(several && positionals.length > 1)) {
    throw new KilnError('E_USAGE', `kiln ${command} takes one template, got ${positionals.length}`, {
      hint: `kiln ${command} kiln.yaml, or a Packer template: kiln ${command} template.pkr.hcl (or its folder, or a legacy .json)${command === 'build' ? '; kiln build a.yaml b.yaml builds several' : ''}`,
    });
  }
  const buildOnly = {
    force: values.force && command !== 'import',
    'on-error': values['on-error'] !== 'cleanup',
    json: values.json,
    console: values.console,
    screenshots: values.screenshots,
    'no-cache': values['no-cache'],
    offline: values.offline,
    'cache-from': values['cache-from'] !== undefined,
    'cache-to': values['cache-to'] !== undefined,
    parallel: values.parallel !== undefined,
    'fail-fast': values['fail-fast'],
    list: values.list,
  };
  const misplaced = Object.entries(buildOnly).filter(([, given]) => given).map(([name]) => `--${name}`);
  if (command !== 'build' && misplaced.length > 0) {
    throw new KilnError('E_USAGE', `${misplaced.join(', ')} appl${misplaced.length === 1 ? 'ies' : 'y'} to kiln build only`, { hint: `remove ${misplaced.length === 1 ? 'it' : 'them'} from kiln ${command}` });
  }
  if (command !== 'import' && values.out !== '.') throw new KilnError('E_USAGE', '--out applies to kiln import only');
  if (command !== 'bundle export' && values.output !== undefined) throw new KilnError('E_USAGE', '-o/--output applies to kiln bundle export only');
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
  // A malformed reference stops here, before anything is fetched or booted.
  if (values['cache-from'] !== undefined) parseCacheRef('cache-from', values['cache-from']);
  if (values['cache-to'] !== undefined) parseCacheRef('cache-to', values['cache-to']);
  return {
    file: positionals[0]!,
    files: positionals,
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(values.parallel ?? values['parallel-builds'] ? { parallel: parallelCount(values.parallel ?? values['parallel-builds']!, values.parallel !== undefined) } : {}),
    failFast: values['fail-fast'] ?? false,
    list: values.list ?? false,
    vars: Object.fromEntries(vars),
    varFiles: values['var-file'] ?? [],
    only: commaLists(values.only),
    except: commaLists(values.except),
    ...(values.proxy !== undefined ? { proxy: values.proxy } : {}),
    force: values.force ?? false,
    onError,
    verbose: values.verbose ?? false,
    json: values.json ?? false,
    console: values.console ?? false,
    screenshots: values.screenshots ?? false,
    noCache: values['no-cache'] ?? false,
    ...(values['cache-from'] !== undefined ? { cacheFrom: values['cache-from'] } : {}),
    ...(values['cache-to'] !== undefined ? { cacheTo: values['cache-to'] } : {}),
    out: values.out ?? '.',
    offline: values.offline ?? false,
  };
}

/** --parallel N: a whole number from 1; Packer's -parallel-builds=0 means no limit. */
function parallelCount(text: string, ours: boolean): number {
  const flag = ours ? '--parallel' : '-parallel-builds';
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || (ours && n < 1)) {
    throw new KilnError('E_USAGE', `${flag} expects a whole number${ours ? ' from 1' : ''}, got "${text}"`, { hint: `${flag} 2 runs two builds at once` });
  }
  return n === 0 ? Number.MAX_SAFE_INTEGER : n;
}
