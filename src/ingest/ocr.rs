//! OCR of pages that show content but give no text: scanned pages, and
//! text drawn as outlines.
//!
//! Tesseract (the `tesseract` program with its simplified-Chinese model
//! `chi_sim`, Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`) reads
//! each page image into words with their boxes and confidence (its TSV
//! output). The words are placed on the displayed page and laid out by the
//! text layer's own line builder ([`pdftext::page_from_words`]): rows by
//! baseline, cells apart by their gaps, so that the table and score readers
//! read an OCR'd page as they read a text page.
//!
//! The page image is the PDF's own where the page is one upright image
//! covering it (as a scanner or `img2pdf` makes it): JPEG (`DCTDecode`) and
//! JPEG 2000 are handed to Tesseract as they are, Flate/LZW samples of 8
//! bits (grey or RGB) or 1 bit are written as PNM. Any other page (several
//! images, CCITT, a colour space or a matrix it cannot take as it is, text
//! drawn as outlines) is rendered with poppler's `pdftoppm` at 300 dpi,
//! when that is installed.
//!
//! The program is optional. Without it (or with `JIXIAO_OCR=off`) a
//! scanned file is ING003, and the message gives the one command that
//! installs OCR ([`INSTALL`]). Pages run in parallel, one Tesseract process
//! per page and at most one per core, each single-threaded
//! (`OMP_THREAD_LIMIT=1`) and bound to die with the worker thread that
//! started it (`PR_SET_PDEATHSIG`), so the worker's time limit bounds the
//! whole file; each page has its own limit too ([`PAGE_TIMEOUT`]).
//!
//! `JIXIAO_OCR_KEEP=DIR` keeps, for whoever tunes the reading, each page
//! image as Tesseract saw it and its TSV answer in `DIR`.

use super::raster::Grey;
use super::vote::vote;
use crate::model::ocr::LOW_CONFIDENCE;
use crate::model::OcrPage;
use crate::pdftext::{self, stream_bytes, PageText, PlacedWord};
use lopdf::{Document, Object};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

/// The one command that installs OCR (Debian and Ubuntu).
pub const INSTALL: &str = "sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim";

/// Why a page was not read: the file's time was spent. A file with such a
/// page is not audited at all (a list or a table missing its page would be
/// read as complete): it is ING005, as any file over its time.
pub const TIME_UP: &str = "文件的处理时限将到，未能识别";

/// The longest one page's recognition may take.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(120);

/// Below this resolution a scan is not read: the seed's page at 50 dpi
/// came out as mojibake with wrong figures (30590.2 for 10590.2).
const MIN_DPI: u32 = 120;

/// A page whose words Tesseract is this unsure of, on average, is not
/// used: real scans read at 85–95.
const MIN_PAGE_CONFIDENCE: f64 = 75.0;

/// Resolution pages are rendered at when their image cannot be used as
/// it is.
const RENDER_DPI: u32 = 300;

/// Share (percent) of the page the one image must cover to be taken as
/// the page's scan.
const FULL_PAGE_PERCENT: f64 = 80.0;

/// The Tesseract program, if it can read Chinese; else why not (Chinese).
pub fn engine() -> Result<&'static Path, &'static str> {
    installed()
        .as_ref()
        .map(|t| t.program.as_path())
        .map_err(|e| *e)
}

/// The Tesseract found, with whether it has the English model too.
struct Installed {
    program: PathBuf,
    english: bool,
}

/// Tesseract and its models, looked up once per process (one
/// `--list-langs`).
fn installed() -> &'static Result<Installed, &'static str> {
    static INSTALLED: OnceLock<Result<Installed, &'static str>> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        if std::env::var("JIXIAO_OCR").is_ok_and(|v| v == "off") {
            return Err("已按设置关闭 OCR（JIXIAO_OCR=off）");
        }
        let program = std::env::var_os("JIXIAO_TESSERACT")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("tesseract"));
        let Ok(out) = Command::new(&program)
            .arg("--list-langs")
            .stdin(Stdio::null())
            .output()
        else {
            return Err("本机未安装 OCR 程序 Tesseract");
        };
        let listed = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        let has = |lang: &str| listed.lines().any(|l| l.trim() == lang);
        if !has("chi_sim") {
            return Err("本机的 Tesseract 缺少简体中文模型（chi_sim）");
        }
        Ok(Installed {
            english: has("eng"),
            program,
        })
    })
}

