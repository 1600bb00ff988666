//! The text-quality gate: is what pdf-extract returned text a reviewer can
//! rely on, page by page?
//!
//! A scanned report has pages but no text layer; a PDF whose fonts lack a
//! Unicode mapping yields control characters, U+FFFD or private-use code
//! points; a font with a *wrong* mapping (a CMap for another character
//! collection, an offset table) yields real characters that mean nothing —
//! rare ideographs, Latin-1 letters, Hangul — while its digits may still
//! come out right. Either way the audit would see nothing wrong, which a
//! reviewer would read as "no problems". So every page is judged on its
//! own, by:
//! - how much text it has (no text, or a page number and a watermark);
//! - the share of control, replacement and private-use characters;
//! - the share of letters from other scripts (mojibake of a wrong encoding);
//! - the share of its Han characters outside the 3755 of GB 2312 level 1,
//!   which cover nearly all of any report's running text, while a wrong
//!   mapping scatters over all 20,000 and more ideographs;
//! - the share of its Han characters that belong to words every report
//!   uses (年, 万元, 预算, 支出, 绩效, 项目, 指标, 的, 和 …), which catches
//!   mojibake made only of common characters.
//!
//! A page that fails is a diagnostic (`empty_page` or `low_quality_page`,
//! with its page number and the reason); when no page has usable text the
//! document fails with ING003, and the message lists the pages and why.
//! Each threshold sits far from both what real reports give and what
//! mojibake gives (see the tests here and in `tests/ingest.rs`).

use super::IngestError;
use crate::model::{Code, Diagnostic, DiagnosticKind};
use crate::text::is_han;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A page with fewer Han characters than this has no usable text.
const MIN_PAGE_HAN: usize = 10;
/// Share (percent) of garbled characters above which a page fails.
const MAX_GARBLED_PERCENT: usize = 20;
/// Share (percent) of letters of other scripts above which a page fails.
const MAX_FOREIGN_PERCENT: usize = 30;
/// From this many Han characters on, the share of rare ones is judged.
const RARE_SAMPLE: usize = 20;
/// Share (percent) of Han characters outside GB 2312 level 1 above which a
/// page fails. Real reports stay under 5%; random ideographs give ~80%.
const MAX_RARE_PERCENT: usize = 30;
/// From this many Han characters on, report vocabulary is expected.
const VOCABULARY_SAMPLE: usize = 60;
/// Share (percent) of Han characters in report vocabulary below which a
/// page fails. Real report pages give 25% and more; text of common
/// characters in a scrambled order gives about 1%.
const MIN_VOCABULARY_PERCENT: usize = 6;
/// A document whose usable pages hold fewer Han characters than this, in
/// all, has no usable text.
const MIN_DOCUMENT_HAN: usize = 50;

/// Words (and characters) that the running text of any budget or
/// performance report is made of. Longer words first does not matter: the
/// scan tries the longest match at each position.
const VOCABULARY: &[&str] = &[
    // The subject matter.
    "年度",
    "年",
    "月",
    "日",
    "万元",
    "亿元",
    "元",
    "预算",
    "决算",
    "支出",
    "收入",
    "绩效",
    "项目",
    "指标",
    "资金",
    "财政",
    "拨款",
    "单位",
    "部门",
    "执行",
    "完成",
    "目标",
    "情况",
    "评价",
    "自评",
    "得分",
    "分值",
    "产出",
    "效益",
    "效果",
    "满意度",
    "数量",
    "质量",
    "时效",
    "成本",
    "社会",
    "经济",
    "管理",
    "工作",
    "开展",
    "推进",
    "建设",
    "服务",
    "实施",
    "合计",
    "总计",
    "其中",
    "基本",
    "人员",
    "公用",
    "经费",
    "政府",
    "采购",
    "资产",
    "比例",
    "增加",
    "减少",
    "增长",
    "下降",
    "上年",
    "本年",
    "提高",
    "加强",
    "落实",
    "保障",
    "制度",
    "规定",
    "要求",
    "问题",
    "原因",
    "措施",
    "改进",
    "建议",
    "结果",
    "应用",
    "分析",
    "说明",
    "报告",
    "主要",
    "全年",
    "调整",
    "实际",
    "计划",
    "标准",
    "达到",
    "实现",
    "按照",
    "根据",
    "通过",
    "进行",
    "有关",
    "相关",
    "及时",
    "有效",
    "一般",
    "公共",
    "市",
    "区",
    "县",
    "省",
    "局",
    "个",
    "项",
    "分",
    "率",
    // The commonest function characters of written Chinese.
    "的",
    "和",
    "与",
    "及",
    "等",
    "在",
    "是",
    "为",
    "了",
    "对",
    "以",
    "中",
    "有",
    "将",
    "由",
    "并",
    "已",
    "上",
    "下",
    "不",
];

