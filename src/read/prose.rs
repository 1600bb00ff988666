//! The prose reader: sentences → typed facts, each with its label and
//! source span.
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
//! Table lines are read by the table readers ([`super::flat_table`],
//! [`super::scoring`]). A number the PDF glued to its neighbour (`10583.699.94%`) is never split by
//! guessing: it is skipped and reported as a diagnostic.

use super::classify::{classify, list_runs, score_kind};
use super::fact::{Fact, FactDiagnostic, FactKind};
use super::label::{prepare_raw, ENUMERATOR, LIST_SEPARATORS};
use super::names::{is_bare_keyword, name_clause, ParagraphNames};
use super::{is_table_row, Claims, Readings};
use crate::model::{Diagnostic, DiagnosticKind, Grade, Unit};
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use crate::text::LineInfo;
use crate::text::{chinese_numeral, is_punct};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A run of digits, separators and points, then an optional unit.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+(?:,\d+)*(?:\.\d+)*)(万元|亿元|元|%|分|个|项|万)?").unwrap());

/// A number written with thousands separators (1,234.56).
static THOUSANDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)*$").unwrap());

/// A count in Chinese numerals (三个, 二十三项).
static CN_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([零一二两三四五六七八九十百千]+)(个|项)").unwrap());

/// A grade stated (等级为优, 评定为良好…).
static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"等级(?:为|是|评定为|评为|：|:)?[“\x22「『]?(优秀|优|良好|良|中等|中|合格|差|不合格)",
    )
    .unwrap()
});

/// 得满分, 均为满分: the score equals the points.
static FULL_MARKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:得|为|均为|全部为|均得|均获)满分").unwrap());

/// Characters after "分" that make it part of another word (分钟, 分别…).
const NOT_SCORE_AFTER_FEN: &[char] = &[
    '钟', '别', '之', '析', '散', '配', '布', '类', '解', '享', '期', '批', '段', '局', '支', '院',
    '所', '队', '子', '成', '工', '管', '包', '摊', '级', '组', '项', '数', '值', '母', '秒',
];

/// Reads the facts of every prose sentence, in text order, into `out`.
/// Table lines are the table readers'; a paragraph a table reader claimed
/// keeps its markers (得满分, 等级为优) but gives its figures to the table.
pub fn read(text: &str, seg: &Segments, lines: &[LineInfo], claimed: &Claims, out: &mut Readings) {
    let mut names = ParagraphNames::default();
    for (si, sentence) in seg.sentences.iter().enumerate() {
        let para = sentence.paragraph;
        let para_text = &text[seg.paragraphs[para].span.clone()];
        if is_table_row(para_text, lines.get(para)) {
            continue;
        }
        let (mut facts, clause_of) = sentence_facts(text, seg, si, &mut out.diagnostics);
        let runs = list_runs(&facts, &clause_of);
        let dropped = classify(&mut facts, &runs);
        names.resolve(para, ENUMERATOR.is_match(para_text), &mut facts);
        for run in &dropped {
            unmatched_list(text, &facts[run.clone()], &mut out.diagnostics);
        }
        let claimed = claimed.contains(para);
        out.facts.extend(
            facts
                .into_iter()
                .enumerate()
                .filter(|(k, _)| !dropped.iter().any(|r| r.contains(k)))
                .map(|(_, f)| f)
                .filter(|f| f.value.is_none() || !claimed),
        );
    }
}

/// The facts of one sentence, clause by clause, and the clause of each.
fn sentence_facts(
    text: &str,
    seg: &Segments,
    si: usize,
    diagnostics: &mut Vec<FactDiagnostic>,
) -> (Vec<Fact>, Vec<usize>) {
    let mut facts: Vec<Fact> = Vec::new();
    let mut clause_of: Vec<usize> = Vec::new();
    for ci in 0..seg.sentences[si].clauses.len() {
        let at = Place { text, seg, si, ci };
        let mut found: Vec<Fact> = Vec::new();
        for fig in figures(at.clause()) {
            if let Some(f) = figure_fact(&at, &fig, &found, &clause_of, diagnostics) {
                found.push(f);
            }
        }
        numeral_counts(&at, &mut found);
        markers(&at, &mut found);
        found.sort_by_key(|f| f.span.start);
        clause_of.extend(std::iter::repeat_n(ci, found.len()));
        facts.extend(found);
    }
    (facts, clause_of)
}

/// A clause of a sentence, where the reader is.
struct Place<'a> {
    text: &'a str,
    seg: &'a Segments,
    si: usize,
    ci: usize,
}