/// Whether `pdftoppm` (poppler-utils) can render pages.
fn renderer() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        Command::new("pdftoppm")
            .arg("-v")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    })
}

/// A page's OCR: its text as the text layer would give it, and what the
/// record says of it.
pub struct Recognized {
    pub text: PageText,
    pub info: OcrPage,
}

/// A page image, and how its pixels map onto the displayed page.
struct PageImage {
    grey: Grey,
    dpi: u32,
    /// Pixel `(px, py)` → displayed `(x0 + px · sx, y0 + py · sy)`.
    origin: (f64, f64),
    scale: (f64, f64),
    kind: &'static str,
}

/// A folder for one file's page images, removed when dropped.
struct Workdir(PathBuf);

impl Workdir {
    fn new() -> std::io::Result<Workdir> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "jixiao-ocr-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Workdir(dir))
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads `pages` (pages of `doc`, whose file is `bytes`) by OCR with
/// `program`. Each page gives its text, or why it could not be read
/// (Chinese), in the order given.
pub fn recognize(
    program: &Path,
    doc: &Document,
    bytes: &[u8],
    password: Option<&str>,
    until: Option<Instant>,
    pages: &[&PageText],
) -> Vec<Result<Recognized, String>> {
    let dir = match Workdir::new() {
        Ok(d) => d,
        Err(e) => {
            let why = format!("无法建立 OCR 临时文件夹（{e}）");
            return pages.iter().map(|_| Err(why.clone())).collect();
        }
    };
    // The file itself, for pdftoppm, written once when a page needs it.
    let pdf: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let pdf_path = || {
        pdf.get_or_init(|| {
            let path = dir.0.join("file.pdf");
            std::fs::write(&path, bytes)
                .map(|_| path)
                .map_err(|e| format!("无法写入 OCR 临时文件（{e}）"))
        })
        .clone()
    };
    // Each page's raster is made where it is read, so that no more than
    // one per thread is held at a time.
    let image = |p: &PageText| {
        embedded(doc, p).map_or_else(
            || {
                if !renderer() {
                    return Err(
                        "该页不是可直接识别的单张扫描图片，需要 poppler-utils 的 pdftoppm 绘制后再 OCR，本机未安装（sudo apt-get install poppler-utils）"
                            .to_string(),
                    );
                }
                render(&pdf_path()?, password, p, &dir.0)
            },
            Ok,
        )
    };
    let results: Mutex<Vec<Option<Result<Recognized, String>>>> =
        Mutex::new(pages.iter().map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(pages.len())
        .max(1);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= pages.len() {
                    break;
                }
                // Pages are read in order while the file's time lasts
                // (see [`TIME_UP`]).
                let result = if until.is_some_and(|u| Instant::now() >= u) {
                    Err(TIME_UP.to_string())
                } else {
                    image(pages[i])
                        .and_then(|mut img| read_page(program, &mut img, pages[i], &dir.0))
                };
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("OCR 未能完成".to_string())))
        .collect()
}

