/**
 * What a person does on the sandbox's page: each platform's actions (sandbox-ui-slack.ts,
 * -discord.ts, -mattermost.ts, -teams.ts) and Notion's (a status changed as a person in Notion, the
 * webhook handshake, a schedule run by hand), each input checked at the boundary. Nothing waits for
 * the bot's deferred work: the page sees it arrive over server-sent events.
 */
import * as z from "zod/mini";
import type { NotionEmulator } from "../../dev/notion-emulator.js";
import type { UiActions, UiResult } from "../../sandbox-ui/shapes.js";
import { DEFAULT_NOTION_PERSON, type SandboxControlClient } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";
import type { SlackClientState } from "./sandbox-ui-snapshot.js";
import { OK, Refused, SLACK_ACTION_INPUTS, SLACK_ACTIONS } from "./sandbox-ui-slack.js";
import { DISCORD_ACTION_INPUTS, DISCORD_ACTIONS, type DiscordClientState } from "./sandbox-ui-discord.js";
import { MATTERMOST_ACTION_INPUTS, MATTERMOST_ACTIONS, type MattermostClientState } from "./sandbox-ui-mattermost.js";
import { TEAMS_ACTION_INPUTS, TEAMS_ACTIONS, type TeamsClientState } from "./sandbox-ui-teams.js";

export interface ActionContext {
  control: SandboxControlClient;
  file: SandboxFile;
  notion: NotionEmulator;
  client: SlackClientState;
  /** What Discord's client keeps: the modals closed. */
  discord: DiscordClientState;
  /** What Mattermost's web app keeps: the dialogs closed, their answers, the page's commands' response_urls. */
  mattermost: MattermostClientState;
  /** What Teams' client keeps: the dialogs closed, the cards an Action.Execute redrew for one person. */
  teams: TeamsClientState;
}

type Handlers = { [name in keyof UiActions]: (context: ActionContext, input: UiActions[name]) => Promise<UiResult> };

const handlers: Handlers = {
  ...SLACK_ACTIONS,
  async schedule(context, input) {
    const interval = input.name === "weekly-reminder" ? 7 * 86_400_000 : 3_600_000;
    // As Netlify's scheduler calls a scheduled function (slack-schedules.ts does the same for the CLI).
    const response = await fetch(`${context.file.functionsUrl}/.netlify/functions/${input.name}`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Netlify Clockwork" },
      body: JSON.stringify({ next_run: new Date(Date.now() + interval).toISOString() }),
      signal: AbortSignal.timeout(30_000),
    });
    await response.text();
    return response.ok ? OK : { ok: false, notice: `${input.name} answered ${response.status}: the function log says why.` };
  },

  async handshake(context) {
    const delivery = await context.control.notionHandshake();
    return { ok: delivery.status === 200, notice: `Notion's handshake: the functions answered ${delivery.status ?? delivery.error}.` };
  },

  async status(context, input) {
    const { notion } = context;
    // A person in Notion who is no Slack user, as the CLI's `notion set-status` does by default.
    const nora = notion.users().find((u) => u.type === "person" && u.name === DEFAULT_NOTION_PERSON)?.id ?? notion.addUser({ name: DEFAULT_NOTION_PERSON }).id;
    let delivery;
    try {
      delivery = await notion.setStatus(input.taskId, input.status, { by: input.by === "bot" ? "bot" : { id: nora, type: "person" } });
    } catch (error) {
      throw new Refused(error instanceof Error ? error.message : String(error));
    }
    if (!delivery) return { ok: true, notice: "Notion's webhook subscription is off: nothing was sent." };
    if (delivery.status !== 200) return { ok: false, notice: `Notion's event was answered ${delivery.status ?? delivery.error}: the function log says why.` };
    return OK;
  },

  ...DISCORD_ACTIONS,
  ...MATTERMOST_ACTIONS,
  ...TEAMS_ACTIONS,
};

const id = z.string().check(z.minLength(1));
/** Each action's input, checked at the boundary: the page is code, but a page of another version could send anything. */
const inputs: { [name in keyof UiActions]: z.ZodMiniType<UiActions[name]> } = {
  ...SLACK_ACTION_INPUTS,
  schedule: z.object({ name: z.enum(["weekly-reminder", "task-sync"]) }),
  handshake: z.object({}) as z.ZodMiniType<Record<string, never>>,
  status: z.object({ taskId: id, status: id, by: z.enum(["person", "bot"]) }),
  ...DISCORD_ACTION_INPUTS,
  ...MATTERMOST_ACTION_INPUTS,
  ...TEAMS_ACTION_INPUTS,
};

/** Runs one action; a refusal (and an input that is not the action's) becomes a notice, anything else is thrown. */
export async function runAction(context: ActionContext, name: string, input: unknown): Promise<UiResult> {
  if (!Object.hasOwn(handlers, name)) return { ok: false, notice: `No action ${name}.` };
  const action = name as keyof UiActions;
  const parsed = inputs[action].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, notice: `Bad ${name}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}` };
  const handler = handlers[action] as (context: ActionContext, input: unknown) => Promise<UiResult>;
  try {
    return await handler(context, parsed.data);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, notice: error.message };
    throw error;
  }
}
