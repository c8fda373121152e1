# Shared by scripts/build, scripts/run and scripts/test: installs what is
# missing (Debian packages, npm packages) and builds. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEBIAN_PACKAGES=(
  build-essential g++ cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev
  libsqlite3-dev zlib1g-dev libsodium-dev libcurl4-openssl-dev libpsl-dev libidn2-dev libmagic-dev libmagic-mgc publicsuffix libgumbo-dev
  libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
)
# Node.js from Debian only when no node is installed (a newer one may already be there).
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then DEBIAN_PACKAGES+=(nodejs npm); fi
TEST_PACKAGES=(clang libclang-rt-14-dev chromium fonts-noto-cjk wrk nginx-light openssl curl sqlite3 python3-aiosmtpd unbound bind9-dnsutils)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "==> installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

install_npm_packages() {
  # Reinstall only when package-lock.json changed since the last install.
  local stamp=node_modules/.jaga-lock.sha256
  local want; want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    echo "==> installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

build_web() {
  echo "==> building the front end"
  npm run --silent build
}

build_preset() {
  local preset=$1
  echo "==> building C++ ($preset)"
  cmake --preset "$preset" > /dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
}

# ccache hits across clones of the repository (CI builds a fresh clone):
# paths relative to the checkout, and the checkout's own path left out of the
# hash of debug builds (their debug info then names the first clone's files).
export CCACHE_BASEDIR="$ROOT"
export CCACHE_NOHASHDIR=true
