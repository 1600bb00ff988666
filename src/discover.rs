//! Discovery: which files a batch audits, from the paths given on the
//! command line; how such a file is opened, and how its path is written
//! in a record.
//!
//! The promise is one record per input file, so discovery never drops an
//! entry silently and never refuses a batch for one bad entry: whatever
//! looks like a report but cannot be read — a symbolic link that leads
//! nowhere or in a loop, a FIFO, a socket, a device, a folder that cannot
//! be listed, a path too long for the system — is still returned, and
//! [`open_file`] later says, in Chinese, what it is, so that it gets a
//! failed record. Only two things are skipped on purpose: hidden entries
//! (names starting with `.`) and entries whose name is not a report's
//! (`.pdf` or `.txt`); symbolic links to folders are not followed.

use std::cmp::Ordering;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::{self, File, FileType, Metadata, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A path given to [`discover`] that cannot be used: bad usage, not a
/// per-file failure (a per-file failure is a failed record).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{}：路径不存在", .path.display())]
    NotFound { path: PathBuf },
}

impl DiscoverError {
    /// The path that could not be used.
    pub fn path(&self) -> &Path {
        match self {
            DiscoverError::NotFound { path } => path,
        }
    }
}

/// Expands the paths given on the command line into the files to audit.
///
/// - A file given directly is taken whatever its name: a report renamed to
///   `.doc` must still get a record (ingestion says what it really is).
///   So is anything else given directly that is not a folder — a dangling
///   or looping symbolic link, a FIFO, a path too long to look at — so
///   that its record says why it could not be read.
/// - A folder (or a symbolic link to one) is walked recursively for `.pdf`
///   and `.txt` names (any case; trailing white space after the extension
///   is ignored, as in `x.pdf `), skipping hidden entries (names starting
///   with `.`). Every entry with such a name is returned, whatever it is;
///   so is a sub-folder that cannot be listed. Symbolic links to folders
///   inside a folder are not followed, and a folder met again inside
///   itself (a bind mount) is not walked twice, so the walk ends.
/// - A path that does not exist is an error: a mistyped argument should
///   stop the run before it starts, not become a record.
///
/// Paths keep the form they were given in (never absolutized), and the
/// result is sorted by path component by component (by their bytes) and
/// deduplicated.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut files = Vec::new();
    for path in paths {
        match fs::symlink_metadata(path) {
            Err(e) if does_not_exist(&e) => {
                return Err(DiscoverError::NotFound { path: path.clone() })
            }
            // It cannot be looked at (too long, no permission on the way):
            // its record says why.
            Err(_) => files.push(path.clone()),
            // A symbolic link given directly is followed, to a folder too.
            Ok(_) if fs::metadata(path).is_ok_and(|m| m.is_dir()) => walk(path, &mut files),
            Ok(_) => files.push(path.clone()),
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn does_not_exist(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound || e.raw_os_error() == Some(libc::ENOTDIR)
}

/// Walks the folder `root` depth first, without recursion (a deep tree
/// cannot overflow the stack) and with one folder open at a time.
fn walk(root: &Path, files: &mut Vec<PathBuf>) {
    enum Step {
        Enter(PathBuf),
        Leave,
    }
    // The folders being walked, outermost first, to see a folder that
    // contains itself.
    let mut within: Vec<FolderId> = Vec::new();
    let mut steps = vec![Step::Enter(root.to_path_buf())];
    while let Some(step) = steps.pop() {
        let dir = match step {
            Step::Leave => {
                within.pop();
                continue;
            }
            Step::Enter(dir) => dir,
        };
        let Some((id, listing)) = list(&dir, &within) else {
            // Unreadable, or a loop: the folder's own record says which.
            files.push(dir);
            continue;
        };
        within.push(id);
        steps.push(Step::Leave);
        if listing.incomplete {
            files.push(dir.clone());
        }
        for (name, path, file_type) in listing.entries {
            if name.as_bytes().first() == Some(&b'.') {
                continue;
            }
            match file_type {
                Some(t) if t.is_dir() => steps.push(Step::Enter(path)),
                // A regular file, a link, a FIFO, a device: if it is named
                // as a report it gets a record, whatever it is.
                Some(_) if is_report_name(&name) => files.push(path),
                Some(_) => {}
                // What it is cannot be told: its record says why.
                None => files.push(path),
            }
        }
    }
}

/// A folder's identity on the system: device and inode.
type FolderId = (u64, u64);

fn folder_id(meta: &Metadata) -> FolderId {
    (meta.dev(), meta.ino())
}

/// What [`list`] read of a folder.
struct Listing {
    /// Name, path and type (without following links; `None` when it
    /// could not be read) of each entry.
    entries: Vec<(std::ffi::OsString, PathBuf, Option<FileType>)>,
    /// An entry could not be read: the folder gets a record too.
    incomplete: bool,
}

/// The folder's identity and entries, or `None` when it cannot be listed
/// or is one of the folders it is `within`.
fn list(dir: &Path, within: &[FolderId]) -> Option<(FolderId, Listing)> {
    let id = folder_id(&fs::metadata(dir).ok()?);
    if within.contains(&id) {
        return None;
    }
    let mut listing = Listing {
        entries: Vec::new(),
        incomplete: false,
    };
    for entry in fs::read_dir(dir).ok()? {
        match entry {
            Ok(entry) => {
                let file_type = entry.file_type().ok();
                listing
                    .entries
                    .push((entry.file_name(), entry.path(), file_type));
            }
            Err(_) => listing.incomplete = true,
        }
    }
    Some((id, listing))
}

/// A report's name: `.pdf` or `.txt` in any case, white space after the
/// extension ignored (`x.pdf `, `x.PDF　` are meant as PDFs).
fn is_report_name(name: &OsStr) -> bool {
    let bytes = name.as_bytes();
    let Some(dot) = bytes.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    if dot == 0 {
        return false;
    }
    let extension = String::from_utf8_lossy(&bytes[dot + 1..]);
    let extension = extension.trim_end();
    extension.eq_ignore_ascii_case("pdf") || extension.eq_ignore_ascii_case("txt")
}

/// Opens a file for reading, only if it is a regular file (directly or
/// through symbolic links); anything else is an error whose message says,
/// in Chinese, what the path is or why it cannot be read.
///
/// A FIFO, a socket or a device is never opened: opening a FIFO blocks
/// until someone writes to it, and reading `/dev/zero` never ends. The
/// file is opened non-blocking, so a regular file swapped for a FIFO
/// between the look and the open cannot block either, and the opened
/// handle is checked again.
pub fn open_file(path: &Path) -> io::Result<File> {
    let link = fs::symlink_metadata(path).map_err(|e| failure(&e, cause(&e)))?;
    let via_link = link.file_type().is_symlink();
    let meta = if via_link {
        fs::metadata(path).map_err(|e| failure(&e, broken_link(path, &e)))?
    } else {
        link
    };
    if meta.is_dir() {
        return Err(io::Error::other(folder(path, via_link)));
    }
    if !meta.is_file() {
        return Err(not_a_file(path, meta.file_type(), via_link));
    }
    // O_NONBLOCK changes nothing for reading a regular file.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| failure(&e, cause(&e)))?;
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(not_a_file(path, opened.file_type(), via_link));
    }
    Ok(file)
}

/// `e` with its message replaced by `message`, its kind kept.
fn failure(e: &io::Error, message: String) -> io::Error {
    io::Error::new(e.kind(), message)
}

/// Why a path could not be looked at or opened, in Chinese.
fn cause(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::ENOENT) => "文件不存在（可能在检查期间被移走或改名）".into(),
        Some(libc::EACCES | libc::EPERM) => "没有读取权限".into(),
        Some(libc::ELOOP) => "符号链接成环或层数过多".into(),
        Some(libc::ENAMETOOLONG) => "路径过长，超过系统允许的长度".into(),
        Some(libc::ENOTDIR) => "路径中的上一级不是文件夹".into(),
        Some(libc::EIO) => "磁盘读取错误".into(),
        Some(libc::EMFILE | libc::ENFILE) => "同时打开的文件过多".into(),
        _ => format!("系统错误：{e}"),
    }
}

