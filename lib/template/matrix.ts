// A template's `matrix:` (variable name -> list of values) as the list of its builds:
// every combination, the first variable varying slowest, each named after the template
// and its values (debian-12 with firmware [bios, efi] -> debian-12-bios, debian-12-efi).
// Pure: the matrix in, the cells out.

export type Matrix = Record<string, readonly (string | number | boolean)[]>;

export interface MatrixCell {
  /** The build's name: the template's, then each value, joined by "-". */
  name: string;
  /** The variable values of this build, as --var would give them. */
  values: Record<string, string>;
}

/** More builds than this from one template is a mistake (a typo'd list), not a plan. */
export const MAX_MATRIX_BUILDS = 256;

/** How many builds the matrix makes. */
export const matrixSize = (matrix: Matrix): number => Object.values(matrix).reduce((n, list) => n * list.length, 1);

export function matrixCells(name: string, matrix: Matrix): MatrixCell[] {
  let cells: MatrixCell[] = [{ name, values: {} }];
  for (const [variable, list] of Object.entries(matrix)) {
    cells = cells.flatMap((cell) => list.map((value) => ({ name: `${cell.name}-${nameSegment(value)}`, values: { ...cell.values, [variable]: String(value) } })));
  }
  return cells;
}

/** A value as part of a build name: lowercase, with anything but letters, digits, "." and "_" as "-". */
export function nameSegment(value: string | number | boolean): string {
  return String(value).toLowerCase().replace(/[^a-z0-9._]+/g, '-').replace(/^-+|-+$/g, '');
}
