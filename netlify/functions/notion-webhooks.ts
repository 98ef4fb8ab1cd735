import type { Config, Context } from "@netlify/functions";
import { createNotionWebhooksHandler } from "../../src/handlers.js";

const handle = createNotionWebhooksHandler();

export default (request: Request, context: Context) => handle(request, context);

export const config: Config = { path: "/notion/webhooks" };