/// Why a symbolic link leads to no file.
fn broken_link(path: &Path, e: &io::Error) -> String {
    let target = link_target(path);
    match e.raw_os_error() {
        Some(libc::ENOENT) => format!("符号链接指向不存在的目标（{target}）"),
        Some(libc::ELOOP) => format!("符号链接成环（{target}），到不了任何文件"),
        _ => format!("符号链接的目标（{target}）无法访问：{}", cause(e)),
    }
}

fn link_target(path: &Path) -> String {
    fs::read_link(path)
        .map(|t| path_string(&t))
        .unwrap_or_else(|e| cause(&e))
}

/// What a path that is neither a folder nor a regular file is.
fn not_a_file(path: &Path, file_type: FileType, via_link: bool) -> io::Error {
    let kind = if file_type.is_fifo() {
        "命名管道（FIFO）"
    } else if file_type.is_socket() {
        "套接字（socket）"
    } else if file_type.is_char_device() {
        "字符设备"
    } else if file_type.is_block_device() {
        "块设备"
    } else {
        "特殊文件"
    };
    let message = if via_link {
        let target = link_target(path);
        format!("这是指向{kind}（{target}）的符号链接，不是普通文件，未读取")
    } else {
        format!("这是{kind}，不是普通文件，未读取")
    };
    io::Error::other(message)
}