/// Counts of one page's characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageStats {
    /// Characters that are not whitespace.
    pub significant: usize,
    /// Han ideographs (including the radical blocks some fonts map to).
    pub han: usize,
    /// Han characters in GB 2312 level 1, after folding Kangxi radicals and
    /// compatibility ideographs; radical-supplement forms count as common
    /// (Chromium's CJK fonts map whole ideographs such as 门 and 页 there).
    pub common_han: usize,
    /// Control characters, U+FFFD and private-use code points: the marks
    /// of glyphs without a Unicode mapping.
    pub garbled: usize,
    /// Letters of other scripts: not ASCII, not Han, not full-width forms
    /// (Latin-1 letters, Hangul, kana, Cyrillic, …).
    pub foreign: usize,
    /// Han characters inside occurrences of [`VOCABULARY`] words.
    pub vocabulary: usize,
}

/// What the gate makes of one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Usable,
    /// No text at all: an image, or a blank page.
    Empty,
    /// A few characters only: a scanned page with a page number or a
    /// watermark laid over it.
    TooLittle,
    /// Too many control, replacement or private-use characters.
    Garbled {
        percent: usize,
    },
    /// Too many letters of other scripts.
    Foreign {
        percent: usize,
    },
    /// Too many Han characters outside GB 2312 level 1.
    RareHan {
        percent: usize,
    },
    /// Plenty of Han characters, almost none in report vocabulary.
    NoVocabulary {
        percent: usize,
    },
}

impl Verdict {
    /// Chinese, for a list of pages: why the pages of this kind failed.
    fn short(self) -> &'static str {
        match self {
            Verdict::Usable => "文字可用",
            Verdict::Empty => "未提取到文字（可能是扫描图片页或空白页）",
            Verdict::TooLittle => "文字极少（可能是扫描图片页，只有页码或水印是文字）",
            Verdict::Garbled { .. } => "乱码或无法识别的字符过多（字体可能缺少 Unicode 映射）",
            Verdict::Foreign { .. } => "多为非中文的字母（像是编码错误造成的乱码）",
            Verdict::RareHan { .. } => "汉字大多不是常用字（像是字体编码映射错误造成的乱码）",
            Verdict::NoVocabulary { .. } => "几乎不含报告常用词（像是字体编码映射错误造成的乱码）",
        }
    }

    /// Chinese, for one page's diagnostic: why it failed, with numbers.
    fn detail(self, s: &PageStats) -> String {
        match self {
            Verdict::Usable => "文字可用".to_string(),
            Verdict::Empty => "未提取到文字（可能是扫描图片页或空白页）".to_string(),
            Verdict::TooLittle => format!(
                "仅提取到 {} 个字符，其中汉字 {} 个（可能是扫描图片页，只有页码或水印是文字）",
                s.significant, s.han
            ),
            Verdict::Garbled { percent } => format!(
                "乱码或无法识别的字符占 {percent}%（字体可能缺少 Unicode 映射）"
            ),
            Verdict::Foreign { percent } => format!(
                "{percent}% 的字符是非中文的字母（如 Ã、¼、한 等，像是编码错误造成的乱码）"
            ),
            Verdict::RareHan { percent } => format!(
                "{} 个汉字中 {percent}% 不在常用字（GB 2312 一级字）之内，像是字体编码映射错误造成的乱码",
                s.han
            ),
            Verdict::NoVocabulary { percent } => format!(
                "{} 个汉字中只有 {percent}% 属于报告常用词（年、万元、预算、支出、绩效、项目、指标、的、和等），像是字体编码映射错误造成的乱码",
                s.han
            ),
        }
    }
}

