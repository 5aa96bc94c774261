// <waitSerial /re/> runs the user's regex over the guest's console output for the whole
// wait. A repeated group that itself repeats ("(a+)+", "(\w+\s?)*") can take exponential
// time on text that almost matches, which would hang the build. Refused at validation.
//
// What is checked (the "star height" rule): a group under *, + or {n,} / {n,m>1} that
// holds another such repeat. Overlapping alternatives under a repeat ("(a|a)*") are not
// detected; docs/boot-command.md says so.

export interface UnsafeRegex {
  /** 0-based index in the regex source of the outer repeated group's "(". */
  offset: number;
  /** The group as written, e.g. "(a+)+". */
  group: string;
}

interface Frame {
  start: number;
  /** The group's contents hold a repeat (directly or in a nested group). */
  repeats: boolean;
}

/** The first repeated group holding a repeat, or undefined when there is none. */
export function nestedRepeat(source: string): UnsafeRegex | undefined {
  const stack: Frame[] = [{ start: -1, repeats: false }];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      i = quantified(source, i + 2, stack);
    } else if (ch === '[') {
      i = quantified(source, classEnd(source, i + 1), stack);
    } else if (ch === '(') {
      stack.push({ start: i, repeats: false });
      i = groupBodyStart(source, i + 1);
    } else if (ch === ')') {
      const frame = stack.length > 1 ? stack.pop()! : { start: -1, repeats: false };
      const after = repeatEnd(source, i + 1);
      if (after !== undefined && frame.repeats) return { offset: frame.start, group: source.slice(frame.start, after) };
      const parent = stack[stack.length - 1]!;
      parent.repeats ||= frame.repeats || after !== undefined;
      i = after ?? i + 1;
    } else {
      i = quantified(source, i + 1, stack);
    }
  }
  return undefined;
}

/** After an atom ending at `at`: notes a repeat of it in the current group; the index to go on from. */
function quantified(source: string, at: number, stack: Frame[]): number {
  const end = repeatEnd(source, at);
  if (end === undefined) return at;
  stack[stack.length - 1]!.repeats = true;
  return end;
}

/** If a repeating quantifier (*, +, {n,}, {n,m} with m > 1) starts at `at`: the index after it (and a lazy "?"). */
function repeatEnd(source: string, at: number): number | undefined {
  const ch = source[at];
  let end: number | undefined;
  if (ch === '*' || ch === '+') end = at + 1;
  else if (ch === '{') {
    const close = source.indexOf('}', at);
    const m = close < 0 ? null : /^(\d+)(,(\d*))?$/.exec(source.slice(at + 1, close));
    if (m && m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1)) end = close + 1;
    else if (m) return undefined; // {n} or {n,1}: a fixed count
  } else if (ch === '?') {
    return undefined; // optional, not repeated
  }
  if (end === undefined) return undefined;
  return source[end] === '?' ? end + 1 : end;
}

/** Index just past the "]" closing a class whose contents start at `from`. */
function classEnd(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i + 1;
  }
  return source.length;
}

/** Skips "?:", "?=", "?!", "?<=", "?<!" and "?<name>" after a "(". */
function groupBodyStart(source: string, at: number): number {
  if (source[at] !== '?') return at;
  const named = /^\?<[A-Za-z_$][\w$]*>/.exec(source.slice(at, at + 130));
  if (named) return at + named[0].length;
  const look = /^\?(?:<[=!]|[:=!])/.exec(source.slice(at, at + 3));
  return look ? at + look[0].length : at + 1;
}
