//! Ingest on real files: the corpus PDFs, the batch fixtures, and damaged,
//! encrypted and hostile variants made from them here (in memory: `ingest`
//! takes the bytes, and the path only for its extension).

use jixiao::batch::{audit_batch, AuditOptions};
use jixiao::ingest::quality::gb2312_level1;
use jixiao::ingest::{ingest, IngestError, IngestOptions, Ingester, Pages};
use jixiao::model::DiagnosticKind;
use jixiao::record::Status;
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
        assert_eq!(p.text_layer, "pdftext");
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

/// AES-256 as qpdf writes it (`fixtures/ingest/`, made by
/// scripts/make_fixtures.sh): an owner password alone opens, a user
/// password is ING002.
#[test]
fn aes_256_from_qpdf() {
    let plain = pdf(&read("fixtures/ingest/report.pdf"), &in_process()).unwrap();
    let p = pdf(&read("fixtures/ingest/owner-password.pdf"), &with_worker()).unwrap();
    assert_eq!(p.pages, plain.pages, "owner password only");
    fails(
        &read("fixtures/ingest/user-password.pdf"),
        &with_worker(),
        Code::ING002,
        &["密码"],
    );
}

/// A PDF of the given objects, numbered from 1, with object 1 as the
/// catalog and a correct cross-reference table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
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

/// A minimal PDF with one page whose content stream is `content` and whose
/// resources are `resources`; `extra` objects follow as 5 0 obj, 6 0 obj….
fn tiny_pdf(page: &str, content: &str, extra: &[String]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R {page} /Contents 4 0 R >>").into_bytes(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
        .into_bytes(),
    ];
    objects.extend(extra.iter().map(|e| e.clone().into_bytes()));
    pdf_of(&objects)
}

const MEDIA_BOX: &str = "/MediaBox [0 0 595 842]";

#[test]
fn a_form_that_draws_itself_is_read_and_a_fallback_crash_costs_only_its_worker() {
    // The own layer stops the form's recursion (it draws nothing, so the
    // page has no text). That sends the file to pdf-extract, which
    // recurses into form XObjects without a depth limit until the stack
    // overflows and the worker process aborts: the file still gets its
    // answer (no text, ING003, with the crash named), and the pool a new
    // worker.
    let form = "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] \
                /Resources << /XObject << /X1 5 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream";
    let bytes = tiny_pdf(
        &format!("{MEDIA_BOX} /Resources << /XObject << /X1 5 0 R >> >>"),
        "/X1 Do",
        &[form.to_string()],
    );
    let ingester = Ingester::new(with_worker());
    let e = ingester.ingest(Path::new("form.pdf"), &bytes).unwrap_err();
    assert_eq!(e.code, Code::ING003, "{}", e.message);
    for w in ["未提取到文字", "pdf-extract", "崩溃", "信号", "栈溢出"] {
        assert!(e.message.contains(w), "{w}: {}", e.message);
    }
    assert_eq!(ingester.workers_started(), 1);
    // The next file gets a fresh worker.
    let good = ingester.ingest(Path::new("good.pdf"), &read(LIBREOFFICE));
    assert_eq!(good.unwrap().pages.len(), 11);
    assert_eq!(
        ingester.workers_started(),
        2,
        "the crashed worker is replaced"
    );
}

#[test]
fn fallback_panics_are_caught_in_process_too() {
    // The page draws a form that does not exist, so the own layer has no
    // text and a problem to report; pdf-extract, tried next, unwraps the
    // missing XObject: the panic is caught and named, and the answer is
    // the own layer's (no text).
    let missing_form = tiny_pdf(&format!("{MEDIA_BOX} /Resources << >>"), "/X1 Do", &[]);
    for opts in [in_process(), with_worker()] {
        fails(
            &missing_form,
            &opts,
            Code::ING003,
            &["第 1 页", "pdf-extract", "崩溃"],
        );
    }
}

