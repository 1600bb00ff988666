//! Normalization on the real corpus: the seed text and every PDF rendering
//! of it (LibreOffice, Chromium with WenQuanYi Zen Hei, Chromium with Noto
//! Sans CJK in Type 3 fonts, XeLaTeX).
//!
//! Set `JIXIAO_DUMP_DIR` to write each normalized text there, with the page
//! of every line, for reading by eye.

use jixiao::ingest::{ingest, IngestOptions, Pages};
use jixiao::normalize::{normalize, KindSource, LineKind, Text};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

const SEED: &str = "guangzhou-archives-2023-selfeval.txt";

fn load(name: &str) -> (Pages, Text) {
    let path = corpus().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages =
        ingest(&path, &bytes, &IngestOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = normalize(&pages);
    if let Some(dir) = std::env::var_os("JIXIAO_DUMP_DIR") {
        let mut out = String::new();
        for (offset, line) in text.lines_with_offsets() {
            out.push_str(&format!("[p{}] {line}\n", text.page_at(offset)));
        }
        std::fs::write(Path::new(&dir).join(format!("{name}.norm")), out).unwrap();
        let raw: Vec<String> = pages
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| format!("===== page {} =====\n{p}\n", i + 1))
            .collect();
        std::fs::write(Path::new(&dir).join(format!("{name}.raw")), raw.concat()).unwrap();
    }
    (pages, text)
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The 1-based page of the line holding `needle` (whitespace ignored), if
/// one line holds it whole.
fn page_of(text: &Text, needle: &str) -> Option<u32> {
    let needle = compact(needle);
    text.lines_with_offsets().find_map(|(offset, line)| {
        let c = compact(line);
        let at = c.find(&needle)?;
        // Map the match back to a byte offset in the original line.
        let mut seen = 0;
        for (i, ch) in line.char_indices() {
            if ch.is_whitespace() {
                continue;
            }
            if seen == at {
                return Some(text.page_at(offset + i));
            }
            seen += ch.len_utf8();
        }
        None
    })
}

/// The PDF renderings of the seed: file name, and the page each key
/// sentence starts on in that rendering (read off the PDFs with
/// `pdftotext -f N -l N`).
const RENDERINGS: &[(&str, [u32; 7])] = &[
    (
        "guangzhou-archives-2023-libreoffice.pdf",
        [6, 10, 10, 7, 7, 7, 1],
    ),
    (
        "guangzhou-archives-2023-chromium-wqy.pdf",
        [5, 8, 8, 6, 6, 5, 1],
    ),
    (
        "guangzhou-archives-2023-chromium-noto.pdf",
        [5, 8, 8, 6, 6, 5, 1],
    ),
    ("guangzhou-archives-2023-xelatex.pdf", [4, 8, 7, 6, 6, 5, 1]),
];

/// Sentences the extractor needs whole, each inside a single line.
const SENTENCES: [&str; 7] = [
    "2023年广州市档案馆收入合计10590.2万元，其中一般公共预算财政拨款收入10583.6万元，占总收入的99.94%",
    "采购政策效能分值1分，得分9.99分，扣0.01分的主要原因为面向中小企业和小微企业预留的采购预算金额占比为99.62%，未达100%。",
    "合同备案时效性得分0分，采购政策效能得分0.99分。",
    "2023年广州市档案馆一级项目6个，二级项目21个，具体情况如下：",
    "运行经费支出1808.84万元",
    "整体支出绩效自评为98.92分，绩效等级为优。",
    "组织档案资料深度研究、档案文化的开发利用工作",
];

#[test]
fn seed_text_keeps_key_sentences_whole() {
    let (_, text) = load(SEED);
    for s in SENTENCES {
        assert!(page_of(&text, s).is_some(), "seed: not in one line: {s}");
    }
    assert!(text
        .text
        .lines()
        .any(|l| l.starts_with("（1）运行经费支出1808.84万元")));
    assert!(!text.text.contains('#'));
    assert!(!text.text.lines().any(str::is_empty));
}

#[test]
fn every_rendering_keeps_key_sentences_whole_on_their_pages() {
    for (name, pages) in RENDERINGS {
        let (_, text) = load(name);
        for (s, want) in SENTENCES.iter().zip(pages) {
            let got = page_of(&text, s);
            assert_eq!(got, Some(*want), "{name}: {s}");
        }
        let item = text
            .text
            .lines()
            .find(|l| l.contains("运行经费支出1808.84万元"))
            .unwrap();
        assert!(
            item.starts_with("（1）运行经费支出1808.84万元")
                || item.starts_with("(1)运行经费支出1808.84万元"),
            "{name}: {item}"
        );
    }
}

#[test]
fn no_running_header_or_page_number_survives() {
    let header = "2023年度广州市档案馆部门整体支出绩效自评报告";
    for (name, _) in RENDERINGS {
        let (pages, text) = load(name);
        let n = pages.pages.len();
        for (offset, line) in text.lines_with_offsets() {
            let c = compact(line);
            let page = text.page_at(offset);
            // The report's title on page 1 reads like the running header;
            // it is body text and stays, once.
            if c.contains(header) {
                assert!(
                    page == 1 && c == header,
                    "{name} p{page}: header left: {line}"
                );
            }
            let footer = regex_like_page_number(&c, n);
            assert!(!footer, "{name} p{page}: page number left: {line}");
        }
        assert!(
            text.text.matches(header).count() <= 1,
            "{name}: running header repeated"
        );
    }
}

/// `- 3 -`, `第3页共11页`, a bare `3` (whitespace already removed).
fn regex_like_page_number(c: &str, pages: usize) -> bool {
    let inner = c.trim_matches(|ch| matches!(ch, '-' | '—' | '–'));
    let bare = inner.parse::<usize>().is_ok_and(|k| k >= 1 && k <= pages);
    bare || (c.starts_with('第') && c.contains("页共") && c.ends_with('页'))
}

/// The seed's two tables, row by row with every cell separate, in every
/// producer's rendering (pdf-extract 0.12 glued five rows of the Chromium +
/// WenQuanYi file, `10583.699.94%`: it misreads the range form of /W; the
/// own text layer reads the true advances).
fn expected_rows() -> Vec<&'static str> {
    vec![
        "项目 金额 占比",
        "收入合计 10590.2 100%",
        "一般公共预算财政拨款收入 10583.6 99.94%",
        "其他收入 6.6 0.06%",
        "支出合计 10590.2 100%",
        "基本支出 5864.18 55.37%",
        "项目支出 4726.02 44.63%",
        "一级指标 分值 得分",
        "履职效能 50 49.93",
        "管理效率 50 48.99",
        "合计 100 98.92",
    ]
}

