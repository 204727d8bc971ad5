# Sourced by the weir and weir-workbench launchers (POSIX sh): finding a JDK (require_java), the locale for file
# names, a home for Java where the installation cannot be written (choose_java_home), and the installation's files
# (require_installation). They set "name" (for messages) and "here" (the installation) before sourcing it.

# --- Java >= 21: $JAVA_HOME, else a Temurin (then any) JDK under /usr/lib/jvm, else java on the PATH. ---
# The major version from the JDK's release file, which costs nothing; asking the JVM itself (-version) took 30-40 ms
# of every start.
java_major() {
    release="$(dirname "$(readlink -f "$1")")/../release"
    if [ -r "$release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release"
    else
        "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p'
    fi
}
java_ok() {
    [ -x "$1" ] || return 1
    major=$(java_major "$1")
    [ -n "$major" ] && [ "$major" -ge 21 ]
}
# Sets java (the path) and major (its version).
find_java() {
    if [ -n "${JAVA_HOME:-}" ] && java_ok "$JAVA_HOME/bin/java"; then
        java="$JAVA_HOME/bin/java"; return 0
    fi
    for jdk in $(ls -d /usr/lib/jvm/temurin-* 2>/dev/null | sort -r -V) $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -r -V); do
        if java_ok "$jdk/bin/java"; then
            java="$jdk/bin/java"; return 0
        fi
    done
    if command -v java >/dev/null 2>&1 && java_ok "$(command -v java)"; then
        java=$(command -v java); return 0
    fi
    return 1
}
# find_java, or says that none will do and exits.
require_java() {
    if ! find_java; then
        echo "$name: Java 21 or newer is needed; set JAVA_HOME to such a JDK (for example Temurin 21 or 25)." >&2
        exit 127
    fi
}

# Java names files in the locale's character set: under the C/POSIX locale (minimal systems, containers, CI) a file
# name with a letter beyond ASCII cannot even be opened. File names on Linux are UTF-8 in practice, so the JVM gets
# the C locale's UTF-8 twin there, which differs from it in nothing else.
if [ "$(locale charmap 2>/dev/null)" = "ANSI_X3.4-1968" ]; then
    export LC_ALL=C.UTF-8
fi

# Equinox keeps the framework's cache in the installation's configuration folder or, where the user cannot write
# there (installed by root, run by another user), in ~/.eclipse of Java's home, the home of the user's passwd entry.
# A user without a writable home there (a service or container user) would stop with status 15 and nothing said:
# Java's home is then $HOME if writable, else a folder of the user's own in the temporary folder. Sets javahome
# (empty: Java's own), or says why none will do and exits.
choose_java_home() {
    javahome=""
    if [ ! -w "$here/configuration" ]; then
        home=$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6)
        if [ -z "$home" ] || [ ! -w "$home" ]; then
            if [ -n "${HOME:-}" ] && [ -d "$HOME" ] && [ -w "$HOME" ]; then
                javahome=$HOME
            else
                javahome="${TMPDIR:-/tmp}/weir-$(id -u)"
                mkdir -p -m 700 "$javahome" 2>/dev/null
                if [ ! -O "$javahome" ] || [ ! -w "$javahome" ]; then
                    echo "$name: neither the installation ($here) nor a home folder can be written, and $javahome" \
                        "is not yours; set HOME to a folder you can write." >&2
                    exit 1
                fi
            fi
        fi
    fi
}

# Equinox starts the framework and the bundles that configuration/config.ini names. With one of them missing (a copy
# cut short, a jar deleted) the application does not resolve, and the launcher ends with status 13 having said so
# only in a log file in the configuration folder: the files are checked first. Sets launcher (Equinox's launcher jar).
require_installation() {
    config="$here/configuration/config.ini"
    if [ ! -r "$config" ]; then
        echo "$name: the installation in $here is incomplete (no configuration/config.ini)." >&2
        exit 127
    fi
    missing=""
    # osgi.bundles=reference\:file\:NAME.jar@4\:start,... and osgi.framework=file\:plugins/NAME.jar, in plugins/.
    for file in $(sed -n -e 's/^osgi\.bundles=//p' -e 's/^osgi\.framework=file\\:plugins\///p' "$config" \
            | tr ',' '\n' | sed -e 's/^reference\\:file\\://' -e 's/@.*//'); do
        case "$file" in
            /*) [ -e "$file" ] || missing="$missing $file" ;;
            *) [ -e "$here/plugins/$file" ] || missing="$missing plugins/$file" ;;
        esac
    done
    if [ -n "$missing" ]; then
        echo "$name: the installation in $here is incomplete: missing${missing}; install it again." >&2
        exit 127
    fi
    launcher=$(ls "$here"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$launcher" ]; then
        echo "$name: the installation in $here is incomplete (no plugins/org.eclipse.equinox.launcher_*.jar)." >&2
        exit 127
    fi
}
