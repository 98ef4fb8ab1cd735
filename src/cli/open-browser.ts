/**
 * Opening the sandbox's page in the person's browser, only where one is at hand: never under CI,
 * never on Linux without a display (a server, a container, an SSH session), and only from the
 * script itself (tests call runSandbox, which opens nothing).
 */
import { spawn } from "node:child_process";
import type { EnvSource } from "../env.js";

/** The command that opens a URL on this platform, or undefined where no browser can be at hand. */
export function browserOpener(platform: NodeJS.Platform, env: EnvSource): { command: string; args: string[] } | undefined {
  if (env.CI || env.VITEST) return undefined;
  if (platform === "darwin") return { command: "open", args: [] };
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""'] };
  // X11 or Wayland: otherwise xdg-open would fall back to a text browser in the terminal.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return { command: "xdg-open", args: [] };
}

/** Opens `url` in the browser when one is at hand; says nothing and fails quietly otherwise (the URL is printed anyway). */
export function openInBrowser(url: string, env: EnvSource, platform: NodeJS.Platform = process.platform): void {
  const opener = browserOpener(platform, env);
  if (!opener) return;
  try {
    const child = spawn(opener.command, [...opener.args, url], { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // No opener installed: the printed URL is the way in.
  }
}
