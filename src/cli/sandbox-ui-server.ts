/**
 * The sandbox's web page and its server, on loopback only: the page (sandbox-ui/, bundled by esbuild
 * in memory when the sandbox starts: never part of a function's bundle), a server-sent event stream
 * of the workspace as people see it and of the function log, and the actions a person takes there
 * (sandbox-ui-actions.ts). The emulators stay the one source of truth: every snapshot is read from
 * the control server.
 *
 *   GET  /            the page          GET /app.js, /app.css   its bundle
 *   GET  /events      text/event-stream: `snapshot` (UiSnapshot) on connect and on every change, `log` (UiLogLine[])
 *   POST /api/<name>  an action (UiActions[name]) -> UiResult
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { NotionEmulator } from "../../dev/notion-emulator.js";
import { readBody } from "../../dev/serve-handler.js";
import type { SlackEmulator } from "../../dev/slack-emulator.js";
import type { DiscordEmulator } from "../../dev/discord-emulator.js";
import type { MattermostEmulator } from "../../dev/mattermost-emulator.js";
import type { TeamsEmulator } from "../../dev/teams-emulator.js";
import type { UiLogLine } from "../../sandbox-ui/shapes.js";
import { runAction, type ActionContext } from "./sandbox-ui-actions.js";
import { buildSnapshot, SlackClientState } from "./sandbox-ui-snapshot.js";
import { DiscordClientState, discordSnapshot } from "./sandbox-ui-discord.js";
import { MattermostClientState, mattermostSnapshot, mattermostState } from "./sandbox-ui-mattermost.js";
import { TeamsClientState, teamsSnapshot } from "./sandbox-ui-teams.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";

const PAGE_DIR = fileURLToPath(new URL("../../sandbox-ui/", import.meta.url));
/** How often the emulators are looked at for a change while a page is open; nothing runs while none is. */
const WATCH_MS = 120;
/** Log lines kept for a page that opens later. */
const LOG_KEPT = 1_000;

export interface SandboxUiOptions {
  port: number;
  control: SandboxControlClient;
  file: SandboxFile;
  slack: SlackEmulator;
  notion: NotionEmulator;
  /** Discord's emulator, when the sandbox serves Discord: its changes are pushed too. */
  discord?: DiscordEmulator | undefined;
  /** Mattermost's emulator, when the sandbox serves Mattermost: its changes are pushed too. */
  mattermost?: MattermostEmulator | undefined;
  /** Teams' emulator, when the sandbox serves Teams: its changes are pushed too. */
  teams?: TeamsEmulator | undefined;
  dataSourceId: string;
  slackStatePath: string;
  /** Each line the functions print (netlify dev's output, or the in-process server's log lines). */
  onLine(listener: (line: string) => void): void;
}

export interface SandboxUi {
  url: string;
  close(): Promise<void>;
}

/** The page's script and styles, bundled from sandbox-ui/main.ts; throws esbuild's error when the page does not build. */
async function bundlePage(): Promise<{ js: string; css: string }> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [`${PAGE_DIR}main.ts`],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    outdir: "/out",
    logLevel: "silent",
    legalComments: "none",
  });
  const text = (ext: string) => result.outputFiles.find((file) => file.path.endsWith(ext))?.text ?? "";
  return { js: text(".js"), css: text(".css") };
}

/** One function log line, when it is one of the functions' JSON lines (netlify dev's own are left out). */
export function parseLogLine(line: string, seq: number, at: number): UiLogLine | undefined {
  // netlify dev may colour or prefix what a function prints.
  const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
  const start = plain.indexOf("{");
  if (start === -1) return undefined;
  try {
    const parsed: unknown = JSON.parse(plain.slice(start));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const { level, event, ...fields } = parsed as Record<string, unknown>;
    if (typeof event !== "string") return undefined;
    return { seq, at, level: typeof level === "string" ? level : "info", event, fields };
  } catch {
    return undefined;
  }
}

