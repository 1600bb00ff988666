//! `annotated/`: with `audit --annotate`, a copy of each PDF that has
//! findings, with a highlight annotation over each finding's figure on its
//! page and a note (the annotation's text, shown when it is clicked or
//! hovered) holding the message and the figures: stated, expected.
//!
//! The original file is never written: its bytes are read again (and must
//! still be the ones audited), the annotations added to the copy, the copy
//! saved as `annotated/<file name>` (a number in front where two inputs
//! share a name). Where the figure is found among the page's glyphs — in
//! the quoted sentence first, else anywhere on the page — the highlight
//! covers its glyphs; where it is not (text the extractor could not place,
//! a figure the PDF splits oddly), a note icon at the top of the page
//! carries the same text, so each finding still has its annotation on its
//! page. A file that cannot be annotated (encrypted, damaged, changed
//! since it was audited) gets a diagnostic in its record, never a failure.

use super::links::{finding_figures, plain_number};
use crate::model::{Diagnostic, DiagnosticKind, Finding, Severity};
use crate::pdftext::{self, Glyph};
use crate::record::Record;
use lopdf::{dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of the annotated copies, in the `--out` folder.
pub const ANNOTATED_DIR: &str = "annotated";

/// What annotating one file gave.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The copy written, when one was.
    pub written: Option<PathBuf>,
    /// Highlights over a figure, and notes where the figure was not found.
    pub highlights: usize,
    pub notes: usize,
    /// Why the file, or one of its findings, could not be annotated.
    pub diagnostics: Vec<Diagnostic>,
}

/// Annotates the PDF of `record` into `out` (the `annotated/` folder) as
/// `name`. Records without findings on their own pages, and text files,
/// give no copy.
pub fn annotate(record: &Record, out: &Path, name: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let path = Path::new(&record.source.path);
    let is_pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    // Each finding's place in this file: its first evidence here.
    let placed: Vec<(&Finding, u32, &str)> = record
        .findings
        .iter()
        .filter_map(|f| {
            let e = f.evidence.iter().find(|e| e.source.is_none())?;
            Some((f, e.page?, e.quote.as_str()))
        })
        .collect();
    if !is_pdf || placed.is_empty() {
        return outcome;
    }
    let fail = |why: String| Diagnostic {
        kind: DiagnosticKind::NotAnnotated,
        page: None,
        message: format!("未能生成标注副本：{why}"),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            outcome
                .diagnostics
                .push(fail(format!("无法再次读取文件（{e}）")));
            return outcome;
        }
    };
    if crate::batch::hex_sha256(&bytes) != record.source.sha256 {
        outcome
            .diagnostics
            .push(fail("文件在检查后已被改动".to_string()));
        return outcome;
    }
    let mut doc = match Document::load_mem(&bytes) {
        Ok(d) if !d.is_encrypted() => d,
        Ok(_) => {
            outcome.diagnostics.push(fail("文件已加密".to_string()));
            return outcome;
        }
        Err(e) => {
            outcome
                .diagnostics
                .push(fail(format!("文件无法解析（{e}）")));
            return outcome;
        }
    };
    let pages: BTreeMap<u32, ObjectId> = doc.get_pages();
    let mut by_page: BTreeMap<u32, Vec<(&Finding, &str)>> = BTreeMap::new();
    for (f, page, quote) in placed {
        by_page.entry(page).or_default().push((f, quote));
    }
    for (page, findings) in by_page {
        let Some(&id) = pages.get(&page) else {
            outcome.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::NotAnnotated,
                page: Some(page),
                message: "未能标注：文件中没有这一页".to_string(),
            });
            continue;
        };
        let text = pdftext::Extractor::new(&doc).page(page, id);
        let Some(to_user) = pdftext::displayed_to_user(&doc, id) else {
            continue;
        };
        let mut annots = Vec::new();
        for (f, quote) in findings {
            let note = note_text(f);
            let boxes = figure_box(&text.glyphs, quote, f);
            let annot = match boxes {
                Some((x0, top, x1, bottom)) => {
                    outcome.highlights += 1;
                    highlight(&to_user, (x0, top, x1, bottom), &note, f.severity)
                }
                None => {
                    outcome.notes += 1;
                    sticky_note(&to_user, &note)
                }
            };
            annots.push(Object::Reference(doc.add_object(annot)));
        }
        if let Err(why) = add_annotations(&mut doc, id, annots) {
            outcome.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::NotAnnotated,
                page: Some(page),
                message: format!("未能标注：{why}"),
            });
        }
    }
    let target = out.join(name);
    let saved = std::fs::create_dir_all(out).and_then(|()| {
        let mut buf = Vec::new();
        doc.save_to(&mut buf)?;
        std::fs::write(&target, buf)
    });
    match saved {
        Ok(()) => outcome.written = Some(target),
        Err(e) => outcome
            .diagnostics
            .push(fail(format!("无法写出副本（{e}）"))),
    }
    outcome
}