impl PageStats {
    pub fn of(text: &str) -> PageStats {
        let mut s = PageStats::default();
        for c in text.chars() {
            if c.is_whitespace() {
                continue;
            }
            s.significant += 1;
            if is_han(c) {
                s.han += 1;
                if is_common_han(c) {
                    s.common_han += 1;
                }
            } else if is_garbled(c) {
                s.garbled += 1;
            } else if is_foreign(c) {
                s.foreign += 1;
            }
        }
        s.vocabulary = vocabulary_coverage(text);
        s
    }

    /// The gate's decision for this page.
    pub fn verdict(&self) -> Verdict {
        let percent = |part: usize, whole: usize| part * 100 / whole.max(1);
        if self.significant == 0 {
            return Verdict::Empty;
        }
        let garbled = percent(self.garbled, self.significant);
        if garbled > MAX_GARBLED_PERCENT {
            return Verdict::Garbled { percent: garbled };
        }
        let foreign = percent(self.foreign, self.significant);
        if foreign > MAX_FOREIGN_PERCENT {
            return Verdict::Foreign { percent: foreign };
        }
        if self.han < MIN_PAGE_HAN {
            return Verdict::TooLittle;
        }
        let rare = percent(self.han - self.common_han, self.han);
        if self.han >= RARE_SAMPLE && rare > MAX_RARE_PERCENT {
            return Verdict::RareHan { percent: rare };
        }
        let vocabulary = percent(self.vocabulary, self.han);
        if self.han >= VOCABULARY_SAMPLE && vocabulary < MIN_VOCABULARY_PERCENT {
            return Verdict::NoVocabulary {
                percent: vocabulary,
            };
        }
        Verdict::Usable
    }
}

/// How many characters of the document are undecodable: U+FFFD, control
/// characters, private-use code points.
pub fn garbled_chars(pages: &[String]) -> usize {
    pages
        .iter()
        .map(|p| p.chars().filter(|&c| is_garbled(c)).count())
        .sum()
}

fn is_garbled(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || c == '\u{FFFD}'
        || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

fn is_foreign(c: char) -> bool {
    c.is_alphabetic()
        && !c.is_ascii()
        && !is_han(c)
        // Full-width Latin letters are folded to ASCII by normalization.
        && !matches!(c, '\u{FF00}'..='\u{FFEF}')
        // Roman numerals (Ⅰ, Ⅱ …) and circled letters number list items.
        && !matches!(c, '\u{2160}'..='\u{218F}' | '\u{2460}'..='\u{24FF}')
        // 〇 is a digit in dates (二〇二三年).
        && c != '〇'
}

/// GB 2312 level 1, the 3755 commonest characters (rows 16–55), sorted.
/// Decoded from the standard's code points by encoding_rs rather than
/// typed by hand.
pub fn gb2312_level1() -> &'static [char] {
    static SET: OnceLock<Vec<char>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut chars = Vec::with_capacity(3755);
        for hi in 0xB0u8..=0xD7 {
            for lo in 0xA1u8..=0xFE {
                // Row 55 ends at 0xD7F9; the five positions after it are
                // unassigned.
                if hi == 0xD7 && lo > 0xF9 {
                    continue;
                }
                let bytes = [hi, lo];
                let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
                let mut it = text.chars();
                if let (false, Some(c), None) = (had_errors, it.next(), it.next()) {
                    chars.push(c);
                }
            }
        }
        chars.sort_unstable();
        chars.dedup();
        chars
    })
}

fn is_common_han(c: char) -> bool {
    match c {
        // Radical-supplement forms that fonts use for whole ideographs.
        '\u{2E80}'..='\u{2EFF}' => true,
        '\u{2F00}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' => {
            c.nfkc().all(|f| gb2312_level1().binary_search(&f).is_ok())
        }
        _ => gb2312_level1().binary_search(&c).is_ok(),
    }
}

