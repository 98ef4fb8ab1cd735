/**
 * Which URLs that arrive in a payload the bot may call. A signed payload (or a forged
 * private_metadata) could name any host: the cloud's metadata service, an internal address, a
 * stranger's server. Only Slack's own hooks host is called, matched exactly on the parsed URL.
 */

/** Where Slack's response_url answers go (docs.slack.dev/interactivity/handling-user-interaction). */
export const SLACK_HOOKS_HOST = "hooks.slack.com";

/**
 * True for `https://hooks.slack.com/...` (default port, no credentials) and, when SLACK_API_URL
 * points the bot at an emulator or a proxy, for URLs on that same origin; false for anything else,
 * including `https://hooks.slack.com@evil.example/` (its host is evil.example) and unparsable text.
 */
export function isAllowedResponseUrl(url: string, apiUrl?: string | undefined): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.username !== "" || parsed.password !== "") return false;
  if (parsed.protocol === "https:" && parsed.hostname === SLACK_HOOKS_HOST && parsed.port === "") return true;
  return apiUrl !== undefined && URL.canParse(apiUrl) && parsed.origin === new URL(apiUrl).origin;
}

/**
 * A refused URL as the log may show it: its scheme and host (as parsed: the host that would have
 * been called), never its credentials, path or query. A response_url's path is a capability (whoever
 * holds it can post as the bot), and a mistyped Slack URL, say on http, would still carry a live one.
 */
export function refusedUrlForLog(url: string): string {
  if (!URL.canParse(url)) return "(not a URL)";
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/** True for an https link into Slack's own web app: the only Slack links a task's link may hold (chat/web-link.ts). */
export { isSlackWebUrl } from "../../chat/web-link.js";
