#!/usr/bin/env bash
# Rebuild the vendored front-end files in ../static/ from pinned npm packages.
# Needs Node.js + npm (build time only; running the Django app never does).
# Usage (from any directory):  bash frontend/build.sh
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATIC_DIR="$(cd "$FRONTEND_DIR/.." && pwd)/static"
NM="$FRONTEND_DIR/node_modules"
GOVUK_DIST="$NM/govuk-frontend/dist/govuk"

cd "$FRONTEND_DIR"

echo "==> npm ci"
# --ignore-scripts: none of our dependencies need install scripts (sass's
# optional @parcel/watcher ships prebuilt binaries and is only for --watch).
npm ci --ignore-scripts --no-audit --no-fund

pkg_version() {
  node -p "require('./node_modules/$1/package.json').version"
}

# Remove a trailing "//# sourceMappingURL=..." or "/*# sourceMappingURL=... */"
# comment: the .map files are not shipped, and Django's
# ManifestStaticFilesStorage (whitenoise) fails on a referenced missing file.
strip_source_map() {
  sed -i -E \
    -e 's@//# sourceMappingURL=[^[:space:]]*@@g' \
    -e 's@/\*# sourceMappingURL=[^*]*\*/@@g' \
    "$1"
}

GOVUK_VERSION="$(pkg_version govuk-frontend)"
PLOTLY_VERSION="$(pkg_version plotly.js-dist-min)"
SASS_VERSION="$(pkg_version sass)"

echo "==> Sass $SASS_VERSION: scss/app.scss -> static/css/app.css"
mkdir -p "$STATIC_DIR/css"
# --quiet-deps hides GOV.UK Frontend's own deprecation warnings;
# --silence-deprecation=import hides the one for our @import of it
# (GOV.UK Frontend 5 is written for @import).
"$NM/.bin/sass" \
  --style=compressed \
  --no-source-map \
  --load-path="$NM" \
  --quiet-deps \
  --silence-deprecation=import \
  "$FRONTEND_DIR/scss/app.scss" "$STATIC_DIR/css/app.css"
strip_source_map "$STATIC_DIR/css/app.css"

echo "==> GOV.UK Frontend $GOVUK_VERSION -> static/govuk/"
rm -rf "$STATIC_DIR/govuk"
mkdir -p "$STATIC_DIR/govuk"
cp "$GOVUK_DIST/govuk-frontend.min.js" "$STATIC_DIR/govuk/govuk-frontend.min.js"
strip_source_map "$STATIC_DIR/govuk/govuk-frontend.min.js"

# Assets, minus everything that is GOV.UK's own branding: fonts/ (GDS
# Transport), images/ and rebrand/ (crown favicons/icons, royal crest,
# GOV.UK Open Graph image) and manifest.json (which only lists those icons).
# In govuk-frontend 5.14 that leaves nothing, so assets/ may be empty.
cp -R "$GOVUK_DIST/assets" "$STATIC_DIR/govuk/assets"
rm -rf "$STATIC_DIR/govuk/assets/fonts" \
       "$STATIC_DIR/govuk/assets/images" \
       "$STATIC_DIR/govuk/assets/rebrand" \
       "$STATIC_DIR/govuk/assets/manifest.json"
find "$STATIC_DIR/govuk/assets" -type f \
  \( -iname '*crown*' -o -iname '*crest*' -o -iname 'govuk-*' -o -iname '*.woff*' \) -delete
echo "$GOVUK_VERSION" > "$STATIC_DIR/govuk/VERSION"

echo "==> plotly.js $PLOTLY_VERSION -> static/vendor/plotly/"
rm -rf "$STATIC_DIR/vendor/plotly"
mkdir -p "$STATIC_DIR/vendor/plotly"
cp "$NM/plotly.js-dist-min/plotly.min.js" "$STATIC_DIR/vendor/plotly/plotly.min.js"
strip_source_map "$STATIC_DIR/vendor/plotly/plotly.min.js"
echo "$PLOTLY_VERSION" > "$STATIC_DIR/vendor/plotly/VERSION"

echo "==> Checking outputs"
fail=0
for f in css/app.css govuk/govuk-frontend.min.js govuk/VERSION \
         vendor/plotly/plotly.min.js vendor/plotly/VERSION js/govuk-init.js; do
  if [[ ! -s "$STATIC_DIR/$f" ]]; then
    echo "ERROR: missing or empty static/$f" >&2
    fail=1
  fi
done
if grep -l -i -E 'sourceMappingURL' \
     "$STATIC_DIR/css/app.css" "$STATIC_DIR/govuk/govuk-frontend.min.js" \
     "$STATIC_DIR/vendor/plotly/plotly.min.js" >&2; then
  echo "ERROR: sourceMappingURL comment left in the file(s) above" >&2
  fail=1
fi
if grep -o -i -E '/assets/fonts|GDS Transport|woff' "$STATIC_DIR/css/app.css" | sort -u >&2; then
  echo "ERROR: app.css still references GOV.UK fonts (see above)" >&2
  fail=1
fi
# Every url(...) in app.css must be a data: URI or a file under static/govuk/assets/.
ASSETS_URL="/static/govuk/assets/"
nurl=0
while IFS= read -r ref; do
  nurl=$((nurl + 1))
  url="${ref#url(}"; url="${url%)}"; url="${url//\"/}"; url="${url//\'/}"
  url="${url%%[?#]*}"
  case "$url" in
    data:*) ;;
    "$ASSETS_URL"*)
      if [[ ! -f "$STATIC_DIR/govuk/assets/${url#"$ASSETS_URL"}" ]]; then
        echo "ERROR: app.css references $url, not found under static/govuk/assets/" >&2
        fail=1
      fi ;;
    *)
      echo "ERROR: app.css references $url, outside $ASSETS_URL" >&2
      fail=1 ;;
  esac
done < <(grep -o -E 'url\([^)]*\)' "$STATIC_DIR/css/app.css" || true)
if [[ $fail -ne 0 ]]; then
  echo "Build checks FAILED" >&2
  exit 1
fi
echo "OK: $nurl url() reference(s) in app.css, all resolvable; no GOV.UK fonts."
echo "Built: govuk-frontend $GOVUK_VERSION, plotly.js $PLOTLY_VERSION, sass $SASS_VERSION"
