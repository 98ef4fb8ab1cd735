/**
 * Slack's bounds on the fields of every payload schema: ids, names, response URLs (src/schema.ts
 * builds each schema on first use).
 */
import * as z from "zod/mini";

/**
 * Slack's own limits, so an attacker-sized value (a signed body can hold a 1,000,000-character
 * callback_id) is an invalid payload at the boundary, never a key, a log field or a Notion text.
 * callback_id, action_id, block_id and external_id are at most 255 characters (LIMITS, from
 * Block Kit's reference); Slack's ids (team, user, channel, view, ts, trigger) are far shorter, and
 * are held to the same 255, as are names (a channel's is at most 80 characters, a person's shorter).
 * What a person typed (a modal's input, a message's text) is not bounded here: the task rules
 * answer an over-long title in the modal, with the input kept, and typed text is never logged.
 */
export const ID_MAX = 255;
/** A user id as Slack writes it (U… or, in Enterprise Grid, W…); anything else is never put into a mention. */
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const NAME_MAX = 255;
/** A string of at most `max` UTF-16 units. */
export const bounded = (max: number) => z.string().check(z.maxLength(max));
/** A required id: 1 to ID_MAX characters. */
export const id = () => z.string().check(z.minLength(1), z.maxLength(ID_MAX));
/** An id Slack may leave out: at most ID_MAX characters. */
export const optionalId = () => z.optional(bounded(ID_MAX));
/** A name Slack may leave out (a channel's, a person's): at most NAME_MAX characters. */
export const name = () => z.optional(bounded(NAME_MAX));
/**
 * A response_url is checked for its form only. Whether it may be called is decided at the call
 * (slack/outbound.ts, with SLACK_API_URL, which a schema does not know), so a refused URL leaves the
 * rest of the payload readable and the person is answered another way, not left without a word.
 */
export const responseUrl = () => z.url({ protocol: /^https?$/ });
