// A kiln template's builds: the template itself, or one per combination of its
// `matrix:` (lib/template/matrix.ts), each loaded with its variable values and its name;
// --only/--except pick among them by name or glob, as for a Packer template's builds.
import { KilnError, ValidationError, type Issue } from '../errors.js';
import { globMatches } from '../packer/build-name-glob.js';
import { isRecord } from '../template/checker.js';
import type { LoadOptions } from '../template/load.js';
import { matrixCells, type Matrix } from '../template/matrix.js';
import { parseSource } from '../template/parse-source.js';
import { readText } from '../template/read-text.js';
import { distinctBy } from '../util/distinct-by.js';

export interface KilnBuildPlan {
  /** The build's name: the template's, or the matrix cell's. */
  name: string;
  /** What loading it takes: the user's options, the cell's variable values and name. */
  options: LoadOptions;
}

export interface Selection {
  only: string[];
  except: string[];
}

/** The builds of the kiln template `file`, selected; a template that cannot be read as a matrix is one build (its loading reports why). */
export async function kilnBuildPlans(file: string, options: LoadOptions, selection: Selection): Promise<KilnBuildPlan[]> {
  const data = parseSource(await readText(file, 'template'), file).data;
  const name = isRecord(data) && typeof data.name === 'string' ? data.name : undefined;
  const matrix = isRecord(data) ? asMatrix(data.matrix) : undefined;
  const plans: KilnBuildPlan[] = [];
  if (!name || !matrix) {
    plans.push({ name: name ?? file, options });
  } else {
    const clash = Object.keys(matrix).filter((variable) => Object.hasOwn(options.vars ?? {}, variable));
    if (clash.length > 0) {
      throw new KilnError('E_USAGE', `--var ${clash.join(', --var ')}: ${clash.length === 1 ? 'it is a matrix variable' : 'they are matrix variables'} of ${file}, set by each build`, {
        hint: `pick builds with --only instead (kiln build ${file} --list names them)`,
      });
    }
    // An undeclared matrix variable is reported once, at matrix: (check-matrix.ts), not as a --var per build.
    const declared = isRecord(data) && isRecord(data.variables) ? data.variables : {};
    for (const cell of matrixCells(name, matrix)) {
      const values = Object.entries(cell.values).filter(([variable]) => Object.hasOwn(declared, variable));
      plans.push({ name: cell.name, options: { ...options, vars: { ...options.vars, ...Object.fromEntries(values) }, buildName: cell.name } });
    }
  }
  return select(plans, selection, file);
}

/** Loads each planned build; the problems of all of them at once, each shared one once. */
export async function loadEach<T>(plans: readonly KilnBuildPlan[], file: string, load: (plan: KilnBuildPlan) => Promise<T>): Promise<T[]> {
  const loaded: T[] = [];
  const issues: Issue[] = [];
  for (const plan of plans) {
    try {
      loaded.push(await load(plan));
    } catch (error) {
      if (!(error instanceof ValidationError) || plans.length === 1) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ValidationError(distinctBy(issues, (i) => `${i.file}:${i.line}:${i.column}:${i.message}`), file);
  return loaded;
}

function select(plans: KilnBuildPlan[], { only, except }: Selection, file: string): KilnBuildPlan[] {
  const chosen = plans.filter((p) => (only.length === 0 || only.some((g) => globMatches(g, p.name))) && !except.some((g) => globMatches(g, p.name)));
  if (chosen.length === 0) {
    throw new KilnError('E_USAGE', `--only/--except leave none of the builds of ${file}`, { hint: `its builds: ${plans.map((p) => p.name).join(', ')}` });
  }
  return chosen;
}

/** The matrix when it has the shape the schema asks for; otherwise validation reports it. */
function asMatrix(value: unknown): Matrix | undefined {
  if (!isRecord(value) || Object.keys(value).length === 0) return undefined;
  const lists = Object.values(value);
  const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
  return lists.every((l) => Array.isArray(l) && l.length > 0 && l.every(scalar)) ? (value as Matrix) : undefined;
}
