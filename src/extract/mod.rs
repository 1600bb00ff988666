//! Extract: sentences → typed facts, each with its label and source span.
//!
//! A fact is one number the report states, typed by the words around it:
//! an amount with its unit (元/万元/亿元), a percent, points (分值), a score
//! (得分), a deduction (扣 X 分), a count (N 个), plus the number-less
//! markers a reviewer reads the same way (得满分, 绩效等级为优). The label is
//! the text before the number in its clause, cleaned of connectives by
//! jieba tokens; for counts, the noun after "个" is kept too.
//!
//! The same fact is read from every common phrasing: shares (占总收入的,
//! 占比, 比重为, 所占比例为, （占 X%）), scores (得分, 得, 评分为, 自评得分,
//! 得满分 X 分), deductions (扣, 扣减, 扣除, 扣分), points (分值, 权重, 满分,
//! 各/均 for each name of a 、-list, a 总分 of exactly 100), thousands
//! separators (1,234.56, but "1,2" is two numbers), a unit written once for
//! a list ("1.2、3.4和5.6万元"), 分别 lists whose members get one name each
//! (or, when the names cannot be matched one to one, no name at all), and
//! counts in Chinese numerals ([`chinese_numeral`]). A score that names no
//! indicator takes its name from a lone name clause before it (「1．部门预算
//! 资金支出率，满分10分」), or, in a later sentence of the paragraph, from
//! the one indicator the paragraph has named (「该项评分为19.5分」); a reason
//! written into a label (「因…扣1分」) is not a name.
//!
//! Tables that the PDF flattened into lines are read in [`table`]. A number
//! the PDF glued to its neighbour (`10583.699.94%`) is never split by
//! guessing: it is skipped and reported as a diagnostic.

pub mod table;

use crate::model::{Diagnostic, DiagnosticKind, Grade, Statement, Unit};
use crate::number::{Precision, Stated};
use crate::segment::{tokens, Segments};
use crate::text::is_punct;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

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

impl Fact {
    /// The fact as a statement of the model: its value, unit and place.
    /// None for markers (full marks, grade), which state no figure.
    pub fn statement(&self) -> Option<Statement> {
        Some(Statement {
            value: self.value?,
            unit: match self.kind {
                FactKind::Amount(u) => Some(u),
                _ => None,
            },
            span: self.span.clone(),
            sentence: self.sentence,
        })
    }
}

/// The facts of one document, in text order, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub facts: Vec<Fact>,
    /// What could not be used: the byte offset it was found at, the text
    /// it concerns, and the diagnostic.
    pub diagnostics: Vec<(usize, String, Diagnostic)>,
    /// The budget execution and indicator tables of a self-evaluation form.
    pub tables: table::scoring::ScoringTables,
}

