//! The limits on one file's audit, and the worker processes that keep them.
//!
//! - The time and memory limits cover the whole audit of a file — its text
//!   and its analysis, `.txt` files included — with one deadline per file,
//!   however many readings it takes.
//! - Hostile files are refused by measures of the file (bytes inflated,
//!   glyphs and characters), so the same file always gets the same record,
//!   under the code that names the cause.
//! - A worker dies with its parent, and a worker killed from outside gives
//!   a record that `--resume` does not keep.
//!
//! Every input is built here: PDFs by a few lines of Rust, a fake worker by
//! a few lines of python3 (skipped, saying so, without python3).

use jixiao::batch::{audit_file, AuditOptions};
use jixiao::ingest::{IngestOptions, Ingester, TextLayer};
use jixiao::record::{Record, Status};
use jixiao::rules::Code;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn jixiao_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jixiao"))
}

fn with_worker() -> IngestOptions {
    IngestOptions {
        worker_exe: Some(jixiao_exe()),
        ..IngestOptions::default()
    }
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("limits-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn audit(path: &Path, ingest: IngestOptions) -> Record {
    audit_file(path, &AuditOptions { ingest, jobs: 1 }).0
}

/// The record's error code and message; panics on an ok record.
fn failure(r: &Record) -> (Code, &str) {
    let e = r.error.as_ref().unwrap_or_else(|| {
        panic!(
            "{} should have failed: {}",
            r.source.path,
            serde_json::to_string(r).unwrap()
        )
    });
    (e.code, e.message.as_str())
}

fn assert_fails(r: &Record, code: Code, words: &[&str]) {
    let (c, message) = failure(r);
    assert_eq!(c, code, "{message}");
    for w in words {
        assert!(message.contains(w), "{message:?} lacks {w:?}");
    }
}

// ---------------------------------------------------------------------------
// PDFs, written here

/// A PDF of the given objects (1 0 obj, 2 0 obj…; the first is the
/// catalog), with a cross-reference table; `trailer` goes into the
/// trailer dictionary.
fn pdf_of(objects: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let size = objects.len() + 1;
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R {trailer}>>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// Text shown with a CID font whose codes are the characters' code points
/// (Identity-H), and a ToUnicode map that says so: any text, Chinese
/// included.
fn hex(text: &str) -> String {
    let mut s = String::from("<");
    for c in text.chars() {
        s.push_str(&format!("{:04X}", c as u32));
    }
    s.push('>');
    s
}

/// The ToUnicode CMap mapping each of `chars` to itself.
fn identity_cmap(chars: &str) -> Vec<u8> {
    let mut cs: Vec<char> = chars.chars().collect();
    cs.sort();
    cs.dedup();
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def \
         /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    for part in cs.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", part.len()));
        for c in part {
            cmap.push_str(&format!("<{:04X}> <{:04X}>\n", *c as u32, *c as u32));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
    cmap.into_bytes()
}

const LINES: [&str; 4] = [
    "2023年度某市文化馆部门整体支出绩效自评报告",
    "一、基本情况",
    "2023年本馆收入合计1268.45万元，其中一般公共预算财政拨款收入1267.77万元，其他收入6832.65元。",
    "采购政策效能分值1分，得分9.99分；固定资产利用率分值2分，得分2.5分。",
];

/// The content stream showing `lines` with font F1, one under the other.
fn content(lines: &[&str]) -> Vec<u8> {
    let mut c = String::from("BT /F1 7 Tf 20 800 Td\n");
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            c.push_str("0 -12 Td ");
        }
        c.push_str(&hex(l));
        c.push_str(" Tj\n");
    }
    c.push_str("ET\n");
    c.into_bytes()
}

/// What a report PDF may vary: its pages' content, the ToUnicode stream,
/// the page dictionary's box, the trailer.
struct Report {
    content: Vec<u8>,
    content_dict: String,
    to_unicode: Vec<u8>,
    media_box: String,
    trailer: String,
    pages: usize,
}

impl Default for Report {
    fn default() -> Report {
        let text: String = LINES.concat();
        Report {
            content: content(&LINES),
            content_dict: String::new(),
            to_unicode: stream("", &identity_cmap(&text)),
            media_box: "/MediaBox [0 0 595 842]".into(),
            trailer: String::new(),
            pages: 1,
        }
    }
}

impl Report {
    /// Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor,
    /// 6 ToUnicode, 7 content, 8… pages (all sharing the content).
    fn pdf(&self) -> Vec<u8> {
        let kids: Vec<String> = (0..self.pages).map(|i| format!("{} 0 R", 8 + i)).collect();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages
            )
            .into_bytes(),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H \
              /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo \
              << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R \
              /DW 1000 >>"
                .to_vec(),
            b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 880] \
              /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
                .to_vec(),
            self.to_unicode.clone(),
            stream(&self.content_dict, &self.content),
        ];
        for _ in 0..self.pages {
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R {} /Resources << /Font << /F1 3 0 R >> >> \
                     /Contents 7 0 R >>",
                    self.media_box
                )
                .into_bytes(),
            );
        }
        pdf_of(&objects, &self.trailer)
    }
}

