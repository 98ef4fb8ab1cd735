/**
 * A Slack send after the acknowledgement, as patient as the invocation allows. Slack's Retry-After
 * is honoured as given: a shorter wait only draws a second 429. While the wait and the call fit in
 * what is left of the invocation (ctx.budget), it is waited out and the send tried again; when they
 * do not, the caller is told when Slack may be asked again, so it can owe the send
 * (store/owed-sends.ts) instead of dropping it.
 *
 * A 5xx is not a refusal like a 429: Slack's method references say of `internal_error` and
 * `fatal_error` "It's possible some aspect of the operation succeeded before the error was raised",
 * and a 502 or 504 is Slack's edge giving up on a server that may have finished. chat.postMessage
 * takes no idempotency key (slackapi/slack-api-specs#10), so a message answered with a 5xx is
 * treated like one that timed out: never tried again, never owed. Only a send that can be repeated
 * without a second effect (`idempotent`: views.publish replaces the tab) is tried again and owed.
 */
import { ChatError, type Platform } from "../chat/model.js";
import { SLACK_TIMEOUT_MS, SlackApiError } from "../platforms/slack/client.js";
import type { Deadline, FeatureContext } from "./context.js";

/** Tries of one send in one invocation: Slack refusing a third time is holding the bot back longer than it says. */
export const MAX_SEND_TRIES = 3;
/** Slack always sends Retry-After with a 429; if it did not, this long (s), as for the weekly review. */
const DEFAULT_RETRY_AFTER_S = 1;
/** The pause before trying again after an HTTP error status, for an idempotent send. */
const HTTP_ERROR_PAUSE_MS = 500;

export type PatientSend<T, E = SlackApiError> =
  | { ok: true; value: T }
  /**
   * Not sent. `retryAt` (ms since the epoch) when Slack refused for now (a 429, or an HTTP error
   * status to an idempotent send) and may be asked again then: the send can be owed. Undefined for
   * a refusal that waiting will not change, or a failure after which it may have been posted (a
   * timeout, a dropped connection, a 5xx to a send that is not idempotent): never owed, so never
   * posted twice.
   */
  | { ok: false; error: E; retryAt: number | undefined };

/**
 * Sends, waiting out Slack's Retry-After while the invocation's budget allows (and `within`, when the
 * send must also end before a claim's lease does); after a 5xx, tries again only an `idempotent`
 * send (one that a repeat cannot double, such as views.publish). Never rejects.
 */
export function sendPatiently<T>(
  ctx: Pick<FeatureContext, "now" | "sleep" | "budget" | "log">,
  send: () => Promise<T>,
  fields: Record<string, string> = {},
  options: { within?: Deadline; idempotent?: boolean } = {},
): Promise<PatientSend<T>> {
  const read = (thrown: unknown): ReadFailure<SlackApiError> => {
    const error = thrown instanceof SlackApiError ? thrown : new SlackApiError("unknown_error", "unknown", { cause: thrown });
    return { error, code: error.code as string, retryAfterMs: error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000, platform: "slack", method: error.method };
  };
  return patiently(ctx, send, read, fields, options);
}

/**
 * sendPatiently for a port call on `platform` (a ChatApi method, which rejects with ChatError): the
 * same waits and the same rule on 5xx, read off the ChatError's code and retryAfterMs. Never rejects;
 * anything but a ChatError (a bug) is reported as a network_error, which is never tried again.
 */
export function sendChatPatiently<T>(
  ctx: Pick<FeatureContext, "now" | "sleep" | "budget" | "log">,
  platform: Platform,
  send: () => Promise<T>,
  fields: Record<string, string> = {},
  options: { within?: Deadline; idempotent?: boolean } = {},
): Promise<PatientSend<T, ChatError>> {
  const read = (thrown: unknown): ReadFailure<ChatError> => {
    const error = thrown instanceof ChatError ? thrown : new ChatError("network_error", platform, { cause: thrown });
    // Slack's method, as sendPatiently logs it, when the port's error carries Slack's own.
    const method = error.cause instanceof SlackApiError ? error.cause.method : String(error.platformCode ?? error.code);
    return { error, code: error.code as string, retryAfterMs: error.retryAfterMs, platform, method };
  };
  return patiently(ctx, send, read, fields, options);
}

/** A failure as the loop reads it, whatever the send rejected with. */
interface ReadFailure<E> {
  error: E;
  code: string;
  retryAfterMs: number | undefined;
  platform: Platform;
  method: string;
}

async function patiently<T, E>(
  ctx: Pick<FeatureContext, "now" | "sleep" | "budget" | "log">,
  send: () => Promise<T>,
  read: (thrown: unknown) => ReadFailure<E>,
  fields: Record<string, string>,
  options: { within?: Deadline; idempotent?: boolean },
): Promise<PatientSend<T, E>> {
  const remainingMs = () => Math.min(ctx.budget.remainingMs(), options.within?.remainingMs() ?? Infinity);
  let httpErrorRetried = false;
  for (let tries = 1; ; tries += 1) {
    let failure: ReadFailure<E>;
    try {
      return { ok: true, value: await send() };
    } catch (thrown) {
      failure = read(thrown);
    }
    const { error } = failure;
    const busy = failure.code === "rate_limited" || (failure.code === "http_error" && options.idempotent === true);
    if (!busy) return { ok: false, error, retryAt: undefined };
    const waitMs = failure.code === "rate_limited" ? (failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_S * 1000) : HTTP_ERROR_PAUSE_MS;
    const retryAt = ctx.now().getTime() + waitMs;
    const again = failure.code === "rate_limited" || !httpErrorRetried;
    if (!again || tries >= MAX_SEND_TRIES || waitMs + SLACK_TIMEOUT_MS > remainingMs()) return { ok: false, error, retryAt };
    httpErrorRetried ||= failure.code === "http_error";
    ctx.log.info(`${failure.platform}.waiting`, { ...fields, method: failure.method, error_code: failure.code, wait_ms: waitMs, try: tries });
    await ctx.sleep(waitMs);
  }
}