struct Patterns {
    figure: Regex,
    thousands: Regex,
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
        figure: Regex::new(r"(\d+(?:,\d+)*(?:\.\d+)*)(万元|亿元|元|%|分|个|项)?").unwrap(),
        thousands: Regex::new(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)*$").unwrap(),
        cn_count: Regex::new(r"([零一二两三四五六七八九十百千]+)(个|项)").unwrap(),
        grade: Regex::new(
            r"等级(?:为|是|评定为|评为|：|:)?[“\x22「『]?(优秀|优|良好|良|中等|中|合格|差|不合格)",
        )
        .unwrap(),
        full_marks: Regex::new(r"(?:得|为|均为|全部为|均得|均获)满分").unwrap(),
        year: Regex::new(r"^(?:19|20)\d{2}年度?").unwrap(),
        // How a unit names itself: 我馆, 本局, 本单位, 我中心…
        self_ref: Regex::new(
            r"^(?:综上所述|综上|总体来看|总的来看)?[，,]?(?:我|本)(?:馆|局|院|委|办|中心|单位|部门|所|校|站|厅|部|处|会|队|项目)",
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
const DEDUCTION_KEYS: &[&str] = &["扣分为", "扣分", "扣减", "扣除", "扣", "减分", "减"];
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
    "满分各为",
    "满分各",
    "满分均为",
    "分值均为",
    "权重均为",
    "满分为",
    "满分",
    "标准分为",
    "标准分",
];
const SCORE_KEYS: &[&str] = &[
    "得满分",
    "自评综合得分",
    "实际得分为",
    "实际得分",
    "实际得",
    "最终得分为",
    "最终得分",
    "最终得",
    "本项得分",
    "本项得",
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
    let mut names = ParagraphNames::default();
    for (si, sentence) in seg.sentences.iter().enumerate() {
        let para = sentence.paragraph;
        if table::is_table_line(&text[seg.paragraphs[para].span.clone()]) {
            continue;
        }
        let mut sentence_facts: Vec<Fact> = Vec::new();
        let mut clause_of: Vec<usize> = Vec::new();
        for (ci, clause) in sentence.clauses.iter().enumerate() {
            let ctext = &text[clause.clone()];
            let mut found: Vec<Fact> = Vec::new();
            for fig in figures(ctext) {
                let num = &ctext[fig.num.clone()];
                let whole = &ctext[fig.num.start..fig.end];
                let start = clause.start + fig.num.start;
                let end = clause.start + fig.end;
                let after = &text[end..];
                // A number glued to its neighbour cannot be trusted.
                if num.matches('.').count() > 1 {
                    out.diagnostics.push((
                        start,
                        whole.to_string(),
                        Diagnostic {
                            kind: DiagnosticKind::GluedNumber,
                            page: None,
                            message: format!(
                                "数字「{whole}」疑似由相邻数字粘连而成（PDF 字宽表解析问题），未采用"
                            ),
                        },
                    ));
                    continue;
                }
                let Some(unit) = fig.unit else { continue };
                let kind = match unit {
                    "%" => FactKind::Percent,
                    "个" | "项" => FactKind::Count,
                    "分" => {
                        let before = &ctext[..fig.num.start];
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
                    && preceded_by_digit_year(ctext, fig.num.start)
                {
                    continue;
                }
                let precision = match kind {
                    FactKind::Count => Precision::Exact,
                    _ => Precision::Digits,
                };
                let Some(value) = Stated::parse(num, precision) else {
                    continue;
                };
                // 「约2000万元」, 「近2000万元」, 「超过95%」: not a statement of
                // the figure, nothing to check it against.
                if is_approximate(&ctext[..fig.num.start])
                    || (matches!(kind, FactKind::Amount(_) | FactKind::Percent)
                        && APPROXIMATE_AFTER.iter().any(|w| after.starts_with(w)))
                {
                    continue;
                }
                let prev_end = found
                    .last()
                    .map(|f: &Fact| f.span.end)
                    .unwrap_or(clause.start);
                let mut raw = text[prev_end.max(clause.start)..start].to_string();
                // 「1．部门预算资金支出率，满分10分，得9.65分」: the name is
                // the clause before, which states nothing itself.
                // 「采购政策效能（1分）」: points in brackets after a name.
                if kind == FactKind::Score
                    && after.starts_with(['）', ')'])
                    && raw.ends_with(['（', '('])
                    && raw.chars().count() > 1
                {
                    raw.pop();
                    raw.push_str("分值");
                }
                // 「收入合计：2000.00万元」: the name before a colon.
                if matches!(kind, FactKind::Amount(_))
                    && found.is_empty()
                    && prepare_raw(&raw).is_empty()
                    && ci > 0
                    && text[sentence.clauses[ci - 1].clone()].ends_with(['：', ':'])
                    && clause_of.last() != Some(&(ci - 1))
                {
                    let name = prepare_raw(&text[sentence.clauses[ci - 1].clone()]);
                    raw = name.trim_end_matches(is_punct).to_string();
                }
                // A deduction follows its reason, not a name.
                if kind == FactKind::Score
                    && found.is_empty()
                    && is_bare_keyword(&raw)
                    && score_kind(&prepare_raw(&raw)).0 != Some(FactKind::Deduction)
                {
                    let opens_paragraph = seg.paragraphs[para].sentences.start == si;
                    if let Some(name) = ci
                        .checked_sub(1)
                        .and_then(|k| name_clause(text, &sentence.clauses, k, opens_paragraph))
                    {
                        raw = format!("{name}{raw}");
                    }
                }
                let follows = if kind == FactKind::Count {
                    following_noun(after)
                } else {
                    String::new()
                };
                found.push(Fact {
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
                });
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
            clause_of.extend(std::iter::repeat_n(ci, found.len()));
            sentence_facts.extend(found);
        }
        let runs = list_runs(&sentence_facts, &clause_of);
        let dropped = classify(&mut sentence_facts, &runs);
        let item = p
            .enumerator
            .is_match(&text[seg.paragraphs[para].span.clone()]);
        names.resolve(para, item, &mut sentence_facts);
        for run in &dropped {
            let span = sentence_facts[run.start].span.start..sentence_facts[run.end - 1].span.end;
            let quoted = &text[span.clone()];
            out.diagnostics.push((
                span.start,
                quoted.to_string(),
                Diagnostic {
                    kind: DiagnosticKind::UnmatchedList,
                    page: None,
                    message: format!(
                        "「{quoted}」是“分别”列举的分数，但列举的名称个数与之对不上，这些分数未被检查"
                    ),
                },
            ));
        }
        out.facts.extend(
            sentence_facts
                .into_iter()
                .enumerate()
                .filter(|(k, _)| !dropped.iter().any(|r| r.contains(k)))
                .map(|(_, f)| f),
        );
    }
    table::extract_tables(text, seg, &mut out);
    out.facts.sort_by_key(|f| f.span.start);
    out
}

/// Words of a sentence that tells what happened or why, which an
/// indicator's name does not have ("城市书房建设未在年底前全部完成，评分为
/// 9分", "因部分社区活动参与度不高扣1分").
const NARRATIVE: &[&str] = &["未", "没有", "因", "由于", "导致", "尚", "仍", "但", "已"];

fn is_narrative(s: &str) -> bool {
    NARRATIVE.iter().any(|w| s.contains(w))
}

/// Leading words of a reason ("因…扣1分"): what follows is no name.
const REASON_START: &[&str] = &["因", "由于", "主要因", "主要由于", "原因"];

/// A score's label without the reason written into it: 「因部分社区活动参与度
/// 不高扣1分」 and 「…扣分原因扣减0.12分」 name nothing, 「财务管理合规性因
/// 个别凭证附件不全扣0.5分」 names 财务管理合规性.
fn without_reason(label: String) -> String {
    if REASON_START.iter().any(|w| label.starts_with(w)) || label.contains("原因") {
        return String::new();
    }
    let cut = ["由于", "因为", "因"]
        .iter()
        .filter_map(|w| label.find(w))
        .filter(|&i| !label[i..].starts_with("因素"))
        .min();
    match cut {
        Some(i) => label[..i].to_string(),
        None => label,
    }
}

/// Words of a heading over the whole evaluation ("（一）自评结论：得分98.92
/// 分"), whose score is the total, not an indicator's; and of a sentence
/// that sums up ("综上，本部门得分98.92分").
const SUMMARY_WORDS: &[&str] = &[
    "结论",
    "总体",
    "综合",
    "自评",
    "总分",
    "合计",
    "总计",
    "得分情况",
    "评分情况",
    "综上",
];

/// Words that point back at the indicator a paragraph is about
/// ("该项评分为19.5分").
const BACK_REFERENCES: &[&str] = &[
    "该项",
    "该指标",
    "该项指标",
    "此项",
    "本项",
    "此指标",
    "本指标",
];

/// The indicators a paragraph has named so far, for the scores of its
/// later sentences that name none: 「4.成本指标（权重5分）。各项活动均控制在
/// 预算范围内，得5分。」 is 成本指标's score, and so is 「该项评分为19.5分」.
#[derive(Default)]
struct ParagraphNames {
    paragraph: usize,
    names: Vec<(Option<u8>, String)>,
}

impl ParagraphNames {
    /// `item`: the paragraph is an enumerated item ("1．…", "（2）…"),
    /// about one indicator; only there does a later deduction that names
    /// nothing belong to it (in a section's paragraph, 「…逾期，扣1分」 is
    /// some sub-item's).
    fn resolve(&mut self, paragraph: usize, item: bool, facts: &mut [Fact]) {
        if paragraph != self.paragraph {
            self.paragraph = paragraph;
            self.names.clear();
        }
        let mut scored_before = false;
        for f in facts.iter_mut().filter(|f| f.kind.is_score_like()) {
            if f.each {
                scored_before = true;
                continue;
            }
            if BACK_REFERENCES.contains(&f.label.as_str()) {
                if let Some((level, name)) = self.names.last() {
                    f.label = name.clone();
                    f.level = f.level.or(*level);
                }
            } else if f.label.is_empty()
                && !scored_before
                && self.names.len() == 1
                && (item || f.kind != FactKind::Deduction)
                && !sums_up(&f.raw_label)
            {
                // Within one sentence the assembler already keeps the
                // indicator the sentence is on.
                let (level, name) = &self.names[0];
                f.label = name.clone();
                f.level = f.level.or(*level);
            }
            if !f.label.is_empty() && !self.names.iter().any(|(_, n)| *n == f.label) {
                self.names.push((f.level, f.label.clone()));
            }
            scored_before = true;
        }
    }
}

/// Whether a score's raw label speaks of the whole unit or sums up
/// ("综上，本部门得分", "本局整体得分"): its score is no indicator's.
fn sums_up(raw: &str) -> bool {
    let raw = prepare_raw(raw);
    patterns().self_ref.is_match(&raw)
        || SUMMARY_WORDS.iter().any(|w| raw.contains(w))
        || raw.contains("整体")
}

/// Whether a label says only which kind of 分-figure follows ("满分",
/// "得", "分值为"), and no name.
fn is_bare_keyword(raw: &str) -> bool {
    let (kind, rest, _) = score_kind(&prepare_raw(raw));
    kind.is_some() && clean_label(&rest).1.is_empty()
}

/// Words that open a clause about the evaluation, not an indicator's name
/// ("经综合评价，得分95分").
const NOT_A_NAME_START: &[&str] = &[
    "经", "按", "根据", "依据", "通过", "综上", "总体", "总的", "其中", "对", "在", "由于", "因",
    "为", "从", "结合", "截至", "截止", "本", "我", "该", "全年", "今年", "此外", "同时",
];

/// The name stated alone in clause `k` of a sentence, if it is one: the
/// title of an enumerated item paragraph ("1．部门预算资金支出率，满分10分"),
/// a clause after a colon ("（1）预算编制：新增预算项目事前绩效评估，满分
/// 3分") or after a level marker ("三级指标结转结余率、财务管理合规性，满分
/// 各2分"), without figures, short, not opening with a connective, not
/// telling what happened. Any other clause ("部分项目跨年度实施，扣减0.06分",
/// a 偏差原因 cell wrapped out of its table: "晚于计划，扣1.5分") is more
/// likely a reason than a name.
fn name_clause(
    text: &str,
    clauses: &[Range<usize>],
    k: usize,
    opens_paragraph: bool,
) -> Option<String> {
    let after_colon = k
        .checked_sub(1)
        .is_some_and(|j| text[clauses[j].clone()].ends_with(['：', ':']));
    let clause = &text[clauses[k].clone()];
    let raw = prepare_raw(clause);
    let marked = ["三级指标", "二级指标"].iter().any(|m| raw.starts_with(m));
    let item_title = k == 0 && opens_paragraph && patterns().enumerator.is_match(clause.trim());
    if !(item_title || after_colon || marked) {
        return None;
    }
    let name = raw.trim_end_matches(is_punct);
    let ok = !name.is_empty()
        && name.chars().count() <= 30
        && !is_narrative(name)
        && !SUMMARY_WORDS.iter().any(|w| name.contains(w))
        && !name.chars().any(|c| c.is_ascii_digit() || c == '%')
        && !NOT_A_NAME_START.iter().any(|w| name.starts_with(w))
        && !name.contains(['，', '。', '；']);
    ok.then(|| name.to_string())
}

/// One number of a clause, with the unit written after it or, for a list
/// that writes its unit once ("1.2、3.4和5.6万元"), after the list.
#[derive(Debug, PartialEq, Eq)]
struct RawFigure<'a> {
    /// Byte range of the digits (thousands separators included).
    num: Range<usize>,
    unit: Option<&'a str>,
    /// The figure's end: after its own unit, or after its digits when the
    /// unit is the list's.
    end: usize,
}

/// What stands between the members of a list of figures.
const LIST_SEPARATORS: &[&str] = &["、", "和", "及", "以及", "与", "或", ","];

/// The numbers of a clause. An ASCII comma is a thousands separator only
/// between groups of three digits ("1,234.56"); otherwise ("1,2") it
/// separates two numbers. A unit written once at the end of a list applies
/// to every member of the list.
fn figures(clause: &str) -> Vec<RawFigure<'_>> {
    let p = patterns();
    let mut out: Vec<RawFigure> = Vec::new();
    for m in p.figure.captures_iter(clause) {
        let num = m.get(1).expect("group 1");
        let unit = m.get(2).map(|u| u.as_str());
        let end = m.get(0).expect("match").end();
        let digits = num.as_str();
        if digits.contains(',') && !p.thousands.is_match(digits) {
            let parts: Vec<&str> = digits.split(',').collect();
            let mut at = num.start();
            for (k, part) in parts.iter().enumerate() {
                let last = k + 1 == parts.len();
                out.push(RawFigure {
                    num: at..at + part.len(),
                    unit: if last { unit } else { None },
                    end: if last { end } else { at + part.len() },
                });
                at += part.len() + 1;
            }
        } else {
            out.push(RawFigure {
                num: num.range(),
                unit,
                end,
            });
        }
    }
    for k in (0..out.len().saturating_sub(1)).rev() {
        if out[k].unit.is_none() {
            let between = &clause[out[k].num.end..out[k + 1].num.start];
            if LIST_SEPARATORS.contains(&between) {
                out[k].unit = out[k + 1].unit;
            }
        }
    }
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

/// Reads a Chinese numeral as counts are written ("二十三" → 23, "两" → 2,
/// "十二" → 12, "一百零五" → 105, "两千零一十" → 2010). Strict: what is
/// not one exact number is None — an estimate ("三四个"), units out of
/// order ("十百"), or a colloquial abbreviation ("一百五", 150 or 105?).
pub fn chinese_numeral(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    // The last multiplier used: each must be smaller than the one before.
    let mut last_unit = u32::MAX;
    // A 零 was read since the last multiplier: only units or 十 follow.
    let mut after_zero = false;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            if current.is_some() {
                return None;
            }
            current = Some(d);
            continue;
        }
        match c {
            '零' => {
                if current.is_some() || last_unit == u32::MAX {
                    return (s == "零").then_some(0);
                }
                after_zero = true;
            }
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                if unit >= last_unit || (after_zero && unit != 10) {
                    return None;
                }
                // "十二" is 12, but "百" alone is not a count.
                let k = match current {
                    Some(k) => k,
                    None if unit == 10 => 1,
                    None => return None,
                };
                total += k * unit;
                current = None;
                last_unit = unit;
                after_zero = false;
            }
            _ => return None,
        }
    }
    // "一百零" says nothing after its 零; "一百五" leaves its digit's
    // place unsaid.
    if after_zero && current.is_none()
        || current.is_some() && (100..u32::MAX).contains(&last_unit) && !after_zero
    {
        return None;
    }
    any.then_some(total + current.unwrap_or(0))
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

/// A label as written, without what belongs to an earlier phrase: text
/// before a closing bracket ("（含…8个二级项目）整体支出绩效自评为" labels the
/// score "整体支出绩效"), enumerators and leading punctuation.
fn prepare_raw(raw: &str) -> String {
    let p = patterns();
    let mut raw = raw.trim().to_string();
    if let Some(i) = raw.rfind(['）', ')']) {
        let rest = &raw[i + raw[i..].chars().next().map_or(1, char::len_utf8)..];
        if !rest.is_empty() {
            raw = rest.to_string();
        }
    }
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
    raw
}

/// The whole income or expenditure stated without 合计: 「收入共计2000万元」,
/// 「全年收入…」, 「共取得收入…」, 「本年支出…」 say 收入合计 / 支出合计 (but
/// not 「上年收入」 or a change against it).
fn split_total(label: &str, raw: &str) -> Option<&'static str> {
    if ["上年", "去年", "比", "较", "同比"]
        .iter()
        .any(|w| raw.contains(w))
    {
        return None;
    }
    match label {
        "收入" | "取得收入" | "共取得收入" | "实现收入" | "本年收入" | "全年收入" | "全部收入" => {
            Some("收入合计")
        }
        "支出" | "本年支出" | "全年支出" | "全部支出" | "实现支出" => {
            Some("支出合计")
        }
        _ => None,
    }
}

