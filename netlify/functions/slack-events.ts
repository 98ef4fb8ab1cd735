import type { Config, Context } from "@netlify/functions";
import { createSlackEventsHandler } from "../../src/handlers.js";

const handle = createSlackEventsHandler();

export default (request: Request, context: Context) => handle(request, context);

export const config: Config = { path: "/slack/events" };
