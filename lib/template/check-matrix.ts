// matrix: each key a declared variable (a matrix of an unknown name would set nothing),
// each value usable in a build name, no two combinations named alike, and not so many
// builds that it must be a mistake. The schema has checked the shape already.
import { Checker, isRecord, type Data } from './checker.js';
import { matrixSize, MAX_MATRIX_BUILDS, nameSegment, type Matrix } from './matrix.js';

export function checkMatrix(c: Checker, data: Data): void {
  const { matrix } = data;
  if (!isRecord(matrix)) return;
  const declared = isRecord(data.variables) ? data.variables : {};
  for (const [name, list] of Object.entries(matrix)) {
    if (!Object.hasOwn(declared, name)) {
      c.problem(['matrix', name], `"${name}" is not a declared variable: a matrix sets variables`, 'key');
    }
    if (!Array.isArray(list)) continue;
    const seen = new Set<string>();
    list.forEach((value, index) => {
      if (typeof value === 'object') return;
      const segment = nameSegment(value as string);
      if (segment === '') c.problem(['matrix', name, index], `"${String(value)}" gives no build name: use a value with letters or digits`);
      else if (seen.has(segment)) c.problem(['matrix', name, index], `"${String(value)}" names the same build as an earlier value (${segment})`);
      seen.add(segment);
    });
  }
  if (!Object.values(matrix).every(Array.isArray)) return;
  const size = matrixSize(matrix as Matrix);
  if (size > MAX_MATRIX_BUILDS) c.problem(['matrix'], `the matrix makes ${size} builds, more than ${MAX_MATRIX_BUILDS}: split it into several templates`, 'key');
}
