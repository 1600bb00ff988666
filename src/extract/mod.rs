//! Extract: sentences → typed facts, each with its label and source span.
//!
//! A fact is one number the report states, typed by the words around it:
//! an amount with its unit (元/万元/亿元), a percent, points (分值), a score
//! (得分), a deduction (扣 X 分), a count (N 个), plus the number-less
//! markers a reviewer reads the same way (得满分, 绩效等级为优). The label is
//! the text before the number in its clause, cleaned of connectives by
//! jieba tokens; for counts, the noun after "个" is kept too.
//!
//! Tables that the PDF flattened into lines are read in [`table`]. A number
//! the PDF glued to its neighbour (`10583.699.94%`) is never split by
//! guessing: it is skipped and reported as a diagnostic.

pub mod table;

use crate::number::{Precision, Stated};
use crate::record::Diagnostic;
use crate::segment::{tokens, Segments};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

/// The currency unit of an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Unit {
    #[serde(rename = "元")]
    Yuan,
    #[serde(rename = "万元")]
    WanYuan,
    #[serde(rename = "亿元")]
    YiYuan,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        match s {
            "元" => Some(Unit::Yuan),
            "万元" => Some(Unit::WanYuan),
            "亿元" => Some(Unit::YiYuan),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
            Unit::YiYuan => "亿元",
        }
    }

    /// How many 元 one of this unit is.
    pub fn in_yuan(self) -> rust_decimal::Decimal {
        match self {
            Unit::Yuan => rust_decimal::Decimal::ONE,
            Unit::WanYuan => rust_decimal::Decimal::new(10_000, 0),
            Unit::YiYuan => rust_decimal::Decimal::new(100_000_000, 0),
        }
    }
}

/// A performance grade (绩效等级).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Grade {
    #[serde(rename = "优")]
    Excellent,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "中")]
    Fair,
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactKind {
    Amount(Unit),
    Percent,
    Points,
    Score,
    Deduction,
    Count,
    /// "得满分", "均为满分": the score equals the points.
    FullMarks,
    Grade(Grade),
}

impl FactKind {
    fn is_score_like(self) -> bool {
        matches!(
            self,
            FactKind::Points | FactKind::Score | FactKind::Deduction
        )
    }
}

/// One stated figure (or marker) with its context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub kind: FactKind,
    /// None for markers (full marks, grade).
    pub value: Option<Stated>,
    /// The cleaned label before the figure ("一般公共预算财政拨款收入").
    pub label: String,
    /// The label as written, before cleaning (keeps "比上年增加", "占").
    pub raw_label: String,
    /// The words right after a count ("8个二级项目" → "二级项目").
    pub follows: String,
    /// "分值各 2 分": the figure applies to each name of a 、-list.
    pub each: bool,
    /// An indicator level marked in the label ("三级指标X" → 3).
    pub level: Option<u8>,
    /// Byte range of the figure (number and unit) in the text.
    pub span: Range<usize>,
    pub sentence: usize,
    pub paragraph: usize,
    /// For table cells: the column header ("金额", "占比", "分值", "得分").
    pub column: Option<String>,
}

/// The facts of one document, in text order, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub facts: Vec<Fact>,
    /// What could not be used: the byte offset it was found at, the text
    /// it concerns, and the diagnostic.
    pub diagnostics: Vec<(usize, String, Diagnostic)>,
}

struct Patterns {
    figure: Regex,
    cn_count: Regex,
    grade: Regex,
    full_marks: Regex,
    year: Regex,
    enumerator: Regex,
    self_ref: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // A run of digits, separators and points, then an optional unit.
        figure: Regex::new(r"(\d[\d,]*(?:\.\d+)*)(万元|亿元|元|%|分|个|项)?").unwrap(),
        cn_count: Regex::new(r"([零一二两三四五六七八九十百]+)(个|项)").unwrap(),
        grade: Regex::new(
            r"等级(?:为|是|评定为|评为|：|:)?(优秀|优|良好|良|中等|中|合格|差|不合格)",
        )
        .unwrap(),
        full_marks: Regex::new(r"(?:得|为|均为|全部为|均得|均获)满分").unwrap(),
        year: Regex::new(r"^(?:19|20)\d{2}年度?").unwrap(),
        // How a unit names itself: 我馆, 本局, 本单位, 我中心…
        self_ref: Regex::new(
            r"^(?:综上所述|综上|总体来看|总的来看)?[，,]?(?:我|本)(?:馆|局|院|委|办|中心|单位|部门|所|校|站|厅|部|处|会|队)",
        )
        .unwrap(),
        enumerator: Regex::new(
            r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+[、是])",
        )
        .unwrap(),
    })
}

