#!/usr/bin/env node
// Thin entry: everything lives in lib/ (compiled to dist/ by `npm ci` / `npm run build`).
import { main } from '../dist/lib/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
