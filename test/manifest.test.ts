/**
 * manifest.yml must describe exactly what the functions serve: the commands and shortcuts routed in
 * src/routes.ts, and the paths the Netlify functions declare.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { messageShortcutNames, routes, subcommandNames } from "../src/routes.js";
import { MANIFEST_PATH, readManifest } from "../src/cli/manifest.js";

const manifest = readManifest();
const PLACEHOLDER_ORIGIN = "https://YOUR-SITE.netlify.app";
const FUNCTIONS_DIR = fileURLToPath(new URL("../netlify/functions/", import.meta.url));

/** Each function file's declared `config.path`, by file name; scheduled functions have none. */
async function functionPaths(): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const file of readdirSync(FUNCTIONS_DIR).filter((name) => name.endsWith(".ts"))) {
    const module = (await import(pathToFileURL(`${FUNCTIONS_DIR}${file}`).href)) as { config?: { path?: string | string[] } };
    const path = module.config?.path;
    for (const one of typeof path === "string" ? [path] : (path ?? [])) paths.set(one, file);
  }
  return paths;
}

describe("manifest.yml", () => {
  it("parses as YAML, without duplicate keys, into Slack's manifest shape", () => {
    expect(() => parse(readFileSync(MANIFEST_PATH, "utf8"), { uniqueKeys: true })).not.toThrow();
    expect(manifest.display_information.name).toBe("chatops");
    expect(manifest.features.bot_user.display_name).toBe("chatops");
  });

  it("names exactly the slash commands src/routes.ts routes", () => {
    const commands = (manifest.features.slash_commands ?? []).map((command) => command.command);
    expect([...commands].sort()).toEqual(Object.keys(routes.command).sort());
  });

  it("gives /task a usage hint naming every subcommand, and leaves its text unescaped", () => {
    const task = manifest.features.slash_commands?.find((command) => command.command === "/task");
    expect(task?.should_escape).toBe(false);
    // On the port (subcommandIntentRoutes) or still in Slack's table: every word the command knows.
    expect(subcommandNames().sort()).toEqual(["help", "list", "review"]);
    for (const subcommand of subcommandNames()) expect(task?.usage_hint).toContain(subcommand);
  });

  it("names exactly the message shortcuts src/routes.ts routes, and no global shortcut", () => {
    const shortcuts = manifest.features.shortcuts ?? [];
    expect(shortcuts.every((shortcut) => shortcut.type === "message")).toBe(true);
    // On the port (messageShortcutIntentRoutes) or still in Slack's table: every shortcut the bot answers.
    expect(shortcuts.map((shortcut) => shortcut.callback_id).sort()).toEqual(messageShortcutNames().sort());
    expect(shortcuts.map((shortcut) => shortcut.name).sort()).toEqual(["Create task", "Remind of process"]);
  });

  it("subscribes to exactly the bot events src/routes.ts routes, with the Home tab on", () => {
    expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(Object.keys(routes.event_callback).sort());
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
  });

  it("sends commands, interactions and events to the paths the Netlify functions declare, and nowhere else", async () => {
    const paths = await functionPaths();
    const commandUrls = (manifest.features.slash_commands ?? []).map((command) => command.url);
    const interactivityUrl = manifest.settings.interactivity?.request_url;
    const eventsUrl = manifest.settings.event_subscriptions?.request_url;
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
    expect(interactivityUrl).toBeDefined();
    expect(eventsUrl).toBeDefined();
    const rawUrls = [...commandUrls, interactivityUrl!, eventsUrl!];
    // One placeholder domain, so the README's "replace the domain" is one search and replace.
    expect(rawUrls.every((url) => url.startsWith(`${PLACEHOLDER_ORIGIN}/`))).toBe(true);
    const urls = rawUrls.map((url) => new URL(url));
    for (const url of commandUrls) expect(paths.get(new URL(url).pathname)).toBe("slack-commands.ts");
    expect(paths.get(new URL(interactivityUrl!).pathname)).toBe("slack-interactions.ts");
    expect(paths.get(new URL(eventsUrl!).pathname)).toBe("slack-events.ts");
    // Every Slack path a function serves is in the manifest; other senders (Notion) have their own.
    expect(new Set(urls.map((url) => url.pathname))).toEqual(new Set([...paths.keys()].filter((path) => path.startsWith("/slack/"))));
  });

  it("leaves Notion's webhook path out of the Slack app: it is set in the Notion integration (README)", async () => {
    const paths = await functionPaths();
    expect(paths.get("/notion/webhooks")).toBe("notion-webhooks.ts");
    expect(readFileSync(MANIFEST_PATH, "utf8")).not.toContain("/notion/");
  });

  it("leaves the other platforms' paths out of the Slack app: each function serves its fixed path (issues #22, #24 and #25)", async () => {
    const paths = await functionPaths();
    const others = [...paths.keys()].filter((path) => !path.startsWith("/slack/") && path !== "/notion/webhooks").sort();
    expect(Object.fromEntries(others.map((path) => [path, paths.get(path)]))).toEqual({
      "/discord/interactions": "discord-interactions.ts",
      "/mattermost/actions": "mattermost-actions.ts",
      "/mattermost/commands": "mattermost-commands.ts",
      "/mattermost/dialogs": "mattermost-dialogs.ts",
      "/teams/messages": "teams-messages.ts",
    });
    for (const path of others) expect(readFileSync(MANIFEST_PATH, "utf8")).not.toContain(path);
  });

  it("asks for the least scopes the bot's Slack calls need, each with a comment saying why", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(["commands", "chat:write", "users:read", "users:read.email", "app_mentions:read"]);
    const lines = readFileSync(MANIFEST_PATH, "utf8").split("\n");
    for (const scope of manifest.oauth_config.scopes.bot) {
      const index = lines.findIndex((line) => line.trim() === `- ${scope}`);
      expect(index, scope).toBeGreaterThan(0);
      expect(lines[index - 1]?.trim().startsWith("#"), `comment above ${scope}`).toBe(true);
    }
  });

  it("uses plain HTTP endpoints: no Socket Mode, org-wide deploy or token rotation", () => {
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: false, org_deploy_enabled: false, token_rotation_enabled: false });
  });
});
