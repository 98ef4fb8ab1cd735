/**
 * Hostile inputs for POST /discord/interactions, as fast-check arbitraries: interaction bodies shaped
 * like Discord's (dev/discord-signed.ts) with any field broken, missing, of the wrong type or swapped
 * for hostile text, custom_ids the bot never wrote, broken JSON; and what every answer must be.
 * Bodies hold placeholders for the interaction's id and token (`__ID__`, `__TOKEN__`), which
 * withLiveInteraction swaps for an interaction the emulator issued, so it can judge the answer.
 */
import fc from "fast-check";
import { DISCORD_SEED } from "./discord-emulator.js";
import { hostileText, INHERITED } from "./hostile-payloads.js";
import { isRecord } from "./is-record.js";

export const ID_PLACEHOLDER = "__ID__";
export const TOKEN_PLACEHOLDER = "__TOKEN__";

const wrongType: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, 1e308, true, [], {}, [null], { id: null }));
/** A field: mostly what Discord sends, sometimes hostile text, the wrong type, or absent (undefined drops it from the JSON). */
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: fc.constant(undefined) });

const snowflakeLike = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(DISCORD_SEED.alice, DISCORD_SEED.bob, DISCORD_SEED.general, DISCORD_SEED.guildId) },
  { weight: 1, arbitrary: fc.constantFrom("0", "99999999999999999999999", "-1", "1e3", " 1", "@me") },
);
const user = fc.record({ id: field(snowflakeLike), username: field(fc.constant("alice")), global_name: field(fc.constantFrom("Alice", null)), bot: field(fc.boolean()) });
/** custom_ids: the bot's own shapes (with values and parked keys, valid and not), and anything. */
const customId = fc.oneof(
  fc.constantFrom("reopen_form", "reopen_form;;~AAAAAAAAAAAAAAAAAAAAAA", "reopen_form;;{}", "task_status_start;task_status/confirmation;1f2e", "echo;;~", "a;b;c;d", ";;", "task_modal;o=1&o=2", "task_modal;~short", "task_modal;%ZZ"),
  fc.constantFrom(...INHERITED),
  fc.tuple(fc.constantFrom("reopen_form;;", "task_status_done;;", "task_modal;"), hostileText).map(([head, tail]) => head + tail),
  hostileText,
);
const message = fc.record({ id: field(snowflakeLike), channel_id: field(snowflakeLike), content: field(hostileText), author: field(user), type: field(fc.constantFrom(0, 19, 7)), flags: field(fc.constantFrom(0, 64)), mentions: field(fc.array(user, { maxLength: 2 })) });

const commandData = fc.record({
  id: field(fc.constant("1600000000000000001")),
  name: field(fc.constantFrom("task", "Remind of process", "Create task", ...INHERITED)),
  type: field(fc.constantFrom(1, 2, 3)),
  options: field(fc.array(fc.record({ name: field(fc.constant("text")), type: field(fc.constantFrom(3, 4)), value: field(hostileText) }), { maxLength: 3 })),
  target_id: field(fc.constant("1500000000000000007")),
  resolved: field(fc.record({ messages: field(fc.dictionary(fc.constantFrom("1500000000000000007", "__proto__", "x"), message, { maxKeys: 2 })) })),
});
const componentData = fc.record({ custom_id: field(customId), component_type: field(fc.constantFrom(2, 3, 4)) });
const submittedInput = fc.record({ type: field(fc.constantFrom(3, 4)), custom_id: field(fc.constantFrom("title", "description", "priority", "due", ...INHERITED)), value: field(hostileText), values: field(fc.array(hostileText, { maxLength: 3 })) });
const modalData = fc.record({
  custom_id: field(customId),
  components: field(fc.array(fc.oneof(fc.record({ type: field(fc.constant(18)), component: field(submittedInput) }), fc.record({ type: field(fc.constant(1)), components: field(fc.array(submittedInput, { maxLength: 6 })) })), { maxLength: 11 })),
});

/** An interaction of any type, in a guild or a DM, with its fields broken at random. */
const interaction = fc
  .record({
    id: field(fc.constant(ID_PLACEHOLDER)),
    application_id: field(fc.constant(DISCORD_SEED.applicationId)),
    token: field(fc.constant(TOKEN_PLACEHOLDER)),
    version: field(fc.constant(1)),
    type: field(fc.constantFrom(1, 2, 3, 4, 5, 6)),
    guild_id: field(snowflakeLike),
    channel_id: field(snowflakeLike),
    member: field(fc.record({ user: field(user), nick: field(fc.constantFrom("Al", null)) })),
    user: field(user),
    data: fc.oneof(commandData, componentData, modalData, wrongType),
    message: field(message),
  })
  .map((payload) => JSON.stringify(payload));

/** Interaction bodies: mostly Discord's shapes broken, sometimes JSON cut short or not JSON at all. */
export const hostileDiscordBodies: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: interaction },
  { weight: 1, arbitrary: fc.tuple(interaction, fc.nat()).map(([text, cut]) => text.slice(0, cut % Math.max(1, text.length))) },
  { weight: 1, arbitrary: fc.oneof(hostileText, fc.constantFrom("{", "[]", "null", "{\"type\":1}", "{\"type\":2}", "{\"type\":\"1\"}", "{\"type\":1,\"id\":\"1\",\"application_id\":\"1\"}")) },
);

/** The body with a live interaction's id and token in place of the placeholders. */
export function withLiveInteraction(body: string, live: { id: string; token: string }): string {
  return body.replaceAll(ID_PLACEHOLDER, live.id).replaceAll(TOKEN_PLACEHOLDER, live.token);
}

/** Interaction response types an answer may have (receiving-and-responding): PONG, a message, deferred, update, autocomplete choices, modal. */
const RESPONSE_TYPES: ReadonlySet<unknown> = new Set([1, 4, 5, 6, 7, 8, 9]);

/**
 * What is wrong with an answer to a verified interaction, if anything: a type Discord does not
 * know, a message with no words or pings allowed, a message that is not ephemeral (an answer to
 * hostile input is for the one person only). Undefined when it is one Discord shows as intended.
 */
export function discordAnswerProblem(json: unknown): string | undefined {
  if (!isRecord(json) || !RESPONSE_TYPES.has(json["type"])) return `an answer Discord does not know: ${JSON.stringify(json).slice(0, 200)}`;
  if (json["type"] !== 4) return undefined;
  const data = isRecord(json["data"]) ? json["data"] : {};
  if (data["flags"] !== 64) return "a message everyone sees";
  if (typeof data["content"] !== "string" || !/\w/.test(data["content"])) return "a message without words";
  const mentions = isRecord(data["allowed_mentions"]) ? data["allowed_mentions"] : undefined;
  if (mentions === undefined || !Array.isArray(mentions["parse"]) || mentions["parse"].length > 0) return "a message that may ping";
  return undefined;
}
