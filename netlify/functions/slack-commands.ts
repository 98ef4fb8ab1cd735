import type { Config, Context } from "@netlify/functions";
import { createSlackCommandsHandler } from "../../src/handlers.js";

const handle = createSlackCommandsHandler();

export default (request: Request, context: Context) => handle(request, context);

export const config: Config = { path: "/slack/commands" };
