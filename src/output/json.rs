//! `audit --json`: one document's record as pretty JSON, for a person or a
//! script looking at a single file. The fields are those of a line of
//! `reports.jsonl` (see [`crate::record`]); only the layout differs.

use crate::record::Record;
use std::io::{self, Write};

/// Writes the record as pretty JSON followed by a newline.
pub fn write(w: &mut dyn Write, record: &Record) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, record)?;
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
}
