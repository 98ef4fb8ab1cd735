/**
 * A Form: what the bot asks a person to fill in (a Slack modal, a Discord modal, a Mattermost dialog,
 * a Teams dialog), its values and its errors, keyed by input id. Pure types, part of the port (model.ts).
 */

interface InputBase {
  /** Stable within the form: values and errors are keyed by it (Slack block_id, Discord custom_id). */
  id: string;
  label: string;
  hint?: string | undefined;
  optional?: boolean | undefined;
}

export type FormInput =
  | (InputBase & { kind: "text"; multiline?: boolean | undefined; maxLength: number; placeholder?: string | undefined; value?: string | undefined })
  | (InputBase & { kind: "choice"; options: readonly { label: string; value: string }[]; value?: string | undefined; placeholder?: string | undefined })
  /** A calendar date, `YYYY-MM-DD`: a date picker where the platform has one, else a text input that says the format. */
  | (InputBase & { kind: "date"; value?: string | undefined; placeholder?: string | undefined });

/** What a person entered, by input id; an absent or cleared input is undefined. */
export type FormValues = Readonly<Record<string, string | undefined>>;
/** A message per input id that was wrong; shown under the input where the platform can. */
export type FormErrors = Readonly<Record<string, string>>;

/**
 * A form (a Slack modal, a Discord modal). `context` travels with it and comes back on submission:
 * Slack keeps it in private_metadata (3,000 units) as JSON; the Discord adapter packs it into the
 * modal's custom_id (100 characters) and parks what does not fit, as for button values. Flat
 * strings, so both can carry it (today's task modal nests `messageAuthor`: docs/chat-port.md).
 */
export interface Form {
  /** Routes the submission (Slack callback_id, the start of Discord's custom_id). */
  id: string;
  title: string;
  submitLabel: string;
  /** Slack's close button ("Cancel"); Discord's modal has its own. */
  closeLabel?: string | undefined;
  /** A line above or below the inputs (Slack context block, Discord Text Display). */
  note?: string | undefined;
  inputs: readonly FormInput[];
  context: Readonly<Record<string, string>>;
  /** Shown with the inputs when the form is drawn again after a refused submission. */
  errors?: FormErrors | undefined;
}