/// The page's own scan, when it is one upright image covering the page
/// in a form decoded here, as a grey raster.
fn embedded(doc: &Document, page: &PageText) -> Option<PageImage> {
    let [image] = page.images.as_slice() else {
        return None;
    };
    let id = image.id?;
    let [x0, y0, x1, y1] = image.bounds();
    let area = (x1 - x0) * (y1 - y0);
    let page_area = f64::from(page.width) * f64::from(page.height);
    if !image.upright() || page_area <= 0.0 || area * 100.0 < FULL_PAGE_PERCENT * page_area {
        return None;
    }
    let Ok(Object::Stream(stream)) = doc.get_object(id) else {
        return None;
    };
    let d = &stream.dict;
    let int = |key: &[u8]| pdftext::get_num(doc, d, key).filter(|v| *v >= 1.0 && *v <= 100_000.0);
    let (w, h) = (int(b"Width")? as usize, int(b"Height")? as usize);
    let bpc = int(b"BitsPerComponent").unwrap_or(8.0) as u32;
    if pdftext::get_object(doc, d, b"Decode").is_some()
        || pdftext::get_object(doc, d, b"SMask").is_some()
        || matches!(
            pdftext::get_object(doc, d, b"ImageMask"),
            Some(Object::Boolean(true))
        )
    {
        return None;
    }
    let components = components(doc, pdftext::get_object(doc, d, b"ColorSpace")?)?;
    let filters = filters(doc, pdftext::get_object(doc, d, b"Filter"));
    let grey = match filters.as_slice() {
        [f] if f == b"DCTDecode" && components != 4 => Grey::from_jpeg(&stream.content)?,
        _ if filters.iter().all(|f| {
            matches!(
                f.as_slice(),
                b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode" | b"ASCIIHexDecode"
            )
        }) =>
        {
            let samples = stream_bytes(stream).ok()?;
            match (components, bpc) {
                (1, 8) => Grey::from_grey(&samples, w, h)?,
                (3, 8) => Grey::from_rgb(&samples, w, h)?,
                (1, 1) => Grey::from_bits(&samples, w, h)?,
                _ => return None,
            }
        }
        _ => return None,
    };
    if (grey.width, grey.height) != (w, h) {
        return None;
    }
    let (sx, sy) = ((x1 - x0) / w as f64, (y1 - y0) / h as f64);
    Some(PageImage {
        grey,
        dpi: (72.0 / sx).round().clamp(50.0, 1200.0) as u32,
        origin: (x0, y0),
        scale: (sx, sy),
        kind: "embedded",
    })
}

/// Colour components of a colour space Tesseract can be given as it is:
/// grey (1), RGB (3), CMYK (4, JPEG only, refused later); `None` for
/// indexed, separation and other spaces.
fn components(doc: &Document, cs: &Object) -> Option<u32> {
    match cs {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"G" | b"CalGray" => Some(1),
            b"DeviceRGB" | b"RGB" | b"CalRGB" => Some(3),
            b"DeviceCMYK" | b"CMYK" => Some(4),
            _ => None,
        },
        Object::Array(a) => match a.first()? {
            Object::Name(n) if n == b"ICCBased" => {
                let (_, icc) = pdftext::deref(doc, a.get(1)?);
                let Object::Stream(icc) = icc else {
                    return None;
                };
                pdftext::get_num(doc, &icc.dict, b"N").map(|n| n as u32)
            }
            Object::Name(n) if n == b"CalGray" => Some(1),
            Object::Name(n) if n == b"CalRGB" => Some(3),
            _ => None,
        },
        _ => None,
    }
}

/// A stream's filter names, in order.
fn filters(doc: &Document, f: Option<&Object>) -> Vec<Vec<u8>> {
    match f {
        None => Vec::new(),
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| match pdftext::deref(doc, o).1 {
                Object::Name(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        Some(_) => vec![b"?".to_vec()],
    }
}

/// The page drawn by `pdftoppm` at [`RENDER_DPI`] (in colour, so that a
/// red seal can be lifted).
fn render(
    pdf: &Path,
    password: Option<&str>,
    page: &PageText,
    dir: &Path,
) -> Result<PageImage, String> {
    let n = page.number.to_string();
    let stem = dir.join(format!("r{n}"));
    let mut cmd = Command::new("pdftoppm");
    cmd.args([
        "-r",
        &RENDER_DPI.to_string(),
        "-singlefile",
        "-f",
        &n,
        "-l",
        &n,
    ]);
    if let Some(pw) = password {
        cmd.args(["-upw", pw]);
    }
    cmd.arg(pdf).arg(&stem);
    let ok = run(cmd, PAGE_TIMEOUT).map(|(status, _)| status);
    let path = stem.with_extension("ppm");
    let grey = || std::fs::read(&path).ok().and_then(|b| Grey::from_pnm(&b));
    match ok {
        Ok(true) => {
            let grey = grey().ok_or("pdftoppm 绘制的图片无法读取")?;
            let _ = std::fs::remove_file(&path);
            let s = 72.0 / f64::from(RENDER_DPI);
            Ok(PageImage {
                grey,
                dpi: RENDER_DPI,
                origin: (0.0, 0.0),
                scale: (s, s),
                kind: "rendered",
            })
        }
        Ok(_) => Err("pdftoppm 未能绘制该页".to_string()),
        Err(why) => Err(format!("pdftoppm 未能绘制该页（{why}）")),
    }
}

/// Runs `cmd` with no input, its stdout read, killed after `timeout`; the
/// child dies with the thread that started it. Success and stdout.
fn run(mut cmd: Command, timeout: Duration) -> Result<(bool, Vec<u8>), String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("OMP_THREAD_LIMIT", "1");
    die_with_parent(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| format!("无法启动（{e}）"))?;
    let mut stdout = child.stdout.take().ok_or("无法读取输出")?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("超过 {} 秒未完成", timeout.as_secs()));
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{e}"));
        }
    };
    let out = reader.join().unwrap_or_default();
    Ok((status.success(), out))
}

