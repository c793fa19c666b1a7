//! Turning the bytes of a file into UTF-8 text, chunk by chunk.
//!
//! Spreadsheets on Windows save "Unicode text" as UTF-16 with a byte-order
//! mark; everything else is UTF-8, with or without a mark. Files that are not
//! text at all (an Excel workbook, a PDF) are recognised by their first bytes
//! so the user is told what to do instead of seeing a parse error on line 1.

use std::borrow::Cow;

use super::IngestError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Not enough bytes seen yet to tell.
    Unknown,
    Utf8,
    Utf16 {
        big_endian: bool,
    },
    /// Excel's "CSV" on Windows: one byte per character, Latin-1 plus
    /// typographic marks in 0x80–0x9F. Chosen when the first chunk is not UTF-8.
    Windows1252,
}

/// Windows-1252 characters for bytes 0x80–0x9F (the rest equal Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn windows_1252(bytes: &[u8]) -> Vec<u8> {
    let text: String = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or('\u{FFFD}'),
            _ => char::from(b),
        })
        .collect();
    text.into_bytes()
}

/// The file's first bytes are held until this many are in, so the
/// encoding is chosen from the same bytes however the file is chunked.
const HEAD_BYTES: usize = 65_536;

/// How many leading bytes are checked for signs of a binary file.
const SNIFF_BYTES: usize = 4096;

#[derive(Debug)]
pub(crate) struct Decoder {
    encoding: Encoding,
    /// Bytes held back: the start of the file until its encoding is known,
    /// or the odd byte of a UTF-16 code unit split between chunks.
    pending: Vec<u8>,
    /// A UTF-16 high surrogate whose partner is in the next chunk.
    high_surrogate: Option<u16>,
    sniffed: bool,
}

impl Decoder {
    pub(crate) fn new() -> Decoder {
        Decoder {
            encoding: Encoding::Unknown,
            pending: Vec::new(),
            high_surrogate: None,
            sniffed: false,
        }
    }

    /// The UTF-8 text of the next chunk of the file.
    pub(crate) fn decode<'a>(&mut self, chunk: &'a [u8]) -> Result<Cow<'a, [u8]>, IngestError> {
        if self.encoding == Encoding::Unknown {
            self.pending.extend_from_slice(chunk);
            if self.pending.len() < HEAD_BYTES {
                return Ok(Cow::Owned(Vec::new()));
            }
            let start = std::mem::take(&mut self.pending);
            return self.start(&start).map(|c| Cow::Owned(c.into_owned()));
        }
        self.convert(chunk)
    }

    /// The text still held back at the end of the file.
    pub(crate) fn finish(&mut self) -> Result<Vec<u8>, IngestError> {
        let rest = std::mem::take(&mut self.pending);
        let mut out = if self.encoding == Encoding::Unknown {
            self.start(&rest)?.into_owned()
        } else if rest.is_empty() {
            Vec::new()
        } else {
            // An odd trailing byte of a UTF-16 file: not a whole character.
            "\u{FFFD}".as_bytes().to_vec()
        };
        if self.high_surrogate.take().is_some() {
            out.extend_from_slice("\u{FFFD}".as_bytes());
        }
        Ok(out)
    }

    /// Tell the encoding from the first bytes and strip any byte-order mark.
    fn start<'a>(&mut self, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>, IngestError> {
        let (encoding, skip) = match bytes {
            [0xFF, 0xFE, ..] => (Encoding::Utf16 { big_endian: false }, 2),
            [0xFE, 0xFF, ..] => (Encoding::Utf16 { big_endian: true }, 2),
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
            _ => (Encoding::Utf8, 0),
        };
        self.encoding = encoding;
        self.convert(bytes.get(skip..).unwrap_or_default())
    }

    fn convert<'a>(&mut self, chunk: &'a [u8]) -> Result<Cow<'a, [u8]>, IngestError> {
        match self.encoding {
            Encoding::Utf16 { big_endian } => Ok(Cow::Owned(self.utf16(chunk, big_endian))),
            Encoding::Windows1252 => Ok(Cow::Owned(windows_1252(chunk))),
            Encoding::Utf8 | Encoding::Unknown => {
                if !self.sniffed && !chunk.is_empty() {
                    self.sniffed = true;
                    sniff_binary(chunk)?;
                    // A real invalid sequence (not a character cut by the
                    // chunk's end) means the file is not UTF-8 at all.
                    let head = chunk.get(..HEAD_BYTES).unwrap_or(chunk);
                    if let Err(e) = std::str::from_utf8(head) {
                        if e.error_len().is_some() {
                            self.encoding = Encoding::Windows1252;
                            return Ok(Cow::Owned(windows_1252(chunk)));
                        }
                    }
                }
                Ok(Cow::Borrowed(chunk))
            }
        }
    }

    fn utf16(&mut self, chunk: &[u8], big_endian: bool) -> Vec<u8> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(chunk);
        let whole = bytes.len() / 2 * 2;
        let (pairs, odd) = bytes.split_at(whole);
        self.pending = odd.to_vec();
        let mut units: Vec<u16> = self.high_surrogate.take().into_iter().collect();
        units.extend(pairs.chunks_exact(2).map(|p| {
            let pair = [
                p.first().copied().unwrap_or(0),
                p.get(1).copied().unwrap_or(0),
            ];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        }));
        // Keep a trailing high surrogate for the next chunk, where its low half is.
        if let Some(&last) = units.last() {
            if (0xD800..0xDC00).contains(&last) {
                self.high_surrogate = units.pop();
            }
        }
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
        text.into_bytes()
    }
}

