/**
 * What the harnesses share of Netlify's invocation: the work a handler hands to waitUntil, kept so a
 * test can wait for it, and a scheduled function run as Netlify runs it (a POST with `next_run`).
 */
import { createScheduleHandler } from "../src/handlers.js";
import type { InvocationContext } from "../src/serve.js";

/** The invocation context handlers get, with `settle` (waits for all work handed over so far, and any it started) and `drain` (waits for what is there now). */
export function deferredWork(): { context: InvocationContext; settle(): Promise<void>; drain(): Promise<void> } {
  const pending: Promise<unknown>[] = [];
  return {
    context: { waitUntil: (promise) => void pending.push(promise) },
    async settle() {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
    async drain() {
      await Promise.allSettled(pending);
    },
  };
}

/** Runs the schedule `name` once, as Netlify does: its answer's status and JSON. `now` (ms) dates the request's next_run. */
export async function runScheduleOnce(
  name: Parameters<typeof createScheduleHandler>[0],
  options: Parameters<typeof createScheduleHandler>[1],
  context: InvocationContext,
  now: () => number,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = JSON.stringify({ next_run: new Date(now() + 86_400_000).toISOString() });
  const response = await createScheduleHandler(name, options)(new Request("http://localhost/.netlify/functions/scheduled", { method: "POST", headers: { "content-type": "application/json" }, body }), context);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
