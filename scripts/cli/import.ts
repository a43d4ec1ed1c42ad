// `sskdt import PATH… [--dry-run] [--json] [--error-reports DIR]` — files, folders (recursively) and .zip
// archives through the import pipeline, as the trusted command-line user.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openMigratedDatabase } from "../../app/server/db.server";
import { env } from "../../app/server/env.server";
import { importFiles, type FileInput, type FileOutcome } from "../../app/server/import/pipeline.server";
import { KIND_LABELS } from "../../app/server/import/kinds";
import { ensureWard } from "../../app/server/ward.server";

export const summary = "import visit XML, CSV/XLSX/JSON sources, folders and .zip archives";

export const help = `Usage:
  npx sskdt import PATH… [--dry-run] [--json] [--error-reports DIR]

Each PATH is a file, a folder (read recursively, in name order) or a .zip archive (each
entry a file). The kind of every file is recognised from its content (FORMATS.md):
visit envelopes (GIAMDINHHS, XML1) and check-in files, visits, gateway results, VNeID
display confirmations, onboarding, eligible population and activities as CSV, XLSX or JSON.

  --dry-run   validate and count new / updated / unchanged / invalid rows; write nothing
  --json      print the per-file outcomes as JSON
  --error-reports DIR
              write into DIR (created private) each file's rows in error as an .xlsx:
              the file's own columns plus "Lỗi", to fix in place and import again.
              They hold personal IDs in clear: delete them once used.

Prints one line per file and its invalid rows (line and reason). Exit code 0 when every
file was accepted (its valid rows written, or all unchanged), 1 when any was refused.`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { "dry-run": { type: "boolean" }, json: { type: "boolean" }, "error-reports": { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) {
    console.error(help);
    return 2;
  }
  const missing = positionals.filter((p) => !fs.existsSync(p));
  if (missing.length) {
    console.error(`Not found: ${missing.join(", ")}`);
    return 2;
  }
  const files = positionals.flatMap((p) => filesUnder(p));
  const reports = values["error-reports"];
  if (reports) fs.mkdirSync(reports, { recursive: true, mode: 0o700 });
  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    const ward = await ensureWard(db);
    const outcomes = await importFiles(
      db,
      { wardId: ward.id, userId: null, tokenId: null, channel: "cli", role: null, blockId: null, username: "cli" },
      files,
      { dryRun: values["dry-run"] === true, errorReports: reports },
    );
    if (values.json) console.log(JSON.stringify(outcomes, null, 2));
    else printOutcomes(outcomes, values["dry-run"] === true, reports);
    return outcomes.every(accepted) ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

const accepted = (o: FileOutcome) => o.status === "committed" || o.status === "unchanged" || o.status === "preview";

/** A path as files: itself, or every file under a folder in name order (hidden ones skipped). */
function filesUnder(p: string): FileInput[] {
  if (!fs.statSync(p).isDirectory()) return [{ name: p, path: p }];
  return fs
    .readdirSync(p, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => filesUnder(path.join(p, e.name)));
}

const STATUS: Record<FileOutcome["status"], string> = {
  committed: "imported",
  unchanged: "unchanged",
  preview: "checked (dry run)",
  refused: "REFUSED",
  duplicate: "REFUSED (duplicate)",
};

const SHOWN_ISSUES = 20;

function printOutcomes(outcomes: FileOutcome[], dryRun: boolean, reports: string | undefined) {
  const total = { new: 0, updated: 0, unchanged: 0, invalid: 0 };
  for (const o of outcomes) {
    const c = o.counts;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    console.log(`${accepted(o) ? "✓" : "✗"} ${o.name} — ${o.kind ? KIND_LABELS[o.kind] : "loại không xác định"}: ${STATUS[o.status]}; ` +
      `new ${c.new}, updated ${c.updated}, unchanged ${c.unchanged}, invalid ${c.invalid}`);
    for (const e of o.errors.slice(0, SHOWN_ISSUES)) console.log(`    ${e.line ? `dòng ${e.line}: ` : ""}${e.reason}`);
    const more = o.errors.length - Math.min(o.errors.length, SHOWN_ISSUES) + o.moreErrors;
    if (more > 0) console.log(`    … và ${more} lỗi khác`);
    if (o.warnings.length || o.moreWarnings) console.log(`    (${o.warnings.length + o.moreWarnings} cảnh báo)`);
    if (reports && o.errorReport) console.log(`    error report: ${path.join(reports, o.errorReport)}`);
  }
  const refused = outcomes.filter((o) => !accepted(o)).length;
  console.log(`${outcomes.length} file(s)${dryRun ? " checked, nothing written" : ""}: ${outcomes.length - refused} accepted, ${refused} refused; ` +
    `rows new ${total.new}, updated ${total.updated}, unchanged ${total.unchanged}, invalid ${total.invalid}.`);
}