/// The vocabulary's words, and for each first character the lengths of the
/// words that start with it, longest first: most characters start no word,
/// and are passed over with one lookup.
struct Vocabulary {
    words: HashSet<Vec<char>>,
    lengths: HashMap<char, Vec<usize>>,
}

fn vocabulary_set() -> &'static Vocabulary {
    static SET: OnceLock<Vocabulary> = OnceLock::new();
    SET.get_or_init(|| {
        let words: HashSet<Vec<char>> = VOCABULARY.iter().map(|w| w.chars().collect()).collect();
        let mut lengths: HashMap<char, Vec<usize>> = HashMap::new();
        for w in &words {
            lengths.entry(w[0]).or_default().push(w.len());
        }
        for l in lengths.values_mut() {
            l.sort_unstable_by(|a, b| b.cmp(a));
            l.dedup();
        }
        Vocabulary { words, lengths }
    })
}

fn vocabulary_coverage(text: &str) -> usize {
    let v = vocabulary_set();
    let han: Vec<char> = text.chars().filter(|&c| is_han(c)).collect();
    let mut covered = 0;
    let mut i = 0;
    while i < han.len() {
        let found = v.lengths.get(&han[i]).and_then(|lengths| {
            lengths
                .iter()
                .copied()
                .find(|&n| i + n <= han.len() && v.words.contains(&han[i..i + n]))
        });
        match found {
            Some(n) => {
                covered += n;
                i += n;
            }
            None => i += 1,
        }
    }
    covered
}

const NO_TEXT: &str = "未能从 PDF 中读取到可用文字，需要 OCR，或请报送单位提供可复制文字的 PDF";

/// Passes a document with usable text, with a diagnostic for each page
/// that failed; fails one without, naming every page and why.
///
/// `shows[i]` says whether page `i + 1` shows content a text layer could
/// not read (an image covering it, text drawn as outlines, an object the
/// layer could not read; missing entries are `false`). A document without
/// usable text fails (ING003) only when some page shows such content or
/// gives text that is unusable (garbled, mojibake): a file that is simply
/// short, or blank, is readable, and gets a `little_text` diagnostic
/// instead, so that a reviewer is not told to OCR a file that needs none.
pub fn gate(pages: &[String], shows: &[bool]) -> Result<Vec<Diagnostic>, IngestError> {
    let judged: Vec<(PageStats, Verdict)> = pages
        .iter()
        .map(|p| {
            let s = PageStats::of(p);
            (s, s.verdict())
        })
        .collect();
    let usable_han: usize = judged
        .iter()
        .filter(|(_, v)| *v == Verdict::Usable)
        .map(|(s, _)| s.han)
        .sum();
    let shows_at = |i: usize| shows.get(i).copied().unwrap_or(false);
    let unread_content = judged.iter().enumerate().any(|(i, (_, v))| match v {
        Verdict::Usable => false,
        Verdict::Empty | Verdict::TooLittle => shows_at(i),
        _ => true,
    });
    if usable_han < MIN_DOCUMENT_HAN && unread_content {
        return Err(IngestError::new(
            Code::ING003,
            format!("{NO_TEXT}（共 {} 页：{}）", pages.len(), summarize(&judged)),
        ));
    }
    let mut diagnostics: Vec<Diagnostic> = judged
        .iter()
        .enumerate()
        .filter(|(i, (_, v))| match v {
            Verdict::Usable => false,
            // A short or blank page of a short file is what the file is.
            Verdict::Empty | Verdict::TooLittle => usable_han >= MIN_DOCUMENT_HAN || shows_at(*i),
            _ => true,
        })
        .map(|(i, (s, v))| {
            let page = i as u32 + 1;
            let (kind, advice) = match v {
                Verdict::Empty => (DiagnosticKind::EmptyPage, "如该页有内容，需要 OCR"),
                _ => (
                    DiagnosticKind::LowQualityPage,
                    "可与原件核对，或请报送单位重新导出 PDF",
                ),
            };
            Diagnostic {
                kind,
                page: Some(page),
                message: format!("第 {page} 页{}，该页内容未被检查；{advice}", v.detail(s)),
            }
        })
        .collect();
    if usable_han < MIN_DOCUMENT_HAN {
        let all_han: usize = judged.iter().map(|(s, _)| s.han).sum();
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::LittleText,
            page: None,
            message: if all_han == 0 {
                format!("文件可以读取，但 {} 页中都没有文字，也没有扫描图片：是空白文件，没有可检查的内容", pages.len())
            } else {
                format!("文件可以读取，但全文只有 {all_han} 个汉字，且没有扫描图片页：文字已全部读出，只是内容很少")
            },
        });
    }
    Ok(diagnostics)
}

