// The suite's shared workers run many test files in one process (vite.config.ts). A file
// that changes what the process holds for everyone — its environment, a mocked module, the
// app's database singleton — must run isolated, or it changes the files that run after it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ISOLATED_FILES } from "../isolated-files";

const ROOT = path.resolve(__dirname, "../..");
const LEAKS: Array<[string, RegExp]> = [
  ["sets process.env", /process\.env(?:\.\w+|\[[^\]]+\])\s*=(?!=)|delete process\.env|Object\.assign\(process\.env/],
  ["mocks a module or a global", /\bvi\.(?:mock|doMock|stubEnv|stubGlobal)\(/],
  ["uses the app's database singleton", /\bgetDb\(/],
];

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return rel === "tests/e2e" || rel === "tests/fixtures" ? [] : testFiles(rel);
    return e.name.endsWith(".test.ts") ? [rel] : [];
  });
}

describe("the suite's isolated files", () => {
  it("are exactly the test files that leak state into a shared worker", () => {
    const files = [...testFiles("tests"), ...testFiles("app")];
    expect(files.length).toBeGreaterThan(50); // the walk found the suite
    const leaking = files.flatMap((file) => {
      const source = fs.readFileSync(path.join(ROOT, file), "utf8");
      const reasons = LEAKS.filter(([, pattern]) => pattern.test(source)).map(([reason]) => reason);
      return reasons.length ? [{ file, reasons }] : [];
    });
    expect({
      // Leaks, yet shares a worker: list it in tests/isolated-files.ts.
      missing: leaking.filter((l) => !ISOLATED_FILES.includes(l.file)),
      // Listed, yet leaks nothing (or is gone): it can share a worker.
      needless: ISOLATED_FILES.filter((f) => !leaking.some((l) => l.file === f)),
    }).toEqual({ missing: [], needless: [] });
  });
});
