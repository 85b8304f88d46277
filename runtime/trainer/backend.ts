/**
 * Which tfjs backend trains (`run.device`): `cpu` is tfjs's plain JavaScript kernels, `wasm`
 * its WebAssembly ones (several times faster on a CPU), `gpu` needs
 * @tensorflow/tfjs-node-gpu, and `auto` takes tfjs-node-gpu or tfjs-node when the user has
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

export interface Backend {
  /** tfjs's name for it: `cpu`, `wasm` or `tensorflow`. */
  readonly name: string;
  /** For the run's log: what it is, and for `auto` what was not available. */
  readonly description: string;
  /**
   * Which kernels compute, as the stage cache keys on them (runtime/stage-cache/stage-key.ts):
   * `cpu`, `wasm`, or the tfjs-node package; their floats differ.
   */
  readonly kernels: string;
}

export class DeviceError extends Error {}

const GPU_PACKAGE = "@tensorflow/tfjs-node-gpu";
const NODE_PACKAGE = "@tensorflow/tfjs-node";
const INSTALL_GPU = `install it with \`npm install ${GPU_PACKAGE}\` (it needs CUDA and downloads libtensorflow), or set device = auto`;

const require = createRequire(import.meta.url);
let wasmReady = false;

/** Sets the tfjs backend for `device`; every engine in the process shares it. */
export async function selectBackend(device: Device): Promise<Backend> {
  // Production mode: no per-op debug checks, and no console banners on a user's terminal.
  tf.enableProdMode();
  if (device === "gpu") {
    const loaded = await loadNative(GPU_PACKAGE);
    if (loaded !== true) {
      throw new DeviceError(
        loaded === "absent"
          ? `run.device = gpu needs ${GPU_PACKAGE}, which is not installed: ${INSTALL_GPU}`
          : `run.device = gpu: ${GPU_PACKAGE} is installed but failed to load (${loaded}); ${INSTALL_GPU}`,
      );
    }
    return { name: "tensorflow", description: `tensorflow (${GPU_PACKAGE})`, kernels: GPU_PACKAGE };
  }
  if (device === "auto") {
    const skipped: string[] = [];
    for (const pkg of [GPU_PACKAGE, NODE_PACKAGE]) {
      const loaded = await loadNative(pkg);
      if (loaded === true) return { name: "tensorflow", description: `tensorflow (${pkg})`, kernels: pkg };
      // Absent is the normal case; a broken install is worth a word in the log, never a failure.
      if (loaded !== "absent") skipped.push(`${pkg} failed to load: ${loaded}`);
    }
    const wasm = await useWasm();
    return skipped.length > 0 ? { ...wasm, description: `${wasm.description}; ${skipped.join("; ")}` } : wasm;
  }
  if (device === "cpu") {
    if (!(await tf.setBackend("cpu"))) throw new DeviceError("the tfjs cpu backend failed to start");
    return { name: "cpu", description: "cpu (tfjs JavaScript kernels)", kernels: "cpu" };
  }
  return useWasm();
}

async function useWasm(): Promise<Backend> {
  if (!wasmReady) {
    // Under Node the loader looks for the .wasm binaries in the working directory; they sit
    // beside the package's Node entry point (dist/), found through Node's own resolution from
    // this file, so it works from the sources, from Roux's dist/ and from any cwd.
    setWasmPaths(`${path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}${path.sep}`);
    wasmReady = true;
  }
  if (!(await tf.setBackend("wasm"))) throw new DeviceError("the tfjs wasm backend failed to start");
  return { name: "wasm", description: "wasm (tfjs WebAssembly kernels, one thread)", kernels: "wasm" };
}

/**
 * Imports a tfjs-node package (it registers the `tensorflow` backend into the shared tfjs
 * engine) and selects it: true, "absent" when the package is not installed, or why it failed.
 */
async function loadNative(pkg: string): Promise<true | "absent" | string> {
  try {
    // Resolving first tells "not installed" from "installed but broken" the same way under
    // every loader (vitest's and Node's errors for a failed import differ).
    require.resolve(pkg);
  } catch {
    return "absent";
  }
  try {
    await import(pkg);
  } catch (error) {
    return firstLine(error);
  }
  try {
    if (await tf.setBackend("tensorflow")) return true;
    return "its tensorflow backend did not register with this @tensorflow/tfjs (versions differ?)";
  } catch (error) {
    return firstLine(error);
  }
}

/** The first line of an error's message: a native module's load error can run to a page. */
function firstLine(error: unknown): string {
  const [line = ""] = String((error as Error).message ?? error).split("\n");
  return line;
}
