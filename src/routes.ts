/**
 * The routing table: every command, modal, shortcut, button and schedule the bot answers, keyed by
 * what Slack calls each thing (`command`, `view_submission`, `message_action`, `block_actions`,
 * `event_callback`) and by Notion's webhook event types and the schedules' names. manifest.yml is
 * checked against it (test/manifest.test.ts).
 */
import type { Intent, IntentOf } from "./chat/intent.js";
import type { FeatureContext, InteractionContext } from "./features/context.js";
import { scheduleRoutes } from "./schedule-routes.js";
import { showHelp } from "./features/help/help.js";
import { createTaskFromReminderButton } from "./features/process-reminder/create-task-from-reminder.js";
import { REMIND_PROCESS_SHORTCUT, remindOfProcess } from "./features/process-reminder/remind-of-process.js";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "./features/process-reminder/reminder-message.js";
import { listTasks } from "./features/task-list/list-tasks.js";
import { OPEN_IN_NOTION_ACTION } from "./features/task-request/messages.js";
import { TASK_FORM_ID } from "./features/task-request/modal.js";
import { requestTask, TASK_COMMAND } from "./features/task-request/request-task.js";
import { submitTask } from "./features/task-request/submit-task.js";
import { CREATE_TASK_CALLBACK_ID, createTaskFromMessage, openTaskFormFromMessage } from "./features/task-request/task-from-message.js";
import { showWeeklyReview } from "./features/weekly-review/show-weekly-review.js";
import { pressStatusButton } from "./features/task-status/move-task.js";
import { COMPLETE_TASK_ACTION, START_TASK_ACTION } from "./features/task-status/status-buttons.js";
import { handleTaskPageEvent } from "./features/task-status/task-page-event.js";
import type { NotionEvent } from "./notion/webhook-payloads.js";
import { answerSubcommand, type Subcommand } from "./features/subcommand.js";
import type { SlackContext } from "./platforms/slack/context.js";
import { HOME_NEW_TASK_ACTION, HOME_OPEN_BOARD_ACTION, HOME_REFRESH_ACTION } from "./platforms/slack/home/home-view.js";
import { newTaskFromHome, openHome, refreshHomeNow } from "./platforms/slack/home/open-home.js";
import { answerMention, CREATE_TASK_FROM_MENTION_ACTION, type SlackSubcommand } from "./platforms/slack/mention/answer-mention.js";
import type { BlockActions, EventCallback, KnownEvent, MessageAction, SlashCommand, ViewSubmission } from "./platforms/slack/payloads.js";
import { renderSlackCard } from "./platforms/slack/render-card.js";
import { acknowledge } from "./platforms/slack/responses.js";

/** A route of Slack's own tables: Slack's payload, and Slack's context (its Web API beside the features' ports). */
export type Route<Payload> = (payload: Payload, ctx: SlackContext) => Promise<Response>;

/** An event's work, run after the acknowledgement: Slack only needs the 200 (handlers/slack-events.ts sends it). */
export type EventRoute<Event> = (callback: EventCallback<Event>, ctx: SlackContext) => Promise<void>;

/**
 * A command off the port: what its text does when the port's table has no route for it (every
 * subcommand and `/task <title>` are on the port: commandIntentRoutes; a subcommand's work answers a
 * mention too, features/subcommand.ts).
 */
export interface CommandRoutes {
  /** What the text does, when that is not on the port (intentRoutes.ask_for_task, intentRoutes.subcommand). */
  text?: Route<SlashCommand> | undefined;
}

/** A Notion webhook event, signed, fresh and claimed: the route acknowledges (200) and defers its work. */
export type NotionEventRoute = (event: NotionEvent, ctx: FeatureContext) => Promise<Response>;

/*
 * One table, in one const per kind: a function's bundle then holds only the features its own routes
 * reach. esbuild drops what a function never uses, but not an object literal with computed keys (a
 * key's toString could do anything), so each const is built by `table`, marked free of side effects.
 */

