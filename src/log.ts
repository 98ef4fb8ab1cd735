/**
 * Structured logs: one JSON line per event. Callers pass ids, codes and lengths, never what a
 * person typed; `redactSecrets` and a logger's masks are the second line of defence for error
 * messages from libraries (Notion's validation messages, for one, quote the value they refused).
 */

export type LogSink = (line: string) => void;
export type LogFields = Record<string, string | number | boolean | null | undefined | readonly string[]>;
export type LogLevel = "info" | "warn" | "error";

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger whose every line also carries these fields. */
  with(fields: LogFields): Logger;
  /**
   * A logger that replaces each of `values` with `label` wherever it appears in a field. The list is
   * read at every line, so values learned later (a token once env is read, a request's text once
   * parsed) can be pushed onto it.
   */
  masking(values: readonly string[], label?: string): Logger;
  /** A logger that also hands every line's level, event and fields to `listener` before writing it. */
  tap(listener: LogListener): Logger;
}

export type LogListener = (level: LogLevel, event: string, fields: LogFields) => void;

interface Mask {
  values: readonly string[];
  label: string;
}

const defaultSink: LogSink = (line) => console.log(line);

/**
 * A logged string costs at most this many bytes in the line as written (UTF-8, JSON-escaped: a
 * control character escapes to six bytes, an emoji is four), and a list holds at most LIST_MAX
 * items: a field can hold a value from a payload (an id Slack bounds at 255, but a forged payload
 * need not), so no line grows with its input. A line's fields are named by the code, so a line is
 * bounded too.
 */
export const FIELD_MAX = 300;
export const LIST_MAX = 20;
const ELLIPSIS_BYTES = 3;

/** `text` within FIELD_MAX bytes as written, ending with "…" when cut; never splits a surrogate pair. */
function bound(text: string): string {
  // No UTF-16 unit costs more than six bytes once escaped ("\u0000"): a short text needs no count.
  if (text.length * 6 <= FIELD_MAX) return text;
  let bytes = 0;
  let fits = 0;
  for (let at = 0; at < text.length; ) {
    const width = isPairAt(text, at) ? 2 : 1;
    bytes += writtenBytes(text, at, width);
    if (bytes > FIELD_MAX) break;
    at += width;
    if (bytes <= FIELD_MAX - ELLIPSIS_BYTES) fits = at;
    if (at === text.length) return text;
  }
  return `${text.slice(0, fits)}…`;
}

function isPairAt(text: string, at: number): boolean {
  const high = text.charCodeAt(at);
  const low = text.charCodeAt(at + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** What the character at `at` (`width` units) costs in JSON.stringify's output, in UTF-8 bytes. */
function writtenBytes(text: string, at: number, width: number): number {
  if (width === 2) return 4;
  const code = text.charCodeAt(at);
  if (code === 0x22 || code === 0x5c) return 2; // \" and \\
  if (code < 0x20) return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 6; // a lone surrogate is escaped
  return 3;
}

/** Every string field cut to FIELD_MAX bytes as written and every list to LIST_MAX items. */
export function boundFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[bound(key)] = typeof value === "string" ? bound(value) : Array.isArray(value) ? value.slice(0, LIST_MAX).map(bound) : value;
  }
  return out;
}

/** Values shorter than this are not masked: they would blank ids and codes that happen to match. */
const MASK_MIN_LENGTH = 4;
/** Long values are also masked by their start, so a quote cut short by a library is caught too. */
const MASK_PREFIX_LENGTH = 32;

/** Builds a logger that writes JSON lines to `sink` (stdout by default: Netlify's function log). */
export function createLogger(sink: LogSink = defaultSink, base: LogFields = {}): Logger {
  return buildLogger(sink, base, [], []);
}

function buildLogger(sink: LogSink, base: LogFields, masks: readonly Mask[], listeners: readonly LogListener[]): Logger {
  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    const merged = { ...base, ...fields };
    for (const listener of listeners) listener(level, event, merged);
    const line = { level, event: bound(event), ...boundFields(applyMasks(merged, masks)) };
    sink(redactSecrets(JSON.stringify(line)));
  };
  return {
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
    with: (fields) => buildLogger(sink, { ...base, ...fields }, masks, listeners),
    masking: (values, label = "[redacted]") => buildLogger(sink, base, [...masks, { values, label }], listeners),
    tap: (listener) => buildLogger(sink, base, masks, [...listeners, listener]),
  };
}

function applyMasks(fields: LogFields, masks: readonly Mask[]): LogFields {
  const replacements = masks
    .flatMap(({ values, label }) => values.flatMap((value) => maskedParts(value).map((part) => ({ part, label }))))
    .sort((a, b) => b.part.length - a.part.length);
  if (replacements.length === 0) return fields;
  const mask = (text: string) => replacements.reduce((out, { part, label }) => (out.includes(part) ? out.replaceAll(part, label) : out), text);
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === "string" ? mask(value) : Array.isArray(value) ? value.map(mask) : value;
  }
  return out;
}

/** The value, each of its lines, and the starts of long ones: the shapes a library's message quotes. */
function maskedParts(value: string): string[] {
  const parts = new Set<string>();
  for (const part of [value, ...value.split(/\r?\n/)]) {
    const trimmed = part.trim();
    if (trimmed.length < MASK_MIN_LENGTH) continue;
    parts.add(trimmed);
    if (trimmed.length > MASK_PREFIX_LENGTH) parts.add(trimmed.slice(0, MASK_PREFIX_LENGTH));
  }
  return [...parts];
}

const secretPatterns = [/xox[abeprs]-[\w-]+/g, /\b(?:ntn|secret)_\w{6,}/g, /Bearer\s+[\w.-]+/gi];

/** Masks anything shaped like a Slack or Notion token. */
export function redactSecrets(text: string): string {
  return secretPatterns.reduce((out, pattern) => out.replace(pattern, "[redacted]"), text);
}

/** An error's own `code` (NotionStoreError's, StoreError's, SlackApiError's), or `fallback` when it has none. */
export function errorCodeOf(error: unknown, fallback: string): string {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : fallback;
}

/** A short, loggable description of an error: its code and message, secrets masked, and its cause's. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: redactSecrets(String(error)).slice(0, 300) };
  const code = errorCodeOf(error, error.name);
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return {
    error_code: code,
    error: redactSecrets(error.message).slice(0, 300),
    ...(cause ? { error_cause: redactSecrets(cause).slice(0, 300) } : {}),
  };
}
