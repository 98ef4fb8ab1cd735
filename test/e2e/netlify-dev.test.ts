/**
 * Through the real Netlify runtime emulation: proves netlify.toml, the function paths, schedules and
 * configs and the platform's store, not only the handlers. One netlify dev serves Slack's flows, the
 * store's and Notion's here; netlify-dev-chats.test.ts starts its own for Discord, Mattermost and
 * Teams, so the two files (the suite's longest) run side by side in two workers.
 */
import { afterAll, beforeAll } from "vitest";
import { startStack, stopStack } from "./stack.js";
import "./flows/slack-endpoints.js";

// Past startNetlifyDev's own 180 s, so its message (with netlify dev's output) is the one shown.
beforeAll(startStack, 240_000);
afterAll(stopStack, 30_000);
import "./flows/store.js";
import "./flows/notion-loop.js";
import "./flows/events.js";
