#!/usr/bin/env bash
# Builds a busybox with the applets of the sidecar image (busybox:1.36.1) at
# .tools/busybox/busybox, plus .tools/busybox/bin/ holding one symlink per
# applet the generated scripts use. The script tests run the WaitFor and
# ConfigReloader scripts with PATH set to that directory only.
#
# Debian's `busybox` package is configured without `pkill` and without
# `nc -z`, so the binary is built from Debian's busybox source package with
# upstream's `make defconfig`, which has both.
#
# Idempotent: does nothing when the binary exists, runs and has every applet.
set -euo pipefail
cd "$(dirname "$0")/.."

# The applets the generated scripts run (src/patterns/init-step.ts and
# src/patterns/config-reloader.ts); `kill`, `read`, `echo` and `[` are also
# builtins of busybox sh.
APPLETS=(sh date sleep nc nslookup md5sum wget kill)

dest=.tools/busybox
bin="$dest/busybox"

has_applets() {
  local list
  list="$("$bin" --list 2>/dev/null)" || return 1
  local a
  for a in "${APPLETS[@]}"; do
    grep -qxF -- "$a" <<<"$list" || { echo "busybox at $bin lacks applet $a" >&2; return 1; }
  done
  # `nc -z` needs NC_EXTRA; its usage text lists -z when present
  local nc_help
  nc_help="$("$bin" nc --help 2>&1 || true)"
  grep -q -- '-z' <<<"$nc_help" || { echo "busybox at $bin has no nc -z" >&2; return 1; }
}

link_applets() {
  rm -rf "$dest/bin"
  mkdir -p "$dest/bin"
  local a
  for a in "${APPLETS[@]}"; do
    ln -s ../busybox "$dest/bin/$a"
  done
}

if [ -x "$bin" ] && has_applets; then
  [ -d "$dest/bin" ] && [ "$(ls "$dest/bin" | wc -l)" -eq "${#APPLETS[@]}" ] || link_applets
  exit 0
fi

add_deb_src() {
  # Already there, in either format?
  if grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # deb822 format, beside the image's debian.sources
    cat >/etc/apt/sources.list.d/debian-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  else
    echo 'deb-src http://deb.debian.org/debian bookworm main' >>/etc/apt/sources.list
  fi
}

export DEBIAN_FRONTEND=noninteractive
add_deb_src
apt-get update -qq
for tool in gcc make dpkg-source bzip2; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends build-essential dpkg-dev bzip2 xz-utils
    break
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq busybox >/dev/null)
src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)"
if [ -z "$src" ]; then
  echo "apt-get source busybox unpacked nothing into $work" >&2
  exit 1
fi
(
  cd "$src"
  make -s defconfig >/dev/null
  # Kernel headers from 6.8 on lack the CBQ qdisc that `tc` uses; the scripts do not need tc.
  sed -i 's/^CONFIG_TC=y/# CONFIG_TC is not set/' .config
  if ! make -s -j2 busybox >build.log 2>&1; then
    tail -n 40 build.log >&2
    exit 1
  fi
)
mkdir -p "$dest"
install -m 0755 "$src/busybox" "$bin"
has_applets
link_applets
# (the whole help is read into a variable first: a reader that stops early would end busybox with SIGPIPE)
banner="$("$bin" 2>&1 || true)"
echo "${banner%%$'\n'*}"
