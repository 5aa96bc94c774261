// kiln's waits: <waitN>/<waitDURATION> (Packer's) and the forms with an argument,
// <waitHttp /path>, <waitSerial "text">, <waitSerial /re/>, <waitScreen "text">.

import { DURATION_HINT, durationTooLong, parseDuration } from '../util/duration.js';
import type { BootAction } from './actions.js';
import { BootCommandSyntaxError } from './syntax-error.js';
import { nestedRepeat } from './regex-safety.js';
import { ARGUMENT_FORMS } from './suggest.js';

/**
 * Milliseconds for what follows "wait" in <wait...>: nothing is 1 s, a whole number is
 * seconds (Packer's <wait5>), anything else must be a duration (<wait1m30s>).
 * Returns undefined when `rest` does not start like a number, so the caller can
 * report an unknown name instead.
 */
export function waitMs(rest: string, offset: number, written: string): number | undefined {
  if (rest === '') return 1000;
  if (!/^[-\d]/.test(rest)) return undefined;
  const ms = /^\d+$/.test(rest) ? Number(rest) * 1000 : parseDuration(rest.toLowerCase()); // names are case-insensitive: <WAIT5S>
  if (ms === undefined) {
    throw new BootCommandSyntaxError(
      `invalid duration "${rest}" in ${written}`,
      offset,
      `${DURATION_HINT}, or a whole number of seconds as in <wait5>`,
    );
  }
  const tooLong = durationTooLong(ms, written);
  if (tooLong) throw new BootCommandSyntaxError(tooLong, offset, `${DURATION_HINT}; to wait for the guest, use <waitHttp /path> or <waitSerial "text">`);
  return ms;
}

export interface ParsedForm {
  action: BootAction;
  /** Index just past the closing '>'. */
  end: number;
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Parses an argument form; `start` is the '<', `at` is just past the name. */
export function parseArgumentForm(source: string, start: number, at: number, form: string): ParsedForm {
  const shown = ARGUMENT_FORMS[form]!;
  let i = at;
  while (isBlank(source[i])) i++;
  if (source[i] === '>' || i >= source.length) {
    throw new BootCommandSyntaxError(`${source.slice(start, i + 1)} is missing its argument`, start, `write ${shown}`);
  }
  if (form === 'waithttp') return parseHttpPath(source, start, i);
  let action: BootAction;
  let isRegex = false;
  if (source[i] === '"') {
    const { text, end } = parseQuoted(source, i);
    action = form === 'waitserial' ? { kind: 'waitSerial', text, regex: false } : { kind: 'waitScreen', text };
    i = end;
  } else if (source[i] === '/' && form === 'waitserial') {
    const { text, end } = parseRegex(source, i);
    action = { kind: 'waitSerial', text, regex: true };
    i = end;
    isRegex = true;
  } else {
    const what = form === 'waitserial' ? 'a double-quoted string or a /regex/' : 'a double-quoted string';
    throw new BootCommandSyntaxError(`${shown.split(' ')[0]} expects ${what}`, i, `write ${shown}`);
  }
  const flags = isRegex && /^[a-z]+\s*>/i.test(source.slice(i, i + 20)); // as in /re/i
  while (isBlank(source[i])) i++;
  if (source[i] !== '>') {
    throw new BootCommandSyntaxError(
      flags ? 'regex flags are not supported in <waitSerial /re/>' : `expected ">" to close ${shown.split(' ')[0]}`,
      i,
      flags ? 'spell the alternatives out instead, e.g. /[Ll]ogin:/' : `write ${shown}`,
    );
  }
  return { action, end: i + 1 };
}

function parseHttpPath(source: string, start: number, at: number): ParsedForm {
  const close = source.indexOf('>', at);
  const raw = close < 0 ? source.slice(at) : source.slice(at, close);
  // A '<' or a line break before '>' means the form was never closed.
  if (close < 0 || /[<\n\r]/.test(raw)) {
    throw new BootCommandSyntaxError('unterminated <waitHttp: no ">" after the path', start, 'write <waitHttp /path>');
  }
  const path = raw.trimEnd();
  if (!path.startsWith('/')) {
    throw new BootCommandSyntaxError(
      `<waitHttp> path "${path}" must start with /`,
      at,
      'give the path as the guest requests it from the embedded server, e.g. <waitHttp /preseed.cfg>',
    );
  }
  return { action: { kind: 'waitHttp', path }, end: close + 1 };
}

/** A double-quoted string starting at `at`; \" and \\ are its only escapes. */
function parseQuoted(source: string, at: number): { text: string; end: number } {
  let text = '';
  for (let i = at + 1; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '"') {
      if (text === '') throw new BootCommandSyntaxError('empty "" would match at once', at, 'give the text to wait for');
      return { text, end: i + 1 };
    }
    if (ch === '\n' || ch === '\r') break;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next !== '"' && next !== '\\') {
        throw new BootCommandSyntaxError(
          `unknown escape "\\${next ?? ''}" in a quoted string`,
          i,
          'only \\" (a quote) and \\\\ (a backslash) are escapes; use <waitSerial /regex/> for anything fancier',
        );
      }
      text += next;
      i++;
      continue;
    }
    text += ch;
  }
  throw new BootCommandSyntaxError('unterminated string: no closing "', at, 'close the string with " on the same line');
}

/** A /regex/ starting at `at`; the text between the slashes must compile as a JS RegExp. */
function parseRegex(source: string, at: number): { text: string; end: number } {
  let inClass = false; // a '/' inside [...] does not end the regex
  for (let i = at + 1; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\n' || ch === '\r') break;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      const text = source.slice(at + 1, i);
      if (text === '') throw new BootCommandSyntaxError('empty // would match at once', at, 'give a pattern to wait for');
      try {
        new RegExp(text);
      } catch (error) {
        throw new BootCommandSyntaxError(
          `invalid regex /${text}/: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`,
          at + 1,
          'fix the pattern (JavaScript RegExp syntax), or use <waitSerial "text"> for plain text',
        );
      }
      const unsafe = nestedRepeat(text);
      if (unsafe) {
        throw new BootCommandSyntaxError(
          `regex /${text}/ repeats a group that itself repeats, ${unsafe.group}: matching it against console output can take exponential time and hang the build`,
          at + 1 + unsafe.offset,
          'drop one of the two repeats (what the guest prints only has to be found, not matched whole), or wait for plain text with <waitSerial "text">',
        );
      }
      return { text, end: i + 1 };
    }
  }
  throw new BootCommandSyntaxError('unterminated regex: no closing /', at, 'close the regex with / on the same line');
}
