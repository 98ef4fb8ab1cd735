/**
 * The road every request takes, and its one log line. Each function's handler (src/handlers/) plugs
 * its own steps into it; the steps, in order, each marked with a comment where it happens:
 *
 *   read the raw body once -> verify the signature -> parse -> validate -> claim (once per key) ->
 *   route -> acknowledge -> deferred work
 */
import { EnvError } from "./env.js";
import type { Deadline, FeatureContext } from "./features/context.js";
import { describeError, type LogFields, type Logger } from "./log.js";
import type { Loaded, Runtime } from "./runtime.js";
import { ephemeral } from "./platforms/slack/responses.js";

/** Netlify's Context, reduced to what the bot uses, so tests can pass their own. */
export interface InvocationContext {
  waitUntil?: (promise: Promise<unknown>) => void;
  requestId?: string;
}

export type Handler = (request: Request, context?: InvocationContext) => Promise<Response>;

/** One request as a handler's steps see it. */
export interface RequestScope {
  /** The request's log line: steps fill in kind, callback_id, team, user, outcome. */
  line: LogFields;
  /**
   * What the person typed or quoted: masked in every line this request logs, deferred work
   * included. Push values as soon as they are parsed.
   */
  typed: string[];
  log: Logger;
  /** The runtime's clients and settings; throws EnvError when the function is not configured. */
  load(): Loaded;
  /** The feature context for this request (its clients, deadline and deferral). */
  context(): FeatureContext;
}

/** A function's own steps: from the request to the response, filling in the scope's line. */
export type Steps = (request: Request, scope: RequestScope) => Promise<Response>;

export interface ServeOptions {
  /** The log line's `kind` until the steps know better ("command", "schedule", …). */
  kind: string;
  /** The answer when the function is not configured (EnvError); a Slack endpoint says nothing to the caller. */
  notConfigured?: () => Response;
  /** The answer to an unexpected error: never a 500 Slack would show as its generic failure. */
  failed?: () => Response;
}

/** Builds a handler that runs `steps` on the road: one log line per request, failures in one place. */
export function serve(runtime: Runtime, options: ServeOptions, steps: Steps): Handler {
  return async (request, invocation = {}) => {
    const started = performance.now();
    const arrivedAt = runtime.now();
    const requestId = invocation.requestId ?? request.headers.get("x-nf-request-id") ?? crypto.randomUUID();
    const line: LogFields = { request_id: requestId, kind: options.kind };
    const typed: string[] = [];
    const answering: Answering = { done: false };
    const log = runtime.log
      .with({ request_id: requestId })
      .masking(typed, "[typed text]")
      .tap((level, event, fields) => noteFailure(line, answering, level, event, fields));
    const deadline = deadlineAt(arrivedAt + runtime.ackDeadlineMs, runtime.now);
    const budget = deadlineAt(arrivedAt + runtime.budgetMs, runtime.now);
    let context: FeatureContext | undefined;
    const scope: RequestScope = {
      line,
      typed,
      log,
      load: () => runtime.load(),
      context: () =>
        (context ??= {
          ...runtime.load().ports,
          log,
          now: () => new Date(runtime.now()),
          sleep: runtime.sleep,
          defer: (label, work) => defer(invocation, log, label, work, line),
          deadline,
          budget,
        }),
    };
    let response: Response;
    try {
      response = await steps(request, scope);
      line.outcome ??= answering.outcome ?? "ok";
    } catch (error) {
      response = failSafely(error, line, log, options);
    }
    answering.done = true;
    line.status = response.status;
    line.duration_ms = Math.round(performance.now() - started);
    log.info("request", line);
    return response;
  };
}

function deadlineAt(at: number, now: () => number): Deadline {
  return { at, remainingMs: () => Math.max(0, at - now()) };
}

/** The one place an unexpected error becomes a response and a log line. */
function failSafely(error: unknown, line: LogFields, log: Logger, options: ServeOptions): Response {
  if (error instanceof EnvError) {
    line.outcome = "not_configured";
    log.error("env.invalid", { problems: error.problems });
    // Without a signing secret nothing can be verified, so nothing is said to the caller.
    return options.notConfigured?.() ?? new Response("chatops is not configured: see the function log, or run npm run doctor", { status: 503 });
  }
  line.outcome = "error";
  Object.assign(line, describeError(error));
  return options.failed?.() ?? ephemeral("Something went wrong on my side. Please try again in a moment.");
}

/**
 * A feature that handles a failure logs it (a warning or an error with `error_code`) and answers the
 * person; the request's line then says so too. The last such failure before the answer, the one
 * that decided it (a save failing after a retry, say), gives the line its `failure` event,
 * `error_code` and `error_cause`, and its `outcome` ("failed" unless the feature named one).
 */
function noteFailure(line: LogFields, answering: Answering, level: string, event: string, fields: LogFields): void {
  if (answering.done || level === "info" || typeof fields.error_code !== "string") return;
  line.failure = event;
  line.error_code = fields.error_code;
  line.error_cause = fields.error_cause ?? fields.error;
  answering.outcome = typeof fields.outcome === "string" ? fields.outcome : "failed";
}

/** Whether the request has been answered, and the outcome its last failure before that called for. */
interface Answering {
  done: boolean;
  outcome?: string;
}

/**
 * Hands work to Netlify to finish after the response; failures are logged, never unhandled. A
 * failure's line names the request it belongs to (its id, kind, callback id, team and user).
 */
function defer(invocation: InvocationContext, log: Logger, label: string, work: () => Promise<void>, line: LogFields): void {
  const running = (async () => {
    try {
      // Start after the response is on its way: the work must not delay the acknowledgement it follows.
      await new Promise((resolve) => setImmediate(resolve));
      await work();
    } catch (error) {
      const { kind, callback_id, team, user } = line;
      log.error("deferred.failed", { label, kind, callback_id, team, user, ...describeError(error) });
    }
  })();
  invocation.waitUntil?.(running);
}