impl Place<'_> {
    fn sentence(&self) -> &crate::segment::Sentence {
        &self.seg.sentences[self.si]
    }

    fn range(&self) -> Range<usize> {
        self.sentence().clauses[self.ci].clone()
    }

    fn clause(&self) -> &str {
        &self.text[self.range()]
    }

    fn paragraph(&self) -> usize {
        self.sentence().paragraph
    }

    fn fact(
        &self,
        kind: FactKind,
        value: Option<Stated>,
        raw_label: String,
        span: Range<usize>,
    ) -> Fact {
        Fact {
            kind,
            value,
            label: String::new(),
            raw_label,
            follows: String::new(),
            each: false,
            level: None,
            span,
            sentence: self.si,
            paragraph: self.paragraph(),
            column: None,
        }
    }
}

/// The fact of one figure of a clause, typed by its unit; None for what
/// states nothing to check (a glued number, which is reported; an
/// approximation; a year; 分 in another word).
fn figure_fact(
    at: &Place,
    fig: &RawFigure,
    found: &[Fact],
    clause_of: &[usize],
    diagnostics: &mut Vec<FactDiagnostic>,
) -> Option<Fact> {
    let (text, ctext, clause) = (at.text, at.clause(), at.range());
    let num = &ctext[fig.num.clone()];
    let whole = &ctext[fig.num.start..fig.end];
    let start = clause.start + fig.num.start;
    let end = clause.start + fig.end;
    let after = &text[end..];
    // A number glued to its neighbour cannot be trusted.
    if num.matches('.').count() > 1 {
        diagnostics.push(FactDiagnostic {
            at: start,
            token: whole.to_string(),
            diagnostic: Diagnostic {
                kind: DiagnosticKind::GluedNumber,
                page: None,
                message: format!(
                    "数字「{whole}」疑似由相邻数字粘连而成（PDF 字宽表解析问题），未采用"
                ),
            },
        });
        return None;
    }
    let kind = figure_kind(fig.unit?, &ctext[..fig.num.start], after)?;
    if kind == FactKind::Amount(Unit::Yuan) && preceded_by_digit_year(ctext, fig.num.start) {
        return None;
    }
    let precision = match kind {
        FactKind::Count => Precision::Exact,
        _ => Precision::Digits,
    };
    let value = Stated::parse(num, precision)?;
    // 「约2000万元」, 「近2000万元」, 「超过95%」: not a statement of
    // the figure, nothing to check it against.
    if is_approximate(&ctext[..fig.num.start])
        || (matches!(kind, FactKind::Amount(_) | FactKind::Percent)
            && APPROXIMATE_AFTER.iter().any(|w| after.starts_with(w)))
    {
        return None;
    }
    let raw = figure_label(at, kind, start, after, found, clause_of);
    let mut f = at.fact(kind, Some(value), raw, start..end);
    if kind == FactKind::Count {
        f.follows = following_noun(after);
    } else if matches!(kind, FactKind::Amount(_)) && after.starts_with('的') {
        // 「完成年初预算数25200万元的8.9%」: the base of a ratio.
        f.follows = "的".into();
    }
    Some(f)
}

/// A figure's kind by its unit: 分 is a score (refined from the label
/// later) unless it is part of another word, a bound of a scale, or a
/// scoring criterion.
fn figure_kind(unit: &str, before: &str, after: &str) -> Option<FactKind> {
    Some(match unit {
        "%" => FactKind::Percent,
        "个" | "项" => FactKind::Count,
        "分" => {
            if after.starts_with(NOT_SCORE_AFTER_FEN)
                || is_scale_bound(after)
                || before.ends_with(['至', '-', '－', '~', '～'])
                || is_criterion(before)
            {
                return None;
            }
            FactKind::Score
        }
        u => FactKind::Amount(Unit::parse(u).expect("regex unit")),
    })
}

/// Whether the clause before a 分-figure states a scoring rule rather than a
/// score: 「≥90%，计5分」 (计/记 a number of points), 「每少一项扣1分」 (每),
/// 「80%（含）-90%」 or a comparison sign (a threshold).
fn is_criterion(before: &str) -> bool {
    let b = before.trim_end_matches(['为', ' ']);
    b.ends_with(['计', '记'])
        || before.trim_start_matches(is_punct).starts_with('每')
        || before.contains(['≥', '≤', '＞', '＜', '>', '<', '≦', '≧'])
        || before.contains("（含）")
        || before.contains("(含)")
}

