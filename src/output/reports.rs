//! `reports.jsonl`: the dataset proper.
//!
//! One line per input file, failed files included, in the order given
//! (callers pass records sorted by path, see [`super::sorted`]). Each line
//! is one [`Record`] as compact JSON followed by `\n`; the record's fields
//! are documented in [`crate::record`]. The output is byte-for-byte the
//! same for the same inputs: records carry no timings and no absolute
//! paths, and every map in them has a fixed order.

use super::safe;
use crate::ordered_json::OrderedJson;
use crate::record::Record;
use std::io::{self, Write};

/// Writes one compact JSON line per record.
pub fn write(w: &mut dyn Write, records: &[&Record]) -> io::Result<()> {
    for record in records {
        w.write_all(line(record)?.as_bytes())?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// A record's line, without its `\n`. The journal writes the same lines
/// (see [`super::journal`]), so that a record read back from it goes into
/// `reports.jsonl` with the same bytes.
///
/// Text from a PDF may hold terminal controls: JSON escapes the C0 ones,
/// and [`safe::json_invisible`] the C1 and bidirectional ones, so that a
/// line shown as it is (`cat`, an editor) cannot act on the screen.
pub fn line(record: &Record) -> io::Result<String> {
    Ok(safe::json_invisible(serde_json::to_string(record)?))
}

/// The report model of a record's line (`None` when the line has none).
pub fn report_of_line(line: &str) -> Option<OrderedJson> {
    let whole: OrderedJson = serde_json::from_str(line).ok()?;
    match whole {
        OrderedJson::Object(entries) => entries
            .into_iter()
            .find(|(k, _)| k == "report")
            .map(|(_, v)| v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{sorted, testing};

    fn render(records: &[Record]) -> String {
        let mut out = Vec::new();
        write(&mut out, &sorted(records)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_compact_line_per_record_sorted_by_path() {
        let out = render(&testing::records());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(out.ends_with('\n'));
        let paths: Vec<String> = lines
            .iter()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["source"]["path"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(paths, ["corpus/a.pdf", "corpus/b.pdf", "corpus/c.pdf"]);
    }

    #[test]
    fn a_failed_record_keeps_its_shape() {
        let out = render(&[testing::failed()]);
        assert_eq!(
            out,
            concat!(
                r#"{"schema_version":1,"source":{"path":"corpus/a.pdf","sha256":""#,
                "abababababababababababababababababababababababababababababababab",
                r#"","bytes":1234,"pages":null,"text_layer":null},"status":"failed","#,
                r#""error":{"code":"ING001","message":"a.pdf：文件为空"},"document":null,"#,
                r#""report":null,"findings":[],"diagnostics":[]}"#,
                "\n"
            )
        );
    }

    #[test]
    fn the_same_records_give_the_same_bytes() {
        assert_eq!(render(&testing::records()), render(&testing::records()));
        let mut reversed = testing::records();
        reversed.reverse();
        assert_eq!(render(&testing::records()), render(&reversed));
    }
}