#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe; nothing else runs in the child
    // between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_: &mut Command) {}

/// The resolution a scan outside 170–350 dpi is read at: the Chinese
/// model read the seed's figures and list markers best at 200 dpi (99.2%
/// of figures exact; at 300 dpi it took 「（三）」 for 「人二)」 and a
/// table's 「44.63%」 for 「44.639%」, errors the second reading at the
/// other scale does not share).
const OCR_DPI: u32 = 200;

/// The image resampled to `dpi`, its pixels mapped accordingly.
fn rescaled(image: &PageImage, dpi: u32) -> Option<PageImage> {
    let factor = f64::from(dpi) / f64::from(image.dpi);
    let w = (image.grey.width as f64 * factor).round().max(1.0) as usize;
    let h = (image.grey.height as f64 * factor).round().max(1.0) as usize;
    let grey = image.grey.resample(w, h)?;
    Some(PageImage {
        scale: (
            image.scale.0 * image.grey.width as f64 / w as f64,
            image.scale.1 * image.grey.height as f64 / h as f64,
        ),
        dpi,
        grey,
        ..*image
    })
}

/// The resolutions of the other readings of a page read at `dpi`: a
/// little larger and a little smaller for a scan read near [`OCR_DPI`];
/// for a fine scan (read at 250 dpi and more), [`OCR_DPI`] and 160 dpi
/// (at 250 dpi, the model misread the 300 dpi seed's 「44.63%」 as it did
/// at 300). Tesseract's errors depend on the size of the characters,
/// and in no direction alone: on the seed's 200 dpi scans a list marker
/// or a 「支」 was lost at 1.5 times in one producer's type and at 0.85
/// times in another's, so one other reading is often not enough to prove
/// a finding that rests on a whole list; three readings and their vote
/// (see [`vote`]) are. Near 200 dpi the pixels read are about those of
/// the two readings at 1 and 1.5 times this replaced (1 + 1.69 + 0.72
/// against 1 + 2.25).
fn other_scales(dpi: u32) -> [u32; 2] {
    if dpi >= 250 {
        [OCR_DPI, OCR_DPI * 4 / 5]
    } else {
        [dpi * 13 / 10, dpi * 85 / 100]
    }
}

/// One page image through Tesseract, its rules erased: read three times,
/// at three scales (see [`other_scales`]), so that the analysis can keep
/// only what two readings prove (see [`crate::analyze`]).
fn read_page(
    program: &Path,
    image: &mut PageImage,
    page: &PageText,
    dir: &Path,
) -> Result<Recognized, String> {
    if image.dpi < MIN_DPI {
        return Err(format!(
            "扫描分辨率约 {} dpi，低于可靠识别所需的 {MIN_DPI} dpi，未予识别；请报送单位以 200 dpi 以上重新扫描",
            image.dpi
        ));
    }
    // The first reading: the scan as it is when its resolution is one the
    // model reads well (170–350 dpi), else at 200 dpi.
    let native = (170..=350).contains(&image.dpi);
    if !native {
        *image = rescaled(image, OCR_DPI).ok_or("扫描图片过大，无法缩放")?;
    }
    let others = other_scales(image.dpi).map(|dpi| rescaled(image, dpi));
    image.grey.erase_rules(image.dpi as usize / 2);
    let (words, confidence, unsure) = tesseract(program, image, page.number, dir, "a")?;
    if confidence < MIN_PAGE_CONFIDENCE {
        return Err(format!(
            "识别的平均置信度仅 {confidence}（低于 {MIN_PAGE_CONFIDENCE}），识别结果不可靠，未予采用"
        ));
    }
    let text = pdftext::page_from_words(page.number, page.width, page.height, &words);
    let mut alternates: Vec<String> = others
        .into_iter()
        .zip(["b", "c"])
        .filter_map(|(other, tag)| {
            let mut other = other?;
            other.grey.erase_rules(other.dpi as usize / 2);
            let (words, _, _) = tesseract(program, &other, page.number, dir, tag).ok()?;
            Some(pdftext::page_from_words(page.number, page.width, page.height, &words).text)
        })
        .collect();
    // A figure another reading gives alike is no longer unsure.
    let squeezed: Vec<String> = alternates
        .iter()
        .map(|a| {
            a.chars()
                .filter(|c| !c.is_whitespace() && *c != ',')
                .collect()
        })
        .collect();
    let unsure = unsure
        .into_iter()
        .filter(|u| {
            let body: String = u.trim_end_matches(CLOSING).replace(',', "");
            !squeezed.iter().any(|s| s.contains(&body))
        })
        .collect();
    // And the three readings' vote, character by character: what two of
    // them read alike (see [`vote`]).
    if let [b, c] = alternates.as_slice() {
        let voted = vote(&text.text, b, c);
        alternates.push(voted);
    }
    Ok(Recognized {
        text,
        info: OcrPage {
            page: page.number,
            confidence,
            image: image.kind.to_string(),
            unsure,
            alternates,
        },
    })
}

