//! Opening a PDF and extracting its text, in the current process.
//!
//! [`extract`] is what the worker runs; it is also called directly when no
//! worker is configured. It opens the file with lopdf 0.47 to classify it
//! (corrupt, truncated, password-protected, no pages) and to decrypt
//! owner-password-only files, then hands the bytes to pdf-extract, page by
//! page, through our own output device ([`PageLayout`]) that keeps
//! indentation. pdf-extract is built on an older lopdf (0.42, a distinct type), so
//! when lopdf 0.47 had to decrypt or repair the file, the repaired document
//! is saved to bytes again and those bytes are what pdf-extract reads.
//!
//! Panics inside one page are caught here and become ING004; what cannot be
//! caught (a stack overflow, an abort) is the worker process's job.

use super::layout::PageLayout;
use super::sniff::find;
use super::{IngestError, WireDiagnostic};
use crate::rules::Code;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The raw text of every page, and what was noticed on the way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub pages: Vec<String>,
    pub diagnostics: Vec<WireDiagnostic>,
}

/// Opens, classifies and extracts one PDF. Panics in pdf-extract are caught
/// per page; every failure is an [`IngestError`] naming its cause.
pub fn extract(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let mut diagnostics = Vec::new();
    let opened =
        catch_unwind(AssertUnwindSafe(|| open(bytes, &mut diagnostics))).map_err(|payload| {
            IngestError::new(
                Code::ING004,
                format!(
                    "PDF 解析程序在读取文件结构时崩溃（{}）",
                    panic_message(&*payload)
                ),
            )
        })??;
    let for_extractor: &[u8] = opened.resaved.as_deref().unwrap_or(bytes);
    let doc = match pdf_extract::Document::load_mem(for_extractor) {
        Ok(doc) => doc,
        Err(first) => {
            // The older lopdf inside pdf-extract rejects some files that
            // lopdf 0.47 reads (newer syntax, repairable damage). The 0.47
            // document saved again is plain enough for it.
            let resaved = resave(opened.doc)?;
            pdf_extract::Document::load_mem(&resaved).map_err(|second| {
                IngestError::new(
                    Code::ING004,
                    format!(
                        "PDF 文字提取程序无法读取该文件（{first}；重新保存后仍失败：{second}）"
                    ),
                )
            })?
        }
    };
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if page_numbers.len() != opened.page_count {
        diagnostics.push(WireDiagnostic {
            kind: "page_count_mismatch".into(),
            page: None,
            message: format!(
                "两个 PDF 解析器读到的页数不同（{} 页与 {} 页），以文字提取程序为准",
                opened.page_count,
                page_numbers.len()
            ),
        });
    }
    let mut pages = Vec::with_capacity(page_numbers.len());
    for n in page_numbers {
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut layout = PageLayout::new();
            pdf_extract::output_doc_page(&doc, &mut layout, n).map(|()| layout.finish())
        }));
        match result {
            Ok(Ok(text)) => pages.push(text),
            Ok(Err(e)) => {
                return Err(IngestError::new(
                    Code::ING004,
                    format!("第 {n} 页文字提取失败（{}）", describe_extract_error(&e)),
                ))
            }
            Err(payload) => {
                return Err(IngestError::new(
                    Code::ING004,
                    format!(
                        "PDF 文字提取程序在第 {n} 页崩溃（pdf-extract 内部错误：{}；文件结构可能不规范）",
                        panic_message(&*payload)
                    ),
                ))
            }
        }
    }
    Ok(Extracted { pages, diagnostics })
}

struct Opened {
    doc: lopdf::Document,
    page_count: usize,
    /// The document saved again after lopdf decrypted or repaired it.
    resaved: Option<Vec<u8>>,
}

fn open(bytes: &[u8], diagnostics: &mut Vec<WireDiagnostic>) -> Result<Opened, IngestError> {
    let truncated = !has_eof_marker(bytes);
    let mut doc = match lopdf::Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => return Err(load_error(bytes, &e, truncated)),
    };
    let encrypted = doc.trailer.has(b"Encrypt");
    if encrypted && doc.encryption_state.is_none() {
        return Err(password_error());
    }
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
        diagnostics.push(WireDiagnostic {
            kind: "repaired_pdf".into(),
            page: None,
            message:
                "PDF 的交叉引用表有误，已按文件内容重建后读取；如有页面内容缺失，请重新获取原文件"
                    .into(),
        });
    }
    let page_count = doc.get_pages().len();
    if page_count == 0 {
        return Err(IngestError::new(
            Code::ING001,
            "文件已损坏或不完整：PDF 中找不到任何页面".to_string(),
        ));
    }
    let resaved = if encrypted || repaired {
        // The decrypted objects are in memory; drop the /Encrypt entry so
        // that the saved copy does not claim to be encrypted.
        doc.trailer.remove(b"Encrypt");
        Some(resave_ref(&mut doc)?)
    } else {
        None
    };
    Ok(Opened {
        doc,
        page_count,
        resaved,
    })
}

fn resave(mut doc: lopdf::Document) -> Result<Vec<u8>, IngestError> {
    resave_ref(&mut doc)
}

fn resave_ref(doc: &mut lopdf::Document) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| {
        IngestError::new(
            Code::ING004,
            format!("PDF 解密或修复后无法重新保存（{}）", error_chain(&e)),
        )
    })?;
    Ok(out)
}

fn password_error() -> IngestError {
    IngestError::new(
        Code::ING002,
        "PDF 设置了打开密码（用户密码），无法读取内容；请向报送单位索取未加密的文件".to_string(),
    )
}

fn load_error(bytes: &[u8], e: &lopdf::Error, truncated: bool) -> IngestError {
    let reason = error_chain(e);
    let password_problem = matches!(
        e,
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)
    );
    if password_problem {
        return password_error();
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
