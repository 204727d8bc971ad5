#!/usr/bin/env bash
# The products, materialised, run as a user runs them: through their launcher scripts. The tests run the bundles in a
# test runtime, not the products, so a product that builds but does not work (a bundle left out of it, a start level,
# a launcher script's mistake, a class path jar the build rewrote) would pass them. The build runs this in the verify
# phase; skipped with the tests. The workbench needs an X display (the README's test command runs the build under
# xvfb-run) and xdotool, to see its window and press Ctrl+Q.
#   smoke.sh [CORPUS]     CORPUS: the shared corpus (the build passes -Dweir.corpus; default: ../shared/corpus
#                         beside the project)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
weir="$here/target/products/weir.headless/linux/gtk/x86_64/weir/weir"
workbench="$here/target/products/weir.workbench/linux/gtk/x86_64/weir-workbench/weir-workbench"
corpus=${1:-$here/../../../shared/corpus}
fail() {
    echo "product smoke: $*" >&2
    exit 1
}
[ -x "$weir" ] || fail "no materialised product at $weir"
[ -d "$corpus/zeek" ] || fail "no corpus at $corpus"
out=$(mktemp -d)
pids=()   # the workbenches', while they run
group=""  # the process group of the Ctrl-C check's pipe
cleanup() {
    for running in "${pids[@]}"; do
        kill "$running" 2> /dev/null || true
    done
    [ -z "$group" ] || kill -- -"$group" 2> /dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT

# The columns of a conn.log, picked by the names of its #fields line, one record per line, sorted.
columns() {
    awk -F'\t' -v want="id.orig_h id.orig_p id.resp_h id.resp_p proto conn_state history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes" '
        /^#fields/ { n = split(want, names, " "); for (i = 2; i <= NF; i++) at[$i] = i - 1; next }
        /^#/ { next }
        { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? "\t" : "") $(at[names[i]]); print line }' "$1" | sort
}

version=$("$weir" --version) || fail "weir --version exited with $?"
[[ $version == "weir "* ]] || fail "weir --version printed '$version'"

# An installation with a bundle missing (a copy cut short): the launcher names the file, where Equinox alone would end
# with status 13 and write why only into a log file.
cp -r "$(dirname "$weir")" "$out/partial"
rm "$out/partial/plugins/"org.weir.cli_*.jar
status=0
"$out/partial/weir" version > /dev/null 2> "$out/partial.err" || status=$?
[ "$status" = 127 ] && grep -q "incomplete: missing plugins/org.weir.cli_.*\.jar; install it again" "$out/partial.err" \
    || fail "weir of an installation without org.weir.cli ended with $status: $(cat "$out/partial.err")"
rm -rf "$out/partial"

# A Zeek case: the product's conn.log has the baseline's records.
case_dir="$corpus/zeek/core.pppoe"
"$weir" analyze "$case_dir/traces/pppoe.pcap" --conn-log "$out/conn.log" -q --no-progress \
    || fail "weir analyze exited with $? on $case_dir/traces/pppoe.pcap"
diff <(columns "$case_dir/baseline/conn.log") <(columns "$out/conn.log") >&2 \
    || fail "the product's conn.log of core.pppoe differs from Zeek's baseline (above: < Zeek, > Weir)"

# weir follow, with a uid of that conn.log: the DHCPv6 solicit's data (sent to a multicast group: no reply in it).
uid=$(awk -F'\t' '!/^#/ && $4 == 546 && $6 == 547 { print $2 }' "$out/conn.log")
"$weir" follow "$uid" "$case_dir/traces/pppoe.pcap" --as hex > "$out/follow.txt" 2> "$out/follow.err" \
    || fail "weir follow $uid exited with $?: $(cat "$out/follow.err")"
grep -qx "Node 0: \[fe80::ce05:eff:fe88:0\]:546" "$out/follow.txt" && grep -q "^00000000  01 " "$out/follow.txt" \
    || fail "weir follow $uid printed: $(cat "$out/follow.txt")"

# A file name beyond ASCII under the C locale (minimal systems, containers, CI), where Java names files in ASCII.
cp "$case_dir/traces/pppoe.pcap" "$out/äpfel ü.pcap"
env -u LANG -u LANGUAGE LC_ALL=C "$weir" analyze "$out/äpfel ü.pcap" --conn-log "$out/c-locale.log" -q --no-progress \
    2> "$out/c-locale.err" || fail "weir analyze of a file name beyond ASCII, C locale: $(cat "$out/c-locale.err")"
[ "$(grep -vc '^#' "$out/c-locale.log")" = 7 ] || fail "the C locale's conn.log has not the 7 sessions"