/** A frozen route table from [key, route] pairs. */
/* @__NO_SIDE_EFFECTS__ */
function table<K extends string, V>(entries: readonly (readonly [K, V])[]): Readonly<Record<K, V>> {
  return Object.freeze(Object.fromEntries(entries) as Record<K, V>);
}

/** `/task`'s subcommands on the port (subcommandIntentRoutes), which a mention answers too (`@chatops list`). */
const TASK_SUBCOMMANDS = { help: showHelp, list: listTasks, review: showWeeklyReview } satisfies Record<string, Subcommand>;

/** A port subcommand answering in Slack's words, for the mention (platforms/slack/mention: only Slack has mentions). */
/* @__NO_SIDE_EFFECTS__ */
function inSlackWords(subcommand: Subcommand): SlackSubcommand {
  return async (asker, ctx) => renderSlackCard(await subcommand(asker, ctx));
}

/** What a mention answers a subcommand with: every one's answer in Slack's words. */
const MENTION_SUBCOMMANDS = { help: inSlackWords(showHelp), list: inSlackWords(listTasks), review: inSlackWords(showWeeklyReview) } satisfies Record<keyof typeof TASK_SUBCOMMANDS, SlackSubcommand>;

/** Slash commands (slack-commands), by name: `/task`, whose every word is on the port (commandIntentRoutes). */
export const commandRoutes = table<typeof TASK_COMMAND, CommandRoutes>([[TASK_COMMAND, {}]]);

/** Modal submissions (slack-interactions), by the view's callback_id: none left, the task form is on the port. */
export const viewSubmissionRoutes = table<string, Route<ViewSubmission>>([]);

/** Message shortcuts (slack-interactions), by callback_id. */
/** Message shortcuts (slack-interactions), by callback_id: none left, both are on the port. */
export const messageActionRoutes = table<string, Route<MessageAction>>([]);

/** Buttons (slack-interactions), by action_id. */
export const blockActionRoutes = table<string, Route<BlockActions>>([
  // A link button still sends an action; the browser does the work, so there is nothing to do.
  [OPEN_IN_NOTION_ACTION, async () => acknowledge()],
  [HOME_NEW_TASK_ACTION, newTaskFromHome],
  [HOME_REFRESH_ACTION, refreshHomeNow],
  [HOME_OPEN_BOARD_ACTION, async () => acknowledge()],
  // The status buttons are on the port: buttonIntentRoutes.
]);

/** Events API inner event types (slack-events), as manifest.yml subscribes to them. */
export const eventRoutes = {
  app_home_opened: openHome,
  app_mention: (callback, ctx) => answerMention(callback, ctx, MENTION_SUBCOMMANDS),
} satisfies { [Type in KnownEvent["type"]]: EventRoute<Extract<KnownEvent, { type: Type }>["callback"]["event"]> };

/**
 * Notion integration webhook event types (notion-webhooks): the subscription's selected events (README).
 * A page's status lives in its properties: page.properties_updated is the one event the status loop needs.
 */
export const notionEventRoutes = table<string, NotionEventRoute>([["page.properties_updated", handleTaskPageEvent]]);

// ---------------------------------------------------------------------------------------------
// The chat port's routes: keyed by intent (chat/model.ts), the same on every platform. Each
// adapter parses its payloads into intents (platforms/*/intents or parse-interaction) and calls
// routeIntent; until a feature moves onto the port, Slack's own tables above still route it.
// ---------------------------------------------------------------------------------------------

/** What an intent does: answers through `ctx.reply`, posts through `ctx.chat`, defers the rest (ctx.defer). Never rejects for a person's mistake. */
export type IntentRoute<K extends Intent["kind"]> = (intent: IntentOf<K>, ctx: InteractionContext) => Promise<void>;

