/** The port's one error: why a ChatApi or Reply call failed, in words every adapter maps its platform's errors onto. */
import type { Platform } from "./model.js";

/** Why a ChatApi call failed, in the port's words; each adapter maps its platform's errors onto these. */
export type ChatErrorCode =
  | "rate_limited"
  | "timeout"
  | "network_error"
  | "http_error"
  /** The conversation, message or person is gone (Slack channel_not_found, Discord 10003/10008/10013). */
  | "not_found"
  /** The bot may not see or post there (Slack not_in_channel, Discord 50001/50013). */
  | "forbidden"
  /** A DM the person does not accept (Discord 50007; Slack cannot_dm_bot). */
  | "cannot_message_user"
  /**
   * What answers the interaction is gone: Discord's first response was already given (a form opened
   * later), or its token is past its 15 minutes (10015, 50027, 10062); Slack's trigger_id past 3 s.
   */
  | "expired"
  | "invalid_request";

/** A failed ChatApi call; `platformCode` is the platform's own (Slack's error word, Discord's numeric code). */
export class ChatError extends Error {
  override readonly name = "ChatError";
  constructor(
    readonly code: ChatErrorCode,
    readonly platform: Platform,
    options: { cause?: unknown; platformCode?: string | number; retryAfterMs?: number; partial?: boolean; unsent?: boolean } = {},
  ) {
    super(`${platform} call failed: ${code}`, { cause: options.cause });
    this.platformCode = options.platformCode;
    this.retryAfterMs = options.retryAfterMs;
    this.partial = options.partial === true;
    this.unsent = options.unsent === true;
  }
  readonly platformCode: string | number | undefined;
  readonly retryAfterMs: number | undefined;
  /**
   * A card posted as several messages (Discord, past 2,000 characters) failed after its first part
   * landed: posting it again would repeat that part, whatever the code says.
   */
  readonly partial: boolean;
  /**
   * Nothing reached the platform, whatever the code says (Teams: the connector's token could not be
   * had, so no call was made): unlike a timeout or a 5xx after the call went out, sending it again
   * cannot make a double, so it may be tried again and owed. Only Teams sets it (Slack, Discord and
   * Mattermost have no call before their own).
   */
  readonly unsent: boolean;
}