/// Characters after "分" that make it part of another word (分钟, 分别…).
const NOT_SCORE_AFTER_FEN: &[char] = &[
    '钟', '别', '之', '析', '散', '配', '布', '类', '解', '享', '期', '批', '段', '局', '支', '院',
    '所', '队', '子', '成', '工', '管', '包', '摊', '级', '组', '项', '数', '值', '母', '秒',
];

/// Words that end a label and decide what kind of 分-figure follows.
const DEDUCTION_KEYS: &[&str] = &["扣减", "扣除", "扣", "减"];
const POINTS_KEYS: &[&str] = &[
    "分值各为",
    "分值各",
    "分值为",
    "分值是",
    "分值",
    "权重各为",
    "权重各",
    "权重为",
    "权重",
    "满分为",
    "满分",
    "标准分为",
    "标准分",
];
const SCORE_KEYS: &[&str] = &[
    "自评得分为",
    "自评得分",
    "得分为",
    "得分是",
    "得分",
    "评分为",
    "评分",
    "自评为",
    "评为",
    "得",
    "计",
];

/// Leading words that connect a clause to the previous one and are not part
/// of a label.
const LEADING_STOPS: &[&str] = &[
    "其中",
    "包括",
    "主要",
    "我馆",
    "本部门",
    "本单位",
    "共",
    "合计共",
    "全年",
    "截至",
    "另",
    "以及",
    "和",
    "及",
    "与",
    "，",
    "、",
    "；",
];
/// Trailing words between a label and its figure.
const TRAILING_STOPS: &[&str] = &[
    "为", "是", "达", "达到", "约", "仅", "共", "共计", "的", "已",
];

