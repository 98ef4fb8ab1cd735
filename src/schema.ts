/**
 * What every boundary schema (Slack's payloads, Notion's events) is built from: built on first use,
 * and a problem line that names the field at fault without its value.
 */
import type * as z from "zod/mini";

/**
 * Each schema is built on its first use rather than at import: a function reads one or two kinds
 * of payload, and building every schema cost each cold start a few milliseconds. It also lets the
 * bundler leave out the schemas a function never uses (zod's `.check()` looks like a side effect).
 * esbuild honours @__NO_SIDE_EFFECTS__ only in the file that declares the function: each call in
 * another file is marked @__PURE__ too, or every function's bundle would carry every schema and zod.
 */
/* @__NO_SIDE_EFFECTS__ */
export function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** Names the field at fault without echoing its value (`whole` names an empty path): payload text is the user's, not the log's. */
export function describeIssue(issue: z.core.$ZodIssue | undefined, whole = "payload"): string {
  if (issue === undefined) return `invalid ${whole}`;
  const path = issue.path.map(String).join(".").slice(0, 120) || whole;
  return `${path}: ${issue.code}`;
}
