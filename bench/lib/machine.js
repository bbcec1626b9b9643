'use strict';
// What every benchmark prints beside its figures: the machine they were measured on.
const os = require('node:os');
const { execSync } = require('node:child_process');

function pgVersion(url) {
  try {
    return execSync(`psql "${url}" -Atc "show server_version"`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function machine(databaseUrl) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    postgres: databaseUrl ? pgVersion(databaseUrl) : undefined,
    at: new Date().toISOString(),
  };
}

function printMachine(databaseUrl) {
  const m = machine(databaseUrl);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, ${m.os}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}`);
  return m;
}

module.exports = { machine, printMachine };
