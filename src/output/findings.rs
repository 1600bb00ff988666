//! `findings.csv`: one row per finding, for a spreadsheet.
//!
//! The file starts with a UTF-8 byte order mark, so that Excel reads the
//! Chinese text as UTF-8, and uses CRLF line ends. Columns:
//! - `file`: the record's `source.path`;
//! - `rule`: the code, e.g. `SCR001`;
//! - `severity`: `error` or `warning`;
//! - `message`: the Chinese message;
//! - `stated`, `expected`: the numbers that disagree (empty when none);
//! - `page`, `quote`: the primary evidence (empty when there is none, or
//!   its page is unknown).
//!
//! Files that could not be read have no findings and so no rows here;
//! their failure is in `reports.jsonl` and counted in `summary.json`.
//!
//! The text comes from the PDFs and from the file names, which anybody may
//! have written: every cell goes through [`safe::csv_cell`], so that a cell
//! a spreadsheet would evaluate as a formula starts with `'` instead, and a
//! cell over Excel's length limit is cut with a visible marker.

use super::safe;
use crate::record::Record;
use std::io::{self, Write};

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

pub const HEADER: [&str; 8] = [
    "file", "rule", "severity", "message", "stated", "expected", "page", "quote",
];

/// Writes the BOM, the header and one row per finding.
pub fn write(w: &mut dyn Write, records: &[&Record]) -> io::Result<()> {
    w.write_all(BOM)?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    csv.write_record(HEADER)?;
    for record in records {
        for finding in &record.findings {
            let primary = finding.evidence.first();
            let page = primary
                .and_then(|e| e.page)
                .map(|p| p.to_string())
                .unwrap_or_default();
            let row = [
                record.source.path.as_str(),
                finding.rule.as_str(),
                severity_str(finding.severity),
                finding.message.as_str(),
                finding.stated.as_deref().unwrap_or(""),
                finding.expected.as_deref().unwrap_or(""),
                page.as_str(),
                primary.map(|e| e.quote.as_str()).unwrap_or(""),
            ];
            csv.write_record(row.map(safe::csv_cell).iter().map(|c| c.as_bytes()))?;
        }
    }
    csv.flush()
}

fn severity_str(s: crate::record::Severity) -> &'static str {
    s.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{sorted, testing};

    #[test]
    fn bom_header_and_one_row_per_finding() {
        let mut out = Vec::new();
        write(&mut out, &sorted(&testing::records())).unwrap();
        assert!(out.starts_with(BOM));
        let text = String::from_utf8(out[BOM.len()..].to_vec()).unwrap();
        assert_eq!(
            text,
            "file,rule,severity,message,stated,expected,page,quote\r\n\
             corpus/b.pdf,SCR001,error,采购政策效能得分 9.99 分，超过其分值 1 分,9.99,≤ 1,8,\
             采购政策效能分值 1 分，得分 9.99 分\r\n\
             corpus/b.pdf,CNT001,warning,一级项目共 6 个，但列出 8 个,6,8,5,一级项目共 6 个\r\n"
        );
    }

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let mut record = testing::with_findings();
        record.findings.truncate(1);
        record.findings[0].evidence[0].quote = "甲, \"乙\"".into();
        record.findings[0].evidence[0].page = None;
        let mut out = Vec::new();
        write(&mut out, &[&record]).unwrap();
        let text = String::from_utf8(out[BOM.len()..].to_vec()).unwrap();
        assert!(
            text.ends_with(",9.99,≤ 1,,\"甲, \"\"乙\"\"\"\r\n"),
            "{text}"
        );
        // And it reads back as the same fields.
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[7], "甲, \"乙\"");
        assert_eq!(&row[6], "");
    }

    #[test]
    fn formula_cells_are_neutralised_and_long_cells_cut() {
        let mut record = testing::with_findings();
        record.findings.truncate(1);
        record.source.path = "=cmd|' /C calc'!A0.pdf".into();
        record.findings[0].message = "@SUM(1)".into();
        record.findings[0].stated = Some("-3.5".into());
        record.findings[0].expected = Some("+1".into());
        record.findings[0].evidence[0].quote =
            format!("=HYPERLINK(\"http://x/\",\"查看\"){}", "得".repeat(40_000));
        let mut out = Vec::new();
        write(&mut out, &[&record]).unwrap();
        let mut reader = csv::Reader::from_reader(&out[BOM.len()..]);
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "'=cmd|' /C calc'!A0.pdf");
        assert_eq!(&row[3], "'@SUM(1)");
        assert_eq!(&row[4], "'-3.5");
        assert_eq!(&row[5], "'+1");
        assert!(row[7].starts_with("'=HYPERLINK("), "{}", &row[7][..40]);
        assert!(row[7].ends_with(safe::CELL_CUT_MARKER));
        assert_eq!(row[7].encode_utf16().count(), safe::EXCEL_CELL_MAX);
    }

    #[test]
    fn no_findings_gives_only_the_header() {
        let mut out = Vec::new();
        write(&mut out, &[&testing::failed(), &testing::clean()]).unwrap();
        assert_eq!(
            &out[BOM.len()..],
            b"file,rule,severity,message,stated,expected,page,quote\r\n"
        );
    }
}
