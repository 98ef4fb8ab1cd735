/**
 * Discord, Mattermost and Teams through the real Netlify runtime emulation, on a netlify dev of this
 * file's own (stack.ts's state is per worker): split from netlify-dev.test.ts so the two run side by
 * side. Every flow here is independent of the others and of Slack's, as in one stack.
 */
import { afterAll, beforeAll } from "vitest";
import { startStack, stopStack } from "./stack.js";

// Past startNetlifyDev's own 180 s, so its message (with netlify dev's output) is the one shown.
beforeAll(startStack, 240_000);
afterAll(stopStack, 30_000);
import "./flows/discord.js";
import "./flows/mattermost.js";
import "./flows/teams.js";
