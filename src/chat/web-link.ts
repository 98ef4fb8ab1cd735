import type { Place } from "./model.js";

/**
 * Which links a task may keep as its link back into the chat (the board's link property): only a
 * chat platform's own web app, so a forged form context (Slack private_metadata, a Discord modal's
 * custom_id) cannot make a task point anywhere else. Pure.
 */

/** A URL on https, default port, no credentials: the shape every real link into a chat's web app has. */
function plainHttps(url: string): URL | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === "https:" && parsed.username === "" && parsed.password === "" && parsed.port === "" ? parsed : undefined;
}

/**
 * True for an https link into Slack's own web app (slack.com or a workspace's *.slack.com, as
 * chat.getPermalink and app_redirect links are).
 */
export function isSlackWebUrl(url: string): boolean {
  const parsed = plainHttps(url);
  return parsed !== undefined && (parsed.hostname === "slack.com" || parsed.hostname.endsWith(".slack.com"));
}

/** A channel or a message as Discord links it: `/channels/<guild or @me>/<channel>[/<message>]`, snowflakes. */
const DISCORD_PATH = /^\/channels\/(?:\d{1,20}|@me)\/\d{1,20}(?:\/\d{1,20})?$/;

/**
 * True for a link Discord's own app opens on a channel or a message
 * (`https://discord.com/channels/<guild>/<channel>/<message>`, "Copy Message Link"), and nothing else
 * on discord.com (an invite, an OAuth URL).
 */
export function isDiscordWebUrl(url: string): boolean {
  const parsed = plainHttps(url);
  return parsed !== undefined && parsed.hostname === "discord.com" && DISCORD_PATH.test(parsed.pathname) && parsed.search === "" && parsed.hash === "";
}

/** A post as the Mattermost adapter links it: `<site URL>/_redirect/pl/<post id>` (a subpath allowed), which any member's browser opens in its team. */
const MATTERMOST_PATH = /^(?:\/[A-Za-z0-9._~-]+)*\/_redirect\/pl\/[a-z0-9]{26}$/;

/**
 * True for a link to a post on a Mattermost server, as platforms/mattermost writes it. The server is
 * self-hosted, so its host cannot be known here: the path's exact shape stands in, and Mattermost's
 * own links reach a task only through a dialog state the bot signed itself.
 */
export function isMattermostWebUrl(url: string): boolean {
  // A server on this machine may be plain http (MATTERMOST_URL allows it only there: env.ts).
  const parsed = plainHttps(url) ?? onLoopback(url);
  return parsed !== undefined && MATTERMOST_PATH.test(parsed.pathname) && parsed.search === "" && parsed.hash === "";
}

function onLoopback(url: string): URL | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname) && parsed.username === "" && parsed.password === "" ? parsed : undefined;
}

/** True for a link Teams opens on a message (`https://teams.microsoft.com/l/message/<conversation>/<message>…`, "Copy link", a message extension's linkToMessage). */
export function isTeamsWebUrl(url: string): boolean {
  const parsed = plainHttps(url);
  return parsed !== undefined && parsed.hostname === "teams.microsoft.com" && /^\/l\/message\/[^/]+\/\d{1,20}$/.test(parsed.pathname) && parsed.hash === "";
}

/** True for a link a task may keep: into Slack's, Discord's, a Mattermost server's or Teams' web app. */
export function isChatWebUrl(url: string): boolean {
  return isSlackWebUrl(url) || isDiscordWebUrl(url) || isMattermostWebUrl(url) || isTeamsWebUrl(url);
}

/**
 * A link a browser opens on a conversation or a message, built from its ids without a call: Slack's
 * `app_redirect` for a channel (it resolves for anyone in the workspace) and its archive URL for a
 * message (`/archives/C1/p1700000000000100`, with the thread for a reply); Discord's
 * `/channels/<guild or @me>/<channel>[/<message>]`. Undefined for a platform without such links.
 */
export function webLinkOf(place: Place): string | undefined {
  const q = encodeURIComponent;
  switch (place.platform) {
    case "slack": {
      if (place.message === undefined) return `https://slack.com/app_redirect?channel=${q(place.conversation)}&team=${q(place.workspace)}`;
      const base = `https://slack.com/archives/${q(place.conversation)}/p${q(place.message.replace(".", ""))}`;
      return place.thread && place.thread !== place.message ? `${base}?thread_ts=${q(place.thread)}&cid=${q(place.conversation)}` : base;
    }
    case "discord":
      return `https://discord.com/channels/${q(place.workspace || "@me").replace("%40", "@")}/${q(place.conversation)}${place.message ? `/${q(place.message)}` : ""}`;
    case "teams":
      // Teams links a message by its conversation and id; a channel thread's reply names its root too.
      if (place.message === undefined) return undefined;
      return `https://teams.microsoft.com/l/message/${q(place.conversation)}/${q(place.message)}?tenantId=${q(place.workspace)}${place.thread && place.thread !== place.message ? `&parentMessageId=${q(place.thread)}` : ""}`;
    default:
      return undefined;
  }
}