/// The change words of a label in the form the assembler reads: 「增幅」,
/// 「增长率」, 「增长幅度」 are 增长; 「降幅」, 「下降幅度」, 「减幅」 are 下降;
/// 「比上年多/少」 is 比上年增加/减少. The rest of the label is kept.
fn canonical_change(raw: &str) -> Option<String> {
    let t = raw.trim_end_matches(['为', '是', '达', '了']);
    for (word, canonical) in [
        ("增长幅度", "增长"),
        ("增长率", "增长"),
        ("增幅", "增长"),
        ("下降幅度", "下降"),
        ("降幅", "下降"),
        ("减幅", "下降"),
        ("减少幅度", "下降"),
    ] {
        if let Some(head) = t.strip_suffix(word) {
            return Some(format!("{head}{canonical}"));
        }
    }
    let against = ["比上年", "较上年", "比去年", "较去年"]
        .iter()
        .any(|k| t.contains(k));
    if against {
        if let Some(head) = t.strip_suffix('多') {
            return Some(format!("{head}增加"));
        }
        if let Some(head) = t.strip_suffix('少') {
            return Some(format!("{head}减少"));
        }
    }
    None
}

/// Words right before a number that make it an estimate or a bound.
const APPROXIMATE: &[&str] = &[
    "约",
    "大约",
    "近",
    "将近",
    "接近",
    "超过",
    "逾",
    "不足",
    "不到",
    "不低于",
    "不少于",
    "不高于",
    "不超过",
];

