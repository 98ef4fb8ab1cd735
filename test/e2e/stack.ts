/**
 * One `netlify dev` (offline) for every end-to-end flow, with the Slack and Notion emulators behind
 * it (the Notion one delivering its webhook events to netlify dev) and the CLI's own local Blobs server: started once by test/e2e/netlify-dev.test.ts, which
 * imports each flow under flows/. Each flow is independent of the others and of their order: it
 * opens its own modals, uses its own messages and channels, and asserts on what it caused.
 */
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_NOTION_WEBHOOK_SECRET, TEST_SLACK_TOKEN } from "../../dev/emulator-env.js";
import { rmSync } from "node:fs";
import { NETLIFY_DEV_TRIGGER_LIFETIME_MS, snapshotProject, startNetlifyDev, type NetlifyDev } from "../../dev/netlify-dev.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { sendSigned, type SlackAnswer } from "../../dev/signed-request.js";
import { startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";

export interface Stack {
  slack: SlackEmulator;
  notion: NotionEmulator;
  dev: NetlifyDev;
  board: { databaseId: string; dataSourceId: string };
  /** POSTs a body to a path of netlify dev, signed as Slack signs it. */
  post(path: string, body: string): Promise<SlackAnswer>;
  /** Runs a scheduled function by hand, as netlify dev allows. */
  runSchedule(name: string): Promise<Response>;
  /** What netlify dev printed while it started, kept whole whatever it prints later. */
  startOutput: string;
}

let running: Stack | undefined;
let project: string | undefined;

/** The running stack; only inside a test (the stack starts in the file's beforeAll). */
export function stack(): Stack {
  if (!running) throw new Error("the e2e stack is not running: import flows from test/e2e/netlify-dev.test.ts");
  return running;
}

/** Starts the emulators and netlify dev; the board has no Request ID property, as a team's own board often does not. */
export async function startStack(): Promise<Stack> {
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema({ "Request ID": null }) });
  // A copy of the project, so the run starts with an empty local Blobs store (netlify dev keeps it
  // in the served folder's .netlify/) and neither disturbs nor is disturbed by another netlify dev.
  project = snapshotProject("chatops-e2e-");
  const dev = await startNetlifyDev(emulatorEnv(slack, notion, board.databaseId), { cwd: project });
  // Notion's webhook subscription points at netlify dev's /notion/webhooks, signed with NOTION_WEBHOOK_SECRET.
  notion.configureWebhooks({ url: `${dev.url}/notion/webhooks`, token: TEST_NOTION_WEBHOOK_SECRET });
  running = {
    slack,
    notion,
    dev,
    board,
    post: (path, body) => sendSigned(`${dev.url}${path}`, body),
    runSchedule: (name) => fetch(`${dev.url}/.netlify/functions/${name}`, { method: "POST", signal: AbortSignal.timeout(30_000) }),
    startOutput: dev.output(),
  };
  return running;
}

export async function stopStack(): Promise<void> {
  const stopping = running;
  running = undefined;
  await stopping?.dev.stop();
  await Promise.all([stopping?.slack.close(), stopping?.notion.close()]);
  if (project) rmSync(project, { recursive: true, force: true });
}
