/**
 * A refused form on Discord: an open modal cannot be redrawn with its errors, so the person reads
 * what was wrong in a private message with a "Fix it" button, whose click opens the form again as
 * they left it (typed values and errors kept; the handler answers it, it is not routed).
 */
import type { Card } from "../../chat/card.js";
import type { Form, FormErrors } from "../../chat/form.js";

/** The button on a refused form's message: its click opens the form again, typed values and errors kept (handled by the handler, not routed). */
export const REOPEN_FORM_ACTION = "reopen_form";

/** What a refused form's person reads: what was wrong with each input, and a button that opens the form again as they left it. */
export function refusalCard(form: Form, errors: FormErrors, again: string): Card {
  const labelOf = (id: string) => form.inputs.find((input) => input.id === id)?.label ?? id;
  return {
    summary: ["Nothing was saved yet: ", form.title],
    blocks: [
      { kind: "text", text: ["Nothing was saved yet:"] },
      ...Object.entries(errors).map(([id, message]) => ({ kind: "text" as const, text: ["• ", { bold: labelOf(id) }, `: ${message}`] })),
      { kind: "note", text: ["Press Fix it to change what you typed: it is all still there."] },
      { kind: "buttons", buttons: [{ kind: "action", action: REOPEN_FORM_ACTION, label: "Fix it", value: again, style: "primary" }] },
    ],
  };
}

/**
 * A "Fix it" button's value read back as the form it holds; undefined for anything else (a value
 * from an older version, or not a form), so the click is answered with a notice instead.
 */
export function formToReopen(value: string): Form | undefined {
  let form: unknown;
  try {
    form = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof form !== "object" || form === null) return undefined;
  const candidate = form as Partial<Form>;
  const strings = (record: unknown) => typeof record === "object" && record !== null && Object.values(record).every((entry) => typeof entry === "string");
  if (typeof candidate.id !== "string" || typeof candidate.title !== "string" || !Array.isArray(candidate.inputs) || !strings(candidate.context)) return undefined;
  if (candidate.errors !== undefined && !strings(candidate.errors)) return undefined;
  return candidate as Form;
}
