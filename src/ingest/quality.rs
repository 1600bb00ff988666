//! A first text-quality gate: is what pdf-extract returned usable text?
//!
//! A scanned report has pages but no text layer; a PDF whose fonts lack a
//! Unicode mapping yields control characters, U+FFFD or private-use code
//! points instead of Chinese. Either way the audit would see nothing and
//! report nothing, which a reviewer would read as "no problems". So a
//! document without usable Chinese text fails with ING003, and a single bad
//! page in an otherwise good document is reported as a diagnostic.

use super::IngestError;
use crate::record::Diagnostic;
use crate::rules::Code;

/// Below this many Han characters a report has no usable text: even a
/// one-page summary has hundreds.
const MIN_HAN: usize = 20;

/// Counts of one text's characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Characters that are not whitespace.
    pub significant: usize,
    /// Han ideographs (including the radical blocks some fonts map to).
    pub han: usize,
    /// Control characters, U+FFFD and private-use code points: the marks
    /// of glyphs without a Unicode mapping.
    pub garbled: usize,
}

impl Stats {
    pub fn of(text: &str) -> Stats {
        let mut s = Stats::default();
        for c in text.chars() {
            if c.is_whitespace() {
                continue;
            }
            s.significant += 1;
            if is_han(c) {
                s.han += 1;
            } else if is_garbled(c) {
                s.garbled += 1;
            }
        }
        s
    }

    fn add(self, o: Stats) -> Stats {
        Stats {
            significant: self.significant + o.significant,
            han: self.han + o.han,
            garbled: self.garbled + o.garbled,
        }
    }

    /// More than a fifth of the characters are garbled.
    fn mostly_garbled(&self) -> bool {
        self.garbled * 5 > self.significant
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'    // CJK and Kangxi radicals
        | '\u{3400}'..='\u{4DBF}'  // extension A
        | '\u{4E00}'..='\u{9FFF}'  // unified ideographs
        | '\u{F900}'..='\u{FAFF}'  // compatibility ideographs
        | '\u{20000}'..='\u{3134F}')
}

fn is_garbled(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || c == '\u{FFFD}'
        || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

const NO_TEXT: &str =
    "未能从 PDF 中读取到可用文字（可能为扫描件或字体缺少 Unicode 映射），需要 OCR 或重新导出";

/// Passes a document whose text is usable, with a diagnostic for each page
/// that is empty or garbled; fails one that has no usable text at all.
pub fn gate(pages: &[String]) -> Result<Vec<Diagnostic>, IngestError> {
    let per_page: Vec<Stats> = pages.iter().map(|p| Stats::of(p)).collect();
    let total = per_page.iter().fold(Stats::default(), |a, s| a.add(*s));
    let n = pages.len();
    let detail = if total.significant == 0 {
        Some(format!("共 {n} 页，未提取到任何文字"))
    } else if total.han < MIN_HAN || total.han * 10 < total.significant {
        Some(format!(
            "共 {n} 页，提取到 {} 个字符，其中汉字仅 {} 个",
            total.significant, total.han
        ))
    } else if total.mostly_garbled() {
        Some(format!(
            "共 {n} 页，提取到的 {} 个字符中乱码或无法识别的字符占 {}%",
            total.significant,
            total.garbled * 100 / total.significant
        ))
    } else {
        None
    };
    if let Some(detail) = detail {
        return Err(IngestError::new(
            Code::ING003,
            format!("{NO_TEXT}（{detail}）"),
        ));
    }
    let mut diagnostics = Vec::new();
    for (i, s) in per_page.iter().enumerate() {
        let page = i as u32 + 1;
        if s.significant == 0 {
            diagnostics.push(Diagnostic {
                kind: "empty_page".into(),
                page: Some(page),
                message: format!(
                    "第 {page} 页未提取到文字（可能是扫描图片页或空白页），该页内容未被检查"
                ),
            });
        } else if s.mostly_garbled() {
            diagnostics.push(Diagnostic {
                kind: "low_quality_page".into(),
                page: Some(page),
                message: format!(
                    "第 {page} 页提取的文字中乱码或无法识别的字符占 {}%（字体可能缺少 Unicode 映射），该页内容可能未被正确检查",
                    s.garbled * 100 / s.significant
                ),
            });
        }
    }
    Ok(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    const GOOD: &str =
        "2023年广州市档案馆收入合计10590.2万元，其中一般公共预算财政拨款收入10583.6万元。";

    #[test]
    fn no_text_at_all_is_a_scan() {
        let e = gate(&pages(&["", "  \n\n", "\n"])).unwrap_err();
        assert_eq!(e.code, Code::ING003);
        assert!(
            e.message.contains("共 3 页，未提取到任何文字"),
            "{}",
            e.message
        );
    }

    #[test]
    fn latin_noise_or_control_characters_are_not_usable_text() {
        let e = gate(&pages(&["\u{1}\u{2}\u{3} 12 ab cd"])).unwrap_err();
        assert_eq!(e.code, Code::ING003);
        let garbled = format!("{GOOD}{}", "\u{FFFD}".repeat(40));
        let e = gate(&pages(&[&garbled])).unwrap_err();
        assert!(e.message.contains("乱码"), "{}", e.message);
    }

    #[test]
    fn an_empty_page_among_good_ones_is_a_diagnostic() {
        let d = gate(&pages(&[GOOD, "\n\n", GOOD])).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, "empty_page");
        assert_eq!(d[0].page, Some(2));
    }

    #[test]
    fn a_garbled_page_among_good_ones_is_a_diagnostic() {
        let good = GOOD.repeat(5);
        let d = gate(&pages(&[&good, "\u{E001}\u{E002}\u{E003}\u{E004}", &good])).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, "low_quality_page");
    }
}
