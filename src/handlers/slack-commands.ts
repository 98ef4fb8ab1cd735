/** The handler behind POST /slack/commands (netlify/functions/slack-commands.ts): slash commands. */
import { commandIntentRoutes, commandRoute, commandRoutes, intentRouteIn, subcommandNames, type IntentRoutes } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { serve, type Handler } from "../serve.js";
import { channelRefusal, checkChannel, OUTSIDER, personOfCommand } from "../platforms/slack/access.js";
import { plainTextFrom } from "../platforms/slack/message.js";
import { COMMAND_TEXT_MAX, parseSlashCommand } from "../platforms/slack/payloads.js";
import { intentOfCommand, unusableIntent } from "../platforms/slack/intents.js";
import { readSlackRequest } from "../platforms/slack/read-request.js";
import { slackInteractionContext } from "../platforms/slack/reply.js";
import { ephemeral } from "../platforms/slack/responses.js";
import { SLACK_WIRING } from "../platforms/slack/wiring.js";
import { withSlack } from "../platforms/slack/context.js";
import { isOutsider } from "./is-outsider.js";

/** POST /slack/commands: slash commands; `routes` are the port's (tests pass their own). */
export function createSlackCommandsHandler(options: RuntimeOptions = {}, routes: Partial<IntentRoutes> = commandIntentRoutes): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.slack, SLACK_WIRING);
  return serve(runtime, { kind: "command" }, async (request, scope) => {
    const { line, typed } = scope;
    // 1. Read the raw body once and 2. verify the signature.
    // Slack's parts: always there, since this function requires Slack's variables.
    const slack = scope.load().slack!;
    const read = await readSlackRequest(request, { signingSecret: slack.signingSecret!, nowMs: runtime.now() });
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // 3. Parse and 4. validate.
    const parsed = parseSlashCommand(read.form);
    if (!parsed.ok) {
      line.outcome = "invalid_payload";
      line.problem = parsed.problem;
      return ephemeral(UNREADABLE_COMMAND);
    }
    const command = parsed.command;
    Object.assign(line, { callback_id: command.command, team: command.team_id, user: command.user_id, text_length: command.text.length });
    // The port's route when a feature on the port answers it (routes.ts commandIntentRoutes), else Slack's own table.
    const intent = Object.hasOwn(commandRoutes, command.command) ? intentOfCommand(command, subcommandNames(routes.subcommand)) : undefined;
    const onPort = intent && intentRouteIn(routes, intent);
    const found = onPort ? undefined : commandRoute(command);
    const subcommand = intent?.kind === "subcommand" ? intent.name : undefined;
    // A subcommand is a word of ours, not text to hide; hidden as sent and as read (entities decoded).
    if (subcommand === undefined) typed.push(command.text, plainTextFrom(command.text));
    else line.subcommand = subcommand;
    const ctx = withSlack(scope.context(), slack);
    if (isOutsider(slack.access, { workspaces: personOfCommand(command), appId: command.api_app_id }, line)) return ephemeral(OUTSIDER);
    if (!checkChannel(slack.access, command.channel_id).ok) {
      line.outcome = "channel_not_allowed";
      return ephemeral(channelRefusal(slack.access, command.command));
    }
    if (command.text.length > COMMAND_TEXT_MAX) {
      line.outcome = "text_too_long";
      return ephemeral(textTooLong(command.command, command.text.length));
    }
    // 5. Route, 6. acknowledge (what the route said before returning) and 7. deferred work (ctx.defer).
    if (onPort) {
      const unusable = unusableIntent(intent);
      if (unusable) {
        line.outcome = "invalid_payload";
        line.problem = unusable;
        return ephemeral(UNREADABLE_COMMAND);
      }
      const port = slackInteractionContext(ctx, { kind: "command", userId: command.user_id, triggerId: command.trigger_id, responseUrl: command.response_url, channelId: command.channel_id });
      // A route that throws still closes its Reply: what it deferred answers through Slack's API, not into a response never sent.
      await onPort(port.ctx).catch((error: unknown) => {
        port.reply.response();
        throw error;
      });
      return port.reply.response();
    }
    if (!found) {
      line.outcome = "unknown_command";
      return ephemeral(`I don't know ${command.command}. Try /task help.`);
    }
    return found(command, ctx);
  });
}

/** What a person is told when a command's text is longer than Slack's limit: the limit, and what to do instead. */
function textTooLong(command: string, length: number): string {
  const count = (n: number) => n.toLocaleString("en-US");
  return `That's too long for ${command}: it takes at most ${count(COMMAND_TEXT_MAX)} characters, and yours has ${count(length)}. Type a short title after ${command}, then add the details in the form.`;
}

const UNREADABLE_COMMAND = "Slack sent me a command I couldn't read. Please try again.";
