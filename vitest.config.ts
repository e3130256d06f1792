import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real hosts (Blender, soffice) are heavy on a 2-core machine: keep files from piling up.
    maxWorkers: 2,
  },
});
