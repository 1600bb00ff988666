//! Ingest on real files: the corpus PDFs, the batch fixtures, and damaged,
//! encrypted and hostile variants made from them here (in memory: `ingest`
//! takes the bytes, and the path only for its extension).

use jixiao::ingest::{ingest, IngestError, IngestOptions, Pages};
use jixiao::rules::Code;
use lopdf::{Document, EncryptionState, EncryptionVersion, Object, Permissions, Stream};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn in_process() -> IngestOptions {
    IngestOptions::default()
}

fn with_worker() -> IngestOptions {
    IngestOptions {
        worker_exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_jixiao"))),
        ..IngestOptions::default()
    }
}

fn pdf(bytes: &[u8], opts: &IngestOptions) -> Result<Pages, IngestError> {
    ingest(Path::new("report.pdf"), bytes, opts)
}

fn fails(bytes: &[u8], opts: &IngestOptions, code: Code, words: &[&str]) -> IngestError {
    let e = pdf(bytes, opts).expect_err("should fail");
    assert_eq!(e.code, code, "{}", e.message);
    for w in words {
        assert!(e.message.contains(w), "{:?} lacks {w:?}", e.message);
    }
    e
}

/// The corpus renderings and their page counts (corpus/README.md).
const CORPUS: &[(&str, usize)] = &[
    ("corpus/guangzhou-archives-2023-libreoffice.pdf", 11),
    ("corpus/guangzhou-archives-2023-chromium-wqy.pdf", 9),
    ("corpus/guangzhou-archives-2023-chromium-noto.pdf", 9),
    ("corpus/guangzhou-archives-2023-xelatex.pdf", 8),
];

const LIBREOFFICE: &str = "corpus/guangzhou-archives-2023-libreoffice.pdf";

#[test]
fn corpus_pdfs_give_one_text_per_page() {
    for (rel, count) in CORPUS {
        let p = pdf(&read(rel), &in_process()).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(p.pages.len(), *count, "{rel}");
        assert_eq!(p.text_layer, "pdf-extract");
        assert!(p.diagnostics.is_empty(), "{rel}: {:?}", p.diagnostics);
        for (i, page) in p.pages.iter().enumerate() {
            assert!(page.contains("档案"), "{rel} page {}: {page:?}", i + 1);
            assert!(!page.contains("\n\n"), "{rel}: no empty lines");
        }
    }
}

#[test]
fn layout_keeps_paragraph_indents_and_cell_gaps() {
    let p = pdf(&read(LIBREOFFICE), &in_process()).unwrap();
    let lines: Vec<&str> = p.pages.iter().flat_map(|p| p.lines()).collect();
    // The first line of a paragraph is indented by two characters (four
    // half ems); the lines after it start at the margin.
    let first = lines
        .iter()
        .find(|l| l.contains("市档案馆机关是市委直属"))
        .unwrap();
    assert!(first.starts_with("    市"), "{first:?}");
    let row = lines
        .iter()
        .find(|l| l.contains("一般公共预算财政拨款收入 "))
        .unwrap();
    assert!(row.contains("收入   "), "cell gap kept wide: {row:?}");
}

#[test]
fn the_worker_gives_what_in_process_extraction_gives() {
    for (rel, _) in CORPUS {
        let bytes = read(rel);
        let a = pdf(&bytes, &in_process()).unwrap();
        let b = pdf(&bytes, &with_worker()).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(a, b, "{rel}");
    }
}

#[test]
fn the_seed_text_is_one_page() {
    let path = root().join("corpus/guangzhou-archives-2023-selfeval.txt");
    let p = ingest(&path, &std::fs::read(&path).unwrap(), &in_process()).unwrap();
    assert_eq!(p.pages.len(), 1);
    assert_eq!(p.text_layer, "text");
    assert!(p.pages[0].contains("绩效等级为优"));
}

#[test]
fn batch_fixtures_that_are_not_pdfs_are_named() {
    let empty = read("fixtures/batch/empty.pdf");
    assert!(empty.is_empty());
    fails(&empty, &with_worker(), Code::ING001, &["为空"]);
    // A 404 page saved as .pdf.
    fails(
        &read("fixtures/batch/page.pdf"),
        &with_worker(),
        Code::ING001,
        &["不是 PDF", "HTML"],
    );
    let good = pdf(&read("fixtures/batch/good.pdf"), &with_worker()).unwrap();
    assert_eq!(good.pages.len(), 11);
}

#[test]
fn truncated_pdfs_are_corrupt() {
    let bytes = read(LIBREOFFICE);
    // Cut early, mid-way, and just before the end (where the objects are
    // all there but the cross-reference table and %%EOF are not).
    for cut in [2_000, bytes.len() / 2, bytes.len() - 300, bytes.len() - 5] {
        for opts in [in_process(), with_worker()] {
            let e = fails(&bytes[..cut], &opts, Code::ING001, &["损坏或不完整"]);
            assert!(e.message.contains("截断"), "{cut}: {}", e.message);
        }
    }
    // A header and nothing else.
    fails(
        b"%PDF-1.7\n1 0 obj\n<<",
        &in_process(),
        Code::ING001,
        &["损坏或不完整"],
    );
}

