#!/usr/bin/env bash
# The project's test command, for developers and CI alike: on a Debian 12 machine (as root, or with sudo), it
# installs what the tests need when it is missing, then runs `mvn -B verify` and exits with Maven's status, or 1 when
# a test was skipped (everything a test needs is installed here, so a skip would hide a failure) or a buffer leaked
# (the tests run with Netty's paranoid leak detection; io.jemq.testkit.NettyLeaks). When verify passed,
# a short fuzz run follows (docs/reliability.md): every fuzz test for FUZZ_SECONDS (default 30), two at a time, under
# four minutes in all; a finding fails the script. FUZZ_SECONDS=0 leaves it out.
# Extra arguments go to Maven, e.g. ./run-tests.sh -pl dist -Dtest='JemqCommand*'; with them there is no fuzz run.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

say() {
    echo "run-tests: $*"
}

# Debian packages the tests use: the JDK and Maven to build, the mosquitto clients (and broker) as real MQTT peers,
# chromium and npm (which fetches MQTT.js) for the browser client test, chromium-driver for the dashboard's browser
# tests (Selenium drives Debian's chromedriver), curl for the seed's HTTP publish command and
# python3-prometheus-client, the Prometheus text parser that reads /metrics in the management tests.
PACKAGES=(openjdk-17-jdk-headless maven mosquitto mosquitto-clients chromium chromium-driver npm curl
          python3-prometheus-client)

# ---- Servers for the auth plugins' tests --------------------------------------------------------------------------
# The auth plugins are tested against real MariaDB, PostgreSQL, Redis and slapd servers. Only their packages are
# installed here: each test class starts its own throw-away instance (a free port, data in a temp folder, stopped and
# deleted afterwards; see auth-plugins/src/test/java/io/jemq/auth/servers/). The daemons a package starts are stopped.
# MongoDB has no Debian package: its tests use mongo-java-server, a MongoDB wire-protocol server from Maven Central.
SERVICE_PACKAGES=(mariadb-server postgresql redis-server slapd ldap-utils)
SERVICE_DAEMONS=(mariadb postgresql redis-server slapd)

start_services() {
    :
}

# shellcheck disable=SC2317 # called from the EXIT trap
stop_services() {
    :
}
# ---- End of hooks -------------------------------------------------------------------------------------------------

installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# A package pulled in just now may start its daemon (on a systemd machine mosquitto takes port 1883, the port
# `bin/jemq console` wants); the tests start the peers they need themselves, so such a daemon is stopped.
quiet_daemon() {
    local service=$1
    if [[ -d /run/systemd/system ]] && systemctl is-active --quiet "$service" 2>/dev/null; then
        say "stopping and disabling the $service service the package started (tests run their own)"
        systemctl disable --now --quiet "$service" || say "could not stop $service; its port may be taken" >&2
    fi
}