/// Words right after an amount or a percent that make it a bound or an
/// estimate (「95%以上」, 「2000万元左右」).
const APPROXIMATE_AFTER: &[&str] = &["以上", "以下", "左右", "上下", "余"];

fn is_approximate(before: &str) -> bool {
    let before = before.trim_end_matches(['为', '达', '是']);
    APPROXIMATE.iter().any(|w| before.ends_with(w))
}

/// Words between a level marker and its count that add nothing
/// (「三级指标合计23个」).
const COUNT_TOTAL_WORDS: &[&str] = &["合计", "共计", "总计", "共有", "总共", "一共", "合计共"];

/// Labels of a share ("比重为 12.03%", "所占比例为 34.43%"): read as 占比.
const SHARE_WORDS: &[&str] = &["占比", "比重", "所占比重", "所占比例", "比例", "占比重"];

/// Decides each 分-figure's kind and cleans every label. `runs` are the
/// lists of figures of one kind (see [`list_runs`]): a list that says
/// 分别 gets one name per member. Returns the indices of figures that
/// must be dropped, as runs: a 分别 list of scores whose names cannot be
/// matched one to one would otherwise pin every score on one indicator.
fn classify(facts: &mut [Fact], runs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut last_score_kind: Option<FactKind> = None;
    let mut unmatched: Vec<Range<usize>> = Vec::new();
    let mut plan: Option<(Range<usize>, Option<ListPlan>)> = None;
    let facts_kinds: Vec<FactKind> = facts.iter().map(|f| f.kind).collect();
    // The item a share was stated for before its amount (「其他收入占总收入
    // 的0.32%」).
    let mut share_item: Option<String> = None;
    // 分-figures whose kind nothing said, and those found to be points.
    let mut defaulted: Vec<usize> = Vec::new();
    let mut bare_points = Vec::new();
    for k in 0..facts.len() {
        if facts[k].kind == FactKind::FullMarks {
            bare_points.append(&mut defaulted);
        }
        if let Some(run) = runs.iter().find(|r| r.start == k) {
            let p = plan_list(&facts[run.clone()], &facts[..k]);
            if p.is_none() && facts[k].raw_label.contains("分别") {
                unmatched.push(run.clone());
            }
            plan = Some((run.clone(), p));
        }
        let member = plan
            .as_ref()
            .filter(|(run, _)| run.contains(&k))
            .map(|(run, p)| (k - run.start, p.as_ref()));
        let f = &mut facts[k];
        if let Some((at, Some(p))) = member {
            if f.kind == FactKind::Score {
                let kind = p.kind.or(last_score_kind).unwrap_or(FactKind::Score);
                set_score_kind(f, kind);
                last_score_kind = Some(kind);
            }
            let (level, name) = p.names[at].clone();
            f.level = level;
            f.label = name.clone();
            f.raw_label = p.share_raw.clone().unwrap_or(name);
            continue;
        }
        let share_first = (k > 0 && facts_kinds[k - 1] == FactKind::Percent)
            .then(|| share_item.take())
            .flatten();
        if matches!(f.kind, FactKind::Amount(_) | FactKind::Percent) {
            if let Some(canonical) = canonical_change(&f.raw_label) {
                f.raw_label = canonical;
            }
        }
        let mut raw = prepare_raw(&f.raw_label);
        if f.kind == FactKind::Score {
            let (kind, rest, each) = score_kind(&raw);
            // 「本项目总分100分，其中预算执行率10分、产出指标50分…」: a total of
            // exactly 100 is what the scale allows, not what was scored.
            let hundred = f
                .value
                .is_some_and(|v| v.value == rust_decimal::Decimal::ONE_HUNDRED);
            let total_points = kind.is_none()
                && hundred
                && ["总分", "总分为", "总分是"]
                    .iter()
                    .any(|k| raw.ends_with(k));
            let kind = if total_points {
                Some(FactKind::Points)
            } else {
                kind
            };
            // 「采购政策效能1分，得0.99分」: a bare figure before a score
            // of the same indicator is its points; so are bare figures
            // that the sentence then says are 「均为满分」.
            if kind.is_none() && (last_score_kind.is_none() || !defaulted.is_empty()) {
                defaulted.push(k);
            } else if kind == Some(FactKind::Score) && clean_label(&rest).1.is_empty() {
                bare_points.extend(defaulted.pop());
                defaulted.clear();
            } else {
                defaulted.clear();
            }
            let kind = kind.or(last_score_kind).unwrap_or(FactKind::Score);
            set_score_kind(f, kind);
            f.each = each;
            raw = rest;
        }
        if f.kind.is_score_like() {
            last_score_kind = Some(f.kind);
        }
        let (level, label) = clean_label(&raw);
        f.level = level;
        if f.kind == FactKind::Count {
            // 「下设7个二级指标、23个三级指标」: the noun after the count says
            // what is counted; 「三级指标合计23个」 counts 三级指标.
            let counted = [("一级指标", 1u8), ("二级指标", 2), ("三级指标", 3)]
                .iter()
                .find(|(m, _)| f.follows.starts_with(m));
            if let Some(&(_, l)) = counted {
                f.level = Some(l);
                f.label = String::new();
                continue;
            }
            if f.level.is_some() && COUNT_TOTAL_WORDS.contains(&label.as_str()) {
                f.label = String::new();
                continue;
            }
        }
        f.label = if let (FactKind::Amount(_), Some(total)) = (f.kind, split_total(&label, &raw)) {
            total.to_string()
        } else if let (FactKind::Amount(_), Some(item)) =
            (f.kind, share_first.as_ref().filter(|_| label == "金额"))
        {
            // 「其他收入占总收入的0.32%，金额6.30万元」: the item named
            // with its share.
            item.clone()
        } else if f.kind == FactKind::Percent && SHARE_WORDS.contains(&label.as_str()) {
            "占比".to_string()
        } else if f.kind == FactKind::Percent && label.starts_with("约占") {
            label["约".len()..].to_string()
        } else if f.kind == FactKind::Percent
            && label.is_empty()
            && matches!(f.raw_label.trim(), "（" | "(")
            && k > 0
            && matches!(facts_kinds[k - 1], FactKind::Amount(_))
        {
            // 「其他收入6.30万元（0.32%）」: the amount's share.
            "占比".to_string()
        } else if f.kind.is_score_like() {
            without_reason(label)
        } else {
            label
        };
        if f.kind == FactKind::Percent {
            share_item = f
                .label
                .find('占')
                .filter(|&i| i > 0)
                .map(|i| f.label[..i].to_string());
        }
    }
    for j in bare_points {
        set_score_kind(&mut facts[j], FactKind::Points);
    }
    // A 分别 list whose names could not be matched: its members say
    // nothing usable about any one name.
    let mut drop = Vec::new();
    for run in unmatched {
        if facts[run.start].kind.is_score_like() {
            drop.push(run);
            continue;
        }
        for f in &mut facts[run] {
            f.label.clear();
            f.raw_label.clear();
            f.level = None;
        }
    }
    drop
}