/// Why a folder is not audited as a file: a folder met inside a folder
/// walk is one that could not be listed, or a loop.
fn folder(path: &Path, via_link: bool) -> String {
    if via_link {
        return format!(
            "这是指向文件夹（{}）的符号链接；搜索文件夹时不跟随指向文件夹的链接",
            link_target(path)
        );
    }
    if let Some(outer) = same_as_outer_folder(path) {
        return format!(
            "文件夹循环：它与上级文件夹 {} 是同一个文件夹，不再重复搜索",
            path_string(outer)
        );
    }
    match fs::read_dir(path) {
        Err(e) => format!("文件夹无法读取（{}），其中的文件未能检查", cause(&e)),
        Ok(entries) => match entries.into_iter().find_map(Result::err) {
            Some(e) => format!(
                "文件夹未能完整读取（{}），其中的文件可能未全部检查",
                cause(&e)
            ),
            None => "这是一个文件夹，不是文件".into(),
        },
    }
}

/// The enclosing folder (by the path's own components) that is the same
/// folder as `path`, if any.
fn same_as_outer_folder(path: &Path) -> Option<&Path> {
    let id = folder_id(&fs::metadata(path).ok()?);
    path.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| fs::metadata(a).is_ok_and(|m| folder_id(&m) == id))
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

    /// A FIFO, a dangling link, a link loop, a link to a device, a socket
    /// and a name with a trailing space: each is returned, none opened.
    fn special_entries(s: &Scratch) {
        s.file("ok.pdf", b"");
        s.file("trailing.pdf ", b"");
        s.file("notes.docx", b"");
        mkfifo(&s.0.join("fifo.pdf"));
        std::os::unix::fs::symlink("/nonexistent", s.0.join("dangling.pdf")).unwrap();
        std::os::unix::fs::symlink("loop.pdf", s.0.join("loop.pdf")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", s.0.join("dev.pdf")).unwrap();
        std::os::unix::net::UnixListener::bind(s.0.join("sock.pdf")).unwrap();
        s.file("sub/deep.txt", b"");
        std::os::unix::fs::symlink("sub", s.0.join("linked")).unwrap();
    }

    fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    }

    #[test]
    fn a_folder_walk_returns_every_report_named_entry_whatever_it_is() {
        let s = Scratch::new("discover-special");
        special_entries(&s);
        let files = discover(std::slice::from_ref(&s.0)).unwrap();
        assert_eq!(
            names(&files, &s.0),
            [
                "dangling.pdf",
                "dev.pdf",
                "fifo.pdf",
                "loop.pdf",
                "ok.pdf",
                "sock.pdf",
                "sub/deep.txt",
                "trailing.pdf ",
            ]
        );
    }

    /// `open_file` on `path` in a thread, which must answer at once.
    fn open_error(path: &Path) -> String {
        let path = path.to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(open_file(&path).map(|_| ())));
        let opened = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("open_file returns without blocking");
        opened.unwrap_err().to_string()
    }

    #[test]
    fn open_file_opens_only_regular_files_and_says_what_the_rest_is() {
        let s = Scratch::new("discover-open");
        special_entries(&s);
        let at = |name: &str| s.0.join(name);
        assert!(open_file(&at("ok.pdf")).is_ok());
        assert_eq!(
            open_error(&at("fifo.pdf")),
            "这是命名管道（FIFO），不是普通文件，未读取"
        );
        assert_eq!(
            open_error(&at("sock.pdf")),
            "这是套接字（socket），不是普通文件，未读取"
        );
        assert_eq!(
            open_error(&at("dev.pdf")),
            "这是指向字符设备（/dev/zero）的符号链接，不是普通文件，未读取"
        );
        assert_eq!(
            open_error(&at("dangling.pdf")),
            "符号链接指向不存在的目标（/nonexistent）"
        );
        assert_eq!(
            open_error(&at("loop.pdf")),
            "符号链接成环（loop.pdf），到不了任何文件"
        );
        assert_eq!(
            open_error(&at("linked")),
            "这是指向文件夹（sub）的符号链接；搜索文件夹时不跟随指向文件夹的链接"
        );
        assert_eq!(open_error(&at("sub")), "这是一个文件夹，不是文件");
        assert_eq!(
            open_error(&at("gone.pdf")),
            "文件不存在（可能在检查期间被移走或改名）"
        );
        let long = s.0.join("x".repeat(300));
        assert_eq!(open_error(&long), "路径过长，超过系统允许的长度");
    }

    #[test]
    fn a_path_given_directly_that_exists_but_cannot_be_read_is_returned() {
        let s = Scratch::new("discover-given");
        special_entries(&s);
        let given: Vec<PathBuf> = ["dangling.pdf", "loop.pdf", "fifo.pdf", "linked"]
            .iter()
            .map(|n| s.0.join(n))
            .collect();
        let files = discover(&given).unwrap();
        assert_eq!(
            names(&files, &s.0),
            ["dangling.pdf", "fifo.pdf", "linked/deep.txt", "loop.pdf"]
        );
        // Too long to look at: it may exist, its record says why not read.
        let long = s.0.join("x".repeat(300)).join("y.pdf");
        assert_eq!(discover(std::slice::from_ref(&long)).unwrap(), [long]);
        // Under a file: it does not exist.
        let under = s.0.join("ok.pdf/x.pdf");
        let err = discover(std::slice::from_ref(&under)).unwrap_err();
        assert!(matches!(err, DiscoverError::NotFound { .. }));
    }

    #[test]
    fn report_names_ignore_case_and_trailing_white_space() {
        for name in [
            "a.pdf",
            "a.PDF",
            "a.Txt",
            "a.pdf ",
            "a.pdf\u{3000}",
            "a.b.pdf\t",
        ] {
            assert!(is_report_name(OsStr::new(name)), "{name:?}");
        }
        for name in ["a.pdfx", "a.pd f", "pdf", "a.docx", "a. pdf", "a.pdf.bak"] {
            assert!(!is_report_name(OsStr::new(name)), "{name:?}");
        }
        assert!(is_report_name(OsStr::from_bytes(b"\xff\xfe.pdf")));
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
