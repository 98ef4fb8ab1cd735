/**
 * The task modal prefilled from a message: from the "Create task" message shortcut, and from the
 * "Create task from this message" button under a reminder.
 */
import { describeError } from "../../log.js";
import type { BlockActions, MessageAction } from "../../slack/payloads.js";
import { acknowledge } from "../../slack/responses.js";
import { titleFrom } from "../../tasks/task.js";
import type { FeatureContext } from "../context.js";
import type { TaskModalMetadata } from "../task-request/modal.js";
import { openTaskModal } from "../task-request/open-task-modal.js";
import { UNREADABLE_BUTTON } from "./messages.js";
import { humanAuthorOf, plainTextFrom, type MessageAuthor } from "./read-message.js";
import { decodeReminderButton } from "./reminder-message.js";

export const CREATE_TASK_CALLBACK_ID = "create_task";

/** "Create task" message shortcut: the modal, prefilled from the whole message, for the person who clicked. */
export async function createTaskFromMessage(payload: MessageAction, ctx: FeatureContext): Promise<Response> {
  const { message } = payload;
  return openPrefilled(
    {
      triggerId: payload.trigger_id,
      responseUrl: payload.response_url,
      channelId: payload.channel.id,
      messageTs: message.ts,
      threadTs: message.thread_ts,
      text: plainTextFrom(message.text),
      author: humanAuthorOf(message),
    },
    ctx,
  );
}

/**
 * The reminder's button. The click's payload carries the reminder, not the original message, so the
 * button's value says which message it is about and holds a bounded excerpt of its text (see
 * ReminderButton). Whoever clicks opens the modal and becomes the requester; when that is not the
 * author, the page names the author too (submit-task and describeRequester).
 */
export async function createTaskFromReminder(payload: BlockActions, ctx: FeatureContext): Promise<Response> {
  const button = decodeReminderButton(payload.actions[0]?.value);
  const responseUrl = payload.response_url;
  if (!button) {
    ctx.log.warn("reminder.button_unreadable", { value_length: payload.actions[0]?.value?.length ?? 0 });
    if (responseUrl) ctx.defer("answer unreadable button", () => ctx.slack.respond(responseUrl, { text: UNREADABLE_BUTTON }));
    return acknowledge();
  }
  return openPrefilled(
    {
      triggerId: payload.trigger_id,
      responseUrl,
      channelId: button.channelId,
      messageTs: button.messageTs,
      threadTs: undefined,
      text: button.excerpt,
      author: button.authorId ? { id: button.authorId, name: undefined } : undefined,
    },
    ctx,
  );
}

interface PrefillSource {
  triggerId: string;
  responseUrl: string | undefined;
  channelId: string;
  messageTs: string;
  threadTs: string | undefined;
  /** The message as plain text. */
  text: string;
  author: MessageAuthor | undefined;
}

/**
 * views.open goes first (a trigger_id lasts about three seconds); the permalink (chat.getPermalink)
 * and the author's name (users.info, when the payload had no profile) are fetched right after it is
 * sent and put into the open modal's metadata by views.update. Until then the modal carries a link
 * built from the channel and ts, which Slack also resolves, so a very quick submission still links back.
 */
async function openPrefilled(source: PrefillSource, ctx: FeatureContext): Promise<Response> {
  const metadata: TaskModalMetadata = {
    channelId: source.channelId,
    responseUrl: source.responseUrl,
    slackLink: archiveLink(source.channelId, source.messageTs, source.threadTs),
    messageAuthor: source.author && { id: source.author.id, name: source.author.name ?? source.author.id },
  };
  const opened = await openTaskModal(
    {
      triggerId: source.triggerId,
      title: titleFrom(source.text),
      description: source.text,
      metadata,
      lateMetadata: () => resolveLateMetadata(source, ctx),
    },
    ctx,
  );
  if (!opened.ok) {
    const responseUrl = source.responseUrl;
    // A shortcut's or a button's answer body is not shown to anyone: the response_url is how to reply.
    if (responseUrl) ctx.defer("answer failed modal", () => ctx.slack.respond(responseUrl, { text: opened.message }));
    else ctx.log.warn("task.modal_failure_unanswered", { channel: source.channelId });
  }
  return acknowledge();
}

async function resolveLateMetadata(source: PrefillSource, ctx: FeatureContext): Promise<Partial<TaskModalMetadata>> {
  const author = source.author;
  const [permalink, name] = await Promise.all([
    ctx.slack.getPermalink(source.channelId, source.messageTs).catch((error: unknown) => {
      // The modal keeps the link it opened with: the request is degraded, not failed.
      ctx.log.warn("slack.permalink_failed", { channel: source.channelId, outcome: "degraded", ...describeError(error) });
      return undefined;
    }),
    author && !author.name
      ? ctx.slack
          .getUser(author.id)
          .then((user) => user.name)
          .catch((error: unknown) => {
            ctx.log.info("slack.author_name_failed", describeError(error));
            return undefined;
          })
      : undefined,
  ]);
  return {
    slackLink: permalink && isHttpsUrl(permalink) ? permalink : undefined,
    messageAuthor: author && name ? { id: author.id, name } : undefined,
  };
}

/** A link to the message that Slack resolves in any workspace; a stand-in until the permalink arrives. */
export function archiveLink(channelId: string, messageTs: string, threadTs: string | undefined): string {
  const base = `https://slack.com/archives/${encodeURIComponent(channelId)}/p${encodeURIComponent(messageTs.replace(".", ""))}`;
  return threadTs && threadTs !== messageTs ? `${base}?thread_ts=${encodeURIComponent(threadTs)}&cid=${encodeURIComponent(channelId)}` : base;
}

function isHttpsUrl(text: string): boolean {
  return URL.canParse(text) && new URL(text).protocol === "https:";
}
