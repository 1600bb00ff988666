//! What makes a line a table's line: the one definition of an empty cell
//! and of a number cell, the words table headers are made of, and the
//! tests that tell a table row or a header row from prose by the text's
//! shape alone.
//!
//! The shape tests ([`is_row`], [`is_gapped_row`], [`is_header_row`]) are
//! for text without geometry: a `.txt`, pdf-extract's text, and a PDF's
//! lines outside its ruled tables. Where the page's ruling lines enclose a
//! row's cells, the text layer knows the row and its cells, and
//! `normalize` says so in [`crate::text::LineInfo`].

use regex::Regex;
use std::sync::LazyLock;

use super::line::is_enumerated;

/// The marks a table writes in a cell that holds nothing: a dash or a
/// slash, in either width.
const EMPTY_MARKS: &[&str] = &["—", "——", "-", "－", "/", "／"];

/// A cell that states that it holds nothing: one of the marks of
/// [`is_empty_mark`], or the word 无 ("none"). This is the one definition
/// of an empty cell: a reader takes no value from such a cell, and a row's
/// columns still count it.
pub fn is_empty_cell(c: &str) -> bool {
    is_empty_mark(c) || c == "无"
}

/// A dash or a slash standing for an empty cell (`—`, `——`, `-`, `－`,
/// `/`, `／`): the empty cells that are also evidence of a table. Prose
/// never writes a lone dash between two wide gaps, but it does write 无
/// (`无  偏差`), so the shape test [`is_gapped_row`] counts these marks and
/// not the word.
pub fn is_empty_mark(c: &str) -> bool {
    EMPTY_MARKS.contains(&c)
}

/// Punctuation that belongs to sentences, never to a table row.
pub fn has_sentence_punctuation(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            '，' | '。' | '；' | '：' | '！' | '？' | '、' | ',' | ';' | '!' | '?'
        )
    })
}

/// A cell holding a number as a table states it: `10583.6`, `99.94%`,
/// `-3.5`, `1,234`; also cells glued by the extractor (`10583.699.94%`).
pub fn is_numeric_cell(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+', '−']).unwrap_or(t);
    let t = t.strip_suffix(['%', '‰']).unwrap_or(t);
    !t.is_empty()
        && t.starts_with(|c: char| c.is_ascii_digit())
        && t.ends_with(|c: char| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// `label number…` or `number number…`, without sentence punctuation.
pub fn is_row(s: &str) -> bool {
    let tokens: Vec<&str> = s.split_whitespace().collect();
    tokens.len() >= 2
        && !has_sentence_punctuation(s)
        && tokens.last().is_some_and(|t| is_numeric_cell(t))
        && (is_numeric_cell(tokens[0]) || tokens[0].chars().count() <= 30)
        && !is_enumerated(s)
}

static GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").expect("valid regex"));

/// A row as a layout-keeping text layer gives it: cells apart by runs of
/// two or more spaces, at least three cells, two of them numbers or the
/// mark of an empty cell (one a number). Such a row stays a row even when
/// a text cell has sentence punctuation (`其中：当年财政拨款`, a 偏差原因
/// such as `部分老人住院，服务暂停`) or the last cell is text.
pub fn is_gapped_row(s: &str) -> bool {
    let cells: Vec<&str> = GAP.split(s.trim()).collect();
    let numbers = cells.iter().filter(|c| is_numeric_cell(c)).count();
    let marks = cells.iter().filter(|c| is_empty_mark(c)).count();
    cells.len() >= 3 && numbers >= 1 && numbers + marks >= 2 && !is_enumerated(s)
}

/// Short labels separated by spaces: `项目 金额 占比`. (A header row is
/// such a line followed by a row.)
pub fn is_header_row(s: &str) -> bool {
    let tokens: Vec<&str> = s.split_whitespace().collect();
    tokens.len() >= 2
        && !has_sentence_punctuation(s)
        && tokens
            .iter()
            .all(|t| t.chars().count() <= 8 && !is_numeric_cell(t))
}

/// The words the columns of the bureau's tables are named with, longest
/// first where one contains another (`一级指标` before `指标`): the amount
/// and share tables (项目 金额 占比), the budget execution table (年初预算数
/// 全年预算数 全年执行数 分值 执行率 得分) and the indicator table (一级指标
/// … 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施).
pub const HEADER_WORDS: &[&str] = &[
    "偏差原因分析及改进措施",
    "偏差原因及改进措施",
    "偏差原因分析",
    "调整后预算数",
    "偏差原因",
    "扣分原因",
    "扣分说明",
    "一级指标",
    "二级指标",
    "三级指标",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "科目编码",
    "科目名称",
    "年度指标",
    "实际完成",
    "评分标准",
    "评价标准",
    "指标解释",
    "指标说明",
    "完成情况",
    "项目名称",
    "指标名称",
    "预算数",
    "执行数",
    "决算数",
    "本年数",
    "上年数",
    "执行率",
    "指标值",
    "目标值",
    "预期值",
    "完成值",
    "实际值",
    "金额",
    "占比",
    "比重",
    "分值",
    "权重",
    "满分",
    "得分",
    "评分",
    "备注",
    "项目",
    "指标",
    "名称",
    "序号",
    "科目",
    "单位",
    "合计",
];

/// The first header word the cell contains, if any; spaces inside the
/// cell do not count (a header cell is often letter-spaced: `项 目`).
pub fn header_word(cell: &str) -> Option<&'static str> {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    HEADER_WORDS.iter().copied().find(|w| compact.contains(w))
}

/// Cells that name columns: at least two, none a number or an empty
/// cell, and most of them (more than half) holding a header word
/// (`2023年预算数` is a column's name). A row of a form (`项目名称 |
/// 档案信息化建设`) is not a header: only one of its two cells names a
/// column.
pub fn is_header_cells(cells: &[&str]) -> bool {
    let named = cells.iter().filter(|c| header_word(c).is_some()).count();
    cells.len() >= 2
        && cells
            .iter()
            .all(|c| !is_numeric_cell(c) && !is_empty_cell(c))
        && named * 2 > cells.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_marks_or_none_and_only_marks_make_a_row() {
        for c in ["—", "——", "-", "－", "/", "／", "无"] {
            assert!(is_empty_cell(c), "{c}");
        }
        assert!(!is_empty_mark("无"));
        assert!(!is_empty_cell("无偏差"));
        assert!(is_gapped_row("培训人次    —    120"));
        assert!(!is_gapped_row("培训人次    无    120"));
    }

    #[test]
    fn rows_and_headers_by_shape() {
        assert!(is_row("一般公共预算财政拨款收入 10583.6 99.94%"));
        assert!(!is_row("（1）运行经费支出 1808.84"));
        assert!(!is_row("收入合计为 10590.2，占比 100%"));
        assert!(is_gapped_row("其中：当年财政拨款    5864.18    —"));
        assert!(is_header_row("项目 金额 占比"));
        assert!(!is_header_row("项目 10583.6"));
    }

    #[test]
    fn header_cells_name_columns() {
        assert!(is_header_cells(&["项目", "金额", "占比"]));
        assert!(is_header_cells(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施"
        ]));
        assert!(!is_header_cells(&["项目名称", "档案信息化建设"]));
        assert!(!is_header_cells(&["收入合计", "10590.2", "100%"]));
        assert!(is_header_cells(&[
            "项目",
            "2024年预算数",
            "2023年预算数",
            "增减额"
        ]));
        assert!(!is_header_cells(&["合计", "—", "预算数"]));
        assert!(is_header_cells(&["支 出 项 目", "2023年决算数", "为预算%"]));
    }
}
