#!/usr/bin/env bash
# Catalog workflow (babel):
#   scripts/i18n.sh extract   collect every msgid into locales/messages.pot
#   scripts/i18n.sh update    add new msgids to every locale's .po (creates missing locales)
#   scripts/i18n.sh compile   build the .mo files the bot loads (done by scripts/setup.sh)
#   scripts/i18n.sh all       the three in order
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
# The extractors of the JSON data files are the project's own modules, run from the repository root.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
LOCALES="zh_Hans zh_Hant vi th id ms tl km lo my ko hi"

extract() {
    "$BABEL" extract -F pyproject.toml --no-location --sort-output \
        --add-comments=Translators: --project=lurecheck --version=0.1 \
        --msgid-bugs-address=translations@lurecheck.invalid \
        --copyright-holder="lurecheck contributors" \
        -o locales/messages.pot bot handlers screening storage 2>/dev/null
    # Babel stamps the creation time; keep the file stable between runs.
    sed -i '/^"POT-Creation-Date:/d' locales/messages.pot
}

update() {
    for locale in $LOCALES; do
        if [ -f "locales/$locale/LC_MESSAGES/messages.po" ]; then
            "$BABEL" update -i locales/messages.pot -d locales -D messages -l "$locale" \
                --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100
        else
            "$BABEL" init -i locales/messages.pot -d locales -D messages -l "$locale"
        fi
    done
}

compile() {
    "$BABEL" compile -d locales -D messages --statistics
}

case "${1:-all}" in
    extract) extract ;;
    update) update ;;
    compile) compile ;;
    all) extract; update; compile ;;
    *) echo "usage: $0 extract|update|compile|all" >&2; exit 2 ;;
esac