/// One reading of a page image: its words placed on the page, their mean
/// confidence and the figures read with low confidence.
fn tesseract(
    program: &Path,
    image: &PageImage,
    number: u32,
    dir: &Path,
    tag: &str,
) -> Result<(Vec<PlacedWord>, f64, Vec<String>), String> {
    let dpi = image.dpi.to_string();
    let name = format!("p{number}{tag}");
    let tsv = read_tsv(
        program,
        &image.grey,
        &dir.join(format!("{name}.pgm")),
        &["-l", "chi_sim", "--psm", "6", "--dpi", &dpi, "tsv"],
    )?;
    // For whoever tunes the reading: the image Tesseract saw and what it
    // answered.
    if let Some(keep) = std::env::var_os("JIXIAO_OCR_KEEP") {
        let keep = PathBuf::from(keep);
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::write(keep.join(format!("{name}.pgm")), image.grey.to_pgm());
        let _ = std::fs::write(keep.join(format!("{name}.tsv")), tsv.as_bytes());
    }
    let mut lines = parse_tsv(&tsv);
    verify_figures(&mut lines, image, dir, number);
    Ok(place_words(&lines, image))
}

/// Tesseract's TSV for `grey`, written to `path` for it (and removed
/// after), with `args` after the output name.
fn read_tsv(program: &Path, grey: &Grey, path: &Path, args: &[&str]) -> Result<String, String> {
    std::fs::write(path, grey.to_pgm()).map_err(|e| format!("无法写入 OCR 临时文件（{e}）"))?;
    let mut cmd = Command::new(program);
    cmd.arg(path).arg("stdout").args(args);
    let answer = run(cmd, PAGE_TIMEOUT);
    let _ = std::fs::remove_file(path);
    match answer {
        Ok((true, out)) => Ok(String::from_utf8_lossy(&out).into_owned()),
        Ok((false, _)) => Err("Tesseract 未能识别该页图片".to_string()),
        Err(why) => Err(format!("Tesseract {why}")),
    }
}

/// At most this many figures of one page are read a second time.
const MAX_VERIFIED: usize = 40;

/// Punctuation that may close a figure's word.
const CLOSING: [char; 8] = ['，', '。', '；', '、', ',', ';', '：', ':'];

/// Whether a word is a figure: digits, with the marks a figure is written
/// with, and at most a closing punctuation mark.
fn is_figure(text: &str) -> bool {
    let body = text.trim_end_matches(CLOSING);
    body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-'))
}

