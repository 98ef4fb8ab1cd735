/** `npm run slack -- notion …`: what Notion sends the functions when someone changes a task there, and its first handshake. */
import { DEFAULT_NOTION_PERSON, type SandboxState } from "./sandbox-control.js";
import { UsageError } from "./slack-arguments.js";
import { describePage, printChanges } from "./slack-print.js";
import type { Session } from "./slack-session.js";
import { settle, SETTLE_MAX_MS } from "./slack-settle.js";

/** `notion set-status "<title>" <status>` and `notion handshake`: Notion's side; rejects with a UsageError for anything else. */
export async function notion(session: Session, args: string[]): Promise<number> {
  const [action, title, ...status] = args;
  if (action === "handshake") {
    session.say("→ Notion sends its handshake to /notion/webhooks (unsigned, carrying the verification token)");
    const delivery = await session.control.notionHandshake();
    session.say(`← ${delivery.status ?? delivery.error}: the sandbox's secret is set already, so the token is not kept (the function log says so)`);
    return delivery.status === 200 ? 0 : 1;
  }
  if (action !== "set-status" || !title || status.length === 0) throw new UsageError('Try: notion set-status "<title>" Done (or notion handshake).');
  const before = await session.control.state();
  const by = session.flags.by;
  const who = by === "bot" ? "The integration (the bot's own API write)" : (by ?? DEFAULT_NOTION_PERSON);
  session.say(`→ ${who} sets "${title}" to ${status.join(" ")} in Notion`);
  const { page, delivery } = await session.control.setNotionStatus({ title, status: status.join(" "), by });
  if (!delivery) session.say("  Notion's webhook subscription is off: nothing was sent.");
  else session.say(`← Notion's ${delivery.type} event (${delivery.event_id ?? "no id"}) answered ${delivery.status ?? delivery.error}`);
  // A person's change is announced (a message follows); the bot's own is not, so only quiet is awaited.
  const announced = delivery?.status === 200 && by !== "bot";
  const after = await settle(session, { ...(announced ? { until: (state: SandboxState) => state.messages.length > before.messages.length } : {}), maxMs: announced ? SETTLE_MAX_MS : 2_000 });
  printChanges(session, before, after, {});
  if (after.messages.length === before.messages.length) session.say(`Nothing was posted about ${describePage(page).split(" · ")[0]}: the sandbox's output has the function's task_status.event line saying why.`);
  return delivery?.status === 200 ? 0 : 1;
}