# Another user than the installation's owner, without a home (a service or container user): Equinox cannot keep its
# cache in the installation nor in ~/.eclipse, and the launcher gives it a folder in the temporary folder. Run as
# nobody when this runs as root and nobody can reach the installation.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null \
    && setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$weir" 2> /dev/null; then
    mkdir -m 777 "$out/nobody" && cp "$case_dir/traces/pppoe.pcap" "$out/nobody/" && chmod 755 "$out"
    status=0
    (cd "$out/nobody" && env -u HOME setpriv --reuid=nobody --regid=nogroup --clear-groups "$weir" analyze \
        pppoe.pcap --conn-log conn.log -q --no-progress 2> nobody.err) || status=$?
    [ "$status" = 0 ] && [ "$(grep -vc '^#' "$out/nobody/conn.log")" = 7 ] \
        || fail "weir analyze as a user without a home ended with $status: $(cat "$out/nobody/nobody.err")"
else
    echo "product smoke: (not run as a user without a home: not root, or nobody cannot reach $weir)"
fi

# A capture cut inside a frame: a one-line error naming the file and offset, exit 2, the sessions before it written.
head -c 3000 "$case_dir/traces/pppoe.pcap" > "$out/cut.pcap"
status=0
"$weir" analyze "$out/cut.pcap" --conn-log "$out/cut.log" -q --no-progress 2> "$out/err" || status=$?
[ "$status" = 2 ] || fail "weir analyze exited with $status on a cut capture, not 2"
[ "$(wc -l < "$out/err")" = 1 ] && grep -q "cut.pcap: at byte [0-9]*: truncated" "$out/err" \
    || fail "unexpected error output on a cut capture: $(cat "$out/err")"
[ "$(grep -vc '^#' "$out/cut.log")" -gt 0 ] || fail "no sessions written before the damage"

# A conn.log piped into a reader that goes away once it has its line (| head): the end of a C tool that SIGPIPE ends,
# status 141 and nothing said, not the whole capture analysed and an error. (The capture's conn.log, 620 KiB, is
# more than a pipe holds.)
set +o pipefail
"$weir" analyze "$corpus/attacks/floods/moriakhin-malware_traffic_detector/syn_flood.pcap" -C --conn-log - \
    --no-progress 2> "$out/pipe.err" | head -n 1 > /dev/null
status=${PIPESTATUS[0]}
set -o pipefail
[ "$status" = 141 ] && ! grep -v '^weir: warning: ' "$out/pipe.err" > /dev/null \
    || fail "weir analyze into a pipe closed early ended with $status: $(cat "$out/pipe.err")"

# Standard input named as the capture while it is a terminal (a pipe forgotten): refused at once, as gzip refuses
# to read compressed data from one, instead of waiting for a capture typed in. script(1) gives weir a terminal.
status=0
timeout 30 script -qec "'$weir' analyze -" /dev/null < /dev/null > "$out/tty.out" 2>&1 || status=$?
[ "$status" = 2 ] && grep -q "standard input is a terminal, not a capture" "$out/tty.out" \
    || fail "weir analyze - on a terminal ended with $status: $(cat "$out/tty.out")"

# Ctrl-C while a pipe holds the capture open (tcpdump -w - | weir analyze - from another terminal): exit 130 within
# seconds, the sessions read so far written. Job control, so that the background job keeps SIGINT's default action
# (a job started without it ignores SIGINT); the job is its own process group, which the cleanup ends. And SIGINT's
# default action restored for weir (env --default-signal): when this script was started with SIGINT ignored (from a
# background job of a shell, by nohup), job control cannot undo that, and the JVM leaves an ignored signal ignored.
interrupt_job() { # JOB READY WHAT: Ctrl-C once READY is written and a second more has passed; sets status
    local job=$1 ready=$2 what=$3 group
    group=$(ps -o pgid= "$job" | tr -d ' ')
    for _ in $(seq 1 100); do
        [ -s "$ready" ] && break
        sleep 0.1
    done
    sleep 1 # the capture read and in the session table
    kill -INT "$job"
    for _ in $(seq 1 100); do
        kill -0 "$job" 2> /dev/null || break
        sleep 0.1
    done
    kill -0 "$job" 2> /dev/null && fail "$what did not stop within 10 s of Ctrl-C"
    kill -- -"$group" 2> /dev/null || true # the pipe's writer
    status=0
    wait "$job" || status=$?
}
set -m
{ cat "$case_dir/traces/pppoe.pcap"; sleep 60; } | env --default-signal=INT "$weir" analyze - \
    --conn-log "$out/int.log" -q --no-progress 2> "$out/int.err" &
