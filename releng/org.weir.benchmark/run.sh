#!/usr/bin/env bash
# Weir benchmark: (re)generates a large synthetic capture, then measures on the same file
#   - weir analyze FILE --conn-log OUT   (the headless product, whole process: JVM start, OSGi, DS, writer)
#   - the same with every enrichment column shown, and with them unset (--no-enrichment): the enrichment's cost
#   - nfpcapd -r FILE -w DIR             (nfdump's flow export, the reference for the whole-process target)
#   - tcpdump -r FILE -w /dev/null       (read + write floor of libpcap)
#   - MemoryLatency                      (in process: the machine's dependent and independent load times)
#   - PacketPathBenchmark                (in process, one core: copy, decode, decode+sessions, read+decode+sessions)
# and prints packets/s and peak RSS for each. Installs nothing; says which tool is missing.
# Figures and how to read them: docs/PERFORMANCE.md.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

packets=8M flows=750k seed=1 duration=60 repeat=3 regenerate=0
work="$here/target/work" capture="" weir="" only="generate,weir,enrichment,nfpcapd,tcpdump,inprocess"
warmup=3 passes=5 slice_mb="" floor="" smoke=0

usage() {
    cat <<'EOF'
usage: run.sh [options]
  --packets N        packets in the synthetic capture (k/M suffixes; default 8M)
  --flows F          flows in it (default 750k)
  --seed S           generator seed (default 1)
  --duration SEC     capture duration (default 60)
  --capture FILE     measure this capture instead of generating one
  --regenerate       write the synthetic capture again even if it exists
  --repeat N         runs of each external command, in rounds (all commands once, then again); the median
                     wall time is reported (default 3)
  --passes N         measured passes of each in-process stage (default 5, after --warmup 3)
  --warmup N
  --slice-mb MB      in-process stages: load only the first MB of the capture (default: all, if memory allows)
  --floor            in-process: also decode+floor, the decoder with FloorTable (the least any session table
                     could cost on this machine and capture: a yardstick for the decode+sessions row)
  --only LIST        comma-separated subset of: generate,weir,enrichment,nfpcapd,tcpdump,inprocess
                     (enrichment: weir analyze with --conn-columns geo,names,intel --no-detectors, and the same
                     with --no-enrichment; the data folder's databases decide what it looks up, see weir intel)
  --weir PATH        the weir launcher (default: the materialised headless product of this tree);
                     WEIR_VMARGS passes JVM options to it
  --work DIR         work folder for the capture and outputs (default: target/work beside this script)
  --smoke            a check, not a measurement (the build runs it): every in-process stage, one pass, on a
                     small capture of its own in --work/smoke; exit 1 if one fails. No figures, no targets
Environment: JAVA_HOME (a JDK 21+; else the newest such under /usr/lib/jvm) for the generator and the in-process
stages; BENCH_JAVA_OPTS: extra JVM options of the in-process stages (e.g. -XX:StartFlightRecording:filename=pp.jfr,settings=profile).
Build first (from the repository root): ./mvnw -o -B verify -DskipTests
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --packets) packets=$2; shift 2 ;;
        --flows) flows=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --capture) capture=$2; shift 2 ;;
        --regenerate) regenerate=1; shift ;;
        --repeat) repeat=$2; shift 2 ;;
        --passes) passes=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --slice-mb) slice_mb=$2; shift 2 ;;
        --floor) floor=--floor; shift ;;
        --only) only=$2; shift 2 ;;
        --weir) weir=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --smoke) smoke=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$smoke" = 1 ]; then
    packets=20000 flows=2000 only=generate,inprocess warmup=0 passes=1 floor=--floor work="$work/smoke"
fi

wants() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
say() { printf '%s\n' "$*" >&2; }

mkdir -p "$work" || exit 1
work=$(cd "$work" && pwd)
results="$work/results.tsv"
: > "$results"

