/**
 * What Mattermost posts to the bot's three URLs, trimmed to the fields it reads; unknown fields pass
 * through, since Mattermost adds fields without notice. Shapes: developers.mattermost.com
 * integrate/slash-commands (the form body), interactive-dialogs (`dialog_submission`) and
 * interactive-messages (a button's POST to its integration URL).
 */
import * as z from "zod/mini";
import { describeIssue, once } from "../../schema.js";

/** A Mattermost id: 26 lowercase letters and digits. */
const mattermostId = () => z.string().check(z.regex(/^[a-z0-9]{26}$/, "is not a Mattermost id"));
/** A team id, "" where there is none (a direct message). */
const teamId = () => z.string().check(z.regex(/^([a-z0-9]{26})?$/, "is not a Mattermost team id"));
const shortText = (max = 256) => z.string().check(z.maxLength(max));

/** The slash command's form fields (Mattermost sends them as application/x-www-form-urlencoded). */
const commandSchema = /* @__PURE__ */ once(() =>
  z.looseObject({
    command: shortText(),
    text: z.string().check(z.maxLength(16_383 * 4)),
    user_id: mattermostId(),
    user_name: z._default(shortText(), ""),
    channel_id: mattermostId(),
    team_id: z._default(teamId(), ""),
    trigger_id: z._default(shortText(1_000), ""),
    response_url: z._default(shortText(2_000), ""),
  }),
);
export type MattermostCommand = z.infer<ReturnType<typeof commandSchema>>;

/** An interactive dialog's submission: `state` as the bot signed it, `submission` by element name. */
const dialogSchema = /* @__PURE__ */ once(() =>
  z.looseObject({
    type: z.optional(shortText()),
    callback_id: shortText(),
    state: z._default(z.string().check(z.maxLength(16_000)), ""),
    user_id: mattermostId(),
    channel_id: z._default(z.string().check(z.regex(/^([a-z0-9]{26})?$/)), ""),
    team_id: z._default(teamId(), ""),
    cancelled: z._default(z.boolean(), false),
    submission: z._default(z.nullable(z.record(z.string().check(z.maxLength(300)), z.unknown())), {}),
  }),
);
export type MattermostDialogSubmission = z.infer<ReturnType<typeof dialogSchema>>;

/** A button's action: `context` is what the bot put in the button's integration, as given back. */
const actionSchema = /* @__PURE__ */ once(() =>
  z.looseObject({
    user_id: mattermostId(),
    user_name: z._default(shortText(), ""),
    channel_id: mattermostId(),
    team_id: z._default(teamId(), ""),
    post_id: mattermostId(),
    trigger_id: z._default(shortText(1_000), ""),
    type: z.optional(shortText()),
    context: z._default(z.nullable(z.record(z.string().check(z.maxLength(300)), z.unknown())), {}),
  }),
);
export type MattermostAction = z.infer<ReturnType<typeof actionSchema>>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown): Parsed<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssue(parsed.error.issues[0]) };
}

/** The slash command's form body, by field (the last of a repeated field, as Go's FormValue reads the first: a repeat is refused). */
export function parseCommand(form: URLSearchParams): Parsed<MattermostCommand> {
  const fields: Record<string, string> = {};
  for (const [key, value] of form) {
    if (Object.hasOwn(fields, key)) return { ok: false, problem: `${key.slice(0, 60)}: repeated` };
    fields[key] = value;
  }
  return parseWith(commandSchema(), fields);
}

/** A dialog submission's JSON body. */
export function parseDialogSubmission(body: string): Parsed<MattermostDialogSubmission> {
  const json = parseJson(body);
  return json === undefined ? { ok: false, problem: "body: not JSON" } : parseWith(dialogSchema(), json);
}

/** A button action's JSON body. */
export function parseAction(body: string): Parsed<MattermostAction> {
  const json = parseJson(body);
  return json === undefined ? { ok: false, problem: "body: not JSON" } : parseWith(actionSchema(), json);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
