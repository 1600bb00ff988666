//! Assemble: facts → the report model.
use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {}
