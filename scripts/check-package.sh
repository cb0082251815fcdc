#!/usr/bin/env bash
# The production install path without a container engine: pack dialsync as npm would publish it, install the
# tarball into an empty folder with production dependencies only, and run the installed CLI against the
# sandbox built from this repository (the sandbox is not part of the package). Proves the `files` list, the bin entry, the migrations path and the prod-only install.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check-package: $*" >&2; exit 1; }
started=$SECONDS

# sqlite3 compiles from source: node-gyp must find this Node's headers (.ci/run exports the same).
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
# The installed CLI must not see a developer's or CI's own settings.
unset OKTA_CLIENT_ORGURL OKTA_CLIENT_TOKEN DIALSYNC_DATABASE DIALSYNC_LOG_LEVEL || true

echo "== npm pack (builds dist/ through the prepare script)"
(cd "$root" && npm pack --pack-destination "$work" --loglevel=warn >"$work/pack.log" 2>&1) || fail "npm pack failed:"$'\n'"$(tail -40 "$work/pack.log")"
tarball="$(ls "$work"/dialsync-*.tgz)"
echo "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) kB)"

# Only the runtime ships: dist, migrations, the example config, the README (npm adds package.json, LICENSE).
entries="$(tar -tzf "$tarball")"
unexpected="$(grep -Ev '^package/(dist/|migrations/|config/|README\.md$|package\.json$|LICEN[CS]E)' <<<"$entries" || true)"
[ -z "$unexpected" ] || fail "the tarball holds files it should not ship:"$'\n'"$unexpected"
for wanted in package/dist/cli/main.js package/config/dialsync.example.yaml package/README.md; do
  grep -qx "$wanted" <<<"$entries" || fail "the tarball lacks $wanted"
done
grep -q '^package/migrations/.*\.js$' <<<"$entries" || fail "the tarball holds no migration"
# Only the product: the sandbox, the benchmark and the demo stay in the repository.
tools="$(grep -E '^package/dist/(sandbox|bench|demo)/' <<<"$entries" || true)"
[ -z "$tools" ] || fail "the tarball holds the sandbox, benchmark or demo:"$'\n'"$tools"
# A compiled file whose source is gone would ship dead code: dist/ must be a fresh build.
while read -r js; do
  source="${js#package/dist/}"
  [ -f "$root/src/${source%.js}.ts" ] || fail "$js has no source in src/ (stale build output: rebuild dist/)"
done < <(grep '^package/dist/.*\.js$' <<<"$entries")

echo "== npm install --omit=dev into an empty folder"
app="$work/app"
mkdir -p "$app"
install_started=$SECONDS
(cd "$app" && npm install --omit=dev --no-audit --no-fund --loglevel=warn "$tarball" >"$work/install.log" 2>&1) ||
  fail "npm install of the tarball failed:"$'\n'"$(tail -40 "$work/install.log")"
echo "installed in $((SECONDS - install_started)) s"
for dev in typescript vitest eslint msw; do
  [ ! -e "$app/node_modules/$dev" ] || fail "the production install holds the dev dependency $dev"
done
[ ! -e "$app/node_modules/dialsync/src" ] || fail "the installed package holds src/"

echo "== dialsync --help from the installed package"
help="$(cd "$app" && node_modules/.bin/dialsync --help)"
for command in reconcile status explain; do
  grep -q "^  $command" <<<"$help" || fail "dialsync --help does not list $command:"$'\n'"$help"
done

echo "== the installed package against the sandbox (built from the repository by npm pack's prepare)"
[ -f "$root/build/sandbox/main.js" ] || fail "no sandbox build at build/sandbox/main.js (npm run build:tools)"
(cd "$app" && exec node "$root/build/sandbox/main.js" >"$work/sandbox.out" 2>"$work/sandbox.err") &
sandbox_pid=$!
for _ in $(seq 1 100); do
  grep -q '^# Ctrl-C' "$work/sandbox.out" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || fail "the sandbox exited: $(cat "$work/sandbox.err")"
  sleep 0.1
done
grep -q '^# Ctrl-C' "$work/sandbox.out" || fail "the sandbox printed no environment"
# The sandbox prints `export NAME='value'` lines (values without quotes of their own): read them as data.
while IFS= read -r line; do
  [[ "$line" =~ ^export\ ([A-Z_]+)=\'([^\']*)\'$ ]] || continue
  export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
done <"$work/sandbox.out"
[ -n "${OKTA_ORG_URL:-}" ] && [ -n "${DIALPAD_API_KEY:-}" ] || fail "could not read the sandbox environment"
export DIALSYNC_DATABASE="$work/data/dialsync.sqlite"

status=0
(cd "$app" && node_modules/.bin/dialsync reconcile --apply --json >"$work/reconcile.json" 2>"$work/reconcile.err") || status=$?
[ "$status" -eq 0 ] || fail "dialsync reconcile --apply exited $status: $(cat "$work/reconcile.err")"
node -e '
  const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const done = report.result.actions.filter((a) => a.outcome === "done").length;
  if (done === 0) { console.error("check-package: the sandbox reconcile applied nothing"); process.exit(1); }
  console.log(`reconcile --apply: ${done} action(s) done, ${report.plan.skipped.length} user(s) skipped`);
' "$work/reconcile.json"
(cd "$app" && node_modules/.bin/dialsync status >/dev/null) || fail "dialsync status failed after the reconcile"

kill "$sandbox_pid"
wait "$sandbox_pid" 2>/dev/null || true
sandbox_pid=""
echo "== package check passed in $((SECONDS - started)) s"
