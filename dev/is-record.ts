/** Whether a parsed JSON value is an object with fields (not null, not an array): the one check before reading fields. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