# ---- tools -------------------------------------------------------------------------------------------------------
# A JDK 21+: $JAVA_HOME, else the newest under /usr/lib/jvm, else java on the PATH (the bundles need 21).
jdk21() {
    major=$("$1" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
    [ -n "$major" ] && [ "$major" -ge 21 ]
}
java=""
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -r -V) \
        "$(command -v java 2>/dev/null)"; do
    if [ -x "$candidate" ] && jdk21 "$candidate"; then
        java=$candidate; break
    fi
done
if [ -z "$java" ]; then
    say "missing: a JDK 21 or newer (set JAVA_HOME to one)"; exit 1
fi
missing=()
timer=/usr/bin/time
[ -x "$timer" ] || { missing+=("time"); timer=""; }
command -v tcpdump >/dev/null 2>&1 || missing+=("tcpdump")
command -v nfpcapd >/dev/null 2>&1 || missing+=("nfdump")
if [ ${#missing[@]} -gt 0 ]; then
    say "missing tools: ${missing[*]} — install with: apt-get install ${missing[*]}"
    say "(the rows that need them are skipped)"
fi

cp=""
for j in "$root"/bundles/*/target/*.jar "$here"/target/*.jar; do
    case "$j" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
    [ -f "$j" ] && cp="$cp${cp:+:}$j"
done
if ! ls "$here"/target/org.weir.benchmark-*.jar >/dev/null 2>&1; then
    say "the benchmark bundle is not built: run ./mvnw -o -B verify -DskipTests in $root first"; exit 1
fi

if [ -z "$weir" ]; then
    for w in "$root"/releng/*/target/products/*/linux/gtk/*/weir/weir; do
        [ -x "$w" ] && weir=$w && break
    done
fi

# ---- capture -----------------------------------------------------------------------------------------------------
if [ -z "$capture" ]; then
    capture="$work/synthetic-$packets-$flows-s$seed-d$duration.pcap"
    if [ ! -s "$capture" ] || [ ! -s "$capture.txt" ] || [ "$regenerate" = 1 ]; then
        if ! wants generate && [ ! -s "$capture" ]; then say "no capture $capture and 'generate' not selected"; exit 1; fi
        say "generating $capture ..."
        "$java" -cp "$cp" org.weir.benchmark.TrafficGenerator --packets "$packets" --flows "$flows" --seed "$seed" \
            --duration "$duration" "$capture" > "$capture.txt" || { say "generator failed"; exit 1; }
    fi
    cat "$capture.txt"
    npackets=$(sed -n '1s/.*: \([0-9,]*\) packets.*/\1/p' "$capture.txt" | tr -d ,)
else
    [ -s "$capture" ] || { say "no such capture: $capture"; exit 1; }
    if command -v tcpdump >/dev/null 2>&1; then
        npackets=$(tcpdump -r "$capture" -nq 2>/dev/null | wc -l)
    else
        say "counting packets of a foreign capture needs tcpdump"; exit 1
    fi
fi
size_mb=$(( $(stat -c %s "$capture") / 1048576 ))
say "capture: $capture ($npackets packets, $size_mb MB); bringing it into the page cache"
cat "$capture" > /dev/null

# ---- external commands under /usr/bin/time -v -------------------------------------------------------------------
# Each command runs --repeat times, in rounds (weir, weir --no-detectors, nfpcapd, tcpdump, then again), so that a
# passing disturbance of a shared machine falls on all of them instead of on every run of one. Per command: the
# median wall time, the CPU time of that run and the largest peak RSS.
names=() labels=()
declare -A failed=()
# add NAME LABEL COMMAND...: a command to measure (its words kept in the array cmd_NAME, "-" as "_").
add() {
    names+=("$1"); labels+=("$2")
    local -n words="cmd_${1//-/_}"
    words=("${@:3}")
}

run_once() {
    local i=$1 name=$2 label=$3
    [ "$name" = nfpcapd ] && { rm -rf "$work/nfcapd"; mkdir -p "$work/nfcapd"; }
    local -n words="cmd_${name//-/_}"
    "$timer" -v -o "$work/$name.$i.time" "${words[@]}" > "$work/$name.$i.out" 2>&1
    local rc=$?
    if [ $rc -ne 0 ]; then
        failed[$name]=1
        say "$label failed (exit $rc); see $work/$name.$i.out"; tail -5 "$work/$name.$i.out" >&2; return
    fi
    say "  $label run $i: wall $(wall_of "$work/$name.$i.time")s, cpu $(cpu_of "$work/$name.$i.time")s, peak RSS $(rss_of "$work/$name.$i.time") MB"
    if [ "$name" = weir ] && [ "$i" = 1 ]; then sed 's/^/    /' "$work/weir.1.out" >&2; fi
}
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(k=1;k<=n;k++) s=s*60+a[k]; print s}' "$1"; }
cpu_of() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$1"; }

# summarize NAME LABEL: one line of results.tsv from the runs' time files.
summarize() {
    local name=$1 label=$2 walls=() cpus=() rss=0 i r
    for i in $(seq "$repeat"); do
        walls+=("$(wall_of "$work/$name.$i.time")")
        cpus+=("$(cpu_of "$work/$name.$i.time"):${walls[-1]}")
        r=$(rss_of "$work/$name.$i.time")
        [ "$r" -gt "$rss" ] && rss=$r
    done
    local med cpu_med best
    med=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    best=$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)
    cpu_med=$(printf '%s\n' "${cpus[@]}" | awk -F: -v m="$med" '$2==m {print $1; exit}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$med" "$cpu_med" \
        "$(awk -v n="$npackets" -v w="$med" 'BEGIN {printf "%.0f", (w > 0 ? n / w : 0)}')" \
        "$(awk -v n="$npackets" -v c="$cpu_med" 'BEGIN {printf "%.0f", (c > 0 ? n / c : 0)}')" "$rss" \
        "$(awk -v n="$npackets" -v w="$best" 'BEGIN {printf "%.0f", (w > 0 ? n / w : 0)}')" >> "$results"
}

if wants weir; then
    if [ -z "$weir" ]; then
        say "skipping weir analyze: no headless product under releng/*/target/products (build the reactor, or --weir PATH)"
    else
        say "weir analyze (whole process): $weir"
        add weir "weir analyze --conn-log (whole process)" \
            "$weir" analyze "$capture" --conn-log "$work/conn.log" --no-progress
        # The flow export alone, like nfpcapd's (when this weir has detectors, they run by default).
        if "$weir" help analyze 2>/dev/null | grep -q -- --no-detectors; then
            add weir-nodet "weir analyze --conn-log --no-detectors" \
                "$weir" analyze "$capture" --conn-log "$work/conn.log" --no-progress --no-detectors
        fi
    fi
fi
if wants enrichment && [ -z "$weir" ]; then
    say "skipping the enrichment rows: no headless product (build the reactor, or --weir PATH)"
elif wants enrichment; then
    # The enrichment's budget is measured with everything it computes shown, against the same columns unset.
    say "enrichment: $("$weir" intel status 2>&1 | tr '\n' ' ')"
    add weir-enriched "weir analyze, all enrichment shown" \
        "$weir" analyze "$capture" --conn-log "$work/conn-enriched.log" --no-progress --no-detectors \
        --conn-columns geo,names,intel
    add weir-unenriched "weir analyze, same columns, --no-enrichment" \
        "$weir" analyze "$capture" --conn-log "$work/conn-enriched.log" --no-progress --no-detectors \
        --conn-columns geo,names,intel --no-enrichment
fi
if wants nfpcapd && command -v nfpcapd >/dev/null 2>&1; then
    # nfdump 1.7.1: -r reads a pcap file, -w is the flow folder (nfcapd files). Its defaults otherwise: the flow
    # cache grows as needed (750k bidirectional flows = 1.6M nfdump flows fit; a larger -B only preallocates).
    add nfpcapd "nfpcapd -r -w (flow export)" nfpcapd -r "$capture" -w "$work/nfcapd"
fi
if wants tcpdump && command -v tcpdump >/dev/null 2>&1; then
    # As root, tcpdump hands the file it writes to its own user (Debian's: tcpdump), /dev/null included; -Z root
    # keeps it as it is.
    as_root=()
    [ "$(id -u)" -eq 0 ] && as_root=(-Z root)
    add tcpdump "tcpdump -r -w /dev/null" tcpdump "${as_root[@]}" -r "$capture" -w /dev/null
fi
if [ ${#names[@]} -gt 0 ]; then
    if [ -z "$timer" ]; then
        say "skipping ${labels[*]}: /usr/bin/time missing"
    else
        for i in $(seq "$repeat"); do
            say "round $i of $repeat"
            for k in "${!names[@]}"; do
                [ -z "${failed[${names[$k]}]:-}" ] && run_once "$i" "${names[$k]}" "${labels[$k]}"
            done
        done
        for k in "${!names[@]}"; do
            [ -z "${failed[${names[$k]}]:-}" ] && summarize "${names[$k]}" "${labels[$k]}"
        done
    fi
fi

# ---- in process ----------------------------------------------------------------------------------------------------
if wants inprocess; then
    avail_mb=$(awk '/MemAvailable/ {print int($2/1024)}' /proc/meminfo)
    if [ -z "$slice_mb" ]; then
        if [ $((size_mb + 4096)) -lt $((avail_mb / 2)) ]; then slice_mb=0; else slice_mb=$((avail_mb / 4)); fi
    fi
    load_mb=$([ "$slice_mb" = 0 ] && echo "$size_mb" || echo "$slice_mb")
    heap_mb=$((load_mb + load_mb / 16 + 3072))
    say "in-process packet path (heap ${heap_mb} MB, slice ${slice_mb:-0} MB; 0 = whole capture)"
    say "class path: $cp"
    # The collector and page size of the weir launcher (the write barrier and the TLB are part of the packet path's
    # cost), unless BENCH_JAVA_OPTS names others; the heap is touched up front, so passes measure a warm heap, not
    # page faults.
    case " ${BENCH_JAVA_OPTS:-} " in
        *" -XX:+Use"*GC" "*) gc="" ;;
        *) gc="-XX:+UseParallelGC" ;;
    esac
    thp=""
    case "$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null) ${BENCH_JAVA_OPTS:-}" in
        *TransparentHugePages*) ;;
        *"[madvise]"*) thp="-XX:+UseTransparentHugePages" ;;
    esac
    # Compact object headers on JDK 25 and later, as the launcher asks for them.
    coh=""
    if [ "$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')" -ge 25 ] 2>/dev/null; then
        case " ${BENCH_JAVA_OPTS:-} " in *ObjectHeaders*) ;; *) coh="-XX:+UseCompactObjectHeaders" ;; esac
    fi
    # The machine's memory latency first: the table's per-flow cost follows it (PERFORMANCE.md, "Machine").
    # shellcheck disable=SC2086
    "$java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch $gc $thp $coh -cp "$cp" org.weir.benchmark.MemoryLatency | tee "$work/memory.out" >&2
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of JVM options (e.g. a JFR recording)
    "$java" -Xms${heap_mb}m -Xmx${heap_mb}m -XX:+AlwaysPreTouch $gc $thp $coh ${BENCH_JAVA_OPTS:-} -cp "$cp" org.weir.benchmark.PacketPathBenchmark "$capture" \
        --warmup "$warmup" --passes "$passes" --slice-mb "$slice_mb" $floor | tee "$work/inprocess.out" >&2
    rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        failed[inprocess]=1
        say "the in-process stages failed (exit $rc); see $work/inprocess.out"
    fi
    awk '/^RESULT/ {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            printf "in-process %s (1 thread)\t-\t-\t%s\t%s\t-\t%s\n", v["stage"], v["median_pps"], v["median_cpu_pps"], v["best_pps"]
        }' "$work/inprocess.out" >> "$results"
