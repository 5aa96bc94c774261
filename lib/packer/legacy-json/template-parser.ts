// Tokens of one action into a pipeline, as Go's text/template reads it:
//   pipeline := command ('|' command)*      each command's result is the next one's last argument
//   command  := operand+                   a function and its arguments, or a single value
//   operand  := literal | function name | .Field | '(' pipeline ')'
// Control structures and template variables ($x) are outside what Packer templates use.
import { TemplateSyntaxError, type Token } from './template-lexer.js';

export type Operand =
  | { kind: 'literal'; value: string | number | boolean | null; start: number }
  | { kind: 'function'; name: string; start: number }
  | { kind: 'field'; path: string[]; start: number }
  | { kind: 'pipeline'; pipeline: Pipeline; start: number };

export interface Command {
  operands: Operand[];
  start: number;
}

export interface Pipeline {
  commands: Command[];
  start: number;
}

const CONTROL = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** The pipeline of one action, or undefined for an action that is only a comment. */
export function parseAction(tokens: Token[], actionStart: number): Pipeline | undefined {
  if (tokens.length === 0) return undefined;
  const first = tokens[0]!;
  if (first.kind === 'identifier' && CONTROL.has(first.name)) {
    throw new TemplateSyntaxError(
      `{{ ${first.name} }}: Go template control structures are not evaluated in Packer JSON templates by kiln; compute the value into a variable instead`,
      first.start,
    );
  }
  const parser = new Parser(tokens, actionStart);
  const pipeline = parser.pipeline();
  parser.expectEnd();
  return pipeline;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly actionStart: number,
  ) {}

  pipeline(): Pipeline {
    const start = this.peek()?.start ?? this.actionStart;
    const commands = [this.command()];
    while (this.peek()?.kind === 'pipe') {
      this.index++;
      commands.push(this.command());
    }
    return { commands, start };
  }

  expectEnd(): void {
    const extra = this.peek();
    if (extra) throw new TemplateSyntaxError(extra.kind === 'close' ? 'unexpected ")" (more closing than opening parentheses)' : 'unexpected text after the pipeline', extra.start);
  }

  private command(): Command {
    const operands: Operand[] = [];
    const start = this.peek()?.start ?? this.previousStart();
    for (let token = this.peek(); token && token.kind !== 'pipe' && token.kind !== 'close'; token = this.peek()) {
      operands.push(this.operand(token));
    }
    if (operands.length === 0) throw new TemplateSyntaxError('missing value in the pipeline (nothing before or after a "|")', start);
    return { operands, start };
  }

  private operand(token: Token): Operand {
    this.index++;
    switch (token.kind) {
      case 'string':
      case 'number':
      case 'bool':
        return { kind: 'literal', value: token.value, start: token.start };
      case 'nil':
        return { kind: 'literal', value: null, start: token.start };
      case 'identifier':
        return { kind: 'function', name: token.name, start: token.start };
      case 'field':
        return { kind: 'field', path: token.path, start: token.start };
      case 'open': {
        if (this.peek()?.kind === 'close') throw new TemplateSyntaxError('empty parentheses', token.start);
        const pipeline = this.pipeline();
        if (this.peek()?.kind !== 'close') throw new TemplateSyntaxError('unclosed "(": add ")"', token.start);
        this.index++;
        return { kind: 'pipeline', pipeline, start: token.start };
      }
      case 'variable':
      case 'declare':
        throw new TemplateSyntaxError('Go template variables ($x, :=) are not evaluated in Packer JSON templates by kiln; use {{ user `name` }}', token.start);
      default:
        throw new TemplateSyntaxError(`unexpected "${token.kind === 'pipe' ? '|' : ')'}"`, token.start);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  /** Where the token before the current one starts: the "|" a missing command follows. */
  private previousStart(): number {
    return this.tokens[this.index - 1]?.start ?? this.actionStart;
  }
}

/** Whether the pipeline needs what only the build knows: a `.Field` or a `build` call. */
export function readsBuildTime(pipeline: Pipeline): boolean {
  return pipeline.commands.some((command) =>
    command.operands.some(
      (operand) =>
        operand.kind === 'field' ||
        (operand.kind === 'function' && operand.name === 'build') ||
        (operand.kind === 'pipeline' && readsBuildTime(operand.pipeline)),
    ),
  );
}

/** Every function named in the pipeline, with where. */
export function functionsIn(pipeline: Pipeline): { name: string; start: number }[] {
  const found: { name: string; start: number }[] = [];
  for (const command of pipeline.commands) {
    for (const operand of command.operands) {
      if (operand.kind === 'function') found.push({ name: operand.name, start: operand.start });
      else if (operand.kind === 'pipeline') found.push(...functionsIn(operand.pipeline));
    }
  }
  return found;
}
