/**
 * The running sandbox's Discord, for `npm run discord`: the sandbox file names its control server,
 * which holds the guild's state, a person's messages and the interactions Discord mints; each act
 * is signed with the session's key and sent to the functions by sandbox-discord.ts, as the
 * sandbox's page sends it.
 */
import type { EnvSource } from "../env.js";
import type { DiscordLink } from "./discord-session.js";
import { createSandboxControlClient } from "./sandbox-control.js";
import { sendDiscordInteraction } from "./sandbox-discord.js";
import { readSandboxFile, sandboxDir } from "./sandbox-file.js";

/** The link to the sandbox in `dir` (--dir, else SANDBOX_DIR, else .sandbox), or a sentence saying why there is none. */
export async function linkToSandbox(dir: string | undefined, env: EnvSource): Promise<DiscordLink | string> {
  const file = readSandboxFile(sandboxDir(dir, env));
  const control = file && createSandboxControlClient(file.controlUrl);
  if (!file || !control || !(await control.activity().then(() => true, () => false))) return "The sandbox isn't running. Start it in another terminal with: npm run sandbox";
  return {
    state: () => control.discord.state(),
    postMessage: (message) => control.discord.postMessage(message),
    send: (act) => sendDiscordInteraction(file, control, act),
    activity: () => control.activity(),
    pages: async () => (await control.state()).pages,
  };
}
