/**
 * The handler behind POST /mattermost/commands (netlify/functions/mattermost-commands.ts): the
 * custom slash command `/task`. Its token is the only proof Mattermost gives; `remind <permalink>`
 * and `from <permalink>` are the message shortcuts, the post read through the API on MATTERMOST_URL.
 */
import type { Intent } from "../chat/intent.js";
import { messageOfPost, readCommand } from "../platforms/mattermost/intents.js";
import { parseCommand } from "../platforms/mattermost/payloads.js";
import { toChatError } from "../platforms/mattermost/chat-api.js";
import { commandTokenOf, isCommandToken } from "../platforms/mattermost/verify-command.js";
import { commandIntentRoutes, messageShortcutIntentRoutes, subcommandNames } from "../routes.js";
import type { Handler } from "../serve.js";
import type { ChatError } from "../chat/chat-error.js";
import { FAILED } from "./answer-route.js";
import { serveMattermost, type MattermostHandlerOptions } from "./mattermost-request.js";

/** POST /mattermost/commands: `/task`, with the command's token. */
export function createMattermostCommandsHandler(options: MattermostHandlerOptions = {}): Handler {
  const endpoint = { logKind: "command", kind: "command", failed: () => ephemeral(FAILED), routes: { ...commandIntentRoutes, message_shortcut: messageShortcutIntentRoutes } } as const;
  // Every word the command knows, on the port or not yet (review), so none of them becomes a title.
  const subcommands: ReadonlySet<string> = new Set(options.routes?.subcommand ? Object.keys(options.routes.subcommand) : subcommandNames());
  return serveMattermost(options, endpoint, async ({ body, request, scope, loaded }) => {
    const { line, typed } = scope;
    const form = new URLSearchParams(body);
    // 2. Verify: the command's token, in constant time; anything else a bare 401 and nothing more.
    if (!isCommandToken(commandTokenOf(request.headers, form), loaded.commandToken)) {
      line.outcome = "bad_token";
      return new Response(null, { status: 401 });
    }
    // 3. Parse.
    const parsed = parseCommand(form);
    if (!parsed.ok) {
      Object.assign(line, { outcome: "invalid_payload", problem: parsed.problem });
      return ephemeral("I couldn't read that command. Please try again.");
    }
    const command = parsed.value;
    const reading = readCommand(command, subcommands, loaded.serverUrl);
    // What was typed, masked in every line; a subcommand's name is no one's text (its rest is, below), as on Slack.
    if (!(reading.kind === "intent" && reading.intent.kind === "subcommand")) typed.push(command.text);
    if (reading.kind === "answer") {
      Object.assign(line, { kind: "message_shortcut", outcome: reading.outcome, team: command.team_id, user: command.user_id });
      return ephemeral(reading.text);
    }
    let intent: Intent | undefined = reading.kind === "intent" ? reading.intent : undefined;
    if (reading.kind === "post") {
      // 4. Validate: the post is one the bot can read, on MATTERMOST_URL.
      const ctx = scope.context();
      const post = await loaded.rest.getPost(reading.postId, { deadline: ctx.deadline }).catch((error: unknown) => toChatError(error));
      if (post instanceof Error) {
        Object.assign(line, { kind: "message_shortcut", callback_id: reading.shortcut, outcome: "post_unreadable", error_code: post.code, team: command.team_id, user: command.user_id });
        return ephemeral(unreadable(post));
      }
      const message = messageOfPost(post, command.team_id, loaded.serverUrl);
      // The author's name, for the task's requester text: a post names only their id, and a dialog cannot be redrawn once open.
      const author = message.author && { ...message.author, displayName: await loaded.chat.displayNameOf(message.author).catch(() => undefined) };
      intent = { kind: "message_shortcut", person: reading.person, place: reading.place, shortcut: reading.shortcut, message: { ...message, author } };
    }
    return { intent: intent!, triggerId: command.trigger_id || undefined, responseUrl: command.response_url || undefined, channelId: command.channel_id };
  });
}

/** A command's answer only the person sees. */
function ephemeral(text: string): Response {
  return Response.json({ response_type: "ephemeral", text });
}

/**
 * Why the post could not be read, in the command's answer: the one road left when the server fails
 * (its response_url and API are the same server). A refusal is the person's to fix; a server that
 * failed, was silent or rate-limited is theirs to try again, after its wait when it gave one.
 */
function unreadable(error: ChatError): string {
  if (error.code === "not_found" || error.code === "forbidden") return UNREADABLE;
  if (error.code === "rate_limited") {
    const seconds = Math.ceil((error.retryAfterMs ?? 0) / 1000);
    return `Mattermost is rate-limiting me right now, so I couldn't read that post. Please try again ${seconds > 0 ? `in ${seconds} seconds` : "in a minute"}.`;
  }
  if (error.code === "timeout" || error.code === "network_error" || error.code === "http_error") return "Mattermost didn't answer when I read that post, so nothing was done. Please try again in a moment.";
  return FAILED;
}

const UNREADABLE = "I can't read that post: it was deleted, or it is in a channel I'm not in. Add me to the channel, or copy the link of a post I can see.";