fi

if [ "$smoke" = 1 ]; then
    if [ ${#failed[@]} -gt 0 ]; then
        say "smoke run: failed: ${!failed[*]}"
        exit 1
    fi
    say "smoke run: every in-process stage ran ($(grep -c '^RESULT' "$work/inprocess.out") results)"
    exit 0
fi

# ---- table -------------------------------------------------------------------------------------------------------
echo
echo "Weir benchmark: $(basename "$capture"), $npackets packets, $size_mb MB; $(nproc) cores; $(uname -m)"
echo "median of $repeat runs for commands, of $passes passes for in-process stages"
awk -F'\t' 'BEGIN { printf "%-44s %7s %7s %11s %11s %13s %11s\n", "measure", "wall s", "CPU s", "packets/s",
                     "best pkt/s", "packets/CPU-s", "peak RSS MB" }
    { printf "%-44s %7s %7s %11s %11s %13s %11s\n", $1, $2, $3, $4, $7, $5, $6 }' "$results"
echo "packets/s: per wall second of the median run; best pkt/s: of the fastest run; packets/CPU-s: per second of"
echo "CPU time (user + system of the process; for in-process stages, of the measuring thread alone, without GC"
echo "threads), steadier on a shared machine. Peak RSS: the largest of the runs."
if wants inprocess && [ -s "$work/memory.out" ]; then
    awk '/^RESULT stage=memory/ {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            printf "memory (%s MiB, the in-process stages'"'"' page size): %s ns per dependent load, %s ns per independent line\n",
                v["region_mb"], v["dependent_ns"], v["independent_ns"]
        }' "$work/memory.out"
