//! Opening a PDF and extracting its text, in the current process.
//!
//! [`read_text`] is what the worker runs; it is also called directly when no
//! worker is configured. It opens the file with lopdf 0.47 to classify it
//! (corrupt, truncated, password-protected, too many pages, no pages), to
//! decrypt it (owner-password-only files, or with the reviewer's
//! `--password`) and to repair a damaged cross-reference table, then reads
//! the pages with the layer the request names: jixiao's own
//! (`crate::pdftext`, on the same lopdf document) or pdf-extract, the
//! fallback, through our own output device ([`PageLayout`]) that keeps
//! indentation. pdf-extract is built on an older lopdf (0.42, a distinct
//! type), so when lopdf 0.47 had to decrypt or repair the file, the
//! repaired document is saved to bytes again and those bytes are what
//! pdf-extract reads.
//!
//! Repair follows poppler: when the cross-reference data cannot be read, or
//! an entry points at something other than the object it names (bytes
//! added or lost before it), the table is rebuilt by scanning the file for
//! `N G obj`. A file without `%%EOF` that needed that is refused instead:
//! it was cut off, and the pages past the cut would silently be missing.
//!
//! Panics are caught here and become ING004; what cannot be caught (a
//! stack overflow, an abort in pdf-extract) is the worker process's job.

use super::layout::PageLayout;
use super::ocr;
use super::protocol::{Layer, Request};
use super::quality::{page_list, PageStats, Verdict};
use super::sniff::find;
use super::IngestError;
use crate::model::Diagnostic;
use crate::model::{Code, DiagnosticKind, OcrPage};
use crate::pdftext::{self, RuledRow, MAX_DOCUMENT_WORK, MAX_STREAM};
use lopdf::xref::XrefEntry;
use lopdf::{DecompressError, LoadOptions};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The raw text of every page, and what was noticed on the way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Extracted {
    pub pages: Vec<String>,
    /// Per page, the lines that are rows of ruled tables (own layer only;
    /// empty when no page has one).
    pub rows: Vec<Vec<RuledRow>>,
    /// The layer that read the pages.
    pub layer: Layer,
    pub diagnostics: Vec<Diagnostic>,
    /// The first limit the own layer ran into, with its page ("第 3 页：
    /// …"): part of the file was not read because reading it would cost
    /// more than any real report needs (a decompression bomb, a page of
    /// millions of glyphs). pdf-extract is then not tried — it has no such
    /// bounds, and the same data would cost it the time or the memory
    /// limit depending on the machine's load — and a text that is unusable
    /// is ING005 for this reason, not ING003.
    pub limited: Option<String>,
    /// Pages whose page object could not be read (the file is damaged
    /// there): a text unusable for that reason alone is ING001, not
    /// ING003.
    pub unreadable: Vec<u32>,
    /// Per page (own layer only), whether it shows content a text layer
    /// cannot read: a scan, text drawn as outlines, an object the layer
    /// could not read (see [`super::quality::gate`]).
    pub shows: Vec<bool>,
    /// The pages read by OCR.
    pub ocr: Vec<OcrPage>,
    /// Why pages that needed OCR did not get it, and how to install it
    /// (Chinese), for the file's message or a diagnostic.
    pub ocr_missing: Option<String>,
}

/// Opens, classifies and extracts one PDF with the layer the request names.
/// Panics are caught; every failure is an [`IngestError`] naming its cause.
pub(crate) fn read_text(bytes: &[u8], request: &Request) -> Result<Extracted, IngestError> {
    let mut diagnostics = Vec::new();
    let opened = catch_unwind(AssertUnwindSafe(|| open(bytes, request, &mut diagnostics)))
        .map_err(|payload| {
            IngestError::new(
                Code::ING004,
                format!(
                    "PDF 解析程序在读取文件结构时崩溃（{}）；文件结构可能异常，可请报送单位重新导出 PDF",
                    library_panic_cause(&*payload)
                ),
            )
        })??;
    match request.layer {
        Layer::Pdftext => with_pdftext(opened, diagnostics, bytes, request),
        Layer::PdfExtract => with_pdf_extract(bytes, opened, diagnostics),
    }
}