#[test]
fn table_rows_come_out_one_per_line() {
    for (name, _) in RENDERINGS {
        let (_, text) = load(name);
        let lines: Vec<&str> = text.text.lines().collect();
        let rows = expected_rows();
        for row in &rows {
            assert!(lines.contains(row), "{name}: row missing: {row}");
        }
        // The rows are consecutive, in order, under their captions.
        for (first, last) in [(0, 6), (7, 10)] {
            let at = lines.iter().position(|l| *l == rows[first]).unwrap();
            assert_eq!(
                &lines[at..=at + last - first],
                &rows[first..=last],
                "{name}"
            );
            assert!(lines[at - 1].starts_with("表"), "{name}: {}", lines[at - 1]);
        }
        let glued = text
            .diagnostics
            .iter()
            .filter(|d| d.kind.as_str() == "glued_number")
            .count();
        assert_eq!(glued, 0, "{name}: {:?}", text.diagnostics);
    }
}

#[test]
fn captions_are_lines_of_their_own() {
    for (name, _) in RENDERINGS {
        let (_, text) = load(name);
        let lines: Vec<&str> = text.text.lines().collect();
        assert!(
            lines.contains(&"表1 2023年部门整体收支情况（单位：万元）"),
            "{name}"
        );
        assert!(lines.contains(&"表2部门整体支出绩效自评得分情况"), "{name}");
    }
}

