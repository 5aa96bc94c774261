import type { PackerNote } from '../packer/model.js';

/** A Packer template note as the CLI prints it: `file:line:col: note: message`. */
export const formatNote = (note: PackerNote): string => `${note.pos.file}:${note.pos.line}:${note.pos.column}: note: ${note.message}`;
