//! Text vocabulary shared by every stage: character classes and numerals.

pub mod chars;
pub mod numeral;

pub use chars::{is_han, is_punct, radical_supplement};
pub use numeral::chinese_numeral;
