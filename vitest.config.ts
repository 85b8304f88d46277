import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["**/node_modules/**", "dist/**"],
    testTimeout: 60_000,
    // A temporary ROUX_CACHE for every test: never the user's (test/temporary-cache.ts).
    setupFiles: ["test/temporary-cache.ts"],
  },
});
