#!/usr/bin/env node
// Built by `npm run build` (run on install by the prepare script).
import '../lib/cli/main.js';