/// Refuse files that are clearly not text, naming what they look like.
fn sniff_binary(start: &[u8]) -> Result<(), IngestError> {
    let head = start.get(..SNIFF_BYTES).unwrap_or(start);
    let kind = if head.starts_with(b"PK\x03\x04") {
        "an Excel workbook or a zip archive"
    } else if head.starts_with(b"\xD0\xCF\x11\xE0") {
        "an old-style Excel or Office file"
    } else if head.starts_with(b"%PDF") {
        "a PDF document"
    } else if head.starts_with(b"\x89PNG") || head.starts_with(b"\xFF\xD8\xFF") {
        "an image"
    } else if head.contains(&0) {
        "binary data"
    } else {
        return Ok(());
    };
    Err(IngestError::NotText { kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> Result<String, IngestError> {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for c in chunks {
            out.extend_from_slice(&d.decode(c)?);
        }
        out.extend_from_slice(&d.finish()?);
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf8_with_and_without_mark() {
        assert_eq!(decode_all(&[b"a,b\n"]).ok().as_deref(), Some("a,b\n"));
        assert_eq!(
            decode_all(&[b"\xEF\xBB", b"\xBFa,b\n"]).ok().as_deref(),
            Some("a,b\n")
        );
        assert_eq!(decode_all(&[b"a"]).ok().as_deref(), Some("a"));
        assert_eq!(decode_all(&[]).ok().as_deref(), Some(""));
    }

    #[test]
    fn utf16_split_anywhere_decodes_the_same() {
        let text = "variant,users,revenue\nKontrolle,10,5\n🎯 new,12,7\n";
        for big_endian in [false, true] {
            let bytes = utf16(text, big_endian);
            for cut in 0..bytes.len() {
                let (a, b) = bytes.split_at(cut);
                assert_eq!(decode_all(&[a, b]).ok().as_deref(), Some(text), "cut {cut}");
            }
        }
    }

    #[test]
    fn windows_1252_files_are_recognised() {
        assert_eq!(
            decode_all(&[b"variant\ncontr\xf4le \x80\n"])
                .ok()
                .as_deref(),
            Some("variant\ncontrôle €\n")
        );
    }

    #[test]
    fn binary_files_are_named() {
        for (bytes, kind) in [
            (&b"PK\x03\x04rest"[..], "Excel"),
            (b"%PDF-1.7", "PDF"),
            (b"abc\0def", "binary"),
        ] {
            match decode_all(&[bytes]) {
                Err(e) => assert!(e.to_string().contains(kind), "{e}"),
                Ok(t) => panic!("accepted {t:?}"),
            }
        }
    }
}
