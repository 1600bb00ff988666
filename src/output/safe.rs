//! Untrusted text made safe for where it is shown.
//!
//! Quotes, messages, organisation names and file names come from a PDF or
//! from whoever sent it. Written as they are, they could act on the
//! reviewer's machine: a cell starting with `=` is a live formula in a
//! spreadsheet, an escape sequence rewrites the terminal. Each output
//! passes such text through one of these functions:
//!
//! - [`csv_cell`]: every cell of `findings.csv` (formula neutralisation as
//!   OWASP recommends, and Excel's cell length limit);
//! - [`terminal`]: everything printed to a terminal (control characters and
//!   bidirectional controls shown as visible escapes);
//! - [`json_invisible`]: JSON shown or stored as text (the controls that
//!   JSON itself leaves raw, escaped the JSON way, so the value is the same).

use std::borrow::Cow;

/// The most characters Excel keeps in one cell (counted in UTF-16 units,
/// as Excel stores text).
pub const EXCEL_CELL_MAX: usize = 32_767;

/// What ends a `findings.csv` cell cut at [`EXCEL_CELL_MAX`].
pub const CELL_CUT_MARKER: &str = "…［超出 Excel 单元格长度上限，已截断］";

/// The characters that make a spreadsheet read a cell as a formula (OWASP,
/// "CSV Injection"): `=`, `+`, `-`, `@`, and a tab or carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A `findings.csv` cell:
///
/// - a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
///   return — or with white space and then one of these — gets a single
///   quote `'` in front, so that a spreadsheet shows it as text instead of
///   evaluating it. This includes negative numbers (`-3.5` becomes
///   `'-3.5`): one rule without exceptions is easier to trust, and every
///   number is in `reports.jsonl` exactly;
/// - a cell longer than Excel's [`EXCEL_CELL_MAX`] is cut to fit, ending
///   with [`CELL_CUT_MARKER`].
///
/// Any other cell is returned as it is.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    let neutralise = starts_a_formula(cell);
    let quote_len = usize::from(neutralise);
    let units: usize = cell.chars().map(char::len_utf16).sum();
    if !neutralise && units <= EXCEL_CELL_MAX {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len().min(4 * EXCEL_CELL_MAX) + 4);
    if neutralise {
        out.push('\'');
    }
    if units + quote_len <= EXCEL_CELL_MAX {
        out.push_str(cell);
        return Cow::Owned(out);
    }
    let marker: usize = CELL_CUT_MARKER.chars().map(char::len_utf16).sum();
    let budget = EXCEL_CELL_MAX - marker - quote_len;
    let mut used = 0;
    for c in cell.chars() {
        used += c.len_utf16();
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push_str(CELL_CUT_MARKER);
    Cow::Owned(out)
}

/// Whether a spreadsheet could take `cell` for a formula.
fn starts_a_formula(cell: &str) -> bool {
    if cell.starts_with(['\t', '\r']) {
        return true;
    }
    cell.trim_start()
        .chars()
        .next()
        .is_some_and(|c| FORMULA_STARTS.contains(&c))
}

/// Whether `c` must not reach a terminal raw: a control character (C0,
/// DEL, C1: escapes, BEL, carriage return, backspace, line feed, tab …), a
/// bidirectional control (embeddings and overrides U+202A–U+202E, isolates
/// U+2066–U+2069, the marks U+200E, U+200F and U+061C), or a line or
/// paragraph separator.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Text for a terminal: every [`is_unsafe_char`] character shown as its
/// Rust escape (`\u{1b}`, `\u{7}`, `\u{202e}`), so that what a PDF or a
/// file name holds is seen, never executed. Other text is unchanged.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the [`is_unsafe_char`] characters that a JSON writer
/// leaves raw (C1 controls, bidirectional controls, separators) written as
/// `\uXXXX` escapes: the same JSON value, but nothing in it that a
/// terminal or an editor would act on. (JSON escapes C0 controls itself.)
///
/// Every such character is inside a JSON string — outside strings JSON
/// has only ASCII and white space, which is left alone — where `\uXXXX`
/// means that character, so the value read back is the same.
pub fn json_invisible(json: String) -> String {
    // Tab, line feed and carriage return are escaped inside strings by the
    // JSON writer; raw, they are the layout of pretty JSON.
    let raw = |c: char| is_unsafe_char(c) && !matches!(c, '\t' | '\n' | '\r');
    if !json.chars().any(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            // All of them are in the Basic Multilingual Plane.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_single_quote() {
        for (cell, safe) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-3.5", "'-3.5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0"),
        ] {
            assert_eq!(csv_cell(cell), safe, "{cell:?}");
        }
        for cell in ["", "9.99", "≤ 1", "a=b", "采购 = 1", "'=1", "3-1"] {
            assert!(matches!(csv_cell(cell), Cow::Borrowed(_)), "{cell:?}");
        }
    }

    #[test]
    fn a_cell_over_the_excel_limit_is_cut_with_a_marker() {
        let long = "得".repeat(EXCEL_CELL_MAX + 10);
        let cut = csv_cell(&long);
        assert_eq!(cut.encode_utf16().count(), EXCEL_CELL_MAX);
        assert!(cut.ends_with(CELL_CUT_MARKER));
        let exact = "a".repeat(EXCEL_CELL_MAX);
        assert_eq!(csv_cell(&exact), exact);
        // The quote counts too; a character outside the BMP is two units.
        let formula = format!("={}", "😀".repeat(EXCEL_CELL_MAX));
        let cut = csv_cell(&formula);
        assert!(cut.starts_with("'=😀"));
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_MAX);
        assert!(cut.encode_utf16().count() >= EXCEL_CELL_MAX - 1);
    }

    #[test]
    fn terminal_text_shows_controls_and_bidi_as_escapes() {
        assert_eq!(
            terminal("\u{1b}[2K\u{1b}[1A得分\u{7}\r\u{8}\n"),
            "\\u{1b}[2K\\u{1b}[1A得分\\u{7}\\u{d}\\u{8}\\u{a}"
        );
        assert_eq!(
            terminal("a\u{202e}fdp.exe\u{2066}\u{9b}"),
            "a\\u{202e}fdp.exe\\u{2066}\\u{9b}"
        );
        assert!(matches!(
            terminal("第 8 页：「得分 9.99 分」"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_keeps_its_value_without_raw_controls() {
        let value = serde_json::json!({"q": "a\u{202e}b\u{9b}c\u{1b}d\\\u{2028}"});
        let text = json_invisible(serde_json::to_string(&value).unwrap());
        assert!(!text.chars().any(is_unsafe_char), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        let plain = serde_json::to_string(&serde_json::json!({"q": "得分"})).unwrap();
        assert_eq!(json_invisible(plain.clone()), plain);
    }
}
