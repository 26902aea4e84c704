#!/usr/bin/env bash
# Dry run of `changeset version`: copies the workspace manifests, the changesets and the
# CHANGELOGs into a temporary directory, runs `changeset version` there, and prints the release
# plan (old -> new versions and the new CHANGELOG entries). The working tree is never touched.
# Fails when the changesets or the config are invalid (e.g. an unknown or ignored package).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/ff-changeset.XXXXXX)
trap 'rm -rf "$work"' EXIT

cd "$root"
# Manifests, changesets and changelogs: everything `changeset version` reads or writes.
mapfile -t files < <(ls package.json pnpm-workspace.yaml .changeset/* \
  {packages,apps,examples}/*/package.json {packages,apps,examples}/*/CHANGELOG.md 2>/dev/null)
tar -cf - "${files[@]}" | tar -xf - -C "$work"
ln -s "$root/node_modules" "$work/node_modules"

pending=$(find "$work/.changeset" -name '*.md' ! -name README.md | wc -l)
echo "changeset-check: $pending pending changeset(s)"
before=$(cd "$work" && node -e '
  const fs = require("node:fs");
  for (const d of ["packages", "apps", "examples"])
    for (const p of fs.existsSync(d) ? fs.readdirSync(d) : []) {
      const f = `${d}/${p}/package.json`;
      if (fs.existsSync(f)) { const j = JSON.parse(fs.readFileSync(f)); console.log(`${f} ${j.name} ${j.version}`); }
    }')
(cd "$work" && "$root/node_modules/.bin/changeset" version >/dev/null)

while read -r file name old; do
  new=$(node -p "require('$work/$file').version")
  if [ "$old" != "$new" ]; then
    echo "changeset-check: $name $old -> $new"
    changelog="$work/$(dirname "$file")/CHANGELOG.md"
    if [ -f "$changelog" ]; then sed -n '1,40s/^/    /p' "$changelog"; fi
  fi
done <<<"$before"
left=$(find "$work/.changeset" -name '*.md' ! -name README.md | wc -l)
if [ "$left" -ne 0 ]; then
  echo "changeset-check: $left changeset(s) were not consumed" >&2
  exit 1
fi
echo "changeset-check: ok (dry run; nothing in $root changed)"
