//! What the reviewer-facing outputs (the HTML report, the workbook, the
//! annotated copies) share: links from the `--out` folder to the input
//! files, and the figures of a quote.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// `p` as an absolute path (relative to the working directory), without
/// resolving links.
pub fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `to` relative to the folder `from` (both absolute).
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// A figure as its digits: `1,951.63` and `1951.63` are one.
pub fn plain_number(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect::<String>()
        .trim_end_matches('.')
        .to_string()
}

/// A finding's stated and expected figures as plain numbers (what a quote
/// of it marks): `1,951.63` → `1951.63`; a figure that is no number (「≤ 1」
/// keeps its digits) as [`plain_number`] gives it, empty ones left out.
pub fn finding_figures(f: &crate::model::Finding) -> Vec<String> {
    [f.stated.as_deref(), f.expected.as_deref()]
        .into_iter()
        .flatten()
        .map(plain_number)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The byte ranges of the figures written in `text` (`1,951.63`, `6`), a
/// trailing comma or full stop not included.
pub fn figures(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' || bytes[i] == b'.')
        {
            i += 1;
        }
        let token = text[start..i].trim_end_matches([',', '.']);
        out.push(start..start + token.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_folder() {
        let dir = Path::new("/a/out");
        assert_eq!(
            relative(dir, Path::new("/a/corpus/x.pdf")),
            PathBuf::from("../corpus/x.pdf")
        );
        assert_eq!(
            relative(dir, Path::new("/a/out/y.pdf")),
            PathBuf::from("y.pdf")
        );
    }

    #[test]
    fn figures_of_a_quote() {
        let q = "合计1,951.63万元，其中6个。";
        let got: Vec<&str> = figures(q).into_iter().map(|r| &q[r]).collect();
        assert_eq!(got, ["1,951.63", "6"]);
        assert_eq!(plain_number("1,951.63"), "1951.63");
    }
}