/// Reads every page with jixiao's own layer. A malformed object costs that
/// object: what could not be read is listed once per problem, with the
/// pages it touched, as a `text_layer_problem` diagnostic.
fn with_pdftext(
    opened: Opened,
    mut diagnostics: Vec<Diagnostic>,
    bytes: &[u8],
    request: &Request,
) -> Result<Extracted, IngestError> {
    let read = catch_unwind(AssertUnwindSafe(|| pdftext::extract_pages(&opened.doc)));
    let mut pages = match read {
        Ok(Ok(pages)) => pages,
        Ok(Err(pdftext::Error::OverLimit(why))) => {
            return Err(IngestError::new(
                Code::ING005,
                format!("文件内容超出上限：{why}，已停止读取；请向报送单位索取正常导出的文件"),
            ))
        }
        Ok(Err(e)) => {
            return Err(IngestError::new(
                Code::ING004,
                format!("文字层无法读取该文件（{e}）；可请报送单位重新导出 PDF"),
            ))
        }
        Err(payload) => {
            return Err(IngestError::new(
                Code::ING004,
                format!(
                    "文字层在读取页面时崩溃（{}）；文件结构可能异常，可请报送单位重新导出 PDF",
                    panic_message(&*payload)
                ),
            ))
        }
    };
    diagnostics.extend(problem_diagnostics(&pages));
    let shows: Vec<bool> = pages
        .iter()
        .map(|p| p.shows_graphics() || !p.problems.is_empty())
        .collect();
    // OCR may spend three quarters of the file's time left; the rest is
    // the analysis's.
    let until = request.time_left_ms.and_then(|ms| {
        std::time::Instant::now().checked_add(std::time::Duration::from_millis(ms * 3 / 4))
    });
    let (ocr, ocr_missing) = ocr_pages(
        &opened.doc,
        bytes,
        request.password.as_deref(),
        until,
        &mut pages,
        &mut diagnostics,
    )?;
    let limited = pages
        .iter()
        .find_map(|p| Some(format!("第 {} 页：{}", p.number, p.limited.as_ref()?)));
    let unreadable = pages
        .iter()
        .filter(|p| p.unreadable)
        .map(|p| p.number)
        .collect();
    let (pages, mut rows): (Vec<String>, Vec<Vec<RuledRow>>) =
        pages.into_iter().map(|p| (p.text, p.rows)).unzip();
    if rows.iter().all(Vec::is_empty) {
        rows.clear();
    }
    Ok(Extracted {
        pages,
        rows,
        layer: Layer::Pdftext,
        diagnostics,
        limited,
        unreadable,
        shows,
        ocr,
        ocr_missing,
    })
}

/// Whether a page needs OCR: it shows an image or drawn text, and gives
/// no text (or a page number's worth).
fn needs_ocr(page: &pdftext::PageText) -> bool {
    // The page's geometry first: a text page, the usual one, is not
    // gated a second time here (the gate reads every character).
    page.limited.is_none()
        && page.shows_graphics()
        && matches!(
            PageStats::of(&page.text).verdict(),
            Verdict::Empty | Verdict::TooLittle
        )
}

