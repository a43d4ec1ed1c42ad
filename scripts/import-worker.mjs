// The import worker thread of the production server (app/server/import/worker.server.ts):
// the same server build, on its own database connection, running the upload page's jobs.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = await import(pathToFileURL(path.join(root, "build/server/index.js")).href);
build.entry.module.serveImportJobs();