fi

# ---- targets -----------------------------------------------------------------------------------------------------
awk -F'\t' '
    $1 == "weir analyze --conn-log (whole process)" { weir = $4; rss = $6 }
    $1 == "weir analyze --conn-log --no-detectors" { weirnd = $4; rssnd = $6 }
    $1 ~ /^nfpcapd/      { nf = $4 }
    $1 == "weir analyze, all enrichment shown" { en = $4 }
    $1 == "weir analyze, same columns, --no-enrichment" { unen = $4 }
    $1 == "in-process decode+sessions (1 thread)" { ds = $4; dscpu = $5 }
    END {
        print ""
        if (weir != "" && nf != "") printf "target whole-process weir >= nfpcapd:          %s (%.2fx)\n", (weir >= nf ? "met" : "MISSED"), weir / nf
        if (weirnd != "" && nf != "") printf "  the same with --no-detectors:                %s (%.2fx)\n", (weirnd >= nf ? "met" : "MISSED"), weirnd / nf
        if (ds != "")               printf "target decode+sessions >= 5 M packets/s/core:  %s (%.2f M per wall s, %.2f M per CPU s)\n", (ds >= 5e6 ? "met" : "MISSED"), ds / 1e6, dscpu / 1e6
        if (rss != "")              printf "target weir peak RSS <= 600 MB:                %s (%d MB, the largest of the runs)\n", (rss <= 600 ? "met" : "MISSED"), rss
        if (rssnd != "")            printf "  the same with --no-detectors:                %s (%d MB)\n", (rssnd <= 600 ? "met" : "MISSED"), rssnd
        # Budgets: the share of the throughput without detectors (enrichment) that they cost.
        if (weir != "" && weirnd != "") printf "budget detectors <= 30 %% of the throughput:    %s (%.1f %%)\n", (1 - weir / weirnd <= 0.30 ? "met" : "MISSED"), 100 * (1 - weir / weirnd)
        if (en != "" && unen != "")     printf "budget enrichment shown <= 25 %%:               %s (%.1f %%)\n", (1 - en / unen <= 0.25 ? "met" : "MISSED"), 100 * (1 - en / unen)
    }' "$results"
echo "details: $work"
if [ ${#failed[@]} -gt 0 ]; then
    say "failed: ${!failed[*]} (their rows are missing above)"
    exit 1
fi
