import type { Config, Context } from "@netlify/functions";
import { createSlackInteractionsHandler } from "../../src/handlers.js";

const handle = createSlackInteractionsHandler();

export default (request: Request, context: Context) => handle(request, context);

export const config: Config = { path: "/slack/interactions" };
