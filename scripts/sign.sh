#!/usr/bin/env bash
# `npm run sign`: a private signature for the built plugin (dist/MANIFEST.txt), with Grafana's signing tool.
#   GRAFANA_ACCESS_POLICY_TOKEN  Grafana Cloud access-policy token with the plugins:write scope (never commit it)
#   GRAFANA_ROOT_URLS            comma-separated root_url values of the Grafanas that will load it,
#                                e.g. https://grafana.example.com/,https://grafana-staging.example.com/
# Extra arguments go to the tool (e.g. --distDir). Needs network (grafana.com signs the manifest).
# Sign after `npm run build` and before `npm run package`; any later change to dist/ voids the signature.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${GRAFANA_ACCESS_POLICY_TOKEN:?set GRAFANA_ACCESS_POLICY_TOKEN to a Grafana Cloud access-policy token (plugins:write)}"
: "${GRAFANA_ROOT_URLS:?set GRAFANA_ROOT_URLS to the root URL(s) of your Grafana, comma-separated}"
if [[ ! -f dist/plugin.json ]]; then
  echo "dist/ has no plugin.json: run npm run build first" >&2
  exit 1
fi

# The token is read by the tool from the environment; it is never put on the command line.
export GRAFANA_ACCESS_POLICY_TOKEN
# The tool prints a failure and still exits 0, so success is the new manifest being there.
rm -f dist/MANIFEST.txt
npx --yes @grafana/sign-plugin@3.3.3 --signatureType private --rootUrls "$GRAFANA_ROOT_URLS" "$@"
if [[ ! -s dist/MANIFEST.txt ]]; then
  echo "signing failed: no dist/MANIFEST.txt (see the tool's message above: token, scope, network or root URLs)" >&2
  exit 1
fi
echo "signed: dist/MANIFEST.txt (private, root URLs $GRAFANA_ROOT_URLS)"
