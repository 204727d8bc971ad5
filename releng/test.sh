#!/usr/bin/env bash
# Builds and runs only the given test bundles (and what they need), offline:
#   releng/test.sh tests/org.weir.session.tests [tests/org.weir.ui.tests ...] [-- extra Maven arguments]
# Every test runtime also contains the bundles named in the extraRequirements of tests/pom.xml, which Maven's -am
# does not follow: they are added to the reactor here. UI tests need a display: run under `xvfb-run -a`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
modules=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    modules+=("${1%/}")
    shift
done
[ "${1:-}" = "--" ] && shift
if [ ${#modules[@]} -eq 0 ]; then
    echo "usage: releng/test.sh tests/<id>.tests... [-- maven arguments]" >&2
    exit 2
fi
extras=$(sed -n 's#.*<id>\(org\.weir\.[^<]*\)</id>.*#bundles/\1#p' tests/pom.xml)
for m in "${modules[@]}"; do
    case "$m" in tests/org.weir.ui.tests) extras="$extras bundles/org.weir.ui.sessions" ;; esac
done
list=$(printf '%s\n' $extras "${modules[@]}" | awk 'NF && !seen[$0]++' | paste -sd, -)
exec ./mvnw -B -o verify -pl "$list" -am "$@"