/// Extracts every fact of the document, prose and tables, in text order.
pub fn extract(text: &str, seg: &Segments) -> Facts {
    let mut out = Facts::default();
    let p = patterns();
    for (si, sentence) in seg.sentences.iter().enumerate() {
        let para = sentence.paragraph;
        if table::is_table_line(&text[seg.paragraphs[para].span.clone()]) {
            continue;
        }
        let mut sentence_facts: Vec<Fact> = Vec::new();
        for clause in &sentence.clauses {
            let ctext = &text[clause.clone()];
            let mut found: Vec<Fact> = Vec::new();
            for m in p.figure.captures_iter(ctext) {
                let whole = m.get(0).unwrap();
                let num = m.get(1).unwrap();
                let unit = m.get(2).map(|u| u.as_str());
                let start = clause.start + whole.start();
                let mut end = clause.start + whole.end();
                let after = &text[end..];
                // A number glued to its neighbour cannot be trusted.
                if num.as_str().matches('.').count() > 1 {
                    out.diagnostics.push((
                        start,
                        whole.as_str().to_string(),
                        Diagnostic {
                            kind: "glued_number".into(),
                            page: None,
                            message: format!(
                                "数字「{}」疑似由相邻数字粘连而成（PDF 字宽表解析问题），未采用",
                                whole.as_str()
                            ),
                        },
                    ));
                    continue;
                }
                let Some(unit) = unit else { continue };
                let kind = match unit {
                    "%" => FactKind::Percent,
                    "个" | "项" => FactKind::Count,
                    "分" => {
                        let before = &ctext[..num.start()];
                        if after.starts_with(NOT_SCORE_AFTER_FEN)
                            || is_scale_bound(after)
                            || before.ends_with(['至', '-', '－', '~', '～'])
                        {
                            continue;
                        }
                        FactKind::Score // refined from the label below
                    }
                    u => FactKind::Amount(Unit::parse(u).expect("regex unit")),
                };
                if kind == FactKind::Amount(Unit::Yuan)
                    && preceded_by_digit_year(ctext, num.start())
                {
                    continue;
                }
                let precision = match kind {
                    FactKind::Count => Precision::Exact,
                    _ => Precision::Digits,
                };
                let Some(value) = Stated::parse(num.as_str(), precision) else {
                    continue;
                };
                let prev_end = found
                    .last()
                    .map(|f: &Fact| f.span.end)
                    .unwrap_or(clause.start);
                let raw = text[prev_end.max(clause.start)..start].to_string();
                let follows = if kind == FactKind::Count {
                    let f = following_noun(after);
                    end += 0;
                    f
                } else {
                    String::new()
                };
                let fact = Fact {
                    kind,
                    value: Some(value),
                    label: String::new(),
                    raw_label: raw,
                    follows,
                    each: false,
                    level: None,
                    span: start..end,
                    sentence: si,
                    paragraph: para,
                    column: None,
                };
                found.push(fact);
            }
            for m in p.cn_count.captures_iter(ctext) {
                let Some(v) = chinese_numeral(&m[1]) else {
                    continue;
                };
                let start = clause.start + m.get(0).unwrap().start();
                let end = clause.start + m.get(0).unwrap().end();
                // "一级" in "一级项目" is not a count; the regex needs 个/项 so
                // only "三个一" style phrases reach here.
                let prev_end = found
                    .iter()
                    .filter(|f| f.span.end <= start)
                    .map(|f| f.span.end)
                    .max()
                    .unwrap_or(clause.start);
                found.push(Fact {
                    kind: FactKind::Count,
                    value: Some(Stated::exact(v.into())),
                    label: String::new(),
                    raw_label: text[prev_end..start].to_string(),
                    follows: following_noun(&text[end..]),
                    each: false,
                    level: None,
                    span: start..end,
                    sentence: si,
                    paragraph: para,
                    column: None,
                });
            }
            for m in p.full_marks.find_iter(ctext) {
                let start = clause.start + m.start();
                // "21个全部为满分" is a count of full marks, not a marker.
                if found
                    .iter()
                    .any(|f| f.kind == FactKind::Count && f.span.end == start)
                {
                    continue;
                }
                found.push(marker(
                    FactKind::FullMarks,
                    start..clause.start + m.end(),
                    si,
                    para,
                ));
            }
            for m in p.grade.captures_iter(ctext) {
                let g = match &m[1] {
                    "优" | "优秀" => Grade::Excellent,
                    "良" | "良好" => Grade::Good,
                    "中" | "中等" | "合格" => Grade::Fair,
                    _ => Grade::Poor,
                };
                let whole = m.get(0).unwrap();
                found.push(marker(
                    FactKind::Grade(g),
                    clause.start + whole.start()..clause.start + whole.end(),
                    si,
                    para,
                ));
            }
            found.sort_by_key(|f| f.span.start);
            sentence_facts.extend(found);
        }
        classify(&mut sentence_facts);
        out.facts.extend(sentence_facts);
    }
    table::extract_tables(text, seg, &mut out);
    out.facts.sort_by_key(|f| f.span.start);
    out
}

fn marker(kind: FactKind, span: Range<usize>, sentence: usize, paragraph: usize) -> Fact {
    Fact {
        kind,
        value: None,
        label: String::new(),
        raw_label: String::new(),
        follows: String::new(),
        each: false,
        level: None,
        span,
        sentence,
        paragraph,
        column: None,
    }
}

/// "90分（含）以上为优", "60分以下为差", "80分至90分": a band of a grading
/// scale, not a score.
fn is_scale_bound(after: &str) -> bool {
    [
        "（含）",
        "(含)",
        "以上",
        "以下",
        "及以上",
        "至",
        "-",
        "－",
        "~",
        "～",
    ]
    .iter()
    .any(|w| after.starts_with(w))
}

/// "2023年" is a year, and "2022-2024" a range: a digit run directly before
/// "元" after a year-like context is not an amount. Only guards a bare 元.
fn preceded_by_digit_year(clause: &str, num_start: usize) -> bool {
    clause[..num_start].ends_with('-')
}

/// The noun phrase right after a count: up to a punctuation mark, at most
/// twelve characters.
fn following_noun(after: &str) -> String {
    after
        .chars()
        .take_while(|c| !is_punct(*c) && !c.is_ascii_digit())
        .take(12)
        .collect()
}

