//! What the tests of jixiao's reviewer outputs (the HTML report, the
//! workbook, the annotated copies) share: a fresh folder, and an audit
//! into an `--out` folder.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh, empty folder for one test, named after the test file (`of`)
/// and `name` and this process.
pub fn scratch(of: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-{of}-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// `jixiao audit [options] --out OUT INPUT`, which must succeed.
pub fn audit_into(out: &Path, options: &[&str], input: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("audit")
        .args(options)
        .arg("--out")
        .arg(out)
        .arg(input)
        .output()
        .expect("the jixiao binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