fn set_score_kind(f: &mut Fact, kind: FactKind) {
    f.kind = kind;
    // Points and counts are exact; scores are kept to hundredths.
    if let Some(v) = f.value.as_mut() {
        v.precision = match kind {
            FactKind::Points => Precision::Exact,
            _ => Precision::AtLeast(2),
        };
    }
}

/// How the members of a 分别 list are named: one (level, label) per
/// member, the kind a 分-list announces, and for shares the words that
/// make them shares ("占总收入的").
#[derive(Clone, Debug, PartialEq, Eq)]
struct ListPlan {
    names: Vec<(Option<u8>, String)>,
    kind: Option<FactKind>,
    share_raw: Option<String>,
}

/// Runs of figures of one kind in one clause, each after the first
/// separated from the one before only by a list separator
/// ("1753.10、240.60和6.30万元", "87.66%、12.03%和0.32%").
fn list_runs(facts: &[Fact], clause_of: &[usize]) -> Vec<Range<usize>> {
    let same = |a: FactKind, b: FactKind| {
        matches!((a, b), (FactKind::Amount(_), FactKind::Amount(_))) || a == b
    };
    let mut runs = Vec::new();
    let mut i = 0;
    while i < facts.len() {
        let mut j = i + 1;
        while j < facts.len()
            && facts[i].value.is_some()
            && facts[j].value.is_some()
            && clause_of[j] == clause_of[i]
            && same(facts[i].kind, facts[j].kind)
            && LIST_SEPARATORS.contains(&facts[j].raw_label.trim())
        {
            j += 1;
        }
        if j - i >= 2 {
            runs.push(i..j);
        }
        i = j;
    }
    runs
}

