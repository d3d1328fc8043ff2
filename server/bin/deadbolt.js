#!/usr/bin/env node
// The `deadbolt` command: a thin launcher so the bin exists before the first build.
import '../dist/src/cli/main.js';
