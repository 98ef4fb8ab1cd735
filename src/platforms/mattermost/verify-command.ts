/**
 * The slash command's one proof: the token Mattermost sends with every request of the command (the
 * `token` field, and `Authorization: Token …` since Mattermost 5.x), which must be
 * MATTERMOST_COMMAND_TOKEN. Compared in constant time; pure.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** The token a request carries: the header's when it has one, else the form's `token` field. */
export function commandTokenOf(headers: Headers, form: URLSearchParams): string | undefined {
  const header = headers.get("authorization")?.match(/^Token\s+(\S+)\s*$/i)?.[1];
  return header ?? form.get("token") ?? undefined;
}

/** True when `given` is `expected`; both hashed first, so neither their contents nor their lengths show in the time it takes. */
export function isCommandToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
