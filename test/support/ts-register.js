// Lets a child `node` process run the TypeScript sources directly (chaos tests spawn the real
// worker as its own OS process to kill -9 it): transpiles .ts with @swc/core (already used by
// jest) and maps `@fairshare/<lib>` to libs/<lib>/src/index.ts, like tsconfig paths.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.join(__dirname, '..', '..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@fairshare\/([a-z-]+)$/.exec(request);
  return resolve.call(this, m ? path.join(root, 'libs', m[1], 'src', 'index.ts') : request, ...rest);
};
require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