/// The note of a finding: its message, and the figures that disagree.
fn note_text(f: &Finding) -> String {
    let mut s = format!("[{} {}] {}", f.rule, f.severity.chinese(), f.message);
    if let Some(st) = &f.stated {
        s.push_str(&format!("\n所述：{st}"));
    }
    if let Some(ex) = f.expected.as_deref().filter(|e| !e.is_empty()) {
        s.push_str(&format!("\n应为：{ex}"));
    }
    s
}

/// The box (displayed frame: x0, top, x1, bottom) of the finding's figure
/// on the page: the stated figure as the quote writes it, inside the
/// quoted text where that is found on the page, else anywhere.
fn figure_box(glyphs: &[Glyph], quote: &str, f: &Finding) -> Option<(f32, f32, f32, f32)> {
    let chars: Vec<char> = glyphs.iter().map(|g| g.ch).collect();
    let token = figure_in_quote(quote, f)?;
    let token: Vec<char> = token.chars().collect();
    // The quote's longest whitespace-free run that the page holds.
    let quote: Vec<char> = quote
        .trim_matches('…')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let within = find(&chars, &quote).map(|at| at..at + quote.len());
    let at = within
        .and_then(|r| find(&chars[r.clone()], &token).map(|k| r.start + k))
        .or_else(|| find(&chars, &token))?;
    let run = &glyphs[at..at + token.len()];
    let x0 = run.iter().map(|g| g.x).fold(f32::MAX, f32::min);
    let x1 = run.iter().map(|g| g.x + g.width).fold(f32::MIN, f32::max);
    let top = run
        .iter()
        .map(|g| g.y - 0.9 * g.size)
        .fold(f32::MAX, f32::min);
    let bottom = run
        .iter()
        .map(|g| g.y + 0.25 * g.size)
        .fold(f32::MIN, f32::max);
    (x1 > x0 && bottom > top).then_some((x0, top, x1, bottom))
}