/// Reads the pages that need it by OCR (see [`ocr`]), putting their text in
/// place: the pages read, and, when OCR is not available, why and how to
/// install it. A page OCR fails on gets an `ocr_failed` diagnostic; pages
/// left unread when the file's time ran out make the file ING005 (a list
/// or a table missing its page would read as complete).
fn ocr_pages(
    doc: &lopdf::Document,
    bytes: &[u8],
    password: Option<&str>,
    until: Option<std::time::Instant>,
    pages: &mut [pdftext::PageText],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Vec<OcrPage>, Option<String>), IngestError> {
    let wanted: Vec<usize> = (0..pages.len()).filter(|&i| needs_ocr(&pages[i])).collect();
    if wanted.is_empty() {
        return Ok((Vec::new(), None));
    }
    let numbers: Vec<u32> = wanted.iter().map(|&i| pages[i].number).collect();
    let program = match ocr::engine() {
        Ok(program) => program,
        Err(why) => {
            return Ok((
                Vec::new(),
                Some(format!(
                    "第 {} 页是扫描图片（或以图形绘制的文字），{why}，未能 OCR；安装 OCR：{}",
                    page_list(&numbers),
                    ocr::INSTALL
                )),
            ))
        }
    };
    let recognized = {
        let refs: Vec<&pdftext::PageText> = wanted.iter().map(|&i| &pages[i]).collect();
        ocr::recognize(program, doc, bytes, password, until, &refs)
    };
    let mut read = Vec::new();
    // Pages OCR could not read, by reason: one diagnostic for each.
    let mut failed: Vec<(String, Vec<u32>)> = Vec::new();
    for (i, result) in wanted.into_iter().zip(recognized) {
        let page = &mut pages[i];
        match result {
            Ok(r) => {
                page.text = r.text.text;
                page.glyphs = r.text.glyphs;
                page.rows = r.text.rows;
                read.push(r.info);
            }
            Err(why) => match failed.iter_mut().find(|(w, _)| *w == why) {
                Some((_, on)) => on.push(page.number),
                None => failed.push((why, vec![page.number])),
            },
        }
    }
    if let Some((_, on)) = failed.iter().find(|(why, _)| why == ocr::TIME_UP) {
        return Err(IngestError::new(
            Code::ING005,
            format!(
                "处理超时：扫描件需要 OCR，在时限内识别了 {} 页，自第 {} 页起未能识别，未予检查（缺页时列表和合计无法核对）；可用 --timeout-secs 调高时限后单独重试",
                read.len(),
                on[0]
            ),
        ));
    }
    diagnostics.extend(failed.into_iter().map(|(why, on)| Diagnostic {
        kind: DiagnosticKind::OcrFailed,
        page: on.first().copied(),
        message: format!(
            "第 {} 页是扫描图片（或以图形绘制的文字），OCR 未能识别（{why}），内容未被检查",
            page_list(&on)
        ),
    }));
    Ok((read, None))
}

/// What the own layer could not read, once per problem with the pages it
/// touched.
fn problem_diagnostics(pages: &[pdftext::PageText]) -> Vec<Diagnostic> {
    let mut problems: Vec<(String, Vec<u32>)> = Vec::new();
    for page in pages {
        for p in &page.problems {
            match problems.iter_mut().find(|(q, _)| q == p) {
                Some((_, on)) => on.push(page.number),
                None => problems.push((p.clone(), vec![page.number])),
            }
        }
    }
    problems
        .into_iter()
        .map(|(problem, on)| Diagnostic {
            kind: DiagnosticKind::TextLayerProblem,
            page: on.first().copied(),
            message: format!(
                "第 {} 页：{problem}；相关文字可能缺失，可与原件核对",
                page_list(&on)
            ),
        })
        .collect()
}

/// Reads every page with pdf-extract, the fallback.
fn with_pdf_extract(
    bytes: &[u8],
    opened: Opened,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Extracted, IngestError> {
    let page_count = opened.page_count;
    inflation_check(&opened.doc)?;
    let doc = load_for_pdf_extract(bytes, opened)?;
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if page_numbers.len() != page_count {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::PageCountMismatch,
            page: None,
            message: format!(
                "两个 PDF 解析器读到的页数不同（{} 页与 {} 页），以文字提取程序为准；请与原件核对页数",
                page_count,
                page_numbers.len()
            ),
        });
    }
    let pages = page_numbers
        .into_iter()
        .map(|n| pdf_extract_page(&doc, n))
        .collect::<Result<Vec<String>, IngestError>>()?;
    Ok(Extracted {
        pages,
        rows: Vec::new(),
        layer: Layer::PdfExtract,
        diagnostics,
        ..Extracted::default()
    })
}

