// Where each line of boot.command ends among the parsed actions, so kiln can report
// keys per line and take a screenshot after each (--screenshots). The lines are
// joined before parsing (Packer's rule), so the boundaries are found by parsing each
// prefix: a line that ends inside a form (`<wai` + `t5>`) has no boundary of its own.
import { parseBootCommand, type BootAction } from '../keyboard/parse.js';

export interface BootLines {
  actions: BootAction[];
  /** For each line, the number of actions up to and including it; undefined when the line ends mid-form. */
  lineEnds: (number | undefined)[];
}

/** `render` fills placeholders; the joined command is parsed once for the actions. */
export function parseBootLines(lines: readonly string[], render: (text: string) => string = (t) => t): BootLines {
  const actions = parseBootCommand(render(lines.join('')));
  const lineEnds = lines.map((_, index) => {
    if (index === lines.length - 1) return actions.length;
    let prefix: BootAction[];
    try {
      prefix = parseBootCommand(render(lines.slice(0, index + 1).join('')));
    } catch {
      return undefined;
    }
    const same = prefix.every((action, i) => JSON.stringify(action) === JSON.stringify(actions[i]));
    return same ? prefix.length : undefined;
  });
  return { actions, lineEnds };
}
