#!/usr/bin/env bash
# The WebSocket test page's MQTT client is MQTT.js, the browser bundle its npm package ships (dist/mqtt.esm.js), kept
# built in dashboard/src/main/resources/io/jemq/dashboard/www/vendor so that building or running jemq needs no npm.
#   dashboard/mqttjs.sh update   fetch mqtt@VERSION with npm and replace the vendored file, its licence and checksum
#   dashboard/mqttjs.sh check    fetch it again and fail when the vendored file differs from what npm serves
# run-tests.sh runs `check`; when npm cannot reach its registry, check says so and passes (the file's checksum is
# still tested by VendoredMqttJsTest).
set -euo pipefail
VERSION=5.16.0
SELF=$(readlink -f "${BASH_SOURCE[0]}")
cd "$(dirname "$SELF")"
VENDOR=src/main/resources/io/jemq/dashboard/www/vendor

usage() {
    sed -n '2,7p' "$SELF" | sed 's/^# \{0,1\}//'
}

fetch() {
    local work=$1
    (cd "$work" && npm pack --silent "mqtt@$VERSION" >/dev/null 2>"$work/npm.log") || return 1
    tar -xzf "$work/mqtt-$VERSION.tgz" -C "$work" package/dist/mqtt.esm.js package/LICENSE.md
}

case "${1:-}" in
    update|check) ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! fetch "$work"; then
    echo "mqttjs: npm could not fetch mqtt@$VERSION ($(tail -n 1 "$work/npm.log" 2>/dev/null)); vendored file not compared" >&2
    [ "$1" = check ] && exit 0
    exit 1
fi
if [ "$1" = update ]; then
    mkdir -p "$VENDOR"
    cp "$work/package/dist/mqtt.esm.js" "$VENDOR/mqtt.esm.js"
    cp "$work/package/LICENSE.md" "$VENDOR/LICENSE-mqtt.md"
    (cd "$VENDOR" && sha256sum mqtt.esm.js >mqtt.esm.js.sha256 && echo "$VERSION" >mqtt.version)
    echo "mqttjs: vendored mqtt@$VERSION"
elif cmp -s "$work/package/dist/mqtt.esm.js" "$VENDOR/mqtt.esm.js"; then
    echo "mqttjs: vendored mqtt.esm.js is npm's mqtt@$VERSION"
else
    echo "mqttjs: vendored mqtt.esm.js differs from npm's mqtt@$VERSION: run dashboard/mqttjs.sh update" >&2
    exit 1
fi
