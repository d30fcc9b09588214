#!/usr/bin/env bash
# Debian packages the project needs, installed only if missing.
#   run:  gettext (translations), Pango + HarfBuzz subset + fonts (WeasyPrint PDFs; without
#         libharfbuzz-subset0 every PDF warns and renders ~3.5x slower)
#   test: the above plus PostgreSQL (the production database) and Chromium (browser tests)
#   benchmark: run's plus PostgreSQL and wrk (the HTTP load generator of benchmarks/pages.py)
set -euo pipefail
needed=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[ "${1:-test}" = test ] && needed+=(postgresql chromium)
[ "${1:-test}" = benchmark ] && needed+=(postgresql wrk)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
