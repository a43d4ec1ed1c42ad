// The environment, read once with zod. A deployment with NODE_ENV=production must give
// SSKDT_SECRET; a trial run (`npm start`) keeps a generated one in the data folder.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().default("file:data/sskdt.sqlite"),
  SSKDT_SECRET: z.string().min(32, "SSKDT_SECRET must be at least 32 characters").optional(),
  SSKDT_DEMO: z.enum(["0", "1"]).default("1"),
  SSKDT_DEMO_PASSWORD: z.string().min(8).default("sskdt-demo-2026"),
  PORT: z.coerce.number().int().min(0).default(3000), // 0: any free port (tests)
  // Sign out after this long without a request (30 min); tests shorten it.
  SSKDT_SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(1800),
  // Audit entries older than this many days are pruned daily under a chained checkpoint;
  // 0 keeps everything. At least 365 (app/server/audit.server.ts).
  SSKDT_AUDIT_RETENTION_DAYS: z.coerce.number().int().refine((d) => d === 0 || d >= 365, "0 or at least 365 days").default(0),
  // The daily backup (app/server/backup.server.ts): folder, local hour, how many to keep; 0 disables it.
  SSKDT_BACKUP_DIR: z.string().optional(),
  SSKDT_BACKUP_HOUR: z.coerce.number().int().min(0).max(23).default(2),
  SSKDT_BACKUP_KEEP: z.coerce.number().int().min(0).default(14),
});

export type Env = z.infer<typeof schema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
export const env = () => (cached ??= readEnv());
