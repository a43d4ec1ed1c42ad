/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import os from "node:os";
import path from "node:path";

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
    include: ["tests/**/*.test.ts", "app/**/*.test.ts"],
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
  },
});
