import type { Config, Context } from "@netlify/functions";
import { createTeamsMessagesHandler } from "../../src/handlers.js";

/** Builds the handler: for Netlify from process.env; a test or the sandbox passes its own options. */
export const build = createTeamsMessagesHandler;

const handle = build();

export default (request: Request, context: Context) => handle(request, context);

export const config: Config = { path: "/teams/messages" };
