//! Text vocabulary shared by every stage: character classes, numerals,
//! what a line of the normalized text is, and what makes a line a table's
//! line.

pub mod chars;
pub mod line;
pub mod numeral;
pub mod subjects;
pub mod table_line;

pub use chars::{is_han, is_punct, radical_supplement};
pub use line::{is_enumerated, KindSource, LineInfo, LineKind};
pub use numeral::chinese_numeral;