/// The LibreOffice rendering encrypted by lopdf with RC4 128 (what older
/// Word and WPS exports use).
fn encrypted(owner: &str, user: &str) -> Vec<u8> {
    let mut doc = Document::load_mem(&read(LIBREOFFICE)).unwrap();
    let state = EncryptionState::try_from(EncryptionVersion::V2 {
        document: &doc,
        owner_password: owner,
        user_password: user,
        key_length: 128,
        permissions: Permissions::PRINTABLE,
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_user_password_is_ing002_and_an_owner_password_alone_is_not() {
    let plain = pdf(&read(LIBREOFFICE), &in_process()).unwrap();
    let owner_only = encrypted("owner", "");
    for opts in [in_process(), with_worker()] {
        let p = pdf(&owner_only, &opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.pages, plain.pages);
    }
    let user = encrypted("owner", "user");
    for opts in [in_process(), with_worker()] {
        fails(&user, &opts, Code::ING002, &["密码"]);
    }
}

/// AES-128 and AES-256 too, as qpdf writes them, when qpdf is installed.
#[test]
fn aes_encryption_from_qpdf() {
    let dir = std::env::temp_dir().join(format!("jixiao-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = root().join(LIBREOFFICE);
    let plain = pdf(&read(LIBREOFFICE), &in_process()).unwrap();
    let cases = [("", "128", true), ("", "256", true), ("user", "256", false)];
    for (user, bits, opens) in cases {
        let out = dir.join(format!("{bits}-{}.pdf", !user.is_empty()));
        let status = std::process::Command::new("qpdf")
            .args(["--encrypt", user, "owner", bits])
            // 128 bits means RC4 unless AES is asked for; 256 is always AES.
            .args(if bits == "128" {
                &["--use-aes=y"][..]
            } else {
                &[]
            })
            .arg("--")
            .arg(&src)
            .arg(&out)
            .status();
        let Ok(status) = status else {
            eprintln!("qpdf not installed: AES cases skipped");
            return;
        };
        assert!(status.success());
        let bytes = std::fs::read(&out).unwrap();
        if opens {
            let p = pdf(&bytes, &with_worker()).unwrap_or_else(|e| panic!("{bits}: {e}"));
            assert_eq!(p.pages, plain.pages, "AES-{bits}");
        } else {
            fails(&bytes, &with_worker(), Code::ING002, &["密码"]);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A minimal PDF with one page whose content stream is `content` and whose
/// resources are `resources`; `extra` objects follow as 5 0 obj, 6 0 obj….
fn tiny_pdf(page: &str, content: &str, extra: &[String]) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R {page} /Contents 4 0 R >>"),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    objects.extend(extra.iter().cloned());
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

const MEDIA_BOX: &str = "/MediaBox [0 0 595 842]";

#[test]
fn a_form_that_draws_itself_crashes_the_worker_not_the_batch() {
    // pdf-extract recurses into form XObjects without a depth limit: this
    // one overflows the stack, which aborts the process it runs in.
    let form = "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] \
                /Resources << /XObject << /X1 5 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream";
    let bytes = tiny_pdf(
        &format!("{MEDIA_BOX} /Resources << /XObject << /X1 5 0 R >> >>"),
        "/X1 Do",
        &[form.to_string()],
    );
    let e = fails(
        &bytes,
        &with_worker(),
        Code::ING004,
        &["崩溃", "信号", "栈溢出"],
    );
    eprintln!("{}", e.message);
}

#[test]
fn extractor_panics_are_ing004_in_process_too() {
    // pdf-extract unwraps a missing XObject and a missing MediaBox.
    let missing_form = tiny_pdf(&format!("{MEDIA_BOX} /Resources << >>"), "/X1 Do", &[]);
    let no_media_box = tiny_pdf("/Resources << >>", "BT ET", &[]);
    for bytes in [missing_form, no_media_box] {
        for opts in [in_process(), with_worker()] {
            fails(&bytes, &opts, Code::ING004, &["第 1 页", "崩溃"]);
        }
    }
}

#[test]
fn a_pdf_without_text_is_ing003() {
    let blank = tiny_pdf(&format!("{MEDIA_BOX} /Resources << >>"), "", &[]);
    fails(&blank, &with_worker(), Code::ING003, &["OCR", "共 1 页"]);
}

#[test]
fn an_empty_page_among_good_ones_is_a_diagnostic() {
    // Page 2 of the LibreOffice rendering with its content removed, as a
    // scanned page inserted into a text PDF would read.
    let mut doc = Document::load_mem(&read(LIBREOFFICE)).unwrap();
    let page2 = doc.get_pages()[&2];
    let empty = doc.add_object(Object::Stream(Stream::new(
        lopdf::Dictionary::new(),
        Vec::new(),
    )));
    doc.get_dictionary_mut(page2)
        .unwrap()
        .set("Contents", Object::Reference(empty));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let p = pdf(&bytes, &in_process()).unwrap();
    assert_eq!(p.pages.len(), 11);
    assert!(p.pages[1].trim().is_empty());
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(p.diagnostics[0].kind, "empty_page");
    assert_eq!(p.diagnostics[0].page, Some(2));
}

#[test]
fn limits_are_ing005() {
    let bytes = read(LIBREOFFICE);
    let small = IngestOptions {
        max_bytes: 1000,
        ..with_worker()
    };
    fails(&bytes, &small, Code::ING005, &["文件过大"]);
    let hurried = IngestOptions {
        timeout: Duration::from_millis(1),
        ..with_worker()
    };
    fails(&bytes, &hurried, Code::ING005, &["超时"]);
}

#[test]
fn a_missing_worker_is_ing004() {
    let opts = IngestOptions {
        worker_exe: Some(PathBuf::from("/nonexistent/jixiao")),
        ..IngestOptions::default()
    };
    fails(&read(LIBREOFFICE), &opts, Code::ING004, &["无法启动"]);
}
