#!/usr/bin/env bash
# Extension test: the libraries as an outside user gets them. Packs @ff/parallelrunner and
# @ff/fstests, installs the tarballs with npm into a fresh project under /tmp (outside the
# workspace: no workspace links), compiles with `tsc --strict` the custom supervisor of
# examples/custom-supervisor plus an entry-point check, and runs both: a non-fstests suite
# through the Runner on a custom BaseSupervisor subclass, asserting results, retries and a
# simulated crash reschedule. Exits non-zero on any failure; removes its temp dir.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/scripts/extension-test"
work=$(mktemp -d /tmp/ff-extension.XXXXXX)
trap 'rm -rf "$work"' EXIT
step() { printf 'extension-test: %s\n' "$*"; }

step "building the libraries"
(cd "$root" && pnpm exec turbo run build --filter=@ff/parallelrunner --filter=@ff/fstests \
  --output-logs=errors-only >/dev/null)

step "packing into $work/tarballs"
mkdir -p "$work/tarballs" "$work/app/src"
for pkg in parallelrunner fstests; do
  (cd "$root/packages/$pkg" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done

step "creating a fresh project in $work/app"
cp "$here/package.json" "$here/tsconfig.json" "$work/app/"
cp "$root"/examples/custom-supervisor/src/*.ts "$work/app/src/"
cp "$here/entry-points.ts" "$work/app/src/"
cd "$work/app"
# --ignore-scripts: ssh2's optional native addon would try to fetch node headers.
npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
  "$work"/tarballs/*.tgz typescript@~5.9 @types/node@^20 >/dev/null
for pkg in parallelrunner fstests; do
  if [ -L "node_modules/@ff/$pkg" ]; then
    echo "extension-test: node_modules/@ff/$pkg is a link, expected an installed tarball" >&2
    exit 1
  fi
done
if [ -e node_modules/@ff/fstests/node_modules/@ff/parallelrunner ]; then
  echo "extension-test: @ff/fstests got its own @ff/parallelrunner, not the packed one" >&2
  exit 1
fi

step "compiling with tsc --strict (skipLibCheck off: the shipped .d.ts are checked too)"
npx --no-install tsc --strict -p tsconfig.json

step "running the custom supervisor through the Runner"
node dist/verify-main.js
node dist/entry-points.js
step "ok"
