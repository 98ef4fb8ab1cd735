/**
 * The task modal prefilled from a message: the "Create task" message shortcut here, and the same
 * form for other features that start from a message (the reminder's button, a mention).
 */
import { describeError } from "../../log.js";
import { humanAuthorOf, plainTextFrom, type MessageAuthor } from "../../platforms/slack/message.js";
import { isSlackWebUrl } from "../../platforms/slack/outbound.js";
import type { MessageAction } from "../../platforms/slack/payloads.js";
import { acknowledge } from "../../platforms/slack/responses.js";
import { titleFrom } from "../../tasks/task.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import type { TaskModalMetadata } from "./modal.js";
import { openTaskModal } from "./open-task-modal.js";

export const CREATE_TASK_CALLBACK_ID = "create_task";

/** "Create task" message shortcut: the modal, prefilled from the whole message, for the person who clicked. */
export async function createTaskFromMessage(payload: MessageAction, ctx: FeatureContext): Promise<Response> {
  const { message } = payload;
  return openTaskModalFromMessage(
    {
      triggerId: payload.trigger_id,
      userId: payload.user.id,
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

/** The message a task is made from, and where to answer the person who asked. */
export interface MessageSource {
  triggerId: string;
  /** Who opens the form (and becomes the requester). */
  userId: string;
  responseUrl: string | undefined;
  channelId: string;
  messageTs: string;
  threadTs: string | undefined;
  /** The message as plain text. */
  text: string;
  author: MessageAuthor | undefined;
}

/**
 * Opens the task modal prefilled from a message, then acknowledges (a shortcut's or a button's
 * answer body is shown to no one: a failure is told through answerPrivately).
 *
 * views.open goes first (a trigger_id lasts about three seconds); the permalink (chat.getPermalink)
 * and the author's name (users.info, when the payload had no profile) are fetched right after it is
 * sent and put into the open modal's metadata by views.update. Until then the modal carries a link
 * built from the channel and ts, which Slack also resolves, so a very quick submission still links back.
 */
export async function openTaskModalFromMessage(source: MessageSource, ctx: FeatureContext): Promise<Response> {
  const metadata: TaskModalMetadata = {
    channelId: source.channelId,
    responseUrl: source.responseUrl,
    slackLink: archiveLink(source.channelId, source.messageTs, source.threadTs),
    messageAuthor: source.author && { id: source.author.id, name: source.author.name ?? source.author.id },
    // Where the requester hears back when the task moves: the message's thread.
    threadTs: source.threadTs ?? source.messageTs,
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
    const to = { userId: source.userId, responseUrl: source.responseUrl, channelId: source.channelId };
    ctx.defer("answer failed modal", () => answerPrivately(ctx, to, { text: opened.message }));
  }
  return acknowledge();
}

async function resolveLateMetadata(source: MessageSource, ctx: FeatureContext): Promise<Partial<TaskModalMetadata>> {
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
    slackLink: permalink && isSlackWebUrl(permalink) ? permalink : undefined,
    messageAuthor: author && name ? { id: author.id, name } : undefined,
  };
}

/** A link to the message that Slack resolves in any workspace; a stand-in until the permalink arrives. */
export function archiveLink(channelId: string, messageTs: string, threadTs: string | undefined): string {
  const base = `https://slack.com/archives/${encodeURIComponent(channelId)}/p${encodeURIComponent(messageTs.replace(".", ""))}`;
  return threadTs && threadTs !== messageTs ? `${base}?thread_ts=${encodeURIComponent(threadTs)}&cid=${encodeURIComponent(channelId)}` : base;
}
