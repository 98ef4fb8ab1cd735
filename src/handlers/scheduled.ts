/**
 * The road every scheduled function takes (netlify/functions: weekly-reminder, task-sync,
 * store-cleanup, owed-work), given its schedule's route and the platforms it may post on. Each
 * schedule's own handler (handlers/weekly-review.ts, task-sync.ts, store-cleanup.ts, owed-work.ts)
 * names both, so its bundle holds only what its route reaches: no platform's client for the clean-up.
 */
import type { ScheduleRoute } from "../schedule-routes.js";
import { createRuntime, REQUIRED_VARIABLES, SCHEDULE_BUDGET_MS, type PlatformWiring, type RuntimeOptions } from "../runtime.js";
import { serve, type Handler } from "../serve.js";

/** What a schedule's handler brings: the platforms its route may post on, and the personal views it may redraw (the Slack Home tab). */
export interface ScheduleParts {
  wiring: PlatformWiring;
  personalViews?: RuntimeOptions["personalViews"];
}

/**
 * A scheduled function (cron, UTC): runs `route`, logged as `name`. A schedule is not a Slack
 * request: no signature to check. Its Notion requests are paced under Notion's ~3 a second
 * (pace-requests.ts), so a run never slows people saving tasks at the same moment.
 */
export function serveSchedule(name: string, route: ScheduleRoute, parts: ScheduleParts, options: RuntimeOptions = {}): Handler {
  // Only Notion's requests: the store (one read per changed task in the hourly sync) and Slack have no such limit.
  const runtime = createRuntime({ invocationBudgetMs: SCHEDULE_BUDGET_MS, ...(parts.personalViews ? { personalViews: parts.personalViews } : {}), ...options, paceNotion: true }, REQUIRED_VARIABLES.schedule, parts.wiring);
  return serve(
    runtime,
    { kind: "schedule", notConfigured: () => Response.json({ outcome: "not_configured" }, { status: 500 }), failed: () => Response.json({ outcome: "error" }, { status: 500 }) },
    async (_request, scope) => {
      scope.line.callback_id = name;
      // 5. Route; the run is its own deferred work: nobody waits on a schedule's answer.
      const run = await route(scope.context());
      scope.line.outcome = run.outcome;
      // What failed and why, in the run's own line; the cause, if any, came with the failure's log.
      if (run.failed !== undefined) Object.assign(scope.line, { failed: run.failed, error_code: scope.line.error_code ?? run.reason });
      // Netlify only logs a scheduled function's answer: 500 marks a failed run there.
      return Response.json(run, { status: run.failed === undefined ? 200 : 500 });
    },
  );
}
