#!/usr/bin/env bash
# Rebuild fixtures/ingest/: one small file per ingestion case (see
# fixtures/ingest/README.md for what each is and the outcome it must get).
#
# Made from what the repo holds: scripts/fixtures/report.txt (a one-page
# excerpt of the seed with one deliberate error) rendered by LibreOffice,
# then encrypted and damaged with qpdf and a script, rasterised with
# pdftoppm + img2pdf; the hostile structures are hand-written PDF bytes
# (scripts/fixtures/handwritten.py).
#
# Needs (Debian 12): libreoffice-writer-nogui fonts-wqy-zenhei qpdf
#   poppler-utils img2pdf python3
#
# usage: bash scripts/make_fixtures.sh      (re-runnable; overwrites)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export SOURCE_DATE_EPOCH=1709254800   # 2024-03-01 01:00:00 UTC
export TZ=UTC
export LC_ALL=C.UTF-8

OUT=fixtures/ingest
SRC=scripts/fixtures
USER_PASSWORD=jixiao2023
OWNER_PASSWORD=owner

for tool in soffice qpdf pdftotext pdftoppm pdffonts img2pdf python3; do
    command -v "$tool" >/dev/null || { echo "make_fixtures: $tool is not installed" >&2; exit 1; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

die() { echo "make_fixtures: $*" >&2; exit 1; }

# pdftotext's text of $1 with all whitespace removed
flat_text() { pdftotext -q "$1" - | tr -d ' \n\f\t'; }

# --- the report: LibreOffice renders the excerpt (one A4 page) ------------
# Text import filter: UTF-8, LF, font WenQuanYi Zen Hei, language zh-CN —
# the same font as corpus/*-libreoffice.pdf (simple TrueType subsets with
# ToUnicode).
cp "$SRC/report.txt" "$TMP/report.txt"
soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
    --infilter="Text (encoded):UTF8,LF,WenQuanYi Zen Hei,zh-CN" \
    --convert-to pdf:writer_pdf_Export --outdir "$TMP" "$TMP/report.txt" >/dev/null 2>&1
[[ -s $TMP/report.pdf ]] || die "LibreOffice made no PDF"
pdffonts "$TMP/report.pdf" | grep -q WenQuanYiZenHei || die "report.pdf is not in WenQuanYi Zen Hei"
[[ $(pdfinfo "$TMP/report.pdf" | awk '/^Pages:/{print $2}') == 1 ]] || die "report.pdf is not one page"
# Every figure of the text must be on one line of the PDF: LibreOffice
# breaks lines between digits if it has to, and the excerpt's paragraph
# indents are chosen so that it does not here.
layout="$(pdftotext -q -layout "$TMP/report.pdf" -)"
for n in $(grep -oE '[0-9]+(\.[0-9]+)?' "$SRC/report.txt" | sort -u); do
    grep -qE "(^|[^0-9.])${n//./\\.}([^0-9]|$)" <<<"$layout" || die "report.pdf: $n is broken across lines"
done
cp "$TMP/report.pdf" "$OUT/report.pdf"

# --- encryption (qpdf, AES-256) -------------------------------------------
# Owner password only, printing and changing forbidden: opens without a
# password, as most restricted government PDFs do.
qpdf --encrypt "" "$OWNER_PASSWORD" 256 --print=none --modify=none -- \
    "$OUT/report.pdf" "$OUT/owner-password.pdf"
# A user (open) password.
qpdf --encrypt "$USER_PASSWORD" "$OWNER_PASSWORD" 256 -- \
    "$OUT/report.pdf" "$OUT/user-password.pdf"
qpdf --requires-password "$OUT/owner-password.pdf" && die "owner-password.pdf asks for a password"
qpdf --requires-password "$OUT/user-password.pdf" || die "user-password.pdf opens without a password"

# --- damage ----------------------------------------------------------------
# The first 60% of the report: no xref table, no trailer, no %%EOF.
size=$(stat -c %s "$OUT/report.pdf")
head -c $((size * 60 / 100)) "$OUT/report.pdf" >"$OUT/truncated.pdf"

# Every xref offset wrong, every object intact. qpdf must say it recovered
# (exit 3: warnings) and pdftotext must read the whole text.
python3 "$SRC/break_xref.py" "$OUT/report.pdf" "$OUT/broken-xref.pdf" 7
set +e
qpdf --check "$OUT/broken-xref.pdf" >"$TMP/check.txt" 2>&1
rc=$?
set -e
[[ $rc == 3 ]] || { cat "$TMP/check.txt" >&2; die "qpdf --check broken-xref.pdf: exit $rc, expected 3 (recovered with warnings)"; }
grep -q "reconstruct cross-reference table" "$TMP/check.txt" || die "qpdf did not rebuild the xref of broken-xref.pdf"
[[ $(flat_text "$OUT/broken-xref.pdf" 2>/dev/null) == "$(flat_text "$OUT/report.pdf")" ]] \
    || die "pdftotext does not read broken-xref.pdf as it reads report.pdf"

# --- a scan: the report's page as a grey PNG at 50 dpi, wrapped by img2pdf --
pdftoppm -q -png -gray -r 50 -singlefile "$OUT/report.pdf" "$TMP/page"
img2pdf --nodate -o "$OUT/scanned.pdf" "$TMP/page.png" 2>/dev/null \
    || img2pdf -o "$OUT/scanned.pdf" "$TMP/page.png"
[[ -z $(flat_text "$OUT/scanned.pdf") ]] || die "scanned.pdf has a text layer"

# --- hand-written PDF bytes: hostile structures, STSong, a blank page ------
python3 "$SRC/handwritten.py" "$SRC/report.txt" "$OUT"
# poppler reads the text of every one of them but blank.pdf (the missing
# font only costs the footer "- 1 -")
for f in cid-identity-h no-mediabox missing-font-object self-drawing-form stsong-unigb-ucs2; do
    flat_text "$OUT/$f.pdf" 2>/dev/null | grep -q "项目支出4762.02万元" || die "pdftotext cannot read $f.pdf"
done
[[ -z $(flat_text "$OUT/blank.pdf") ]] || die "blank.pdf has text"

# --- not PDFs at all, under a .pdf name ------------------------------------
: >"$OUT/empty.pdf"
cp "$TMP/page.png" "$OUT/image.pdf"
soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
    --infilter="Text (encoded):UTF8,LF,WenQuanYi Zen Hei,zh-CN" \
    --convert-to docx:"MS Word 2007 XML" --outdir "$TMP" "$TMP/report.txt" >/dev/null 2>&1
[[ -s $TMP/report.docx ]] || die "LibreOffice made no docx"
cp "$TMP/report.docx" "$OUT/office.pdf"
# what a portal returns when the download session has expired, saved as .pdf
cat >"$OUT/html.pdf" <<'EOF'
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>提示信息</title>
</head>
<body>
<div class="msg">
  <h3>登录已超时</h3>
  <p>您的登录状态已失效，请重新登录后再下载附件。</p>
  <p><a href="/login">返回登录页</a></p>
</div>
</body>
</html>
EOF

# --- sizes -------------------------------------------------------------------
total=0
for f in "$OUT"/*.pdf; do
    s=$(stat -c %s "$f")
    total=$((total + s))
    printf '%-40s %7d bytes\n' "$f" "$s"
done
printf '%-40s %7d bytes\n' total "$total"
((total < 2 * 1024 * 1024)) || die "fixtures/ingest is over 2 MB"
