import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real hosts (Blender with a UI under Xvfb, Chromium, headless Blenders) compete for two
    // cores and their timings matter: one test file at a time.
    fileParallelism: false,
  },
});
