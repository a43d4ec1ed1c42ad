// The synthetic sample ward through the real command line: its files imported in
// import-order.txt's order, then `sskdt metrics … --json` must contain every expected
// figure (integers exactly, fractions and hours to 1e-6) — and equal the reference engine.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSourceDate } from "~/domain/time";
import { resolvePeriod } from "~/domain/periods";
import { openMigratedDatabase } from "~/server/db.server";
import { computeMetricsWith } from "~/server/metrics/engine.server";
import { publicMetrics } from "~/domain/metrics-types";
import { referenceSource } from "../reference/engine";
import { cliDatabase, ROOT, type CliDatabase } from "./cli";

const SAMPLE = path.join(ROOT, "tests/fixtures/sample-ward");
const expected = JSON.parse(fs.readFileSync(path.join(SAMPLE, "expected.json"), "utf8")) as Record<string, { args: string[]; expect: unknown }>;

let cli: CliDatabase;

/** Every value of `expect` is in `actual`: integers and strings exactly, fractions to 1e-6, arrays in order. */
function contains(actual: unknown, wanted: unknown, at: string): void {
  if (typeof wanted === "number" && !Number.isInteger(wanted)) {
    expect(typeof actual, at).toBe("number");
    expect(Math.abs((actual as number) - wanted), `${at}: ${actual} vs ${wanted}`).toBeLessThan(1e-6);
  } else if (Array.isArray(wanted)) {
    expect(Array.isArray(actual), at).toBe(true);
    expect((actual as unknown[]).length, `${at}.length`).toBe(wanted.length);
    wanted.forEach((w, i) => contains((actual as unknown[])[i], w, `${at}[${i}]`));
  } else if (wanted !== null && typeof wanted === "object") {
    for (const [k, w] of Object.entries(wanted)) contains((actual as Record<string, unknown>)?.[k], w, `${at}.${k}`);
  } else {
    expect(actual, at).toBe(wanted);
  }
}

beforeAll(() => {
  cli = cliDatabase("sskdt-sample-", "sample-ward-test-secret-0123456789abcdef");
  const order = fs.readFileSync(path.join(SAMPLE, "import-order.txt"), "utf8").split("\n").map((l) => l.trim()).filter(Boolean);
  cli.run(["import", ...order], SAMPLE);
}, 300_000);

afterAll(() => cli?.remove());

describe("sample ward through the CLI", () => {
  for (const [name, c] of Object.entries(expected)) {
    it(`${name}: sskdt metrics ${c.args.join(" ")} --json`, async () => {
      const printed = cli.metrics(c.args);
      contains(printed, c.expect, "$");
      // The reference engine, straight from the base tables, agrees on every figure.
      const period = resolvePeriod(c.args[c.args.indexOf("--period") + 1], Date.now() / 1000);
      const asOf = parseSourceDate(c.args[c.args.indexOf("--as-of") + 1])!.epoch;
      const db = await openMigratedDatabase(cli.databaseUrl);
      try {
        const ward = await db.selectFrom("ward").select("id").executeTakeFirstOrThrow();
        expect(printed).toEqual(publicMetrics(await computeMetricsWith(db, { wardId: ward.id, period, asOf }, referenceSource)));
      } finally {
        await db.destroy();
      }
    }, 120_000);
  }

  it("prints a readable Vietnamese table without --json", () => {
    const table = cli.run(["metrics", "--period", "2026-Q1", "--as-of", "2026-04-02T08:00:00+07:00"]);
    expect(table).toContain("Quý I/2026");
    expect(table).toMatch(/Tổng lượt KCB\s+1\.503/);
    expect(table).toMatch(/Tỷ lệ\s+88,3 %/);
    expect(table).toContain("Khối 1");
  }, 120_000);
});
