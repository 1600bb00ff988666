//! The terminal output a reviewer reads when no `--out` is given.
//!
//! For each file that has findings or could not be read, the path, then
//! each finding as its severity, code and Chinese message, then its
//! evidence: the primary statement (page and quote) on the next line, and
//! the statements it was compared with indented below that:
//!
//! ```text
//! corpus/x.pdf
//!   错误 SCR001 采购政策效能得分 9.99 分，超过其分值 1 分
//!     第 8 页：「采购政策效能分值 1 分，得分 9.99 分」
//!       第 7 页：「……」
//! ```
//!
//! A file that could not be read shows `失败`, its ING code and the cause.
//! Files without findings are not listed. A summary closes the output:
//! files read and failed, findings by severity and by rule, failures by
//! code.
//!
//! File names, messages and quotes come from the PDFs and their senders:
//! they are printed through [`safe::terminal`], so an escape sequence, a
//! carriage return or a bidirectional override in them shows as `\u{1b}`,
//! `\u{d}`, `\u{202e}` and cannot rewrite what the reviewer sees.

use crate::output::safe::terminal;
use crate::output::summary::Summary;
use crate::record::{Evidence, Record, Status};
use std::io::{self, Write};

/// Quotes longer than this many characters are cut, with `…`.
const MAX_QUOTE_CHARS: usize = 120;

/// Writes every file with findings or a failure, then the summary.
pub fn write(w: &mut dyn Write, records: &[&Record], summary: &Summary) -> io::Result<()> {
    let mut first = true;
    for record in records {
        if !has_output(record) {
            continue;
        }
        if !first {
            writeln!(w)?;
        }
        first = false;
        write_record(w, record)?;
    }
    if !first {
        writeln!(w)?;
    }
    write_summary(w, summary)?;
    w.flush()
}

/// Writes one file's block: its path, then its failure or its findings.
pub fn write_record(w: &mut dyn Write, record: &Record) -> io::Result<()> {
    writeln!(w, "{}", terminal(&record.source.path))?;
    for partner in &record.partners {
        let what = match partner.relation {
            crate::record::Relation::Tables => "其公开表",
            crate::record::Relation::Narrative => "其情况说明",
            crate::record::Relation::PreviousYear => "上年文件",
            crate::record::Relation::NextYear => "下一年文件",
        };
        writeln!(w, "  与{what} {} 一并核对", terminal(&partner.path))?;
    }
    if let Some(error) = &record.error {
        writeln!(w, "  失败 {} {}", error.code, terminal(&error.message))?;
    }
    for finding in &record.findings {
        writeln!(
            w,
            "  {} {} {}",
            finding.severity.chinese(),
            finding.rule,
            terminal(&finding.message)
        )?;
        for (i, evidence) in finding.evidence.iter().enumerate() {
            let indent = if i == 0 { "    " } else { "      " };
            writeln!(w, "{indent}{}", evidence_line(evidence))?;
        }
    }
    Ok(())
}

/// Writes the closing summary (also printed after `--out`).
pub fn write_summary(w: &mut dyn Write, s: &Summary) -> io::Result<()> {
    writeln!(
        w,
        "共 {} 个文件：已检查 {} 个，未能读取 {} 个",
        s.files, s.status.ok, s.status.failed
    )?;
    if s.resumed > 0 {
        writeln!(
            w,
            "其中 {} 个文件沿用上次未完成运行的记录，本次检查其余 {} 个",
            s.resumed,
            s.files - s.resumed
        )?;
    }
    writeln!(
        w,
        "发现问题 {} 个：错误 {} 个，警告 {} 个",
        s.findings.total, s.findings.by_severity.error, s.findings.by_severity.warning
    )?;
    let by_rule = nonzero(s.findings.by_rule.iter().map(|(c, n)| (c.as_str(), *n)));
    if !by_rule.is_empty() {
        writeln!(w, "按规则：{by_rule}")?;
    }
    let failures = nonzero(s.failures.iter().map(|(c, n)| (c.as_str(), *n)));
    if !failures.is_empty() {
        writeln!(w, "未能读取：{failures}")?;
    }
    Ok(())
}

fn nonzero<'a>(counts: impl Iterator<Item = (&'a str, usize)>) -> String {
    counts
        .filter(|(_, n)| *n > 0)
        .map(|(code, n)| format!("{code} {n} 个"))
        .collect::<Vec<_>>()
        .join("，")
}

