/**
 * `.sandbox/sandbox.json`: written by `npm run sandbox` while it runs, read by `npm run slack` and
 * `npm run discord`, `npm run mattermost` and `npm run teams` to find the functions, the emulators,
 * the signing secret and the Discord and Teams keys.
 * Nothing in it is a real secret: the Discord and Teams key pairs are made for the session and die with it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as z from "zod/mini";
import type { EnvSource } from "../env.js";

/** Where the sandbox keeps its state, unless `--dir` or SANDBOX_DIR says otherwise. */
export const DEFAULT_SANDBOX_DIR = ".sandbox";

const sandboxFileSchema = z.object({
  pid: z.number(),
  startedAt: z.string(),
  /** netlify dev: POST /slack/commands, /slack/interactions, /.netlify/functions/weekly-reminder. */
  functionsUrl: z.string(),
  /** The sandbox's own endpoints (see sandbox-control.ts). */
  controlUrl: z.string(),
  slackApiUrl: z.string(),
  notionUrl: z.string(),
  signingSecret: z.string(),
  teamId: z.string(),
  teamDomain: z.string(),
  appId: z.string(),
  /**
   * What a Discord CLI needs. It signs each interaction with `privateKey` as Discord signs them
   * (dev/discord-signed.ts: `discordSignedHeaders(body, createPrivateKey(privateKey))`) and POSTs it to
   * `interactionsUrl`; the interaction's id and token come from the control server
   * (POST /_sandbox/discord/interactions), which is also told the bot's HTTP answer
   * (POST /_sandbox/discord/answers), as Discord would take it; src/cli/sandbox-discord.ts does all three.
   */
  discord: z.object({
    /** The Discord emulator: DISCORD_API_URL, `http://127.0.0.1:<port>/api/v10`. */
    apiUrl: z.string(),
    /** `<functionsUrl>/discord/interactions`. */
    interactionsUrl: z.string(),
    applicationId: z.string(),
    /** DISCORD_PUBLIC_KEY: 64 hex characters. */
    publicKey: z.string(),
    /** The session's Ed25519 private key, PKCS#8 PEM. */
    privateKey: z.string(),
    guildId: z.string(),
    /** #general (the review) and #tasks (announcements): id and name. */
    channels: z.array(z.object({ id: z.string(), name: z.string() })),
    /** The people one can act as: id and username (alice, bob). */
    people: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  /**
   * What a Mattermost CLI needs. It POSTs `/task` as a custom slash command does (a form body with
   * `commandToken`) to `commandsUrl`, and a dialog's submission or a button's action, as Mattermost
   * posts them, to the URL the bot named in the dialog or the button; the bodies (with a trigger_id
   * and a response_url the emulator issued, the bot's signed state and context) come from the
   * control server (POST /_sandbox/mattermost/…), which also takes a button's answer as Mattermost
   * would; src/cli/sandbox-mattermost.ts does it all.
   */
  mattermost: z.object({
    /** The Mattermost emulator: MATTERMOST_URL, `http://127.0.0.1:<port>`; permalinks are `<url>/<teamName>/pl/<post id>`. */
    url: z.string(),
    /** `<functionsUrl>/mattermost/commands`. */
    commandsUrl: z.string(),
    /** MATTERMOST_COMMAND_TOKEN: the `token` field of every command. */
    commandToken: z.string(),
    teamName: z.string(),
    /** town-square (where people write), tasks (announcements), review (the weekly review): id and name. */
    channels: z.array(z.object({ id: z.string(), name: z.string() })),
    /** The people one can act as: id and username (alice, bob, carol). */
    people: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  /**
   * What a Teams CLI needs. It signs each activity as the Bot Connector does (an RS256 JWT with
   * `keyId` in its header, `aud` the app id, a `serviceurl` claim: dev/teams-signed.ts's `signJwt`
   * and `connectorClaims`) with the emulator's `privateKey`, whose public half the emulator's JWKS
   * serves to the functions, and POSTs it to `messagesUrl`; the conversations' messages, the
   * dialogs opened and people's messages come from the control server (/_sandbox/teams/…);
   * src/cli/sandbox-teams.ts does it all.
   */
  teams: z.object({
    /** The Teams emulator's connector, as activities name it (a trailing slash); its origin is TEAMS_SERVICE_URL_ALLOW. */
    serviceUrl: z.string(),
    /** `<functionsUrl>/teams/messages`. */
    messagesUrl: z.string(),
    /** TEAMS_APP_ID: the bot is `28:<appId>`. */
    appId: z.string(),
    tenantId: z.string(),
    /** The `kid` of the emulator's signing key in its JWKS. */
    keyId: z.string(),
    /** The emulator's RSA private key for the session, PKCS#8 PEM. */
    privateKey: z.string(),
    /** General (a team channel: the weekly review) and each person's 1:1 chat with the bot: id, name, conversationType. */
    conversations: z.array(z.object({ id: z.string(), name: z.string(), type: z.string() })),
    /** The people one can act as: id (29:…), name (alice, bob), display name, Entra object id. */
    people: z.array(z.object({ id: z.string(), name: z.string(), displayName: z.string(), aadObjectId: z.string() })),
  }),
  /** What the functions were started with: the bot's whole configuration in the sandbox. */
  env: z.record(z.string(), z.string()),
});

export type SandboxFile = z.infer<typeof sandboxFileSchema>;

/** The state directory: `--dir`, else SANDBOX_DIR, else .sandbox in the current directory. */
export function sandboxDir(flag: string | undefined, env: EnvSource): string {
  return resolve(flag ?? env.SANDBOX_DIR ?? DEFAULT_SANDBOX_DIR);
}

function pathIn(dir: string): string {
  return join(dir, "sandbox.json");
}

/** Writes the running sandbox's file (its pid, ports and URLs) into `dir`; throws on a file system error. */
export function writeSandboxFile(dir: string, file: SandboxFile): void {
  writeFileSync(pathIn(dir), `${JSON.stringify(file, null, 2)}\n`);
}

/** Removes the file, but only when it is this process's: a second sandbox must not erase the first's. */
export function removeSandboxFile(dir: string, pid: number): void {
  const file = readSandboxFile(dir);
  if (file?.pid === pid) rmSync(pathIn(dir), { force: true });
}

/** The running sandbox's file, or undefined when there is none (or it is not one this CLI wrote). */
export function readSandboxFile(dir: string): SandboxFile | undefined {
  const path = pathIn(dir);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = sandboxFileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A directory as the person would type it: relative to the working directory when under it, else absolute. */
export function showDir(dir: string): string {
  const path = relative(process.cwd(), dir);
  return path === "" ? "." : path.startsWith("..") ? dir : path;
}
