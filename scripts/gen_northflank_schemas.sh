#!/usr/bin/env bash
# Regenerate the JSON Schemas of the Northflank API request bodies the deploy CLI sends, from the
# TypeScript types of the official @northflank/js-client. The fake Northflank API in
# packages/tandem/tests/infra validates every request against them. Also writes VercelConfig.json
# (vercel.json's schema, from the `VercelConfig` type of @vercel/config) for the config tests.
# Usage: scripts/gen_northflank_schemas.sh   (needs node + npm; writes into OUT below)
set -euo pipefail

JS_CLIENT_VERSION="0.9.5"
GENERATOR_VERSION="2.4.0"
VERCEL_CONFIG_VERSION="0.7.2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/packages/tandem/tests/infra/schemas"
TYPES=(
  CreateProjectData PutProjectData
  CreateAddonData PutAddonData
  CreateSecretData PutSecretData UpdateSecretlinkData
  CreateServiceCombinedData PutServiceCombinedData
  StartServiceBuildData
)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init --yes >/dev/null
npm install --yes --no-audit --no-fund --silent \
  "@northflank/js-client@$JS_CLIENT_VERSION" "@vercel/config@$VERCEL_CONFIG_VERSION" \
  "ts-json-schema-generator@$GENERATOR_VERSION" typescript
# The d.ts declares its types without `export`; the generator only sees exported ones.
sed -E 's/^(declare )?type /export type /' node_modules/@northflank/js-client/dist/esm/api-client.d.ts >nf-types.d.ts
echo '{"compilerOptions":{"strict":true,"skipLibCheck":true}}' >tsconfig.json

mkdir -p "$OUT"
for type in "${TYPES[@]}"; do
  npx --yes ts-json-schema-generator --path nf-types.d.ts --type "$type" --no-type-check \
    --expose none --tsconfig tsconfig.json -o "$OUT/$type.json"
done
npx --yes ts-json-schema-generator --path node_modules/@vercel/config/dist/types.d.ts \
  --type VercelConfig --no-type-check --expose none --tsconfig tsconfig.json -o "$OUT/VercelConfig.json"
printf '{"@northflank/js-client": "%s", "@vercel/config": "%s", "ts-json-schema-generator": "%s"}\n' \
  "$JS_CLIENT_VERSION" "$VERCEL_CONFIG_VERSION" "$GENERATOR_VERSION" >"$OUT/VERSIONS.json"
echo "wrote $((${#TYPES[@]} + 1)) schemas to $OUT"
