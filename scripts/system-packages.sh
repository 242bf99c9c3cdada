#!/usr/bin/env bash
# System (Debian 12) packages for reading screenshots: Tesseract OCR with the language data of every
# supported locale, zbar for QR codes, raqm for complex-script layout, and the fonts the tests render
# job ads with. Run as root by the install and test commands; idempotent and quick when all is there.
# The same list is documented for Heroku (Aptfile) and Docker in docs/images.md — keep them in step.
#
# Usage: scripts/system-packages.sh [--runtime|--record]
#   --runtime  only what the bot needs to read pictures (no fonts: those are for rendering the
#              test images); used by the Dockerfile.
#   --record   write the installed versions to scripts/system-packages.tested (after a passing run)
# The versions the suite was tested with are in scripts/system-packages.tested; a different one
# installed here is reported on one line each (not an error: Debian replaces versions with updates).
set -euo pipefail

runtime_only=0
record=0
case "${1:-}" in
    "") ;;
    --runtime) runtime_only=1 ;;
    --record) record=1 ;;
    *) echo "usage: $0 [--runtime|--record]" >&2; exit 2 ;;
esac
TESTED_FILE="$(dirname "$0")/system-packages.tested"

# Tesseract language data, one per supported locale (locales.i18n.SUPPORTED_LOCALES):
# en→eng, zh_Hans→chi-sim, zh_Hant→chi-tra, vi→vie, th→tha, id→ind, ms→msa,
# tl→fil (Debian ships Tagalog/Filipino as "fil"; there is no tesseract-ocr-tgl), km→khm, lo→lao,
# my→mya, ko→kor, hi→hin. tesseract-ocr-osd comes with tesseract-ocr anyway; we do not use its
# script detection (it calls Khmer and Myanmar "Latin", see screening/ocr.py).
RUNTIME_PACKAGES=(
    tesseract-ocr tesseract-ocr-osd
    tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-vie
    tesseract-ocr-tha tesseract-ocr-ind tesseract-ocr-msa tesseract-ocr-fil tesseract-ocr-khm
    tesseract-ocr-lao tesseract-ocr-mya tesseract-ocr-kor tesseract-ocr-hin
    libzbar0
)
TEST_PACKAGES=(
    # Complex-script layout for Pillow (its wheels bundle raqm but load FriBiDi from the system).
    libraqm0
    # Fonts, the smallest package per script (fonts-noto-core would cover most but is 42 MB):
    # Latin, Thai, Khmer, Myanmar, Lao, Devanagari, Han + Hangul (WenQuanYi Micro Hei).
    fonts-dejavu-core fonts-tlwg-garuda-ttf fonts-khmeros fonts-sil-padauk fonts-lao
    fonts-lohit-deva fonts-wqy-microhei
    # Headless browser for the review app's Playwright tests (tests/review/test_browser.py; helper D).
    chromium
    # The TLS proxy of docker-compose, run for real from deploy/Caddyfile (tests/e2e/test_tls_proxy.py).
    caddy
)
PACKAGES=("${RUNTIME_PACKAGES[@]}")
if [ "$runtime_only" -eq 0 ]; then
    PACKAGES+=("${TEST_PACKAGES[@]}")
fi

installed_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null
}

compare_with_tested() {
    local line package version now
    while IFS= read -r line; do
        case "$line" in ''|'#'*) continue ;; esac
        package="${line%%=*}"
        version="${line#*=}"
        now="$(installed_version "$package")"
        if [ -n "$now" ] && [ "$now" != "$version" ]; then
            echo "system-packages: $package $now installed; the suite was tested with $version" >&2
        fi
    done < "$TESTED_FILE"
}

if [ "$record" -eq 1 ]; then
    {
        sed -n '/^#/p' "$TESTED_FILE"
        for package in "${PACKAGES[@]}"; do echo "$package=$(installed_version "$package")"; done
    } > "$TESTED_FILE.new"
    mv "$TESTED_FILE.new" "$TESTED_FILE"
    echo "system-packages: versions written to $TESTED_FILE"
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    # "install ok installed" is the only state in which the files are really there.
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "system-packages: all ${#PACKAGES[@]} packages already installed"
    compare_with_tested
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "system-packages: missing ${missing[*]}; run this script as root to install them" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are absent (fresh image) or a package is unknown to them.
need_update=0
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -E '^(lock|partial|auxfiles)$')" ]; then
    need_update=1
else
    for package in "${missing[@]}"; do
        if ! apt-cache show "$package" >/dev/null 2>&1; then
            need_update=1
            break
        fi
    done
fi
if [ "$need_update" -eq 1 ]; then
    echo "system-packages: apt-get update"
    if ! apt-get update -qq >/tmp/system-packages-apt.log 2>&1; then
        cat /tmp/system-packages-apt.log >&2
        echo "system-packages: apt-get update failed" >&2
        exit 1
    fi
fi

echo "system-packages: installing ${missing[*]}"
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/tmp/system-packages-apt.log 2>&1; then
    cat /tmp/system-packages-apt.log >&2
    echo "system-packages: apt-get install failed" >&2
    exit 1
fi
echo "system-packages: installed ${#missing[@]} packages"
compare_with_tested
