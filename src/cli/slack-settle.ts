/** Waiting for the bot: its work goes on after it answers, so the CLI watches the sandbox until all is quiet. */
import type { SandboxState } from "./sandbox-control.js";
import type { Session } from "./slack-session.js";

/** How long to wait for the bot's deferred work at most; it usually settles well within a second. */
export const SETTLE_MAX_MS = 10_000;
/** No Slack or Notion call for this long means the bot is done, where the functions cannot say they are (netlify dev). */
export const QUIET_MS = 700;

/**
 * Waits until `until` holds (if given) and the bot is done, or maxMs: done is nothing under way in
 * the functions and no call since the last look, when they can say (served in process), else no
 * Slack or Notion call for QUIET_MS. With `idleMs`, also gives up when nothing at all has happened
 * for that long since the start (the bot decided to do nothing, as when a Home tab is not yet due
 * for a refresh).
 */
export async function settle(session: Pick<Session, "control" | "quietMs">, options: { until?: (state: SandboxState) => boolean; maxMs: number; idleMs?: number }): Promise<SandboxState> {
  const { control } = session;
  const started = Date.now();
  let { activity } = await control.activity();
  let changedAt = started;
  let state = await control.state();
  let satisfied = options.until ? options.until(state) : true;
  while (Date.now() - started < options.maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await control.activity();
    const moved = now.activity !== activity;
    if (moved) {
      activity = now.activity;
      changedAt = Date.now();
      if (!satisfied) {
        state = await control.state();
        satisfied = options.until!(state);
      }
    }
    const done = now.busy === undefined ? Date.now() - changedAt >= session.quietMs : now.busy === 0 && !moved;
    if (satisfied && done) break;
    if (options.idleMs !== undefined && changedAt === started && Date.now() - started >= options.idleMs) break;
  }
  return control.state();
}
