import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { amaroUrl, scriptUrl } from "../rewards/script-url.js";
import { selectBackend } from "./backend.js";

describe("selectBackend", () => {
  it("sets cpu and wasm by name", async () => {
    expect(await selectBackend("cpu")).toEqual({ name: "cpu", description: "cpu (tfjs JavaScript kernels)", kernels: "cpu" });
    expect(tf.getBackend()).toBe("cpu");
    expect((await selectBackend("wasm")).name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
  });

  it("auto falls back to wasm without the optional tfjs-node packages; gpu says how to install", async () => {
    // Neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed in this repository.
    expect(await selectBackend("auto")).toEqual({ name: "wasm", description: "wasm (tfjs WebAssembly kernels, one thread)", kernels: "wasm" });
    await expect(selectBackend("gpu")).rejects.toThrow(
      /@tensorflow\/tfjs-node-gpu, which is not installed: install it with `npm install @tensorflow\/tfjs-node-gpu`/,
    );
  });

  it("trains under Node's own module resolution from another working directory, as the built CLI does", () => {
    // vitest resolves modules itself; a child `node` (TypeScript stripped by the rewards' hooks)
    // loads tfjs and the .wasm files the way dist/ does, from a directory that is not the repo.
    const dir = mkdtempSync(path.join(tmpdir(), "roux-trainer-"));
    try {
      const engineUrl = pathToFileURL(path.join(import.meta.dirname, "engine.ts")).href;
      const architectureUrl = pathToFileURL(path.join(import.meta.dirname, "..", "policy", "architecture.ts")).href;
      writeFileSync(
        path.join(dir, "main.mjs"),
        `const { TrainingEngine } = await import(${JSON.stringify(engineUrl)});
const { initialWeights } = await import(${JSON.stringify(architectureUrl)});
const arch = { layers: 1, dModel: 8, heads: 2, context: 8, vocab: 5, eos: 4, dropout: 0.1 };
const engine = await TrainingEngine.create(arch, initialWeights(arch, 1), "wasm");
const r = engine.sftStep([{ prompt: [1], response: [2, 4] }], { lr: 1e-3, betas: [0.9, 0.999], weightDecay: 0, clipGrad: 1 });
console.log(JSON.stringify({ backend: engine.backend, applied: r.applied, finite: Number.isFinite(r.loss) }));`,
      );
      const hooks = JSON.stringify(scriptUrl("ts-hooks"));
      const register = `import { register } from "node:module"; register(${hooks}, { data: { amaroUrl: ${JSON.stringify(amaroUrl())} } });`;
      const child = spawnSync(process.execPath, ["--no-warnings", "--import", `data:text/javascript,${encodeURIComponent(register)}`, "main.mjs"], {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout.trim())).toEqual({ backend: "wasm", applied: true, finite: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
