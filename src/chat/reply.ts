/**
 * How a feature answers the interaction in hand (Reply), and the handles of the forms it opens or
 * holds. Pure types, part of the port (model.ts); each adapter builds one Reply per interaction.
 */
import type { Card } from "./card.js";
import type { Form, FormErrors } from "./form.js";

/**
 * A notice shown where a submitted form was (Slack: a modal with this title and close button, in
 * place of the form; Discord: an ephemeral message, `title` unused).
 */
export interface FormNotice {
  title: string;
  closeLabel: string;
  card: Card;
}

/** A form that opened. */
export interface OpenForm {
  /**
   * Redraws it while it is open (late priority options, a permalink found after it opened). Slack:
   * views.update. Discord cannot redraw an open modal: resolves having done nothing.
   */
  update(form: Form): Promise<void>;
}

/** A submission taken while its work goes on (a slow save). */
export interface HeldForm {
  /** Shows the outcome where the notice is (Slack views.update; Discord an edit of @original, or a DM once its 15-minute token is past); rejects with ChatError when that is gone. */
  finish(notice: FormNotice): Promise<void>;
}

/**
 * How a feature answers the interaction in hand. The adapter builds one per interaction, since each
 * platform answers through something the interaction carries (Slack trigger_id and response_url,
 * Discord's interaction token) and has its own first-response rule (Slack: 3 s; Discord: 3 s, and a
 * modal only as the first response). What a route says before it returns becomes the HTTP response
 * where the platform allows it (Slack: an ephemeral answer to a command, `response_action`;
 * Discord: the interaction response); what it says later goes through the platform's API. A route
 * that says nothing before it returns gets the platform's plain acknowledgement (Slack: an empty
 * 200; Discord: a deferred response, type 5 with flags 64 or type 6 for a button).
 */
export interface Reply {
  /**
   * Whether an open form can be redrawn (OpenForm.update does something): Slack true (views.update);
   * Discord false, so what the form shows (the board's priorities) must be known before it opens.
   */
  readonly updatesOpenForms?: boolean | undefined;
  /**
   * Opens a form. Rejects with ChatError when it cannot (Slack: an expired trigger_id, a rate
   * limit); Discord answers type 9, which must be the first response, so it opens first or not at all.
   */
  openForm(form: Form): Promise<OpenForm>;
  /** Keeps a submitted form open with errors under its inputs (Slack), or says them and offers the form again, values kept (Discord). */
  refuseForm(form: Form, errors: FormErrors): Promise<void>;
  /** Takes a submission whose work goes on after the response: the notice stands where the form was until `finish`. */
  holdForm(notice: FormNotice): Promise<HeldForm>;
  /** Takes a submission whose work is done: the form closes (Slack `response_action: "clear"`; Discord a deferred ephemeral answer). */
  closeForm(): Promise<void>;
  /**
   * Only the person sees it: Slack's response_url, else chat.postEphemeral, else a DM (or the DM
   * first with `prefer: "dm"`, for what must not be lost); Discord flags 64 (the response, a
   * follow-up, or an edit of the deferred @original), a DM once the 15-minute token is past.
   * Rejects with ChatError when every road failed.
   */
  tellPrivately(card: Card, options?: { prefer?: "here" | "dm" | undefined }): Promise<void>;
  /** Redraws the message the interaction came from (a status button's message). */
  updateSource(card: Card): Promise<void>;
  /**
   * Ends an interaction whose outcome the person sees already (a reply posted where they are) with
   * `card`, only where the platform keeps showing a pending answer until the bot says something:
   * Discord (the deferred ephemeral response becomes `card`, flags 64). Slack shows nothing pending
   * after a shortcut's or a button's empty 200, so it sends nothing. Rejects with ChatError.
   */
  acknowledge(card: Card): Promise<void>;
}