/// Refuses, before pdf-extract reads the file, a stream that inflates past
/// the limit the own layer keeps ([`MAX_STREAM`]; [`MAX_IMAGE`] for an
/// image) or streams other than images that inflate to more than
/// [`MAX_DOCUMENT_WORK`] together. pdf-extract decodes without a bound:
/// left to it, such a file ends at the time limit or at the memory limit,
/// whichever the machine's load makes come first, and its record would
/// change between runs. Images count too: pdf-extract's `Do` inflates
/// whatever XObject a page draws, an image as well as a form (a 2 KB image
/// of 800 MiB of zeros on a blank page took a worker to 900 MiB).
fn inflation_check(doc: &lopdf::Document) -> Result<(), IngestError> {
    let mut total = 0usize;
    for (id, object) in &doc.objects {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Filter").is_err() {
            continue;
        }
        let is_image =
            matches!(stream.dict.get(b"Subtype"), Ok(lopdf::Object::Name(n)) if n == b"Image");
        let limit = if is_image { MAX_IMAGE } else { MAX_STREAM };
        match stream.get_plain_content_with_limit(limit) {
            // A real scan's images are many and large: the document's
            // budget is for what is read as content.
            Ok(data) if !is_image => total = total.saturating_add(data.len()),
            Ok(_) => {}
            Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(IngestError::new(
                    Code::ING005,
                    format!(
                        "文件内容超出上限：对象 {} {} 的数据流解压后超过 {} MiB（可能是“解压炸弹”），已停止读取；请向报送单位索取正常导出的文件",
                        id.0,
                        id.1,
                        limit >> 20
                    ),
                ));
            }
            // pdf-extract meets the same broken stream and says so.
            Err(_) => {}
        }
        if total > MAX_DOCUMENT_WORK {
            return Err(IngestError::new(
                Code::ING005,
                format!(
                    "文件内容超出上限：数据流解压后累计超过 {} MiB（可能是恶意构造的文件），已停止读取；请向报送单位索取正常导出的文件",
                    MAX_DOCUMENT_WORK >> 20
                ),
            ));
        }
    }
    Ok(())
}

/// The largest image pdf-extract may inflate: more than any real scan
/// holds (an A4 page at 600 dpi in colour is 100 MiB).
pub(crate) const MAX_IMAGE: usize = 256 << 20;

/// The document as pdf-extract's older lopdf loads it.
fn load_for_pdf_extract(
    bytes: &[u8],
    mut opened: Opened,
) -> Result<pdf_extract::Document, IngestError> {
    // pdf-extract is built on an older lopdf (a distinct type): when lopdf
    // 0.47 decrypted or repaired the file, it gets the document saved again.
    let resaved = if opened.needs_resave {
        // The decrypted objects are in memory; drop the /Encrypt entry so
        // that the saved copy does not claim to be encrypted.
        opened.doc.trailer.remove(b"Encrypt");
        Some(resave_ref(&mut opened.doc)?)
    } else {
        None
    };
    let for_extractor: &[u8] = resaved.as_deref().unwrap_or(bytes);
    match pdf_extract::Document::load_mem(for_extractor) {
        Ok(doc) => Ok(doc),
        Err(_) => {
            // The older lopdf inside pdf-extract rejects some files that
            // lopdf 0.47 reads (newer syntax, repairable damage). The 0.47
            // document saved again is plain enough for it.
            let resaved = resave(opened.doc)?;
            pdf_extract::Document::load_mem(&resaved).map_err(|_| {
                IngestError::new(
                    Code::ING004,
                    "PDF 文字提取程序（pdf-extract）无法解析该文件的结构，重新保存后仍无法解析；可请报送单位重新导出 PDF"
                        .to_string(),
                )
            })
        }
    }
}

/// Page `n`'s text by pdf-extract, through our layout device; a failure or
/// a panic is the file's ING004.
fn pdf_extract_page(doc: &pdf_extract::Document, n: u32) -> Result<String, IngestError> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut layout = PageLayout::new();
        pdf_extract::output_doc_page(doc, &mut layout, n).map(|()| layout.finish())
    }));
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(IngestError::new(
            Code::ING004,
            format!(
                "第 {n} 页文字提取失败（{}）；文件结构可能异常，可请报送单位重新导出 PDF",
                describe_extract_error(&e)
            ),
        )),
        Err(payload) => Err(IngestError::new(
            Code::ING004,
            format!(
                "PDF 文字提取程序在第 {n} 页崩溃（pdf-extract 报告：{}；文件结构可能不规范），可请报送单位重新导出 PDF",
                library_panic_cause(&*payload)
            ),
        )),
    }
}

