//! Text vocabulary shared by every stage: character classes.

pub mod chars;

pub use chars::{is_han, is_punct, radical_supplement};
