//! The pipe protocol between the batch and its extraction workers.
//!
//! A worker (`jixiao worker`) serves many files, one at a time, over its
//! stdin and stdout. Every message is a *frame*: an 8-byte little-endian
//! length, then that many bytes. The parent writes a request as two frames
//! — a JSON [`Request`] (the [`Task`], limits and password), then the body
//! (the file's bytes, or for [`Task::Analyze`] the JSON of the pages) — and
//! the worker answers with one frame holding a JSON [`Response`]. The worker
//! exits when its stdin ends at a frame boundary.
//!
//! A task that audits a file ([`Task::AuditPdf`], [`Task::AuditText`],
//! [`Task::Analyze`]) is answered with [`Response::audited`]: the pages'
//! count, layer and diagnostics, and the analysis as the worker's analysis
//! function wrote it. [`Task::AuditPdf`] answers with the own layer's pages
//! instead when they need pdf-extract: the parent then asks for that
//! reading and for the analysis of the text it keeps, each in a request of
//! its own.
//!
//! Lengths are read before their payload, so a reader bounds them first: a
//! corrupt or hostile length must not become a huge allocation.

use super::pdf::Extracted;
use super::{Audited, IngestError, Pages};
use crate::model::Code;
use crate::model::{Diagnostic, OcrPage};
use crate::pdftext::RuledRow;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// What the worker needs to know about one file besides its bytes.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The user password to try when the empty one does not open the file.
    #[serde(default)]
    pub password: Option<String>,
    /// More pages than this: ING005.
    pub max_pages: usize,
    /// Bound on one stream's decompressed size while the file's structure
    /// is loaded (object and cross-reference streams).
    pub max_decompressed: usize,
    /// Which text layer to read the pages with.
    #[serde(default)]
    pub layer: Layer,
    /// What to do with the body.
    #[serde(default)]
    pub task: Task,
    /// The file's time left when the request is sent, in milliseconds
    /// (set by the pool): OCR, the one stage whose time grows with a scan's
    /// pages, stops starting pages when its share of it is spent.
    #[serde(default)]
    pub time_left_ms: Option<u64>,
}

/// What a request asks of the worker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// Read the PDF's text with the request's layer; answer with the pages.
    #[default]
    Extract,
    /// Read the PDF with the request's layer and, when that text needs no
    /// second reading, analyse it; answer with the analysis, or with the
    /// pages when pdf-extract must read the file too.
    AuditPdf,
    /// Read the body as a `.txt` report and analyse it.
    AuditText,
    /// Analyse the pages the body holds ([`WirePages`], JSON).
    Analyze,
}

/// The text layers a worker can read a PDF with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// jixiao's own layer on lopdf (`crate::pdftext`).
    #[default]
    Pdftext,
    /// pdf-extract, the fallback.
    PdfExtract,
}

impl Layer {
    /// The name recorded in `source.text_layer`.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Pdftext => "pdftext",
            Layer::PdfExtract => "pdf-extract",
        }
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("max_pages", &self.max_pages)
            .field("max_decompressed", &self.max_decompressed)
            .field("layer", &self.layer)
            .field("task", &self.task)
            .field("time_left_ms", &self.time_left_ms)
            .finish()
    }
}

/// One file's result: pages and diagnostics, or an error with its code.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<String>>,
    /// Per page, the lines that are rows of ruled tables, with their cells.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Vec<RuledRow>>,
    #[serde(default)]
    pub layer: Layer,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<WireError>,
    /// See [`Extracted::limited`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limited: Option<String>,
    /// See [`Extracted::unreadable`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<u32>,
    /// See [`Extracted::shows`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shows: Vec<bool>,
    /// See [`Extracted::ocr`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr: Vec<OcrPage>,
    /// See [`Extracted::ocr_missing`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_missing: Option<String>,
    /// The audit of the file, for the tasks that audit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audited: Option<WireAudited>,
}

/// What a response holds: an audit, or a reading of the text (or why
/// there is none).
pub enum Answer {
    Audited(Audited),
    Read(Result<Extracted, IngestError>),
}

/// A file's pages, as [`Task::Analyze`] sends them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct WirePages {
    pub pages: Vec<String>,
    pub text_layer: String,
    #[serde(default)]
    pub rows: Vec<Vec<RuledRow>>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr: Vec<OcrPage>,
}

impl From<Pages> for WirePages {
    fn from(p: Pages) -> WirePages {
        WirePages {
            pages: p.pages,
            text_layer: p.text_layer,
            rows: p.rows,
            diagnostics: p.diagnostics,
            ocr: p.ocr,
        }
    }
}

impl From<WirePages> for Pages {
    fn from(p: WirePages) -> Pages {
        Pages {
            pages: p.pages,
            text_layer: p.text_layer,
            rows: p.rows,
            diagnostics: p.diagnostics,
            ocr: p.ocr,
        }
    }
}

/// A file's audit: see [`Audited`].
#[derive(Debug, Serialize, Deserialize)]
pub struct WireAudited {
    pub pages: usize,
    pub text_layer: String,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr: Vec<OcrPage>,
    /// The analysis function's output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<String>,
    /// Why the analysis function panicked, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panic: Option<String>,
}

impl From<Audited> for WireAudited {
    fn from(a: Audited) -> WireAudited {
        let (analysis, panic) = match a.analysis {
            Ok(json) => (Some(json), None),
            Err(why) => (None, Some(why)),
        };
        WireAudited {
            pages: a.pages,
            text_layer: a.text_layer,
            diagnostics: a.diagnostics,
            ocr: a.ocr,
            analysis,
            panic,
        }
    }
}