#[test]
fn a_blank_pdf_is_readable_and_said_to_be_blank() {
    // Nothing drawn, no text: not a scan, so not ING003 (issue 15), and no
    // second layer is tried on it (pdf-extract would panic on the missing
    // MediaBox of the second).
    let blank = tiny_pdf(&format!("{MEDIA_BOX} /Resources << >>"), "", &[]);
    let no_media_box = tiny_pdf("/Resources << >>", "BT ET", &[]);
    for bytes in [blank, no_media_box] {
        for opts in [in_process(), with_worker()] {
            let pages = pdf(&bytes, &opts).unwrap();
            assert_eq!(pages.pages, [""]);
            let kinds: Vec<_> = pages.diagnostics.iter().map(|d| d.kind).collect();
            assert_eq!(kinds, [DiagnosticKind::LittleText]);
            assert!(pages.diagnostics[0].message.contains("空白"));
            assert_eq!(pages.text_layer, "pdftext");
        }
    }
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
    assert_eq!(p.diagnostics[0].kind, DiagnosticKind::EmptyPage);
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

// ---------------------------------------------------------------------------
// The worker pool

fn good_and_crashing() -> (Vec<u8>, Vec<u8>) {
    let form = "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] \
                /Resources << /XObject << /X1 5 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream";
    let crashing = tiny_pdf(
        &format!("{MEDIA_BOX} /Resources << /XObject << /X1 5 0 R >> >>"),
        "/X1 Do",
        &[form.to_string()],
    );
    (read(LIBREOFFICE), crashing)
}

#[test]
fn one_worker_serves_many_files_and_a_crash_costs_one_file_and_one_worker() {
    let (good, crashing) = good_and_crashing();
    let plain = pdf(&good, &in_process()).unwrap();
    let ingester = Ingester::new(with_worker());
    assert_eq!(ingester.workers_started(), 0, "workers start lazily");
    for _ in 0..3 {
        assert_eq!(ingester.ingest(Path::new("a.pdf"), &good).unwrap(), plain);
    }
    assert_eq!(ingester.workers_started(), 1, "one worker for three files");
    // Failures that are answers (a corrupt file, a caught panic) keep the
    // worker; a crash kills it.
    let e = ingester
        .ingest(Path::new("b.pdf"), b"%PDF-1.7\nnothing")
        .unwrap_err();
    assert_eq!(e.code, Code::ING001);
    let missing_form = tiny_pdf(&format!("{MEDIA_BOX} /Resources << >>"), "/X1 Do", &[]);
    let e = ingester
        .ingest(Path::new("c.pdf"), &missing_form)
        .unwrap_err();
    assert_eq!(e.code, Code::ING003);
    assert!(e.message.contains("崩溃"), "{}", e.message);
    assert_eq!(ingester.workers_started(), 1);
    let e = ingester.ingest(Path::new("d.pdf"), &crashing).unwrap_err();
    assert_eq!(e.code, Code::ING003, "{}", e.message);
    assert!(e.message.contains("栈溢出"), "{}", e.message);
    // The next file gets a fresh worker and the same text as before.
    assert_eq!(ingester.ingest(Path::new("e.pdf"), &good).unwrap(), plain);
    assert_eq!(ingester.workers_started(), 2);
}

#[test]
fn a_worker_past_the_time_limit_is_killed_and_replaced() {
    let good = read(LIBREOFFICE);
    let hurried = Ingester::new(IngestOptions {
        timeout: Duration::from_millis(1),
        ..with_worker()
    });
    for _ in 0..2 {
        let e = hurried.ingest(Path::new("a.pdf"), &good).unwrap_err();
        assert_eq!(e.code, Code::ING005);
        assert!(e.message.contains("超时"), "{}", e.message);
        assert!(e.message.contains("--timeout-secs"), "{}", e.message);
    }
    assert_eq!(
        hurried.workers_started(),
        2,
        "each timeout costs its worker"
    );
}

#[test]
fn threads_share_the_pool_and_never_hold_more_workers_than_threads() {
    let (good, crashing) = good_and_crashing();
    let plain = pdf(&good, &in_process()).unwrap();
    let ingester = Ingester::new(with_worker());
    let files: Vec<&[u8]> = (0..12)
        .map(|i| if i == 5 { &crashing[..] } else { &good[..] })
        .collect();
    let results: Vec<Result<Pages, IngestError>> = std::thread::scope(|s| {
        let chunks: Vec<_> = files
            .chunks(4)
            .map(|chunk| {
                let ingester = &ingester;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|b| ingester.ingest(Path::new("x.pdf"), b))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for (i, r) in results.iter().enumerate() {
        match r {
            Ok(p) => assert_eq!(p, &plain, "file {i}"),
            Err(e) => {
                assert_eq!(i, 5, "only the crashing file fails: {e}");
                assert_eq!(e.code, Code::ING003);
            }
        }
    }
    // Three threads: at most three workers, plus the crash's replacement.
    assert!(
        ingester.workers_started() <= 4,
        "{}",
        ingester.workers_started()
    );
}

#[test]
fn a_batch_gives_one_record_per_file_around_a_crash() {
    let (good, crashing) = good_and_crashing();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ingest-batch-pool");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, bytes) in [
        ("a.pdf", &good),
        ("b-crash.pdf", &crashing),
        ("c.pdf", &good),
        ("d.pdf", &good),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    let opts = AuditOptions {
        ingest: with_worker(),
        jobs: 2,
    };
    let batch = audit_batch(&files, &opts, |_| {});
    let outcomes: Vec<(Status, Option<Code>)> = batch
        .records
        .iter()
        .map(|r| (r.status, r.error.as_ref().map(|e| e.code)))
        .collect();
    assert_eq!(
        outcomes,
        [
            (Status::Ok, None),
            (Status::Failed, Some(Code::ING003)),
            (Status::Ok, None),
            (Status::Ok, None)
        ]
    );
    let findings = |i: usize| batch.records[i].findings.len();
    assert_eq!((findings(0), findings(2), findings(3)), (4, 4, 4));
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// Limits

#[test]
fn more_pages_than_allowed_is_ing005_naming_the_count() {
    let bytes = read(LIBREOFFICE);
    for opts in [in_process(), with_worker()] {
        let short = IngestOptions {
            max_pages: 10,
            ..opts
        };
        fails(
            &bytes,
            &short,
            Code::ING005,
            &["共 11 页", "上限 10 页", "--max-pages"],
        );
    }
    let enough = IngestOptions {
        max_pages: 11,
        ..with_worker()
    };
    assert_eq!(pdf(&bytes, &enough).unwrap().pages.len(), 11);
}

/// A zlib stream that inflates to `1 + 258 * matches` zero bytes, written
/// by hand: one dynamic-Huffman deflate block in which a literal 0 and the
/// end of block have 2-bit codes, and "length 258, distance 1" costs two
/// bits — the best ratio deflate allows (about 1:1032).
fn zlib_zeros(matches: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        /// `count` bits of `value`, least significant first (header
        /// fields and extra bits).
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
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
    b.put(1, 1); // the final block
    b.put(2, 2); // dynamic Huffman codes
    b.put(29, 5); // 286 literal/length codes
    b.put(0, 5); // 1 distance code
    b.put(14, 4); // 18 code-length codes
                  // Code lengths of the code-length alphabet, in its odd order
                  // (16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1): 18 → 1 bit, 2 and 1
                  // → 2 bits. Canonical codes: 18 = 0, 1 = 10, 2 = 11.
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        b.put(len, 3);
    }
    // Literal/length code lengths: 0 → 2, 1..=255 → 0, 256 → 2,
    // 257..=284 → 0, 285 → 1; then the one distance code → 1.
    b.code(0b11, 2); // 2
    b.code(0, 1);
    b.put(138 - 11, 7); // 138 zeros
    b.code(0, 1);
    b.put(117 - 11, 7); // 117 zeros
    b.code(0b11, 2); // 2
    b.code(0, 1);
    b.put(28 - 11, 7); // 28 zeros
    b.code(0b10, 2); // 1
    b.code(0b10, 2); // 1 (distance code 0)
                     // Literal/length codes: 285 = 0, 0 = 10, 256 = 11; distance 0 = 0.
    b.code(0b10, 2); // the literal 0
                     // Each match is two zero bits: whole zero bytes after the first few.
    let mut zero_bits = matches * 2;
    while zero_bits > 0 && b.n != 0 {
        b.put(0, 1);
        zero_bits -= 1;
    }
    b.out.resize(b.out.len() + (zero_bits / 8) as usize, 0);
    b.put(0, (zero_bits % 8) as u32);
    b.code(0b11, 2); // end of block
    if b.n > 0 {
        b.put(0, 8 - b.n);
    }
    // Adler-32 of n zeros: a = 1, b = n (mod 65521).
    let n = 1 + 258 * matches;
    let adler = ((n % 65521) << 16) | 1;
    b.out.extend_from_slice(&(adler as u32).to_be_bytes());
    b.out
}

fn flate_stream(data: Vec<u8>) -> Stream {
    let mut dict = lopdf::Dictionary::new();
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    Stream::new(dict, data)
}

#[test]
fn the_hand_made_zlib_stream_is_valid() {
    let small = flate_stream(zlib_zeros(10));
    assert_eq!(small.decompressed_content().unwrap(), vec![0u8; 2581]);
    let bomb = flate_stream(zlib_zeros(4_000_000));
    assert!(bomb.decompressed_content_with_limit(1 << 20).is_err());
}

/// One page whose content stream inflates to `gib` GiB of zeros.
fn decompression_bomb(gib: u64) -> Vec<u8> {
    let zlib = zlib_zeros((gib << 30) / 258);
    let mut content = format!(
        "<< /Filter /FlateDecode /Length {} >>\nstream\n",
        zlib.len()
    )
    .into_bytes();
    content.extend_from_slice(&zlib);
    content.extend_from_slice(b"\nendstream");
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R {MEDIA_BOX} /Resources << >> /Contents 4 0 R >>")
            .into_bytes(),
        content,
    ])
}

#[test]
fn a_decompression_bomb_stops_at_the_memory_limit() {
    let bomb = decompression_bomb(4);
    assert!(bomb.len() < 5 << 20, "{} bytes", bomb.len());
    let limited = IngestOptions {
        max_memory_mib: 512,
        ..with_worker()
    };
    let ingester = Ingester::new(limited);
    let e = ingester.ingest(Path::new("bomb.pdf"), &bomb).unwrap_err();
    assert_eq!(e.code, Code::ING005, "{}", e.message);
    assert!(e.message.contains("内存超出限制"), "{}", e.message);
    assert!(e.message.contains("512 MiB"), "{}", e.message);
    assert!(e.message.contains("--max-memory-mib"), "{}", e.message);
    // The same limit leaves room for a real report, in a fresh worker.
    let good = read(LIBREOFFICE);
    assert_eq!(
        ingester
            .ingest(Path::new("a.pdf"), &good)
            .unwrap()
            .pages
            .len(),
        11
    );
    assert_eq!(ingester.workers_started(), 2);
}

// ---------------------------------------------------------------------------
// Passwords

fn with_password(opts: IngestOptions, password: &str) -> IngestOptions {
    IngestOptions {
        password: Some(password.to_string()),
        ..opts
    }
}

#[test]
fn the_reviewers_password_opens_a_user_password_pdf() {
    let plain = pdf(&read(LIBREOFFICE), &in_process()).unwrap();
    let locked = encrypted("owner", "user");
    for opts in [in_process(), with_worker()] {
        let e = fails(&locked, &opts, Code::ING002, &["--password"]);
        assert!(!e.message.contains("所给的密码"), "{}", e.message);
        let p = pdf(&locked, &with_password(opts.clone(), "user")).unwrap();
        assert_eq!(p.pages, plain.pages);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        fails(
            &locked,
            &with_password(opts.clone(), "wrong"),
            Code::ING002,
            &["所给的密码", "无法打开"],
        );
        // Files that need no password are not affected by one.
        let p = pdf(&read(LIBREOFFICE), &with_password(opts.clone(), "user")).unwrap();
        assert_eq!(p.pages, plain.pages);
        let p = pdf(&encrypted("owner", ""), &with_password(opts, "user")).unwrap();
        assert_eq!(p.pages, plain.pages);
    }
}

#[test]
fn the_reviewers_password_opens_aes_256_from_qpdf() {
    let bytes = read("fixtures/ingest/user-password.pdf");
    let plain = pdf(&read("fixtures/ingest/report.pdf"), &in_process()).unwrap();
    let p = pdf(&bytes, &with_password(with_worker(), "jixiao2023")).unwrap();
    assert_eq!(p.pages, plain.pages);
    fails(
        &bytes,
        &with_password(with_worker(), "jixiao2024"),
        Code::ING002,
        &["所给的密码"],
    );
}

// ---------------------------------------------------------------------------
// Repair

fn assert_repaired(bytes: &[u8], plain: &Pages) {
    for opts in [in_process(), with_worker()] {
        let p = pdf(bytes, &opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.pages, plain.pages);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].kind, DiagnosticKind::Repaired);
        assert!(
            p.diagnostics[0]
                .message
                .starts_with("交叉引用表已损坏，已按对象重建后读取"),
            "{}",
            p.diagnostics[0].message
        );
    }
}

