/** Builds requests signed exactly as Slack signs them, for the real function handlers. */
import { signSlackRequest } from "../src/slack/verify-request.js";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  url?: string;
  headers?: Record<string, string>;
}

/** A POST with a form body and valid X-Slack-Signature / X-Slack-Request-Timestamp headers. */
export function signedRequest(body: string, options: SignOptions = {}): Request {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = signSlackRequest(options.secret ?? TEST_SIGNING_SECRET, timestamp, body);
  return new Request(options.url ?? "http://localhost/slack", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signature,
      ...options.headers,
    },
    body,
  });
}

/** A slash command as Slack posts it (fields from Slack's documentation, trimmed). */
export function slashCommandBody(fields: Partial<Record<string, string>> = {}): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: "T0TEAM",
    team_domain: "example",
    channel_id: "C0GENERAL",
    channel_name: "general",
    user_id: "U0ALICE",
    user_name: "alice",
    command: "/task",
    text: "",
    api_app_id: "A0CHATOPS",
    response_url: "https://hooks.slack.com/commands/T0TEAM/1/abc",
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    ...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>),
  }).toString();
}

/** An interactivity payload (`payload=<json>`), as Slack posts it. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
