#!/bin/sh
# Chooses the Fairshare process to run in the container (see docker/Dockerfile).
set -eu
cmd="${1:-api}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
  api)             exec node dist/apps/api/src/main.js "$@" ;;
  worker)          exec node dist/apps/worker/src/main.js "$@" ;;
  cli)             exec node dist/apps/cli/src/main.js "$@" ;;
  # migrations, then the first admin (from ADMIN_EMAIL / ADMIN_PASSWORD, when none exists yet)
  setup)           node dist/apps/cli/src/main.js migrate
                   exec node dist/apps/cli/src/main.js admin:ensure ;;
  stripe-emulator) exec node dist/libs/stripe/src/emulator/main.js "$@" ;;
  -h|--help|help)  echo "usage: fairshare api | worker | setup | cli <command> | stripe-emulator <args> | <any command>"; exit 0 ;;
  *)               exec "$cmd" "$@" ;;
esac
