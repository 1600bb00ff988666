//! Segment: normalized text → paragraphs, sentences and clauses, and the
//! shared jieba tokenizer with the domain lexicon.
//!
//! A paragraph is a line of the normalized text. A sentence ends at 。！？；
//! or at the paragraph's end; a clause ends at ，：or the sentence end. The
//! enumeration comma 、 does not end a clause: "结转结余率、财务管理合规性分值
//! 各 2 分" names two indicators in one clause. Brackets are respected: a
//! comma inside （…） does not split.

use jieba_rs::Jieba;
use std::ops::Range;
use std::sync::OnceLock;

/// One sentence of the normalized text, with its clauses, as byte ranges
/// into `Text::text` (half-open).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Range<usize>,
    /// Index of the paragraph (line) the sentence is in.
    pub paragraph: usize,
    pub clauses: Vec<Range<usize>>,
}

/// A paragraph: one line of the normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Range<usize>,
    /// Indices into the sentence list.
    pub sentences: Range<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segments {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
}

const SENTENCE_END: &[char] = &['。', '！', '？', '；', ';', '!', '?'];
const CLAUSE_END: &[char] = &['，', '：', ':'];

/// Splits the text into paragraphs, sentences and clauses.
pub fn segment(text: &str) -> Segments {
    let mut seg = Segments::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.trim_end_matches('\n').len();
        let first = seg.sentences.len();
        split_sentences(text, start..end, seg.paragraphs.len(), &mut seg.sentences);
        seg.paragraphs.push(Paragraph {
            span: start..end,
            sentences: first..seg.sentences.len(),
        });
        start += line.len();
    }
    seg
}

fn split_sentences(text: &str, para: Range<usize>, index: usize, out: &mut Vec<Sentence>) {
    let mut depth = 0i32;
    let mut s_start = para.start;
    let mut c_start = para.start;
    let mut clauses = Vec::new();
    for (i, ch) in text[para.clone()].char_indices() {
        let at = para.start + i;
        match ch {
            '（' | '(' | '“' | '《' => depth += 1,
            '）' | ')' | '”' | '》' => depth = (depth - 1).max(0),
            _ => {}
        }
        let after = at + ch.len_utf8();
        if SENTENCE_END.contains(&ch) && depth == 0 {
            clauses.push(c_start..after);
            out.push(Sentence {
                span: s_start..after,
                paragraph: index,
                clauses: std::mem::take(&mut clauses),
            });
            s_start = after;
            c_start = after;
        } else if CLAUSE_END.contains(&ch) && depth == 0 {
            clauses.push(c_start..after);
            c_start = after;
        }
    }
    if s_start < para.end {
        if c_start < para.end {
            clauses.push(c_start..para.end);
        }
        out.push(Sentence {
            span: s_start..para.end,
            paragraph: index,
            clauses,
        });
    }
}

/// Labels the extractor relies on, with explicit frequencies so that jieba
/// keeps each as one token instead of splitting it by its general model.
const LEXICON: &[(&str, usize)] = &[
    ("一般公共预算财政拨款收入", 50_000),
    ("一般公共预算财政拨款", 50_000),
    ("政府性基金预算财政拨款", 50_000),
    ("财政拨款收入", 50_000),
    ("事业收入", 30_000),
    ("经营收入", 30_000),
    ("其他收入", 30_000),
    ("上年结转", 30_000),
    ("收入合计", 50_000),
    ("支出合计", 50_000),
    ("基本支出", 50_000),
    ("项目支出", 50_000),
    ("人员经费", 30_000),
    ("公用经费", 30_000),
    ("三公经费", 30_000),
    ("预算执行率", 30_000),
    ("支出进度", 30_000),
    ("执行率", 30_000),
    ("年初预算数", 30_000),
    ("全年预算数", 30_000),
    ("全年执行数", 30_000),
    ("履职效能", 50_000),
    ("管理效率", 50_000),
    ("采购政策效能", 50_000),
    ("一级指标", 50_000),
    ("二级指标", 50_000),
    ("三级指标", 50_000),
    ("一级项目", 50_000),
    ("二级项目", 50_000),
    ("分值", 50_000),
    ("得分", 50_000),
    ("满分", 50_000),
    ("权重", 30_000),
    ("扣分", 30_000),
    ("绩效等级", 30_000),
    ("自评得分", 30_000),
    ("占比", 30_000),
];

/// The shared tokenizer: built once (about 100 ms and 36 MiB), then
/// borrowed by every document on every thread.
pub fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::new();
        for (word, freq) in LEXICON {
            j.add_word(word, Some(*freq), None);
        }
        j
    })
}

/// Tokens of a short piece of text (a label), with HMM so that unknown
/// names and decimals stay whole.
pub fn tokens(text: &str) -> Vec<&str> {
    jieba().cut(text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_clauses_respect_brackets_and_enumeration_commas() {
        let t = "管理效率得分48.99分，包括二级指标7个、三级指标23个。(1)运行经费支出1808.84万元（含A、B，C 2个二级项目）\n第二段；末句";
        let s = segment(t);
        assert_eq!(s.paragraphs.len(), 2);
        let texts: Vec<&str> = s.sentences.iter().map(|x| &t[x.span.clone()]).collect();
        assert_eq!(
            texts,
            [
                "管理效率得分48.99分，包括二级指标7个、三级指标23个。",
                "(1)运行经费支出1808.84万元（含A、B，C 2个二级项目）",
                "第二段；",
                "末句"
            ]
        );
        let clauses: Vec<&str> = s.sentences[0]
            .clauses
            .iter()
            .map(|c| &t[c.clone()])
            .collect();
        assert_eq!(
            clauses,
            ["管理效率得分48.99分，", "包括二级指标7个、三级指标23个。"]
        );
        assert_eq!(s.sentences[1].clauses.len(), 1);
    }

    #[test]
    fn domain_labels_are_single_tokens_and_decimals_stay_whole() {
        let toks = tokens("其中一般公共预算财政拨款收入10583.6万元");
        assert!(toks.contains(&"一般公共预算财政拨款收入"), "{toks:?}");
        assert!(toks.contains(&"10583.6"), "{toks:?}");
        assert!(tokens("采购政策效能分值").contains(&"采购政策效能"));
    }
}
