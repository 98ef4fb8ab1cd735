/**
 * What Discord posts to the Interactions Endpoint URL, trimmed to the fields the bot reads; unknown
 * fields pass through, since Discord adds fields without notice. Shapes: docs.discord.com/developers
 * interactions/receiving-and-responding ("Interaction Object"), checked against discord-api-types v10.
 */
import * as z from "zod/mini";
import { once } from "../../schema.js";
import { DISCORD_LIMITS } from "./limits.js";

/** Interaction types (receiving-and-responding, "Interaction Type"). */
export const InteractionType = /* @__PURE__ */ Object.freeze({ Ping: 1, ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const);
/** Application command types: `/task` is CHAT_INPUT, the message commands MESSAGE. */
export const CommandType = /* @__PURE__ */ Object.freeze({ ChatInput: 1, User: 2, Message: 3 } as const);
/** Component types the bot writes or reads (components/reference, "Component Types"). */
export const ComponentType = /* @__PURE__ */ Object.freeze({ ActionRow: 1, Button: 2, StringSelect: 3, TextInput: 4, TextDisplay: 10, Label: 18 } as const);
/** Command option type STRING. */
export const OPTION_STRING = 3;

/** A snowflake: a 64-bit integer as decimal text. */
export const snowflake = () => z.string().check(z.regex(/^\d{1,20}$/, "is not a snowflake"));
const shortText = (max = 256) => z.string().check(z.maxLength(max));

const userSchema = () => z.looseObject({
  id: snowflake(),
  username: shortText(),
  global_name: z.optional(z.nullable(shortText())),
  bot: z.optional(z.boolean()),
});
export type DiscordUser = z.infer<ReturnType<typeof userSchema>>;

/** In a guild: the member, whose `user` is who acted; `nick` is their name in that guild. */
const memberSchema = () => z.looseObject({ user: userSchema(), nick: z.optional(z.nullable(shortText())) });

/** A message as a MESSAGE command's resolved data or a component's `message` carries it. */
const messageSchema = () => z.looseObject({
  id: snowflake(),
  channel_id: snowflake(),
  /** Up to 2,000 characters from a person (4,000 with Nitro); bounded generously, since the body is bounded anyway. */
  content: z.string().check(z.maxLength(16_000)),
  author: userSchema(),
  /** Set on a message a webhook posted (no person wrote it). */
  webhook_id: z.optional(snowflake()),
  /** 0 DEFAULT, 19 REPLY, 20 CHAT_INPUT_COMMAND, …; system messages have others. */
  type: z.number(),
  mentions: z.optional(z.array(userSchema())),
});
export type DiscordMessage = z.infer<ReturnType<typeof messageSchema>>;

/** Fields every interaction but PING has: who, where, and the token that answers it (15 minutes). */
const base = {
  id: snowflake(),
  application_id: snowflake(),
  token: z.string().check(z.minLength(1), z.maxLength(1_000)),
  version: z.literal(1),
  guild_id: z.optional(snowflake()),
  channel_id: z.optional(snowflake()),
  /** In a guild. */
  member: z.optional(memberSchema()),
  /** In a DM or group DM. */
  user: z.optional(userSchema()),
};

export const pingSchema = /* @__PURE__ */ once(() => z.looseObject({ id: snowflake(), application_id: snowflake(), type: z.literal(InteractionType.Ping) }));

export const applicationCommandSchema = /* @__PURE__ */ once(() => z.looseObject({
  ...base,
  type: z.literal(InteractionType.ApplicationCommand),
  data: z.looseObject({
    id: snowflake(),
    name: shortText(32),
    type: z.number(),
    options: z.optional(z.array(z.looseObject({ name: shortText(32), type: z.number(), value: z.optional(z.unknown()) })).check(z.maxLength(25))),
    /** A MESSAGE command: the message it was used on, resolved in `resolved.messages`. */
    target_id: z.optional(snowflake()),
    resolved: z.optional(z.looseObject({ messages: z.optional(z.record(snowflake(), messageSchema())) })),
  }),
}));
export type ApplicationCommand = z.infer<ReturnType<typeof applicationCommandSchema>>;

export const messageComponentSchema = /* @__PURE__ */ once(() => z.looseObject({
  ...base,
  type: z.literal(InteractionType.MessageComponent),
  data: z.looseObject({ custom_id: shortText(DISCORD_LIMITS.customId * 2), component_type: z.number() }),
  /** The message the button is on (an ephemeral one included). */
  message: z.looseObject({ id: snowflake(), channel_id: snowflake(), flags: z.optional(z.number()) }),
}));
export type MessageComponent = z.infer<ReturnType<typeof messageComponentSchema>>;

/** What a submitted modal holds: Labels around one input each, legacy action rows, and Text Displays. */
const submittedInput = () => z.looseObject({
  type: z.number(),
  custom_id: shortText(DISCORD_LIMITS.customId * 2),
  value: z.optional(z.nullable(z.union([z.string().check(z.maxLength(DISCORD_LIMITS.textInputValue * 2)), z.boolean()]))),
  values: z.optional(z.array(shortText(DISCORD_LIMITS.selectOptionValue * 2)).check(z.maxLength(DISCORD_LIMITS.selectOptions))),
});
export type SubmittedInput = z.infer<ReturnType<typeof submittedInput>>;

export const modalSubmitSchema = /* @__PURE__ */ once(() => z.looseObject({
  ...base,
  type: z.literal(InteractionType.ModalSubmit),
  data: z.looseObject({
    custom_id: shortText(DISCORD_LIMITS.customId * 2),
    components: z.array(z.looseObject({
      type: z.number(),
      /** A Label's one input. */
      component: z.optional(submittedInput()),
      /** A legacy action row's inputs. */
      components: z.optional(z.array(submittedInput()).check(z.maxLength(5))),
    })).check(z.maxLength(10)),
  }),
}));
export type ModalSubmit = z.infer<ReturnType<typeof modalSubmitSchema>>;
