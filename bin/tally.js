#!/usr/bin/env node
'use strict';
// The CLI is TypeScript compiled by `npm run build`; say so instead of a stack trace.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  console.error('tally: the CLI is not built yet; run `npm run build` first');
  process.exit(1);
}
require(entry);
