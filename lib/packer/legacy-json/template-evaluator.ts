// Evaluates a Packer JSON template string: user variables, env (in variables only) and
// the other functions are computed now; an action that reads what only the build knows
// (`{{ .HTTPIP }}`, `{{ .Vars }}`, `{{ build "Host" }}`) stays exactly as written, for
// kiln to render at build time, and so does a string literal holding "{{" (the build-time
// pass reads `{{ "{{" }}` the same way). Problems come back with their offset in the
// string; the rest of the string is still evaluated, so every problem is found at once.
import { didYouMean } from '../../util/did-you-mean.js';
import { FunctionError } from '../hcl/functions/function-types.js';
import { splitActions, tokenize, TemplateSyntaxError, type ActionPiece, type Piece } from './template-lexer.js';
import { TEMPLATE_FUNCTIONS, UNSUPPORTED_FUNCTIONS, type TemplateScope, type TemplateValue } from './template-functions.js';
import { functionsIn, parseAction, readsBuildTime, type Command, type Operand, type Pipeline } from './template-parser.js';

export interface TemplateProblem {
  /** Offset in the string of the action (or of the part of it) at fault. */
  offset: number;
  message: string;
}

export interface Rendered {
  text: string;
  problems: TemplateProblem[];
  /** `user` reads of variables nothing defines (they read as ""), with where. */
  undefinedReads: { name: string; offset: number }[];
}

/** One string's evaluation: its scope, and what it found on the way. */
interface Evaluation {
  scope: TemplateScope;
  problems: TemplateProblem[];
  undefinedReads: Rendered['undefinedReads'];
}

/** Functions that exist but are evaluated at build time, so are known here without being called. */
const BUILD_TIME_FUNCTIONS = ['build'];
const KNOWN_NAMES = [...Object.keys(TEMPLATE_FUNCTIONS), ...BUILD_TIME_FUNCTIONS];

class EvaluationError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function renderTemplate(text: string, scope: TemplateScope): Rendered {
  if (!text.includes('{{')) return { text, problems: [], undefinedReads: [] };
  let pieces: Piece[];
  try {
    pieces = splitActions(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { text, problems: [{ offset: error.offset, message: error.message }], undefinedReads: [] };
    throw error;
  }
  const evaluation: Evaluation = { scope, problems: [], undefinedReads: [] };
  const outputs = pieces.map((piece) => (piece.kind === 'text' ? { text: piece.text, evaluated: false } : renderAction(piece, evaluation)));
  // Go's trim markers remove the white space next to an evaluated action; kept actions keep their markers.
  const parts = outputs.map((output, i) => {
    const before = pieces[i - 1];
    const after = pieces[i + 1];
    let out = output.text;
    if (pieces[i]!.kind !== 'text') return out;
    if (after?.kind === 'action' && after.trimBefore && outputs[i + 1]!.evaluated) out = out.trimEnd();
    if (before?.kind === 'action' && before.trimAfter && outputs[i - 1]!.evaluated) out = out.trimStart();
    return out;
  });
  return { text: parts.join(''), problems: evaluation.problems, undefinedReads: evaluation.undefinedReads };
}

function renderAction(action: ActionPiece, evaluation: Evaluation): { text: string; evaluated: boolean } {
  const { problems } = evaluation;
  const kept = { text: action.source, evaluated: false };
  let pipeline: Pipeline | undefined;
  try {
    pipeline = parseAction(tokenize(action), action.start);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    problems.push({ offset: error.offset, message: error.message });
    return kept;
  }
  if (!pipeline) return { text: '', evaluated: true };
  const unknown = unknownFunctions(pipeline);
  if (unknown.length > 0) {
    problems.push(...unknown);
    return kept;
  }
  if (readsBuildTime(pipeline) || holdsLiteralBraces(pipeline)) return kept;
  try {
    return { text: goPrint(evaluatePipeline(pipeline, evaluation), pipeline.start), evaluated: true };
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    problems.push({ offset: error.offset, message: error.message });
    return kept;
  }
}

function unknownFunctions(pipeline: Pipeline): TemplateProblem[] {
  return functionsIn(pipeline)
    .filter(({ name }) => !KNOWN_NAMES.includes(name))
    .map(({ name, start }) => {
      const unsupported = Object.hasOwn(UNSUPPORTED_FUNCTIONS, name) ? UNSUPPORTED_FUNCTIONS[name] : undefined;
      return {
        offset: start,
        message: unsupported ? `function "${name}" is not supported: ${unsupported}` : `unknown function "${name}"${didYouMean(name, KNOWN_NAMES)}`,
      };
    });
}

const holdsLiteralBraces = (pipeline: Pipeline): boolean =>
  pipeline.commands.length === 1 && pipeline.commands[0]!.operands.length === 1 && isLiteralWithBraces(pipeline.commands[0]!.operands[0]!);

const isLiteralWithBraces = (operand: Operand): boolean => operand.kind === 'literal' && typeof operand.value === 'string' && operand.value.includes('{{');

function evaluatePipeline(pipeline: Pipeline, evaluation: Evaluation): TemplateValue {
  let piped: TemplateValue[] = [];
  for (const command of pipeline.commands) piped = [evaluateCommand(command, evaluation, piped)];
  return piped[0]!;
}

/** A command: a function called with its arguments (and the piped value last), or a single value. */
function evaluateCommand(command: Command, evaluation: Evaluation, piped: TemplateValue[]): TemplateValue {
  const [head, ...rest] = command.operands;
  if (head!.kind === 'function') return call(head!.name, [...rest.map((operand) => evaluateOperand(operand, evaluation)), ...piped], evaluation, head!.start);
  if (rest.length > 0 || piped.length > 0) throw new EvaluationError('only a function can take arguments (a value cannot be piped into a value)', head!.start);
  return evaluateOperand(head!, evaluation);
}

function evaluateOperand(operand: Operand, evaluation: Evaluation): TemplateValue {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'function':
      // An argument that names a function calls it with none, as in {{ split build_name "-" 0 }}.
      return call(operand.name, [], evaluation, operand.start);
    case 'pipeline':
      return evaluatePipeline(operand.pipeline, evaluation);
    case 'field':
      throw new EvaluationError('a build-time field cannot be evaluated before the build', operand.start);
  }
}

