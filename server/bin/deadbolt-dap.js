#!/usr/bin/env node
// The `deadbolt-dap` debug adapter: a thin launcher so the bin exists before the first build.
import '../dist/src/dap/main.js';
