#!/usr/bin/env bash
# Starts a real JupyterLab (the repo's .venv) with the Radlab lab and server extensions, for the Playwright
# `jupyterlab` project (Galata). Builds nothing: `npm run build -w jupyterlab-ext` and
# `jupyter labextension develop --overwrite jupyterlab-ext` (scripts/setup/deps does both) come first.
#
# Isolated from the developer's own setup: a fresh JUPYTER_CONFIG_DIR / JUPYTER_DATA_DIR / runtime dir,
# workspaces and notebook root under $RADLAB_UI_LAB_STATE (default /tmp/radlab-ui-lab-PORT). The
# extensions are still found, from the venv's sys-prefix (share/jupyter/labextensions,
# etc/jupyter/jupyter_server_config.d). Connections come from ui-tests/fixtures/connections.json only,
# read from a mode-600 copy (git keeps the fixture 644, and Radlab rightly warns about a connections
# file with secrets that others can read: the warning would sit in every screenshot).
# XSRF checks stay on (the lab extension must send X-XSRFToken); token and password are off.
# Usage: start-jupyterlab.sh PORT
set -euo pipefail
PORT="${1:?usage: start-jupyterlab.sh PORT}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${RADLAB_VENV:-$ROOT/.venv}"
JUPYTER="$VENV/bin/jupyter"
FIXTURE="$ROOT/ui-tests/fixtures/connections.json"
STATE="${RADLAB_UI_LAB_STATE:-${TMPDIR:-/tmp}/radlab-ui-lab-$PORT}"

fail() { printf '[start-jupyterlab] error: %s\n' "$*" >&2; exit 1; }
[ -x "$JUPYTER" ] || fail "$JUPYTER not found: run scripts/setup/deps"
[ -f "$FIXTURE" ] || fail "$FIXTURE is missing"

case "$STATE" in /tmp/*|"${TMPDIR:-/tmp}"/*) rm -rf "$STATE" ;; *) fail "RADLAB_UI_LAB_STATE must be under /tmp" ;; esac
mkdir -p "$STATE/config" "$STATE/data" "$STATE/runtime" "$STATE/workspaces" "$STATE/root"

export JUPYTER_CONFIG_DIR="$STATE/config"
export JUPYTER_DATA_DIR="$STATE/data"
export JUPYTER_RUNTIME_DIR="$STATE/runtime"
export JUPYTERLAB_SETTINGS_DIR="$STATE/config/lab/user-settings"
export JUPYTERLAB_WORKSPACES_DIR="$STATE/workspaces"
install -m 600 "$FIXTURE" "$STATE/connections.json"
# The local Kubernetes (scripts/services/kubernetes writes its kubeconfig when it starts): one
# connection per context, as a Rancher user has them (researcher and viewer). Absent when it never ran.
KUBECONFIG_LOCAL="${RADLAB_STATE:-$ROOT/.radlab}/kubernetes/kubeconfig"
if [ -f "$KUBECONFIG_LOCAL" ]; then
  "$VENV/bin/python" - "$STATE/connections.json" "$KUBECONFIG_LOCAL" <<'PY'
import json, sys
path, kubeconfig = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
for name, context in (("local-k8s", "radlab-local"), ("local-k8s-viewer", "radlab-local-viewer")):
    doc["connections"].append({"name": name, "kind": "kubernetes", "kubeconfig": kubeconfig,
                               "context": context, "description": f"the local control plane, context {context}"})
json.dump(doc, open(path, "w"), indent=2)
PY
fi
export RADLAB_CONFIG="$STATE/connections.json"
# Harvest into Catalog… (radlab/server/catalog.py) writes here, with its own key: never the stack's catalog
export RADLAB_CATALOG_DIR="${RADLAB_CATALOG_DIR:-$STATE/catalog}"
export RADLAB_CATALOG_KEY_FILE="${RADLAB_CATALOG_KEY_FILE:-$STATE/catalog.key}"
unset RADLAB_CONNECTIONS
# the fixture's unset-password connection must stay unset
unset RADLAB_UI_UNSET_PASSWORD

# Fail fast (with a reason) rather than let Playwright wait for a lab without Radlab in it.
# (output captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail)
LABEXTENSIONS="$("$JUPYTER" labextension list 2>&1 || true)"
SERVEREXTENSIONS="$("$JUPYTER" server extension list 2>&1 || true)"
grep -q '@radlab/jupyterlab-ext.*enabled.*OK' <<<"$LABEXTENSIONS" \
  || fail "the @radlab/jupyterlab-ext lab extension is not installed in $VENV: run 'npm run build -w jupyterlab-ext && $JUPYTER labextension develop --overwrite jupyterlab-ext'"
grep -q 'radlab.*enabled' <<<"$SERVEREXTENSIONS" \
  || fail "the radlab server extension is not enabled in $VENV: run '$VENV/bin/pip install -e jupyterlab-ext && $JUPYTER server extension enable --sys-prefix radlab'"

# Galata's in-page helpers (window.galata) ship with JupyterLab as a lab extension of their own.
GALATA_EXT="$("$VENV/bin/python" -c 'import pathlib, jupyterlab; print(pathlib.Path(jupyterlab.__file__).parent / "galata")')"

EXTRA=()
[ "$(id -u)" -ne 0 ] || EXTRA+=(--allow-root)  # CI containers run as root

exec "$JUPYTER" lab "${EXTRA[@]}" \
  --ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" --ServerApp.port_retries=0 --no-browser \
  --ServerApp.token='' --ServerApp.password='' --ServerApp.disable_check_xsrf=False \
  --ServerApp.root_dir="$STATE/root" \
  --LabServerApp.extra_labextensions_path="$GALATA_EXT" \
  --LabApp.expose_app_in_browser=True \
  --LabApp.workspaces_dir="$STATE/workspaces"
