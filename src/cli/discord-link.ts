/**
 * The running sandbox's Discord, for `npm run discord`: found through the sandbox file once the
 * sandbox serves Discord (its emulator, key pair and control endpoints).
 */
import type { EnvSource } from "../env.js";
import type { DiscordLink } from "./discord.js";

/** The link to the sandbox's Discord, or a sentence saying why there is none. */
export async function linkToSandbox(_dir: string | undefined, _env: EnvSource): Promise<DiscordLink | string> {
  return "This sandbox does not serve Discord yet: npm run discord needs the sandbox's Discord emulator.";
}
