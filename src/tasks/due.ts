/**
 * Due dates and weeks, in a time zone. A Notion date is a day ("2025-01-06") or an instant
 * ("2025-01-06T15:00:00.000-08:00"): a day is taken as it is; an instant is placed on the day it
 * falls in, in the time zone. Pure; knows neither Slack nor Notion.
 */

/** Days as YYYY-MM-DD in a time zone: today and the current Monday-to-Sunday week. */
export interface Week {
  today: string;
  monday: string;
  sunday: string;
}

/** Where a due date falls: before today, today through Sunday, after Sunday, or none. */
export type DueGroup = "overdue" | "this_week" | "later" | "no_date";

/** In due order: overdue first, undated last. */
export const DUE_GROUPS: readonly DueGroup[] = ["overdue", "this_week", "later", "no_date"];

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
/** Intl formatters are slow to build and pure once built: one per time zone, for the process's life. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The week `now` falls in, Monday to Sunday, in `timeZone` (an IANA name; throws RangeError for an unknown one). */
export function weekOf(now: Date, timeZone: string): Week {
  const today = localParts(now, timeZone).date;
  const weekday = isoWeekday(today);
  return { today, monday: addDays(today, 1 - weekday), sunday: addDays(today, 7 - weekday) };
}

/** The group a due date belongs to in `week`. */
export function dueGroupOf(due: string | undefined, week: Week, timeZone: string): DueGroup {
  const date = due === undefined ? undefined : dueDate(due, timeZone)?.date;
  if (date === undefined) return "no_date";
  if (date < week.today) return "overdue";
  if (date <= week.sunday) return "this_week";
  return "later";
}

/** Orders due dates earliest first, undated last (for Array.prototype.sort). */
export function compareDue(a: string | undefined, b: string | undefined, timeZone: string): number {
  const left = a === undefined ? undefined : dueDate(a, timeZone);
  const right = b === undefined ? undefined : dueDate(b, timeZone);
  if (!left || !right) return left ? -1 : right ? 1 : 0;
  const leftKey = `${left.date} ${left.time ?? ""}`;
  const rightKey = `${right.date} ${right.time ?? ""}`;
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
}

/** "Mon 6 Jan", "Mon 6 Jan 15:00", with the year when it is not today's; undefined for an unreadable date. */
export function formatDue(due: string, today: string, timeZone: string): string | undefined {
  const parsed = dueDate(due, timeZone);
  if (!parsed) return undefined;
  const day = formatDay(parsed.date, today, { weekday: true });
  return parsed.time === undefined ? day : `${day} ${parsed.time}`;
}

/** "6 Jan" (or "Mon 6 Jan" with `weekday`), with the year when it is not today's. */
export function formatDay(date: string, today: string, { weekday }: { weekday: boolean }): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const name = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const yearSuffix = date.slice(0, 4) === today.slice(0, 4) ? "" : ` ${year}`;
  return `${weekday ? `${name} ` : ""}${day} ${MONTHS[month - 1]}${yearSuffix}`;
}

/** The day (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function dueDate(due: string, timeZone: string): { date: string; time: string | undefined } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return { date: due, time: undefined };
  const instant = Date.parse(due);
  return Number.isNaN(instant) ? undefined : localParts(new Date(instant), timeZone);
}

/** 1 for Monday through 7 for Sunday. */
function isoWeekday(date: string): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
