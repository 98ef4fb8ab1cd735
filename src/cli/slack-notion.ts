/** `npm run slack -- notion …`: what Notion sends the functions when someone changes a task there, and its first handshake. */
import { platformName, platformOfRequestKey } from "../chat/platform-name.js";
import { propertyText, type PagePropertyValue } from "../notion/properties.js";
import { didYouMean } from "./closest.js";
import { DEFAULT_NOTION_PERSON, type SandboxBoard, type SandboxPage, type SandboxState } from "./sandbox-control.js";
import { UsageError } from "./slack-arguments.js";
import { countElsewhere, type OtherPlatform } from "./slack-elsewhere.js";
import { printChanges } from "./slack-print.js";
import type { Session } from "./slack-session.js";
import { settle, SETTLE_MAX_MS } from "./slack-settle.js";
import { pickTask, sameTitleNote, taskTitle } from "./slack-tasks.js";

const ACTIONS = ["set-status", "handshake"];
const SET_STATUS = 'notion set-status "<title>" <status>';

/**
 * `notion set-status "<title>" <status>` and `notion handshake`: Notion's side. Rejects with a
 * UsageError, before anything is sent, for another action, a task not on the board, a status the
 * board does not have, or a missing word.
 */
export async function notion(session: Session, args: string[]): Promise<number> {
  const [action, wanted, ...words] = args;
  if (action === "handshake") {
    if (args.length > 1) throw new UsageError(`notion handshake takes no argument: what is ${args.slice(1).join(" ")}?`);
    if (session.flags.by !== undefined) throw new UsageError("notion handshake does not take --by: Notion sends it, not a person.");
    session.say("→ Notion sends its handshake to /notion/webhooks (unsigned, carrying the verification token)");
    const delivery = await session.control.notionHandshake();
    session.say(`← ${delivery.status ?? delivery.error}: the sandbox's secret is set already, so the token is not kept (the function log says so)`);
    return delivery.status === 200 ? 0 : 1;
  }
  if (action !== "set-status") {
    throw new UsageError(`${action === undefined ? "Which?" : `No notion ${action}.${didYouMean(action, ACTIONS)}`} Try: ${SET_STATUS}, or notion handshake.`);
  }
  const board = await session.control.board();
  const statuses = statusOptions(board);
  if (wanted === undefined || wanted === "") throw new UsageError(`Which task? ${SET_STATUS}: the title as npm run slack -- state shows it, or the page's id.`);
  if (words.length === 0) throw new UsageError(`To which status? notion set-status "${wanted}" <status>: one of ${statuses.join(", ")}.`);
  const by = session.flags.by;
  if (by === "") throw new UsageError("--by needs a name: a Notion person's, or bot.");
  const typed = words.join(" ");
  const status = statuses.find((option) => option.toLowerCase() === typed.toLowerCase());
  if (status === undefined) throw new UsageError(`The board has no status "${typed}": ${statuses.join(", ")}.${didYouMean(typed, statuses, (name) => `"${name}"`)}`);
  const before = await session.control.state();
  const task = pickTask(before.pages, wanted);
  const title = taskTitle(task.page);
  // Choosing the option a page has already changes nothing in Notion: no change, nothing to hear of.
  const current = Object.values(task.page.properties).find((value) => value.type === "status");
  if (current && propertyText(current as PagePropertyValue) === status) throw new UsageError(`"${title}" is ${status} already: choosing it again changes nothing in Notion.`);

  // The requester hears back where they asked: a task asked for on another platform is told there, not on Slack.
  const elsewhere = platformOf(task.page);
  const messagesThere = async () => (elsewhere === undefined ? 0 : (await countElsewhere(session.control))[elsewhere]);
  const elsewhereBefore = await messagesThere();
  const who = by === "bot" ? "The integration (the bot's own API write)" : (by ?? DEFAULT_NOTION_PERSON);
  session.say(`→ ${who} sets "${title}" to ${status} in Notion`);
  for (const line of sameTitleNote(task, (page) => `npm run slack -- notion set-status ${page.id} "${status}"`)) session.say(`  ${line}`);
  const { delivery } = await session.control.setNotionStatus({ page: task.page.id, status, by });
  if (!delivery) session.say("  Notion's webhook subscription is off: nothing was sent.");
  else session.say(`← Notion's ${delivery.type} event (${delivery.event_id ?? "no id"}) answered ${delivery.status ?? delivery.error}`);
  // A person's change is announced (a message follows); the bot's own is not, so only quiet is awaited.
  const announced = delivery?.status === 200 && by !== "bot";
  if (announced && elsewhere !== undefined) {
    // settle's `until` sees Slack's state only: the other platform's messages are counted here.
    const deadline = Date.now() + SETTLE_MAX_MS;
    while ((await messagesThere()) === elsewhereBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const after = await settle(session, { ...(announced && elsewhere === undefined ? { until: (state: SandboxState) => state.messages.length > before.messages.length } : {}), maxMs: announced ? SETTLE_MAX_MS : 2_000 });
  printChanges(session, before, after, {});
  if (elsewhere !== undefined && (await messagesThere()) > elsewhereBefore) {
    session.say(`The bot told the requester on ${platformName(elsewhere)}, where they asked for "${title}": npm run ${elsewhere} -- state shows it.`);
  } else if (after.messages.length === before.messages.length) {
    session.say(
      by === "bot" && delivery?.status === 200
        ? `Nothing was posted about "${title}": the event names only the bot as its author, so the bot takes the change for its own and does not echo it. ` +
            "The hourly sync catches up on a change the requester was not told of, and tells them then (npm run slack -- sync runs it now)."
        : `Nothing was posted about "${title}": the sandbox's output has the function's task_status.event line saying why.`,
    );
  }
  return delivery?.status === 200 ? 0 : 1;
}

/** The platform other than Slack a task was asked for on, read off its Request ID (formRequestKey's); undefined for Slack's and the seeded ones. */
function platformOf(page: SandboxPage): OtherPlatform | undefined {
  const key = page.properties["Request ID"];
  const platform = key === undefined ? undefined : platformOfRequestKey(propertyText(key as PagePropertyValue));
  return platform === "slack" ? undefined : platform;
}

/** The board's status options, as the sandbox's Notion sets them: its Status property, else its first status property. */
function statusOptions(board: SandboxBoard): string[] {
  const properties = Object.values(board.properties);
  const property = properties.find((candidate) => candidate.name === "Status") ?? properties.find((candidate) => candidate.type === "status");
  const config = property?.[property.type];
  const options = typeof config === "object" && config !== null && "options" in config && Array.isArray(config.options) ? (config.options as unknown[]) : [];
  return options.flatMap((option) => (typeof option === "object" && option !== null && "name" in option && typeof option.name === "string" ? [option.name] : []));
}
