/** `npm run sandbox`'s options: its usage text, its default ports, and the flags read over the environment. */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { EnvSource } from "../env.js";
import { DEFAULT_SANDBOX_DIR } from "./sandbox-file.js";

/** The ports the sandbox listens on unless told otherwise (docs/sandbox.md). */
export const DEFAULT_PORTS = { functions: 8888, slack: 3001, notion: 3002, control: 3003, ui: 3004, discord: 3005, mattermost: 3006, teams: 3007 } as const;

export const SANDBOX_USAGE = `Usage: npm run sandbox -- [options]

Starts netlify dev (offline) with local Slack, Discord, Mattermost, Teams and Notion emulators, then waits; Ctrl-C stops it.

Options:
  --port <n>          netlify dev (default ${DEFAULT_PORTS.functions}, or SANDBOX_PORT)
  --slack-port <n>    Slack emulator (default ${DEFAULT_PORTS.slack}, or SANDBOX_SLACK_PORT)
  --notion-port <n>   Notion emulator (default ${DEFAULT_PORTS.notion}, or SANDBOX_NOTION_PORT)
  --discord-port <n>  Discord emulator (default ${DEFAULT_PORTS.discord}, or SANDBOX_DISCORD_PORT)
  --mattermost-port <n>  Mattermost emulator (default ${DEFAULT_PORTS.mattermost}, or SANDBOX_MATTERMOST_PORT)
  --teams-port <n>    Teams emulator (default ${DEFAULT_PORTS.teams}, or SANDBOX_TEAMS_PORT)
  --control-port <n>  the endpoints npm run slack uses (default ${DEFAULT_PORTS.control}, or SANDBOX_CONTROL_PORT)
  --ui-port <n>       the page that shows the workspace and the board (default ${DEFAULT_PORTS.ui}, or SANDBOX_UI_PORT)
  --no-open           don't open the page in a browser (it is opened only where one is at hand)
  --dir <path>        where state is kept (default ${DEFAULT_SANDBOX_DIR}, or SANDBOX_DIR)
  --reset             forget the saved state and seed the sample board again
  --quiet             don't echo netlify dev's output (the function logs)
  --project <path>    serve the functions of this copy of the project (default: this one). Every
                      netlify dev started in a directory shares its .netlify/ build folder, and each
                      start rebuilds it: the end-to-end test serves a copy so it cannot disturb others.
`;

/** The options of one run, each port from its flag, else its variable, else DEFAULT_PORTS. */
export interface SandboxFlags {
  help: boolean;
  port: number;
  slackPort: number;
  notionPort: number;
  discordPort: number;
  mattermostPort: number;
  teamsPort: number;
  controlPort: number;
  uiPort: number;
  /** Whether to open the page in a browser (--no-open: no). */
  open: boolean;
  dir: string | undefined;
  reset: boolean;
  quiet: boolean;
  project: string | undefined;
}

/** Reads the flags over the environment; throws (parseArgs's TypeError, or an Error) on an unknown flag or a value that is no port. */
export function parseSandboxFlags(argv: readonly string[], env: EnvSource): SandboxFlags {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: "boolean", short: "h" },
      port: { type: "string" },
      "slack-port": { type: "string" },
      "notion-port": { type: "string" },
      "discord-port": { type: "string" },
      "mattermost-port": { type: "string" },
      "teams-port": { type: "string" },
      "control-port": { type: "string" },
      "ui-port": { type: "string" },
      "no-open": { type: "boolean" },
      dir: { type: "string" },
      reset: { type: "boolean" },
      quiet: { type: "boolean" },
      project: { type: "string" },
    },
  });
  const port = (flag: string | undefined, variable: string, fallback: number) => {
    const raw = flag ?? env[variable];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${raw} is not a port number.`);
    return value;
  };
  return {
    help: values.help ?? false,
    port: port(values.port, "SANDBOX_PORT", DEFAULT_PORTS.functions),
    slackPort: port(values["slack-port"], "SANDBOX_SLACK_PORT", DEFAULT_PORTS.slack),
    notionPort: port(values["notion-port"], "SANDBOX_NOTION_PORT", DEFAULT_PORTS.notion),
    discordPort: port(values["discord-port"], "SANDBOX_DISCORD_PORT", DEFAULT_PORTS.discord),
    mattermostPort: port(values["mattermost-port"], "SANDBOX_MATTERMOST_PORT", DEFAULT_PORTS.mattermost),
    teamsPort: port(values["teams-port"], "SANDBOX_TEAMS_PORT", DEFAULT_PORTS.teams),
    controlPort: port(values["control-port"], "SANDBOX_CONTROL_PORT", DEFAULT_PORTS.control),
    uiPort: port(values["ui-port"], "SANDBOX_UI_PORT", DEFAULT_PORTS.ui),
    open: !(values["no-open"] ?? false),
    dir: values.dir,
    reset: values.reset ?? false,
    quiet: values.quiet ?? false,
    project: values.project === undefined ? undefined : resolve(values.project),
  };
}
