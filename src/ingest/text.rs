//! A `.txt` report: its text as written, pages apart at form feeds, and
//! the rows of its pipe tables (`年度资金总额 | 1172.55 | 1268.72 |`, as
//! web pages and Markdown export them) as rows of cells.

use super::{refuse_too_much_text, IngestError, Pages};
use crate::model::Code;

pub(super) fn ingest_text(bytes: &[u8]) -> Result<Pages, IngestError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        IngestError::new(
            Code::ING001,
            format!(
                "文本文件不是有效的 UTF-8 编码（第 {} 字节处出现无效字节，可能是 GBK 等其他编码），请另存为 UTF-8 后重试",
                e.valid_up_to() + 1
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(IngestError::new(
            Code::ING001,
            "文件为空：文本文件中没有任何文字".to_string(),
        ));
    }
    refuse_too_much_text([text])?;
    Ok(Pages {
        pages: text.split('\x0c').map(pipe_rows).collect(),
        text_layer: "text".into(),
        rows: Vec::new(),
        diagnostics: Vec::new(),
        ocr: Vec::new(),
    })
}

/// The page with each pipe-table line written as the text layer writes a
/// table row: its cells apart by two spaces (a cell gap), an empty cell
/// between two others as `—`, the empty cells at either end (a merged or
/// unused column) dropped. A separator line (`|---|:--|`) and a line of
/// empty cells become empty lines, so the lines keep their numbers. Other lines are kept as they
/// are.
fn pipe_rows(page: &str) -> String {
    if !page.contains(['|', '｜']) {
        return page.to_string();
    }
    let mut out = String::with_capacity(page.len());
    for (i, line) in page.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let bars = line.matches(['|', '｜']).count();
        if bars < 2 {
            out.push_str(line);
            continue;
        }
        if line
            .chars()
            .all(|c| matches!(c, '|' | '｜' | '-' | ':' | ' ' | '\t'))
        {
            continue;
        }
        let mut cells: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        let lead = cells.iter().take_while(|c| c.is_empty()).count();
        let cells: Vec<&str> = cells[lead..]
            .iter()
            .map(|c| if c.is_empty() { "—" } else { c })
            .collect();
        out.push_str(&cells.join("  "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pipe_rows;

    #[test]
    fn pipe_table_lines_become_rows_of_cells() {
        let page = "部门整体支出绩效自评表 | |||\n资金来源 | 年初预算数 | 全年执行数 | 分值 | 得分 |\n|---|:--|\n年度资金总额: | 1172.55 | | 10 | 10 | ||\n基本支出 | 985.19 | 914.97 |\n10 | 10 | |||||\n说明：单位为万元。";
        assert_eq!(
            pipe_rows(page),
            "部门整体支出绩效自评表\n资金来源  年初预算数  全年执行数  分值  得分\n\n年度资金总额:  1172.55  —  10  10\n基本支出  985.19  914.97\n10  10\n说明：单位为万元。"
        );
    }

    #[test]
    fn text_without_pipes_is_kept_as_it_is() {
        let page = "一、基本情况\n项目资金 100 万元 | 另见附表。";
        assert_eq!(pipe_rows(page), page);
    }
}
