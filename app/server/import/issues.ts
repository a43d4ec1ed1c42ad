// What an import reports back: row errors and warnings (Vietnamese, with the line), and
// the refusal that stops a whole file.

export interface Issue {
  line: number | null;
  field?: string;
  reason: string;
}

/** A whole file is refused: nothing of it is written. */
export class RefusedError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number | null = null,
  ) {
    super(reason);
  }
}

/** How many errors / warnings a file lists; the counts stay exact beyond it. */
export const LISTED_ISSUES = 1000;

/**
 * Issues of one file, listing the first LISTED_ISSUES and counting the rest; with
 * `keepAll`, every one is kept as well (for the file's complete error report).
 */
export class IssueList {
  readonly items: Issue[] = [];
  readonly all: Issue[] | null;
  total = 0;

  constructor(keepAll = false) {
    this.all = keepAll ? [] : null;
  }

  add(issue: Issue) {
    this.total++;
    if (this.items.length < LISTED_ISSUES) this.items.push(issue);
    this.all?.push(issue);
  }

  get omitted() {
    return this.total - this.items.length;
  }
}

/**
 * A value given for a coded column, as a message may quote it: only when it could be a
 * code (letters, digits, . _ -, no spaces or accents); a name typed there is not repeated.
 */
export const shownCode = (value: string) => (/^[A-Za-z0-9._-]{1,12}$/.test(value) ? `"${shown(value)}"` : "(không phải một mã)");

/**
 * A cell value quoted back in a message, which is stored with the import's history: cut
 * short, and any long run of digits (a personal ID, card or phone in the wrong column)
 * reduced to its last four.
 */
export function shown(value: string): string {
  const masked = value.replace(/\d{9,}/g, (digits) => `…${digits.slice(-4)}`);
  return masked.length > 40 ? `${masked.slice(0, 40)}…` : masked;
}