fn evidence_line(e: &Evidence) -> String {
    let quote = shorten(&e.quote);
    let quote = terminal(&quote);
    // A statement of the partner file names it (see `crate::pairs`).
    let file = e
        .source
        .as_deref()
        .map(|s| format!("{} ", terminal(s)))
        .unwrap_or_default();
    match e.page {
        Some(page) => format!("{file}第 {page} 页：「{quote}」"),
        None => format!("{file}「{quote}」"),
    }
}

fn shorten(quote: &str) -> String {
    let quote = quote.trim();
    if quote.chars().count() <= MAX_QUOTE_CHARS {
        return quote.to_string();
    }
    let mut cut: String = quote.chars().take(MAX_QUOTE_CHARS).collect();
    cut.push('…');
    cut
}

/// Whether [`write()`] lists a record: a failed one, or one with findings.
pub fn has_output(record: &Record) -> bool {
    record.status == Status::Failed || !record.findings.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::RunTimings;
    use crate::output::{sorted, testing};

    fn render(records: &[Record]) -> String {
        let records = sorted(records);
        let summary = Summary::new(&records, &RunTimings::default());
        let mut out = Vec::new();
        write(&mut out, &records, &summary).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn findings_and_failures_then_a_summary() {
        assert_eq!(
            render(&testing::records()),
            "\
corpus/a.pdf
  失败 ING001 a.pdf：文件为空

corpus/b.pdf
  错误 SCR001 采购政策效能得分 9.99 分，超过其分值 1 分
    第 8 页：「采购政策效能分值 1 分，得分 9.99 分」
  警告 CNT001 一级项目共 6 个，但列出 8 个
    第 5 页：「一级项目共 6 个」
      「下属单位一级项目 2 个, \"档案\"」

共 3 个文件：已检查 2 个，未能读取 1 个
发现问题 2 个：错误 1 个，警告 1 个
按规则：SCR001 1 个，CNT001 1 个
未能读取：ING001 1 个
"
        );
    }

    #[test]
    fn a_clean_run_prints_only_the_summary() {
        assert_eq!(
            render(&[testing::clean()]),
            "共 1 个文件：已检查 1 个，未能读取 0 个\n发现问题 0 个：错误 0 个，警告 0 个\n"
        );
    }

    #[test]
    fn a_resumed_run_says_how_many_records_it_reused() {
        let records = testing::records();
        let mut summary = Summary::new(&sorted(&records), &RunTimings::default());
        summary.resumed = 2;
        let mut out = Vec::new();
        write_summary(&mut out, &summary).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(
                "共 3 个文件：已检查 2 个，未能读取 1 个\n\
                 其中 2 个文件沿用上次未完成运行的记录，本次检查其余 1 个\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn control_characters_from_a_pdf_or_a_file_name_are_shown_not_sent() {
        let mut record = testing::with_findings();
        record.source.path = "in/\u{1b}]0;PWNED\u{7}.pdf\n  失败 ING001 forged".into();
        record.findings.truncate(1);
        record.findings[0].message = "得分\u{202e}1.99".into();
        record.findings[0].evidence[0].quote = "\u{1b}[2K\u{1b}[1A\r\u{8}得分 9.99 分".into();
        let mut failed = testing::failed();
        failed.error.as_mut().unwrap().message = "a.pdf\u{9b}2J：\u{2067}".into();
        let text = render(&[record, failed]);
        assert!(
            !text
                .chars()
                .any(|c| crate::output::safe::is_unsafe_char(c) && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("in/\\u{1b}]0;PWNED\\u{7}.pdf\\u{a}  失败 ING001 forged\n"));
        assert!(text.contains("得分\\u{202e}1.99"));
        assert!(text.contains("「\\u{1b}[2K\\u{1b}[1A\\u{d}\\u{8}得分 9.99 分」"));
        assert!(text.contains("  失败 ING001 a.pdf\\u{9b}2J：\\u{2067}\n"));
        // No line but the failed record's own starts with 失败.
        let failures = text.lines().filter(|l| l.trim_start().starts_with("失败"));
        assert_eq!(failures.count(), 1, "{text}");
    }

    #[test]
    fn long_quotes_are_cut_by_characters_not_bytes() {
        let long = "得".repeat(MAX_QUOTE_CHARS + 5);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), MAX_QUOTE_CHARS + 1);
        assert!(short.ends_with('…'));
        assert_eq!(shorten(" 短句 "), "短句");
    }
}
