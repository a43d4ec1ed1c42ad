// Migrations are listed here, in order, instead of read from the folder: Node 20 cannot
// import .ts files at run time, and a static list works the same under Vite, vitest and tsx.
import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001_init";
import * as m0002 from "./0002_metric_rollups";
import * as m0003 from "./0003_metric_hours_seconds";
import * as m0004 from "./0004_metric_hours_day_buckets";
import * as m0005 from "./0005_metric_resident_steps";
import * as m0006 from "./0006_gateway_receipt_timeline";
import * as m0007 from "./0007_engine";
import * as m0008 from "./0008_reports";
import * as m0009 from "./0009_budget";
import * as m0010 from "./0010_pilot_setup";
import * as m0012 from "./0012_audit_chain";
import * as m0011 from "./0011_security";
import * as m0013 from "./0013_ux";
import * as m0014 from "./0014_first_receipt";
import * as m0015 from "./0015_day_spans";

const migrations: Record<string, Migration> = {
  "0001_init": m0001,
  "0002_metric_rollups": m0002,
  "0003_metric_hours_seconds": m0003,
  "0004_metric_hours_day_buckets": m0004,
  "0005_metric_resident_steps": m0005,
  "0006_gateway_receipt_timeline": m0006,
  "0007_engine": m0007,
  "0008_reports": m0008,
  "0009_budget": m0009,
  "0010_pilot_setup": m0010,
  "0012_audit_chain": m0012,
  "0011_security": m0011,
  "0013_ux": m0013,
  "0014_first_receipt": m0014,
  "0015_day_spans": m0015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