/// The raw label of a figure: the clause's text since the figure before,
/// or a name the sentence gives elsewhere.
fn figure_label(
    at: &Place,
    kind: FactKind,
    start: usize,
    after: &str,
    found: &[Fact],
    clause_of: &[usize],
) -> String {
    let (text, clause, ci) = (at.text, at.range(), at.ci);
    let clauses = &at.sentence().clauses;
    let prev_end = found.last().map(|f| f.span.end).unwrap_or(clause.start);
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
        && text[clauses[ci - 1].clone()].ends_with(['：', ':'])
        && clause_of.last() != Some(&(ci - 1))
    {
        let name = prepare_raw(&text[clauses[ci - 1].clone()]);
        raw = name.trim_end_matches(is_punct).to_string();
    }
    // A deduction follows its reason, not a name.
    if kind == FactKind::Score
        && found.is_empty()
        && is_bare_keyword(&raw)
        && score_kind(&prepare_raw(&raw)).0 != Some(FactKind::Deduction)
    {
        let opens_paragraph = at.seg.paragraphs[at.paragraph()].sentences.start == at.si;
        if let Some(name) = ci
            .checked_sub(1)
            .and_then(|k| name_clause(text, clauses, k, opens_paragraph))
        {
            raw = format!("{name}{raw}");
        }
    }
    raw
}

/// Counts in Chinese numerals (「三个一」, 「二十三个」).
fn numeral_counts(at: &Place, found: &mut Vec<Fact>) {
    let (text, clause) = (at.text, at.range());
    for m in CN_COUNT.captures_iter(at.clause()) {
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
        let mut f = at.fact(
            FactKind::Count,
            Some(Stated::exact(v.into())),
            text[prev_end..start].to_string(),
            start..end,
        );
        f.follows = following_noun(&text[end..]);
        found.push(f);
    }
}

/// The number-less markers: 得满分, 绩效等级为优.
fn markers(at: &Place, found: &mut Vec<Fact>) {
    let (clause, para) = (at.range(), at.paragraph());
    for m in FULL_MARKS.find_iter(at.clause()) {
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
            at.si,
            para,
        ));
    }
    for m in GRADE.captures_iter(at.clause()) {
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
            at.si,
            para,
        ));
    }
}

/// A 分别 list whose names and figures cannot be matched one to one.
fn unmatched_list(text: &str, run: &[Fact], diagnostics: &mut Vec<FactDiagnostic>) {
    let span = run[0].span.start..run[run.len() - 1].span.end;
    let quoted = &text[span.clone()];
    diagnostics.push(FactDiagnostic {
        at: span.start,
        token: quoted.to_string(),
        diagnostic: Diagnostic {
            kind: DiagnosticKind::UnmatchedList,
            page: None,
            message: format!(
                "「{quoted}」是“分别”列举的分数，但列举的名称个数与之对不上，这些分数未被检查"
            ),
        },
    });
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

/// The numbers of a clause. An ASCII comma is a thousands separator only
/// between groups of three digits ("1,234.56"); otherwise ("1,2") it
/// separates two numbers. A unit written once at the end of a list applies
/// to every member of the list.
fn figures(clause: &str) -> Vec<RawFigure<'_>> {
    let mut out: Vec<RawFigure> = Vec::new();
    for m in FIGURE.captures_iter(clause) {
        let num = m.get(1).expect("group 1");
        let end = m.get(0).expect("match").end();
        // 「增收4,376万」: 万 alone, not followed by what it counts (万人,
        // 万户), is 万元 with its 元 left out.
        let unit = match m.get(2).map(|u| u.as_str()) {
            Some("万") if clause[end..].starts_with(crate::text::is_han) => None,
            Some("万") => Some("万元"),
            u => u,
        };
        let digits = num.as_str();
        if digits.contains(',') && !THOUSANDS.is_match(digits) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::label::canonical_change;
    use crate::read::read as extract;
    use crate::segment::segment;

    fn facts(t: &str) -> Vec<Fact> {
        extract(t, &segment(t), &[]).facts
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
        let fs = extract(t, &seg, &[]);
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
        assert_eq!(
            fs.diagnostics[0].diagnostic.kind,
            DiagnosticKind::GluedNumber
        );
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
        let fs = extract(t, &segment(t), &[]);
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
        let kinds: Vec<&str> = fs
            .diagnostics
            .iter()
            .map(|d| d.diagnostic.kind.as_str())
            .collect();
        assert_eq!(kinds, ["unmatched_list", "unmatched_list"]);
    }

    #[test]
    fn scoring_criteria_are_not_scores() {
        let t = "重点支出安排率≥90%，计5分；80%（含）-90%，计4分；低于60%不得分。每少一项扣1分。该项得分4.5分。";
        let got: Vec<String> = facts(t)
            .iter()
            .filter(|f| f.kind.is_score_like())
            .map(|f| format!("{:?} {}", f.kind, f.value.unwrap()))
            .collect();
        assert_eq!(got, ["Score 4.5"]);
    }
}
