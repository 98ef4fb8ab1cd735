/** `npm run slack -- review` and `sync`: the scheduled functions, run now as Netlify's scheduler runs them. */
import { countElsewhere, elsewhereLine, postedElsewhere } from "./slack-elsewhere.js";
import { printChanges } from "./slack-print.js";
import type { Session } from "./slack-session.js";
import { settle, SETTLE_MAX_MS } from "./slack-settle.js";

/** `review`: runs the weekly review now; exit code 1 when nothing reached the review channel. */
export async function review(session: Session): Promise<number> {
  const before = await session.control.state();
  const elsewhere = await countElsewhere(session.control);
  session.say("→ Netlify's scheduler runs weekly-reminder (as it does on Monday mornings)");
  const response = await runScheduled(session, "weekly-reminder", 7 * 86_400_000);
  const text = (await response.text()).trim();
  // netlify dev does not pass a scheduled function's answer on: what the function did shows in Slack.
  session.say(`← ${response.status}${text ? ` ${text}` : ""}`);
  const channel = session.file.env.SLACK_REVIEW_CHANNEL_ID;
  const after = await settle(session, { until: (state) => state.messages.length > before.messages.length, maxMs: SETTLE_MAX_MS });
  printChanges(session, before, after, {});
  // The review goes to every platform that is on: Slack's is shown, the others' named.
  for (const line of elsewhereLine(postedElsewhere(elsewhere, await countElsewhere(session.control)))) session.say(line);
  if (after.messages.slice(before.messages.length).some((message) => message.channel === channel)) return 0;
  session.say("Nothing was posted: the function's log line in the sandbox's output says why.");
  return 1;
}

/** `sync`: runs the hourly task sync now and shows what it announced. */
export async function taskSync(session: Session): Promise<number> {
  const before = await session.control.state();
  const elsewhere = await countElsewhere(session.control);
  session.say("→ Netlify's scheduler runs task-sync (as it does every hour)");
  const response = await runScheduled(session, "task-sync", 3_600_000);
  const text = (await response.text()).trim();
  session.say(`← ${response.status}${text ? ` ${text}` : ""}`);
  const after = await settle(session, { maxMs: SETTLE_MAX_MS });
  printChanges(session, before, after, {});
  // A requester hears of a change where they asked: Slack's are shown, the others' named.
  const others = postedElsewhere(elsewhere, await countElsewhere(session.control));
  for (const line of elsewhereLine(others)) session.say(line);
  if (after.messages.length === before.messages.length && others.length === 0) session.say("Nothing was posted: every change had been announced already (the function's task_sync line has the counts).");
  return response.status === 200 ? 0 : 1;
}

/** Invokes a scheduled function as Netlify's scheduler does, with its next run `intervalMs` away. */
function runScheduled(session: Session, name: string, intervalMs: number): Promise<Response> {
  return fetch(`${session.file.functionsUrl}/.netlify/functions/${name}`, {
    method: "POST",
    // Netlify's scheduler calls with this user agent; netlify dev then skips its "won't work in production" notice.
    headers: { "content-type": "application/json", "user-agent": "Netlify Clockwork" },
    body: JSON.stringify({ next_run: new Date(Date.now() + intervalMs).toISOString() }),
    signal: AbortSignal.timeout(30_000),
  });
}
