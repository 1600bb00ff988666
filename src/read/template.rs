//! Template text a writer left unfilled: a reason left empty (「主要原因是。」),
//! the template's alternatives left unresolved (「增加（减少）」 before a change
//! that is not zero, or before no figure at all), a placeholder
//! (「XX万元」, 「待填写」). Read in prose only: a table's header may
//! rightly say 「本年比上年增加（减少）」.

use crate::model::{TemplateSlip, TemplateSlipKind};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

static EMPTY_REASON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"原因(?:主要)?(?:(?:是|为|在于)[：:]?|[：:])[。；;]").unwrap());

/// The template's alternatives, and what follows them.
static ALTERNATIVES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:增加|减少|增长|下降|降低|上升)[（(](?:增加|减少|增长|下降|降低|上升)[)）]")
        .unwrap()
});

static ZERO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:为)?0(?:\.0+)?(?:万元|元|%|个百分点)").unwrap());

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:XX|××|xx|ＸＸ)(?:万元|元|%|个|人|项)|待填写|待补充|（此处填写[^）]*）").unwrap()
});

/// Reads the template slips of the prose.
pub fn read(text: &str, seg: &Segments) -> Vec<TemplateSlip> {
    let mut out = Vec::new();
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        if !line.contains('。') {
            continue;
        }
        for si in para.sentences.clone() {
            let span = seg.sentences[si].span.clone();
            let s = &text[span.clone()];
            let mut push = |kind, m: regex::Match| {
                out.push(TemplateSlip {
                    kind,
                    text: m.as_str().to_string(),
                    span: span.start + m.start()..span.start + m.end(),
                    sentence: si,
                });
            };
            if s.contains("原因") {
                if let Some(m) = EMPTY_REASON.find(s) {
                    push(TemplateSlipKind::EmptyReason, m);
                }
            }
            if s.contains(['（', '(']) {
                for m in ALTERNATIVES.find_iter(s) {
                    if !ZERO.is_match(&s[m.end()..]) {
                        push(TemplateSlipKind::Alternatives, m);
                    }
                }
            }
            if let Some(m) = PLACEHOLDER.find(s) {
                push(TemplateSlipKind::Placeholder, m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::segment::segment;

    fn slips(text: &str) -> Vec<String> {
        let seg = segment(text);
        read(text, &seg)
            .iter()
            .map(|s| format!("{:?} {}", s.kind, s.text))
            .collect()
    }

    #[test]
    fn unfilled_template_text_is_found_in_prose() {
        let text = "公务用车购置费0万元，与上年持平，主要原因是。\n财政拨款收入支出增加（减少）的主要原因是业务量增加。\n会议费预算XX万元，待填写。\n";
        assert_eq!(
            slips(text),
            [
                "EmptyReason 原因是。",
                "Alternatives 增加（减少）",
                "Placeholder XX万元",
            ]
        );
    }

    #[test]
    fn a_zero_change_a_table_header_and_a_given_reason_are_not_slips() {
        let text = "政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无此项收入。下文分析增减变化原因。\n项目 本年比上年增加（减少） 金额\n支出增加，主要原因：人员增加。\n";
        assert_eq!(slips(text), Vec::<String>::new());
    }
}