impl From<WireAudited> for Audited {
    fn from(a: WireAudited) -> Audited {
        Audited {
            pages: a.pages,
            text_layer: a.text_layer,
            diagnostics: a.diagnostics,
            ocr: a.ocr,
            analysis: match (a.analysis, a.panic) {
                (Some(json), _) => Ok(json),
                (None, why) => Err(why.unwrap_or_else(|| "未知原因".to_string())),
            },
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WireError {
    pub code: String,
    pub message: String,
}

impl Response {
    pub fn from_result(result: Result<Extracted, IngestError>) -> Response {
        match result {
            Ok(extracted) => Response {
                pages: Some(extracted.pages),
                rows: extracted.rows,
                layer: extracted.layer,
                diagnostics: extracted.diagnostics,
                limited: extracted.limited,
                unreadable: extracted.unreadable,
                shows: extracted.shows,
                ocr: extracted.ocr,
                ocr_missing: extracted.ocr_missing,
                ..Response::default()
            },
            Err(e) => Response::from_error(e),
        }
    }

    pub fn from_error(e: IngestError) -> Response {
        Response {
            error: Some(WireError {
                code: e.code.to_string(),
                message: e.message,
            }),
            ..Response::default()
        }
    }

    pub fn from_audit(result: Result<Audited, IngestError>) -> Response {
        match result {
            Ok(audited) => Response {
                audited: Some(audited.into()),
                ..Response::default()
            },
            Err(e) => Response::from_error(e),
        }
    }

    /// The audit, when the worker made one; otherwise the response as a
    /// reading of the text.
    pub fn into_answer(mut self) -> Answer {
        match self.audited.take() {
            Some(audited) if self.error.is_none() => Answer::Audited(audited.into()),
            _ => Answer::Read(self.into_result()),
        }
    }

    pub fn into_result(self) -> Result<Extracted, IngestError> {
        if let Some(e) = self.error {
            let code = Code::parse(&e.code).unwrap_or(Code::ING004);
            return Err(IngestError::new(code, e.message));
        }
        match self.pages {
            Some(pages) => Ok(Extracted {
                pages,
                rows: self.rows,
                layer: self.layer,
                diagnostics: self.diagnostics,
                limited: self.limited,
                unreadable: self.unreadable,
                shows: self.shows,
                ocr: self.ocr,
                ocr_missing: self.ocr_missing,
            }),
            None => Err(IngestError::new(
                Code::ING004,
                "PDF 文字提取进程的应答中既没有文字也没有错误，无法判断结果；请重试，如仍失败请将此文件反馈给开发者"
                    .to_string(),
            )),
        }
    }
}

/// Writes one frame.
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    w.write_all(&(payload.len() as u64).to_le_bytes())?;
    w.write_all(payload)
}

/// Reads one frame of at most `max` bytes. `Ok(None)` when the stream ends
/// cleanly before a frame starts; an end inside a frame, or a length over
/// `max`, is an error.
pub fn read_frame(r: &mut impl Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    let mut got = 0;
    while got < len.len() {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("frame of {len} bytes, over the {max}-byte limit"),
        ));
    }
    let mut payload = Vec::new();
    r.take(len).read_to_end(&mut payload)?;
    if payload.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_end_cleanly() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"abc").unwrap();
        write_frame(&mut buf, b"").unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r, 10).unwrap().unwrap(), b"abc");
        assert_eq!(read_frame(&mut r, 10).unwrap().unwrap(), b"");
        assert!(read_frame(&mut r, 10).unwrap().is_none());
    }

    #[test]
    fn a_cut_or_oversized_frame_is_an_error() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"abcdef").unwrap();
        assert!(read_frame(&mut &buf[..10], 100).is_err());
        assert!(read_frame(&mut &buf[..3], 100).is_err());
        let e = read_frame(&mut &buf[..], 5).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn responses_carry_their_code() {
        let r = Response::from_result(Err(IngestError::new(Code::ING002, "需要密码".into())));
        let json = serde_json::to_vec(&r).unwrap();
        let back: Response = serde_json::from_slice(&json).unwrap();
        let e = back.into_result().unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (Code::ING002, "需要密码"));
    }

    #[test]
    fn ruled_rows_travel_with_their_pages() {
        let rows = vec![
            vec![],
            vec![RuledRow {
                line: 3,
                cells: vec![0..12, 14..21],
            }],
        ];
        let r = Response::from_result(Ok(Extracted {
            pages: vec!["甲".into(), "乙".into()],
            rows: rows.clone(),
            ..Extracted::default()
        }));
        let json = serde_json::to_vec(&r).unwrap();
        let back: Response = serde_json::from_slice(&json).unwrap();
        assert_eq!(back.into_result().unwrap().rows, rows);
        // Without rows, the answer is the same as before they existed.
        let r = Response::from_result(Ok(Extracted::default()));
        let json = String::from_utf8(serde_json::to_vec(&r).unwrap()).unwrap();
        assert!(!json.contains("rows"), "{json}");
    }

    #[test]
    fn the_password_is_not_in_debug_output() {
        let r = Request {
            password: Some("secret".into()),
            ..Request::default()
        };
        assert!(!format!("{r:?}").contains("secret"));
    }
}