/** The port's table. `ask_for_task`: `/task <title>` on any platform; the others by their intent's name. */
export interface IntentRoutes {
  ask_for_task: IntentRoute<"ask_for_task"> | undefined;
  /** `/task list|review|help`, by the subcommand's word. */
  subcommand: Readonly<Record<string, IntentRoute<"subcommand">>>;
  /** Message shortcuts (Slack message_action, Discord MESSAGE commands), by shortcut name (`remind_process`, `create_task`). */
  message_shortcut: Readonly<Record<string, IntentRoute<"message_shortcut">>>;
  /** Buttons, by action (`task_status_start`, …). */
  button: Readonly<Record<string, IntentRoute<"button">>>;
  /** Form submissions, by form id (`task_modal`). */
  submit_form: Readonly<Record<string, IntentRoute<"submit_form">>>;
}

/*
 * Filled in feature by feature as each moves onto the port (docs/chat-port.md, "Order of the work
 * left"), one const per kind as Slack's tables above, so a function's bundle holds only the
 * features its own kinds reach: Slack's slash commands reach commandIntentRoutes, its
 * interactivity URL interactionIntentRoutes; a platform with one endpoint for all (Discord) intentRoutes.
 */

/** A subcommand's route on the port; here, not in subcommand.ts, since esbuild reads a side-effect-free mark only within a module. */
/* @__NO_SIDE_EFFECTS__ */
function onPort(subcommand: Subcommand): IntentRoute<"subcommand"> {
  return answerSubcommand(subcommand);
}

/** `/task <title>`, on any platform. */
const askForTaskRoute: IntentRoute<"ask_for_task"> | undefined = requestTask;
/** `/task help|list|review`, by the subcommand's word. */
export const subcommandIntentRoutes = table<string, IntentRoute<"subcommand">>([
  ["help", onPort(showHelp)],
  ["list", onPort(listTasks)],
  ["review", onPort(showWeeklyReview)],
]);
/** Message shortcuts (Slack message_action, Discord MESSAGE commands), by shortcut name. */
export const messageShortcutIntentRoutes = table<string, IntentRoute<"message_shortcut">>([
  [REMIND_PROCESS_SHORTCUT, remindOfProcess],
  [CREATE_TASK_CALLBACK_ID, createTaskFromMessage],
]);
/** Buttons, by action. */
export const buttonIntentRoutes = table<string, IntentRoute<"button">>([
  // The status buttons (task-status/status-buttons.ts), on the bot's messages.
  [START_TASK_ACTION, pressStatusButton],
  [COMPLETE_TASK_ACTION, pressStatusButton],
  [CREATE_TASK_FROM_REMINDER_ACTION, fromReminder()],
  // The mention's button carries what the reminder's does (the message's place, author, excerpt).
  [CREATE_TASK_FROM_MENTION_ACTION, fromReminder()],
]);

/** The reminder's "Create task from this message": the task form, opened as the Create task shortcut opens it. */
/* @__NO_SIDE_EFFECTS__ */
function fromReminder(): IntentRoute<"button"> {
  return (intent, ctx) => createTaskFromReminderButton(intent, ctx, openTaskFormFromMessage);
}

/**
 * A status button pressed on Slack, where the Home tab shows them too: a press there publishes the
 * tab again, through the personal view Slack's interactions function is built with (runtime.ts).
 */
/* @__NO_SIDE_EFFECTS__ */
function pressOnSlack(): IntentRoute<"button"> {
  return (intent, ctx) => pressStatusButton(intent, ctx, { redrawOwnView: async (person, viewCtx) => viewCtx.personalViews?.slack?.refresh(person.userId, viewCtx, "changed") });
}
/** Slack's buttons: the status buttons with the Home tab's redraw. */
const slackButtonIntentRoutes = table<string, IntentRoute<"button">>([
  [START_TASK_ACTION, pressOnSlack()],
  [COMPLETE_TASK_ACTION, pressOnSlack()],
  [CREATE_TASK_FROM_REMINDER_ACTION, fromReminder()],
  [CREATE_TASK_FROM_MENTION_ACTION, fromReminder()],
]);
/** Form submissions, by form id. */
export const submitFormIntentRoutes = table<string, IntentRoute<"submit_form">>([[TASK_FORM_ID, submitTask]]);