fn rfind(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .expect("present")
}

/// The start of the classic cross-reference table's entry for `id`.
fn xref_entry(bytes: &[u8], id: u32) -> usize {
    let startxref = rfind(bytes, b"startxref");
    let offset: usize = String::from_utf8_lossy(&bytes[startxref + 9..])
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(bytes[offset..].starts_with(b"xref"));
    // "xref", the subsection header "0 N", then 20-byte entries.
    let mut pos = offset;
    for _ in 0..2 {
        pos += bytes[pos..].iter().position(|&b| b == b'\n').unwrap() + 1;
    }
    pos + 20 * id as usize
}

#[test]
fn bytes_inserted_mid_file_are_repaired_and_noted() {
    let bytes = read(LIBREOFFICE);
    let plain = pdf(&bytes, &in_process()).unwrap();
    // A careless editor added a comment between two objects: every object
    // after it moved, the table still points at the old places.
    let mid = bytes.len() / 2;
    let at = mid
        + bytes[mid..]
            .windows(7)
            .position(|w| w == b"endobj\n")
            .unwrap()
        + 7;
    let mut shifted = bytes[..at].to_vec();
    shifted.extend_from_slice(b"% edited\n");
    shifted.extend_from_slice(&bytes[at..]);
    assert_repaired(&shifted, &plain);
    // A wrong startxref alone.
    let cut = rfind(&bytes, b"startxref");
    let mut wrong = bytes[..cut].to_vec();
    wrong.extend_from_slice(b"startxref\n1234\n%%EOF\n");
    assert_repaired(&wrong, &plain);
}

