/** Notion's ids, as Notion writes them in different places: dashed or not, in either case, property ids URL-encoded or not. */

/** The id as 8-4-4-4-12 lower-case hex when it is 32 hex digits (dashed or not); else undefined. */
export function dashedNotionId(id: string): string | undefined {
  const hex = id.replaceAll("-", "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether two ids name the same thing: URL-decoded, then as dashed ids when they are 32 hex digits, else as written. */
export function sameNotionId(a: string, b: string): boolean {
  const normal = (id: string) => {
    let decoded = id;
    try {
      decoded = decodeURIComponent(id);
    } catch {
      // Not URL-encoded: compared as it is.
    }
    return dashedNotionId(decoded) ?? decoded;
  };
  return normal(a) === normal(b);
}
