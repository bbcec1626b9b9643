// Jest's global setup runs outside its module system, so moduleNameMapper does not apply there:
// this maps `@fairshare/<lib>` to the lib's source the same way (jest still transpiles the .ts).
import Module = require('node:module');
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = mod._resolveFilename;
mod._resolveFilename = function (request: string, ...rest: unknown[]) {
  const m = /^@fairshare\/([a-z-]+)$/.exec(request);
  return original.call(this, m ? join(root, 'libs', m[1], 'src', 'index.ts') : request, ...rest);
};