/// "第 1–3、5 页未提取到文字…；第 4 页汉字大多不是常用字…", in order of
/// each reason's first page.
fn summarize(judged: &[(PageStats, Verdict)]) -> String {
    let mut groups: Vec<(&'static str, Vec<u32>)> = Vec::new();
    for (i, (_, v)) in judged.iter().enumerate() {
        let reason = v.short();
        let page = i as u32 + 1;
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, pages)) => pages.push(page),
            None => groups.push((reason, vec![page])),
        }
    }
    groups
        .iter()
        .map(|(reason, pages)| format!("第 {} 页{reason}", page_list(pages)))
        .collect::<Vec<_>>()
        .join("；")
}

/// Ascending page numbers as ranges: `1–3、5、7–8`.
pub fn page_list(pages: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join("、")
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
    fn gb2312_level1_has_its_3755_characters() {
        let set = gb2312_level1();
        assert_eq!(set.len(), 3755);
        for c in "啊年万元预算支出绩效项目指标档案馆".chars() {
            assert!(set.binary_search(&c).is_ok(), "{c}");
        }
        // Level 2 and beyond.
        for c in "亍丌琦璐鑫".chars() {
            assert!(set.binary_search(&c).is_err(), "{c}");
        }
    }

    #[test]
    fn radicals_and_compatibility_forms_count_as_common() {
        let s = PageStats::of("⼴州市档案馆⻔户⻚⾯");
        assert_eq!((s.han, s.common_han), (10, 10));
    }

    #[test]
    fn vocabulary_is_matched_across_line_breaks() {
        assert_eq!(vocabulary_coverage("预\n算"), 2);
        assert_eq!(vocabulary_coverage("满意度"), 3);
        assert_eq!(vocabulary_coverage("档案"), 0);
    }

    #[test]
    fn pages_that_show_a_scan_and_give_no_text_are_ing003() {
        let e = gate(&pages(&["", "  \n\n", "\n"]), &[true, true, true]).unwrap_err();
        assert_eq!(e.code, Code::ING003);
        assert!(e.message.contains("共 3 页"), "{}", e.message);
        assert!(e.message.contains("第 1–3 页未提取到文字"), "{}", e.message);
        assert!(e.message.contains("OCR"), "{}", e.message);
    }

    #[test]
    fn a_blank_or_short_file_without_images_is_readable() {
        let d = gate(&pages(&["", "  \n\n"]), &[]).unwrap();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].kind, DiagnosticKind::LittleText);
        assert!(d[0].message.contains("空白"), "{}", d[0].message);
        // A short table of readable text: ok, and said to be short.
        let d = gate(&pages(&["收入合计 100 其中 财政拨款 90 其他 10"]), &[false]).unwrap();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].kind, DiagnosticKind::LittleText);
        assert!(d[0].message.contains("12 个汉字"), "{}", d[0].message);
    }

    #[test]
    fn latin_noise_or_control_characters_are_not_usable_text() {
        // Unusable text is content that gave no text, images or not.
        let e = gate(&pages(&["\u{1}\u{2}\u{3} 12 ab cd"]), &[]).unwrap_err();
        assert_eq!(e.code, Code::ING003);
        let garbled = format!("{GOOD}{}", "\u{FFFD}".repeat(40));
        let e = gate(&pages(&[&garbled]), &[]).unwrap_err();
        assert!(e.message.contains("乱码"), "{}", e.message);
    }

    #[test]
    fn a_page_number_and_a_watermark_on_a_scan_are_too_little() {
        let scanned = pages(&["- 1 -\n扫描全能王", "- 2 -"]);
        let e = gate(&scanned, &[true, true]).unwrap_err();
        assert!(e.message.contains("第 1–2 页文字极少"), "{}", e.message);
        // Without the scans, the same text is a short file.
        assert!(gate(&scanned, &[false, false]).is_ok());
    }

    #[test]
    fn an_empty_page_among_good_ones_is_a_diagnostic() {
        let d = gate(&pages(&[GOOD, "\n\n", GOOD]), &[]).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DiagnosticKind::EmptyPage);
        assert_eq!(d[0].page, Some(2));
    }

    #[test]
    fn a_garbled_page_among_good_ones_is_a_diagnostic() {
        let good = GOOD.repeat(5);
        let d = gate(
            &pages(&[&good, "\u{E001}\u{E002}\u{E003}\u{E004}", &good]),
            &[],
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DiagnosticKind::LowQualityPage);
        assert_eq!(d[0].page, Some(2));
    }

    /// The seed report's text with every Han character moved by a fixed
    /// step through the unified ideographs: what a font whose ToUnicode
    /// CMap belongs to another character collection gives.
    fn shifted(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '\u{4E00}'..='\u{9FA5}' => {
                    char::from_u32((c as u32 - 0x4E00 + 7919) % 20902 + 0x4E00).unwrap()
                }
                _ => c,
            })
            .collect()
    }

    /// The seed text with every GB 2312 level-1 character replaced by
    /// another one of them: mojibake made of common characters only.
    fn permuted(text: &str) -> String {
        let set = gb2312_level1();
        text.chars()
            .map(|c| match set.binary_search(&c) {
                Ok(i) => set[(i * 1103 + 17) % set.len()],
                Err(_) => c,
            })
            .collect()
    }

    fn seed_pages() -> Vec<String> {
        let text = include_str!("../../corpus/guangzhou-archives-2023-selfeval.txt");
        // Pages of about forty lines, as a PDF would give.
        let lines: Vec<&str> = text.lines().collect();
        lines.chunks(40).map(|c| c.join("\n")).collect()
    }

    #[test]
    fn the_seed_text_passes_every_page() {
        for (i, p) in seed_pages().iter().enumerate() {
            let s = PageStats::of(p);
            assert_eq!(s.verdict(), Verdict::Usable, "page {}: {s:?}", i + 1);
        }
    }

    #[test]
    fn rare_ideographs_and_scrambled_common_ones_fail() {
        for (i, p) in seed_pages().iter().enumerate() {
            let s = PageStats::of(&shifted(p));
            if s.han >= RARE_SAMPLE {
                assert!(
                    matches!(s.verdict(), Verdict::RareHan { .. }),
                    "page {}: {s:?}",
                    i + 1
                );
            }
            let s = PageStats::of(&permuted(p));
            if s.han >= VOCABULARY_SAMPLE {
                assert!(
                    matches!(s.verdict(), Verdict::NoVocabulary { .. }),
                    "page {}: {s:?}",
                    i + 1
                );
            }
        }
    }

    #[test]
    fn utf8_read_as_gbk_fails() {
        // The classic mojibake: UTF-8 bytes decoded as GBK.
        for p in seed_pages() {
            let (garbled, _) = encoding_rs::GBK.decode_without_bom_handling(p.as_bytes());
            let s = PageStats::of(&garbled);
            assert_ne!(s.verdict(), Verdict::Usable, "{s:?}");
            // And GBK bytes read as Latin-1 (windows-1252).
            let (gbk, _, _) = encoding_rs::GBK.encode(&p);
            let (latin, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&gbk);
            let s = PageStats::of(&latin);
            assert_ne!(s.verdict(), Verdict::Usable, "{s:?}");
        }
    }

    #[test]
    fn page_lists_use_ranges() {
        assert_eq!(page_list(&[1, 2, 3, 5, 7, 8]), "1–3、5、7–8");
        assert_eq!(page_list(&[4]), "4");
        assert_eq!(page_list(&[]), "");
    }
}
