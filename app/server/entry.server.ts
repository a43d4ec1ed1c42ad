// One row typed on a page (the phone forms, the population form) goes through the import
// pipeline like a row of a file: the same validation, block scope, roll-ups, history
// (channel "form") and audit — so every rule of the import applies to the forms too.
import type { CurrentUser } from "./guard.server";
import type { DB } from "./db.server";
import { importRows, type FileOutcome, type SourceKind } from "./import/pipeline.server";
import type { Issue } from "./import/issues";

export interface EntryResult {
  ok: boolean;
  /** Vietnamese reasons, without the line numbers a one-row form has no use for. */
  errors: string[];
  warnings: string[];
  outcome: FileOutcome;
}

const reasons = (issues: Issue[]) => issues.map((i) => i.reason);

export async function enterRow(
  db: DB,
  user: CurrentUser,
  kind: SourceKind,
  name: string,
  row: Record<string, string>,
  ip: string | null,
): Promise<EntryResult> {
  const outcome = await importRows(
    db,
    { wardId: user.wardId, userId: user.id, tokenId: null, channel: "form", role: user.role, blockId: user.blockId, username: user.username, ip },
    kind,
    name,
    [row],
  );
  const ok = outcome.status === "committed" || outcome.status === "unchanged";
  return { ok, errors: reasons(outcome.errors), warnings: reasons(outcome.warnings), outcome };
}
