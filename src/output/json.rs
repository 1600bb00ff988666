//! `audit --json`: one document's record as pretty JSON, for a person or a
//! script looking at a single file. The fields are those of a line of
//! `reports.jsonl` (see [`crate::record`]); only the layout differs.
//!
//! JSON escapes control characters, except the C1 ones and the
//! bidirectional controls, which [`safe::json_invisible`] escapes too: this
//! goes to a terminal.

use super::safe;
use crate::record::Record;
use std::io::{self, Write};

/// Writes the record as pretty JSON followed by a newline.
pub fn write(w: &mut dyn Write, record: &Record) -> io::Result<()> {
    let text = safe::json_invisible(serde_json::to_string_pretty(record)?);
    w.write_all(text.as_bytes())?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing;

    #[test]
    fn pretty_json_with_the_same_content_as_the_jsonl_line() {
        let record = testing::with_findings();
        let mut out = Vec::new();
        write(&mut out, &record).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\n  \"schema_version\": 1,\n"), "{text}");
        assert!(text.ends_with("}\n"));
        let pretty: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(pretty, serde_json::to_value(&record).unwrap());
    }

    #[test]
    fn escapes_and_bidi_controls_are_written_as_json_escapes() {
        let mut record = testing::with_findings();
        record.findings[0].evidence[0].quote = "\u{1b}[2K\u{9b}1A\u{202e}得分".into();
        let mut out = Vec::new();
        write(&mut out, &record).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(r#""quote": "\u001b[2K\u009b1A\u202e得分""#),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, serde_json::to_value(&record).unwrap());
    }
}
