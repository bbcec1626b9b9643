'use strict';
// Preloaded (`node -r`) into a process under `--cpu-prof`: SIGUSR2 ends it through process.exit,
// so that V8 writes the CPU profile (a process ended by a signal writes none).
process.on('SIGUSR2', () => process.exit(0));
