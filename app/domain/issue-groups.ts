// An import's row issues grouped by reason, so 229 rows with the same problem read as
// one line: "229 dòng: Dòng không có ngày nào của ba bước — dòng 4, 9, …".
import { formatNumber } from "./format";

export interface IssueLike {
  line: number | null;
  reason: string;
}

export interface IssueGroup {
  reason: string;
  count: number;
  /** The first lines it occurs on, ascending. */
  lines: number[];
}

export const LINES_SHOWN = 12;

/** Groups by reason, most frequent first (ties: first seen first). */
export function groupIssues(issues: readonly IssueLike[]): IssueGroup[] {
  const groups = new Map<string, { count: number; lines: number[]; order: number }>();
  for (const issue of issues) {
    let g = groups.get(issue.reason);
    if (!g) groups.set(issue.reason, (g = { count: 0, lines: [], order: groups.size }));
    g.count++;
    if (issue.line !== null) g.lines.push(issue.line);
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => b.count - a.count || a.order - b.order)
    .map(([reason, g]) => ({ reason, count: g.count, lines: [...new Set(g.lines)].sort((a, b) => a - b).slice(0, LINES_SHOWN) }));
}

/** "229 dòng: <reason> — dòng 4, 9, …" (one issue: "Dòng 4: <reason>"). */
export function groupText(g: IssueGroup): string {
  if (g.count === 1) return g.lines.length ? `Dòng ${g.lines[0]}: ${g.reason}` : g.reason;
  const reason = g.reason.replace(/\.$/, "");
  const more = g.count > g.lines.length ? ", …" : "";
  const lines = g.lines.length ? ` — dòng ${g.lines.join(", ")}${more}` : "";
  return `${formatNumber(g.count)} dòng: ${reason}${lines}`;
}

/** Whether a file was written only in part: some rows valid, some not. */
export const isPartial = (counts: { new: number; updated: number; unchanged: number; invalid: number }) =>
  counts.invalid > 0 && counts.new + counts.updated + counts.unchanged > 0;
