/** JSON from a request body (Slack's, Notion's), read so that no lone surrogate gets past the boundary. */

const MAY_HOLD_SURROGATE = /[\ud800-\udfff]|\\u[dD][89a-fA-F]/;
/** What parseJsonText returns for text that is not JSON. */
export const NOT_JSON = Symbol("not JSON");

/** JSON text as a value, every lone surrogate made U+FFFD; NOT_JSON when it does not parse. */
export function parseJsonText(raw: string): unknown {
  try {
    // A reviver makes JSON.parse several times slower: only a payload that has a surrogate (as a
    // character or a \uD800-\uDFFF escape) can hold a lone one.
    return MAY_HOLD_SURROGATE.test(raw)
      ? JSON.parse(raw, (_key, value: unknown) => (typeof value === "string" ? toWellFormed(value) : value))
      : JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

/**
 * A lone surrogate (`"\udfff"` in JSON) is no text anyone typed, and makes encodeURIComponent and
 * others throw: it becomes U+FFFD at the boundary, as a form body's broken UTF-8 already does.
 */
function toWellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
