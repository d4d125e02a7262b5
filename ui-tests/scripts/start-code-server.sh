#!/usr/bin/env bash
# Starts a real VS Code (code-server 4.100.3 = VS Code 1.100.3) with the built Radlab .vsix, for the
# Playwright `vscode` project. Builds nothing: run `npm run build -w vscode-ext && npm run package -w vscode-ext`
# first. Fresh user-data and extensions dirs every run, under $RADLAB_UI_CODE_STATE (default
# /tmp/radlab-ui-code-server-PORT): the spec reads User/settings.json there.
# Usage: start-code-server.sh PORT
set -euo pipefail
PORT="${1:?usage: start-code-server.sh PORT}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VSIX="$ROOT/vscode-ext/dist/radlab.vsix"
FIXTURE="$ROOT/ui-tests/fixtures/connections.json"
BIN="${RADLAB_CODE_SERVER:-${RADLAB_CACHE:-$HOME/.cache/radlab}/code-server/node_modules/.bin/code-server}"
STATE="${RADLAB_UI_CODE_STATE:-${TMPDIR:-/tmp}/radlab-ui-code-server-$PORT}"

fail() { printf '[start-code-server] error: %s\n' "$*" >&2; exit 1; }
[ -f "$VSIX" ] || fail "$VSIX is missing: run 'npm run build -w vscode-ext && npm run package -w vscode-ext' first"
[ -x "$BIN" ] || fail "code-server not found at $BIN: run scripts/setup/code-server"

case "$STATE" in /tmp/*|"${TMPDIR:-/tmp}"/*) rm -rf "$STATE" ;; *) fail "RADLAB_UI_CODE_STATE must be under /tmp" ;; esac
USER_DATA="$STATE/user-data"
EXTENSIONS="$STATE/extensions"
WORKSPACE="$STATE/workspace"
mkdir -p "$USER_DATA/User" "$EXTENSIONS" "$WORKSPACE"

"$BIN" --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" --install-extension "$VSIX" >&2 \
  || fail "installing $VSIX failed"

# User settings: the fixture's connections without any secret (password/token), a quiet workbench.
# The local Kubernetes, when it ran (scripts/services/kubernetes writes its kubeconfig): one connection
# per context, the researcher's and the viewer's, as in the lab.
KUBECONFIG_LOCAL="${RADLAB_STATE:-$ROOT/.radlab}/kubernetes/kubeconfig"
node - "$FIXTURE" "$USER_DATA/User/settings.json" "$KUBECONFIG_LOCAL" <<'JS'
const fs = require('fs');
const [fixture, out, kubeconfig] = process.argv.slice(2);
const connections = JSON.parse(fs.readFileSync(fixture, 'utf8')).connections.map((c) => {
  const copy = structuredClone(c);
  if (copy.auth) { delete copy.auth.password; delete copy.auth.token; }
  return copy;
});
if (fs.existsSync(kubeconfig)) {
  for (const [name, context] of [['local-k8s', 'radlab-local'], ['local-k8s-viewer', 'radlab-local-viewer']])
    connections.push({ name, kind: 'kubernetes', kubeconfig, context, description: `the local control plane, context ${context}` });
}
const settings = {
  'radlab.connections': connections,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  // other services of the machine (e.g. a JupyterLab under test) must not pop up port-forward toasts
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false
};
fs.writeFileSync(out, JSON.stringify(settings, null, 2) + '\n');
JS

# Keep the developer's own connection sources out: an empty connections file, no env override.
echo '{"connections": []}' >"$STATE/connections.json"
export RADLAB_CONFIG="$STATE/connections.json"
# Harvest into Catalog… (in the extension host) writes here, with its own key: never the stack's catalog
export RADLAB_CATALOG_DIR="${RADLAB_CATALOG_DIR:-$STATE/catalog}"
export RADLAB_CATALOG_KEY_FILE="${RADLAB_CATALOG_KEY_FILE:-$STATE/catalog.key}"
unset RADLAB_CONNECTIONS
# the fixture's unset-password connection must stay unset
unset RADLAB_UI_UNSET_PASSWORD
echo "$WORKSPACE" >"$STATE/workspace.path"
# Nor the developer's ~/.config/code-server/config.yaml (it may set a password or another bind address).
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" >"$STATE/config.yaml"

exec "$BIN" --config "$STATE/config.yaml" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" "$WORKSPACE"
