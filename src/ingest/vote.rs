//! Character voting between three OCR readings of one page.
//!
//! The three readings of a scanned page (the image at three scales) each
//! misread a few characters, seldom the same ones. Aligned on the first
//! reading, character by character, the page's text where at least two
//! readings agree is the voted reading: a list marker one reading lost or
//! a digit one reading took for another is put back by the other two.
//! Where all three differ, nothing is known: the voted reading holds
//! [`UNREAD`] there, so that no figure is read from it.

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};
use std::time::{Duration, Instant};

/// Longest the alignment of two readings of a page may take; past it the
/// diff is coarser (whole runs differ), never wrong.
const ALIGN_TIME: Duration = Duration::from_millis(500);

/// What the voted reading holds where the three readings all differ.
pub const UNREAD: char = '\u{FFFD}';

/// The text on which at least two of `a`, `b` and `c` agree, aligned on
/// `a`; where all three differ, one [`UNREAD`].
pub fn vote(a: &str, b: &str, c: &str) -> String {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let c: Vec<char> = c.chars().collect();
    let in_b = matched(&a, &b);
    let in_c = matched(&a, &c);
    let mut out = String::with_capacity(a.len() * 3);
    // Between two characters all three readings share (an anchor), each
    // reading has its own text: the voted one is what two of them give.
    let (mut from_a, mut from_b, mut from_c) = (0, 0, 0);
    let anchors = (0..a.len()).filter_map(|i| Some((i, in_b[i]?, in_c[i]?)));
    for (i, j, k) in anchors.chain([(a.len(), b.len(), c.len())]) {
        let (sa, sb, sc) = (&a[from_a..i], &b[from_b..j], &c[from_c..k]);
        // Compared without their spaces: a reading that set a few more
        // spaces (an indent, a cell's gap) reads the same text.
        let (ka, kb, kc) = (ink(sa), ink(sb), ink(sc));
        if kb == kc && ka != kb {
            out.extend(sb);
        } else if ka == kb || ka == kc {
            out.extend(sa);
        } else {
            out.push(UNREAD);
        }
        if let Some(ch) = a.get(i) {
            out.push(*ch);
        }
        (from_a, from_b, from_c) = (i + 1, j + 1, k + 1);
    }
    out
}

/// The characters of a stretch of text but its spaces.
fn ink(s: &[char]) -> Vec<char> {
    s.iter().copied().filter(|c| !c.is_whitespace()).collect()
}

/// For each character of `a`, its place in `x` when the two readings
/// give it alike there.
fn matched(a: &[char], x: &[char]) -> Vec<Option<usize>> {
    let mut at = vec![None; a.len()];
    let until = Instant::now() + ALIGN_TIME;
    for op in capture_diff_slices_deadline(Algorithm::Myers, a, x, Some(until)) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for n in 0..len {
                at[old_index + n] = Some(new_index + n);
            }
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::vote;

    #[test]
    fn two_readings_outvote_the_first() {
        // The first reading lost a list marker's parenthesis; the other
        // two have it.
        assert_eq!(
            vote(
                "（4信息化支出1463.65万元",
                "（4）信息化文出1463.65万元",
                "（4）信息化支出1463.65万元"
            ),
            "（4）信息化支出1463.65万元"
        );
        // A digit misread by the first reading alone.
        assert_eq!(vote("扣1分", "扣4分", "扣4分"), "扣4分");
    }

    #[test]
    fn the_first_reading_stands_where_one_agrees_and_none_where_all_differ() {
        assert_eq!(vote("得9.99分", "得9.98分", "得9.90分"), "得9.9\u{FFFD}分");
        assert_eq!(vote("合计100%", "合计100%6", "合计100%"), "合计100%");
        assert_eq!(vote("项目支出", "项目文出", "项目支出"), "项目支出");
    }

    #[test]
    fn extra_and_missing_text_is_voted_too() {
        // A stray mark only one reading added is dropped; a character two
        // readings add is kept.
        assert_eq!(vote("支出|合计", "支出合计", "支出合计"), "支出合计");
        assert_eq!(vote("支合计", "支出合计", "支出合计"), "支出合计");
        assert_eq!(vote("", "", ""), "");
        // Spaces alone are no disagreement: the first reading's stand.
        assert_eq!(vote("  472", " 472", "   472"), "  472");
    }
}
