#!/usr/bin/env bash
# Build fixtures/scans/: the repo's own PDFs printed and scanned, as a
# department that signs and stamps its report and sends the scan would
# (issue 15). Each page is rendered with pdftoppm, degraded with
# ImageMagick where a scanner would degrade it, and put back into an
# image-only PDF with img2pdf; the labels of the source (its planted
# findings and its traps) are copied beside each scan, so that
# `jixiao eval fixtures/scans` scores the OCR reading as it scores text.
#
#   seed-libreoffice-{150,200,300}.pdf  the seed (corpus/), grey JPEG q75
#   seed-xelatex-200.pdf                the seed as XeLaTeX sets it
#   seed-libreoffice-200-scanner.pdf    tilted 0.6°, grey paper, noise, JPEG q60
#   seed-libreoffice-200-seal.pdf       red seals over both score/money tables (RGB)
#   seed-libreoffice-300-bilevel.pdf    1 bit per pixel, as a fax or a B/W scanner
#   seed-libreoffice-mixed.pdf          pages 1–5 the text PDF, 6–11 scanned (200 dpi)
#   budget-{consistent,planted}-200.pdf fixtures/budget's 部门预算 (tables)
#   labelled-NNN-…-200.pdf              corpus/labelled documents with traps
#
# Needs poppler-utils, imagemagick, img2pdf, fonts-noto-cjk.
# usage: bash scripts/make_scans.sh      (re-runnable; overwrites)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/fixtures/scans"
export SOURCE_DATE_EPOCH=1709254800 TZ=UTC LC_ALL=C.UTF-8
# Debian's ImageMagick, not a stand-in earlier on the PATH.
IM=/usr/bin/convert
SEAL_FONT=/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*.pdf "$OUT"/*.labels.json

SEED="$ROOT/corpus/guangzhou-archives-2023-libreoffice.pdf"

# scan SRC OUT DPI KIND [PAGES…]: render SRC's pages at DPI and rebuild an
# image-only PDF; KIND is grey, scanner, seal or bilevel. With PAGES, only
# those pages (first-last) are scanned and the rest kept as text.
scan() {
    local src="$1" out="$2" dpi="$3" kind="$4"
    local dir="$TMP/$(basename "$out" .pdf)"
    mkdir -p "$dir"
    case "$kind" in
        seal) pdftoppm -r "$dpi" -png "$src" "$dir/p" ;;
        *) pdftoppm -r "$dpi" -gray -png "$src" "$dir/p" ;;
    esac
    local imgs=()
    # The resolution travels with each image, so that img2pdf sizes the
    # page as the paper was.
    local keep=(-units PixelsPerInch -density "$dpi")
    for p in "$dir"/p-*.png; do
        local n="${p##*-}"; n="${n%.png}"; n=$((10#$n))
        local j="${p%.png}.jpg"
        case "$kind" in
            grey) "$IM" "$p" "${keep[@]}" -quality 75 "$j" ;;
            scanner)
                # Tilted on the glass, grey paper, sensor noise, strong JPEG.
                "$IM" "$p" -background white -rotate 0.6 +level 8%,90% \
                    -attenuate 0.4 +noise Gaussian "${keep[@]}" -quality 60 "$j" ;;
            seal)
                # The seed's money table (page 6) and score table (page 7)
                # get the unit's red seal over their figures.
                if [[ $n == 6 || $n == 7 ]]; then
                    local w h cx cy r
                    w=$("$IM" identify -format %w "$p" 2>/dev/null || identify -format %w "$p")
                    h=$(identify -format %h "$p")
                    cx=$((w * 62 / 100)); cy=$((h * (n == 6 ? 64 : 42) / 100)); r=$((dpi * 8 / 10))
                    "$IM" "$p" -fill none -stroke '#d81e28' -strokewidth $((dpi / 40)) \
                        -draw "circle $cx,$cy $((cx + r)),$cy" \
                        -fill '#d81e28' -stroke none -font "$SEAL_FONT" -pointsize $((dpi / 7)) \
                        -gravity northwest -annotate +$((cx - r * 7 / 10))+$((cy - r / 5)) '广州市档案馆' \
                        -draw "polygon $cx,$((cy - r / 2)) $((cx + r / 8)),$((cy - r / 4)) $((cx - r / 8)),$((cy - r / 4))" \
                        "${keep[@]}" -quality 75 "$j"
                else
                    "$IM" "$p" "${keep[@]}" -quality 75 "$j"
                fi ;;
            bilevel)
                j="${p%.png}-1bit.png"
                "$IM" "$p" -threshold 60% -type bilevel "${keep[@]}" "$j" ;;
        esac
        imgs+=("$j")
    done
    img2pdf --nodate "${imgs[@]}" -o "$out"
}

# labels SRC_LABELS OUT_PDF: the source's labels for the scan.
labels() {
    [[ -f "$1" ]] || return 0
    python3 - "$1" "$2" <<'PY'
import json, os, sys
src, pdf = sys.argv[1], sys.argv[2]
labels = json.load(open(src, encoding="utf-8"))
labels["file"] = os.path.basename(pdf)
labels["producer"] = "scan:" + labels.get("producer", "")
out = pdf[: -len(".pdf")] + ".labels.json"
json.dump(labels, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
open(out, "a").write("\n")
PY
}

for dpi in 150 200 300; do
    scan "$SEED" "$OUT/seed-libreoffice-$dpi.pdf" "$dpi" grey
    labels "$ROOT/scripts/scans/seed.labels.json" "$OUT/seed-libreoffice-$dpi.pdf"
done
scan "$ROOT/corpus/guangzhou-archives-2023-xelatex.pdf" "$OUT/seed-xelatex-200.pdf" 200 grey
labels "$ROOT/scripts/scans/seed.labels.json" "$OUT/seed-xelatex-200.pdf"
scan "$SEED" "$OUT/seed-libreoffice-200-scanner.pdf" 200 scanner
labels "$ROOT/scripts/scans/seed.labels.json" "$OUT/seed-libreoffice-200-scanner.pdf"
scan "$SEED" "$OUT/seed-libreoffice-200-seal.pdf" 200 seal
labels "$ROOT/scripts/scans/seed.labels.json" "$OUT/seed-libreoffice-200-seal.pdf"
scan "$SEED" "$OUT/seed-libreoffice-300-bilevel.pdf" 300 bilevel
labels "$ROOT/scripts/scans/seed.labels.json" "$OUT/seed-libreoffice-300-bilevel.pdf"

# Mixed: the text PDF's first five pages, its last six scanned.
pdfseparate -f 1 -l 5 "$SEED" "$TMP/text-%d.pdf"
pdfseparate -f 6 -l 11 "$SEED" "$TMP/back-%d.pdf"
pdfunite "$TMP"/back-{6..11}.pdf "$TMP/back.pdf"
scan "$TMP/back.pdf" "$TMP/back-scan.pdf" 200 grey
pdfunite "$TMP"/text-{1..5}.pdf "$TMP/back-scan.pdf" "$OUT/seed-libreoffice-mixed.pdf"
labels "$ROOT/scripts/scans/seed.labels.json" "$OUT/seed-libreoffice-mixed.pdf"

for v in consistent planted; do
    scan "$ROOT/fixtures/budget/budget-$v-libreoffice.pdf" "$OUT/budget-$v-200.pdf" 200 grey
    labels "$ROOT/fixtures/budget/budget-$v-libreoffice.labels.json" "$OUT/budget-$v-200.pdf"
done

for name in $(cat "$ROOT/scripts/scans/labelled.txt"); do
    scan "$ROOT/corpus/labelled/$name.pdf" "$OUT/labelled-$name-200.pdf" 200 grey
    labels "$ROOT/corpus/labelled/$name.labels.json" "$OUT/labelled-$name-200.pdf"
done
ls -l "$OUT"
