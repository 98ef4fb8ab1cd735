/**
 * A chat platform's send after the acknowledgement, as patient as the invocation allows. The
 * platform's Retry-After (ChatError.retryAfterMs: Slack's header, Discord's retry_after) is honoured
 * as given: a shorter wait only draws a second 429. While the wait and the call fit in what is left
 * of the invocation (ctx.budget), it is waited out and the send tried again; when they do not, the
 * caller is told when the platform may be asked again, so it can owe the send
 * (store/owed-sends.ts) instead of dropping it.
 *
 * A 5xx is not a refusal like a 429: Slack's method references say of `internal_error` and
 * `fatal_error` "It's possible some aspect of the operation succeeded before the error was raised",
 * and a 502 or 504 is an edge giving up on a server that may have finished. Neither Slack's
 * chat.postMessage (slackapi/slack-api-specs#10) nor Discord's create message takes an idempotency
 * key, so a message answered with a 5xx is treated like one that timed out: never tried again,
 * never owed. Only a send that can be repeated without a second effect (`idempotent`: Slack's
 * views.publish replaces the tab), or one that never went out (ChatError.unsent: Teams' token
 * endpoint failing before the connector was called), is tried again and owed.
 *
 * What it reads of a failure is the port's ChatError (code, retryAfterMs). The Slack code not yet on
 * the port (the Home tab's publish) still throws Slack's own error, whose code words are the same
 * and whose Retry-After is in seconds: it is read by its shape, so no feature imports a platform.
 */
import { ChatError } from "../chat/chat-error.js";
import type { Platform } from "../chat/model.js";
import { describeError, type LogFields } from "../log.js";
import type { Deadline, FeatureContext } from "./context.js";

/** Tries of one send in one invocation: a platform refusing a third time is holding the bot back longer than it says. */
export const MAX_SEND_TRIES = 3;
/**
 * The longest one chat call takes before its client aborts it: Slack's client and Discord's REST
 * client both stop at 2.5 s (SLACK_TIMEOUT_MS, DISCORD_TIMEOUT_MS; a test holds them to this). A
 * wait is begun only when a try after it still fits.
 */
export const SEND_TIMEOUT_MS = 2_500;
/** Slack always sends Retry-After with a 429 (Discord its retry_after); if not, this long (ms), as for the weekly review. */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** The pause before trying again after an HTTP error status, for an idempotent send. */
const HTTP_ERROR_PAUSE_MS = 500;

/**
 * Why a send failed: the port's ChatError, or (Slack code not yet on the port) Slack's own error,
 * with a `code` of the same words and its Retry-After in seconds. `retryAfterMsOf` reads either.
 */
export type SendError = Error & { readonly code: string; readonly retryAfterSeconds?: number | undefined };

export type PatientSend<T, E extends SendError = SendError> =
  | { ok: true; value: T }
  /**
   * Not sent. `retryAt` (ms since the epoch) when the platform refused for now (a 429, or an HTTP
   * error status to an idempotent send) and may be asked again then: the send can be owed.
   * Undefined for a refusal that waiting will not change, or a failure after which it may have
   * been posted (a timeout, a dropped connection, a 5xx to a send that is not idempotent): never
   * owed, so never posted twice.
   */
  | { ok: false; error: E; retryAt: number | undefined };

/**
 * Sends, waiting out the platform's Retry-After while the invocation's budget allows (and `within`,
 * when the send must also end before a claim's lease does); after a 5xx, tries again only an
 * `idempotent` send (one that a repeat cannot double, such as views.publish). Never rejects.
 */
export async function sendPatiently<T>(
  ctx: Pick<FeatureContext, "now" | "sleep" | "budget" | "log">,
  send: () => Promise<T>,
  fields: Record<string, string> = {},
  options: { within?: Deadline; idempotent?: boolean } = {},
): Promise<PatientSend<T>> {
  const remainingMs = () => Math.min(ctx.budget.remainingMs(), options.within?.remainingMs() ?? Infinity);
  let httpErrorRetried = false;
  for (let tries = 1; ; tries += 1) {
    let error: SendError;
    try {
      return { ok: true, value: await send() };
    } catch (thrown) {
      error = sendErrorOf(thrown);
    }
    // A send that never went out (ChatError.unsent: Teams without a token) cannot double either.
    const unsent = error instanceof ChatError && error.unsent;
    const busy = error.code === "rate_limited" || (error.code === "http_error" && options.idempotent === true) || unsent;
    if (!busy) return { ok: false, error, retryAt: undefined };
    const waitMs = error.code === "rate_limited" ? (retryAfterMsOf(error) ?? DEFAULT_RETRY_AFTER_MS) : HTTP_ERROR_PAUSE_MS;
    const retryAt = ctx.now().getTime() + waitMs;
    const again = error.code === "rate_limited" || !httpErrorRetried;
    if (!again || tries >= MAX_SEND_TRIES || waitMs + SEND_TIMEOUT_MS > remainingMs()) return { ok: false, error, retryAt };
    httpErrorRetried ||= error.code !== "rate_limited";
    const platform = error instanceof ChatError ? error.platform : "slack";
    ctx.log.info(`${platform}.waiting`, { ...fields, ...methodOf(error), error_code: error.code, wait_ms: waitMs, try: tries });
    await ctx.sleep(waitMs);
  }
}

/**
 * sendPatiently for a port call on `platform` (a ChatApi method, which rejects with ChatError): the
 * failure is always a ChatError; anything else (a bug) is reported as a network_error, which is
 * never tried again. Never rejects.
 */
export async function sendChatPatiently<T>(
  ctx: Pick<FeatureContext, "now" | "sleep" | "budget" | "log">,
  platform: Platform,
  send: () => Promise<T>,
  fields: Record<string, string> = {},
  options: { within?: Deadline; idempotent?: boolean } = {},
): Promise<PatientSend<T, ChatError>> {
  const chatSend = () => send().catch((thrown: unknown) => Promise.reject(thrown instanceof ChatError ? thrown : new ChatError("network_error", platform, { cause: thrown })));
  return (await sendPatiently(ctx, chatSend, fields, options)) as PatientSend<T, ChatError>;
}

/**
 * A failed send for the log: the platform's own word as `error_code` (Slack's `not_in_channel`,
 * Discord's 50007), which is what an admin searches for, and the port's code beside it.
 */
export function describeSendError(error: SendError): LogFields {
  const described = describeError(error);
  if (!(error instanceof ChatError) || error.platformCode === undefined) return described;
  return { ...described, error_code: String(error.platformCode), chat_error: error.code };
}

function sendErrorOf(thrown: unknown): SendError {
  if (thrown instanceof ChatError) return thrown;
  if (thrown instanceof Error && typeof (thrown as { code?: unknown }).code === "string") return thrown as SendError;
  // A bug in the send itself (not the platform's answer): nothing says waiting would help.
  return Object.assign(new Error("send failed", { cause: thrown }), { code: "unknown_error" });
}

/** How long the platform asked to wait (ms): ChatError's retryAfterMs, or a Slack error's retryAfterSeconds. */
export function retryAfterMsOf(error: SendError): number | undefined {
  if (error instanceof ChatError) return error.retryAfterMs;
  return typeof error.retryAfterSeconds === "number" ? error.retryAfterSeconds * 1000 : undefined;
}

/** The Slack method, for the waiting line: on a ChatError, its cause's. */
function methodOf(error: SendError): { method?: string } {
  const source: unknown = error instanceof ChatError ? error.cause : error;
  const method = typeof source === "object" && source !== null ? (source as { method?: unknown }).method : undefined;
  return typeof method === "string" ? { method } : {};
}
