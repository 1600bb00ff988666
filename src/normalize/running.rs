//! Running headers, footers and page numbers: lines that repeat (modulo
//! digits) at the top or at the bottom of most pages, and page-number
//! lines there.

use super::Line;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The text without whitespace, digit runs replaced by `#`: running
/// headers and footers differ only in their page numbers.
fn repeat_key(s: &str) -> String {
    let mut key = String::new();
    let mut in_digits = false;
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            key.push(c);
            in_digits = false;
        }
    }
    key
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:
            [-–—－~]+\d{1,4}[-–—－~]+            # - 3 -  — 3 —
          | 第\d{1,4}页(?:[,，/／]?共\d{1,4}页)?  # 第 3 页 共 9 页
          | \d{1,4}[/／]\d{1,4}                  # 3/9
          | page\d{1,4}(?:of\d{1,4})?            # Page 3 of 9
        )$",
    )
    .expect("valid regex")
});

/// How many lines at the top and at the bottom of a page can be headers
/// or footers (header, header rule text, page number).
const ZONE: usize = 3;

/// Drops running headers and footers and page numbers from the top and
/// bottom of each page.
pub(super) fn drop_running_lines(lines: &mut Vec<Line>, page_count: usize) {
    let mut by_page: Vec<Vec<usize>> = vec![Vec::new(); page_count];
    for (i, l) in lines.iter().enumerate() {
        by_page[l.page as usize - 1].push(i);
    }
    let (top, bottom) = running_keys(lines, &by_page);
    let bare_offset = bare_number_offset(lines, &by_page);
    let is_page_number = |l: &Line| {
        let compact: String = l.text.chars().filter(|c| !c.is_whitespace()).collect();
        if PAGE_NUMBER.is_match(&compact) {
            return true;
        }
        match (compact.parse::<i64>(), bare_offset) {
            (Ok(n), Some(off)) => compact.len() <= 4 && n - l.page as i64 == off,
            _ => false,
        }
    };
    let mut drop = vec![false; lines.len()];
    for idx in &by_page {
        // Each running key is dropped once per zone: the title on page 1
        // often repeats the running header right below it.
        for (order, keys) in [(false, &top), (true, &bottom)] {
            let mut seen = HashSet::new();
            let zone: Vec<usize> = if order {
                idx.iter().rev().take(ZONE).copied().collect()
            } else {
                idx.iter().take(ZONE).copied().collect()
            };
            for i in zone {
                let key = repeat_key(&lines[i].text);
                if is_page_number(&lines[i]) || (keys.contains(&key) && seen.insert(key)) {
                    drop[i] = true;
                } else {
                    break;
                }
            }
        }
    }
    let mut keep = drop.iter().map(|d| !d);
    lines.retain(|_| keep.next().unwrap_or(true));
}

/// The keys that run at the top and at the bottom of the pages: a key is
/// running when it sits in the same zone on most pages.
fn running_keys(lines: &[Line], by_page: &[Vec<usize>]) -> (HashSet<String>, HashSet<String>) {
    let pages_with_text = by_page.iter().filter(|p| !p.is_empty()).count();
    let mut top: HashMap<String, usize> = HashMap::new();
    let mut bottom: HashMap<String, usize> = HashMap::new();
    for idx in by_page {
        let head: HashSet<String> = idx
            .iter()
            .take(ZONE)
            .map(|&i| repeat_key(&lines[i].text))
            .collect();
        let foot: HashSet<String> = idx
            .iter()
            .rev()
            .take(ZONE)
            .map(|&i| repeat_key(&lines[i].text))
            .collect();
        for k in head {
            *top.entry(k).or_default() += 1;
        }
        for k in foot {
            *bottom.entry(k).or_default() += 1;
        }
    }
    let running = |counts: &HashMap<String, usize>| -> HashSet<String> {
        counts
            .iter()
            // A line with a decimal figure is a table's row (「2210203 购房补贴
            // 33.60」 may end several pages: two tables that agree), never a
            // running header or footer.
            .filter(|(k, &n)| {
                n >= 2 && n * 2 >= pages_with_text && k.chars().count() >= 2 && !k.contains("#.#")
            })
            .map(|(k, _)| k.clone())
            .collect()
    };
    (running(&top), running(&bottom))
}

/// The difference between a bare number at the top or bottom of a page and
/// the page's index, when most pages agree on it (a cover page without a
/// number shifts it by one).
fn bare_number_offset(lines: &[Line], by_page: &[Vec<usize>]) -> Option<i64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for idx in by_page {
        let mut offsets = HashSet::new();
        for &i in idx.iter().take(ZONE).chain(idx.iter().rev().take(ZONE)) {
            let t = lines[i].text.trim();
            if t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(n) = t.parse::<i64>() {
                    offsets.insert(n - lines[i].page as i64);
                }
            }
        }
        for o in offsets {
            *counts.entry(o).or_default() += 1;
        }
    }
    let (offset, n) = counts.into_iter().max_by_key(|&(o, n)| (n, -o.abs()))?;
    (n >= 2 && n * 2 >= by_page.len()).then_some(offset)
}
