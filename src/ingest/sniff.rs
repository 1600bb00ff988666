//! What a file's first bytes say it is, before any parser touches it.
//!
//! Reviewers receive files saved from e-mail and web portals, and the
//! common failures are not PDFs at all: the portal's HTML error page saved
//! as `.pdf`, a scanned page saved as an image, or the Word document the PDF
//! was meant to be made from. Naming what the file really is tells the
//! reviewer what to ask the submitting unit for.

/// How far into the file the `%PDF-` header may start. Readers tolerate
/// junk before the header (PDF 1.7 Annex H allows 1024 bytes).
pub const HEADER_WINDOW: usize = 1024;

/// What the first bytes of a file look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Empty,
    Pdf,
    Html,
    Png,
    Jpeg,
    Gif,
    Tiff,
    /// A ZIP container: a .docx/.xlsx/.ofd or a plain archive.
    Zip,
    /// An OLE2 compound file: a legacy .doc/.xls/.wps.
    Ole,
    Rar,
    SevenZip,
    Rtf,
    /// Readable text that is not HTML.
    Text,
    Unknown,
}

impl Kind {
    /// Chinese, for the reviewer: what the file is instead of a PDF.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Empty => "文件为空（0 字节）",
            Kind::Pdf => "PDF 文件",
            Kind::Html => "HTML 网页（可能是下载失败时保存下来的网页或错误页面）",
            Kind::Png => "PNG 图片",
            Kind::Jpeg => "JPEG 图片",
            Kind::Gif => "GIF 图片",
            Kind::Tiff => "TIFF 图片（常见于扫描件）",
            Kind::Zip => "ZIP 压缩包或 Office 文档（如 .docx/.xlsx/.ofd）",
            Kind::Ole => "旧版 Office 文档（如 .doc/.xls/.wps）",
            Kind::Rar => "RAR 压缩包",
            Kind::SevenZip => "7z 压缩包",
            Kind::Rtf => "RTF 文档",
            Kind::Text => "纯文本",
            Kind::Unknown => "无法识别的格式",
        }
    }
}

/// Classifies a file by its leading bytes.
pub fn sniff(bytes: &[u8]) -> Kind {
    if bytes.is_empty() {
        return Kind::Empty;
    }
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if find(head, b"%PDF-").is_some() {
        return Kind::Pdf;
    }
    const MAGIC: &[(&[u8], Kind)] = &[
        (b"\x89PNG\r\n\x1a\n", Kind::Png),
        (b"\xff\xd8\xff", Kind::Jpeg),
        (b"GIF87a", Kind::Gif),
        (b"GIF89a", Kind::Gif),
        (b"II*\0", Kind::Tiff),
        (b"MM\0*", Kind::Tiff),
        (b"PK\x03\x04", Kind::Zip),
        (b"PK\x05\x06", Kind::Zip),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Kind::Ole),
        (b"Rar!\x1a\x07", Kind::Rar),
        (b"7z\xbc\xaf\x27\x1c", Kind::SevenZip),
        (b"{\\rtf", Kind::Rtf),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return *kind;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let text_start = skip_bom_and_space(&lower);
    if [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<?xml",
        b"<body",
    ]
    .iter()
    .any(|m| text_start.starts_with(m))
        || find(&lower, b"<html").is_some()
    {
        return Kind::Html;
    }
    if looks_like_text(head) {
        return Kind::Text;
    }
    Kind::Unknown
}

fn skip_bom_and_space(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

/// Text if it decodes as UTF-8 (allowing a character cut at the window's
/// end) and has no control bytes other than whitespace.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        // A multi-byte character cut by the window is still text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !valid.is_empty()
        && valid
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0c'))
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_header_may_follow_junk_within_the_window() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Kind::Pdf);
        let mut late = vec![b' '; 1000];
        late.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&late), Kind::Pdf);
        let mut too_late = vec![b' '; 1020];
        too_late.extend_from_slice(b"%PDF-1.4");
        assert_ne!(sniff(&too_late), Kind::Pdf);
    }

    #[test]
    fn common_impostors_are_named() {
        assert_eq!(sniff(b""), Kind::Empty);
        assert_eq!(
            sniff(b"\xef\xbb\xbf  <!DOCTYPE HTML>\n<html><body>404</body></html>"),
            Kind::Html
        );
        assert_eq!(sniff(b"\n<html lang=\"zh\">"), Kind::Html);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Kind::Png);
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), Kind::Jpeg);
        assert_eq!(sniff(b"PK\x03\x04\x14\0\x06\0"), Kind::Zip);
        assert_eq!(sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0"), Kind::Ole);
        assert_eq!(sniff("部门整体支出绩效自评报告".as_bytes()), Kind::Text);
        assert_eq!(sniff(b"\x00\x01\x02\x03garbage"), Kind::Unknown);
    }

    #[test]
    fn text_cut_inside_a_character_at_the_window_is_still_text() {
        let text = "绩".repeat(400); // 1200 bytes: the window cuts a character
        assert_eq!(sniff(text.as_bytes()), Kind::Text);
    }

    #[test]
    fn every_kind_has_a_chinese_description() {
        for k in [Kind::Html, Kind::Png, Kind::Zip, Kind::Unknown] {
            assert!(k
                .describe()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
    }
}