/// Reads each figure Tesseract's Chinese model was unsure of a second time,
/// alone and with the English model restricted to digits (which does not
/// take a table's `%` for `9%`, as the Chinese model did on the seed's
/// 「44.63%」): a confident second reading replaces the first, and one that
/// agrees confirms it; otherwise the figure stays as read, and unsure.
fn verify_figures(lines: &mut Lines, image: &PageImage, dir: &Path, page: u32) {
    let page = format!("{page}-{}", image.dpi);
    // The English model comes with Debian's program; without it, the
    // figures stay as first read.
    let Ok(Installed {
        program,
        english: true,
    }) = installed()
    else {
        return;
    };
    let mut done = 0;
    for w in lines.values_mut().flatten() {
        let suspect = w.conf < LOW_CONFIDENCE || percent_as_nine(&w.text);
        if !suspect || !is_figure(&w.text) || done >= MAX_VERIFIED {
            continue;
        }
        done += 1;
        let Some(crop) = image.grey.crop(w.left, w.top, w.width, w.height, 6) else {
            continue;
        };
        let dpi = image.dpi.to_string();
        let args = [
            "-l",
            "eng",
            "--psm",
            "7",
            "--dpi",
            &dpi,
            "-c",
            "tessedit_char_whitelist=0123456789.,%-",
            "tsv",
        ];
        let path = dir.join(format!("p{page}-w{done}.pgm"));
        let Ok(tsv) = read_tsv(program, &crop, &path, &args) else {
            continue;
        };
        let second: Vec<TsvWord> = parse_tsv(&tsv).into_values().flatten().collect();
        let [again] = second.as_slice() else { continue };
        let body = w.text.trim_end_matches(CLOSING).to_string();
        let tail = w.text[body.len()..].to_string();
        if again.text == body {
            w.conf = w.conf.max(again.conf);
        } else if again.conf >= SURE_SECOND && is_figure(&again.text) {
            w.text = format!("{}{tail}", again.text);
            w.conf = again.conf;
        }
    }
}

/// Whether a figure ends in 「9%」, the Chinese model's reading of a lone
/// 「%」 in a table (「44.63%」 as 「44.639%」 at all three scales of a 1-bit
/// scan, confidence 79–84; the digit model reads it right at 96): such a
/// figure is read again whatever its confidence.
fn percent_as_nine(text: &str) -> bool {
    text.trim_end_matches(CLOSING).ends_with("9%")
}

/// Confidence from which the second reading of a figure is taken.
const SURE_SECOND: f64 = 80.0;

/// Punctuation the model gives in its ASCII form where the text, set in
/// Chinese, has the full-width one (「满分,合同」 for 「满分，合同」): put
/// back where a Han character is next to it, so that clauses and names
/// split as they do in a text layer's text. A comma between two digits
/// stays (a thousands separator), as does a parenthesis around a number.
fn chinese_punctuation(line: &mut [PlacedWord]) {
    let chars: Vec<char> = line.iter().flat_map(|w| w.text.chars()).collect();
    let han = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|&c| crate::text::is_han(c))
    };
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_ascii_digit())
    };
    let mut fixed = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let (before, after) = (i.checked_sub(1), Some(i + 1));
        let near_han = han(before) || han(after);
        fixed.push(match c {
            ',' if near_han && !(digit(before) && digit(after)) => '，',
            ';' if near_han => '；',
            ':' if near_han => '：',
            '?' if near_han => '？',
            '!' if near_han => '！',
            '(' if han(after) => '（',
            ')' if han(before) => '）',
            c => c,
        });
    }
    // A 《 that no 》 closes, before a short number and a parenthesis,
    // is a misread （: 「《2)」 for 「（2）」.
    for i in 0..fixed.len() {
        if fixed[i] != '《' {
            continue;
        }
        let first_close = fixed[i + 1..]
            .iter()
            .take(4)
            .position(|&c| matches!(c, ')' | '）' | '》'));
        if first_close.is_some_and(|k| k > 0 && fixed[i + 1 + k] != '》') {
            fixed[i] = '（';
        }
    }
    balance_quotes(&mut fixed);
    let mut it = fixed.into_iter();
    for w in line.iter_mut() {
        let n = w.text.chars().count();
        w.text = it.by_ref().take(n).collect();
    }
}

/// Quotation marks a scan reads unpaired: an ASCII `"` is the Chinese
/// mark that opens or closes, as the marks before it say; a closing mark
/// with none open, and an opening one still open ten characters before the
/// line ends (reports quote short names, 「“三公”经费」), are marks the
/// model invented or half of a pair it lost, and are dropped, so that a
/// lost 」 does not swallow the rest of the sentence into a name.
fn balance_quotes(chars: &mut Vec<char>) {
    let mut open: Option<usize> = None;
    let mut drop = Vec::new();
    for (i, c) in chars.iter_mut().enumerate() {
        if *c == '"' {
            *c = if open.is_some() { '”' } else { '“' };
        }
        match *c {
            '“' => {
                if let Some(o) = open {
                    drop.push(o);
                }
                open = Some(i);
            }
            '”' if open.take().is_none() => drop.push(i),
            _ => {}
        }
    }
    if let Some(o) = open {
        if chars.len() - o > 10 {
            drop.push(o);
        }
    }
    drop.sort_unstable();
    for i in drop.into_iter().rev() {
        chars.remove(i);
    }
}