set +m
interrupt_job $! "$out/int.log" "weir analyze"
[ "$status" = 130 ] || fail "weir analyze ended with $status after Ctrl-C, not 130: $(cat "$out/int.err")"
grep -q "interrupted" "$out/int.err" || fail "no word of the interruption: $(cat "$out/int.err")"
[ "$(grep -vc '^#' "$out/int.log")" = 7 ] && grep -q '^#close' "$out/int.log" \
    || fail "the conn.log written after Ctrl-C is not the 7 sessions read, closed: $(cat "$out/int.log")"

# The same for the CI gate: Ctrl-C lists the findings so far (the ten web sessions of wikipedia.pcap against a
# whitelist that allows nothing) and says the check is incomplete, with 130 rather than a verdict.
printf '{"date": "smoke", "whitelists": [{"name": "nothing", "endpoints": []}]}\n' > "$out/nothing.json"
set -m
{ cat "$corpus/zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"; sleep 60; } \
    | env --default-signal=INT "$weir" check --whitelist "$out/nothing.json" --local-nets 141.142.0.0/16 \
    --no-intel-defaults --progress - > "$out/check.out" 2> "$out/check.err" &
set +m
interrupt_job $! "$out/check.err" "weir check" # ready at its progress line: the analysis has begun
[ "$status" = 130 ] || fail "weir check ended with $status after Ctrl-C, not 130: $(cat "$out/check.err")"
grep -q "interrupted: the check is incomplete" "$out/check.err" \
    || fail "weir check said nothing of the interruption: $(cat "$out/check.err")"
[ "$(wc -l < "$out/check.out")" = 10 ] \
    || fail "weir check did not list the 10 findings so far after Ctrl-C: $(cat "$out/check.out" "$out/check.err")"

echo "product smoke: $version starts, reproduces core.pppoe, follows a session, reports a cut capture, stops on" \
    "Ctrl-C"

# The workbench on the same capture with a display filter (-Y): its window comes up titled with the capture; the
# Sessions view, contributed by a bundle of its own, applies the filter and keeps it in its history; Ctrl+Q (File ›
# Exit) ends it; nothing is logged as an error.
[ -n "${DISPLAY:-}" ] || fail "no X display for the workbench (run the build under xvfb-run, as the README says)"
command -v xdotool > /dev/null || fail "xdotool is needed to drive the workbench (apt-get install xdotool)"
[ -x "$workbench" ] || fail "no materialised product at $workbench"
# Its usage and version, answered without a display or a window.
env -u DISPLAY "$workbench" --help | grep -q '^usage: weir-workbench \[CAPTURE...\]' \
    || fail "weir-workbench --help did not print its usage"
env -u DISPLAY "$workbench" --version | grep -Eqx 'weir-workbench [0-9]+\.[0-9]+\.[0-9]+(\..+)?' \
    || fail "weir-workbench --version printed '$(env -u DISPLAY "$workbench" --version)'"
# Without any display: a line that says so and what to do, not a silent exit.
status=0
env -u DISPLAY -u WAYLAND_DISPLAY "$workbench" "$case_dir/traces/pppoe.pcap" > /dev/null 2> "$out/nodisplay.err" \
    || status=$?
[ "$status" = 1 ] && grep -q "no display" "$out/nodisplay.err" \
    || fail "the workbench without a display ended with $status: $(cat "$out/nodisplay.err")"
status=0
DISPLAY=:4711 "$workbench" "$case_dir/traces/pppoe.pcap" > /dev/null 2> "$out/noserver.err" || status=$?
[ "$status" = 1 ] && grep -q "no X server on DISPLAY=:4711" "$out/noserver.err" \
    || fail "the workbench on a display without a server ended with $status: $(cat "$out/noserver.err")"
# The same over TCP (a remote DISPLAY, as ssh -X sets one), which only GTK can try: the application says it.
status=0
DISPLAY=127.0.0.1:4711 "$workbench" "$case_dir/traces/pppoe.pcap" > /dev/null 2> "$out/remote.err" || status=$?
[ "$status" = 1 ] && [ "$(cat "$out/remote.err")" = "weir-workbench: cannot open DISPLAY=127.0.0.1:4711 (GTK could not\
 connect to it); is its server running, and may this user connect to it (xauth)? 'weir analyze' needs no display." ] \
    || fail "the workbench on a remote display without a server ended with $status: $(cat "$out/remote.err")"
