import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "roux-fmt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("roux fmt on a file that is not UTF-8", () => {
  // Badly laid out, so `--write` would rewrite it if it formatted it; the 0xE9 is Latin-1 `é`.
  const bytes = Buffer.concat([Buffer.from('let   name = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]);

  it("--write leaves every byte as it was and reports E0004", async () => {
    const file = path.join(dir, "latin1.recipe");
    writeFileSync(file, bytes);
    const result = await runCli(["fmt", "--write", file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E0004]: invalid UTF-8 at byte 17");
    expect(readFileSync(file)).toEqual(bytes);
  });

  it("prints no formatted text either", async () => {
    const file = path.join(dir, "latin1-print.recipe");
    writeFileSync(file, bytes);
    const result = await runCli(["fmt", file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
  });
});