/// Every paragraph of the seed's own normalized text appears, whole,
/// inside one line of each rendering's normalized text.
#[test]
fn every_seed_paragraph_is_whole_in_every_rendering() {
    let (_, seed) = load(SEED);
    for (name, _) in RENDERINGS {
        let (_, text) = load(name);
        let lines: Vec<String> = text.text.lines().map(compact).collect();
        let missing: Vec<&str> = seed
            .text
            .lines()
            .filter(|p| {
                let p = compact(p);
                !lines.iter().any(|l| l.contains(&p))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{name}: {} seed paragraphs not whole:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }
}

/// Stronger still: apart from the two tables (captions and rows), each
/// rendering's paragraphs are exactly the seed's, in order.
#[test]
fn every_rendering_has_the_seed_paragraphs_and_nothing_else() {
    let (_, seed) = load(SEED);
    let seed: Vec<String> = seed.text.lines().map(compact).collect();
    for (name, _) in RENDERINGS {
        let (_, text) = load(name);
        let rows = expected_rows();
        let prose: Vec<String> = text
            .text
            .lines()
            .filter(|l| !l.starts_with("表") && !rows.contains(l))
            .map(compact)
            .collect();
        if prose != seed {
            let first = prose.iter().zip(&seed).position(|(a, b)| a != b);
            panic!(
                "{name}: {} paragraphs vs {} in the seed; first difference at {first:?}:\n{:?}\n{:?}",
                prose.len(),
                seed.len(),
                first.map(|i| &prose[i]),
                first.map(|i| &seed[i]),
            );
        }
    }
}

#[test]
fn radicals_are_folded_in_the_type3_rendering() {
    let (_, text) = load("guangzhou-archives-2023-chromium-noto.pdf");
    let radicals: Vec<char> = text
        .text
        .chars()
        .filter(|c| ('\u{2E80}'..='\u{2FDF}').contains(c))
        .collect();
    assert!(radicals.is_empty(), "radicals left: {radicals:?}");
    assert!(text.text.contains("广州市档案馆部门"));
}

#[test]
fn page_starts_are_ascending_and_cover_every_page() {
    for (name, _) in RENDERINGS {
        let (pages, text) = load(name);
        assert_eq!(text.page_starts.len(), pages.pages.len(), "{name}");
        assert_eq!(text.page_starts[0], 0, "{name}");
        assert!(text.page_starts.windows(2).all(|w| w[0] <= w[1]), "{name}");
        assert!(text
            .page_starts
            .iter()
            .all(|&s| text.text.is_char_boundary(s)));
        assert_eq!(
            text.page_at(text.text.len().saturating_sub(1)),
            pages.pages.len() as u32,
            "{name}"
        );
    }
}

/// Every line has its [`LineInfo`], in order, and every cell lies inside
/// its line.
fn assert_lines_cover(name: &str, text: &Text) {
    let lines: Vec<(usize, &str)> = text.lines_with_offsets().collect();
    assert_eq!(text.lines.len(), lines.len(), "{name}");
    for (info, (offset, line)) in text.lines.iter().zip(lines) {
        assert_eq!(info.span, offset..offset + line.len(), "{name}");
        let mut at = info.span.start;
        for c in info.kind.cells() {
            assert!(at <= c.start && c.start <= c.end, "{name}: {line}");
            assert!(c.end <= info.span.end, "{name}: {line}");
            assert!(!text.text[c.clone()].starts_with(' '), "{name}: {line}");
            at = c.end;
        }
    }
}

/// The cells of the line that reads `line`, with where its kind comes from.
fn cells_of<'a>(text: &'a Text, line: &str) -> (Vec<&'a str>, &'a LineKind, KindSource) {
    let info = text
        .lines
        .iter()
        .find(|l| &text.text[l.span.clone()] == line)
        .unwrap_or_else(|| panic!("no line {line}"));
    let cells = info
        .kind
        .cells()
        .iter()
        .map(|c| &text.text[c.clone()])
        .collect();
    (cells, &info.kind, info.source)
}

#[test]
fn ruled_rows_are_rows_with_the_ruled_cells() {
    // The seed's two tables are ruled in every rendering: the text layer
    // knows each row and its cells from the borders.
    for (name, _) in RENDERINGS {
        let (pages, text) = load(name);
        assert!(!pages.rows.is_empty(), "{name}");
        assert_lines_cover(name, &text);
        for (k, row) in expected_rows().into_iter().enumerate() {
            let (cells, kind, source) = cells_of(&text, row);
            assert_eq!(source, KindSource::Ruling, "{name}: {row}");
            assert_eq!(cells, row.split(' ').collect::<Vec<_>>(), "{name}: {row}");
            let header = k == 0 || k == 7;
            assert_eq!(
                matches!(kind, LineKind::Header { .. }),
                header,
                "{name}: {row}: {kind:?}"
            );
            assert_eq!(matches!(kind, LineKind::Row { .. }), !header, "{name}");
        }
    }
}

#[test]
fn a_ruled_cell_keeps_its_words_together() {
    // The shape of the text would split `39 个` into two cells; the
    // borders say it is one.
    let name = "labelled/005-proj-2023-libreoffice.pdf";
    let (_, text) = load(name);
    assert_lines_cover(name, &text);
    let (cells, kind, source) =
        cells_of(&text, "产出指标 数量指标 新建服务站点数量 39 个 42 个 5 5");
    assert_eq!(source, KindSource::Ruling);
    assert!(matches!(kind, LineKind::Row { .. }), "{kind:?}");
    assert_eq!(
        cells,
        [
            "产出指标",
            "数量指标",
            "新建服务站点数量",
            "39 个",
            "42 个",
            "5",
            "5"
        ]
    );
}

#[test]
fn a_text_file_gets_the_kinds_of_its_shape() {
    let (pages, text) = load(SEED);
    assert!(pages.rows.is_empty());
    assert_lines_cover(SEED, &text);
    assert!(text.lines.iter().all(|l| l.source == KindSource::Shape));
    let kind = |line: &str| cells_of(&text, line).1.clone();
    assert_eq!(kind("一、基本情况"), LineKind::Heading);
    assert_eq!(kind("(一)部门职能"), LineKind::Heading);
    assert!(text.lines.iter().any(|l| l.kind == LineKind::Prose
        && text.text[l.span.clone()].starts_with("2023年广州市档案馆收入合计")));

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kinds/department-table.txt");
    let bytes = std::fs::read(&path).unwrap();
    let text = normalize(&ingest(&path, &bytes, &IngestOptions::default()).unwrap());
    assert_lines_cover("department-table.txt", &text);
    let (cells, kind, source) = cells_of(&text, "一级指标 二级指标 三级指标 分值 得分 扣分原因");
    assert_eq!(source, KindSource::Shape);
    assert!(matches!(kind, LineKind::Header { .. }), "{kind:?}");
    assert_eq!(
        cells,
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "扣分原因"
        ]
    );
    let (cells, kind, _) = cells_of(&text, "合计 100 94.35");
    assert!(matches!(kind, LineKind::Row { .. }), "{kind:?}");
    assert_eq!(cells, ["合计", "100", "94.35"]);
}
