// A block's settings are translated through a table of Packer key -> handler. Handlers
// write kiln keys relative to the block's own place in the document (`at`): the root for
// a source, provision[N].shell for a shell provisioner.
import type { Segment } from '../../template/finding.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { PluginConfig, Setting } from '../model.js';
import type { Translator } from './translator.js';
import { kilnDuration } from './units.js';
import { readBoolean, readInteger, readString, readStringList } from './values.js';

export type KeyHandler = (t: Translator, setting: Setting, key: string, at: readonly Segment[]) => void;
export type KeyTable = Readonly<Record<string, KeyHandler>>;
/** Handles every key its pattern matches (winrm_*), after the table. */
export type KeyPattern = readonly [RegExp, KeyHandler];

/** Accepted without effect on the image; the note says what kiln does instead. */
export const noted =
  (instead: string): KeyHandler =>
  (t, setting, key) =>
    t.note(setting.pos, `${key} is ignored: ${instead}`);

/** Would change the result in a way kiln cannot: a problem saying why and what to do. */
export const refused =
  (why: string): KeyHandler =>
  (t, setting, key) =>
    t.problem(setting.pos, `${key}: ${why}`);

/** Read together with other keys by the block's own code (iso_url with iso_checksum, say). */
export const readElsewhere: KeyHandler = () => undefined;

export const stringTo =
  (...path: Segment[]): KeyHandler =>
  (t, setting, key, at) => {
    const value = readString(t, key, setting);
    if (value !== undefined) t.set([...at, ...path], value, setting.pos);
  };

export const stringListTo =
  (...path: Segment[]): KeyHandler =>
  (t, setting, key, at) => {
    const value = readStringList(t, key, setting);
    if (value !== undefined) t.set([...at, ...path], value, setting.pos);
  };

export const integerTo =
  (...path: Segment[]): KeyHandler =>
  (t, setting, key, at) => {
    const value = readInteger(t, key, setting);
    if (value !== undefined) t.set([...at, ...path], value, setting.pos);
  };

export const booleanTo =
  (...path: Segment[]): KeyHandler =>
  (t, setting, key, at) => {
    const value = readBoolean(t, key, setting);
    if (value !== undefined) t.set([...at, ...path], value, setting.pos);
  };

export const durationTo =
  (...path: Segment[]): KeyHandler =>
  (t, setting, key, at) => {
    const written = readString(t, key, setting);
    if (written === undefined) return;
    const duration = kilnDuration(written);
    if (!duration.ok) {
      t.problem(setting.pos, `${key}: ${JSON.stringify(written)} is not a duration: write one like 500ms, 10s or 1m30s`);
      return;
    }
    if (duration.negative) t.note(setting.pos, `${key} is negative: kiln waits 0s`);
    t.set([...at, ...path], duration.text, setting.pos);
  };

/**
 * Runs every setting of `config` through `table`; a key the table lacks is a problem at
 * its position, with the nearest known key when one is close.
 */
export function applyTable(
  t: Translator,
  config: PluginConfig,
  table: KeyTable,
  what: string,
  at: readonly Segment[] = [],
  patterns: readonly KeyPattern[] = [],
): void {
  for (const [key, setting] of Object.entries(config.settings)) {
    const handler = Object.hasOwn(table, key) ? table[key] : patterns.find(([pattern]) => pattern.test(key))?.[1];
    if (handler) {
      handler(t, setting, key, at);
      continue;
    }
    const suggestion = didYouMean(key, Object.keys(table));
    t.problem(setting.pos, `${key}: not a key of the ${what} that kiln knows${suggestion || ': check its spelling in Packer\'s docs, or remove it'}`);
  }
}

/** The setting of `key` in `config`, if given. */
export function settingOf(config: PluginConfig, key: string): Setting | undefined {
  return Object.hasOwn(config.settings, key) ? config.settings[key] : undefined;
}

/**
 * The block without its unset settings: Packer reads null and "" as "not given" (legacy
 * JSON templates pass unset user variables as ""), except where `meaningful` says the
 * empty string means something (virtualbox_version_file = "" uploads nothing).
 */
export function withoutUnset(config: PluginConfig, meaningful: readonly string[] = []): PluginConfig {
  const settings = Object.fromEntries(
    Object.entries(config.settings).filter(([key, s]) => s.value !== null && (s.value !== '' || meaningful.includes(key))),
  );
  return { ...config, settings };
}
