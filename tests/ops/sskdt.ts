// `sskdt …` as a child process, asynchronously (a server may be running beside it).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

export const ROOT = path.resolve(__dirname, "../..");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function sskdt(args: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, "scripts/sskdt.mjs"), ...args], {
      cwd, env: { ...process.env, NODE_ENV: "test", ...env }, maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