/// A zlib stream that inflates to `1 + 258 * matches` zero bytes, written
/// by hand (as in `tests/ingest.rs`): one dynamic-Huffman block where a
/// match of 258 at distance 1 costs two bits.
fn zlib_zeros(matches: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        fn code(&mut self, code: u64, len: u32) {
            for i in (0..len).rev() {
                self.put((code >> i) & 1, 1);
            }
        }
    }
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1);
    b.put(2, 2);
    b.put(29, 5);
    b.put(0, 5);
    b.put(14, 4);
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        b.put(len, 3);
    }
    b.code(0b11, 2);
    b.code(0, 1);
    b.put(138 - 11, 7);
    b.code(0, 1);
    b.put(117 - 11, 7);
    b.code(0b11, 2);
    b.code(0, 1);
    b.put(28 - 11, 7);
    b.code(0b10, 2);
    b.code(0b10, 2);
    b.code(0b10, 2);
    let mut zero_bits = matches * 2;
    while zero_bits > 0 && b.n != 0 {
        b.put(0, 1);
        zero_bits -= 1;
    }
    b.out.resize(b.out.len() + (zero_bits / 8) as usize, 0);
    b.put(0, (zero_bits % 8) as u32);
    b.code(0b11, 2);
    if b.n > 0 {
        b.put(0, 8 - b.n);
    }
    let n = 1 + 258 * matches;
    let adler = ((n % 65521) << 16) | 1;
    b.out.extend_from_slice(&(adler as u32).to_be_bytes());
    b.out
}

/// Flate data inflating to about `mib` MiB of zeros.
fn zeros_inflating_to(mib: u64) -> Vec<u8> {
    zlib_zeros((mib << 20) / 258)
}

/// A page tree whose nodes are each other's parents: pdf-extract, looking
/// up the page's inherited resources, loops for ever; the own layer reads
/// no text (the page names no font), so pdf-extract is tried.
fn parent_loop_pdf() -> Vec<u8> {
    pdf_of(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 /Parent 3 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>".to_vec(),
            b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>".to_vec(),
            stream("", &content(&LINES)),
        ],
        "",
    )
}

/// A `.txt` report of about `mib` MiB: the same statements again and again.
fn long_text(mib: usize) -> String {
    let line = format!("{}{}\n", LINES[2], LINES[3]);
    line.repeat((mib << 20) / line.len() + 1)
}

// ---------------------------------------------------------------------------
// The analysis within the limits

#[test]
fn the_time_limit_covers_the_analysis_of_a_text_file() {
    let dir = scratch("analysis-time");
    let path = dir.join("long.txt");
    // 4 MiB: its analysis takes seconds, far past the limit on any load
    // (1 MiB took about the limit itself on a fast run).
    fs::write(&path, long_text(4)).unwrap();
    let hurried = IngestOptions {
        timeout: Duration::from_millis(300),
        ..with_worker()
    };
    let start = Instant::now();
    let r = audit(&path, hurried);
    assert_fails(&r, Code::ING005, &["处理超时", "--timeout-secs"]);
    // Well before the analysis could have finished.
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    // With time enough, the same file is audited.
    let r = audit(&path, with_worker());
    assert_eq!(r.status, Status::Ok, "{:?}", r.error);
    assert!(!r.findings.is_empty());
}

#[test]
fn the_memory_limit_covers_the_analysis_of_a_text_file() {
    let dir = scratch("analysis-memory");
    let capped = || IngestOptions {
        max_memory_mib: 600,
        ..with_worker()
    };
    // A short report fits under the cap: the worker itself does.
    let short = dir.join("short.txt");
    fs::write(&short, LINES.join("\n")).unwrap();
    assert_eq!(audit(&short, capped()).status, Status::Ok);
    // Twenty megabytes of statements do not: their analysis needs more.
    let long = dir.join("long.txt");
    fs::write(&long, long_text(20)).unwrap();
    let r = audit(&long, capped());
    assert_fails(
        &r,
        Code::ING005,
        &["内存超出限制", "600 MiB", "--max-memory-mib"],
    );
}

