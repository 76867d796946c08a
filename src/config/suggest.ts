/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment), since
 * the typical typo is TESSERA_PROT for TESSERA_PORT.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[_.]/)
    .filter((word) => word !== '');
}

/**
 * The known name nearest to `name`, if it is near enough to be the intended one: at most a third of
 * the name may differ (at least two edits allowed), so TESSERA_DEBUG does not suggest TESSERA_HOST.
 * Failing that, the one name that contains all of its words (TESSERA_ACCESS_TTL for
 * TESSERA_ACCESS_TOKEN_TTL), since shortening a long name is the other common slip.
 */
export function closestName(name: string, known: readonly string[], prefix = ''): string | undefined {
  const tail = name.slice(prefix.length).toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(tail, candidate.slice(prefix.length).toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  const allowed = Math.max(2, Math.floor(tail.length / 3));
  if (best !== undefined && best.distance <= allowed) return best.candidate;
  const wanted = words(tail);
  const containing = known.filter((candidate) => {
    const have = words(candidate.slice(prefix.length));
    return wanted.length > 0 && wanted.every((word) => have.includes(word));
  });
  return containing.length === 1 ? containing[0] : undefined;
}
