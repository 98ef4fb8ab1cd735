/**
 * Structured logs: one JSON line per event. Callers pass ids, codes and lengths, never what a
 * person typed; `redactSecrets` is the second line of defence for error messages from libraries.
 */
export type LogSink = (line: string) => void;
export type LogFields = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger whose every line also carries these fields. */
  with(fields: LogFields): Logger;
}

const defaultSink: LogSink = (line) => console.log(line);

/** Builds a logger that writes JSON lines to `sink` (stdout by default: Netlify's function log). */
export function createLogger(sink: LogSink = defaultSink, base: LogFields = {}): Logger {
  const write = (level: string, event: string, fields: LogFields = {}) => {
    const line = { level, event, ...base, ...fields };
    sink(redactSecrets(JSON.stringify(line)));
  };
  return {
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
    with: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}

const secretPatterns = [/xox[abeprs]-[\w-]+/g, /\b(?:ntn|secret)_\w{6,}/g, /Bearer\s+[\w.-]+/gi];

/** Masks anything shaped like a Slack or Notion token. */
export function redactSecrets(text: string): string {
  return secretPatterns.reduce((out, pattern) => out.replace(pattern, "[redacted]"), text);
}

/** A short, loggable description of an error: its code and message, secrets masked, and its cause's. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: redactSecrets(String(error)).slice(0, 300) };
  const code = "code" in error && typeof error.code === "string" ? error.code : error.name;
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return {
    error_code: code,
    error: redactSecrets(error.message).slice(0, 300),
    ...(cause ? { error_cause: redactSecrets(cause).slice(0, 300) } : {}),
  };
}
