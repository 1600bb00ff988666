#!/usr/bin/env bash
# Rebuild corpus/labelled/: generated reports of the three kinds with planted
# errors (scripts/labelled/generate.py), rendered by the real producers in
# rotation (LibreOffice, Chromium with WenQuanYi Zen Hei, Chromium with Noto
# Sans CJK SC, XeLaTeX with Noto Serif CJK SC), and their labels with the
# page of each planted statement.
#
# Needs what scripts/make_corpus.sh needs (LibreOffice, Chromium, XeLaTeX +
# ctex, the Noto CJK and WenQuanYi fonts, qpdf, poppler-utils, python-docx).
#
# usage: bash scripts/make_labelled.sh [N [FIRST]]
#            documents FIRST..N (default 1..66); document k is the same
#            whatever N and FIRST, so FIRST=67 N=132 is a held-out set
#        LABELLED_OUT=DIR writes there instead of corpus/labelled (which is
#            then left alone; DIR is replaced)
#        LABELLED_BUILD_DIR=DIR keeps the intermediates (docx/html/tex, the
#            plain text of each report) for inspection
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${LABELLED_OUT:-$ROOT/corpus/labelled}"
[[ "$OUT" = /* ]] || OUT="$PWD/$OUT"
cd "$ROOT"
N="${1:-66}"
FIRST="${2:-1}"

export SOURCE_DATE_EPOCH=1709254800   # 2024-03-01 01:00:00 UTC
export TZ=UTC
export LC_ALL=C.UTF-8

if ! python3 -c 'import docx' 2>/dev/null; then
    pip install --quiet python-docx || pip install --quiet --break-system-packages python-docx
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
BUILD="${LABELLED_BUILD_DIR:-$TMP/build}"
rm -rf "$BUILD"
mkdir -p "$BUILD"
BUILD="$(cd "$BUILD" && pwd)"

python3 scripts/labelled/generate.py build "$BUILD" "$N" "$FIRST"

chromium_pdf() { # html out
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$TMP")" --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}
# Chromium's Type 3 Noto output has one object per glyph: pack it into
# object streams, as make_corpus.sh does (fonts and content unchanged).
pack_pdf() { qpdf --deterministic-id --object-streams=generate --recompress-flate --compression-level=9 "$1" "$2"; }

docx=()
while IFS=$'\t' read -r name producer src; do
    case "$producer" in
        libreoffice) docx+=("$BUILD/$src") ;;
        chromium-wqy) chromium_pdf "$BUILD/$src" "$BUILD/$name.pdf" ;;
        chromium-noto) chromium_pdf "$BUILD/$src" "$TMP/noto.pdf"; pack_pdf "$TMP/noto.pdf" "$BUILD/$name.pdf" ;;
        xelatex)
            (cd "$BUILD" && for _ in 1 2; do
                xelatex -interaction=nonstopmode -halt-on-error "$src" >/dev/null \
                    || { tail -30 "$name.log"; exit 1; }
            done)
            if grep -q "Missing character" "$BUILD/$name.log"; then
                grep "Missing character" "$BUILD/$name.log" >&2
                echo "xelatex: font lacks characters in $name" >&2
                exit 1
            fi ;;
        *) echo "unknown producer $producer" >&2; exit 1 ;;
    esac
done < "$BUILD/manifest.tsv"
if ((${#docx[@]})); then
    soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
        --convert-to pdf:writer_pdf_Export --outdir "$BUILD" "${docx[@]}" >/dev/null
fi

rm -rf "$OUT"
python3 scripts/labelled/generate.py locate "$BUILD" "$OUT"

du -sh "$OUT"
printf '%s PDFs, %s labelled errors\n' "$(ls "$OUT"/*.pdf | wc -l)" \
    "$(cat "$OUT"/*.labels.json | grep -c '"rule"')"
