# The real PDF producers, as the corpus scripts call them. Source this file
# after setting TMP (a scratch folder); every function writes one PDF.
#
#   soffice_pdf DOCX OUTDIR     LibreOffice, writes OUTDIR/<name>.pdf
#   chromium_pdf HTML OUT       Chromium's print to PDF, no header/footer
#   xelatex_pdf TEX             XeLaTeX twice in TEX's folder (<name>.pdf there);
#                               fails if the font lacks a character
#   pack_pdf IN OUT             qpdf: objects into object streams (Chromium's
#                               Type 3 fonts, one object per glyph)

soffice_pdf() {
    soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
        --convert-to pdf:writer_pdf_Export --outdir "$2" "$1" >/dev/null
}

chromium_pdf() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$TMP")" --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}

xelatex_pdf() {
    local dir name
    dir="$(dirname "$1")"
    name="$(basename "$1" .tex)"
    (cd "$dir" && for _ in 1 2; do
        xelatex -interaction=nonstopmode -halt-on-error "$name.tex" >/dev/null \
            || { tail -40 "$name.log"; exit 1; }
    done) || return 1
    if grep -q "Missing character" "$dir/$name.log"; then
        grep "Missing character" "$dir/$name.log" >&2
        echo "xelatex: font lacks characters" >&2
        return 1
    fi
}

pack_pdf() {
    qpdf --deterministic-id --object-streams=generate --recompress-flate --compression-level=9 "$1" "$2"
}
