// A template file's data once it passed validation: the shapes the schema (schema.ts,
// schema-provision.ts) and the semantic checks guarantee, which normalise.ts turns into
// the Template. Derived from the schema's nodes, never written out a second time.
import type { DataOf } from './schema-nodes.js';
import type { diskSource, isoSource, mediaSpec, postProcessItem, templateSchema, vagrantOutput } from './schema.js';
import type { ansible, ansibleLocal, provisionItem, runControls, shell, shellLocal } from './schema-provision.js';

export type { Scalar } from './schema-nodes.js';

export type RawTemplate = DataOf<typeof templateSchema>;
export type RawSourceFile = DataOf<typeof isoSource> | DataOf<typeof diskSource>;
export type RawMedia = DataOf<typeof mediaSpec>;
export type RawVagrant = DataOf<typeof vagrantOutput>;
export type RawPostProcessor = DataOf<typeof postProcessItem>;
export type RawProvisioner = DataOf<typeof provisionItem>;
export type RawShell = DataOf<typeof shell>;
export type RawShellLocal = DataOf<typeof shellLocal>;
export type RawAnsible = DataOf<typeof ansible>;
export type RawAnsibleLocal = DataOf<typeof ansibleLocal>;
/** pause_before, max_retries, timeout as written. */
export type RawRunControls = { [K in keyof typeof runControls]?: DataOf<(typeof runControls)[K]> };