/// Names the members of a list from its head: "A、B和C分别为", "A和B的得分
/// 分别为", "分别占总收入的" (names from the amounts stated before it, in
/// `earlier`). None when the list says no 分别 (and is not a list of
/// shares), or when its names cannot be matched one to one.
fn plan_list(run: &[Fact], earlier: &[Fact]) -> Option<ListPlan> {
    let n = run.len();
    let kind0 = run[0].kind;
    let raw = prepare_raw(&run[0].raw_label);
    let (mut names_part, connector) = match raw.find("分别") {
        Some(i) => (raw[..i].to_string(), raw[i + "分别".len()..].to_string()),
        None if kind0 == FactKind::Percent && raw.contains('占') => (raw.clone(), String::new()),
        None => return None,
    };
    let mut kind = None;
    let mut share_raw = None;
    if kind0.is_score_like() {
        let connector = connector.trim_end_matches(['为', '是']);
        kind = score_kind(connector).0;
        let (k, rest, _) = score_kind(names_part.trim_end_matches('的'));
        if k.is_some() {
            names_part = rest;
        }
        kind = kind.or(k);
    } else if kind0 == FactKind::Percent {
        if let Some(i) = connector.find('占') {
            share_raw = Some(connector[i..].to_string());
        } else {
            let last_name_at = names_part.rfind('、').map_or(0, |i| i + '、'.len_utf8());
            if let Some(i) = names_part[last_name_at..]
                .find('占')
                .map(|i| i + last_name_at)
            {
                let i = if names_part[..i].ends_with('所') {
                    i - '所'.len_utf8()
                } else {
                    i
                };
                share_raw = Some(names_part[i..].trim_start_matches('所').to_string());
                names_part.truncate(i);
            } else if let Some(w) = ["的比重", "的比例", "比重", "比例"]
                .iter()
                .find(|w| names_part.ends_with(**w))
            {
                share_raw = Some("占比".to_string());
                names_part.truncate(names_part.len() - w.len());
            }
        }
    }
    let names_part = names_part.trim_end_matches('的');
    let names = if let Some(names) = split_names(names_part, n) {
        names
    } else if clean_label(names_part).1.is_empty() && !names_part.contains('、') {
        // "…、其他收入6.3万元，分别占总收入的…": the amounts just named;
        // "分值分别为…，得分分别为…": the names of the points.
        let named: Vec<&Fact> = earlier
            .iter()
            .filter(|f| {
                let same = if share_raw.is_some() {
                    matches!(f.kind, FactKind::Amount(_))
                } else {
                    f.kind == kind0 || (kind0.is_score_like() && f.kind.is_score_like())
                };
                same && !f.label.is_empty()
            })
            .collect();
        // 「优抚对象满意度为96%，退役军人满意度为94%，…分别扣0.4分和0.6分」:
        // the names of whatever figures came just before, for deductions
        // only (a score or points would make those names indicators).
        let named = if named.len() >= n || kind != Some(FactKind::Deduction) {
            named
        } else {
            earlier.iter().filter(|f| !f.label.is_empty()).collect()
        };
        if named.len() < n {
            return None;
        }
        named[named.len() - n..]
            .iter()
            .map(|f| (f.level, f.label.clone()))
            .collect()
    } else {
        return None;
    };
    Some(ListPlan {
        names,
        kind,
        share_raw,
    })
}