/** Starts the page's server on 127.0.0.1 (never another interface: it acts as anyone in the workspace). */
export async function startSandboxUi(options: SandboxUiOptions): Promise<SandboxUi> {
  const page = await bundlePage();
  const html = readFileSync(`${PAGE_DIR}index.html`, "utf8");
  const client = new SlackClientState();
  const discordClient = new DiscordClientState();
  const mattermostClient = new MattermostClientState();
  const teamsClient = new TeamsClientState();
  const context: ActionContext = { control: options.control, file: options.file, notion: options.notion, client, discord: discordClient, mattermost: mattermostClient, teams: teamsClient };
  const streams = new Set<ServerResponse>();
  const log: UiLogLine[] = [];
  let seq = 0;

  const send = (stream: ServerResponse, event: string, data: unknown) => void stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  options.onLine((line) => {
    const parsed = parseLogLine(line, ++seq, Date.now());
    if (!parsed) return;
    log.push(parsed);
    if (log.length > LOG_KEPT) log.splice(0, log.length - LOG_KEPT);
    for (const stream of streams) send(stream, "log", [parsed]);
  });

  const snapshot = async () => {
    const [state, board, discord, mattermost, teams] = await Promise.all([
      options.control.state(),
      options.control.board(),
      options.discord ? options.control.discord.state() : undefined,
      options.mattermost ? mattermostState(options.control, mattermostClient) : undefined,
      options.teams ? options.control.teams.state() : undefined,
    ]);
    const snapshot = buildSnapshot({ state, board, client, slackStatePath: options.slackStatePath, domain: options.file.teamDomain, env: options.file.env });
    const { botName } = snapshot.workspace;
    return {
      ...snapshot,
      ...(discord ? { discord: discordSnapshot(discord, discordClient, botName) } : {}),
      ...(mattermost ? { mattermost: mattermostSnapshot(mattermost, mattermostClient, { url: options.file.mattermost.url, teamName: options.file.mattermost.teamName, botName }) } : {}),
      ...(teams ? { teams: teamsSnapshot(teams, teamsClient, botName) } : {}),
    };
  };
  // What moves when anything changes in either emulator: a call, a post, an answer, a Notion request or event.
  const version = () =>
    [
      options.slack.calls.length,
      options.slack.messages.length,
      options.slack.responses.length,
      options.notion.requests.length,
      options.notion.webhooks.deliveries.length,
      options.discord?.calls.length,
      options.discord?.messages.length,
      options.discord?.interactions.filter((interaction) => interaction.response !== undefined).length,
      // Every call the bot makes, a response_url's and an answer taken among them; a person's post is no call.
      options.mattermost?.calls.length,
      options.mattermost?.posts.length,
      options.mattermost?.dialogs.length,
      // What the bot sends and redraws is a connector call; a person's message is none.
      options.teams?.calls.length,
      options.teams?.messages.length,
    ].join(".");
  let seen = "";
  let sent = "";
  let pushing: Promise<void> | undefined;
  let again = false;
  /** Sends the snapshot to every page when it differs from the last one sent; one at a time. */
  const push = (): Promise<void> => {
    if (pushing) {
      again = true;
      return pushing;
    }
    pushing = (async () => {
      do {
        again = false;
        seen = version();
        const text = JSON.stringify(await snapshot());
        if (text === sent) continue;
        sent = text;
        for (const stream of streams) stream.write(`event: snapshot\ndata: ${text}\n\n`);
      } while (again);
    })()
      .catch(() => undefined)
      .finally(() => (pushing = undefined));
    return pushing;
  };
  const watcher = setInterval(() => {
    if (streams.size > 0 && version() !== seen) void push();
  }, WATCH_MS);
  watcher.unref();

  let port = 0;
  const hosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const server = createServer((request, response) => void serve(request, response));
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Another site in the person's browser must not drive the sandbox: only this origin's own page
    // (DNS rebinding: the Host; a cross-site form: the Origin, and JSON only).
    const host = request.headers.host ?? "";
    if (!hosts().includes(host)) return void response.writeHead(421).end();
    const origin = `http://${host}`;
    const path = new URL(request.url ?? "/", origin).pathname;
    const reply = (status: number, type: string, body: string) =>
      void response.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" }).end(body);
    if (request.method === "GET" && path === "/") return reply(200, "text/html; charset=utf-8", html);
    if (request.method === "GET" && path === "/app.js") return reply(200, "text/javascript; charset=utf-8", page.js);
    if (request.method === "GET" && path === "/app.css") return reply(200, "text/css; charset=utf-8", page.css);
    if (request.method === "GET" && path === "/events") {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      streams.add(response);
      request.on("close", () => streams.delete(response));
      send(response, "log", log);
      try {
        response.write(`event: snapshot\ndata: ${JSON.stringify(await snapshot())}\n\n`);
      } catch (error) {
        send(response, "problem", error instanceof Error ? error.message : String(error));
      }
      return;
    }
    if (request.method === "POST" && path.startsWith("/api/")) {
      const fromPage = (request.headers.origin ?? origin) === origin && (request.headers["content-type"] ?? "").startsWith("application/json");
      if (!fromPage) return reply(403, "application/json", JSON.stringify({ ok: false, notice: "Only the sandbox's own page can act." }));
      try {
        const text = await readBody(request);
        const result = await runAction(context, path.slice("/api/".length), text === "" ? {} : (JSON.parse(text) as unknown));
        void push();
        return reply(200, "application/json", JSON.stringify(result));
      } catch (error) {
        return reply(500, "application/json", JSON.stringify({ ok: false, notice: `The sandbox failed: ${error instanceof Error ? error.message : String(error)}` }));
      }
    }
    reply(404, "text/plain; charset=utf-8", "Not found");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      clearInterval(watcher);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