/// A word of Tesseract's TSV, in pixels.
struct TsvWord {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    conf: f64,
    text: String,
}

/// Words by line (block, paragraph, line), in reading order.
type Lines = BTreeMap<(u32, u32, u32), Vec<TsvWord>>;

/// The words of Tesseract's TSV output, by line.
fn parse_tsv(tsv: &str) -> Lines {
    let mut lines: Lines = BTreeMap::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        // A stray bar is a table rule read as a character: reports never
        // write one.
        // Single angle brackets, which reports do not use (titles take
        // 《》), are parentheses the model misread: 「〈本级)」.
        let text: String = f[11]
            .trim()
            .chars()
            .filter(|&c| c != '|')
            .map(|c| match c {
                '〈' => '（',
                '〉' => '）',
                c => c,
            })
            .collect();
        if text.is_empty() {
            continue;
        }
        let n = |i: usize| f[i].parse::<f64>().ok().filter(|v| v.is_finite());
        let key = |i: usize| f[i].parse::<u32>().unwrap_or(0);
        let (Some(left), Some(top), Some(width), Some(height)) = (n(6), n(7), n(8), n(9)) else {
            continue;
        };
        lines
            .entry((key(2), key(3), key(4)))
            .or_default()
            .push(TsvWord {
                left,
                top,
                width,
                height,
                conf: n(10).unwrap_or(0.0),
                text,
            });
    }
    lines
}

