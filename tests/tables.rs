//! Tables ruled in the ways the text layer must tell apart
//! (`src/pdftext/layout/cells.rs`), on real PDFs from Chromium and XeLaTeX
//! (`scripts/make_tables.sh`, sources in `scripts/tables/`): a cell's
//! wrapped lines are joined only where borders close the cell on every
//! side and it has neighbours; a table ruled between columns only, a
//! 三线表 and a framed paragraph keep their lines.

use jixiao::pdftext::extract_pages;
use lopdf::Document;

fn lines(rel: &str) -> Vec<Vec<String>> {
    let doc = Document::load(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let pages = extract_pages(&doc).unwrap();
    pages
        .iter()
        .flat_map(|p| p.text.lines().map(str::to_string).collect::<Vec<_>>())
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn assert_rows(rel: &str, rows: &[&[&str]]) {
    let got = lines(rel);
    for row in rows {
        assert!(
            got.iter().any(|l| l == row),
            "{rel}: no line {row:?} in {got:#?}"
        );
    }
}

#[test]
fn a_table_ruled_between_columns_only_keeps_a_line_per_row() {
    for rel in [
        "fixtures/tables/column-rules-only-chromium.pdf",
        "fixtures/tables/column-rules-only-xelatex.pdf",
    ] {
        assert_rows(
            rel,
            &[
                &["项目", "金额", "占比"],
                &["一般公共预算财政拨款收入", "10583.60", "99.94%"],
                &["其他收入", "6.60", "0.06%"],
                &["收入合计", "10590.20", "100%"],
            ],
        );
    }
}

#[test]
fn a_three_line_table_keeps_a_line_per_row() {
    assert_rows(
        "fixtures/tables/three-line-chromium.pdf",
        &[
            &["项目", "金额", "占比"],
            &["基本支出", "5864.18", "55.37%"],
            &["项目支出", "4726.02", "44.63%"],
            &["支出合计", "10590.20", "100%"],
        ],
    );
}

#[test]
fn a_framed_paragraph_keeps_its_lines() {
    let got = lines("fixtures/tables/framed-note-chromium.pdf");
    let texts: Vec<String> = got.iter().map(|l| l.concat()).collect();
    assert_eq!(
        texts,
        [
            "四、自评结论",
            "本部门2023年度整体支出绩效自评得分98.92分，自评等级为",
            "“优”。预算执行率为99.94%，各项指标完成情况良好，边框只是",
            "一个说明框，不是表格，其中的各行文字仍按行读取。",
            "五、存在的问题",
        ]
    );
}

#[test]
fn numbers_wrapped_in_a_narrow_grid_cell_are_read_whole() {
    // pdftotext -layout writes the 执行率 column a character or two per
    // line (９ / ７． / ４ / ８％) beside the row's other cells.
    assert_rows(
        "fixtures/tables/grid-wrapped-chromium.pdf",
        &[
            &["项目", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            &[
                "年度资金总额",
                "1079.33",
                "1052.13",
                "10",
                "９７．４８％",
                "９．７５",
            ],
            &[
                "其中：财政拨款",
                "1038.63",
                "1022.03",
                "—",
                "９８．４０％",
                "—",
            ],
        ],
    );
}

/// Each page's ruled rows as the text of their cells.
fn ruled_rows(rel: &str) -> Vec<Vec<String>> {
    let doc = Document::load(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut out = Vec::new();
    for page in extract_pages(&doc).unwrap() {
        let lines: Vec<&str> = page.text.split('\n').collect();
        for row in &page.rows {
            let line = lines[row.line];
            out.push(
                row.cells
                    .iter()
                    .map(|c| line[c.clone()].to_string())
                    .collect(),
            );
        }
    }
    out
}

#[test]
fn the_rows_of_a_ruled_table_are_marked_with_their_cells() {
    // A wrapped cell is one cell (`９７．４８％` from four lines); only the
    // grid's rows are marked: a table ruled between columns only, a
    // 三线表 and a framed paragraph have no ruled cells.
    let rows = ruled_rows("fixtures/tables/grid-wrapped-chromium.pdf");
    for row in [
        &["项目", "全年预算数", "全年执行数", "分值", "执行率", "得分"][..],
        &[
            "年度资金总额",
            "1079.33",
            "1052.13",
            "10",
            "９７．４８％",
            "９．７５",
        ],
        &[
            "其中：财政拨款",
            "1038.63",
            "1022.03",
            "—",
            "９８．４０％",
            "—",
        ],
    ] {
        assert!(rows.iter().any(|r| r == row), "no row {row:?} in {rows:#?}");
    }
    for rel in [
        "fixtures/tables/column-rules-only-chromium.pdf",
        "fixtures/tables/column-rules-only-xelatex.pdf",
        "fixtures/tables/three-line-chromium.pdf",
        "fixtures/tables/framed-note-chromium.pdf",
    ] {
        assert_eq!(ruled_rows(rel), Vec::<Vec<String>>::new(), "{rel}");
    }
}