struct Opened {
    doc: lopdf::Document,
    page_count: usize,
    /// lopdf decrypted or repaired the file: the bytes on disk are not what
    /// it read.
    needs_resave: bool,
}

fn open(
    bytes: &[u8],
    request: &Request,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Opened, IngestError> {
    let truncated = !has_eof_marker(bytes);
    let options = || LoadOptions {
        password: request.password.clone(),
        max_decompressed_size: Some(request.max_decompressed),
        ..LoadOptions::default()
    };
    let load = |options: LoadOptions| {
        lopdf::Document::load_mem_with_options(bytes, options)
            .map_err(|e| load_error(bytes, &e, truncated, request))
    };
    let mut doc = load(options())?;
    if doc.xref_recovery.is_none() && stale_entries(bytes, &doc) > 0 {
        // The table was read, but some of its offsets lead elsewhere: lopdf
        // skipped those objects, and the pages that use them would come
        // out empty. Rebuild from the objects themselves.
        doc = load(LoadOptions {
            force_reconstruct: true,
            ..options()
        })?;
    }
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(encryption_error(&doc, request));
    }
    // Decrypted with a password, lopdf drops /Encrypt from the trailer;
    // decrypted with the empty one, it keeps it. Either way the bytes on
    // disk are encrypted and pdf-extract must get a decrypted copy.
    let encrypted = doc.encryption_state.is_some() || doc.trailer.has(b"Encrypt");
    let repaired = doc.xref_recovery.is_some();
    if repaired && truncated {
        // Lenient loading rebuilds the object table of a cut-off file from
        // whatever objects survive; pages past the cut would silently be
        // missing or empty, so a truncated file is refused outright.
        return Err(IngestError::new(
            Code::ING001,
            "文件已损坏或不完整：文件末尾缺少 %%EOF 结束标记且交叉引用表无法读取，\
             文件很可能在下载或复制时被截断，请重新获取完整文件"
                .to_string(),
        ));
    }
    if repaired {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::Repaired,
            page: None,
            message: "交叉引用表已损坏，已按对象重建后读取；\
                      文件可能在上传或编辑时受损，如发现内容缺失，请向报送单位索取原文件"
                .into(),
        });
    }
    let page_count = doc.get_pages().len();
    if page_count == 0 {
        return Err(IngestError::new(
            Code::ING001,
            "文件已损坏或不完整：PDF 中找不到任何页面，请重新获取文件".to_string(),
        ));
    }
    if page_count > request.max_pages {
        return Err(IngestError::new(
            Code::ING005,
            format!(
                "页数过多：共 {page_count} 页，超过上限 {} 页；如确需审核，可用 --max-pages 调高上限后单独重试",
                request.max_pages
            ),
        ));
    }
    Ok(Opened {
        doc,
        page_count,
        needs_resave: encrypted || repaired,
    })
}

/// How many in-use entries of the cross-reference table do not point at
/// `N G obj` for the object they name. Offsets count from the `%PDF-`
/// header, as lopdf reads them; whitespace before the object is allowed.
fn stale_entries(bytes: &[u8], doc: &lopdf::Document) -> usize {
    let base = find(bytes, b"%PDF-").unwrap_or(0);
    let buf = &bytes[base..];
    doc.reference_table
        .entries
        .iter()
        .filter(|(id, entry)| match entry {
            XrefEntry::Normal { offset, generation } => {
                !object_at(buf, *offset as usize, **id, *generation)
            }
            _ => false,
        })
        .count()
}

fn object_at(buf: &[u8], offset: usize, id: u32, generation: u16) -> bool {
    let Some(rest) = buf.get(offset..) else {
        return false;
    };
    let start = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let head = &rest[start..rest.len().min(start + 32)];
    let mut words = head
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let expected_id = id.to_string();
    let expected_gen = generation.to_string();
    words.next() == Some(expected_id.as_bytes())
        && words.next() == Some(expected_gen.as_bytes())
        && words.next().is_some_and(|w| w.starts_with(b"obj"))
}

