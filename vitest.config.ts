import { defineConfig } from "vitest/config";

// In CI the JSON reporter also writes the counts that .ci/run prints as its last line.
const ci = process.env.CI === "true";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ci ? ["default", "json"] : ["default"],
    outputFile: ci ? { json: ".ci/test-results.json" } : {},
  },
});
