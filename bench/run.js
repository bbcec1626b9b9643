#!/usr/bin/env node
'use strict';
// `npm run bench -- <name> [args]`: runs bench/<name>/run.js (or .ts through the TS loader).
// Each benchmark prints its figures, the machine, and a baseline measured in the same run.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const names = fs.readdirSync(__dirname).filter((d) => d !== 'lib' && !d.startsWith('.') && fs.statSync(path.join(__dirname, d)).isDirectory());
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.log(`usage: npm run bench -- <${names.join('|')}> [args]`);
  process.exit(name ? 64 : 0);
}
const js = path.join(__dirname, name, 'run.js');
const ts = path.join(__dirname, name, 'run.ts');
const argv = fs.existsSync(js) ? [js, ...args] : ['-r', path.join(root, 'test/support/ts-register.js'), ts, ...args];
const r = spawnSync(process.execPath, argv, { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
