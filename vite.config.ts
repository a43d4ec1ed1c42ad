/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import os from "node:os";
import path from "node:path";
import { ISOLATED_FILES } from "./tests/isolated-files";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/** The development server answers TRACE (and other unused methods) with 405, not an echo or a stack trace. */
const refuseUnusedMethods: Plugin = {
  name: "sskdt-refuse-unused-methods",
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (["GET", "HEAD", "POST", "OPTIONS"].includes(req.method ?? "")) return next();
      res.statusCode = 405;
      res.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
      res.end("Method not allowed");
    });
  },
};

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  plugins: process.env.VITEST
    ? []
    : [
        refuseUnusedMethods,
        remix({
          future: {
            v3_fetcherPersist: true,
            v3_relativeSplatPath: true,
            v3_throwAbortReason: true,
            v3_singleFetch: true,
            v3_lazyRouteDiscovery: true,
            v3_routeConfig: true,
          },
        }),
      ],
  server: { port: 3000 },
  test: {
    exclude: ["tests/e2e/**", "node_modules/**"],
    environment: "node",
    globalSetup: ["tests/database-banner.ts", "tests/cli-bundle.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One worker more than the cores: many tests spend their time waiting on a server or a
    // command they started, and the spare worker keeps the cores busy meanwhile (on 2 cores:
    // 286–316 s instead of 350–370 s for the whole suite).
    maxWorkers: os.availableParallelism() + 1,
    // Most test files share a worker's loaded modules with the files before them (no
    // isolation: a file no longer loads the app's modules afresh; on 2 cores vitest took
    // 174–227 s over six runs instead of 226–247 s). The files listed in
    // tests/isolated-files.ts run isolated, each in a fresh process, as every file did before.
    projects: [
      { extends: true, test: { name: "shared", include: ["tests/**/*.test.ts", "app/**/*.test.ts"], exclude: ISOLATED_FILES, isolate: false } },
      { extends: true, test: { name: "isolated", include: ISOLATED_FILES, isolate: true } },
    ],
  },
});