#[test]
fn more_text_than_a_document_may_hold_is_refused_before_its_analysis() {
    let dir = scratch("text-cap");
    let path = dir.join("huge.txt");
    // Eleven million characters, over the ten million a document may hold.
    fs::write(&path, "甲".repeat(11_000_000)).unwrap();
    let start = Instant::now();
    let r = audit(&path, with_worker());
    assert_fails(&r, Code::ING005, &["1000 万字"]);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn more_glyphs_than_a_document_may_hold_stop_the_own_layer_at_the_same_page() {
    let dir = scratch("glyph-cap");
    // 480,000 glyphs a page (under the page's bound), 25 pages: past the
    // document's ten million at page 21, whatever the load.
    let run = "收入合计一千万元其中财政拨款五百万元其他收入三百万元支出合计".repeat(10);
    let mut c = String::from("BT /F1 0.5 Tf 10 820 Td\n");
    let shown = format!("{} Tj 0 -0.5 Td\n", hex(&run));
    for _ in 0..1600 {
        c.push_str(&shown);
    }
    c.push_str("ET\n");
    let report = Report {
        content: c.into_bytes(),
        to_unicode: stream("", &identity_cmap(&run)),
        pages: 25,
        ..Report::default()
    };
    let path = dir.join("glyphs.pdf");
    fs::write(&path, report.pdf()).unwrap();
    let r = audit(&path, with_worker());
    assert_fails(&r, Code::ING005, &["读到第 21 页时", "1000 万字"]);
}

// ---------------------------------------------------------------------------
// One deadline per file

/// A stand-in for `jixiao worker`: a python3 script that reads each
/// request and then runs `answer` (with `out`, its stdout, and `frame`, a
/// function that writes one frame); `None` without python3.
fn fake_worker(dir: &Path, answer: &str) -> Option<PathBuf> {
    let python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !python.is_ok_and(|s| s.success()) {
        eprintln!("skipped: python3 is not installed");
        return None;
    }
    let script = format!(
        r#"#!/usr/bin/env python3
import json, struct, sys, time
inp, out = sys.stdin.buffer, sys.stdout.buffer
def read():
    head = inp.read(8)
    if len(head) < 8:
        sys.exit(0)
    return inp.read(struct.unpack("<Q", head)[0])
def frame(payload):
    out.write(struct.pack("<Q", len(payload)) + payload)
    out.flush()
while True:
    read(); read()
{answer}
"#
    );
    let path = dir.join("fake-worker");
    fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    Some(path)
}

#[test]
fn one_deadline_covers_both_readings_of_a_file() {
    let dir = scratch("one-deadline");
    // Each answer, after 1.2 s, is a page of undecodable text: the parent
    // then asks again, for pdf-extract's reading.
    let answer = r#"    time.sleep(1.2)
    frame(json.dumps({"pages": ["\ufffd" * 400], "layer": "pdftext"}).encode())"#;
    let Some(fake) = fake_worker(&dir, answer) else {
        return;
    };
    // Each reading takes 1.2 s, within a 2 s limit; both together do not.
    let ingester = Ingester::new(IngestOptions {
        worker_exe: Some(fake),
        timeout: Duration::from_secs(2),
        ..IngestOptions::default()
    });
    let start = Instant::now();
    let e = ingester
        .ingest(Path::new("a.pdf"), &Report::default().pdf())
        .unwrap_err();
    assert_eq!(e.code, Code::ING005, "{}", e.message);
    assert!(e.message.contains("处理超时"), "{}", e.message);
    assert!(e.message.contains("2 秒"), "{}", e.message);
    // Killed at the file's deadline, not at the second reading's own.
    assert!(
        start.elapsed() < Duration::from_millis(3000),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn an_answer_over_the_size_limit_is_a_limit_not_a_crash() {
    let dir = scratch("huge-answer");
    // The worker starts an answer of 2 GiB (over the 1 GiB accepted).
    let answer = r#"    out.write(struct.pack("<Q", 2 << 30) + b"{" * 65536)
    out.flush()
    time.sleep(60)"#;
    let Some(fake) = fake_worker(&dir, answer) else {
        return;
    };
    let ingester = Ingester::new(IngestOptions {
        worker_exe: Some(fake),
        ..IngestOptions::default()
    });
    let start = Instant::now();
    let e = ingester
        .ingest(Path::new("a.pdf"), &Report::default().pdf())
        .unwrap_err();
    assert_eq!(e.code, Code::ING005, "{}", e.message);
    assert!(e.message.contains("1024 MiB"), "{}", e.message);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

// ---------------------------------------------------------------------------
// Hostile files: the code that names the cause, the same every time

#[test]
fn a_decompression_bomb_is_a_limit_not_a_scan() {
    let report = Report {
        content: zeros_inflating_to(100),
        content_dict: "/Filter /FlateDecode".into(),
        ..Report::default()
    };
    let dir = scratch("bomb");
    let path = dir.join("bomb.pdf");
    fs::write(&path, report.pdf()).unwrap();
    let r = audit(&path, with_worker());
    assert_fails(&r, Code::ING005, &["解压炸弹", "64 MiB"]);
    assert!(!failure(&r).1.contains("OCR"), "{}", failure(&r).1);
}

#[test]
fn a_tounicode_bomb_gets_the_same_record_whatever_the_time_and_memory() {
    // A ToUnicode map inflating to 1 GiB: a limit on bytes inflated refuses
    // it, not the time or memory it would take, which depend on the load.
    let report = Report {
        to_unicode: stream("/Filter /FlateDecode", &zeros_inflating_to(1024)),
        ..Report::default()
    };
    let dir = scratch("tounicode-bomb");
    let path = dir.join("bomb.pdf");
    fs::write(&path, report.pdf()).unwrap();
    let records: Vec<String> = [(768, 60), (2048, 20), (1024, 5)]
        .into_iter()
        .map(|(mib, secs)| {
            let r = audit(
                &path,
                IngestOptions {
                    max_memory_mib: mib,
                    timeout: Duration::from_secs(secs),
                    ..with_worker()
                },
            );
            assert_fails(&r, Code::ING005, &["ToUnicode", "解压炸弹"]);
            serde_json::to_string(&r).unwrap()
        })
        .collect();
    assert!(records.windows(2).all(|w| w[0] == w[1]), "{records:#?}");
}

#[test]
fn pdf_extract_does_not_inflate_what_the_own_layer_refuses() {
    // The reviewer's choice of pdf-extract alone: a content stream that
    // inflates to 1 GiB is refused before pdf-extract decodes it.
    let report = Report {
        content: zeros_inflating_to(1024),
        content_dict: "/Filter /FlateDecode".into(),
        ..Report::default()
    };
    let ingester = Ingester::new(IngestOptions {
        text_layer: TextLayer::PdfExtract,
        ..with_worker()
    });
    let e = ingester
        .ingest(Path::new("bomb.pdf"), &report.pdf())
        .unwrap_err();
    assert_eq!(e.code, Code::ING005, "{}", e.message);
    assert!(
        e.message.contains("数据流解压后超过 64 MiB"),
        "{}",
        e.message
    );
}

#[test]
fn pdf_extract_does_not_inflate_an_image_bomb() {
    // A blank page that draws a 300 KB image of 300 MiB of zeros: the own
    // layer reads no text, so pdf-extract is tried, and its `Do` inflates
    // whatever it draws, images included (this took a worker to 900 MiB,
    // and the file was reported as a scan, ING003).
    let pdf = pdf_of(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
              /Resources << /XObject << /Im 4 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            stream(
                "/Type /XObject /Subtype /Image /Width 16384 /Height 19200 \
                 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                &zeros_inflating_to(300),
            ),
            stream("", b"q 595 0 0 842 0 0 cm /Im Do Q"),
        ],
        "",
    );
    let e = Ingester::new(with_worker())
        .ingest(Path::new("image-bomb.pdf"), &pdf)
        .unwrap_err();
    assert_eq!(e.code, Code::ING005, "{}", e.message);
    assert!(
        e.message.contains("数据流解压后超过 256 MiB"),
        "{}",
        e.message
    );
}

#[test]
fn a_malformed_encryption_dictionary_is_damage_not_a_password() {
    let report = Report {
        trailer: "/Encrypt << /Filter /Nope /V 1 >> /ID [<01> <01>] ".into(),
        ..Report::default()
    };
    let e = Ingester::new(IngestOptions::default())
        .ingest(Path::new("a.pdf"), &report.pdf())
        .unwrap_err();
    assert_eq!(e.code, Code::ING001, "{}", e.message);
    assert!(e.message.contains("/Nope"), "{}", e.message);
    assert!(!e.message.contains("密码（用户密码）"), "{}", e.message);
}

#[test]
fn an_unreadable_page_object_is_damage_not_a_scan() {
    let report = Report {
        media_box: "/MediaBox [0 0 1e308 1e308] /Rotate 90".into(),
        ..Report::default()
    };
    let e = Ingester::new(IngestOptions::default())
        .ingest(Path::new("a.pdf"), &report.pdf())
        .unwrap_err();
    assert_eq!(e.code, Code::ING001, "{}", e.message);
    assert!(
        e.message.contains("第 1 页的页面对象无法读取"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("OCR"), "{}", e.message);
}

#[test]
fn a_damaged_file_is_explained_in_chinese() {
    // The first 60% of a report (as `fixtures/ingest/truncated.pdf`):
    // lopdf says "failed parsing cross reference table: invalid start
    // value".
    let whole =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ingest/report.pdf")).unwrap();
    let cut = &whole[..whole.len() * 6 / 10];
    let e = Ingester::new(IngestOptions::default())
        .ingest(Path::new("a.pdf"), cut)
        .unwrap_err();
    assert_eq!(e.code, Code::ING001, "{}", e.message);
    let english = e
        .message
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 4 && !["EOF", "PDF"].contains(w))
        .collect::<Vec<_>>();
    assert!(english.is_empty(), "{english:?} in {}", e.message);
}

// ---------------------------------------------------------------------------
// Workers and their parent

/// The processes whose parent is `pid`.
#[cfg(target_os = "linux")]
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|s| {
            s.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// Waits up to `within` for `pid`'s first child.
#[cfg(target_os = "linux")]
fn first_child(pid: u32, within: Duration) -> Option<u32> {
    let start = Instant::now();
    while start.elapsed() < within {
        if let Some(&c) = children(pid).first() {
            return Some(c);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Whether `pid` is still a process that is not a zombie.
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let state = s.rsplit(')').next()?.split_whitespace().next()?.to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

#[cfg(target_os = "linux")]
fn signal(pid: u32, sig: i32) {
    // SAFETY: kill only sends a signal.
    unsafe {
        libc::kill(pid as i32, sig);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_worker_dies_with_its_parent_whatever_the_signal() {
    let dir = scratch("orphans");
    let path = dir.join("loop.pdf");
    fs::write(&path, parent_loop_pdf()).unwrap();
    for sig in [libc::SIGKILL, libc::SIGTERM, libc::SIGHUP] {
        let mut main = Command::new(jixiao_exe())
            .args(["audit", "--json", "--timeout-secs", "60"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let worker = first_child(main.id(), Duration::from_secs(20));
        signal(main.id(), sig);
        let _ = main.wait();
        let Some(worker) = worker else {
            panic!("no worker started");
        };
        let start = Instant::now();
        while alive(worker) && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let survived = alive(worker);
        if survived {
            signal(worker, libc::SIGKILL);
        }
        assert!(!survived, "the worker outlived its parent (signal {sig})");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_worker_killed_from_outside_is_audited_again_on_resume() {
    let dir = scratch("killed-worker");
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("loop.pdf"), parent_loop_pdf()).unwrap();
    let out = dir.join("out");
    // The first run's worker is killed as soon as it is seen; the time
    // limit is long enough that a loaded machine (the whole suite in
    // parallel) does not reach it first, and the same for both runs (a
    // resumed run keeps the options of the first).
    let run = |resume: bool| {
        let mut c = Command::new(jixiao_exe());
        c.args(["audit", "--timeout-secs", "15", "-j", "1", "--out"])
            .arg(&out)
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if resume {
            c.arg("--resume");
        }
        c
    };
    let main = run(false).spawn().unwrap();
    let worker = first_child(main.id(), Duration::from_secs(20)).expect("a worker");
    signal(worker, libc::SIGKILL);
    let first = main.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0));
    let line = fs::read_to_string(out.join("reports.jsonl")).unwrap();
    let record: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(record["error"]["transient"], true, "{record}");
    assert!(
        record["error"]["message"]
            .as_str()
            .unwrap()
            .contains("外部终止"),
        "{record}"
    );
    // Resumed, the file is audited again, and now gets the record an
    // uninterrupted run gives: the time limit.
    let second = run(true).output().unwrap();
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("检查其余 1 个文件"), "{said}");
    let line = fs::read_to_string(out.join("reports.jsonl")).unwrap();
    let record: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(record["error"]["code"], "ING005", "{record}");
    assert!(record["error"].get("transient").is_none(), "{record}");
}
