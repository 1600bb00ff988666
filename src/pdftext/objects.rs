//! Small, total helpers over lopdf objects: every lookup that can fail
//! gives `None`, references are followed a bounded number of times.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Decoded size limit for one stream (content, form, CMap).
pub const MAX_STREAM: usize = 64 << 20;

static NULL: Object = Object::Null;

/// Follows references (at most 16) to the object they name; a dangling
/// reference is `null`.
pub fn deref<'a>(doc: &'a Document, mut o: &'a Object) -> (Option<ObjectId>, &'a Object) {
    let mut id = None;
    for _ in 0..16 {
        match o {
            Object::Reference(r) => match doc.get_object(*r) {
                Ok(x) => {
                    id = Some(*r);
                    o = x;
                }
                Err(_) => return (None, &NULL),
            },
            _ => return (id, o),
        }
    }
    (None, &NULL)
}

/// `d[key]`, dereferenced.
pub fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let o = d.get(key).ok()?;
    match deref(doc, o).1 {
        Object::Null => None,
        o => Some(o),
    }
}

pub fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    as_dict(get(doc, d, key)?)
}

/// A dictionary, or a stream's dictionary.
pub fn as_dict(o: &Object) -> Option<&Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get_name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, d, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub fn num(doc: &Document, o: &Object) -> Option<f64> {
    let v = match deref(doc, o).1 {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => return None,
    };
    v.is_finite().then_some(v)
}

pub fn get_num(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f64> {
    num(doc, d.get(key).ok()?)
}

pub fn get_array<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
    match get(doc, d, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

/// An array of numbers; `None` if any item is not one.
pub fn nums(doc: &Document, a: &[Object]) -> Option<Vec<f64>> {
    a.iter().map(|o| num(doc, o)).collect()
}

/// Why a stream's bytes could not be had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undecoded {
    /// It inflates past [`MAX_STREAM`]: a decompression bomb, refused
    /// however much time or memory is left, so that the same file always
    /// fails the same way.
    TooLarge,
    /// Its filters fail on it.
    Broken,
}

impl Undecoded {
    /// Why, in Chinese, to follow the stream's name.
    pub fn why(self) -> String {
        match self {
            Undecoded::TooLarge => {
                format!("解压后超过 {} MiB（可能是“解压炸弹”）", MAX_STREAM >> 20)
            }
            Undecoded::Broken => "无法解压".to_string(),
        }
    }
}

/// A stream's decoded bytes, bounded, or why not.
pub fn stream_bytes(s: &Stream) -> Result<Vec<u8>, Undecoded> {
    s.get_plain_content_with_limit(MAX_STREAM)
        .map_err(|e| match e {
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
                Undecoded::TooLarge
            }
            _ => Undecoded::Broken,
        })
}
