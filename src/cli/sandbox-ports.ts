/**
 * The sandbox's fixed ports: every one checked before anything starts, and a port taken meanwhile
 * turned into the option that moves it.
 */
import { createServer as createNetServer } from "node:net";
import type { SandboxFlags } from "./sandbox-flags.js";

/** One line per fixed port something already listens on, saying which option moves it. */
export async function takenPorts(args: SandboxFlags): Promise<string[]> {
  const ports: [what: string, flag: string, port: number][] = [
    ["netlify dev", "--port", args.port],
    ["The Slack emulator", "--slack-port", args.slackPort],
    ["The Notion emulator", "--notion-port", args.notionPort],
    ["The Discord emulator", "--discord-port", args.discordPort],
    ["The Mattermost emulator", "--mattermost-port", args.mattermostPort],
    ["The Teams emulator", "--teams-port", args.teamsPort],
    ["The sandbox control", "--control-port", args.controlPort],
    ["The sandbox page", "--ui-port", args.uiPort],
  ];
  const taken = await Promise.all(ports.map(([, , port]) => isPortTaken(port)));
  return ports.filter((_, index) => taken[index]).map(([what, flag, port]) => portTakenMessage(what, flag, port));
}

/** Whether something listens on the port, on loopback or on every interface (port 0 is never taken). */
function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once("error", () => resolve(true));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

function portTakenMessage(what: string, flag: string, port: number): string {
  return `${what} cannot listen on port ${port}: something else uses it. Pass ${flag} <another port>.`;
}

/** Starts a server, turning "port in use" into what to do about it; rethrows any other failure. */
export async function listening<T>(what: string, flag: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
      throw new Error(portTakenMessage(what, flag, port));
    }
    throw error;
  }
}
