//! Discovery: which files a batch audits, from the paths given on the
//! command line, and how a path is written in a record.

use std::cmp::Ordering;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// A path given to [`discover`] that cannot be used: bad usage, not a
/// per-file failure (a per-file failure is a failed record).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{}：路径不存在", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}：无法读取（{source}）", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl DiscoverError {
    /// The path that could not be used.
    pub fn path(&self) -> &Path {
        match self {
            DiscoverError::NotFound { path } | DiscoverError::Io { path, .. } => path,
        }
    }
}

/// Expands the paths given on the command line into the files to audit.
///
/// - A file given directly is taken whatever its name: a report renamed to
///   `.doc` must still get a record (ingestion says what it really is).
/// - A folder is walked recursively for `.pdf` and `.txt` files (any case),
///   skipping hidden entries (names starting with `.`). Symbolic links to
///   files are followed; links to folders are not, so a link cycle cannot
///   loop.
/// - A path that does not exist is an error.
///
/// Paths keep the form they were given in (never absolutized), and the
/// result is sorted by path component by component and deduplicated.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                DiscoverError::NotFound { path: path.clone() }
            } else {
                DiscoverError::Io {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DiscoverError::Io { path, source }
    };
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type().map_err(io_err(&path))?;
        if file_type.is_dir() {
            walk(&path, files)?;
        } else if is_report_name(&path) {
            // A symbolic link counts when it leads to a regular file; a
            // dangling link or one to a folder is skipped.
            let is_file = file_type.is_file()
                || (file_type.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_file()));
            if is_file {
                files.push(path);
            }
        }
    }
    Ok(())
}

fn is_report_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf") || e.eq_ignore_ascii_case("txt"))
}

/// A path as a record writes it (`source.path`): its text as given, with
/// the bytes that are not UTF-8 written `\xNN` (two lower-case hex digits)
/// and a backslash written `\\`, so that the form is lossless — two
/// different paths never give the same string — and a path in UTF-8
/// without a backslash is written exactly as it is.
pub fn path_string(path: &Path) -> String {
    let bytes = path.as_os_str().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// The path a [`path_string`] was made from.
pub fn path_from_string(s: &str) -> PathBuf {
    let mut bytes = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail) {
            (b'\\', [b'\\', tail @ ..]) => {
                bytes.push(b'\\');
                rest = tail;
            }
            (b'\\', [b'x', hi, lo, tail @ ..]) if hex_byte(*hi, *lo).is_some() => {
                bytes.extend(hex_byte(*hi, *lo));
                rest = tail;
            }
            // Not an escape (a string made some other way): kept as is.
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    PathBuf::from(OsStr::from_bytes(&bytes))
}

fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let digit = |d: u8| (d as char).to_digit(16);
    Some((digit(hi)? * 16 + digit(lo)?) as u8)
}

/// The order of two record paths ([`path_string`]s): the order of the
/// paths they were made from, component by component and by their bytes,
/// as [`discover`] sorts files.
pub fn path_order(a: &str, b: &str) -> Ordering {
    path_from_string(a)
        .cmp(&path_from_string(b))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::Scratch;

    fn names(files: &[PathBuf], root: &Path) -> Vec<String> {
        files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn discover_walks_folders_for_pdf_and_txt_skipping_hidden_entries() {
        let s = Scratch::new("batch-walk");
        s.file("b.pdf", b"");
        s.file("a.PDF", b"");
        s.file("sub/c.txt", b"");
        s.file("sub/deeper/d.Txt", b"");
        s.file("notes.docx", b"");
        s.file(".hidden.pdf", b"");
        s.file(".git/e.pdf", b"");
        let files = discover(std::slice::from_ref(&s.0)).unwrap();
        assert_eq!(
            names(&files, &s.0),
            ["a.PDF", "b.pdf", "sub/c.txt", "sub/deeper/d.Txt"]
        );
    }

    #[test]
    fn discover_takes_a_file_given_directly_whatever_its_name_and_dedups() {
        let s = Scratch::new("batch-direct");
        let doc = s.file("renamed.doc", b"");
        let pdf = s.file("x.pdf", b"");
        let files = discover(&[doc.clone(), s.0.clone(), pdf.clone()]).unwrap();
        assert_eq!(files, vec![doc, pdf]);
    }

    #[test]
    fn discover_keeps_relative_paths_relative() {
        // The crate root is the working directory of unit tests.
        let files = discover(&[PathBuf::from("src/batch.rs")]).unwrap();
        assert_eq!(files, vec![PathBuf::from("src/batch.rs")]);
    }

    #[test]
    fn discover_refuses_a_missing_path() {
        let missing = PathBuf::from("no/such/folder");
        let err = discover(std::slice::from_ref(&missing)).unwrap_err();
        assert!(matches!(err, DiscoverError::NotFound { .. }));
        assert_eq!(err.path(), missing);
        assert_eq!(err.to_string(), "no/such/folder：路径不存在");
    }

    fn raw(bytes: &[u8]) -> PathBuf {
        PathBuf::from(OsStr::from_bytes(bytes))
    }

    #[test]
    fn a_utf8_path_without_a_backslash_is_written_as_it_is() {
        for path in ["corpus/a.pdf", "报告/2023年 绩效.pdf", "=cmd|' /x.pdf"] {
            assert_eq!(path_string(Path::new(path)), path);
        }
    }

    #[test]
    fn invalid_bytes_and_backslashes_are_escaped_so_no_two_paths_meet() {
        let cases: [(&[u8], &str); 6] = [
            (b"in/dup\xff.pdf", r"in/dup\xff.pdf"),
            (b"in/dup\xfe.pdf", r"in/dup\xfe.pdf"),
            (br"in/dup\xff.pdf", r"in/dup\\xff.pdf"),
            (br"in/dup\\xff.pdf", r"in/dup\\\\xff.pdf"),
            // A truncated sequence, then a valid one.
            (b"in/\xe6\x8a\xe6\x8a\xa5.pdf", r"in/\xe6\x8a报.pdf"),
            (b"in/\\\xff", r"in/\\\xff"),
        ];
        let mut seen = std::collections::HashSet::new();
        for (bytes, written) in cases {
            assert_eq!(path_string(&raw(bytes)), written, "{bytes:?}");
            assert_eq!(path_from_string(written), raw(bytes), "{written}");
            assert!(seen.insert(written), "{written}");
        }
    }

    #[test]
    fn path_order_is_the_order_of_the_bytes_component_by_component() {
        let paths: [&[u8]; 5] = [
            b"in/a/z.pdf",
            b"in/a\\b.pdf",
            b"in/ab.pdf",
            b"in/\xc3\xa9.pdf",
            b"in/\xff.pdf",
        ];
        let mut written: Vec<String> = paths.iter().rev().map(|p| path_string(&raw(p))).collect();
        written.sort_by(|a, b| path_order(a, b));
        let back: Vec<PathBuf> = written.iter().map(|w| path_from_string(w)).collect();
        let mut expected: Vec<PathBuf> = paths.iter().map(|p| raw(p)).collect();
        expected.sort();
        assert_eq!(back, expected);
        assert_eq!(expected[0], raw(b"in/a/z.pdf"));
    }
}
