// Finding text in what OCR read off the screen. OCR output has its own spacing,
// line breaks and the odd misread letter ("DUD/CD" for "DVD/CD"), so both sides are
// normalised and a few character errors are allowed, in proportion to the length.

/** Lowercase, every run of whitespace one space, trimmed. */
export function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Errors allowed when looking for `needle`: one per 12 characters (none below 12). */
export function allowedErrors(needle: string): number {
  return Math.floor(needle.length / 12);
}

/**
 * The fewest edits (insert, delete, substitute) that turn `needle` into some substring
 * of `haystack` (Sellers' algorithm: edit distance with a free start and end).
 */
export function substringDistance(haystack: string, needle: string): number {
  const m = needle.length;
  if (m === 0) return 0;
  // column[i] = best distance for needle[0..i) ending at the current haystack position.
  let column = Array.from({ length: m + 1 }, (_, i) => i);
  let best = column[m]!;
  for (const ch of haystack) {
    const next = [0];
    for (let i = 1; i <= m; i++) {
      const cost = needle[i - 1] === ch ? 0 : 1;
      next[i] = Math.min(column[i - 1]! + cost, column[i]! + 1, next[i - 1]! + 1);
    }
    column = next;
    if (column[m]! < best) best = column[m]!;
  }
  return best;
}

/** Whether the screen text shows `wanted`, tolerating OCR's usual mistakes. */
export function screenShows(screenText: string, wanted: string): boolean {
  const haystack = normaliseText(screenText);
  const needle = normaliseText(wanted);
  if (haystack.includes(needle)) return true;
  return substringDistance(haystack, needle) <= allowedErrors(needle);
}