fn resave(mut doc: lopdf::Document) -> Result<Vec<u8>, IngestError> {
    resave_ref(&mut doc)
}

fn resave_ref(doc: &mut lopdf::Document) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|_| {
        IngestError::new(
            Code::ING004,
            "PDF 解密或修复后无法重新保存；请向报送单位索取未加密、未损坏的文件".to_string(),
        )
    })?;
    Ok(out)
}

fn password_error(request: &Request) -> IngestError {
    let message = if request.password.is_some() {
        "PDF 设置了打开密码（用户密码），所给的密码（--password）无法打开该文件；\
         请核对密码，或向报送单位索取未加密的文件"
    } else {
        "PDF 设置了打开密码（用户密码），无法读取内容；\
         如知道密码，可用 --password 提供，否则请向报送单位索取未加密的文件"
    };
    IngestError::new(Code::ING002, message.to_string())
}

/// Why an encrypted file that lopdf loaded could not be decrypted: a user
/// password (ING002), an encryption jixiao cannot handle (ING002, said so),
/// or an `/Encrypt` dictionary that is not one (ING001: the file is
/// damaged or was tampered with, and no password would open it).
fn encryption_error(doc: &lopdf::Document, request: &Request) -> IngestError {
    // lopdf reads an encryption dictionary only through a reference.
    let (dict, direct) = match doc.trailer.get(b"Encrypt") {
        Ok(lopdf::Object::Reference(id)) => (doc.get_dictionary(*id).ok(), false),
        Ok(lopdf::Object::Dictionary(d)) => (Some(d), true),
        _ => (None, false),
    };
    let Some(dict) = dict else {
        return bad_encryption("加密字典不存在或不是字典");
    };
    let filter = dict
        .get(b"Filter")
        .ok()
        .map(|f| f.as_name().map(<[u8]>::to_vec));
    match filter {
        Some(Ok(name)) if name == b"Standard" && direct => {
            unsupported_encryption("直接写在文件尾（trailer）中的标准加密")
        }
        Some(Ok(name)) if name == b"Standard" => match doc.authenticate_password("") {
            Err(e) => decryption_error(&e, request),
            // The empty password opens it, yet lopdf did not decrypt it.
            Ok(()) => unsupported_encryption("标准加密（Standard）的这一版本"),
        },
        Some(Ok(name)) if CERTIFICATE_HANDLERS.contains(&name.as_slice()) => {
            unsupported_encryption(&format!(
                "证书或数字版权加密（/{}）",
                String::from_utf8_lossy(&name)
            ))
        }
        Some(Ok(name)) => bad_encryption(&format!(
            "加密方式 /{} 不是已知的 PDF 加密方式",
            String::from_utf8_lossy(&name)
        )),
        Some(Err(_)) => bad_encryption("加密方式（/Filter）不是名称"),
        None => bad_encryption("缺少加密方式（/Filter）"),
    }
}

/// Security handlers that exist but need more than a password: a
/// certificate, or a rights server.
const CERTIFICATE_HANDLERS: [&[u8]; 4] =
    [b"Adobe.PubSec", b"Adobe.APS", b"EBX_HANDLER", b"FOPN_foweb"];

/// A decryption failure, by what it says about the file: a password that
/// does not open it, an encryption lopdf does not implement, or an
/// encryption dictionary that is incomplete or invalid.
fn decryption_error(e: &lopdf::Error, request: &Request) -> IngestError {
    use lopdf::encryption::DecryptionError as D;
    match e {
        lopdf::Error::InvalidPassword
        | lopdf::Error::Decryption(D::IncorrectPassword | D::Padding | D::StringPrep(_)) => {
            password_error(request)
        }
        lopdf::Error::Decryption(
            D::UnsupportedEncryption | D::UnsupportedVersion | D::UnsupportedRevision,
        ) => unsupported_encryption("该版本的标准加密"),
        lopdf::Error::Decryption(d) => bad_encryption(decryption_cause(d)),
        lopdf::Error::DictKey(key) => bad_encryption(&format!("缺少必需的字段 /{key}")),
        _ => bad_encryption("加密信息不符合 PDF 规范"),
    }
}