#[test]
fn one_stale_offset_is_repaired_not_skipped() {
    // Only the entry of page 3's content stream is wrong: the catalog and
    // the page tree load as written, so lopdf itself would not rebuild,
    // and page 3 would come out empty without a word.
    let bytes = read(LIBREOFFICE);
    let plain = pdf(&bytes, &in_process()).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let page3 = doc.get_dictionary(doc.get_pages()[&3]).unwrap();
    let contents = page3.get(b"Contents").unwrap().as_reference().unwrap();
    let entry = xref_entry(&bytes, contents.0);
    let old: usize = std::str::from_utf8(&bytes[entry..entry + 10])
        .unwrap()
        .parse()
        .unwrap();
    let mut broken = bytes.clone();
    broken[entry..entry + 10].copy_from_slice(format!("{:010}", old + 7).as_bytes());
    assert_repaired(&broken, &plain);
}

#[test]
fn a_cut_file_is_still_refused_not_repaired() {
    let bytes = read(LIBREOFFICE);
    // Everything but the table and the trailer: repairable in principle,
    // but pages past a cut would be missing without a word.
    let xref = rfind(&bytes, b"\nxref");
    fails(
        &bytes[..xref],
        &with_worker(),
        Code::ING001,
        &["截断", "%%EOF"],
    );
}

