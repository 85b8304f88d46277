/**
 * Which tfjs backend trains (`run.device`): `cpu` is tfjs's plain JavaScript kernels, `wasm`
 * its WebAssembly ones (the default here: several times faster on a CPU), `gpu` needs
 * @tensorflow/tfjs-node-gpu and `auto` takes tfjs-node-gpu or tfjs-node when the user has
 * installed one, else wasm. Those two packages download libtensorflow when installed, so
 * they are optional peers that Roux never requires: their absence is only an error when
 * `gpu` is asked for by name.
 */
import { createRequire } from "node:module";
import path from "node:path";
// The @tensorflow/tfjs bundle, not tfjs-core alone: only the bundle registers the gradients
// (and the cpu backend) under Node.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export type Device = "auto" | "cpu" | "wasm" | "gpu";

export class DeviceError extends Error {}

const require = createRequire(import.meta.url);
let wasmReady = false;

/** Sets the backend; returns what it is, for the run's log. */
export async function selectBackend(device: Device): Promise<string> {
  // Production mode: no per-op debug checks, and no console banners on a user's terminal.
  tf.enableProdMode();
  if (device === "gpu" || device === "auto") {
    for (const pkg of device === "gpu" ? ["@tensorflow/tfjs-node-gpu"] : ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
      if (await importable(pkg)) {
        await tf.setBackend("tensorflow");
        return `tensorflow (${pkg})`;
      }
    }
    if (device === "gpu") {
      throw new DeviceError("run.device = gpu needs @tensorflow/tfjs-node-gpu (and CUDA): install it with `npm install @tensorflow/tfjs-node-gpu`, or use device = auto");
    }
  }
  if (device === "cpu") {
    await tf.setBackend("cpu");
    return "cpu (tfjs JavaScript kernels)";
  }
  if (!wasmReady) {
    // The .wasm binaries sit beside the package's entry point; tell the loader where, so it
    // works the same from the sources and from dist/.
    setWasmPaths(`${path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}${path.sep}`);
    wasmReady = true;
  }
  if (!(await tf.setBackend("wasm"))) throw new DeviceError("the tfjs wasm backend failed to start");
  return "wasm (tfjs WebAssembly kernels, one thread)";
}

async function importable(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return true;
  } catch {
    return false;
  }
}
