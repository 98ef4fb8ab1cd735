/**
 * A Place's text form, `platform:workspace:conversation[:thread[:message]]` (vercel/chat's thread ids,
 * `slack:C123:1700000000.0001`, with the workspace added: a Discord reply needs the guild for its
 * link, and a store key must not collide across Slack workspaces). It is what a task's record keeps,
 * so the status loop and the weekly review can reply there from another function. Pure.
 */
import { PLATFORMS, type Place, type Platform } from "./model.js";

/** The longest segment kept: ids on every platform are far shorter (a Teams conversation id ~200). */
export const PLACE_SEGMENT_MAX = 256;

/** Nothing a platform's id holds is a control character or whitespace; `:` and `%` are escaped. */
const UNSAFE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029]/;

/**
 * `place` as one string. `:` and `%` inside a segment are escaped (`%3A`, `%25`), since a Teams
 * conversation id holds colons. Throws a RangeError for a place no platform produces (an empty
 * conversation, whitespace or control characters, a segment over PLACE_SEGMENT_MAX): a bug in the caller.
 */
export function encodePlace(place: Place): string {
  const segments = [place.platform, place.workspace, place.conversation, place.thread ?? "", place.message ?? ""];
  for (const segment of segments.slice(1)) {
    if (segment.length > PLACE_SEGMENT_MAX || UNSAFE.test(segment)) throw new RangeError("place segment is not an id");
  }
  if (place.conversation === "") throw new RangeError("place has no conversation");
  // Trailing empty segments are left off: `discord:1:2`, `slack:T1:C1:171.1`, `discord:1:2::3`.
  while (segments.length > 3 && segments.at(-1) === "") segments.pop();
  return segments.map(escapeSegment).join(":");
}

/** The place a string names, or undefined when it is not one encodePlace wrote (a corrupt or forged record). */
export function decodePlace(text: string): Place | undefined {
  if (text.length > 5 * (PLACE_SEGMENT_MAX * 3 + 1)) return undefined;
  const raw = text.split(":");
  if (raw.length < 3 || raw.length > 5) return undefined;
  const segments: string[] = [];
  for (const piece of raw) {
    const segment = unescapeSegment(piece);
    if (segment === undefined || segment.length > PLACE_SEGMENT_MAX || UNSAFE.test(segment)) return undefined;
    segments.push(segment);
  }
  const [platform, workspace, conversation, thread, message] = segments as [string, string, string, string?, string?];
  if (!isPlatform(platform) || conversation === "") return undefined;
  // A trailing empty segment is never written, so text that has one is not ours.
  if (segments.length > 3 && segments.at(-1) === "") return undefined;
  return {
    platform,
    workspace,
    conversation,
    ...(thread ? { thread } : {}),
    ...(message ? { message } : {}),
  };
}

/** True when both name the same conversation (and workspace) on the same platform. */
export function sameConversation(a: Place, b: Place): boolean {
  return a.platform === b.platform && a.workspace === b.workspace && a.conversation === b.conversation;
}

function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

function escapeSegment(segment: string): string {
  return segment.replaceAll("%", "%25").replaceAll(":", "%3A");
}

/** Undefined for a `%` that starts anything but the two escapes encodePlace writes. */
function unescapeSegment(piece: string): string | undefined {
  if (/%(?!25|3A)/.test(piece)) return undefined;
  return piece.replace(/%(25|3A)/g, (_all, code: string) => (code === "25" ? "%" : ":"));
}
