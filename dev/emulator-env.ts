/** The credentials the emulators accept in tests and the bench, and the variables that point the bot at them. */
import type { NotionEmulator } from "./notion-emulator.js";
import { TEST_SIGNING_SECRET } from "./signed-request.js";
import { SLACK_SEED, type SlackEmulator } from "./slack-emulator.js";

export const TEST_SLACK_TOKEN = "xoxb-test-token-123456";
export const TEST_NOTION_TOKEN = "ntn_test_token_abcdef123456";
/** The Notion emulator's webhook subscription token, which signs its events: NOTION_WEBHOOK_SECRET. */
export const TEST_NOTION_WEBHOOK_SECRET = "secret_test_webhook_token_0123456789abcdef";

/** The variables that point the bot at the two emulators, with the test credentials (the webhook secret too); the review goes to #general. */
export function emulatorEnv(slack: Pick<SlackEmulator, "apiUrl">, notion: Pick<NotionEmulator, "url">, databaseId: string): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEST_SLACK_TOKEN,
    NOTION_TOKEN: TEST_NOTION_TOKEN,
    NOTION_DATABASE_ID: databaseId,
    SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general,
    SLACK_API_URL: slack.apiUrl,
    NOTION_API_URL: notion.url,
    NOTION_WEBHOOK_SECRET: TEST_NOTION_WEBHOOK_SECRET,
  };
}
