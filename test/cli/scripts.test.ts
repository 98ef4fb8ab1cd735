/**
 * The scripts as `npm run` starts them: tsx on the file, variables from the shell over `.env` in the
 * working directory, and the result as the exit code.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { readManifest } from "../../src/cli/manifest.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";

const TSX = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
const script = (name: string) => fileURLToPath(new URL(`../../src/cli/${name}`, import.meta.url));

let slack: SlackEmulator | undefined;
let notion: NotionEmulator | undefined;
let cwd: string | undefined;

afterEach(async () => {
  await Promise.all([slack?.close(), notion?.close()]);
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  slack = notion = cwd = undefined;
});

/** Runs a CLI script with only `env` (and PATH) as its environment, in `dir`. */
function run(file: string, args: string[], env: Record<string, string>, dir: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSX, script(file), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 50_000 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout });
    });
  });
}

describe("the scripts", () => {
  it("npm run doctor reads .env under the shell's variables and exits 0 when all is well", async () => {
    slack = await startSlackEmulator({ token: "xoxb-script-token-123456", scopes: readManifest().oauth_config.scopes.bot });
    notion = await startNotionEmulator({ token: "ntn_script_token_abcdef123456" });
    const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
    cwd = mkdtempSync(join(tmpdir(), "chatops-doctor-"));
    // The file holds Notion's half and a wrong review channel, which the shell's value must override.
    writeFileSync(
      join(cwd, ".env"),
      [
        "NOTION_TOKEN=ntn_script_token_abcdef123456",
        `NOTION_DATABASE_ID=${board.databaseId}`,
        `NOTION_API_URL=${notion.url}`,
        "NOTION_WEBHOOK_SECRET=secret_script_webhook_token_0123456789",
        `SLACK_REVIEW_CHANNEL_ID=${SLACK_SEED.random}`,
      ].join("\n"),
    );
    const { code, stdout } = await run(
      "doctor.ts",
      [],
      {
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_BOT_TOKEN: "xoxb-script-token-123456",
        SLACK_API_URL: slack.apiUrl,
        SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general,
      },
      cwd,
    );
    expect(stdout).toContain(`Environment (the shell's, over ${join(cwd, ".env")})`);
    expect(stdout).toContain("review channel #general");
    expect(stdout).toContain("All checks passed.");
    expect(code).toBe(0);
  });

  it("npm run doctor in a fresh clone (no .env, nothing set) says how to make one, or to try npm start", async () => {
    cwd = mkdtempSync(join(tmpdir(), "chatops-doctor-"));
    const { code, stdout } = await run("doctor.ts", [], {}, cwd);
    expect(stdout.split("\n")[0]).toBe("no .env here: `cp .env.example .env`; to try without accounts, `npm start`");
    expect(code).toBe(1);
  });

  it("npm run setup:notion exits non-zero when the parent page cannot be reached", async () => {
    notion = await startNotionEmulator({ token: "ntn_script_token_abcdef123456" });
    cwd = mkdtempSync(join(tmpdir(), "chatops-setup-"));
    const { code, stdout } = await run(
      "setup-notion.ts",
      ["--parent", "0123456789abcdef0123456789abcdef"],
      { NOTION_TOKEN: "ntn_script_token_abcdef123456", NOTION_API_URL: notion.url },
      cwd,
    );
    expect(stdout).toContain("the integration can't see that page");
    expect(code).toBe(1);
  });
});