# GTK that does not load (here an empty file in its place, in a mount namespace of the check's own, where the machine
# allows one): the library and why, not a silent status 13.
gtk=$(readlink -f /usr/lib/x86_64-linux-gnu/libgtk-3.so.0 2> /dev/null) || true # Debian's place (the product is x86-64)
if [ -f "$gtk" ] && unshare -m true 2> /dev/null; then
    status=0
    unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" "$3"' - "$gtk" "$workbench" \
        "$case_dir/traces/pppoe.pcap" > /dev/null 2> "$out/nogtk.err" || status=$?
    [ "$status" = 1 ] && grep -qx "weir-workbench: cannot load GTK 3, which the window needs\
 (.*libgtk-3\.so\.0: file too short);.*" "$out/nogtk.err" \
        || fail "the workbench without GTK ended with $status: $(cat "$out/nogtk.err")"
else
    echo "product smoke: no mount namespace here, the workbench without GTK is not tried"
fi
# A data folder it cannot write: the same, not a dialog and a stack trace.
status=0
WEIR_DATA=/dev/null/weir "$workbench" "$case_dir/traces/pppoe.pcap" > /dev/null 2> "$out/nodata.err" || status=$?
[ "$status" = 1 ] && grep -q "cannot write the workbench's folder /dev/null/weir/workbench" "$out/nodata.err" \
    || fail "the workbench with a data folder it cannot write ended with $status: $(cat "$out/nodata.err")"
data="$out/workbench-data"

# Starts a workbench on WEIR_DATA=$data with the arguments and waits for its window, titled after the capture named
# last; sets pids (appended) and window.
open_workbench() {
    local title=$1 log=$2
    shift 2
    WEIR_DATA="$data" "$workbench" "$@" > "$log" 2>&1 &
    local started=$!
    pids+=("$started")
    window=""
    for _ in $(seq 1 300); do
        window=$(xdotool search --onlyvisible --pid "$started" --name "^$title — Weir" 2> /dev/null | head -n 1) || true
        [ -n "$window" ] && return 0
        kill -0 "$started" 2> /dev/null || fail "the workbench ended before its window showed: $(cat "$log")"
        sleep 0.2
    done
    fail "no window titled '$title — Weir' within 60 s"
}

# Presses Ctrl+Q in the window of the workbench with that process and waits for it to end with 0.
quit_workbench() {
    local quitting=$1 in=$2 log=$3 status=0
    # Ctrl+Q again if the first came before the key bindings were ready (on a slow machine); the window may be gone
    # already while the workbench ends, so a press that fails is not a failure.
    for _ in 1 2 3; do
        xdotool windowfocus --sync "$in" key ctrl+q 2> /dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$quitting" 2> /dev/null || break 2
            sleep 0.2
        done
    done
    kill -0 "$quitting" 2> /dev/null && fail "the workbench did not end within 30 s of Ctrl+Q"
    wait "$quitting" || status=$?
    [ "$status" = 0 ] || fail "the workbench ended with $status: $(cat "$log")"
}

open_workbench 'pppoe\.pcap' "$out/workbench.out" -Y icmp "$case_dir/traces/pppoe.pcap"
first=${pids[0]} first_window=$window
settings=.metadata/.plugins/org.eclipse.core.runtime/.settings
for _ in $(seq 1 50); do # the Sessions view keeps the filter applied at once
    grep -qx 'filterHistory=icmp' "$data/workbench/$settings/org.weir.ui.sessions.prefs" 2> /dev/null && break
    sleep 0.2
done
grep -qx 'filterHistory=icmp' "$data/workbench/$settings/org.weir.ui.sessions.prefs" 2> /dev/null \
    || fail "the Sessions view did not apply -Y icmp (no filter history in $data/workbench/$settings)"

# A second workbench while the first runs (another capture beside it, as Wireshark opens them): its own window, in the
# folder beside the first one's, which it starts with the first one's settings, not "workspace in use".
open_workbench 'wikipedia\.pcap' "$out/second.out" "$corpus/zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"
second=${pids[1]}
grep -qx 'filterHistory=icmp' "$data/workbench-2/$settings/org.weir.ui.sessions.prefs" 2> /dev/null \
    || fail "the second workbench did not start with the first one's settings (in $data/workbench-2)"
quit_workbench "$second" "$window" "$out/second.out"
quit_workbench "$first" "$first_window" "$out/workbench.out"
pids=()
for folder in workbench workbench-2; do
    [ ! -e "$data/$folder/.metadata/.log" ] || fail "a workbench logged errors: $(cat "$data/$folder/.metadata/.log")"
done
echo "product smoke: the workbench opens a capture, its Sessions view applies -Y, a second one opens beside it," \
    "Ctrl+Q ends both"