install_missing() {
    local missing=() package
    for package in "${PACKAGES[@]}" "${SERVICE_PACKAGES[@]}"; do
        installed "$package" || missing+=("$package")
    done
    # A JDK, Maven or npm installed some other way (SDKMAN, a tarball, NodeSource's nodejs) is fine as it is.
    local wanted=()
    for package in "${missing[@]}"; do
        case $package in
            openjdk-17-jdk-headless) command -v javac >/dev/null || wanted+=("$package") ;;
            maven) command -v mvn >/dev/null || wanted+=("$package") ;;
            npm) command -v npm >/dev/null || wanted+=("$package") ;;
            *) wanted+=("$package") ;;
        esac
    done
    if ((${#wanted[@]} == 0)); then
        say "test dependencies present: ${PACKAGES[*]}${SERVICE_PACKAGES[*]:+ ${SERVICE_PACKAGES[*]}}"
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || {
            say "missing ${wanted[*]}, and this is not root and has no sudo: install them, then run again" >&2
            exit 1
        }
        sudo=(sudo)
    fi
    say "installing ${wanted[*]} (apt-get update first)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${wanted[@]}"
    if [[ " ${wanted[*]} " == *" mosquitto "* ]]; then
        quiet_daemon mosquitto
    fi
    local daemon
    for daemon in "${SERVICE_DAEMONS[@]}"; do
        quiet_daemon "$daemon"
    done
}

install_missing
say "java: $(java -version 2>&1 | head -n 1)"
say "maven: $(mvn -B -version 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')"
say "mosquitto: $(mosquitto -h 2>/dev/null | head -n 1)"
say "chromium: $( (chromium --version || chromium-browser --version) 2>/dev/null | head -n 1)"
say "npm: $(npm --version 2>/dev/null)"

# Surefire and failsafe count a skipped test as a pass. Prints "Class.test: reason" for each test skipped in the
# reports written since the file $1 was made, and "Class: ran no tests" for a class aborted in @BeforeAll (surefire
# reports those as zero tests, not as skips) unless its tests are in @Nested classes that ran. target/ may hold reports of earlier runs; they do not count.
skipped_tests() {
    local reports=()
    mapfile -t reports < <(find . \( -name .git -o -name node_modules \) -prune -o -type f \
        \( -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' \) \
        -newer "$1" -print)
    ((${#reports[@]} > 0)) || return 0
    # mawk (Debian's default awk) understands this too: no gawk extensions
    awk '
        function unescape(s) {
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
            gsub(/&amp;/, "\\&", s)
            return s
        }
        function attr(line, name) {
            if (!match(line, " " name "=\"[^\"]*\"")) {
                return ""
            }
            return unescape(substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4))
        }
        # a class whose tests are all in @Nested classes reports zero tests itself: it counts when a nested one ran
        /<testsuite / { suite = attr($0, "name"); suites[suite] = 1; if (attr($0, "tests") == "0") empty[suite] = 1 }
        /<testcase / { testcase = attr($0, "classname") "." attr($0, "name") }
        /<skipped/ {
            why = attr($0, "message")
            if (why == "" && index($0, "<![CDATA[") > 0) {
                # an assumption: the first line of its stack trace, without the exception class
                why = substr($0, index($0, "<![CDATA[") + 9)
                sub(/^[A-Za-z0-9_.$]+: /, "", why)
                sub(/]]>.*/, "", why)
            }
            print testcase ": " (why == "" ? "skipped" : why)
        }
        END {
            for (e in empty) {
                nested = 0
                for (n in suites) {
                    if (index(n, e "$") == 1) {
                        nested = 1
                    }
                }
                if (!nested) {
                    print e ": ran no tests"
                }
            }
        }' "${reports[@]}"
}

started=$(mktemp)
start_services
trap 'stop_services; rm -f "$started"' EXIT

# the dashboard's vendored MQTT.js must be what npm serves (dashboard/mqttjs.sh; it passes when npm is unreachable)
vendored=0
dashboard/mqttjs.sh check || vendored=1
status=0

say "running mvn -B verify $*"
mvn -B -ntp -Dstyle.color=never verify "$@" || status=$?
skipped=$(skipped_tests "$started") || skipped="(the test reports could not be read)"
if [[ -n $skipped ]]; then
    while IFS= read -r line; do
        say "skipped: $line" >&2
    done <<<"$skipped"
    say "a skipped test passes unseen: install what it needs (add it to PACKAGES) or make it fail instead" >&2
fi
# A buffer that leaked after the last broker of a test JVM closed is written here by the test kit (NettyLeaks)
mapfile -t leaks < <(find . -name .git -prune -o -type f -path '*/target/netty-leaks.txt' -newer "$started" -print)
for file in "${leaks[@]}"; do
    say "Netty reported leaked buffers at the end of the tests of ${file%/target/*}:" >&2
    head -n 40 "$file" >&2
done
if ((status != 0)); then
    say "mvn verify failed with status $status"
elif ((vendored != 0)); then
    say "mvn verify passed, but the vendored MQTT.js is not npm's: failing"
    status=1
elif ((${#leaks[@]} > 0)); then
    say "mvn verify passed, but buffers leaked: failing"
    status=1
elif [[ -n $skipped ]]; then
    say "mvn verify passed, but tests were skipped: failing"
    status=1
else
    say "all tests passed"
fi

# The fuzz tests replayed their corpus in verify; here they fuzz (the fuzz profile in broker/pom.xml). A finding is
# saved as a crash-* file in the test's corpus directory under broker/src/test/resources.
fuzz_seconds=${FUZZ_SECONDS:-30}
if ((status == 0 && $# == 0)) && [[ $fuzz_seconds != 0 ]]; then
    say "fuzzing each fuzz test for ${fuzz_seconds}s"
    if mvn -B -ntp -Dstyle.color=never -pl broker -am -Pfuzz test -Dfuzz.seconds="$fuzz_seconds"; then
        say "the fuzz run found nothing"
    else
        status=$?
        say "the fuzz run failed with status $status: a finding (see crash-* under broker/src/test/resources)"
    fi
fi
exit "$status"
