// Why a stage could not be resumed, in the words of the template: the inputs whose
// digests differ from the closest layer the cache has for that stage. Pure.

const MAX_NAMED = 3;

/** "provision[2]: script scripts/setup.sh changed", or why nothing could be compared. */
export function explainMiss(label: string, current: Record<string, string>, previous: Record<string, string> | undefined): string {
  if (!previous) return `${label}: not in the cache yet`;
  const changes: string[] = [];
  for (const [name, digest] of Object.entries(current)) {
    if (!(name in previous)) changes.push(`${name} added`);
    else if (previous[name] !== digest) changes.push(`${name} changed`);
  }
  for (const name of Object.keys(previous)) if (!(name in current)) changes.push(`${name} removed`);
  // Same inputs, different key: what it was built on differs (e.g. a stage under it was rebuilt).
  if (changes.length === 0) return `${label}: an earlier stage changed`;
  const named = changes.slice(0, MAX_NAMED).join(', ');
  const more = changes.length > MAX_NAMED ? ` and ${changes.length - MAX_NAMED} more` : '';
  return `${label}: ${named}${more}`;
}