function call(name: string, args: TemplateValue[], evaluation: Evaluation, offset: number): TemplateValue {
  const fn = TEMPLATE_FUNCTIONS[name]!;
  const reportUndefined = (variable: string) => evaluation.undefinedReads.push({ name: variable, offset });
  try {
    return fn(args, { ...evaluation.scope, reportUndefined });
  } catch (error) {
    if (error instanceof FunctionError) throw new EvaluationError(error.message, offset);
    throw error;
  }
}

/** How Go's template prints a value. */
function goPrint(value: TemplateValue, offset: number): string {
  if (value === null) throw new EvaluationError('nil is not a value that can be written', offset);
  return String(value);
}

/** The variables a string reads with `user` and a literal name, in order; for evaluating variables in dependency order. */
export function userReferences(text: string): { name: string; offset: number }[] {
  const found: { name: string; offset: number }[] = [];
  try {
    for (const piece of text.includes('{{') ? splitActions(text) : []) {
      if (piece.kind !== 'action') continue;
      const pipeline = parseAction(tokenize(piece), piece.start);
      if (pipeline) collectUser(pipeline, [], found);
    }
  } catch (error) {
    // A string that does not parse reads nothing; evaluating it reports the problem.
    if (!(error instanceof TemplateSyntaxError)) throw error;
  }
  return found;
}

function collectUser(pipeline: Pipeline, piped: Operand[], found: { name: string; offset: number }[]): void {
  let previous: Operand[] = piped;
  for (const command of pipeline.commands) {
    const [head, ...rest] = command.operands;
    const args = [...rest, ...previous];
    if (head?.kind === 'function' && head.name === 'user' && args.length === 1 && args[0]!.kind === 'literal' && typeof args[0]!.value === 'string') {
      found.push({ name: args[0]!.value, offset: head.start });
    }
    for (const operand of command.operands) if (operand.kind === 'pipeline') collectUser(operand.pipeline, [], found);
    previous = command.operands.length === 1 && head?.kind === 'literal' ? [head] : [];
  }
}