/** What a command reaches (Slack's /slack/commands). */
export const commandIntentRoutes: Pick<IntentRoutes, "ask_for_task" | "subcommand"> = { ask_for_task: askForTaskRoute, subcommand: subcommandIntentRoutes };
/** What a shortcut, a button or a form reaches (Slack's /slack/interactions). */
export const interactionIntentRoutes: Pick<IntentRoutes, "message_shortcut" | "button" | "submit_form"> = {
  message_shortcut: messageShortcutIntentRoutes,
  button: slackButtonIntentRoutes,
  submit_form: submitFormIntentRoutes,
};
/** Every kind's routes, as a platform with one endpoint for all (Discord) reaches them; Slack's buttons are slackButtonIntentRoutes. */
export const intentRoutes: IntentRoutes = {
  ask_for_task: askForTaskRoute,
  subcommand: subcommandIntentRoutes,
  message_shortcut: messageShortcutIntentRoutes,
  button: buttonIntentRoutes,
  submit_form: submitFormIntentRoutes,
};

/** The route an intent takes, or undefined when no feature on the port answers it (an adapter then answers "not handled"). */
export function intentRoute(intent: Intent, routes: IntentRoutes = intentRoutes): ((ctx: InteractionContext) => Promise<void>) | undefined {
  return intentRouteIn(routes, intent);
}

/** intentRoute in part of the table (a kind left out has no route): what keeps a function's bundle to its own kinds' features. */
export function intentRouteIn(routes: Partial<IntentRoutes>, intent: Intent): ((ctx: InteractionContext) => Promise<void>) | undefined {
  switch (intent.kind) {
    case "ask_for_task": {
      const route = routes.ask_for_task;
      return route && ((ctx) => route(intent, ctx));
    }
    case "subcommand": {
      const route = routes.subcommand && routeFor(routes.subcommand, intent.name);
      return route && ((ctx) => route(intent, ctx));
    }
    case "message_shortcut": {
      const route = routes.message_shortcut && routeFor(routes.message_shortcut, intent.shortcut);
      return route && ((ctx) => route(intent, ctx));
    }
    case "button": {
      const route = routes.button && routeFor(routes.button, intent.action);
      return route && ((ctx) => route(intent, ctx));
    }
    case "submit_form": {
      const route = routes.submit_form && routeFor(routes.submit_form, intent.form);
      return route && ((ctx) => route(intent, ctx));
    }
  }
}

/** The whole table, keyed by the platforms' own names: what manifest.yml is checked against. */
export const routes = {
  command: commandRoutes,
  view_submission: viewSubmissionRoutes,
  message_action: messageActionRoutes,
  block_actions: blockActionRoutes,
  event_callback: eventRoutes,
  notion_event: notionEventRoutes,
  schedule: scheduleRoutes,
};

/** A table's own entry: `table[key]` would also find "constructor" or "toString", which any payload can name. */
export function routeFor<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}


/** Runs an event's route (after the acknowledgement). */
export function routeEvent(known: KnownEvent, ctx: SlackContext): Promise<void> {
  switch (known.type) {
    case "app_home_opened":
      return eventRoutes.app_home_opened(known.callback, ctx);
    case "app_mention":
      return eventRoutes.app_mention(known.callback, ctx);
  }
}

/** Every message shortcut's name, on the port or in Slack's table: manifest.yml's callback_ids (a function, as subcommandNames, so no bundle keeps both tables for it). */
export function messageShortcutNames(): string[] {
  return [...Object.keys(messageShortcutIntentRoutes), ...Object.keys(messageActionRoutes)];
}

/** Every subcommand word a command knows (all on the port): what intentOfCommand reads as a subcommand. */
export function subcommandNames(onPort: Readonly<Record<string, unknown>> = subcommandIntentRoutes): string[] {
  return Object.keys(onPort);
}

/** The route for a slash command's text when the port has none for it, if its command has one. */
export function commandRoute(command: SlashCommand): Route<SlashCommand> | undefined {
  return routeFor<CommandRoutes>(commandRoutes, command.command)?.text;
}