/// The words of Tesseract's TSV output placed on the displayed page, their
/// mean confidence (weighted by characters, to one decimal), and the
/// figures read with low confidence.
fn place_words(lines: &Lines, image: &PageImage) -> (Vec<PlacedWord>, f64, Vec<String>) {
    let (ox, oy) = image.origin;
    let (sx, sy) = image.scale;
    let mut placed = Vec::new();
    let (mut weighted, mut chars) = (0.0, 0usize);
    let mut unsure = Vec::new();
    for words in lines.values() {
        // The line's baseline and em, from the median word: one box
        // Tesseract drew too tall or too low does not move the line.
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let bottom = median(words.iter().map(|w| w.top + w.height).collect());
        let height = median(words.iter().map(|w| w.height).collect());
        // A character's ink is about 0.85 of its em.
        let size = height * sy.abs() / 0.85;
        let baseline = oy + bottom * sy;
        // Tesseract's word boxes are rough (one may reach over the next
        // two), but its order within a line is the reading order: each
        // word starts after the one before and ends where the next starts.
        let mut starts: Vec<f64> = Vec::with_capacity(words.len());
        for w in words {
            let floor = starts.last().map_or(f64::MIN, |s| s + 1.0);
            starts.push(w.left.max(floor));
        }
        let mut line: Vec<PlacedWord> = Vec::with_capacity(words.len());
        for (k, w) in words.iter().enumerate() {
            let n = w.text.chars().count();
            weighted += w.conf.max(0.0) * n as f64;
            chars += n;
            if w.conf < LOW_CONFIDENCE && is_figure(&w.text) {
                unsure.push(w.text.clone());
            }
            // A box is the ink; a character's advance is about an em
            // (Han) or half of one (digits, Latin): a thin 一 is not
            // followed by a word space.
            let advance: f64 = w
                .text
                .chars()
                .map(|c| if c.is_ascii() { 0.45 } else { 0.9 })
                .sum::<f64>()
                * size
                / sx;
            let mut end = (w.left + w.width)
                .max(starts[k] + advance)
                .max(starts[k] + 1.0);
            if let Some(&next) = starts.get(k + 1) {
                end = end.min(next);
            }
            let x0 = ox + starts[k] * sx;
            let x1 = ox + end * sx;
            // Letter spacing is no word space: close gaps under 0.3 em,
            // and under an em between two Han characters (justified
            // Chinese is spaced out; a cell boundary is wider).
            if let Some(prev) = line.last_mut() {
                let han = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
                let close = if han(prev.text.chars().last()) && han(w.text.chars().next()) {
                    1.0
                } else {
                    0.3
                };
                if x0 > prev.x1 && x0 - prev.x1 < close * size {
                    prev.x1 = x0;
                }
            }
            line.push(PlacedWord {
                text: w.text.clone(),
                x0,
                x1,
                baseline,
                size,
            });
        }
        chinese_punctuation(&mut line);
        placed.extend(line);
    }
    let confidence = if chars == 0 {
        0.0
    } else {
        (weighted / chars as f64 * 10.0).round() / 10.0
    };
    (placed, confidence, unsure)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
        4\t1\t1\t1\t1\t0\t100\t100\t400\t30\t-1\t\n\
        5\t1\t1\t1\t1\t1\t100\t100\t90\t30\t95\t收入\n\
        5\t1\t1\t1\t1\t2\t163\t102\t60\t28\t95\t合计\n\
        5\t1\t1\t1\t1\t3\t400\t104\t100\t26\t40\t1,234.5\n\
        5\t1\t2\t1\t1\t1\t700\t101\t80\t29\t90\t99.9%\n";

    fn image() -> PageImage {
        PageImage {
            grey: Grey::from_grey(&[255], 1, 1).unwrap(),
            dpi: 144,
            origin: (0.0, 0.0),
            scale: (0.5, 0.5),
            kind: "rendered",
        }
    }

    #[test]
    fn words_are_placed_and_lines_share_a_baseline() {
        let (words, confidence, unsure) = place_words(&parse_tsv(TSV), &image());
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["收入", "合计", "1,234.5", "99.9%"]);
        // Pixels at 144 dpi are half points.
        assert_eq!(words[0].x0, 50.0);
        // Letter spacing closed, a cell gap kept.
        assert_eq!(words[0].x1, words[1].x0);
        assert!(words[2].x0 - words[1].x1 > 50.0);
        // One baseline for the line (median bottom: 130 px).
        assert_eq!(words[0].baseline, 65.0);
        assert_eq!(words[2].baseline, 65.0);
        assert_eq!(unsure, ["1,234.5"]);
        // (95·2 + 95·2 + 40·7 + 90·5) / 16
        assert_eq!(confidence, 69.4);
    }

    #[test]
    fn ascii_punctuation_beside_han_is_set_full_width() {
        let word = |t: &str| PlacedWord {
            text: t.to_string(),
            x0: 0.0,
            x1: 1.0,
            baseline: 0.0,
            size: 1.0,
        };
        let mut line = vec![
            word("满分,"),
            word("合同(本级)"),
            word("1,234.5"),
            word("(1)"),
            word("分:"),
            word("《2)"),
            word("《通知》"),
        ];
        chinese_punctuation(&mut line);
        let texts: Vec<&str> = line.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "满分，",
                "合同（本级）",
                "1,234.5",
                "(1)",
                "分：",
                "（2)",
                "《通知》"
            ]
        );
    }

    #[test]
    fn unpaired_quotes_are_dropped_and_ascii_ones_paired() {
        let fix = |s: &str| {
            let mut v: Vec<char> = s.chars().collect();
            balance_quotes(&mut v);
            v.into_iter().collect::<String>()
        };
        assert_eq!(fix("“三公”经费控制情况"), "“三公”经费控制情况");
        assert_eq!(fix("“三公\"经费控制情况"), "“三公”经费控制情况");
        assert_eq!(
            fix("“三公经费控制情况等21个全部为满分"),
            "三公经费控制情况等21个全部为满分"
        );
        assert_eq!(fix("三公”经费"), "三公经费");
        // Near the end of the line: the quote may close on the next.
        assert_eq!(fix("组织策划“广州档案"), "组织策划“广州档案");
    }

    #[test]
    fn placed_words_lay_out_as_text_does() {
        let (words, _, _) = place_words(&parse_tsv(TSV), &image());
        let page = pdftext::page_from_words(1, 595.0, 842.0, &words);
        assert_eq!(page.text.lines().count(), 1, "{}", page.text);
        let line = page.text.trim();
        assert!(line.starts_with("收入合计"), "{line}");
        assert!(line.contains("  1,234.5"), "{line}");
        assert!(line.ends_with("99.9%"), "{line}");
    }
}