fn decryption_cause(d: &lopdf::encryption::DecryptionError) -> &'static str {
    use lopdf::encryption::DecryptionError as D;
    match d {
        D::MissingEncryptDictionary => "找不到加密字典",
        D::MissingVersion => "缺少加密版本（/V）",
        D::MissingRevision => "缺少加密修订号（/R）",
        D::MissingOwnerPassword => "缺少所有者密码校验值（/O）",
        D::MissingUserPassword => "缺少用户密码校验值（/U）",
        D::MissingPermissions => "缺少权限字段（/P）",
        D::MissingFileID => "缺少文件标识（/ID）",
        D::InvalidVersion => "加密版本（/V）无效",
        D::InvalidRevision => "加密修订号（/R）无效",
        D::InvalidHashLength | D::InvalidKeyLength | D::InvalidPermissionLength => {
            "加密字段的长度无效"
        }
        _ => "加密信息无效",
    }
}

fn unsupported_encryption(what: &str) -> IngestError {
    IngestError::new(
        Code::ING002,
        format!("PDF 已加密，且使用{what}，本程序无法解密；请向报送单位索取未加密的文件"),
    )
}

fn bad_encryption(why: &str) -> IngestError {
    IngestError::new(
        Code::ING001,
        format!(
            "文件已损坏：加密信息（/Encrypt）无效（{why}），任何密码都无法据此打开；\
             请向报送单位索取未加密的正常文件"
        ),
    )
}

fn load_error(bytes: &[u8], e: &lopdf::Error, truncated: bool, request: &Request) -> IngestError {
    if matches!(
        e,
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)
    ) {
        return decryption_error(e, request);
    }
    if let lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { limit }) = e {
        return IngestError::new(
            Code::ING005,
            format!(
                "内存超出限制：PDF 中的一个对象流解压后超过 {} MiB（可能是“解压炸弹”或异常文件），已停止读取；请向报送单位索取正常导出的文件",
                limit / (1024 * 1024)
            ),
        );
    }
    if find(bytes, b"/Encrypt").is_some() && matches!(e, lopdf::Error::Unimplemented(_)) {
        return unsupported_encryption("本程序尚不支持的加密方式");
    }
    if let lopdf::Error::UnsupportedSecurityHandler(name) = e {
        return bad_encryption(&format!(
            "加密方式 /{} 不是已知的 PDF 加密方式",
            String::from_utf8_lossy(name)
        ));
    }
    let reason = lopdf_cause(e);
    let cause = if truncated {
        "文件末尾缺少 %%EOF 结束标记，很可能在下载或复制时被截断"
    } else {
        "文件结构无法解析"
    };
    IngestError::new(
        Code::ING001,
        format!("文件已损坏或不完整：{cause}（解析器报告：{reason}），请重新获取完整文件"),
    )
}

/// A well-formed PDF ends with `%%EOF`, possibly followed by a little
/// whitespace or junk; look in the last kilobyte as readers do.
fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    find(tail, b"%%EOF").is_some()
}

/// What a lopdf error says about the file, in Chinese: lopdf's own
/// messages are English.
fn lopdf_cause(e: &lopdf::Error) -> String {
    use lopdf::{Error as E, ParseError as P};
    match e {
        E::Parse(P::EndOfInput) => "文件在对象中间结束".to_string(),
        E::Parse(P::InvalidFileHeader) => "文件头无效".to_string(),
        E::Parse(P::InvalidTrailer) => "文件尾（trailer）无效".to_string(),
        E::Parse(P::InvalidXref) => "交叉引用表无效".to_string(),
        E::Parse(P::InvalidContentStream) => "内容流无效".to_string(),
        E::Xref(_) => "交叉引用表无法读取".to_string(),
        E::IndirectObject { offset } => format!("第 {offset} 字节处的对象无法解析"),
        E::InvalidOffset(offset) => format!("对象位置 {offset} 无效"),
        E::ObjectNotFound((n, g)) => format!("找不到对象 {n} {g}"),
        E::MissingXrefEntry => "交叉引用表缺少条目".to_string(),
        E::ObjectIdMismatch => "对象编号与交叉引用表不符".to_string(),
        E::ReferenceCycle(_) | E::ReferenceLimit | E::RecursionLimit => {
            "对象之间存在循环引用或嵌套过深".to_string()
        }
        E::DictKey(key) => format!("缺少必需的字段 /{key}"),
        E::ObjectType { .. } | E::DictType { .. } => "对象类型不符合 PDF 规范".to_string(),
        E::Decompress(_) => "数据流无法解压".to_string(),
        E::InvalidStream(_) => "数据流无效".to_string(),
        E::InvalidObjectStream(_) => "对象流无效".to_string(),
        E::IO(_) => "读取文件内容时出错".to_string(),
        E::Unimplemented(_) => "使用了解析器尚不支持的 PDF 特性".to_string(),
        _ => "文件结构不符合 PDF 规范".to_string(),
    }
}

