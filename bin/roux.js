#!/usr/bin/env node
// The installed entry point: `npm run build` (run by `npm ci`) compiles the CLI to dist/ and bundles
// it into dist/bundle/, which starts faster than dist/'s hundred modules (docs/architecture.md
// "Start-up").
import { main } from "../dist/bundle/roux.js";

process.exitCode = await main(process.argv.slice(2));
