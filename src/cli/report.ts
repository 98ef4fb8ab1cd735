/** One line per check, each with a mark; a failure always says how to fix it. Never prints a value. */

export interface Output {
  write(text: string): unknown;
}

export const MARKS = { ok: "✓", fail: "✗", warn: "!", skip: "-" } as const;

export interface Report {
  section(title: string): void;
  ok(text: string): void;
  /** Something is wrong: `fix` is the exact thing to do about it. */
  fail(problem: string, fix: string): void;
  /** Works, or cannot be checked, but deserves a look: `fix` says what to look at. */
  warn(problem: string, fix?: string): void;
  /** Not checked because something it needs failed above. */
  skip(text: string): void;
  line(text?: string): void;
  readonly failures: number;
  readonly warnings: number;
}

/** A report written to `out` as it goes, so a slow check shows what came before it. */
export function createReport(out: Output): Report {
  let failures = 0;
  let warnings = 0;
  const write = (text: string) => void out.write(`${text}\n`);
  return {
    section: (title) => write(`\n${title}`),
    ok: (text) => write(`  ${MARKS.ok} ${text}`),
    fail(problem, fix) {
      failures += 1;
      write(`  ${MARKS.fail} ${problem} — fix: ${fix}`);
    },
    warn(problem, fix) {
      warnings += 1;
      write(`  ${MARKS.warn} ${problem}${fix ? ` — ${fix}` : ""}`);
    },
    skip: (text) => write(`  ${MARKS.skip} ${text}`),
    line: (text = "") => write(text),
    get failures() {
      return failures;
    },
    get warnings() {
      return warnings;
    },
  };
}

/** "1 problem", "2 problems". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
