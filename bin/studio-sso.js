#!/usr/bin/env node
// The package's command. It runs the compiled code (npm ci / npm run build produce dist/).
import { runCli } from '../dist/cli/main.js';

await runCli(process.argv);