pub fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '、'
            | '（'
            | '）'
            | '('
            | ')'
            | ','
            | ';'
            | ':'
            | '！'
            | '？'
            | '“'
            | '”'
            | '《'
            | '》'
            | ' '
    )
}

/// Reads a Chinese numeral up to 999 ("二十三" → 23, "两" → 2).
pub fn chinese_numeral(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or(if c == '两' { Some(2) } else { None })
    };
    let mut total = 0u32;
    let mut current = 0u32;
    let mut any = false;
    for c in s.chars() {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            _ => current = digit(c)?,
        }
        any = true;
    }
    any.then_some(total + current)
}

/// Drops leading punctuation, but keeps an opening quote or bracket whose
/// partner is in the label (「“三公”经费」 keeps its quotes).
fn trim_leading_punct(s: &str) -> &str {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let partner = match c {
            '“' => Some('”'),
            '《' => Some('》'),
            '（' => Some('）'),
            '(' => Some(')'),
            _ => None,
        };
        let keep = partner.is_some_and(|p| rest.contains(p));
        if !is_punct(c) || keep {
            break;
        }
        rest = &rest[c.len_utf8()..];
    }
    rest
}

/// Decides each 分-figure's kind and cleans every label.
fn classify(facts: &mut [Fact]) {
    let p = patterns();
    let mut last_score_kind: Option<FactKind> = None;
    for f in facts.iter_mut() {
        let mut raw = f.raw_label.trim().to_string();
        // Text before a closing bracket belongs to an earlier phrase:
        // "（含…8个二级项目）整体支出绩效自评为" labels the score "整体支出绩效".
        if let Some(i) = raw.rfind(['）', ')']) {
            let rest = &raw[i + raw[i..].chars().next().map_or(1, char::len_utf8)..];
            if !rest.is_empty() {
                raw = rest.to_string();
            }
        }
        // Drop enumerators and leading punctuation.
        loop {
            let before = raw.clone();
            if let Some(m) = p.enumerator.find(&raw) {
                raw = raw[m.end()..].to_string();
            }
            raw = raw.trim_start_matches(is_punct).to_string();
            if raw == before {
                break;
            }
        }
        if f.kind == FactKind::Score {
            let (kind, rest, each) = score_kind(&raw);
            let kind = kind.or(last_score_kind).unwrap_or(FactKind::Score);
            f.kind = kind;
            f.each = each;
            raw = rest;
            // Points and counts are exact; scores are kept to hundredths.
            if let Some(v) = f.value.as_mut() {
                v.precision = match kind {
                    FactKind::Points => Precision::Exact,
                    _ => Precision::AtLeast(2),
                };
            }
        }
        if f.kind.is_score_like() {
            last_score_kind = Some(f.kind);
        }
        let (level, label) = clean_label(&raw);
        f.level = level;
        f.label = label;
    }
}

/// Splits a label into the kind its keyword announces, the label without
/// the keyword, and whether it says "各" (each).
fn score_kind(raw: &str) -> (Option<FactKind>, String, bool) {
    let groups: [(&[&str], FactKind); 3] = [
        (DEDUCTION_KEYS, FactKind::Deduction),
        (POINTS_KEYS, FactKind::Points),
        (SCORE_KEYS, FactKind::Score),
    ];
    // The longest keyword at the end of the label wins.
    let mut best: Option<(&str, FactKind)> = None;
    for (keys, kind) in groups {
        for k in keys {
            if raw.ends_with(k) && best.is_none_or(|(b, _)| k.len() > b.len()) {
                best = Some((k, kind));
            }
        }
    }
    match best {
        Some((k, kind)) => {
            let rest = raw[..raw.len() - k.len()].to_string();
            let each = k.contains('各');
            // "得分各 2 分" is not a thing; "各" only qualifies points.
            (
                Some(kind),
                rest.trim_end_matches('各').to_string(),
                each || rest.ends_with('各'),
            )
        }
        None => (None, raw.to_string(), false),
    }
}

