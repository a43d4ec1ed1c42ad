// Size limits against hostile or mistaken input. Each can be changed through the
// environment (bytes / counts); read at every import so a test or an operator can adjust.

export interface ImportLimits {
  /** One file, or one entry of an archive, unpacked. */
  maxFileBytes: number;
  /** Entries in one .zip. */
  maxArchiveEntries: number;
  /** All entries of one .zip together, unpacked. */
  maxUnpackedBytes: number;
  /** One base64 XML1 payload, decoded. */
  maxPayloadBytes: number;
  /** A JSON file or API body, which is read whole. */
  maxJsonBytes: number;
}

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 512 * MB,
  maxArchiveEntries: 200_000,
  maxUnpackedBytes: 2048 * MB,
  maxPayloadBytes: 4 * MB,
  maxJsonBytes: 64 * MB,
};

const ENV_NAMES: Record<keyof ImportLimits, string> = {
  maxFileBytes: "SSKDT_IMPORT_MAX_FILE_BYTES",
  maxArchiveEntries: "SSKDT_IMPORT_MAX_ARCHIVE_ENTRIES",
  maxUnpackedBytes: "SSKDT_IMPORT_MAX_UNPACKED_BYTES",
  maxPayloadBytes: "SSKDT_IMPORT_MAX_PAYLOAD_BYTES",
  maxJsonBytes: "SSKDT_IMPORT_MAX_JSON_BYTES",
};

export function importLimits(env: NodeJS.ProcessEnv = process.env): ImportLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(ENV_NAMES) as (keyof ImportLimits)[]) {
    const raw = env[ENV_NAMES[key]];
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${ENV_NAMES[key]} must be a positive whole number, got "${raw}"`);
    limits[key] = value;
  }
  return limits;
}

/** "12,5 MB" for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1).replace(".", ",")} KB`;
  return `${(bytes / MB).toFixed(1).replace(".", ",")} MB`;
}
