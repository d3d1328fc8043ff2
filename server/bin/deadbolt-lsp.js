#!/usr/bin/env node
// The `deadbolt-lsp` language server: a thin launcher so the bin exists before the first build.
import '../dist/src/lsp/main.js';