/// Removes connectives, years and level markers from a label with jieba
/// tokens; returns the indicator level it names, if any.
pub fn clean_label(raw: &str) -> (Option<u8>, String) {
    let p = patterns();
    let mut s = raw.to_string();
    let mut level = None;
    for _ in 0..4 {
        let before = s.clone();
        s = p.year.replace(&s, "").into_owned();
        s = p.self_ref.replace(&s, "").into_owned();
        let toks = tokens(&s);
        if let Some(first) = toks.first() {
            if LEADING_STOPS.contains(first) {
                s = s[first.len()..].to_string();
            }
        }
        for (marker, l) in [("一级指标", 1u8), ("二级指标", 2), ("三级指标", 3)] {
            if let Some(rest) = s.strip_prefix(marker) {
                level = Some(l);
                s = rest.to_string();
            }
        }
        s = trim_leading_punct(&s).to_string();
        if s == before {
            break;
        }
    }
    loop {
        let toks = tokens(&s);
        match toks.last() {
            Some(last) if TRAILING_STOPS.contains(last) && s.len() > last.len() => {
                s.truncate(s.len() - last.len());
            }
            _ => break,
        }
    }
    (level, s.trim_end_matches(is_punct).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn facts(t: &str) -> Vec<Fact> {
        extract(t, &segment(t)).facts
    }

    fn brief(f: &Fact) -> String {
        format!(
            "{:?}|{}|{}{}{}",
            f.kind,
            f.label,
            f.value.map(|v| v.to_string()).unwrap_or_default(),
            if f.each { "|each" } else { "" },
            f.level.map(|l| format!("|L{l}")).unwrap_or_default()
        )
    }

    #[test]
    fn income_sentence() {
        let t = "2023年广州市档案馆收入合计10590.2万元，其中一般公共预算财政拨款收入10583.6万元，占总收入的99.94%，其他收入6.6万元。年度支出进度为99.85%。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Amount(WanYuan)|广州市档案馆收入合计|10590.2",
                "Amount(WanYuan)|一般公共预算财政拨款收入|10583.6",
                "Percent|占总收入|99.94",
                "Amount(WanYuan)|其他收入|6.6",
                "Percent|年度支出进度|99.85",
            ]
        );
    }

    #[test]
    fn scores_points_deductions_and_lists() {
        let t = "5.二级指标采购管理，三级指标采购意向公开合规性分值0.5分、采购意向公开时限分值1.5分，均为满分；合同备案时效性分值1分，得分0分，扣1分的主要原因是合同备案存在逾期情况。2.二级指标预算执行，三级指标结转结余率、财务管理合规性分值各2分，得满分，绩效管理制度执行7分。其中三级指标部门整体绩效目标产出指标完成情况得19.94分，扣0.06分；拍摄时长1428分钟。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Points|采购意向公开合规性|0.5|L3",
                "Points|采购意向公开时限|1.5",
                "FullMarks||",
                "Points|合同备案时效性|1",
                "Score||0",
                "Deduction||1",
                "Points|结转结余率、财务管理合规性|2|each|L3",
                "FullMarks||",
                "Points|绩效管理制度执行|7",
                "Score|部门整体绩效目标产出指标完成情况|19.94|L3",
                "Deduction||0.06",
            ]
        );
    }

    #[test]
    fn counts_grades_and_glued_numbers() {
        let t = "包括二级指标7个、三级指标23个，其中三级指标财务管理合规性等21个全部为满分。（1）运行经费支出1808.84万元（含A、B8个二级项目）整体支出绩效自评为98.92分，绩效等级为优。共两个。收入 10583.699.94%";
        let seg = segment(t);
        let fs = extract(t, &seg);
        let got: Vec<String> = fs
            .facts
            .iter()
            .map(|f| format!("{}>{}", brief(f), f.follows))
            .collect();
        assert_eq!(
            got,
            [
                "Count||7|L2>",
                "Count||23|L3>",
                "Count|财务管理合规性等|21|L3>全部为满分",
                "Amount(WanYuan)|运行经费支出|1808.84>",
                "Count|含A、B|8>二级项目",
                "Score|整体支出绩效|98.92>",
                "Grade(Excellent)||>",
                "Count||2>",
            ]
        );
        assert_eq!(fs.diagnostics.len(), 1);
        assert_eq!(fs.diagnostics[0].2.kind, "glued_number");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_numeral("二十三"), Some(23));
        assert_eq!(chinese_numeral("两"), Some(2));
        assert_eq!(chinese_numeral("十"), Some(10));
        assert_eq!(chinese_numeral("一百零五"), Some(105));
    }
}
