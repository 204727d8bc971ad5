#!/usr/bin/env bash
# Quick start: on a fresh Debian machine (as root, or with sudo available), installs what is missing, builds Weir with
# the Maven wrapper (tests skipped; run `xvfb-run -a ./mvnw -B verify` for them), installs the default intelligence
# databases once (`weir intel update`), generates a sample capture (a synthetic, seeded mix of TCP, UDP, DNS and ICMP
# traffic) and opens it in the workbench.
#
#   releng/run-workbench.sh [CAPTURE]     open CAPTURE instead of the sample
#
# Environment: JAVA_HOME (a JDK >= 21; otherwise one is looked for under /usr/lib/jvm), SAMPLE_PACKETS (default
# 200k), SAMPLE_FLOWS (default 20k), WEIR_BUILD=0 to reuse an existing build.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { printf 'run-workbench: %s\n' "$*" >&2; }

# --- OS packages (SWT: GTK 3; capture: libpcap; mvnw: Maven; the tests: Xvfb, xdotool, tcpdump, ps; the databases:
# npm), so that the README's test command runs next -------------------------------------------------------------
packages=(libgtk-3-0 libpcap0.8 fonts-dejavu-core maven ca-certificates xvfb xauth dbus-x11 xdotool tcpdump procps)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm only fetches the optional databases; a Node.js from elsewhere (NodeSource's bundles npm) serves as well.
command -v npm >/dev/null 2>&1 || missing+=(npm)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    install=()
    for p in "${missing[@]}"; do
        [ "$p" = npm ] && continue
        # Debian 13 renamed some libraries in the 64-bit time_t transition (libgtk-3-0t64, libpcap0.8t64).
        if ! apt-cache show "$p" >/dev/null 2>&1 && apt-cache show "${p}t64" >/dev/null 2>&1; then
            dpkg-query -W -f='${Status}' "${p}t64" 2>/dev/null | grep -q "install ok installed" && continue
            p="${p}t64"
        fi
        install+=("$p")
    done
    if [ ${#install[@]} -gt 0 ]; then
        say "installing: ${install[*]}"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${install[@]}" >/dev/null
    fi
    if [[ " ${missing[*]} " == *" npm "* ]]; then
        say "installing: npm (for the optional default databases)"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null 2>&1 \
            || say "npm could not be installed; Weir runs without the default databases ('weir intel update' later)"
    fi
fi

# --- JDK >= 21 ------------------------------------------------------------------------------------------------------
java_major() { "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p'; }
java_ok() { [ -x "$1" ] && m=$(java_major "$1") && [ -n "$m" ] && [ "$m" -ge 21 ]; }
jdk=""
for candidate in ${JAVA_HOME:-} $(ls -d /usr/lib/jvm/temurin-* 2>/dev/null | sort -r -V) \
        $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -r -V); do
    if java_ok "$candidate/bin/java"; then jdk=$candidate; break; fi
done
if [ -z "$jdk" ]; then
    for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
        if apt-cache show "$pkg" >/dev/null 2>&1; then
            sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
            jdk=$(ls -d /usr/lib/jvm/java-*-openjdk-* 2>/dev/null | sort -r -V | head -n 1)
            break
        fi
    done
fi
if [ -z "$jdk" ] || ! java_ok "$jdk/bin/java"; then
    say "a JDK 21 or newer is needed, and neither this machine nor its package lists have one (Debian 12 ships"
    say "JDK 17 only; Debian 13 has 21 and 25): install one, e.g. Eclipse Temurin 21 or 25 from Adoptium's apt"
    say "repository (adoptium.net, 'Linux (RPM/DEB/APK) installer packages'), then run this again or set JAVA_HOME"
    exit 1
fi
export JAVA_HOME=$jdk

# --- build ----------------------------------------------------------------------------------------------------------
product="$root/releng/org.weir.products/target/products/weir.workbench/linux/gtk/x86_64/weir-workbench"
if [ "${WEIR_BUILD:-1}" != 0 ] || [ ! -x "$product/weir-workbench" ]; then
    say "building (tests skipped) ..."
    ./mvnw -B -q verify -DskipTests
fi

# --- default intelligence data, once: DB-IP City Lite and ip-location-db's AS tables (CC BY 4.0) ------------------
headless="$root/releng/org.weir.products/target/products/weir.headless/linux/gtk/x86_64/weir/weir"
if ! "$headless" intel status 2>/dev/null | grep -q "@ip-location-db"; then
    say "installing the default intelligence databases (weir intel update)"
    "$headless" intel update >&2 || say "the default databases could not be installed now; run 'weir intel update' later"
fi

# --- capture --------------------------------------------------------------------------------------------------------
if [ $# -gt 0 ]; then
    capture=$1
else
    capture="$root/releng/org.weir.benchmark/target/sample.pcap"
    if [ ! -s "$capture" ]; then
        cp=""
        for j in "$root"/bundles/org.weir.core/target/org.weir.core-*.jar "$root"/bundles/org.weir.packet/target/org.weir.packet-*.jar \
                "$root"/releng/org.weir.benchmark/target/org.weir.benchmark-*.jar; do
            case "$j" in *-sources.jar) continue ;; esac
            [ -f "$j" ] && cp="$cp${cp:+:}$j"
        done
        say "generating a sample capture: $capture"
        "$JAVA_HOME/bin/java" -cp "$cp" org.weir.benchmark.TrafficGenerator --packets "${SAMPLE_PACKETS:-200k}" \
            --flows "${SAMPLE_FLOWS:-20k}" --seed 1 --duration 60 "$capture" >/dev/null
    fi
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    say "no display (DISPLAY is not set): the workbench needs one. The capture is $capture;"
    say "the headless command works without: ${product%/weir.workbench/*}/weir.headless/linux/gtk/x86_64/weir/weir analyze $capture"
    exit 1
fi
exec "$product/weir-workbench" "$capture"
