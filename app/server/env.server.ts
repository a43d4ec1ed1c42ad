// The environment, read once with zod. Production (NODE_ENV=production) is strict: it
// needs SSKDT_SECRET, loads the demo ward only when SSKDT_DEMO=1 says so, and then only
// with a password of its own (SSKDT_DEMO_PASSWORD, never the one the README publishes).
// A trial run (`npm start`, development) keeps a generated secret in the data folder and
// loads the demo with the published password.
import { z } from "zod";

/** The demo accounts' password outside production, printed in the README. */
export const PUBLISHED_DEMO_PASSWORD = "sskdt-demo-2026";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().default("file:data/sskdt.sqlite"),
  SSKDT_SECRET: z.string().min(32, "SSKDT_SECRET must be at least 32 characters").optional(),
  SSKDT_DEMO: z.enum(["0", "1"]).optional(),
  SSKDT_DEMO_PASSWORD: z.string().min(10, "SSKDT_DEMO_PASSWORD must be at least 10 characters").max(128).optional(),
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
  /** The address users type, e.g. https://sskdt.phuong.gov.vn: form posts must come from it. */
  SSKDT_PUBLIC_ORIGIN: z
    .string()
    .url("SSKDT_PUBLIC_ORIGIN must be an origin such as https://sskdt.example.gov.vn")
    .refine((v) => /^https?:\/\/[^/]+\/?$/i.test(v), "SSKDT_PUBLIC_ORIGIN must be scheme and host only, without a path")
    .optional(),
});

type Raw = z.infer<typeof schema>;

export type Env = Omit<Raw, "SSKDT_DEMO" | "SSKDT_DEMO_PASSWORD"> & {
  SSKDT_DEMO: "0" | "1";
  /** The demo accounts' password; undefined in production unless given. */
  SSKDT_DEMO_PASSWORD: string | undefined;
};

/** A setting that keeps the server from starting: shown to the operator as it is, without a stack trace. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigurationError(`Invalid environment: ${problems}`);
  }
  const raw = parsed.data;
  const production = raw.NODE_ENV === "production";
  if (production && !raw.SSKDT_SECRET) {
    throw new ConfigurationError(
      "SSKDT_SECRET is not set: a production server does not start without its secret. " +
        'Generate one once (openssl rand -hex 32), keep it outside the data folder, and start with SSKDT_SECRET="…" (README, Configuration).',
    );
  }
  const demo = raw.SSKDT_DEMO ?? (production ? "0" : "1");
  const demoPassword = raw.SSKDT_DEMO_PASSWORD ?? (production ? undefined : PUBLISHED_DEMO_PASSWORD);
  if (production && demo === "1" && (!demoPassword || demoPassword === PUBLISHED_DEMO_PASSWORD)) {
    throw new ConfigurationError(
      "SSKDT_DEMO=1 in production needs SSKDT_DEMO_PASSWORD set to a password of your own: the published demo password is refused in production.",
    );
  }
  return { ...raw, SSKDT_DEMO: demo, SSKDT_DEMO_PASSWORD: demoPassword };
}

let cached: Env | undefined;
export const env = () => (cached ??= readEnv());
