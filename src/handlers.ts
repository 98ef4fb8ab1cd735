/**
 * The handler behind each Netlify function, one file each in src/handlers/: its runtime, and its own
 * steps on the road (serve.ts). Routes come from the one table in routes.ts. This is the one import
 * point for netlify/functions, dev/, bench/ and the tests.
 */
export { createDiscordInteractionsHandler } from "./handlers/discord-interactions.js";
export { createMattermostActionsHandler } from "./handlers/mattermost-actions.js";
export { createMattermostCommandsHandler } from "./handlers/mattermost-commands.js";
export { createMattermostDialogsHandler } from "./handlers/mattermost-dialogs.js";
export { createNotionWebhooksHandler } from "./handlers/notion-webhooks.js";
export { createOwedWorkHandler } from "./handlers/owed-work.js";
export { createScheduleHandler } from "./handlers/schedules.js";
export { createStoreCleanupHandler } from "./handlers/store-cleanup.js";
export { createTaskSyncHandler } from "./handlers/task-sync.js";
export { createWeeklyReviewHandler } from "./handlers/weekly-review.js";
export { createSlackCommandsHandler } from "./handlers/slack-commands.js";
export { createSlackEventsHandler } from "./handlers/slack-events.js";
export { createSlackInteractionsHandler } from "./handlers/slack-interactions.js";
export { createTeamsMessagesHandler } from "./handlers/teams-messages.js";

export type { Handler, InvocationContext } from "./serve.js";
export type { RuntimeOptions as AppOptions } from "./runtime.js";