// ---------------------------------------------------------------------------
// The text-quality gate on real PDFs

/// `doc` with the ToUnicode maps of the fonts used on `pages` rewritten by
/// `map` (Han destinations only), on those pages alone: what a font whose
/// CMap belongs to another character collection gives, while digits and
/// Latin letters still come out right.
fn garble_pages(doc: &mut Document, pages: &[u32], map: &dyn Fn(char) -> char) {
    let bfchar = regex::Regex::new(r"(?m)^(<[0-9A-Fa-f]+>) <([0-9A-Fa-f]{4})>").unwrap();
    let page_ids = doc.get_pages();
    for n in pages {
        let page_id = page_ids[n];
        let resources = match doc
            .get_dictionary(page_id)
            .unwrap()
            .get(b"Resources")
            .unwrap()
        {
            Object::Reference(r) => doc.get_dictionary(*r).unwrap().clone(),
            Object::Dictionary(d) => d.clone(),
            other => panic!("{other:?}"),
        };
        let mut fonts = match resources.get(b"Font").unwrap() {
            Object::Reference(r) => doc.get_dictionary(*r).unwrap().clone(),
            Object::Dictionary(d) => d.clone(),
            other => panic!("{other:?}"),
        };
        let names: Vec<Vec<u8>> = fonts.iter().map(|(k, _)| k.clone()).collect();
        for name in names {
            let font_id = fonts.get(&name).unwrap().as_reference().unwrap();
            let mut font = doc.get_dictionary(font_id).unwrap().clone();
            let Ok(to_unicode) = font.get(b"ToUnicode").and_then(Object::as_reference) else {
                continue;
            };
            let stream = doc.get_object(to_unicode).unwrap().as_stream().unwrap();
            let cmap = String::from_utf8(stream.decompressed_content().unwrap()).unwrap();
            let garbled = bfchar.replace_all(&cmap, |c: &regex::Captures| {
                let cp = u32::from_str_radix(&c[2], 16).unwrap();
                let ch = char::from_u32(cp).map(map).unwrap();
                format!("{} <{:04X}>", &c[1], ch as u32)
            });
            let new_map = doc.add_object(Stream::new(
                lopdf::Dictionary::new(),
                garbled.into_owned().into_bytes(),
            ));
            font.set("ToUnicode", new_map);
            let new_font = doc.add_object(font);
            fonts.set(name, new_font);
        }
        let mut resources = resources;
        resources.set("Font", Object::Dictionary(fonts));
        let new_resources = doc.add_object(resources);
        doc.get_dictionary_mut(page_id)
            .unwrap()
            .set("Resources", new_resources);
    }
}

