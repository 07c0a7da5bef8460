#!/usr/bin/env bash
# Runs every test of the repository: the README's single test command (CI runs it through .ci/run).
#
#   bash scripts/test.sh
#
# 1. sets up what the tests need when it is missing (idempotent, quick when already there);
# 2. builds the solution once, in Release;
# 3. runs every test project against that build;
# 4. prints one line "N passed, M failed" totalled over all test projects, and exits non-zero if the build or
#    any test failed.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONFIGURATION="${CONFIGURATION:-Release}"
SOLUTION="NafflesBotKit.sln"
RESULTS_DIR="artifacts/test-results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- 1. Prerequisites ---------------------------------------------------------------------------------------------
# One function per thing the tests need. Each checks first and installs only when missing, so a warm machine pays
# nothing. Add new needs here (and call them below), never inside test code.

apt_install() {
    # Installs Debian packages; refreshes the package lists only when the plain install fails (stale or empty lists).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 && return 0
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

ensure_dotnet_tools() {
    # Local tools pinned in .config/dotnet-tools.json (Cake).
    dotnet tool restore >/dev/null || warn "dotnet tool restore failed; build.cake will not run (tests do not need it)"
}

ensure_redis() {
    # redis-server on PATH, for the Redis-backed tests (they start their own server on a free loopback port and
    # fail when none is installed). Installed only when missing and we are root; nothing is started here.
    command -v redis-server >/dev/null 2>&1 && return 0
    if is_root; then
        step "installing redis-server"
        apt_install redis-server || warn "could not install redis-server; the Redis-backed tests will fail"
    else
        warn "redis-server not on PATH and not root; the Redis-backed tests will fail"
    fi
}

ensure_node_packages() {
    # The protocol-fidelity tests run independent peers (discord.js, tweetnacl) from tests/compat with Node.js.
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        if is_root; then
            step "installing nodejs and npm"
            apt_install nodejs npm || warn "could not install Node.js; the compat tests will fail"
        else
            warn "node/npm not on PATH and not root; the compat tests will fail"
        fi
    fi

    if [ -f tests/compat/package-lock.json ] && [ ! -d tests/compat/node_modules ] && command -v npm >/dev/null 2>&1; then
        step "npm ci (tests/compat)"
        (cd tests/compat && npm ci --no-audit --no-fund --loglevel=error) || warn "npm ci failed in tests/compat"
    fi
}

ensure_chromium() {
    # The playground's browser tests (tests/NafflesBotKit.Playground.Tests) drive Debian's chromium at /usr/bin/chromium
    # through Playwright's bundled driver; Playwright never downloads a browser. The emoji font makes the embeds'
    # emoji render in the screenshots instead of empty boxes.
    local packages=()
    [ -x /usr/bin/chromium ] || packages+=(chromium)
    [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || packages+=(fonts-noto-color-emoji)
    [ ${#packages[@]} -eq 0 ] && return 0
    if is_root; then
        step "installing ${packages[*]}"
        apt_install "${packages[@]}" || warn "could not install ${packages[*]}; the playground browser tests will fail"
    else
        warn "${packages[*]} missing and not root; the playground browser tests will fail"
    fi
}

step "prerequisites"
ensure_dotnet_tools
ensure_redis
ensure_node_packages
ensure_chromium

# --- 2. Build once -----------------------------------------------------------------------------------------------
step "dotnet build $SOLUTION -c $CONFIGURATION"
if ! dotnet build "$SOLUTION" -c "$CONFIGURATION" -v:q -nologo -clp:NoSummary\;ErrorsOnly; then
    echo "build failed: no tests were run" >&2
    exit 1
fi

# --- 3. Test -----------------------------------------------------------------------------------------------------
step "dotnet test $SOLUTION -c $CONFIGURATION --no-build"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
# Every temporary file of the run (stores, plugin copies, browser profiles, template builds) goes under one folder
# that is removed afterwards, so repeated runs do not fill /tmp.
TEST_TMP="$(mktemp -d "${TMPDIR:-/tmp}/nbk-test-run.XXXXXX")"
trap 'rm -rf "$TEST_TMP"' EXIT
TMPDIR="$TEST_TMP" dotnet test "$SOLUTION" -c "$CONFIGURATION" --no-build \
    --logger "console;verbosity=minimal" \
    --logger "trx" \
    --results-directory "$RESULTS_DIR" 2>&1 | tee "$RESULTS_DIR/console.log"
test_status=${PIPESTATUS[0]}

# --- 4. Totals ---------------------------------------------------------------------------------------------------
# Summed from the TRX files (one per test project; a project without tests writes zeros). TRX names are only
# unique to the second, so the per-project console summaries ("Passed!  - Failed: x, Passed: y, ...") are summed
# too and the larger count wins: a clash can lose a file, never invent results.
sum_attribute() { # sum_attribute NAME FILE... : sums NAME="n" over the <Counters> element of each TRX file
    local name="$1" total=0 file n
    shift
    for file in "$@"; do
        n="$(grep -o '<Counters [^>]*>' "$file" | head -n 1 | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9][0-9]*')"
        total=$((total + ${n:-0}))
    done
    echo "$total"
}
shopt -s nullglob
trx_files=("$RESULTS_DIR"/*.trx)
trx_passed=$(sum_attribute passed "${trx_files[@]}")
trx_failed=$(( $(sum_attribute failed "${trx_files[@]}") + $(sum_attribute error "${trx_files[@]}") \
    + $(sum_attribute timeout "${trx_files[@]}") + $(sum_attribute aborted "${trx_files[@]}") ))
console_passed=$(grep -oE '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "$RESULTS_DIR/console.log" \
    | awk -F'Passed: *' '{ s += $2 } END { print s + 0 }')
console_failed=$(grep -oE '(Passed|Failed)! +- +Failed: +[0-9]+' "$RESULTS_DIR/console.log" \
    | awk -F'Failed: *' '{ s += $2 } END { print s + 0 }')
passed=$(( trx_passed > console_passed ? trx_passed : console_passed ))
failed=$(( trx_failed > console_failed ? trx_failed : console_failed ))

echo
echo "$passed passed, $failed failed"

if [ "$test_status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