/// A pdf-extract failure on a page, in Chinese (pdf-extract's messages
/// are English and name its internals).
fn describe_extract_error(e: &pdf_extract::OutputError) -> String {
    match e {
        pdf_extract::OutputError::PdfError(_) => "页面中的对象无法解析".to_string(),
        pdf_extract::OutputError::FormatError(_) | pdf_extract::OutputError::IoError(_) => {
            "输出文字时出错".to_string()
        }
    }
}

/// What a panic of a library (lopdf, pdf-extract) says about the file, in
/// Chinese. Their messages are English and name their internals ("index
/// out of bounds: the len is 51 but the index is 51", "called
/// `Result::unwrap()` on an `Err` value: …"), which tell a reviewer
/// nothing and are not for a record. (A panic of jixiao's own code keeps
/// its message: it is a bug to report.)
pub(crate) fn library_panic_cause(payload: &(dyn std::any::Any + Send)) -> &'static str {
    /// Words of the libraries' messages, most specific first, and what
    /// they mean.
    const CAUSES: [(&str, &str); 12] = [
        ("ObjectNotFound", "引用的对象不存在"),
        ("missing object", "引用的对象不存在"),
        ("MediaBox", "页面缺少页面尺寸（MediaBox）"),
        ("unsupported encoding", "字体使用了它不支持的编码"),
        ("unsupported cmap", "字体使用了它不支持的编码"),
        ("bfchar", "字体的 ToUnicode 映射格式错误"),
        ("bfrange", "字体的 ToUnicode 映射格式错误"),
        ("InvalidContentStream", "页面内容无法解析"),
        ("operands", "页面内容中的操作数不符合规范"),
        ("failed to parse", "对象无法解析"),
        ("index out of bounds", "数据不完整，读取越界"),
        ("type", "对象类型不符合 PDF 规范"),
    ];
    let message = panic_message(payload);
    CAUSES
        .iter()
        .find(|(words, _)| message.contains(words))
        .map_or("内部错误", |(_, cause)| cause)
}

/// The message a panic was raised with.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "未知原因".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_panic_is_told_in_chinese_without_its_english() {
        // Messages pdf-extract 0.12 panicked with on damaged fixtures.
        let said = [
            (
                "index out of bounds: the len is 51 but the index is 51",
                "越界",
            ),
            (
                "called `Result::unwrap()` on an `Err` value: Parse(InvalidContentStream)",
                "无法解析",
            ),
            ("assertion failed: operation.operands.len() == 2", "操作数"),
            ("missing object reference: ObjectNotFound((5, 0))", "不存在"),
            ("MediaBox", "MediaBox"),
            ("unsupported encoding UniGB-UCS2-H", "编码"),
            ("something new", "内部错误"),
        ];
        for (message, words) in said {
            let payload: Box<dyn std::any::Any + Send> = Box::new(message.to_string());
            let cause = library_panic_cause(&*payload);
            assert!(cause.contains(words), "{message}: {cause}");
            assert!(cause.chars().any(crate::text::is_han), "{cause}");
            assert!(!cause.contains(message) || message == "MediaBox", "{cause}");
        }
        let payload: Box<dyn std::any::Any + Send> = Box::new("should be CID dict");
        assert_eq!(library_panic_cause(&*payload), "内部错误");
    }
}