/// A fixed step through the unified ideographs: rare characters.
fn shift_han(c: char) -> char {
    match c {
        '\u{4E00}'..='\u{9FA5}' => {
            char::from_u32((c as u32 - 0x4E00 + 7919) % 20902 + 0x4E00).unwrap()
        }
        _ => c,
    }
}

/// A fixed permutation of GB 2312 level 1: common characters only.
fn permute_common(c: char) -> char {
    let set = gb2312_level1();
    match set.binary_search(&c) {
        Ok(i) => set[(i * 1103 + 17) % set.len()],
        Err(_) => c,
    }
}

fn garbled(pages: &[u32], map: &dyn Fn(char) -> char) -> Vec<u8> {
    let mut doc = Document::load_mem(&read(LIBREOFFICE)).unwrap();
    garble_pages(&mut doc, pages, map);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_page_decoded_with_the_wrong_cmap_is_listed() {
    let plain = pdf(&read(LIBREOFFICE), &in_process()).unwrap();
    let p = pdf(&garbled(&[3], &shift_han), &with_worker()).unwrap();
    assert_eq!(p.pages.len(), 11);
    // The digits survived: without the gate this page would be audited
    // as if it said something.
    assert_ne!(p.pages[2], plain.pages[2]);
    assert!(p.pages[2].contains("2023"), "{}", p.pages[2]);
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    let d = &p.diagnostics[0];
    assert_eq!((d.kind.as_str(), d.page), ("low_quality_page", Some(3)));
    assert!(d.message.contains("GB 2312"), "{}", d.message);
    assert!(d.message.contains("第 3 页"), "{}", d.message);
}

#[test]
fn a_document_decoded_with_the_wrong_cmap_is_ing003_naming_its_pages() {
    let all: Vec<u32> = (1..=11).collect();
    let e = fails(
        &garbled(&all, &shift_han),
        &with_worker(),
        Code::ING003,
        &["共 11 页", "第 1–11 页", "不是常用字"],
    );
    eprintln!("{}", e.message);
    // Mojibake of common characters only: caught by the vocabulary.
    let e = fails(
        &garbled(&all, &permute_common),
        &with_worker(),
        Code::ING003,
        &["第 1–11 页", "报告常用词"],
    );
    eprintln!("{}", e.message);
    // Both kinds in one file: each page range with its reason.
    let mut doc = Document::load_mem(&read(LIBREOFFICE)).unwrap();
    garble_pages(&mut doc, &[1, 2, 3, 4, 5], &shift_han);
    garble_pages(&mut doc, &[6, 7, 8, 9, 10, 11], &permute_common);
    let mut mixed = Vec::new();
    doc.save_to(&mut mixed).unwrap();
    fails(
        &mixed,
        &in_process(),
        Code::ING003,
        &[
            "第 1–5 页汉字大多不是常用字",
            "第 6–11 页几乎不含报告常用词",
        ],
    );
}

#[test]
fn pages_of_control_characters_are_ing003() {
    // A font without a usable map: every glyph comes out as its code.
    let controls: String = (1u8..=26)
        .filter(|b| !(9..=13).contains(b))
        .map(|b| format!("\\{:03o}", b))
        .collect();
    let content = format!("BT /F1 12 Tf 72 720 Td ({}) Tj ET", controls.repeat(4));
    let bytes = tiny_pdf(
        &format!("{MEDIA_BOX} /Resources << /Font << /F1 5 0 R >> >>"),
        &content,
        &["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string()],
    );
    fails(&bytes, &with_worker(), Code::ING003, &["第 1 页", "乱码"]);
}
