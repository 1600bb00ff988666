//! The HTML report (issue 14): `jixiao audit corpus --out DIR` writes
//! `DIR/report/index.html` and a page per document. Headless Chromium
//! loads it from the file system: no script error, one table row per
//! input file, and a filter given in the URL (`#rule=SCR001`) leaves
//! exactly the documents with that rule (the DOM read after the script
//! ran). Each finding's page links to a PDF that exists, at its page.
//! Without Chromium the browser part says it skipped; `.ci/run` installs it.

mod common;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-html-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|exe| {
            Command::new(exe)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The DOM after the page's script ran, and what the browser logged
/// (a browser that has not answered in two minutes is killed: a failure).
fn dump_dom(exe: &str, url: &str, profile: &Path) -> (String, String) {
    use std::io::Read;
    use wait_timeout::ChildExt;
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium runs");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = child
        .wait_timeout(std::time::Duration::from_secs(120))
        .unwrap();
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("chromium did not answer within 120 s on {url}");
    }
    (reader.join().unwrap(), err_reader.join().unwrap())
}

/// The `<tr>` start tags of the documents table body.
fn rows(dom: &str) -> Vec<&str> {
    let body = &dom[dom.find("<tbody>").expect("a table body")..];
    let body = &body[..body.find("</tbody>").unwrap()];
    body.match_indices("<tr ")
        .map(|(i, _)| &body[i..i + body[i..].find('>').unwrap()])
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let at = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    &tag[at..at + tag[at..].find('"').unwrap()]
}

#[test]
fn the_report_loads_filters_from_its_url_and_links_to_the_pdfs() {
    let out = scratch("out");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    common::audit_into(&out, &[], &corpus);
    let records: Vec<Value> = fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let report = out.join("report");
    let index = fs::read_to_string(report.join("index.html")).unwrap();
    assert_eq!(rows(&index).len(), records.len(), "one row per input file");

    // Every finding's evidence links to a file that exists, at a page.
    let docs = report.join("docs");
    let mut links = 0;
    for (k, r) in records.iter().enumerate() {
        let page = fs::read_to_string(docs.join(format!("{:05}.html", k + 1))).unwrap();
        let findings = r["findings"].as_array().unwrap();
        assert_eq!(
            page.matches("<article class=\"finding").count(),
            findings.len(),
            "{}",
            r["source"]["path"]
        );
        for (i, _) in page.match_indices("#page=") {
            let start = page[..i].rfind("href=\"").unwrap() + 6;
            let target = &page[start..i];
            let decoded = percent_decode(&html_unescape(target));
            assert!(
                docs.join(&decoded).is_file(),
                "{decoded} from page {}",
                k + 1
            );
            let n: u32 = page[i + 6..].split('"').next().unwrap().parse().unwrap();
            assert!(n >= 1);
            links += 1;
        }
    }
    assert!(links > 50, "the corpus's findings link to their pages");

    let Some(exe) = chromium() else {
        eprintln!("skipped: Chromium is not installed, so the report was not opened in a browser");
        return;
    };
    let profile = scratch("profile");
    let url = format!("file://{}", report.join("index.html").display());
    let (dom, log) = dump_dom(exe, &format!("{url}#rule=SCR001"), &profile);
    assert!(
        !log.contains("Uncaught") && !log.contains("SyntaxError"),
        "script errors:\n{log}"
    );
    let trs = rows(&dom);
    assert_eq!(trs.len(), records.len());
    let visible: Vec<&&str> = trs.iter().filter(|t| !t.contains(" hidden")).collect();
    let with_rule = records
        .iter()
        .filter(|r| {
            r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == "SCR001")
        })
        .count();
    assert!(with_rule > 0);
    assert_eq!(visible.len(), with_rule, "only the documents with SCR001");
    for t in visible {
        assert!(
            attr(t, "data-rules").split(' ').any(|c| c == "SCR001"),
            "{t}"
        );
    }
    // The count line says what is shown.
    assert!(
        dom.contains(&format!("显示 {with_rule} / {} 个文件", records.len())),
        "the count line"
    );
    let _ = fs::remove_dir_all(&out);
    let _ = fs::remove_dir_all(&profile);
}

/// The character references the template engine writes in attributes.
fn html_unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn strings_from_file_names_and_pdfs_are_escaped() {
    let input = scratch("hostile-in");
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/guangzhou-archives-2023-selfeval.txt");
    let hostile = "<img src=x onerror=alert(1)>\"'&.txt";
    fs::copy(&seed, input.join(hostile)).unwrap();
    let out = scratch("hostile-out");
    common::audit_into(&out, &[], &input);
    let index = fs::read_to_string(out.join("report/index.html")).unwrap();
    let page = fs::read_to_string(out.join("report/docs/00001.html")).unwrap();
    for html in [&index, &page] {
        assert!(!html.contains("<img"), "a file name became markup");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "shown as text"
        );
    }
    // The link to the PDF escapes it too.
    assert!(
        page.contains("%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"),
        "{page}"
    );
    let _ = fs::remove_dir_all(&out);
    let _ = fs::remove_dir_all(&input);
}
