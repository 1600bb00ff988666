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
use super::protocol::{Layer, Request};
use super::quality::page_list;
use super::sniff::find;
use super::IngestError;
use crate::model::Diagnostic;
use crate::model::{Code, DiagnosticKind};
use crate::pdftext::{self, RuledRow};
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
                    panic_message(&*payload)
                ),
            )
        })??;
    match request.layer {
        Layer::Pdftext => with_pdftext(opened, diagnostics),
        Layer::PdfExtract => with_pdf_extract(bytes, opened, diagnostics),
    }
}

/// Reads every page with jixiao's own layer. A malformed object costs that
/// object: what could not be read is listed once per problem, with the
/// pages it touched, as a `text_layer_problem` diagnostic.
fn with_pdftext(
    opened: Opened,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Extracted, IngestError> {
    let read = catch_unwind(AssertUnwindSafe(|| pdftext::extract_pages(&opened.doc)));
    let pages = match read {
        Ok(Ok(pages)) => pages,
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
    })
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
    })
}

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
        Err(first) => {
            // The older lopdf inside pdf-extract rejects some files that
            // lopdf 0.47 reads (newer syntax, repairable damage). The 0.47
            // document saved again is plain enough for it.
            let resaved = resave(opened.doc)?;
            pdf_extract::Document::load_mem(&resaved).map_err(|second| {
                IngestError::new(
                    Code::ING004,
                    format!(
                        "PDF 文字提取程序无法读取该文件（{first}；重新保存后仍失败：{second}）；可请报送单位重新导出 PDF"
                    ),
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
                "PDF 文字提取程序在第 {n} 页崩溃（pdf-extract 内部错误：{}；文件结构可能不规范），可请报送单位重新导出 PDF",
                panic_message(&*payload)
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
        return Err(password_error(request));
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
    doc.save_to(&mut out).map_err(|e| {
        IngestError::new(
            Code::ING004,
            format!(
                "PDF 解密或修复后无法重新保存（{}）；请向报送单位索取未加密、未损坏的文件",
                error_chain(&e)
            ),
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

fn load_error(bytes: &[u8], e: &lopdf::Error, truncated: bool, request: &Request) -> IngestError {
    let reason = error_chain(e);
    let password_problem = matches!(
        e,
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)
    );
    if password_problem {
        return password_error(request);
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
        return IngestError::new(
            Code::ING002,
            format!("PDF 已加密，且加密方式无法处理（{reason}）；请向报送单位索取未加密的文件"),
        );
    }
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

fn describe_extract_error(e: &pdf_extract::OutputError) -> String {
    match e {
        pdf_extract::OutputError::PdfError(inner) => error_chain(inner),
        other => format!("{other:?}"),
    }
}

/// The error and its sources, joined: lopdf's top-level messages ("couldn't
/// parse input") say little without the cause below them.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
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