/// The stated figure as the quote writes it (「1,951.63」 for 1951.63).
fn figure_in_quote(quote: &str, f: &Finding) -> Option<String> {
    let wanted = finding_figures(f);
    super::links::figures(quote)
        .into_iter()
        .map(|r| &quote[r])
        .find(|token| wanted.iter().any(|w| *w == plain_number(token)))
        .map(str::to_string)
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A PDF text string: UTF-16BE with its byte order mark, as Chinese needs.
fn pdf_text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn color(s: Severity) -> Vec<Object> {
    let rgb: [f32; 3] = match s {
        Severity::Error => [1.0, 0.45, 0.4],
        Severity::Warning => [1.0, 0.8, 0.2],
        Severity::Notice => [0.55, 0.75, 1.0],
    };
    rgb.iter().map(|v| Object::Real(*v)).collect()
}

/// A highlight over a box of the displayed frame.
fn highlight(
    to_user: &pdftext::Matrix,
    (x0, top, x1, bottom): (f32, f32, f32, f32),
    note: &str,
    severity: Severity,
) -> lopdf::Dictionary {
    // The corners in the order a quadrilateral lists them: upper left,
    // upper right, lower left, lower right (as the text reads).
    let corners = [(x0, top), (x1, top), (x0, bottom), (x1, bottom)]
        .map(|(x, y)| pdftext::transform(to_user, f64::from(x), f64::from(y)));
    let quad: Vec<Object> = corners
        .iter()
        .flat_map(|(x, y)| [Object::Real(*x as f32), Object::Real(*y as f32)])
        .collect();
    let xs = corners.map(|c| c.0);
    let ys = corners.map(|c| c.1);
    let rect = [
        xs.iter().copied().fold(f64::MAX, f64::min),
        ys.iter().copied().fold(f64::MAX, f64::min),
        xs.iter().copied().fold(f64::MIN, f64::max),
        ys.iter().copied().fold(f64::MIN, f64::max),
    ];
    dictionary! {
        "Type" => "Annot",
        "Subtype" => "Highlight",
        "Rect" => rect.iter().map(|v| Object::Real(*v as f32)).collect::<Vec<_>>(),
        "QuadPoints" => quad,
        "C" => color(severity),
        "Contents" => pdf_text(note),
        "T" => pdf_text("jixiao"),
        "F" => 4,
    }
}

/// A note icon near the top left of the page, for a figure not found.
fn sticky_note(to_user: &pdftext::Matrix, note: &str) -> lopdf::Dictionary {
    let (x, y) = pdftext::transform(to_user, 18.0, 18.0);
    let (x2, y2) = pdftext::transform(to_user, 38.0, 38.0);
    let rect = [x.min(x2), y.min(y2), x.max(x2), y.max(y2)];
    dictionary! {
        "Type" => "Annot",
        "Subtype" => "Text",
        "Rect" => rect.iter().map(|v| Object::Real(*v as f32)).collect::<Vec<_>>(),
        "Contents" => pdf_text(note),
        "T" => pdf_text("jixiao"),
        "Name" => "Comment",
        "F" => 4,
    }
}

/// Appends `annots` to the page's /Annots (an array in the page, an
/// array behind a reference, or none yet).
fn add_annotations(doc: &mut Document, page: ObjectId, annots: Vec<Object>) -> Result<(), String> {
    let existing = doc
        .get_dictionary(page)
        .map_err(|e| e.to_string())?
        .get(b"Annots")
        .ok()
        .cloned();
    match existing {
        Some(Object::Reference(r)) => match doc.get_object_mut(r) {
            Ok(Object::Array(a)) => a.extend(annots),
            _ => return Err("页面的注释列表无法读取".to_string()),
        },
        Some(Object::Array(mut a)) => {
            a.extend(annots);
            set_annots(doc, page, a)?;
        }
        _ => set_annots(doc, page, annots)?,
    }
    Ok(())
}

fn set_annots(doc: &mut Document, page: ObjectId, a: Vec<Object>) -> Result<(), String> {
    doc.get_dictionary_mut(page)
        .map_err(|e| e.to_string())?
        .set("Annots", Object::Array(a));
    Ok(())
}

/// Annotates every record of a run written into its journal (`journal`:
/// the journal file, for the lines kept there) into `out`, in parallel on
/// `jobs` threads (0: one per core); a record whose file could not be
/// annotated gets its diagnostics (what an earlier run's annotating said
/// is replaced). Returns how many copies were written.
pub fn annotate_stored(
    entries: &mut [crate::output::Stored],
    journal: Option<&std::fs::File>,
    out: &Path,
    jobs: usize,
) -> std::io::Result<usize> {
    // The copies of an earlier run into this folder go: what is there after
    // this run is this run's.
    if out.is_dir() {
        std::fs::remove_dir_all(out)?;
    }
    let names = names(entries.iter().map(|s| s.path()));
    let work: Vec<(&Record, &String)> = entries.iter().map(|s| &s.record).zip(&names).collect();
    let (outcomes, _) =
        crate::batch::map_on_threads(jobs, "jixiao-annotate", &work, |&(r, name)| {
            annotate(r, out, name)
        });
    let mut written = 0;
    for (stored, outcome) in entries.iter_mut().zip(outcomes) {
        written += usize::from(outcome.written.is_some());
        let had = stored
            .record
            .diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::NotAnnotated);
        if outcome.diagnostics.is_empty() && !had {
            continue;
        }
        stored.amend(journal, |record| {
            record
                .diagnostics
                .retain(|d| d.kind != DiagnosticKind::NotAnnotated);
            record.diagnostics.extend(outcome.diagnostics);
        })?;
    }
    Ok(written)
}

/// The copies' names: each input's file name, with its number in the
/// batch in front where two inputs share a name.
pub fn names<'a>(paths: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
    let base = |p: &str| crate::batch::file_name(Path::new(p));
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for p in paths.clone() {
        *count.entry(base(p)).or_default() += 1;
    }
    paths
        .enumerate()
        .map(|(k, p)| {
            let b = base(p);
            if count[&b] > 1 {
                format!("{:05}-{b}", k + 1)
            } else {
                b
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Evidence};

    fn finding(stated: &str) -> Finding {
        Finding {
            rule: Code::SCR001,
            severity: Severity::Error,
            message: "得分超过分值".into(),
            stated: Some(stated.into()),
            expected: None,
            evidence: vec![Evidence {
                page: Some(1),
                quote: String::new(),
                source: None,
            }],
            ocr: false,
        }
    }

    #[test]
    fn the_figure_is_taken_as_the_quote_writes_it() {
        let f = finding("1951.63");
        assert_eq!(
            figure_in_quote("合计1,951.63万元，其中1,000.00万元", &f).as_deref(),
            Some("1,951.63")
        );
        assert_eq!(figure_in_quote("合计2万元", &f), None);
    }

    #[test]
    fn shared_names_get_their_number() {
        let n = names(["a/x.pdf", "b/x.pdf", "c/y.pdf"].into_iter());
        assert_eq!(n, ["00001-x.pdf", "00002-x.pdf", "y.pdf"]);
    }
}