/// Splits "A、B和C" into n cleaned names: by 、, and the last piece once
/// more at its last 和/及/以及/与 when one name is still missing (names may
/// themselves contain 和: "商品和服务支出").
fn split_names(s: &str, n: usize) -> Option<Vec<(Option<u8>, String)>> {
    let mut parts: Vec<&str> = s.split('、').collect();
    if parts.len() + 1 == n {
        let last = parts.pop()?;
        let (i, w) = ["以及", "和", "及", "与"]
            .iter()
            .filter_map(|w| last.rfind(*w).map(|i| (i, *w)))
            .max_by_key(|&(i, _)| i)?;
        parts.push(&last[..i]);
        parts.push(&last[i + w.len()..]);
    }
    if parts.len() != n {
        return None;
    }
    let names: Vec<(Option<u8>, String)> = parts.iter().map(|p| clean_label(p)).collect();
    names
        .iter()
        .all(|(level, label)| level.is_some() || !label.is_empty())
        .then_some(names)
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
            let each = k.contains('各') || k.contains('均');
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
        // A first token that is a stop word starts the label with it: only
        // then is the label worth tokenizing (jieba's cut is most of the
        // cost of reading a report's prose).
        if LEADING_STOPS.iter().any(|w| s.starts_with(w)) {
            let toks = tokens(&s);
            if let Some(first) = toks.first() {
                if LEADING_STOPS.contains(first) {
                    s = s[first.len()..].to_string();
                }
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
        if !TRAILING_STOPS.iter().any(|w| s.ends_with(w)) {
            break;
        }
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
    fn points_said_by_brackets_by_a_later_score_or_by_full_marks() {
        let t = "采购政策效能（1分）得0.99分。采购政策效能1分，得0.99分。资产盘点情况1分、数据质量2分，均为满分。合同备案时效性分值1分，实际得分0.5分，最终得分为0.5分。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Points|采购政策效能|1",
                "Score||0.99",
                "Points|采购政策效能|1",
                "Score||0.99",
                "Points|资产盘点情况|1",
                "Points|数据质量|2",
                "FullMarks||",
                "Points|合同备案时效性|1",
                "Score||0.5",
                "Score||0.5",
            ]
        );
    }

    #[test]
    fn counts_before_their_noun_and_shares_in_brackets() {
        let t = "下设7个二级指标、二十三个三级指标，三级指标合计23个。其他收入6.30万元（0.32%），事业收入240.6万元，约占12.03%。其他收入占总收入的0.32%，金额6.30万元。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Count||7|L2",
                "Count||23|L3",
                "Count||23|L3",
                "Amount(WanYuan)|其他收入|6.30",
                "Percent|占比|0.32",
                "Amount(WanYuan)|事业收入|240.6",
                "Percent|占|12.03",
                "Percent|其他收入占总收入|0.32",
                "Amount(WanYuan)|其他收入|6.30",
            ]
        );
    }

    #[test]
    fn change_words_are_read_in_one_form() {
        assert_eq!(canonical_change("，增幅").as_deref(), Some("，增长"));
        assert_eq!(canonical_change("增长率为").as_deref(), Some("增长"));
        assert_eq!(canonical_change("，降幅为").as_deref(), Some("，下降"));
        assert_eq!(canonical_change("比上年多").as_deref(), Some("比上年增加"));
        assert_eq!(canonical_change("较上年少").as_deref(), Some("较上年减少"));
        // 「多」 without a comparison, and labels without change words, stay.
        assert_eq!(canonical_change("最多"), None);
        assert_eq!(canonical_change("比上年增加"), None);
        let t = "2023年支出合计2000.00万元，比上年少100万元，降幅为5.5%。";
        let raws: Vec<String> = facts(t).iter().map(|f| f.raw_label.clone()).collect();
        assert_eq!(raws, ["2023年支出合计", "比上年减少", "下降"]);
    }

    #[test]
    fn a_later_deduction_is_the_items_not_the_sections() {
        let t = "管理效率满分50分，得48.99分。合同备案存在逾期情况，扣1分。\n1．合同备案时效性，满分2分，得1分。合同备案存在逾期情况，扣1分。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Points|管理效率|50",
                "Score||48.99",
                "Deduction||1",
                "Points|合同备案时效性|2",
                "Score||1",
                "Deduction|合同备案时效性|1",
            ]
        );
    }

    #[test]
    fn estimates_and_bounds_are_not_statements() {
        let t = "全年支出约2000万元，近1900万元，支出合计达约1986万元，覆盖率超过95%，满意度不低于90%，合格率95%以上，支出合计2000万元左右，支出合计1986.35万元。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(got, ["Amount(WanYuan)|支出合计|1986.35"]);
    }

    #[test]
    fn totals_without_he_ji() {
        let t = "本馆收入共计2000万元。全年支出1986.35万元。共取得收入2000万元。收入合计：2000.00万元。上年收入1800万元。事业收入240.6万元。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Amount(WanYuan)|收入合计|2000",
                "Amount(WanYuan)|支出合计|1986.35",
                "Amount(WanYuan)|收入合计|2000",
                "Amount(WanYuan)|收入合计|2000.00",
                "Amount(WanYuan)|上年收入|1800",
                "Amount(WanYuan)|事业收入|240.6",
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
        assert_eq!(fs.diagnostics[0].2.kind, DiagnosticKind::GluedNumber);
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("零", Some(0)),
            ("一", Some(1)),
            ("两", Some(2)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("二十", Some(20)),
            ("二十三", Some(23)),
            ("一十五", Some(15)),
            ("一百", Some(100)),
            ("两百", Some(200)),
            ("一百零五", Some(105)),
            ("一百一十", Some(110)),
            ("一百十", Some(110)),
            ("一百二十三", Some(123)),
            ("两千零一十", Some(2010)),
            ("一千零五", Some(1005)),
            ("三千四百零七", Some(3407)),
            // Not one exact number.
            ("三四", None),
            ("十百", None),
            ("十十", None),
            ("一百五", None),
            ("百", None),
            ("零五", None),
            ("一百零", None),
            ("一千零十", Some(1010)),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(chinese_numeral(s), want, "{s}");
        }
    }

    #[test]
    fn thousands_separators_and_lists_with_one_unit() {
        let t = "收入合计1,234.56万元，三级指标1,2个，支出合计12,345万元。其中一般公共预算财政拨款收入、事业收入和其他收入分别为1,000.5、200和34.06万元，分别占总收入的81.04%、16.2%和2.76%。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Amount(WanYuan)|收入合计|1234.56",
                "Count||1|L3",
                "Count||2",
                "Amount(WanYuan)|支出合计|12345",
                "Amount(WanYuan)|一般公共预算财政拨款收入|1000.5",
                "Amount(WanYuan)|事业收入|200",
                "Amount(WanYuan)|其他收入|34.06",
                "Percent|一般公共预算财政拨款收入|81.04",
                "Percent|事业收入|16.2",
                "Percent|其他收入|2.76",
            ]
        );
    }

    #[test]
    fn item_paragraphs_name_their_scores() {
        let t = "1．部门预算资金支出率，满分10分，按支出进度99.32%计分，得9.93分。\n（1）预算编制：新增预算项目事前绩效评估，满分3分，得满分。\n2.质量指标（权重15分）。部分项目跨年度实施，扣减0.5分。该项评分为14.5分。\n经综合评价，得分95分，等级为“良”。\n3.二级指标预算执行，三级指标结转结余率、财务管理合规性，满分各2分。财务管理合规性因凭证不全扣0.5分；因部分社区活动参与度不高扣1分。\n城市书房建设未在年底前全部完成，评分为9分。\n晚于计划，扣1.5分\n（一）自评结论：得分98.92分。\n2.采购管理，满分10分，得满分。综上，本部门得分98.5分。\n本项目总分100分，其中预算执行率10分。本项目自评综合得分79.65分。";
        let got: Vec<String> = facts(t).iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Points|部门预算资金支出率|10",
                "Percent|按支出进度|99.32",
                "Score||9.93",
                "Points|新增预算项目事前绩效评估|3",
                "FullMarks||",
                "Points|质量指标|15",
                "Deduction|质量指标|0.5",
                "Score|质量指标|14.5",
                "Score||95",
                "Grade(Good)||",
                "Points|结转结余率、财务管理合规性|2|each|L3",
                "Deduction|财务管理合规性|0.5",
                // The paragraph's one named indicator, not a reason.
                "Deduction|财务管理合规性|1",
                // A clause that tells what happened is no name, and a
                // deduction follows its reason (a 偏差原因 cell out of its
                // table), not a name.
                "Score||9",
                "Deduction||1.5",
                // A heading over the whole evaluation, and a sentence that
                // sums up, state the total.
                "Score||98.92",
                "Points|采购管理|10",
                "FullMarks||",
                "Score||98.5",
                "Points|总分|100",
                "Points|预算执行率|10",
                "Score||79.65",
            ]
        );
    }

    #[test]
    fn fen_bie_lists_name_each_member_or_nothing() {
        let t = "三级指标产出指标、效益指标和满意度指标的分值分别为20分、20分和10分，得分分别为19.94分、20分和9.5分。二级指标、三级指标分别为7个、23个。履职效能和管理效率分别得49.93分、48.99分。产出、效益分别为20分、19分和10分。优抚对象满意度为96%，退役军人满意度为94%，分别扣0.4分和0.6分。完成率98%，满意度95%，分别得9.8分和9.5分。";
        let fs = extract(t, &segment(t));
        let got: Vec<String> = fs.facts.iter().map(brief).collect();
        assert_eq!(
            got,
            [
                "Points|产出指标|20|L3",
                "Points|效益指标|20",
                "Points|满意度指标|10",
                "Score|产出指标|19.94|L3",
                "Score|效益指标|20",
                "Score|满意度指标|9.5",
                "Count||7|L2",
                "Count||23|L3",
                "Score|履职效能|49.93",
                "Score|管理效率|48.99",
                "Percent|优抚对象满意度|96",
                "Percent|退役军人满意度|94",
                "Deduction|优抚对象满意度|0.4",
                "Deduction|退役军人满意度|0.6",
                "Percent|完成率|98",
                "Percent|满意度|95",
            ]
        );
        let kinds: Vec<&str> = fs.diagnostics.iter().map(|d| d.2.kind.as_str()).collect();
        assert_eq!(kinds, ["unmatched_list", "unmatched_list"]);
    }
}
