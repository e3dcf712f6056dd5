//! Data management, chunked ingestion: bytes in pieces in, a [`Dataset`]
//! out, in one pass.
//!
//! [`Ingest`] takes a file as any number of byte chunks (a worker pushes
//! one `File` slice at a time and may stop between chunks to cancel). In
//! the same pass it hashes the bytes (SHA-256), decodes UTF-8 or UTF-16,
//! sniffs delimiter, header and decimal mark from the first 64 KiB,
//! tokenizes with `csv-core` and fills typed columns. Raw text is never
//! kept beyond one record, so memory is bounded by the typed columns.
//! A column starts with the narrowest type its values allow and is
//! widened to labels when a value does not fit; values that read as
//! numbers or ISO dates are then labelled in canonical form (`1.50` →
//! `1.5`), so the result never depends on where a chunk boundary falls.
//! When the typed columns would pass `max_memory_bytes` (and
//! `over_budget` is `sample`, the default), about half the kept rows are
//! dropped each time they would, so the columns hold a sample (about one
//! row in a power-of-two stride, chosen by a hash of the row's number, so
//! that rows repeating with a period are not aliased) while summaries over
//! every row are kept beside them ([`super::sketch`]). No wasm here.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::csv_read::{detect_delimiter, Delimiter, NonFinitePolicy, OverBudget, ParseOptions, ShortRows, TextEncoding, SHEET_ERRORS};
use super::value::{bool_value, classify, integer_is_exact, is_bool_token, is_integer_text, loose_date, number_label, parse_number, parse_time, respelled, spelling, time_form, time_label, Class, LooseDate};
use super::sketch::{kll_k_for, number_key, sample_keeps, text_key, time_key, ColumnSummary, Hll, Kll, LabelCounter, Moments, SampleInfo, HLL_MIN_PRECISION, HLL_PRECISION, KLL_K};
use super::{Code, Column, ColumnKind, ColumnValues, DataError, Dataset, Num};

/// Bytes of text looked at to detect delimiter, header and decimal mark.
pub const SNIFF_BYTES: usize = 64 * 1024;
/// Example values kept per column and type, for mixed-type reports.
const EXAMPLES: usize = 3;
/// Rows listed for non-finite values.
const LISTED_ROWS: usize = 10;

/// One value and the 1-based data row it is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueExample {
    /// The text (at most 100 characters).
    pub value: String,
    /// 1-based data row.
    pub row: usize,
}

/// A column whose values are of more than one type (numbers, dates, text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MixedTypes {
    /// Column name.
    pub column: String,
    /// The type the column was given (always a label type).
    pub kept_as: ColumnKind,
    /// Values that read as numbers.
    pub numbers: usize,
    /// Values that read as ISO dates or date-times.
    pub dates: usize,
    /// Values that read as neither.
    pub texts: usize,
    /// The type most values have: `number`, `date` or `text`.
    pub majority: String,
    /// Whether any of its dates has a time of day (a cast to dates then
    /// keeps it: `date_time`, else `date`).
    #[serde(default)]
    pub dates_have_time: bool,
    /// First values of the other types, with their rows.
    pub examples: Vec<ValueExample>,
    /// A number whose label is its value written otherwise (`+5` reads
    /// `5`), the first one kept; numbers in fixed point keep their form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respelled: Option<Respelled>,
}

/// A number that reads otherwise as a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Respelled {
    /// As written.
    pub value: String,
    /// Its label.
    pub reads: String,
    /// Its row (1-based).
    pub row: usize,
}

/// Non-finite numbers (`inf`, `1e400`) read as missing under
/// [`NonFinitePolicy::Missing`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonFiniteValues {
    /// Column name.
    pub column: String,
    /// How many.
    pub count: usize,
    /// The first rows (1-based), at most ten.
    pub rows: Vec<usize>,
    /// The texts found, distinct, at most ten.
    pub values: Vec<String>,
}

/// Something ingestion did that the user should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestWarning {
    /// Stable code, e.g. `lossy_utf8`.
    pub code: String,
    /// One lowercase line.
    pub message: String,
}

/// What ingestion detected, assumed or repaired.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestReport {
    /// Bytes read.
    pub bytes: u64,
    /// `utf-8`, `utf-8-bom`, `utf-16le` or `utf-16be`.
    pub encoding: String,
    /// The delimiter as a one-character string.
    pub delimiter: String,
    /// `detected`, `sep_line` (an Excel `sep=` first line) or `option`.
    pub delimiter_source: String,
    /// Whether the first row was read as column names.
    pub header: bool,
    /// `detected` or `option`.
    pub header_source: String,
    /// Whether a comma was read as the decimal mark.
    pub decimal_comma: bool,
    /// `lf`, `crlf`, `cr` or `none` (one line), from the first 64 KiB.
    pub line_ending: String,
    /// Blank lines skipped between data rows.
    pub blank_lines: usize,
    /// Lines skipped before the table: asked for, or detected as a title
    /// or notes (with a warning).
    #[serde(default)]
    pub skipped_lines: usize,
    /// Repairs and assumptions.
    pub warnings: Vec<IngestWarning>,
    /// Columns mixing types.
    pub mixed: Vec<MixedTypes>,
    /// Columns with non-finite numbers read as missing.
    pub non_finite: Vec<NonFiniteValues>,
    /// Date-time columns some of whose times were written with a UTC
    /// offset (`Z`, `+02:00`, ` UTC`): their times are UTC. The times of
    /// other date-time columns state no zone (local time, read as if UTC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zoned_times: Vec<String>,
}

fn clip(s: &str) -> String {
    if s.chars().count() <= 100 {
        s.to_string()
    } else {
        s.chars().take(99).chain(std::iter::once('…')).collect()
    }
}

/// A known binary format the first bytes of a file announce, and what to
/// do with it: only when their first 64 also hold a NUL byte or bytes that
/// are not UTF-8 (a text file may start with "PK" or "BZh1"), except a
/// PDF, whose "%PDF-" start says so even when the rest is text (a PDF
/// may be text only, and was read as a one-column CSV).
fn binary_format(head: &[u8]) -> Option<(&'static str, &'static str)> {
    // Magic bytes (a `?` stands for a digit 1 to 9), whether they settle
    // it alone, what the file is, what to do.
    const FORMATS: &[(&[u8], bool, &str, &str)] = &[
        (b"PK\x03\x04", false, "a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook is one)", "open it and save the sheet as CSV, or unzip it"),
        (b"\xD0\xCF\x11\xE0", false, "an old-style Office document (an Excel .xls workbook is one)", "open it and save the sheet as CSV"),
        (b"\x1F\x8B", false, "a gzip-compressed file", "decompress it first (gunzip)"),
        (b"\xFD7zXZ\x00", false, "an xz-compressed file", "decompress it first (unxz)"),
        (b"\x28\xB5\x2F\xFD", false, "a Zstandard-compressed file", "decompress it first (unzstd)"),
        (b"BZh?", false, "a bzip2-compressed file", "decompress it first (bunzip2)"),
        (b"7z\xBC\xAF\x27\x1C", false, "a 7z archive", "extract it first (7z x)"),
        (b"%PDF-", true, "a PDF document", "export its table as CSV"),
        (b"PAR1", false, "a Parquet file", "convert it to CSV (pandas or polars: read_parquet, then write_csv)"),
        (b"\x89PNG", false, "a PNG image", "choose the CSV file"),
        (b"\xFF\xD8\xFF", false, "a JPEG image", "choose the CSV file"),
        (b"GIF8", false, "a GIF image", "choose the CSV file"),
    ];
    let starts = |magic: &[u8]| head.len() >= magic.len() && magic.iter().zip(head).all(|(&m, &b)| if m == b'?' { (b'1'..=b'9').contains(&b) } else { m == b });
    let (_, always, format, advice) = FORMATS.iter().find(|(magic, ..)| starts(magic))?;
    // The first 64 bytes, fewer than are always pushed before the format
    // is settled, so the verdict does not depend on how the chunks fall.
    let sample = &head[..head.len().min(64)];
    let binary = *always || sample.contains(&0) || std::str::from_utf8(&sample[..sample.len() - incomplete_tail(sample)]).is_err();
    binary.then_some((format, advice))
}

/// A text format that is not CSV, recognised by how it starts (after a
/// UTF-8 byte order mark and blank space): an HTML page (a table saved
/// from the web as a page), XML, or JSON (an array of objects, or an
/// object per line). What it is, and what to do instead.
fn text_format(head: &[u8]) -> Option<(&'static str, &'static str)> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = head[start..head.len().min(start + 32)].to_ascii_lowercase();
    if text.starts_with(b"<!doctype html") || text.starts_with(b"<html") {
        return Some(("an HTML web page", "save the table itself as CSV (a link to a CSV file may have saved the page around it)"));
    }
    if text.starts_with(b"<?xml") {
        return Some(("an XML document", "export its table as CSV"));
    }
    let after = |t: &[u8]| t.iter().position(|b| !b.is_ascii_whitespace()).map(|k| t[k]);
    let object = |t: &[u8]| t.first() == Some(&b'{') && matches!(after(&t[1..]), Some(b'"' | b'}'));
    let array = text.first() == Some(&b'[') && text[1..].iter().position(|b| !b.is_ascii_whitespace()).is_some_and(|k| object(&text[1 + k..]));
    (object(&text) || array).then_some(("JSON", "convert it to CSV (pandas: read_json, with lines=True for an object per line, then to_csv)"))
}

/// Bytes of a file's head read before its encoding is settled (fewer only
/// when that is the whole file), however the chunks fall.
const HEAD_BYTES: usize = 4096;

/// UTF-16 text without a byte order mark, recognised in the first
/// [`HEAD_BYTES`] by where its zero bytes fall: an ASCII or Latin-1
/// character (a delimiter, a line end, a digit) has a zero high byte, the
/// second of its pair little-endian and the first big-endian, so most
/// zeros fall on one side and almost none on the other (a low surrogate or
/// a character such as U+4E00 has a zero low byte). Text in Cyrillic or
/// CJK has fewer zeros than ASCII text (a name in Cyrillic near the start
/// made it a binary file), but a CSV still has its delimiters and line
/// ends. The sample must also decode as UTF-16: no unpaired surrogate, no
/// NUL or control character but a tab or a line end. UTF-8 text has no
/// zero byte at all. `Some(true)` little-endian, `Some(false)` big-endian.
fn utf16_without_bom(head: &[u8]) -> Option<bool> {
    let sample = &head[..head.len().min(HEAD_BYTES) & !1];
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    // Zeros in the first and in the second byte of the pairs; not one
    // beside DC to DF, a low surrogate's high byte (😀 is D83D DE00).
    let low_surrogate = |b: u8| (0xDC..=0xDF).contains(&b);
    let even = sample.chunks_exact(2).filter(|p| p[0] == 0 && !low_surrogate(p[1])).count();
    let odd = sample.chunks_exact(2).filter(|p| p[1] == 0 && !low_surrogate(p[0])).count();
    // At least one character in 32 has a zero high byte (dense Japanese
    // has a comma and a line end in 22), and the low bytes hold at most one
    // zero for eight of those. Unless most of the high bytes are zero
    // (ASCII and Latin text), the decoded sample must also hold a line
    // end: text in UTF-8 with a stray NUL or two decodes as CJK (37 bytes
    // with two NULs, one high byte in eight zero, were read as one line).
    let one_sided = |high: usize, low: usize| high * 32 >= pairs && low * 8 <= high;
    let (le, sparse) = if one_sided(odd, even) {
        (true, odd * 2 < pairs)
    } else if one_sided(even, odd) {
        (false, even * 2 < pairs)
    } else {
        return None;
    };
    let mut units: Vec<u16> = sample.chunks_exact(2).map(|p| if le { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) }).collect();
    // A surrogate pair may be cut by the sample's end.
    if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
        units.pop();
    }
    let line_end = units.iter().any(|&u| u == 0x0A || u == 0x0D);
    let text = char::decode_utf16(units).all(|c| c.is_ok_and(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')));
    (text && (line_end || !sparse)).then_some(le)
}

/// Bytes below 0x20 that no text file holds: not a tab, line end, form
/// feed, Ctrl-Z (an old end-of-file mark) or escape (colour codes).
fn binary_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x1A | 0x1B)
}

/// The error for a head of a file (`head`, from byte `bom` on, at most
/// [`HEAD_BYTES`], so however the chunks fall) read as 8-bit text (UTF-8 or
/// Windows-1252) that shows it is binary: a NUL byte, or, when it is not
/// UTF-8, control bytes no text holds, one in 32 bytes and at least 8
/// (random bytes have one in ten). Found before any other error in the
/// head: a binary file was first called invalid UTF-8, with advice to read
/// it as Windows-1252, which then called it binary.
fn binary_head(head: &[u8], bom: usize, file: &str) -> Option<DataError> {
    let text = head.get(bom..head.len().min(HEAD_BYTES))?;
    if let Some(p) = memchr::memchr(0, text) {
        return Some(DataError::Binary { file: file.to_string(), line: count_byte(b'\n', &text[..p]) + 1, byte: bom + p });
    }
    let count = text.iter().filter(|&&b| binary_control(b)).count();
    if count < 8 || count * 32 < text.len() || std::str::from_utf8(&text[..text.len() - incomplete_tail(text)]).is_ok() {
        return None;
    }
    let p = text.iter().position(|&b| binary_control(b))?;
    Some(DataError::BinaryControls { file: file.to_string(), line: count_byte(b'\n', &text[..p]) + 1, byte: bom + p, value: text[p], count, checked: text.len() })
}

/// The 1-based line (in `text`, the head of a file) of the first `\"`
/// followed by more of a value: a quote escaped with a backslash, which
/// CSV reads as the end of a quoted field. A `\"` before a delimiter, a
/// line end or another quote ends a value (`"C:\"`) and is not counted.
fn backslash_quote_line(text: &[u8], delimiter: u8) -> Option<usize> {
    let at = text.windows(3).position(|w| w[0] == b'\\' && w[1] == b'"' && !matches!(w[2], b'\n' | b'\r' | b'"') && w[2] != delimiter)?;
    Some(count_byte(b'\n', &text[..at]) + 1)
}

fn count_byte(b: u8, s: &[u8]) -> usize {
    memchr::memchr_iter(b, s).count()
}

// ---------------------------------------------------------------- decoding

#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Utf8,
    Utf16 { le: bool },
    Windows1252,
}

/// Windows-1252's bytes 0x80 to 0x9F (WHATWG's mapping: the five unassigned
/// bytes map to the C1 controls of the same value); the other bytes are
/// the Unicode code points of the same value.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// Turns raw chunks into valid UTF-8 text, carrying partial characters
/// across chunk boundaries; finds NUL bytes and invalid sequences with
/// their byte offset and line.
struct Decoder {
    encoding: Encoding,
    lossy: bool,
    carry: Vec<u8>,
    /// Absolute file offset of the next byte fed (after the carry).
    pos: usize,
    /// Newlines before `pos - carry.len()`.
    lines: usize,
    replaced: usize,
    first_bad: Option<(usize, usize)>,
    /// Read as UTF-8: the first valid multi-byte character and its line.
    utf8_first: Option<(char, usize)>,
    /// Read as Windows-1252: the valid UTF-8 sequences among the bytes.
    utf8_in_1252: Utf8In1252,
}

/// Valid multi-byte UTF-8 sequences in bytes read as Windows-1252 (each
/// `ü`, C3 BC, read as `Ã¼`): how many, and the first one's byte offset
/// and character; with the state of a sequence begun, across chunks.
#[derive(Default)]
pub(super) struct Utf8In1252 {
    pub(super) count: usize,
    pub(super) first: Option<(usize, char)>,
    /// Continuation bytes still needed, the range of the next one, the
    /// sequence's start and its code point so far.
    need: u8,
    lo: u8,
    hi: u8,
    start: usize,
    cp: u32,
}

impl Utf8In1252 {
    /// Takes byte `b`, at offset `at` of the file.
    fn step(&mut self, b: u8, at: usize) {
        if self.need > 0 {
            if (self.lo..=self.hi).contains(&b) {
                self.cp = self.cp << 6 | u32::from(b & 0x3F);
                self.need -= 1;
                (self.lo, self.hi) = (0x80, 0xBF);
                if self.need == 0 {
                    self.count += 1;
                    if self.first.is_none() {
                        self.first = char::from_u32(self.cp).map(|c| (self.start, c));
                    }
                }
                return;
            }
            self.need = 0;
        }
        // Lead bytes, with the range of the byte after (no overlong form,
        // no surrogate, nothing past U+10FFFF).
        let (need, lo, hi, bits) = match b {
            0xC2..=0xDF => (1, 0x80, 0xBF, b & 0x1F),
            0xE0 => (2, 0xA0, 0xBF, b & 0x0F),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF, b & 0x0F),
            0xED => (2, 0x80, 0x9F, b & 0x0F),
            0xF0 => (3, 0x90, 0xBF, b & 0x07),
            0xF1..=0xF3 => (3, 0x80, 0xBF, b & 0x07),
            0xF4 => (3, 0x80, 0x8F, b & 0x07),
            _ => return,
        };
        (self.need, self.lo, self.hi, self.start, self.cp) = (need, lo, hi, at, u32::from(bits));
    }

    /// An ASCII byte ends any sequence begun.
    fn reset(&mut self) {
        self.need = 0;
    }
}

/// Length of an incomplete UTF-8 sequence at the end of `b`.
fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let c = b[b.len() - back];
        if c & 0xC0 == 0x80 {
            continue;
        }
        let need = if c >= 0xF0 { 4 } else if c >= 0xE0 { 3 } else if c >= 0xC0 { 2 } else { 1 };
        return if need > back { back } else { 0 };
    }
    0
}

impl Decoder {
    fn new(encoding: Encoding, lossy: bool, pos: usize) -> Decoder {
        Decoder { encoding, lossy, carry: Vec::new(), pos, lines: 0, replaced: 0, first_bad: None, utf8_first: None, utf8_in_1252: Utf8In1252::default() }
    }

    /// The first multi-byte character in `valid` (valid UTF-8 from the
    /// decoder's current line on) and its line, unless one was seen.
    fn note_utf8(&mut self, valid: &[u8]) {
        if self.utf8_first.is_some() || valid.is_ascii() {
            return;
        }
        let Some(p) = valid.iter().position(|b| !b.is_ascii()) else { return };
        let c = valid[p..valid.len().min(p + 4)].utf8_chunks().next().and_then(|c| c.valid().chars().next());
        self.utf8_first = c.map(|c| (c, self.lines + count_byte(b'\n', &valid[..p]) + 1));
    }

    /// The invalid UTF-8 error at `at` in `data` (from `base` in the file),
    /// `data` valid before it.
    fn invalid_utf8(&mut self, data: &[u8], at: usize, base: usize, file: &str) -> DataError {
        self.note_utf8(&data[..at]);
        DataError::InvalidUtf8 { file: file.to_string(), line: self.lines + count_byte(b'\n', &data[..at]) + 1, byte: base + at, utf8_before: self.utf8_first }
    }

    fn feed<'a>(&mut self, chunk: &'a [u8], last: bool, file: &str) -> Result<Cow<'a, [u8]>, DataError> {
        let base = self.pos - self.carry.len();
        self.pos += chunk.len();
        let data: Cow<'a, [u8]> = if self.carry.is_empty() {
            Cow::Borrowed(chunk)
        } else {
            let mut v = std::mem::take(&mut self.carry);
            v.extend_from_slice(chunk);
            Cow::Owned(v)
        };
        match self.encoding {
            Encoding::Utf8 => self.feed_utf8(data, base, last, file),
            Encoding::Utf16 { le } => self.feed_utf16(&data, le, base, last, file).map(Cow::Owned),
            Encoding::Windows1252 => self.feed_cp1252(data, base, file),
        }
    }

    fn feed_cp1252<'a>(&mut self, data: Cow<'a, [u8]>, base: usize, file: &str) -> Result<Cow<'a, [u8]>, DataError> {
        if let Some(p) = memchr::memchr(0, &data) {
            return Err(DataError::Binary { file: file.to_string(), line: self.lines + count_byte(b'\n', &data[..p]) + 1, byte: base + p });
        }
        self.lines += count_byte(b'\n', &data);
        if data.is_ascii() {
            if !data.is_empty() {
                self.utf8_in_1252.reset();
            }
            return Ok(data);
        }
        let mut s = String::with_capacity(data.len() + data.len() / 8);
        for (i, &b) in data.iter().enumerate() {
            if b.is_ascii() {
                self.utf8_in_1252.reset();
            } else {
                self.utf8_in_1252.step(b, base + i);
            }
            s.push(match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            });
        }
        Ok(Cow::Owned(s.into_bytes()))
    }

    fn feed_utf8<'a>(&mut self, data: Cow<'a, [u8]>, base: usize, last: bool, file: &str) -> Result<Cow<'a, [u8]>, DataError> {
        if let Some(p) = memchr::memchr(0, &data) {
            // Invalid UTF-8 before the NUL byte is the first error, as it is
            // when the bytes come in smaller pieces.
            if let Err(e) = std::str::from_utf8(&data[..p]) {
                // (An incomplete sequence just before the NUL is no error of its own.)
                if e.error_len().is_some() && !self.lossy {
                    return Err(self.invalid_utf8(&data, e.valid_up_to(), base, file));
                }
            }
            return Err(DataError::Binary { file: file.to_string(), line: self.lines + count_byte(b'\n', &data[..p]) + 1, byte: base + p });
        }
        let tail = if last { 0 } else { incomplete_tail(&data) };
        let body_len = data.len() - tail;
        self.carry = data[body_len..].to_vec();
        let body_lines = count_byte(b'\n', &data[..body_len]);
        let out: Cow<'a, [u8]> = match std::str::from_utf8(&data[..body_len]) {
            Ok(_) => {
                self.note_utf8(&data[..body_len]);
                match data {
                Cow::Borrowed(b) => Cow::Borrowed(&b[..body_len]),
                Cow::Owned(mut v) => {
                    v.truncate(body_len);
                    Cow::Owned(v)
                }
                }
            }
            Err(e) if !self.lossy => return Err(self.invalid_utf8(&data, e.valid_up_to(), base, file)),
            Err(_) => {
                let mut s = String::with_capacity(body_len + 16);
                let mut offset = 0;
                for piece in data[..body_len].utf8_chunks() {
                    s.push_str(piece.valid());
                    offset += piece.valid().len();
                    if !piece.invalid().is_empty() {
                        self.replaced += 1;
                        if self.first_bad.is_none() {
                            self.first_bad = Some((self.lines + count_byte(b'\n', &data[..offset]) + 1, base + offset));
                        }
                        s.push('\u{FFFD}');
                        offset += piece.invalid().len();
                    }
                }
                Cow::Owned(s.into_bytes())
            }
        };
        self.lines += body_lines;
        Ok(out)
    }

    fn feed_utf16(&mut self, data: &[u8], le: bool, base: usize, last: bool, file: &str) -> Result<Vec<u8>, DataError> {
        let unit = |i: usize| if le { u16::from_le_bytes([data[i], data[i + 1]]) } else { u16::from_be_bytes([data[i], data[i + 1]]) };
        let mut out = String::with_capacity(data.len() / 2 + 4);
        let mut i = 0;
        while i + 1 < data.len() {
            let u = unit(i);
            let ch = if (0xD800..0xDC00).contains(&u) {
                if i + 3 >= data.len() && !last {
                    break;
                }
                let low = if i + 3 < data.len() { unit(i + 2) } else { 0 };
                if (0xDC00..0xE000).contains(&low) {
                    i += 2;
                    char::from_u32(0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00))
                } else {
                    None
                }
            } else {
                char::from_u32(u32::from(u))
            };
            match ch {
                Some('\0') => return Err(DataError::Binary { file: file.to_string(), line: self.lines + count_byte(b'\n', out.as_bytes()) + 1, byte: base + i }),
                Some(c) => out.push(c),
                None if self.lossy => {
                    self.replaced += 1;
                    self.first_bad.get_or_insert((self.lines + count_byte(b'\n', out.as_bytes()) + 1, base + i));
                    out.push('\u{FFFD}');
                }
                None => return Err(DataError::InvalidUtf16 { file: file.to_string(), byte: base + i }),
            }
            i += 2;
        }
        if last && i < data.len() {
            // An odd byte at the very end.
            if !self.lossy {
                return Err(DataError::InvalidUtf16 { file: file.to_string(), byte: base + i });
            }
            self.replaced += 1;
            out.push('\u{FFFD}');
            i = data.len();
        }
        self.carry = data[i..].to_vec();
        self.lines += count_byte(b'\n', out.as_bytes());
        Ok(out.into_bytes())
    }
}

mod part;
pub use part::{part_start, Part, PartOutput, PartSpec, ReadBytes};
#[cfg(test)]
pub(crate) use part::read_in_parts;

// ----------------------------------------------------------------- columns

/// A fast non-cryptographic hasher (FxHash's multiply-rotate) for label
/// dictionaries: the data is the user's own, so hash flooding is no threat,
/// and SipHash was a large share of ingestion time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// The state with its bits mixed (MurmurHash3's fmix64). The raw
    /// multiply's low bits depend only on the input's low bits, and the
    /// hash table picks buckets by the low bits: labels with a common start
    /// (`id000001`, `id000002`, … share their low bytes) and integers as
    /// floats (low mantissa bits all zero) all fell in one bucket group, so
    /// reading grew with the square of the rows (200,000 such ids: 2.7 s).
    fn finish(&self) -> u64 {
        super::sketch::fmix64(self.0)
    }
}

/// A hash map keyed by the fast hasher.
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A column's cells holding a spreadsheet's error values
/// ([`SHEET_ERRORS`]), read as missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SheetErrors {
    count: usize,
    /// The first one's row (0-based) and line.
    row: usize,
    line: usize,
    /// Which of [`SHEET_ERRORS`] were seen, a bit each.
    seen: u8,
}

impl SheetErrors {
    /// Counts `t`, a missing-value token, if it is a spreadsheet error.
    fn note(&mut self, t: &str, row: usize, line: usize) {
        if let Some(i) = SHEET_ERRORS.iter().position(|e| *e == t) {
            if self.count == 0 {
                self.row = row;
                self.line = line;
            }
            self.count += 1;
            self.seen |= 1 << i;
        }
    }

    /// Adds a later part's, whose rows and lines start at `row_off` and
    /// `line_off`.
    pub(crate) fn append(&mut self, o: SheetErrors, row_off: usize, line_off: usize) {
        if o.count == 0 {
            return;
        }
        if self.count == 0 {
            self.row = o.row + row_off;
            self.line = o.line + line_off;
        }
        self.count += o.count;
        self.seen |= o.seen;
    }

    /// The note for column `name`, if it had any.
    fn message(&self, name: &str) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        let values: Vec<&str> = SHEET_ERRORS.iter().enumerate().filter(|(i, _)| self.seen & (1 << i) != 0).map(|(_, e)| *e).collect();
        let cells = if self.count == 1 { "1 cell holds a spreadsheet error".to_string() } else { format!("{} cells hold spreadsheet errors", self.count) };
        Some(format!(
            "column {}: {cells} ({}), read as missing, the first at row {} (line {}); a formula failed there: fix it in the spreadsheet and export again to have those values (to keep them as text, give the missing-value tokens without them: --missing, or \"Missing-value tokens\" in the page's reading options)",
            crate::report::quoted(name),
            values.join(", "),
            self.row + 1,
            self.line
        ))
    }
}

struct Labels {
    levels: Vec<String>,
    /// Hash of a level's text → its code; levels whose hashes collide are
    /// chained through `next`. The text is stored once, in `levels`.
    index: FastMap<u64, u32>,
    next: Vec<u32>,
    codes: Vec<Code>,
    /// Bytes of text in `levels`, kept for the memory check.
    text_bytes: usize,
}

/// The hash a label is indexed by.
fn label_hash(key: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.finish() ^ key.len() as u64
}

impl Labels {
    fn new(rows: usize) -> Labels {
        Labels { levels: Vec::new(), index: FastMap::default(), next: Vec::new(), codes: vec![Code::MISSING; rows], text_bytes: 0 }
    }

    fn code(&mut self, key: &str) -> u32 {
        self.code_with(key, str::to_string)
    }

    /// [`Labels::code`] for a level owned already (moved, not copied, when new).
    fn code_owned(&mut self, key: String) -> u32 {
        self.code_with(key, |k| k)
    }

    /// The code of `key`; a new level is stored as `own(key)`.
    fn code_with<K: AsRef<str>>(&mut self, key: K, own: impl FnOnce(K) -> String) -> u32 {
        use std::collections::hash_map::Entry;
        let text = key.as_ref();
        let new = self.levels.len() as u32;
        // One probe of the index, whether the level is found or added.
        match self.index.entry(label_hash(text)) {
            Entry::Occupied(mut e) => {
                let mut c = *e.get();
                while c != u32::MAX {
                    if self.levels[c as usize] == text {
                        return c;
                    }
                    c = self.next[c as usize];
                }
                self.next.push(*e.get());
                *e.get_mut() = new;
            }
            Entry::Vacant(e) => {
                e.insert(new);
                self.next.push(u32::MAX);
            }
        }
        self.text_bytes += text.len();
        self.levels.push(own(key));
        new
    }

    /// Rebuilds `index` and `next` from `levels`.
    fn reindex(&mut self) {
        self.index = FastMap::default();
        self.next = Vec::with_capacity(self.levels.len());
        for (c, level) in self.levels.iter().enumerate() {
            let h = label_hash(level);
            self.next.push(self.index.insert(h, c as u32).unwrap_or(u32::MAX));
        }
    }

    fn push(&mut self, key: &str) {
        let c = self.code(key);
        self.codes.push(Code::new(Some(c)));
    }
}

impl Labels {
    /// Keeps the rows `keep` marks (the next stride's rows) and the labels
    /// they use, renumbered in first-appearance order.
    fn keep_rows(&mut self, keep: &[bool]) {
        keep_marked(&mut self.codes, keep);
        let mut remap = vec![u32::MAX; self.levels.len()];
        let mut order: Vec<usize> = Vec::new();
        for c in self.codes.iter_mut().flatten() {
            let old = *c as usize;
            if remap[old] == u32::MAX {
                remap[old] = order.len() as u32;
                order.push(old);
            }
            *c = remap[old];
        }
        let mut old_levels: Vec<Option<String>> = std::mem::take(&mut self.levels).into_iter().map(Some).collect();
        self.levels = order.iter().map(|&i| old_levels[i].take().unwrap_or_default()).collect();
        self.reindex();
        self.text_bytes = self.levels.iter().map(String::len).sum();
    }
}

/// Whether a time written with a UTC offset is moved by it: an offset of
/// `+hh[:mm]` or `-hh[:mm]` other than zero (`Z`, `UTC`, `GMT` and `+00:00`
/// move nothing).
fn shifts(t: &str) -> bool {
    let Some(p) = t.rfind(['+', '-']) else { return false };
    // The sign of an offset comes after the time of day, not in the date.
    let after_time = t[..p].contains(':');
    after_time && t[p + 1..].bytes().any(|b| b.is_ascii_digit() && b != b'0')
}

/// Keeps the values whose position `keep` marks, in order. The capacity
/// stays: the vector grows back into it as the sample fills again, where a
/// vector given back and grown anew would leave the freed block behind (on
/// the 1 GB bench the page's memory peaked at 520 MB that way, 404 MB this
/// way).
fn keep_marked<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
    let mut n = 0;
    for i in 0..v.len() {
        if keep[i] {
            v[n] = v[i];
            n += 1;
        }
    }
    v.truncate(n);
}

enum Store {
    /// Every value so far is missing; the count is `ColBuilder::stored`.
    Empty,
    Numbers(Vec<Num>),
    Times(Vec<Num>),
    Labels(Labels),
}

/// Settings every column reads.
#[derive(Clone)]
pub(crate) struct Ctx {
    file: String,
    missing: Vec<String>,
    missing_max: usize,
    /// Whether the empty text is a missing token, and which first bytes
    /// (ASCII lower-cased) a non-empty token starts with: most fields are
    /// ruled out without comparing them to every token.
    missing_empty: bool,
    missing_first: [bool; 256],
    /// The values of the tokens that are numbers (see [`missing_numbers`]):
    /// a field that reads as one of them is missing however it is written.
    missing_values: Vec<f64>,
    pub(crate) decimal_comma: bool,
    non_finite: NonFinitePolicy,
    /// About one row in `stride` is kept (1 until the budget forces
    /// sampling): those [`sample_keeps`] keeps.
    stride: usize,
    /// HyperLogLog precision and label-counter cap for summaries.
    hll_precision: u8,
    label_cap_bytes: usize,
    /// KLL parameter for the quantile sketches of numeric columns.
    kll_k: usize,
}

impl Ctx {
    /// Whether `t` is written as a missing-value token (numbers are also
    /// matched by value once read: [`Ctx::is_missing_value`]).
    fn is_missing(&self, t: &str) -> bool {
        match t.as_bytes().first() {
            None => self.missing_empty,
            Some(&b) => t.len() <= self.missing_max && self.missing_first[usize::from(b)] && self.missing.iter().any(|m| m == t),
        }
    }

    /// Whether the number `x` a field reads as is a missing-value token's.
    fn is_missing_value(&self, x: f64) -> bool {
        !self.missing_values.is_empty() && self.missing_values.contains(&x)
    }

    /// Whether `t`, a field of a column set to a type read as text or
    /// dates, reads as a missing-value token's number (read as a column of
    /// inferred type would read it: `007`, a code, is no number).
    fn is_missing_number_text(&self, t: &str) -> bool {
        !self.missing_values.is_empty() && matches!(classify(t, self.decimal_comma), Class::Number(x) if self.is_missing_value(x))
    }
}

/// The values of the missing-value tokens that are finite numbers, as
/// pandas' `na_values` matches them: `-999` then matches `-999.0`,
/// `-999.00`, `-999,0` with a decimal comma and `−999`, not `-9990`; `5`
/// matches `+5` and `5e0`; `0` matches `-0`. A token is read as the file
/// reads numbers, else with a decimal point (a comma separates the tokens
/// of --missing, so `-999.5` is how one is written for a file's
/// `-999,5`). Codes (`007`), `NaN` and `inf` stay text, matched as
/// written; so is every token that is not a number (`NA`).
fn missing_numbers(tokens: &[String], decimal_comma: bool) -> Vec<f64> {
    let mut values: Vec<f64> = Vec::new();
    for t in tokens {
        let x = match classify(t, decimal_comma) {
            Class::Number(x) => Some(x),
            _ if decimal_comma => match classify(t, false) {
                Class::Number(x) => Some(x),
                _ => None,
            },
            _ => None,
        };
        if let Some(x) = x.filter(|x| !values.contains(x)) {
            values.push(x);
        }
    }
    values
}

/// Figures over every row of a column, kept once sampling starts.
struct Acc {
    /// Present values (non-finite numbers included).
    present: usize,
    /// Non-finite numbers read as missing while the column was numeric.
    non_finite: usize,
    moments: Moments,
    /// Quantiles of every value while the column is numeric.
    kll: Option<Kll>,
    /// Whether `moments` covers every value (false once widened to labels).
    numeric: bool,
    hll: Hll,
    labels: Option<LabelCounter>,
    /// Shortest, longest, total characters of labels; exact while `text_exact`.
    text: (usize, usize, usize),
    text_exact: bool,
}

impl Acc {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Acc>() + self.hll.bytes() + self.labels.as_ref().map_or(0, LabelCounter::bytes) + self.kll.as_ref().map_or(0, Kll::bytes)
    }

    fn label(&mut self, text: &str, key: u64, weight: usize) {
        self.hll.add(key);
        if let Some(l) = &mut self.labels {
            l.add(text, weight);
        }
        let n = text.chars().count();
        let t = &mut self.text;
        t.0 = t.0.min(n);
        t.1 = t.1.max(n);
        t.2 = t.2.saturating_add(n * weight);
    }
}

/// Builds one column in one pass.
struct ColBuilder {
    name: String,
    forced: Option<ColumnKind>,
    store: Store,
    /// Rows read.
    rows: usize,
    /// Rows in the store (those the stride keeps).
    stored: usize,
    all_int: bool,
    has_time: bool,
    /// Values read as number, date, other.
    counts: [usize; 3],
    examples: [Vec<ValueExample>; 3],
    /// Non-finite numbers held as missing while the column is numeric:
    /// (position in the store, index into `nf_texts`), and the first one's line.
    non_finite: Vec<(usize, u32)>,
    /// All of them, and the first rows (0-based).
    nf_count: usize,
    nf_rows: Vec<usize>,
    nf_texts: Vec<String>,
    nf_first_line: usize,
    nf_first_text: u32,
    /// Spreadsheet error values (`#DIV/0!`) read as missing.
    sheet_errors: SheetErrors,
    acc: Option<Box<Acc>>,
    /// A column set to a date type read in a local form (`31/01/2020`):
    /// its texts are kept as labels and read as dates at the end.
    loose: Option<LooseForm>,
    /// A column set to a date type has read an ISO date.
    iso_seen: bool,
    /// Times of day read with a UTC offset (or `Z`) and without one.
    zoned: usize,
    unzoned: usize,
    /// The first time written with a UTC offset other than zero (it is
    /// shown converted to UTC, so the note gives an example).
    shifted: Option<String>,
    /// How each stored number is written, by position in the store (see
    /// [`spelling`]; 0 past the end): empty until one is written in a form
    /// its label keeps, should the column turn to labels.
    spelled: Vec<u8>,
    /// The first kept number whose label would be its value written
    /// otherwise (see [`respelled`]).
    respelled: Option<Respelled>,
    /// How each stored time is written, by position in the store (see
    /// [`time_form`]; 0 past the end): empty until one is written in a
    /// form other than its ISO one, should the column turn to labels.
    time_forms: Vec<u32>,
}

/// The written form of a date column set to a date type and read in a
/// local form, and which orders of day and month still read every value.
#[derive(Clone, Copy)]
pub(crate) struct LooseForm {
    sep: u8,
    year_first: bool,
    day_first: bool,
    month_first: bool,
}

/// Rows in which numbers are checked for a form their label does not keep
/// while their column is numeric (see `ColBuilder::note_respelled`).
const RESPELLED_ROWS: usize = 100_000;

/// The distinct-count key of a label read without a forced type: numbers
/// and dates by value, so a column that widens keeps one key per value,
/// as the rows read before it widened were counted (a number kept as
/// written, `1.10` beside `1.1`, is a label of its own, which the exact
/// label count, when there is one, makes up for: see `finish`). Numbers'
/// labels have a decimal point whatever the file's mark.
fn label_key(s: &str, forced: bool) -> u64 {
    if forced {
        return text_key(s);
    }
    match classify(s, false) {
        Class::Number(x) => number_key(x),
        Class::Time(t, _) => time_key(t),
        _ => text_key(s),
    }
}

impl ColBuilder {
    fn new(name: String, forced: Option<ColumnKind>) -> ColBuilder {
        let store = match forced {
            None => Store::Empty,
            Some(k) if k.is_time() => Store::Times(Vec::new()),
            Some(k) if k.is_numeric() => Store::Numbers(Vec::new()),
            Some(_) => Store::Labels(Labels::new(0)),
        };
        ColBuilder {
            name,
            forced,
            store,
            rows: 0,
            stored: 0,
            all_int: true,
            has_time: false,
            counts: [0; 3],
            examples: Default::default(),
            non_finite: Vec::new(),
            nf_count: 0,
            nf_rows: Vec::new(),
            nf_texts: Vec::new(),
            nf_first_line: 0,
            nf_first_text: 0,
            sheet_errors: SheetErrors::default(),
            acc: None,
            loose: None,
            iso_seen: false,
            zoned: 0,
            unzoned: 0,
            shifted: None,
            spelled: Vec::new(),
            respelled: None,
            time_forms: Vec::new(),
        }
    }

    fn note(&mut self, class: usize, t: &str) {
        self.counts[class] += 1;
        if self.examples[class].len() < EXAMPLES {
            self.examples[class].push(ValueExample { value: clip(t), row: self.rows + 1 });
        }
    }

    /// Starts the all-row figures from the store, which holds every row
    /// read so far (sampling has not started).
    fn start_summary(&mut self, ctx: &Ctx) {
        let mut acc = Acc {
            present: 0,
            non_finite: self.nf_count,
            moments: Moments::default(),
            kll: None,
            numeric: true,
            hll: Hll::new(ctx.hll_precision),
            labels: None,
            text: (usize::MAX, 0, 0),
            text_exact: true,
        };
        match &self.store {
            Store::Empty => acc.kll = Some(Kll::new(ctx.kll_k)),
            Store::Numbers(v) | Store::Times(v) => {
                let time = matches!(self.store, Store::Times(_));
                let mut present: Vec<f64> = Vec::with_capacity(v.len());
                for x in v.iter().flatten() {
                    acc.moments.add(*x);
                    acc.hll.add(if time { time_key(*x) } else { number_key(*x) });
                    present.push(*x);
                }
                acc.present += present.len() + self.nf_count;
                // Built from the sorted values at once: added one by one,
                // the rows read so far stalled the read (and its progress)
                // for seconds when it turned to sampling.
                radsort::sort(&mut present);
                acc.kll = Some(Kll::from_sorted(ctx.kll_k, &present));
            }
            Store::Labels(l) => {
                acc.numeric = false;
                let mut counts = vec![0usize; l.levels.len()];
                for c in l.codes.iter().flatten() {
                    counts[*c as usize] += 1;
                }
                acc.labels = Some(LabelCounter::new(ctx.label_cap_bytes));
                for (level, &n) in l.levels.iter().zip(&counts) {
                    acc.present += n;
                    acc.label(level, label_key(level, self.forced.is_some()), n);
                }
            }
        }
        self.acc = Some(Box::new(acc));
    }

    /// About halves the store: keeps the rows `keep` marks (by position in
    /// the store), those of the doubled stride; `position` gives a stored
    /// row's new position.
    fn keep_rows(&mut self, keep: &[bool], position: &[usize]) {
        match &mut self.store {
            Store::Empty => {}
            Store::Numbers(v) | Store::Times(v) => keep_marked(v, keep),
            Store::Labels(l) => l.keep_rows(keep),
        }
        let n = self.spelled.len();
        keep_marked(&mut self.spelled, &keep[..n]);
        let n = self.time_forms.len();
        keep_marked(&mut self.time_forms, &keep[..n]);
        self.non_finite.retain(|&(i, _)| keep[i]);
        for e in &mut self.non_finite {
            e.0 = position[e.0];
        }
        self.stored = keep.iter().filter(|&&k| k).count();
    }

    fn widen_to_labels(&mut self, ctx: &Ctx) {
        let labels = match std::mem::replace(&mut self.store, Store::Empty) {
            Store::Empty => Labels::new(self.stored),
            Store::Numbers(v) => {
                let mut l = Labels::new(0);
                let spelled = std::mem::take(&mut self.spelled);
                let hint = |i: usize| spelled.get(i).copied().unwrap_or(0);
                l.codes = v.iter().enumerate().map(|(i, x)| Code::new(x.map(|x| l.code(&number_label(x, hint(i)))))).collect();
                for (r, t) in std::mem::take(&mut self.non_finite) {
                    let c = l.code(&self.nf_texts[t as usize]);
                    l.codes[r] = Code::new(Some(c));
                }
                self.nf_count = 0;
                self.nf_rows.clear();
                l
            }
            Store::Times(v) => {
                let mut l = Labels::new(0);
                let forms = std::mem::take(&mut self.time_forms);
                let form = |i: usize| forms.get(i).copied().unwrap_or(0);
                l.codes = v.iter().enumerate().map(|(i, x)| Code::new(x.map(|x| l.code(&time_label(x, form(i)))))).collect();
                l
            }
            Store::Labels(l) => l,
        };
        if let Some(acc) = &mut self.acc {
            acc.numeric = false;
            acc.kll = None;
            if acc.labels.is_none() {
                let mut counter = LabelCounter::new(ctx.label_cap_bytes);
                if acc.present > 0 {
                    // Rows before this one that were not kept are known only
                    // through the sample: each kept row stands for `stride`.
                    counter.mark_seeded();
                    acc.text_exact = false;
                    let mut counts = vec![0usize; labels.levels.len()];
                    for c in labels.codes.iter().flatten() {
                        counts[*c as usize] += 1;
                    }
                    for (level, &n) in labels.levels.iter().zip(&counts) {
                        counter.add(level, n.saturating_mul(ctx.stride));
                    }
                }
                acc.labels = Some(counter);
            }
        }
        self.store = Store::Labels(labels);
    }

    /// A missing value with no text: a field a short row lacks.
    fn push_absent(&mut self, keep: bool) {
        self.push_missing_kept(keep);
        self.rows += 1;
        self.stored += usize::from(keep);
    }

    /// A missing value in row `self.rows`, stored when the row is kept.
    fn push_missing_kept(&mut self, keep: bool) {
        if keep {
            self.push_missing();
        }
    }

    fn push_missing(&mut self) {
        match &mut self.store {
            Store::Empty => {}
            Store::Numbers(v) | Store::Times(v) => v.push(Num::MISSING),
            Store::Labels(l) => l.codes.push(Code::MISSING),
        }
    }

    fn numbers(&mut self) -> &mut Vec<Num> {
        if let Store::Empty = self.store {
            self.store = Store::Numbers(vec![Num::MISSING; self.stored]);
        }
        match &mut self.store {
            Store::Numbers(v) => v,
            _ => unreachable!("called only on an empty or numeric column"),
        }
    }

    /// Notes the first kept number that as a label would read otherwise:
    /// among the first [`RESPELLED_ROWS`] rows while the column is numeric
    /// (an example for advice, not worth a check of every number of a
    /// large file that stays numeric), and among every row once labels.
    fn note_respelled(&mut self, t: &str, x: f64, hint: u8, ctx: &Ctx, keep: bool) {
        if keep && self.respelled.is_none() && (self.rows < RESPELLED_ROWS || matches!(self.store, Store::Labels(_))) {
            if let Some(reads) = respelled(t, x, hint, ctx.decimal_comma) {
                self.respelled = Some(Respelled { value: clip(t), reads, row: self.rows + 1 });
            }
        }
    }

    /// A number, written as `hint` says (see [`spelling`]; 0 when its
    /// column is set to a type or the row is not kept).
    fn push_number(&mut self, x: f64, keep: bool, hint: u8) {
        if let Some(acc) = &mut self.acc {
            acc.present += 1;
            acc.moments.add(x);
            acc.hll.add(number_key(x));
            if let Some(kll) = &mut acc.kll {
                kll.add(x);
            }
        }
        if keep {
            let v = self.numbers();
            v.push(Num::new(Some(x)));
            if hint != 0 {
                let at = v.len() - 1;
                self.spelled.resize(at, 0);
                self.spelled.push(hint);
            }
        } else if let Store::Empty = self.store {
            self.numbers();
        }
    }

    /// A time, written as `form` says (see [`time_form`]; 0 when its
    /// column is set to a type or the row is not kept).
    fn push_time(&mut self, x: f64, keep: bool, form: u32) {
        if let Some(acc) = &mut self.acc {
            acc.present += 1;
            acc.moments.add(x);
            acc.hll.add(time_key(x));
            if let Some(kll) = &mut acc.kll {
                kll.add(x);
            }
        }
        match &mut self.store {
            Store::Empty => {
                let mut v = vec![Num::MISSING; self.stored];
                if keep {
                    v.push(Num::new(Some(x)));
                }
                self.store = Store::Times(v);
            }
            Store::Times(v) if keep => v.push(Num::new(Some(x))),
            _ => return,
        }
        if keep && form != 0 {
            self.time_forms.resize(self.stored, 0);
            self.time_forms.push(form);
        }
    }

    /// A label (the column's store is labels); `key` gives its distinct-count
    /// key, computed only once the all-row figures are kept.
    fn push_label(&mut self, t: &str, key: impl FnOnce() -> u64, keep: bool) {
        if let Some(acc) = &mut self.acc {
            acc.present += 1;
            acc.label(t, key(), 1);
        }
        if keep {
            if let Store::Labels(l) = &mut self.store {
                l.push(t);
            }
        }
    }

    fn push_non_finite(&mut self, t: &str, line: usize, keep: bool) {
        let i = match self.nf_texts.iter().position(|x| x == t) {
            Some(i) => i,
            None if self.nf_texts.len() < 64 => {
                self.nf_texts.push(clip(t));
                self.nf_texts.len() - 1
            }
            None => 0,
        };
        if self.nf_count == 0 {
            self.nf_first_line = line;
            self.nf_first_text = i as u32;
        }
        self.nf_count += 1;
        if self.nf_rows.len() < LISTED_ROWS {
            self.nf_rows.push(self.rows);
        }
        if let Some(acc) = &mut self.acc {
            acc.present += 1;
            acc.non_finite += 1;
        }
        if keep {
            self.non_finite.push((self.stored, i as u32));
            self.numbers().push(Num::MISSING);
        } else {
            self.numbers();
        }
    }

    /// A value of a column set to a date type that is not ISO 8601: read
    /// in a local form (`31/01/2020`, see [`loose_date`]) when every value
    /// so far was, in the same form, and some order of day and month still
    /// reads them all; otherwise the value is an error here, with its row.
    fn push_loose_date(&mut self, t: &str, line: usize, ctx: &Ctx, kind: ColumnKind, keep: bool) -> Result<(), DataError> {
        let Some(d) = loose_date(t).filter(|_| !self.iso_seen) else {
            return Err(self.bad(ctx, line, kind, t));
        };
        let (day_first, month_first) = (d.seconds(true).is_some(), d.seconds(false).is_some());
        let form = match self.loose {
            None => LooseForm { sep: d.sep, year_first: d.year_first, day_first, month_first },
            Some(f) if f.sep == d.sep && f.year_first == d.year_first => LooseForm { day_first: f.day_first && day_first, month_first: f.month_first && month_first, ..f },
            Some(_) => return Err(self.bad(ctx, line, kind, t)),
        };
        if !form.day_first && !form.month_first {
            return Err(self.bad(ctx, line, kind, t));
        }
        if self.loose.is_none() {
            // Every value so far was missing: the store becomes labels.
            self.store = Store::Labels(Labels::new(self.stored));
            if let Some(acc) = &mut self.acc {
                acc.numeric = false;
            }
        }
        self.loose = Some(form);
        self.push_label(t, || text_key(t), keep);
        Ok(())
    }

    /// Counts an ISO time of day `t` as written with a UTC offset or not
    /// (the time's minutes end 6 bytes after the `T` or space).
    fn note_zone(&mut self, t: &str, has_time: bool) {
        if has_time {
            let zone = t.ends_with(['Z', 'z']) || t.ends_with("UTC") || t.ends_with("GMT") || match t.as_bytes().get(10) {
                    Some(b'T' | b' ') => t.get(16..),
                    _ => t.find(['T', ' ']).and_then(|p| t.get(p + 6..)),
                }
                .is_some_and(|r| r.contains(['+', '-']));
            if zone {
                self.zoned += 1;
                if self.shifted.is_none() && shifts(t) {
                    self.shifted = Some(t.chars().take(60).collect());
                }
            } else {
                self.unzoned += 1;
            }
        }
    }

    fn bad(&self, ctx: &Ctx, line: usize, kind: ColumnKind, t: &str) -> DataError {
        DataError::BadValue {
            file: ctx.file.clone(),
            row: self.rows + 1,
            line,
            column: self.name.clone(),
            kind: kind.as_str().replace('_', "-"),
            value: clip(t),
        }
    }

    /// Reads one field of row `self.rows`; `keep` says whether the row is
    /// in the sample (always, until sampling starts).
    fn push(&mut self, field: &str, line: usize, ctx: &Ctx, keep: bool) -> Result<(), DataError> {
        // Most fields start and end with a printable ASCII byte: no trim.
        let t = match field.as_bytes() {
            [f, .., l] if (b'!'..=b'~').contains(f) && (b'!'..=b'~').contains(l) => field,
            [b] if (b'!'..=b'~').contains(b) => field,
            _ => field.trim(),
        };
        if ctx.is_missing(t) {
            if t.starts_with('#') {
                self.sheet_errors.note(t, self.rows, line);
            }
            self.push_missing_kept(keep);
        } else {
            self.push_present(t, line, ctx, keep)?;
        }
        self.rows += 1;
        self.stored += usize::from(keep);
        Ok(())
    }

    fn push_present(&mut self, t: &str, line: usize, ctx: &Ctx, keep: bool) -> Result<(), DataError> {
        // Label texts are only needed for the store and the all-row counts.
        let wanted = keep || self.acc.is_some();
        match self.forced {
            // A missing-value token's number written otherwise (`-999.0`
            // for `-999`); numbers are matched where they are read below.
            Some(k) if !matches!(k, ColumnKind::Integer | ColumnKind::Float) && ctx.is_missing_number_text(t) => self.push_missing_kept(keep),
            Some(ColumnKind::Categorical | ColumnKind::Text) => self.push_label(t, || text_key(t), keep),
            Some(ColumnKind::Boolean) => {
                if !is_bool_token(t) {
                    return Err(self.bad(ctx, line, ColumnKind::Boolean, t));
                }
                self.push_label(t, || text_key(t), keep);
            }
            Some(k @ (ColumnKind::Integer | ColumnKind::Float)) => match parse_number(t, ctx.decimal_comma) {
                Some(x) if ctx.is_missing_value(x) => self.push_missing_kept(keep),
                Some(x) if !x.is_finite() => self.push_non_finite(t, line, keep),
                // An integer with no exact f64 (past 2^53) would silently
                // become its neighbour, and distinct IDs one value.
                Some(x) if k == ColumnKind::Integer && !integer_is_exact(t, x, ctx.decimal_comma) => {
                    return Err(DataError::InexactInteger { file: ctx.file.clone(), row: self.rows + 1, line, column: self.name.clone(), value: clip(t) });
                }
                Some(x) if k == ColumnKind::Float || x.fract() == 0.0 => self.push_number(x, keep, 0),
                _ => return Err(self.bad(ctx, line, k, t)),
            },
            Some(k) => match parse_time(t) {
                Some((x, has_time)) if self.loose.is_none() => {
                    self.iso_seen = true;
                    self.note_zone(t, has_time);
                    self.push_time(x, keep, 0);
                }
                _ => self.push_loose_date(t, line, ctx, k, keep)?,
            },
            None => match classify(t, ctx.decimal_comma) {
                Class::Number(x) if ctx.is_missing_value(x) => self.push_missing_kept(keep),
                Class::Number(x) => {
                    self.note(0, t);
                    self.all_int &= is_integer_text(t, ctx.decimal_comma);
                    match &self.store {
                        Store::Empty | Store::Numbers(_) => {
                            let hint = if keep { spelling(t, x, ctx.decimal_comma) } else { 0 };
                            self.note_respelled(t, x, hint, ctx, keep);
                            self.push_number(x, keep, hint);
                        }
                        Store::Times(_) | Store::Labels(_) => {
                            if !matches!(self.store, Store::Labels(_)) {
                                self.widen_to_labels(ctx);
                            }
                            let hint = if wanted { spelling(t, x, ctx.decimal_comma) } else { 0 };
                            self.note_respelled(t, x, hint, ctx, keep);
                            let s = if wanted { number_label(x, hint) } else { String::new() };
                            self.push_label(&s, || number_key(x), keep);
                        }
                    }
                }
                Class::NonFinite => {
                    self.note(0, t);
                    match &self.store {
                        Store::Empty | Store::Numbers(_) => self.push_non_finite(t, line, keep),
                        Store::Times(_) | Store::Labels(_) => {
                            if !matches!(self.store, Store::Labels(_)) {
                                self.widen_to_labels(ctx);
                            }
                            self.push_label(t, || text_key(t), keep);
                        }
                    }
                }
                Class::Time(x, has_time) => {
                    self.note(1, t);
                    self.note_zone(t, has_time);
                    self.has_time |= has_time;
                    match &self.store {
                        Store::Empty | Store::Times(_) => {
                            let form = if keep { time_form(t, x) } else { 0 };
                            self.push_time(x, keep, form);
                        }
                        Store::Numbers(_) | Store::Labels(_) => {
                            if !matches!(self.store, Store::Labels(_)) {
                                self.widen_to_labels(ctx);
                            }
                            let s = if wanted { time_label(x, time_form(t, x)) } else { String::new() };
                            self.push_label(&s, || time_key(x), keep);
                        }
                    }
                }
                Class::Other => {
                    self.note(2, t);
                    if !matches!(self.store, Store::Labels(_)) {
                        self.widen_to_labels(ctx);
                    }
                    self.push_label(t, || text_key(t), keep);
                }
            },
        }
        Ok(())
    }

    /// Heap bytes the column's values hold (label codes and texts), by
    /// length: what the budget check reads.
    fn heap_bytes(&self) -> usize {
        let per_value = std::mem::size_of::<Num>();
        match &self.store {
            Store::Empty => 0,
            Store::Numbers(v) | Store::Times(v) => v.len().saturating_mul(per_value),
            Store::Labels(l) => {
                let text = l.text_bytes;
                // Each level's text counted twice (as when the index held a
                // copy, so limits did not move) plus per-entry overhead.
                l.codes.len().saturating_mul(std::mem::size_of::<Code>()) + text.saturating_mul(2) + l.levels.len().saturating_mul(64)
            }
        }
        .saturating_add(self.non_finite.len() * 16)
        .saturating_add(self.spelled.len())
        .saturating_add(self.time_forms.len() * 4)
    }

    /// Reserves the store's vector for `rows` rows in all, so that it does
    /// not double (and copy) on the way there.
    fn reserve(&mut self, rows: usize) {
        let more = rows.saturating_sub(self.stored);
        match &mut self.store {
            Store::Empty => {}
            Store::Numbers(v) | Store::Times(v) => v.reserve_exact(more),
            Store::Labels(l) => l.codes.reserve_exact(more),
        }
    }

    /// The store's vector: length, capacity and bytes per row.
    fn store_vec(&self) -> (usize, usize, usize) {
        match &self.store {
            Store::Empty => (0, 0, std::mem::size_of::<Num>()),
            Store::Numbers(v) | Store::Times(v) => (v.len(), v.capacity(), std::mem::size_of::<Num>()),
            Store::Labels(l) => (l.codes.len(), l.codes.capacity(), std::mem::size_of::<Code>()),
        }
    }

    /// The bytes the column may come to hold before the next check, for
    /// the sampling rule: its vector by capacity when that already covers
    /// `reserved` rows (it will not grow before), otherwise twice its
    /// length (a growing vector can double) or its capacity if more (kept
    /// from before the rows were halved) unless `tight`, as if that
    /// capacity were given back; label texts and entries twice.
    fn bound_bytes(&self, reserved: usize, tight: bool) -> usize {
        let (len, cap, per) = self.store_vec();
        let grown = len.saturating_mul(2);
        let store = if reserved > 0 && cap >= reserved { cap } else if tight { grown } else { grown.max(cap) }.saturating_mul(per);
        let rest = self.heap_bytes().saturating_sub(len.saturating_mul(per));
        store.saturating_add(rest.saturating_mul(2))
    }

    /// Gives back the store's capacity beyond twice its length.
    fn shrink(&mut self) {
        match &mut self.store {
            Store::Empty => {}
            Store::Numbers(v) | Store::Times(v) => v.shrink_to(2 * v.len()),
            Store::Labels(l) => l.codes.shrink_to(2 * l.codes.len()),
        }
    }

    /// Heap bytes held now, by capacity, with the all-row figures.
    fn held_bytes(&self) -> usize {
        let store = match &self.store {
            Store::Empty => 0,
            Store::Numbers(v) | Store::Times(v) => v.capacity().saturating_mul(std::mem::size_of::<Num>()),
            Store::Labels(l) => {
                l.codes.capacity().saturating_mul(std::mem::size_of::<Code>()) + l.text_bytes.saturating_mul(2) + l.levels.len().saturating_mul(64)
            }
        };
        store + self.non_finite.capacity() * 16 + self.spelled.capacity() + self.time_forms.capacity() * 4 + self.acc_bytes()
    }

    fn acc_bytes(&self) -> usize {
        self.acc.as_ref().map_or(0, |a| a.bytes())
    }

    fn finish(mut self, ctx: &Ctx, report: &mut IngestReport) -> Result<(Column, Option<ColumnSummary>), DataError> {
        if let Store::Empty = self.store {
            self.store = Store::Numbers(vec![Num::MISSING; self.stored]);
        }
        if self.nf_count > 0 {
            let row = self.nf_rows.first().copied().unwrap_or(0);
            if ctx.non_finite == NonFinitePolicy::Error {
                let t = self.nf_first_text;
                return Err(DataError::NonFinite {
                    file: ctx.file.clone(),
                    row: row + 1,
                    line: self.nf_first_line,
                    column: self.name.clone(),
                    value: self.nf_texts.get(t as usize).cloned().unwrap_or_default(),
                });
            }
            report.non_finite.push(NonFiniteValues {
                column: self.name.clone(),
                count: self.nf_count,
                rows: self.nf_rows.iter().map(|r| r + 1).collect(),
                values: self.nf_texts.iter().take(LISTED_ROWS).cloned().collect(),
            });
        }
        if let Some(message) = self.sheet_errors.message(&self.name) {
            report.warnings.push(IngestWarning { code: "spreadsheet_errors".into(), message });
        }
        let acc = self.acc.take();
        let (kind, values) = match self.store {
            Store::Numbers(v) => {
                let kind = self.forced.unwrap_or(if self.all_int && self.counts[0] > 0 { ColumnKind::Integer } else { ColumnKind::Float });
                (kind, ColumnValues::Numeric(v))
            }
            Store::Times(v) => {
                let kind = self.forced.unwrap_or(if self.has_time { ColumnKind::DateTime } else { ColumnKind::Date });
                (kind, ColumnValues::Numeric(v))
            }
            // Dates written 1/31/2020 or 31.01.2020: every value one of them.
            // When sampled, judged on every row's labels if they were all
            // counted, else on the sample's (and said); the all-row figures
            // kept by label then give the count and the distinct estimate.
            // A column set to a date type (`loose`) had every value checked
            // as it was read, sampled or not.
            Store::Labels(l) if self.loose.is_some() || (self.forced.is_none() && self.counts[..2] == [0, 0] && !l.levels.is_empty()) => match sampled_loose_dates(
                &l.levels,
                // Summaries begun before sampling (projected) that it never
                // came to: the labels held are every row's.
                if self.loose.is_some() || ctx.stride == 1 { None } else { acc.as_ref().map(|a| a.labels.as_ref()) },
            ) {
                Some((dates, judged_on_sample)) => {
                    if judged_on_sample {
                        report.warnings.push(IngestWarning {
                            code: "dates_from_sample".into(),
                            message: format!("column \"{}\": read as dates because every value in the sampled rows is one (e.g. \"{}\"); rows left out of the sample were not all checked", self.name, clip(&l.levels[0])),
                        });
                    }
                    if let Some(order) = dates.guessed {
                        report.warnings.push(IngestWarning {
                            code: "date_order".into(),
                            message: format!(
                                "column \"{}\": every date (e.g. \"{}\") reads both day first and month first; read {order} first{}",
                                self.name,
                                clip(&l.levels[0]),
                                if self.forced.is_none() { "; to keep them as text, set the column's type to categorical" } else { "" }
                            ),
                        });
                    }
                    let kind = self.forced.unwrap_or(if dates.has_time { ColumnKind::DateTime } else { ColumnKind::Date });
                    (kind, ColumnValues::Numeric(l.codes.iter().map(|c| Num::new(c.map(|c| dates.times[c as usize]))).collect()))
                }
                None => {
                    if let Some((day, month)) = conflicting_date_orders(&l.levels) {
                        report.warnings.push(IngestWarning {
                            code: "date_order_conflict".into(),
                            message: format!(
                                "column \"{}\": every value is a date, but no one order of day and month reads them all (\"{}\" has the day first, \"{}\" the month), so they were kept as text; correct them at the source",
                                self.name,
                                clip(day),
                                clip(month)
                            ),
                        });
                    }
                    let kind = label_kind(&l, acc.as_ref().and_then(|a| a.labels.as_ref()));
                    (kind, ColumnValues::Categorical { levels: l.levels, codes: l.codes })
                }
            },
            Store::Labels(l) => {
                let all = acc.as_ref().and_then(|a| a.labels.as_ref());
                let kind = self.forced.unwrap_or_else(|| label_kind(&l, all));
                (kind, ColumnValues::Categorical { levels: l.levels, codes: l.codes })
            }
            Store::Empty => unreachable!("replaced above"),
        };
        if kind.is_time() && self.zoned > 0 {
            report.zoned_times.push(self.name.clone());
        }
        if kind.is_time() && self.zoned > 0 && self.unzoned > 0 {
            report.warnings.push(IngestWarning {
                code: "time_zones_mixed".into(),
                message: format!(
                    "column \"{}\": {} {} a UTC offset and {} {} none; those without were read as UTC, which may be hours off",
                    self.name,
                    self.zoned,
                    if self.zoned == 1 { "time has" } else { "times have" },
                    self.unzoned,
                    if self.unzoned == 1 { "has" } else { "have" }
                ),
            });
        }
        // Every time has an offset: they are shown in UTC, which is not
        // what the file says; one example makes that plain.
        if let (true, 0, Some(example)) = (kind.is_time(), self.unzoned, &self.shifted) {
            if let Some((t, _)) = crate::data::value::parse_time(example) {
                report.warnings.push(IngestWarning {
                    code: "time_zones_utc".into(),
                    message: format!(
                        "column \"{}\": times written with a UTC offset are shown in UTC (\"{example}\" is {})",
                        self.name,
                        crate::data::value::format_time(t)
                    ),
                });
            }
        }
        let (values, merged) = match values {
            ColumnValues::Categorical { levels, mut codes } if kind == ColumnKind::Boolean => {
                let (levels, merged) = merge_booleans(levels, &mut codes);
                (ColumnValues::Categorical { levels, codes }, merged)
            }
            v => (v, Vec::new()),
        };
        if !merged.is_empty() {
            report.warnings.push(IngestWarning {
                code: "boolean_spellings".into(),
                message: format!("column \"{}\": {} read as one value each", self.name, merged.join("; ")),
            });
        }
        if self.forced.is_none() && self.counts.iter().filter(|&&c| c > 0).count() > 1 {
            const NAMES: [&str; 3] = ["number", "date", "text"];
            let majority = (0..3).max_by_key(|&i| (self.counts[i], std::cmp::Reverse(i))).unwrap_or(2);
            let examples = (0..3).filter(|&i| i != majority).flat_map(|i| self.examples[i].clone()).collect();
            report.mixed.push(MixedTypes {
                column: self.name.clone(),
                kept_as: kind,
                numbers: self.counts[0],
                dates: self.counts[1],
                texts: self.counts[2],
                majority: NAMES[majority].to_string(),
                dates_have_time: self.has_time,
                examples,
                respelled: self.respelled.take(),
            });
        }
        let summary = acc.map(|a| {
            let numeric = kind.is_numeric();
            let boolean = kind == ColumnKind::Boolean;
            let count = if numeric { a.present - a.non_finite } else { a.present };
            let std_error = a.hll.std_error();
            let (labels, labels_error, labels_seeded) = match a.labels.filter(|_| !numeric) {
                Some(l) => {
                    let (list, error, seeded) = l.into_summary();
                    (Some(if boolean { merge_boolean_counts(list) } else { list }), error, seeded)
                }
                None => (None, None, false),
            };
            // A boolean column has at most two values, however spelled.
            // Labels all counted (none dropped for space) are as many
            // distinct values at least: the sketch took numbers by value
            // (`1.10` and `1.1` one key), as it must while the column is
            // numeric.
            let distinct_estimate = match &labels {
                Some(l) if boolean => l.len() as f64,
                Some(l) if labels_error.is_none() => a.hll.estimate().max(l.len() as f64),
                _ => a.hll.estimate(),
            };
            ColumnSummary {
                name: self.name.clone(),
                count,
                missing: self.rows - count,
                quartiles: a.kll.as_ref().filter(|k| numeric && a.numeric && k.count() > 0).and_then(|k| {
                    let q = k.quantiles(&[0.25, 0.5, 0.75])?;
                    Some(([q[0], q[1], q[2]], k.rank_error()))
                }),
                numbers: (numeric && a.numeric).then_some(a.moments),
                distinct_estimate,
                distinct_std_error: std_error,
                labels,
                labels_error,
                labels_seeded,
                text_lengths: (!numeric && a.text_exact).then_some(if a.text.0 == usize::MAX { (0, 0, 0) } else { a.text }),
            }
        });
        Ok((Column { name: self.name, kind, values }, summary))
    }
}

/// A boolean column's levels merged by the truth they say (`TRUE` and
/// `true`, or `yes` and `y`, are one value), each kept in its first
/// spelling and codes renumbered; with the merges made, as text
/// (`"TRUE", "true" as "TRUE"`).
fn merge_booleans(levels: Vec<String>, codes: &mut [Code]) -> (Vec<String>, Vec<String>) {
    let mut kept: Vec<(Option<bool>, String)> = Vec::new();
    let mut spellings: Vec<Vec<String>> = Vec::new();
    let mut remap = Vec::with_capacity(levels.len());
    for level in levels {
        let truth = bool_value(&level);
        match kept.iter().position(|(t, _)| truth.is_some() && *t == truth) {
            Some(i) => {
                spellings[i].push(level);
                remap.push(i as u32);
            }
            None => {
                remap.push(kept.len() as u32);
                spellings.push(vec![level.clone()]);
                kept.push((truth, level));
            }
        }
    }
    if kept.len() == remap.len() {
        return (kept.into_iter().map(|(_, l)| l).collect(), Vec::new());
    }
    for c in codes.iter_mut().flatten() {
        *c = remap[*c as usize];
    }
    let merged = spellings
        .iter()
        .zip(&kept)
        .filter(|(s, _)| s.len() > 1)
        .map(|(s, (_, first))| format!("{} as \"{}\"", s.iter().map(|l| format!("\"{}\"", clip(l))).collect::<Vec<_>>().join(", "), clip(first)))
        .collect();
    (kept.into_iter().map(|(_, l)| l).collect(), merged)
}

/// Label counts of a boolean column merged by truth, as [`merge_booleans`] does.
fn merge_boolean_counts(list: Vec<(String, usize)>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (label, n) in list {
        let truth = bool_value(&label);
        match out.iter_mut().find(|(l, _)| truth.is_some() && bool_value(l) == truth) {
            Some(e) => e.1 += n,
            None => out.push((label, n)),
        }
    }
    out
}

/// A label column read as dates (see [`loose_date`]).
struct LooseDates {
    /// Each level's time.
    times: Vec<f64>,
    has_time: bool,
    /// `day` or `month` when both orders read every date.
    guessed: Option<&'static str>,
}

/// Reads every level as a date in one written form (one separator, year
/// first or last). The day comes first or second, whichever reads every
/// date; when both do, the month comes first with slashes (as in the US)
/// and the day with dots or dashes (as in Europe), and the guess is said.
fn loose_dates(levels: &[String]) -> Option<LooseDates> {
    let parts: Vec<LooseDate> = levels.iter().map(|l| loose_date(l)).collect::<Option<_>>()?;
    let (sep, year_first) = (parts[0].sep, parts[0].year_first);
    if parts.iter().any(|p| p.sep != sep || p.year_first != year_first) {
        return None;
    }
    let has_time = parts.iter().any(|p| p.time.is_some());
    let read = |day_first: bool| parts.iter().map(|p| p.seconds(day_first)).collect::<Option<Vec<f64>>>();
    if year_first {
        return read(false).map(|times| LooseDates { times, has_time, guessed: None });
    }
    let (times, guessed) = match (read(true), read(false)) {
        (Some(_), Some(m)) if sep == b'/' => (m, Some("month")),
        (Some(d), Some(_)) => (d, Some("day")),
        (Some(d), None) => (d, None),
        (None, Some(m)) => (m, None),
        (None, None) => return None,
    };
    Some(LooseDates { times, has_time, guessed })
}

/// [`loose_dates`] of a column's levels. For a sampled column (`all` is
/// `Some`), the order and the verdict come from every row's labels when
/// the counter holds them all, else from the sample's levels (then the
/// flag is true).
fn sampled_loose_dates(levels: &[String], all: Option<Option<&LabelCounter>>) -> Option<(LooseDates, bool)> {
    let counter = match all {
        None => return loose_dates(levels).map(|d| (d, false)),
        Some(c) => c.filter(|c| c.is_exact()),
    };
    let Some(counter) = counter else {
        return loose_dates(levels).map(|d| (d, true));
    };
    let every: Vec<String> = counter.labels().map(str::to_string).collect();
    let decided = loose_dates(&every)?;
    let time_of: HashMap<&str, f64> = every.iter().map(String::as_str).zip(decided.times.iter().copied()).collect();
    let times = levels.iter().map(|l| time_of.get(l.as_str()).copied()).collect::<Option<Vec<f64>>>()?;
    Some((LooseDates { times, has_time: decided.has_time, guessed: decided.guessed }, false))
}

/// Labels that are all dates in one written form, read only day first by
/// some and only month first by others: one of each.
fn conflicting_date_orders(levels: &[String]) -> Option<(&str, &str)> {
    let parts: Vec<LooseDate> = levels.iter().map(|l| loose_date(l)).collect::<Option<_>>()?;
    let (sep, year_first) = (parts.first()?.sep, parts[0].year_first);
    if year_first || parts.iter().any(|p| p.sep != sep || p.year_first) {
        return None;
    }
    let day = parts.iter().position(|p| p.seconds(false).is_none() && p.seconds(true).is_some())?;
    let month = parts.iter().position(|p| p.seconds(true).is_none() && p.seconds(false).is_some())?;
    Some((&levels[day], &levels[month]))
}

/// Boolean when every label is a boolean word; free text when labels are
/// mostly distinct and long; otherwise categorical. `all` holds the labels
/// of every row when the store is a sample: booleans are judged on them.
fn label_kind(l: &Labels, all: Option<&LabelCounter>) -> ColumnKind {
    let boolean = |levels: &mut dyn Iterator<Item = &str>| {
        let mut words = BTreeSet::new();
        let mut any = false;
        for s in levels {
            any = true;
            if !is_bool_token(s) {
                return false;
            }
            words.insert(s.to_ascii_lowercase());
            if words.len() > 2 {
                return false;
            }
        }
        any
    };
    let is_bool = match all {
        Some(c) => c.is_exact() && boolean(&mut c.labels()),
        None => boolean(&mut l.levels.iter().map(String::as_str)),
    };
    if is_bool {
        return ColumnKind::Boolean;
    }
    let present = l.codes.iter().filter(|c| c.is_some()).count();
    let mean_len = l.levels.iter().map(|s| s.chars().count()).sum::<usize>() as f64 / l.levels.len().max(1) as f64;
    if present >= 10 && l.levels.len() * 2 >= present && mean_len >= 20.0 {
        ColumnKind::Text
    } else {
        ColumnKind::Categorical
    }
}

// ------------------------------------------------------ runs of whitespace

/// Turns text whose fields are separated by runs of spaces and tabs into
/// text with one space between fields, for the CSV reader (delimiter
/// `' '`): outside double quotes, a run of blanks becomes one space, and
/// blanks at the start and end of a line go; inside quotes every byte is
/// kept. Line ends are kept, so lines keep their numbers. A quote opens a
/// quoted field only at a field's start and `""` inside one is a quote, as
/// the CSV reader reads them. The state carries across chunks, so the
/// text out never depends on where chunks end.
#[derive(Debug, Clone)]
pub(crate) struct Spaces {
    comment: Option<u8>,
    in_quote: bool,
    /// A quote ended the text so far inside quotes: it closes the field
    /// unless the next byte is a quote too.
    quote_pending: bool,
    /// Nothing but blanks since the line began.
    line_start: bool,
    /// The last byte given out ends a field (or begins the line).
    field_start: bool,
    /// Blanks after a field, given out as one space before the next field
    /// (dropped at the line's end).
    run: bool,
    in_comment: bool,
}

impl Spaces {
    pub(crate) fn new(comment: Option<u8>) -> Spaces {
        Spaces { comment, in_quote: false, quote_pending: false, line_start: true, field_start: true, run: false, in_comment: false }
    }

    /// Whether the text so far ended a line outside quotes (where a part
    /// of the file may start).
    fn at_line_start(&self) -> bool {
        self.line_start && !self.in_quote && !self.quote_pending && !self.in_comment && !self.run
    }

    /// Appends the text for `input` to `out`.
    pub(crate) fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        out.reserve(input.len());
        for &b in input {
            if self.quote_pending {
                self.quote_pending = false;
                if b == b'"' {
                    out.push(b);
                    continue;
                }
                self.in_quote = false;
            }
            if self.in_quote {
                out.push(b);
                self.quote_pending = b == b'"';
                continue;
            }
            if self.in_comment {
                out.push(b);
                if b == b'\n' || b == b'\r' {
                    self.in_comment = false;
                    self.line_start = true;
                    self.field_start = true;
                }
                continue;
            }
            match b {
                b' ' | b'\t' => self.run = !self.line_start,
                b'\n' | b'\r' => {
                    self.run = false;
                    self.line_start = true;
                    self.field_start = true;
                    out.push(b);
                }
                _ => {
                    if self.line_start && Some(b) == self.comment {
                        self.in_comment = true;
                    } else {
                        if self.run {
                            out.push(b' ');
                            self.field_start = true;
                            self.run = false;
                        }
                        if b == b'"' && self.field_start {
                            self.in_quote = true;
                        }
                        self.field_start = false;
                    }
                    self.line_start = false;
                    out.push(b);
                }
            }
        }
    }
}

/// `text` (whole lines) with runs of blanks turned into single spaces.
fn spaced(text: &[u8], comment: Option<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    Spaces::new(comment).feed(text, &mut out);
    out
}

// ----------------------------------------------------------------- records

struct Parser {
    rdr: csv_core::Reader,
    delimiter: u8,
    ctx: Ctx,
    opts: ParseOptions,
    has_header: bool,
    /// The byte that ends a line for counting (`\n`, or `\r` in old Mac files).
    term: u8,
    out: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    at_start: bool,
    lines: usize,
    record_line: usize,
    /// Quoting as csv-core reads it, tracked on the raw text (csv-core
    /// would read an unclosed quote silently to the end of the file): a
    /// quote opens a quoted field only at a field's start, `""` inside is a
    /// quote, and elsewhere a quote is a plain character (`5" screen`).
    in_quote: bool,
    /// A quote ended the text so far inside a quoted field: it closes the
    /// field unless the next byte is a quote too.
    quote_pending: bool,
    /// The last byte of the text so far ends a field (or nothing was read).
    field_start: bool,
    quote_line: usize,
    quote_lines: usize,
    /// A backslash escapes the next byte inside a quoted field; the text so
    /// far ends with such a backslash.
    escape: bool,
    escape_pending: bool,
    /// Lines starting with this byte are comments (see `ParseOptions::comment`).
    comment: Option<u8>,
    /// Inside a comment line: as the records are read, and as quoting is
    /// tracked (whose last byte so far ended a line outside quotes).
    in_comment: bool,
    quote_comment: bool,
    quote_line_start: bool,
    names: Option<Vec<String>>,
    header_fix: HeaderFix,
    /// Header cells renamed (no name, or a repeated one), said as warnings.
    renamed: Vec<String>,
    cols: Vec<ColBuilder>,
    n_rows: usize,
    blank_lines: usize,
    /// Raw bytes read so far and the file's size, for the memory projection.
    bytes_in: u64,
    total: Option<u64>,
    /// Decoded text given to the parser, and the part of it parsed.
    text_fed: u64,
    text_parsed: u64,
    /// Raw bytes per byte of decoded text (2 for UTF-16), for projections.
    raw_per_text: f64,
    /// Rows every column's vector was reserved for (0: not reserved).
    reserved_rows: usize,
    /// Row count at which memory is next checked, and the rows between checks.
    next_check: usize,
    check_rows: usize,
    /// Threads the columns of a batch of records are typed on (1: each
    /// record is typed as it is read, no batch).
    threads: usize,
    batch: Batch,
    /// The batch being typed on other threads while the next is read; it
    /// holds `cols` until joined.
    typing: Option<std::thread::JoinHandle<Typed>>,
    spare: Batch,
    /// Fields separated by runs of blanks: the text is turned into text
    /// with one space between fields before it is read.
    spaces: Option<Spaces>,
    spaced: Vec<u8>,
    /// Rows with fewer fields than the header, filled with missing values
    /// (`ShortRows::Missing`), and the first one's row, line and fields.
    short_rows: usize,
    first_short: Option<(usize, usize, usize)>,
    /// Rows ending in empty fields past the header's width, read without
    /// them, and the first one's row, line and fields.
    long_rows: usize,
    first_long: Option<(usize, usize, usize)>,
    /// The header's cells, trimmed; records repeating them (files joined
    /// one after another) are skipped.
    header_cells: Option<Vec<String>>,
    /// Lines skipped as no data, by kind.
    skips: Skips,
    /// The line from which notes below the table run to the file's end.
    footer_line: Option<usize>,
    /// Lines above the table not detected as a title (see [`sniff`]).
    title_lines: Option<(usize, usize)>,
    /// Records below the names still to skip as part of the header.
    survey_rows: usize,
    /// When the sniffer did not see the file's end: notes below the table
    /// are found as they come, a run of records that read as notes held
    /// back until the end of the file (notes) or a record that reads as
    /// none (rows, read then); the longest first field of the sampled rows.
    notes_widest: Option<usize>,
    /// The records held back: their text, field ends and line.
    pending_notes: Vec<(Vec<u8>, Vec<usize>, usize)>,
    /// More than [`MAX_NOTE_LINES`] records read as notes one after another:
    /// none is held back until a record that reads as none.
    notes_overflow: bool,
}

/// Most lines of notes below a table.
const MAX_NOTE_LINES: usize = 20;

/// Lines of one kind skipped as no data: how many, and the first one's
/// line and text.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Skipped {
    n: usize,
    first: Option<(usize, String)>,
}

impl Skipped {
    fn add(&mut self, line: usize, text: impl FnOnce() -> String) {
        self.n += 1;
        if self.first.is_none() {
            self.first = Some((line, text()));
        }
    }

    /// Takes in the lines a part skipped, its lines numbered from `line_off`.
    fn merge(&mut self, part: &Skipped, line_off: usize) {
        if self.first.is_none() {
            self.first = part.first.as_ref().map(|(line, text)| (line + line_off, text.clone()));
        }
        self.n += part.n;
    }

    /// The note: `one(line, text)` for a single line, `many(n, line, text)` for more.
    fn note(&self, code: &str, one: impl Fn(usize, &str) -> String, many: impl Fn(usize, usize, &str) -> String) -> Option<IngestWarning> {
        let (line, text) = self.first.as_ref()?;
        let message = if self.n == 1 { one(*line, text) } else { many(self.n, *line, text) };
        Some(IngestWarning { code: code.into(), message })
    }
}

/// Lines skipped as no data, by kind (a parser's, or a part's to merge).
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Skips {
    /// Records of two fields or more, every one empty (spreadsheets write
    /// them for formatted cells).
    empty: Skipped,
    /// Records repeating the header (files joined one after another).
    header: Skipped,
    /// Lines drawing a text table's rules (`---+---`, `|---|---|`, `+----+`).
    rule: Skipped,
    /// Lines counting the rows above them (`(2 rows)`), with their text.
    row_count: Skipped,
    /// Notes below the table (a source, footnotes), with their text.
    footer: Skipped,
    /// Records below the names that are part of the header (a Qualtrics
    /// export's), with the first one's first field.
    #[serde(default)]
    survey: Skipped,
}

impl Skips {
    fn merge(&mut self, part: &Skips, line_off: usize) {
        self.empty.merge(&part.empty, line_off);
        self.header.merge(&part.header, line_off);
        self.rule.merge(&part.rule, line_off);
        self.row_count.merge(&part.row_count, line_off);
        self.footer.merge(&part.footer, line_off);
        self.survey.merge(&part.survey, line_off);
    }

    fn notes(&self) -> impl Iterator<Item = IngestWarning> {
        [
            self.empty.note(
                "empty_rows",
                |line, _| format!("1 row with every field empty was skipped, at line {line} (spreadsheets write such rows for formatted but empty cells)"),
                |n, line, _| format!("{n} rows with every field empty were skipped, the first at line {line} (spreadsheets write such rows for formatted but empty cells)"),
            ),
            self.rule.note(
                "rule_lines",
                |line, _| format!("line {line} draws a rule under or around the table (as psql, MySQL and Markdown tables have) and was skipped"),
                |n, line, _| format!("{n} lines drawing rules under or around the table (as psql, MySQL and Markdown tables have) were skipped, the first at line {line}"),
            ),
            self.row_count.note(
                "row_count_line",
                |line, text| format!("line {line}, \"{text}\", counts the rows above it (as psql, MySQL and SQL Server write under a result) and was skipped"),
                |n, line, text| format!("{n} lines counting the rows above them (as psql, MySQL and SQL Server write under a result) were skipped, the first at line {line} (\"{text}\")"),
            ),
            self.footer.note(
                "notes_below_table",
                |line, text| format!("line {line}, \"{text}\", is a note below the table (a source or a footnote) and was skipped; to read such lines as rows, set short rows to missing (--short-rows missing, or \"Short rows\" in the page's reading options)"),
                |n, line, text| format!("{n} lines below the table, from line {line} (\"{text}\"), are notes (a source, footnotes) and were skipped; to read them as rows, set short rows to missing (--short-rows missing, or \"Short rows\" in the page's reading options)"),
            ),
            self.survey.note(
                "survey_header",
                |line, text| format!("line {line}, \"{text}\", is part of the header and was skipped"),
                |n, line, text| format!("{n} rows below the column names, from line {line} (\"{text}\"), are a Qualtrics export's question texts and import IDs, part of its header, and were skipped"),
            ),
            self.header.note(
                "repeated_header",
                |line, _| format!("1 row repeating the column names was skipped, at line {line} (as when files are joined one after another)"),
                |n, line, _| format!("{n} rows repeating the column names were skipped, the first at line {line} (as when files are joined one after another)"),
            ),
        ]
        .into_iter()
        .flatten()
    }
}

/// What a batch's typing gives back: the columns, the emptied batch (its
/// buffers reused) and the first error.
type Typed = (Vec<ColBuilder>, Batch, Result<(), DataError>);

/// Records read but not yet typed, when columns are typed on several
/// threads: their text, field ends and lines.
#[derive(Default)]
struct Batch {
    text: String,
    /// Field ends into `text`, `width` per record.
    ends: Vec<usize>,
    lines: Vec<usize>,
    /// Whether each record is in the sample.
    keep: Vec<bool>,
    /// Fields each record has (fewer than the columns in a short row
    /// filled with missing values; `ends` holds empty fields for the rest).
    fields: Vec<usize>,
}

/// Most records typed per batch (a handful in unit tests, so that batches
/// end everywhere).
const BATCH_ROWS: usize = if cfg!(test) { 5 } else { 8192 };
/// Fewer records than this are typed on one thread.
const BATCH_MIN_PARALLEL: usize = if cfg!(test) { 2 } else { 256 };

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.lines.clear();
        self.keep.clear();
        self.fields.clear();
    }
}

/// Types a batch of records into `cols`, each column on one of up to
/// `threads` threads. Gives the error sequential typing would have met
/// first: the earliest row, and in it the first column.
fn type_batch(cols: &mut [ColBuilder], batch: &Batch, ctx: &Ctx, max_field: usize, threads: usize) -> Result<(), DataError> {
    let rows = batch.lines.len();
    let width = cols.len();
    let run = |i: usize, col: &mut ColBuilder| -> Option<(usize, usize, DataError)> {
        for r in 0..rows {
            let at = r * width + i;
            let (start, end) = (if at == 0 { 0 } else { batch.ends[at - 1] }, batch.ends[at]);
            let f = &batch.text[start..end];
            let line = batch.lines[r];
            if i >= batch.fields[r] {
                col.push_absent(batch.keep[r]);
                continue;
            }
            if f.len() > max_field {
                let e = DataError::FieldTooLong { file: ctx.file.clone(), at_least: false, row: col.rows + 1, line, column: col.name.clone(), length: f.len(), limit: max_field };
                return Some((r, i, e));
            }
            if let Err(e) = col.push(f, line, ctx, batch.keep[r]) {
                return Some((r, i, e));
            }
        }
        None
    };
    let threads = if rows >= BATCH_MIN_PARALLEL { threads } else { 1 };
    let mut cols: Vec<(usize, &mut ColBuilder)> = cols.iter_mut().enumerate().collect();
    let errors = crate::par::map_mut(&mut cols, threads, |(i, col)| run(*i, col));
    match errors.into_iter().flatten().min_by_key(|(r, i, _)| (*r, *i)) {
        Some((_, _, e)) => Err(e),
        None => Ok(()),
    }
}

/// Rows between memory checks.
const MEMORY_CHECK_ROWS: usize = 4096;

/// What the head of a file settles for its parser.
struct ParserHead {
    header_fix: HeaderFix,
    delimiter: u8,
    term: u8,
    decimal_comma: bool,
    has_header: bool,
    /// Lines before the first record's (an Excel `sep=` line).
    line0: usize,
    /// Fields are separated by runs of blanks (`delimiter` is a space).
    whitespace: bool,
    /// A backslash escapes the next byte inside a quoted field.
    escape: bool,
    /// The line from which notes below the table run to the file's end.
    footer_line: Option<usize>,
    /// Lines above the table not detected as a title (see [`sniff`]).
    title_lines: Option<(usize, usize)>,
    /// Records below the names that are part of the header.
    survey_rows: usize,
    /// Notes below the table are found as they come (the sniffer did not
    /// see the file's end), with the longest first field of its rows.
    notes_widest: Option<usize>,
}

impl Parser {
    fn new(file: &str, opts: &ParseOptions, head: &ParserHead, bytes_in: u64, total: Option<u64>, raw_per_text: f64, threads: usize) -> Parser {
        let missing: Vec<String> = opts.missing_tokens.iter().map(|m| m.trim().to_string()).collect();
        let missing_max = missing.iter().map(String::len).max().unwrap_or(0);
        let missing_empty = missing.iter().any(String::is_empty);
        let missing_values = missing_numbers(&missing, head.decimal_comma);
        let mut missing_first = [false; 256];
        for m in &missing {
            if let Some(&b) = m.as_bytes().first() {
                missing_first[usize::from(b)] = true;
            }
        }
        let line0 = head.line0;
        Parser {
            rdr: csv_core::ReaderBuilder::new().delimiter(head.delimiter).escape(head.escape.then_some(b'\\')).build(),
            escape: head.escape,
            footer_line: head.footer_line,
            title_lines: head.title_lines,
            survey_rows: head.survey_rows,
            notes_widest: head.notes_widest,
            pending_notes: Vec::new(),
            notes_overflow: false,
            escape_pending: false,
            delimiter: head.delimiter,
            ctx: Ctx {
                file: file.to_string(),
                missing,
                missing_max,
                missing_empty,
                missing_first,
                missing_values,
                decimal_comma: head.decimal_comma,
                non_finite: opts.non_finite,
                stride: 1,
                hll_precision: HLL_PRECISION,
                kll_k: KLL_K,
                label_cap_bytes: 4096,
            },
            opts: opts.clone(),
            has_header: head.has_header,
            term: head.term,
            out: vec![0; 4096],
            ends: vec![0; 64],
            outlen: 0,
            endlen: 0,
            at_start: true,
            lines: line0,
            record_line: 0,
            in_quote: false,
            quote_pending: false,
            field_start: true,
            quote_line: 0,
            quote_lines: line0,
            comment: opts.comment.map(|c| c as u8),
            in_comment: false,
            quote_comment: false,
            quote_line_start: true,
            names: None,
            header_fix: head.header_fix,
            renamed: Vec::new(),
            cols: Vec::new(),
            n_rows: 0,
            blank_lines: 0,
            bytes_in,
            total,
            text_fed: 0,
            text_parsed: 0,
            raw_per_text,
            reserved_rows: 0,
            next_check: MEMORY_CHECK_ROWS,
            check_rows: MEMORY_CHECK_ROWS,
            threads,
            batch: Batch::default(),
            typing: None,
            spare: Batch::default(),
            spaces: head.whitespace.then(|| Spaces::new(opts.comment.map(|c| c as u8))),
            spaced: Vec::new(),
            short_rows: 0,
            first_short: None,
            long_rows: 0,
            first_long: None,
            header_cells: None,
            skips: Skips::default(),
        }
    }

    /// Stops when the typed columns, projected to the whole file from the
    /// share read so far, would need more than `max_memory_bytes`.
    fn check_memory(&mut self) -> Result<(), DataError> {
        self.next_check = self.n_rows + MEMORY_CHECK_ROWS;
        let now: usize = self.cols.iter().map(ColBuilder::heap_bytes).fold(0, usize::saturating_add);
        // Raw bytes behind the rows parsed so far (decoded text can be
        // shorter than the raw bytes, e.g. UTF-16).
        let parsed_raw = self.text_parsed as f64 * (self.bytes_in as f64 / self.text_fed.max(1) as f64);
        let scale = match self.total {
            Some(t) if parsed_raw > 0.0 && t as f64 > parsed_raw => t as f64 / parsed_raw,
            _ => 1.0,
        };
        let needed = (now as f64 * scale).min(usize::MAX as f64) as usize;
        if needed > self.opts.max_memory_bytes {
            return Err(DataError::TooMuchMemory {
                file: self.ctx.file.clone(),
                rows: (self.n_rows as f64 * scale).min(usize::MAX as f64) as usize,
                read: self.n_rows,
                columns: self.cols.len(),
                needed,
                limit: self.opts.max_memory_bytes,
            });
        }
        Ok(())
    }

    /// Sampling: keeps the typed columns within `max_memory_bytes` by
    /// doubling the stride of kept rows whenever twice the bytes the
    /// columns hold by length (a growing vector can take twice its length)
    /// plus the all-row summaries would pass the budget. Checked at fixed
    /// row counts on the bytes actually held, so the sample never depends
    /// on chunk boundaries.
    fn check_sample(&mut self) -> Result<(), DataError> {
        self.next_check = self.n_rows + self.check_rows;
        let budget = self.opts.max_memory_bytes;
        if self.reserved_rows == 0 && self.ctx.stride == 1 && self.reserve_projected() {
            // Projected past the budget: the all-row summaries start now,
            // on the few rows read, and follow each row; begun from every
            // row held when the budget is reached, they stalled the read
            // (and its progress) for seconds (1.6 s natively on 1 GB).
            for c in self.cols.iter_mut().filter(|c| c.acc.is_none()) {
                c.start_summary(&self.ctx);
            }
        }
        loop {
            let reserved = if self.n_rows < self.reserved_rows { self.reserved_rows } else { 0 };
            let summaries: usize = self.cols.iter().map(ColBuilder::acc_bytes).fold(0, usize::saturating_add);
            let needed = |tight: bool| self.cols.iter().map(|c| c.bound_bytes(reserved, tight)).fold(summaries, usize::saturating_add);
            if needed(false) <= budget {
                return Ok(());
            }
            // Over only by capacity kept from before the rows were halved:
            // given back, not sampled further.
            if needed(true) <= budget {
                for c in &mut self.cols {
                    c.shrink();
                }
                return Ok(());
            }
            let needed = needed(false);
            let stored = self.cols.first().map_or(0, |c| c.stored);
            if stored <= 1 || self.ctx.stride >= 1 << (usize::BITS - 2) {
                // Not even one row fits: say what it would need.
                return Err(DataError::TooMuchMemory { file: self.ctx.file.clone(), rows: self.n_rows, read: self.n_rows, columns: self.cols.len(), needed, limit: budget });
            }
            if self.ctx.stride == 1 {
                for c in self.cols.iter_mut().filter(|c| c.acc.is_none()) {
                    c.start_summary(&self.ctx);
                }
            }
            // The stored rows are those of 0..n_rows the stride keeps, in
            // order; of them, the doubled stride keeps a subset.
            let mut keep = Vec::with_capacity(stored);
            let mut position = Vec::with_capacity(stored);
            let mut kept = 0;
            for row in (0..self.n_rows).filter(|&r| sample_keeps(r, self.ctx.stride)) {
                let k = sample_keeps(row, self.ctx.stride * 2);
                keep.push(k);
                position.push(kept);
                kept += usize::from(k);
            }
            for c in &mut self.cols {
                c.keep_rows(&keep, &position);
            }
            self.ctx.stride *= 2;
        }
    }

    /// With the file's size known, projects its rows from the text parsed
    /// so far and, when the columns for that many rows (and 5% more) fit
    /// the budget, reserves every column's vector for them: they then fill
    /// without doubling, and the sampling rule counts them as they are
    /// instead of twice their length — a file whose columns fit is kept
    /// whole. Done at the first check, a fixed row count, so it never
    /// depends on where chunks end.
    /// Returns whether the projection passes the budget (the file will be
    /// sampled, as far as its first rows tell).
    fn reserve_projected(&mut self) -> bool {
        let (Some(total), true) = (self.total, self.n_rows > 0) else { return false };
        let parsed_raw = self.text_parsed as f64 * self.raw_per_text;
        if parsed_raw <= 0.0 {
            return false;
        }
        let rows = (total as f64 / parsed_raw * self.n_rows as f64 * 1.05).ceil();
        if !rows.is_finite() || rows > self.opts.max_rows as f64 {
            return false;
        }
        let rows = (rows as usize).max(self.n_rows);
        // What the columns would come to: vectors by the projected rows,
        // label texts and entries grown in proportion and counted twice.
        let scale = rows as f64 / self.n_rows as f64;
        let projected: f64 = self
            .cols
            .iter()
            .map(|c| {
                let (len, _, per) = c.store_vec();
                let rest = c.heap_bytes().saturating_sub(len.saturating_mul(per));
                (rows * per) as f64 + 2.0 * rest as f64 * scale
            })
            .sum();
        if projected > self.opts.max_memory_bytes as f64 {
            return true;
        }
        for c in &mut self.cols {
            c.reserve(rows);
        }
        self.reserved_rows = rows;
        false
    }

    /// Heap bytes the columns and summaries hold now, by capacity.
    fn held_bytes(&self) -> usize {
        self.cols.iter().map(ColBuilder::held_bytes).fold(0, usize::saturating_add)
    }

    fn check(&mut self) -> Result<(), DataError> {
        match self.opts.over_budget {
            OverBudget::Sample => self.check_sample(),
            OverBudget::Error => self.check_memory(),
        }
    }

    fn feed(&mut self, input: &[u8]) -> Result<(), DataError> {
        let r = match &mut self.spaces {
            Some(spaces) => {
                let mut text = std::mem::take(&mut self.spaced);
                text.clear();
                spaces.feed(input, &mut text);
                let r = self.feed_records(&text);
                self.spaced = text;
                r
            }
            None => self.feed_records(input),
        };
        if r.is_err() {
            // Records batched before the one that failed come first.
            self.flush()?;
        }
        r
    }

    fn feed_records(&mut self, mut input: &[u8]) -> Result<(), DataError> {
        self.text_fed += input.len() as u64;
        match self.comment {
            Some(c) => self.track_quotes_commented(input, c),
            None => self.track_quotes(input),
        }
        while !input.is_empty() {
            if self.at_start {
                // Blank lines and comment lines before a record.
                loop {
                    if self.in_comment {
                        let Some(end) = input.iter().position(|&b| b == b'\n' || b == b'\r') else {
                            input = &[];
                            break;
                        };
                        input = &input[end..];
                        self.in_comment = false;
                    }
                    let skip = input.iter().position(|&b| b != b'\n' && b != b'\r').unwrap_or(input.len());
                    self.lines += count_byte(self.term, &input[..skip]);
                    input = &input[skip..];
                    match input.first() {
                        Some(&b) if Some(b) == self.comment => {
                            self.in_comment = true;
                            input = &input[1..];
                        }
                        _ => break,
                    }
                }
                if input.is_empty() {
                    break;
                }
                self.record_line = self.lines + 1;
                self.at_start = false;
            }
            let (res, nin, nout, nend) = self.rdr.read_record(input, &mut self.out[self.outlen..], &mut self.ends[self.endlen..]);
            self.lines += count_byte(self.term, &input[..nin]);
            self.text_parsed += nin as u64;
            input = &input[nin..];
            self.step(res, nout, nend)?;
        }
        Ok(())
    }

    /// Follows quoting over `input` (see `in_quote`), jumping from quote to
    /// quote; counts lines for the line a quote opened on.
    fn track_quotes(&mut self, input: &[u8]) {
        let delimiter = self.delimiter;
        let ends_field = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
        let mut line = self.quote_lines;
        let mut i = 0;
        if self.escape_pending && !input.is_empty() {
            // The byte a backslash escaped.
            self.escape_pending = false;
            line += count_byte(self.term, &input[..1]);
            i = 1;
        } else if self.quote_pending && !input.is_empty() {
            self.quote_pending = false;
            if input[0] == b'"' {
                // An escaped quote: still inside.
                i = 1;
            } else {
                self.in_quote = false;
            }
        }
        while i < input.len() {
            let found = if self.escape && self.in_quote { memchr::memchr2(b'"', b'\\', &input[i..]) } else { memchr::memchr(b'"', &input[i..]) };
            let Some(p) = found.map(|p| p + i) else { break };
            line += count_byte(self.term, &input[i..p]);
            if input[p] == b'\\' {
                // Inside quotes, a backslash takes the next byte as it is.
                match input.get(p + 1) {
                    Some(&b) => {
                        line += usize::from(b == self.term);
                        i = p + 2;
                    }
                    None => {
                        self.escape_pending = true;
                        i = p + 1;
                    }
                }
                continue;
            }
            if self.in_quote {
                match input.get(p + 1) {
                    Some(b'"') => i = p + 2,
                    Some(_) => {
                        self.in_quote = false;
                        i = p + 1;
                    }
                    None => {
                        self.quote_pending = true;
                        i = p + 1;
                    }
                }
            } else {
                let at_field_start = if p == 0 { self.field_start } else { ends_field(input[p - 1]) };
                if at_field_start {
                    self.in_quote = true;
                    self.quote_line = line + 1;
                }
                i = p + 1;
            }
        }
        if let Some(&last) = input.last() {
            self.field_start = ends_field(last) && !self.in_quote;
        }
        self.quote_lines = line + count_byte(self.term, &input[i.min(input.len())..]);
    }

    /// [`Parser::track_quotes`] for a file with comment lines, a byte at a
    /// time: a quote in a comment line opens nothing, and a comment
    /// character inside a quoted field starts no comment.
    fn track_quotes_commented(&mut self, input: &[u8], comment: u8) {
        let delimiter = self.delimiter;
        let mut line = self.quote_lines;
        for &b in input {
            if b == self.term {
                line += 1;
            }
            if self.escape_pending {
                self.escape_pending = false;
                continue;
            }
            if self.quote_pending {
                self.quote_pending = false;
                if b == b'"' {
                    // An escaped quote: still inside.
                    continue;
                }
                self.in_quote = false;
            }
            if self.in_quote {
                self.quote_pending = b == b'"';
                self.escape_pending = self.escape && b == b'\\';
                continue;
            }
            let line_end = b == b'\n' || b == b'\r';
            if self.quote_comment {
                if line_end {
                    self.quote_comment = false;
                    self.quote_line_start = true;
                    self.field_start = true;
                }
                continue;
            }
            if self.quote_line_start && b == comment {
                self.quote_comment = true;
                self.quote_line_start = false;
                continue;
            }
            if b == b'"' && self.field_start {
                self.in_quote = true;
                self.quote_line = line + 1;
            }
            self.quote_line_start = line_end;
            self.field_start = line_end || b == delimiter;
        }
        self.quote_lines = line;
    }

    fn step(&mut self, res: csv_core::ReadRecordResult, nout: usize, nend: usize) -> Result<bool, DataError> {
        use csv_core::ReadRecordResult as R;
        self.outlen += nout;
        self.endlen += nend;
        match res {
            R::InputEmpty => {}
            R::OutputFull => {
                let field = self.outlen - self.ends[..self.endlen].last().copied().unwrap_or(0);
                if field > self.opts.max_field_bytes {
                    return Err(self.too_long(self.endlen, field));
                }
                let n = self.out.len() * 2;
                self.out.resize(n, 0);
            }
            R::OutputEndsFull => {
                if self.endlen > self.opts.max_columns {
                    return Err(match &self.names {
                        None => DataError::TooManyColumns { file: self.ctx.file.clone(), at_least: true, columns: self.endlen + 1, limit: self.opts.max_columns },
                        Some(n) => DataError::RaggedRow { file: self.ctx.file.clone(), header: self.header_cells.is_some(), at_least: true, comment_like: false, backslash: false, quote_after_blank: false, title_lines: self.title_above(), spaces: self.spaces.is_some(), row: self.n_rows + 1, line: self.record_line, expected: n.len(), found: self.endlen + 1 },
                    });
                }
                let n = self.ends.len() * 2;
                self.ends.resize(n, 0);
            }
            R::Record => {
                self.record()?;
                self.outlen = 0;
                self.endlen = 0;
                self.at_start = true;
            }
            R::End => return Ok(true),
        }
        Ok(false)
    }

    fn too_long(&self, index: usize, length: usize) -> DataError {
        // The first record is the header only when the file has one (with
        // `--header false` it is data row 1, and its field no name).
        match &self.names {
            None if self.has_header => DataError::HeaderTooLong { file: self.ctx.file.clone(), at_least: true, index: index + 1, length, limit: self.opts.max_header_chars },
            n => DataError::FieldTooLong {
                file: self.ctx.file.clone(),
                at_least: true,
                row: self.n_rows + 1,
                line: self.record_line,
                column: n.as_ref().and_then(|n| n.get(index)).cloned().unwrap_or_else(|| format!("column {}", index + 1)),
                length,
                limit: self.opts.max_field_bytes,
            },
        }
    }

    /// Takes the record read: holds back one that reads as a note below
    /// the table (see [`Parser::notes_widest`]), reads those held back
    /// before one that reads as none.
    fn record(&mut self) -> Result<(), DataError> {
        // Most rows: as many fields as names, the second filled in.
        let ends = &self.ends[..self.endlen];
        let plain = self.names.as_ref().is_some_and(|n| ends.len() == n.len() && ends.len() >= 2 && self.out.get(ends[0]..ends[1]).is_some_and(|f| f.iter().any(|b| !b.is_ascii_whitespace())));
        if plain && self.pending_notes.is_empty() {
            self.notes_overflow = false;
            return self.take_record();
        }
        if let (Some(widest), Some(names)) = (self.notes_widest, &self.names) {
            let text = std::str::from_utf8(&self.out[..self.outlen]).unwrap_or_default();
            let ends = &self.ends[..self.endlen];
            let fields: Vec<&str> = (0..ends.len()).map(|i| text.get(if i == 0 { 0 } else { ends[i - 1] }..ends[i]).unwrap_or_default()).collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                // Blank lines and empty records, among notes too.
                return self.take_record();
            }
            // Below a row at least.
            let note = self.n_rows > 0 && note_record(&fields, names.len(), self.delimiter, widest);
            if note && !self.notes_overflow {
                if self.pending_notes.len() < MAX_NOTE_LINES {
                    self.pending_notes.push((self.out[..self.outlen].to_vec(), ends.to_vec(), self.record_line));
                    return Ok(());
                }
                self.notes_overflow = true;
            }
            if !note {
                self.notes_overflow = false;
            }
            self.read_pending_notes()?;
        }
        self.take_record()
    }

    /// Reads the records held back as notes as rows (a record that reads
    /// as none followed them, or the input ends elsewhere than at the
    /// file's end).
    fn read_pending_notes(&mut self) -> Result<(), DataError> {
        if self.pending_notes.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending_notes);
        let saved = (self.out[..self.outlen].to_vec(), self.ends[..self.endlen].to_vec(), self.record_line);
        let put = |p: &mut Parser, (out, ends, line): &(Vec<u8>, Vec<usize>, usize)| {
            if p.out.len() < out.len() {
                p.out.resize(out.len(), 0);
            }
            if p.ends.len() < ends.len() {
                p.ends.resize(ends.len(), 0);
            }
            p.out[..out.len()].copy_from_slice(out);
            p.ends[..ends.len()].copy_from_slice(ends);
            (p.outlen, p.endlen, p.record_line) = (out.len(), ends.len(), *line);
        };
        for r in &pending {
            put(self, r);
            self.take_record()?;
        }
        put(self, &saved);
        Ok(())
    }

    /// At the file's end: the records held back are notes below the table.
    fn pending_notes_are_notes(&mut self) {
        let d = char::from(self.delimiter);
        for (out, ends, line) in std::mem::take(&mut self.pending_notes) {
            let text = String::from_utf8_lossy(&out);
            let fields: Vec<&str> = (0..ends.len()).map(|i| text.get(if i == 0 { 0 } else { ends[i - 1] }..ends[i]).unwrap_or_default()).collect();
            self.skips.footer.add(line, || clip(fields.join(&d.to_string()).trim().trim_end_matches(|c: char| c == d || c.is_whitespace())));
        }
    }

    fn take_record(&mut self) -> Result<(), DataError> {
        let text = std::str::from_utf8(&self.out[..self.outlen]).map_err(|e| DataError::Csv {
            file: self.ctx.file.clone(),
            line: self.record_line,
            message: format!("invalid UTF-8 in a record: {e}"),
        })?;
        let ends = &self.ends[..self.endlen];
        let field = |i: usize| &text[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
        let width = ends.len();
        if self.footer_line.is_some_and(|f| self.record_line >= f) {
            if !text.trim().is_empty() {
                let d = char::from(self.delimiter);
                self.skips.footer.add(self.record_line, || clip((0..width).map(field).collect::<Vec<_>>().join(&d.to_string()).trim().trim_end_matches(|c: char| c == d || c.is_whitespace())));
            }
            return Ok(());
        }
        if self.names.is_none() {
            // Blank lines and empty records above the table.
            if text.trim().is_empty() {
                if width > 1 {
                    self.skips.empty.add(self.record_line, String::new);
                }
                return Ok(());
            }
            if is_rule((0..width).map(field)) {
                self.skips.rule.add(self.record_line, String::new);
                return Ok(());
            }
            if width > self.opts.max_columns {
                return Err(DataError::TooManyColumns { file: self.ctx.file.clone(), at_least: false, columns: width, limit: self.opts.max_columns });
            }
            let names = if self.has_header {
                let mut cells: Vec<&str> = (0..width).map(field).collect();
                match self.header_fix {
                    HeaderFix::RowNames => cells.insert(0, ""),
                    HeaderFix::TrailingDelimiter => cells.push(""),
                    HeaderFix::None => {}
                }
                self.header_cells = Some((0..width).map(|i| field(i).trim().to_string()).collect());
                let (names, mut renamed) = check_header(cells.into_iter(), &self.ctx.file, &self.opts)?;
                // The added name is said by its own note, not as a rename.
                let added = match self.header_fix {
                    HeaderFix::RowNames => Some(1),
                    HeaderFix::TrailingDelimiter => Some(names.len()),
                    HeaderFix::None => None,
                };
                if let Some(i) = added {
                    let said = format!("column {i} had no name");
                    renamed.retain(|r| !r.starts_with(&said));
                }
                self.renamed = renamed;
                names
            } else {
                (1..=width).map(|i| format!("column_{i}")).collect()
            };
            // The column a header fix adds counts too.
            if names.len() > self.opts.max_columns {
                return Err(DataError::TooManyColumns { file: self.ctx.file.clone(), at_least: false, columns: names.len(), limit: self.opts.max_columns });
            }
            for name in self.opts.column_types.keys() {
                if !names.contains(name) {
                    let all: Vec<&str> = names.iter().map(String::as_str).collect();
                    return Err(super::unknown_column(&self.ctx.file, name, &all));
                }
            }
            self.cols = names.iter().map(|n| ColBuilder::new(n.clone(), self.opts.column_types.get(n).copied())).collect();
            // Summaries take at most an eighth of the budget in sketches and
            // an eighth in label counts; checks come often enough that rows
            // read between two add at most a 32nd of it.
            let budget = self.opts.max_memory_bytes;
            let width = names.len().max(1);
            self.ctx.hll_precision = (HLL_MIN_PRECISION..=HLL_PRECISION).rev().find(|&p| width.saturating_mul(1 << p) <= budget / 8).unwrap_or(HLL_MIN_PRECISION);
            self.ctx.label_cap_bytes = (budget / 8 / width).max(4096);
            self.ctx.kll_k = kll_k_for(width, budget / 16);
            if self.opts.over_budget == OverBudget::Sample {
                self.check_rows = (budget / 32 / width.saturating_mul(16)).clamp(1, MEMORY_CHECK_ROWS);
                self.next_check = self.check_rows;
            }
            self.names = Some(names);
            if self.has_header {
                return Ok(());
            }
        }
        if self.survey_rows > 0 {
            self.survey_rows -= 1;
            self.skips.survey.add(self.record_line, || clip(field(0).trim()));
            return Ok(());
        }
        let expected = self.names.as_ref().map_or(0, Vec::len);
        // A record of empty fields in a table of two columns or more is no
        // row (in one column it is a missing value).
        if expected > 1 && text.trim().is_empty() {
            if width == 1 {
                self.blank_lines += 1;
            } else {
                self.skips.empty.add(self.record_line, String::new);
            }
            return Ok(());
        }
        // The first cell may start with a byte-order mark: joining files that
        // each start with one (Excel's "CSV UTF-8") leaves it before the
        // repeated names.
        let cell = |i: usize| if i == 0 { field(0).trim_start_matches('\u{feff}').trim() } else { field(i).trim() };
        let repeats_header = self.header_cells.as_ref().is_some_and(|h| width == h.len() && width > 1 && (0..width).all(|i| cell(i) == h[i]));
        if repeats_header {
            self.skips.header.add(self.record_line, String::new);
            return Ok(());
        }
        if is_rule((0..width).map(field)) {
            self.skips.rule.add(self.record_line, String::new);
            return Ok(());
        }
        if width == 1 && expected > 1 && row_count_line(field(0)) {
            self.skips.row_count.add(self.record_line, || clip(field(0).trim()));
            return Ok(());
        }
        // Rows ending in delimiters the header does not have, past fields
        // that are all empty (`1,2,3,` under `a,b,c`, as some exporters
        // write every few lines), have the header's columns: the empty
        // fields are left out, with a note. One such row alone is more
        // likely shifted by a delimiter inside a value (`Smith, John`
        // unquoted): it stays an error (see `finish`).
        let width = if width > expected && expected > 1 && (expected..width).all(|i| field(i).trim().is_empty()) {
            self.long_rows += 1;
            self.first_long.get_or_insert((self.n_rows + 1, self.record_line, width));
            expected
        } else {
            width
        };
        let mut short = false;
        if width != expected {
            // A lone blank field on its own line is a blank line, not data.
            if width == 1 && field(0).trim().is_empty() {
                self.blank_lines += 1;
                return Ok(());
            }
            short = width < expected && self.opts.short_rows == ShortRows::Missing;
        }
        if width != expected && !short {
            // This line, or the header (a comment read as the column
            // names), starts with #.
            let header_hash = self.has_header && self.names.as_ref().is_some_and(|n| n[0].trim_start().starts_with('#'));
            let comment_like = self.comment.is_none() && (field(0).trim_start().starts_with('#') || header_hash);
            let backslash = !self.escape && text.contains("\\\"");
            let quote_after_blank = (0..width).any(|i| {
                let f = field(i);
                f.starts_with([' ', '\t']) && f.trim_start().starts_with('"')
            });
            return Err(DataError::RaggedRow { file: self.ctx.file.clone(), header: self.header_cells.is_some(), at_least: false, comment_like, backslash, quote_after_blank, title_lines: self.title_above(), spaces: self.spaces.is_some(), row: self.n_rows + 1, line: self.record_line, expected, found: width });
        }
        self.n_rows += 1;
        if self.n_rows > self.opts.max_rows {
            return Err(DataError::TooManyRows { file: self.ctx.file.clone(), limit: self.opts.max_rows });
        }
        if short {
            self.short_rows += 1;
            self.first_short.get_or_insert((self.n_rows, self.record_line, width));
        }
        let keep = sample_keeps(self.n_rows - 1, self.ctx.stride);
        if self.threads > 1 {
            let b = &mut self.batch;
            let base = b.text.len();
            b.text.push_str(text);
            b.ends.extend(ends[..width].iter().map(|e| base + e));
            // A short row's missing fields: empty, typed as missing.
            b.ends.extend(std::iter::repeat_n(base + text.len(), expected - width));
            b.lines.push(self.record_line);
            b.keep.push(keep);
            b.fields.push(width);
            if self.n_rows >= self.next_check {
                self.flush()?;
                self.check()?;
            } else if b.lines.len() >= BATCH_ROWS {
                self.start_typing()?;
            }
            return Ok(());
        }
        for (i, col) in self.cols.iter_mut().enumerate() {
            if i >= width {
                col.push_absent(keep);
                continue;
            }
            let f = field(i);
            if f.len() > self.opts.max_field_bytes {
                return Err(DataError::FieldTooLong {
                    file: self.ctx.file.clone(),
                    at_least: false,
                    row: self.n_rows,
                    line: self.record_line,
                    column: col.name.clone(),
                    length: f.len(),
                    limit: self.opts.max_field_bytes,
                });
            }
            col.push(f, self.record_line, &self.ctx, keep)?;
        }
        if self.n_rows >= self.next_check {
            self.check()?;
        }
        Ok(())
    }

    /// Waits for the batch being typed, if any, and gives back its columns.
    fn join_typing(&mut self) -> Result<(), DataError> {
        let Some(handle) = self.typing.take() else { return Ok(()) };
        let (cols, mut batch, result) = handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        self.cols = cols;
        batch.clear();
        // Its buffers take the next batch.
        self.spare = batch;
        result
    }

    /// Starts typing the batched records on other threads while the calling
    /// thread reads on (after the previous batch is done: columns are typed
    /// in row order). In wasm, types them here.
    fn start_typing(&mut self) -> Result<(), DataError> {
        self.join_typing()?;
        if self.batch.lines.is_empty() {
            return Ok(());
        }
        #[cfg(target_arch = "wasm32")]
        {
            let r = type_batch(&mut self.cols, &self.batch, &self.ctx, self.opts.max_field_bytes, 1);
            self.batch.clear();
            r
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut cols = std::mem::take(&mut self.cols);
            let batch = std::mem::replace(&mut self.batch, std::mem::take(&mut self.spare));
            let (ctx, max_field, threads) = (self.ctx.clone(), self.opts.max_field_bytes, self.threads);
            self.typing = Some(std::thread::spawn(move || {
                let r = type_batch(&mut cols, &batch, &ctx, max_field, threads);
                (cols, batch, r)
            }));
            Ok(())
        }
    }

    /// Types every record read so far; after it the columns are complete.
    /// Gives the error one thread typing record by record would have met
    /// first.
    fn flush(&mut self) -> Result<(), DataError> {
        self.start_typing()?;
        self.join_typing()
    }

    /// Ends the input: the last record (with no line end) is read and every
    /// record typed.
    fn end_records(&mut self) -> Result<(), DataError> {
        self.flush()?;
        if self.quote_pending {
            // The text ends with the closing quote.
            self.quote_pending = false;
            self.in_quote = false;
        }
        if self.in_quote {
            return Err(DataError::UnterminatedQuote { file: self.ctx.file.clone(), line: self.quote_line });
        }
        if !self.at_start {
            loop {
                let (res, _, nout, nend) = self.rdr.read_record(&[], &mut self.out[self.outlen..], &mut self.ends[self.endlen..]);
                let record = matches!(res, csv_core::ReadRecordResult::Record);
                if self.step(res, nout, nend)? || record {
                    break;
                }
            }
        }
        self.pending_notes_are_notes();
        self.flush()
    }

    /// The lines above the table not detected as a title, when the record
    /// read is the first row, one of them or the table's first: the header
    /// was read from them. (A ragged row further down is one in the table,
    /// even among its first lines.)
    fn title_above(&self) -> Option<(usize, usize)> {
        self.title_lines.filter(|&(_, last)| self.n_rows == 0 && self.record_line <= last + 1)
    }

    fn finish(mut self, report: &mut IngestReport) -> Result<(Vec<Column>, usize, Option<SampleInfo>), DataError> {
        self.end_records()?;
        if self.names.is_none() {
            if let Some(k) = self.opts.skip_lines.filter(|&k| k > 0) {
                return Err(DataError::BadOption { message: format!("{}: lines to skip is {k}, but no line is left after them for the column names; lower it (0 reads from the first line)", self.ctx.file) });
            }
            let skipped = match self.skips.empty.n {
                0 => String::new(),
                1 => " (its one line holds only empty fields, such as \",,\")".into(),
                n => format!(" (its {n} lines hold only empty fields, such as \",,\")"),
            };
            return Err(DataError::EmptyFile { file: self.ctx.file.clone(), skipped });
        }
        if self.n_rows == 0 {
            let mut said = Vec::new();
            match self.skips.empty.n {
                0 => {}
                1 => said.push("1 line below it holds only empty fields".to_string()),
                n => said.push(format!("{n} lines below it hold only empty fields")),
            }
            match self.skips.header.n {
                0 => {}
                1 => said.push("1 repeats it".to_string()),
                n => said.push(format!("{n} repeat it")),
            }
            let skipped = if said.is_empty() { String::new() } else { format!(" ({})", said.join(", and ")) };
            return Err(DataError::NoRows { file: self.ctx.file.clone(), skipped });
        }
        self.total = None;
        self.check()?;
        report.blank_lines = self.blank_lines;
        // Columns with no name and no value are left out: a delimiter
        // ending every line (or several, as spreadsheets write for
        // formatted empty columns), or starting it (Markdown and MySQL
        // tables, `| a | b |`).
        let width = self.cols.len();
        let header_too = if self.header_fix == HeaderFix::None { "the header's too" } else { "the header's does not" };
        let unnamed = |i: usize| match self.header_fix {
            HeaderFix::None => self.header_cells.as_ref().is_some_and(|h| h.len() == width && h[i].is_empty()),
            HeaderFix::TrailingDelimiter => i + 1 == width || self.header_cells.as_ref().is_some_and(|h| h.get(i).is_some_and(String::is_empty)),
            HeaderFix::RowNames => i > 0 && self.header_cells.as_ref().is_some_and(|h| h.get(i - 1).is_some_and(String::is_empty)),
        };
        let mut gone: Vec<usize> = (0..width).filter(|&i| unnamed(i) && self.cols[i].counts == [0, 0, 0] && self.cols[i].nf_count == 0 && self.cols[i].forced.is_none()).collect();
        if gone.len() == width {
            gone.remove(0);
        }
        if !gone.is_empty() {
            let trailing = gone.iter().enumerate().all(|(k, &i)| i == width - gone.len() + k);
            let n = gone.len();
            let message = if trailing && n == 1 {
                format!("every row ends with a delimiter ({header_too}): the empty last column it makes (column {width}, no value) was left out")
            } else if trailing {
                format!("every row ends with {n} delimiters ({header_too}): the empty last columns they make (columns {} to {width}, no name, no value) were left out", width - n + 1)
            } else {
                let list: Vec<String> = gone.iter().map(|i| (i + 1).to_string()).collect();
                let list = match list.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                    _ => list.join(""),
                };
                if n == 1 {
                    format!("column {list} had no name and no value and was left out")
                } else {
                    let edges = if gone[0] == 0 && gone[n - 1] == width - 1 { ", made by a delimiter at the start and at the end of every line (as in a Markdown table)" } else { "" };
                    format!("{n} columns with no name and no value were left out (columns {list}){edges}")
                }
            };
            if trailing && self.header_fix == HeaderFix::TrailingDelimiter {
                self.header_fix = HeaderFix::None;
            }
            let said: Vec<String> = gone.iter().map(|i| format!("column {} had no name", i + 1)).collect();
            self.renamed.retain(|r| !said.iter().any(|g| r.starts_with(g.as_str())));
            for &i in gone.iter().rev() {
                self.cols.remove(i);
                if let Some(names) = self.names.as_mut() {
                    names.remove(i);
                }
            }
            report.warnings.push(IngestWarning { code: "trailing_delimiter".into(), message });
        }
        if let Some(names) = self.names.as_ref().filter(|_| self.header_fix != HeaderFix::None) {
            report.warnings.push(match self.header_fix {
                HeaderFix::RowNames => IngestWarning {
                    code: "row_names".into(),
                    message: format!(
                        "the header has one name fewer than the rows have fields, as R writes row names: the rows' first field was read as a column named \"{}\"; it is usually an identifier, so leave it out of training",
                        clip(&names[0])
                    ),
                },
                _ => IngestWarning {
                    code: "trailing_delimiter".into(),
                    message: format!(
                        "every row ends with a delimiter the header does not have: the empty last field was read as a column named \"{}\" with no values",
                        clip(&names[names.len() - 1])
                    ),
                },
            });
        }
        if let Some((row, line, found)) = self.first_short {
            let expected = self.cols.len();
            report.warnings.push(IngestWarning {
                code: "short_rows_filled".into(),
                message: format!(
                    "{} fewer fields than the {}'s {expected} and {} filled with missing values at the end, the first at row {row} (line {line}, {found} {})",
                    if self.short_rows == 1 { "1 row had".to_string() } else { format!("{} rows had", self.short_rows) },
                    if self.header_cells.is_some() { "header" } else { "first row" },
                    if self.short_rows == 1 { "was" } else { "were" },
                    if found == 1 { "field" } else { "fields" },
                ),
            });
        }
        if let Some((row, line, found)) = self.first_long {
            if self.long_rows == 1 {
                return Err(DataError::RaggedRow {
                    file: self.ctx.file.clone(),
                    header: self.header_cells.is_some(),
                    at_least: false,
                    comment_like: false,
                    backslash: false,
                    quote_after_blank: false,
                    title_lines: None,
                    spaces: self.spaces.is_some(),
                    row,
                    line,
                    expected: self.cols.len(),
                    found,
                });
            }
            report.warnings.push(IngestWarning {
                code: "trailing_empty_fields".into(),
                message: format!(
                    "{} rows ended with empty fields past the {}'s {} columns (a delimiter at the end of the line), left out, the first at row {row} (line {line})",
                    self.long_rows,
                    if self.header_cells.is_some() { "header" } else { "first row" },
                    self.cols.len(),
                ),
            });
        }
        report.warnings.extend(self.skips.notes());
        if !self.renamed.is_empty() {
            report.warnings.push(IngestWarning { code: "renamed_columns".into(), message: format!("{}; names must be present and different", self.renamed.join("; ")) });
        }
        let ctx = &self.ctx;
        let mut columns = Vec::with_capacity(self.cols.len());
        let mut summaries = Vec::new();
        for c in self.cols {
            let (column, summary) = c.finish(ctx, report)?;
            columns.push(column);
            summaries.extend(summary);
        }
        if ctx.stride == 1 {
            return Ok((columns, self.n_rows, None));
        }
        let kept = columns.first().map_or(0, Column::len);
        let budget = self.opts.max_memory_bytes;
        let std_error = summaries.first().map_or(0.0, |s| s.distinct_std_error);
        report.warnings.push(IngestWarning {
            code: "sampled".into(),
            message: format!(
                "the typed columns of all {} rows would need more than the memory budget of {budget} bytes, so about one row in {} was kept ({kept} rows, chosen by a hash of the row number: rows that repeat with a period are not aliased) for histograms, top numbers, duplicates and associations; counts, missing, min, max, mean, std, skewness, zeros and negatives cover every row, medians and quartiles come from a sketch of every row, distinct counts are HyperLogLog estimates (±{:.1}% standard error)",
                self.n_rows,
                ctx.stride,
                100.0 * std_error
            ),
        });
        let info = SampleInfo { total_rows: self.n_rows, kept_rows: kept, stride: ctx.stride, budget_bytes: budget, distinct_std_error: std_error, columns: summaries };
        Ok((columns, kept, Some(info)))
    }
}

/// The column names from the header row, trimmed. A column with no name is
/// named `column_N` (its 1-based position) and a repeated name gets `_2`,
/// `_3`, … (as the first free one, never a name the header gives another
/// column): the renames come back to be reported.
fn check_header<'a>(fields: impl Iterator<Item = &'a str>, file: &str, opts: &ParseOptions) -> Result<(Vec<String>, Vec<String>), DataError> {
    let raw: Vec<String> = fields.map(|f| f.trim().to_string()).collect();
    for (i, name) in raw.iter().enumerate() {
        let length = name.chars().count();
        if length > opts.max_header_chars {
            return Err(DataError::HeaderTooLong { file: file.to_string(), at_least: false, index: i + 1, length, limit: opts.max_header_chars });
        }
    }
    let taken: std::collections::HashSet<&str> = raw.iter().filter(|n| !n.is_empty()).map(String::as_str).collect();
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut names = Vec::with_capacity(raw.len());
    let mut renamed = Vec::new();
    let mut fresh: Vec<String> = Vec::new();
    for (i, name) in raw.iter().enumerate() {
        if !name.is_empty() && !first_seen.contains_key(name.as_str()) {
            first_seen.insert(name, i + 1);
            names.push(name.clone());
            continue;
        }
        let base = if name.is_empty() { format!("column_{}", i + 1) } else { name.clone() };
        let mut k = if name.is_empty() { 1 } else { 2 };
        let candidate = loop {
            let c = if k == 1 { base.clone() } else { format!("{base}_{k}") };
            if !taken.contains(c.as_str()) && !fresh.contains(&c) {
                break c;
            }
            k += 1;
        };
        renamed.push(if name.is_empty() {
            format!("column {} had no name and was named \"{candidate}\"", i + 1)
        } else {
            format!("column {} repeats the name \"{name}\" of column {} and was named \"{candidate}\"", i + 1, first_seen[name.as_str()])
        });
        fresh.push(candidate.clone());
        names.push(candidate);
    }
    Ok((names, renamed))
}

// ----------------------------------------------------------------- sniffing

/// What the first 64 KiB of text tell us.
/// A header one name short of every row below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderFix {
    /// The header is as wide as the rows.
    None,
    /// R's `write.table` with row names: the rows' first field is a row
    /// name the header leaves out; that column gets a name.
    RowNames,
    /// Every row ends with a delimiter (an empty last field): that
    /// column gets a name.
    TrailingDelimiter,
}

struct Sniffed {
    header_fix: HeaderFix,
    /// The delimiter that reads the lines as a table when an Excel `sep=`
    /// line names one that splits none of them.
    sep_elsewhere: Option<u8>,
    /// Bytes before the first line the parser reads.
    skip: usize,
    /// Lines in those bytes: an Excel `sep=` line, and lines skipped before
    /// the table.
    skip_lines: usize,
    /// Of them, lines skipped before the table and whether they were detected.
    preamble: usize,
    /// The first detected line of a title or notes (none when asked for).
    preamble_detected: Option<String>,
    /// The detected lines are padded to the table's width with delimiters.
    preamble_padded: bool,
    /// Lines above the table not detected as a title (see [`sniff`]).
    title_lines: Option<(usize, usize)>,
    delimiter: u8,
    /// Fields are separated by runs of blanks (`delimiter` is a space).
    whitespace: bool,
    delimiter_source: &'static str,
    has_header: bool,
    header_source: &'static str,
    decimal_comma: bool,
    /// The decimal comma was taken from numbers whose only mark is a dot
    /// before three digits (`74.753`): thousands marks in a `;` file. An
    /// example, for the note.
    dots_as_thousands: Option<String>,
    /// The file line from which notes below the table (a source line,
    /// footnotes) run to its end, when the whole file was in view.
    footer_line: Option<usize>,
    term: u8,
    line_ending: &'static str,
    /// A backslash escapes the next byte inside a quoted field.
    escape: bool,
    /// Records below the names that are part of the header (a Qualtrics
    /// export's question texts and import IDs), skipped.
    survey_rows: usize,
    /// When the file's end was not in view and notes below the table are
    /// to be found as they come: the longest first field of the sampled
    /// rows (a padded note is longer).
    notes_widest: Option<usize>,
}

/// The byte after the first `n` lines of `text` (a `\r\n` pair ends one
/// line); `None` when `text` has fewer line ends.
fn after_lines(text: &[u8], n: usize) -> Option<usize> {
    let mut at = 0;
    for _ in 0..n {
        let p = text[at..].iter().position(|&b| b == b'\n' || b == b'\r')? + at;
        at = p + 1;
        if text[p] == b'\r' && text.get(at) == Some(&b'\n') {
            at += 1;
        }
    }
    Some(at)
}

/// Whether the fields of a record draw a text table's rule: each is empty
/// or made of `-` `=` `+` `:` `|` only, and one holds three dashes or
/// equals signs (psql's `---+---`, Markdown's `|---|:--:|`, MySQL's
/// `+----+----+`). A row of `-` missing values is not one.
fn is_rule<'a>(fields: impl Iterator<Item = &'a str>) -> bool {
    let mut long = false;
    for f in fields {
        let t = f.trim();
        if !t.bytes().all(|b| matches!(b, b'-' | b'=' | b'+' | b':' | b'|')) {
            return false;
        }
        long |= t.bytes().filter(|&b| b == b'-' || b == b'=').count() >= 3;
    }
    long
}

/// Whether a lone field is a line counting the rows of a result above it:
/// `(2 rows)`, `(1 row)` (psql), `(2 rows affected)` (SQL Server),
/// `2 rows selected.` (Oracle), `2 rows in set (0.00 sec)` (MySQL).
fn row_count_line(field: &str) -> bool {
    let t = field.trim();
    let t = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(t);
    let t = t.strip_suffix('.').unwrap_or(t);
    let Some((n, rest)) = t.split_once(' ') else { return false };
    let rest = rest.to_ascii_lowercase();
    // MySQL's client: `2 rows in set (0.00 sec)`.
    let rest = match rest.split_once(" in set") {
        Some((rows, time)) if time.is_empty() || (time.starts_with(" (") && time.ends_with(" sec)")) => rows,
        _ => rest.as_str(),
    };
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && matches!(rest, "row" | "rows" | "row affected" | "rows affected" | "row selected" | "rows selected")
}

/// The first line of `text` that is neither blank nor a comment.
/// Line ends in `text` (`\r\n`, `\n` or a lone `\r`).
fn line_ends(text: &[u8]) -> usize {
    let lf = count_byte(b'\n', text);
    let cr_alone = text.iter().enumerate().filter(|&(i, &b)| b == b'\r' && text.get(i + 1) != Some(&b'\n')).count();
    lf + cr_alone
}

/// Where notes below a table start (a source line, footnotes such as
/// `1) vorläufig`), in `text` holding the whole file: the offset of a
/// trailing run of at most 20 lines of words with none of the file's
/// delimiter (outside quotes), after a line with as many as most lines
/// have, two or more (a table of three columns or more; most: three lines
/// in five, or four lines or more one after another), as has the line
/// above it. Quotes are balanced in each (a note may be one quoted field),
/// so no quoted value runs into them; a short row (`3,c`, or `7`) is no
/// note. Statistics offices' tables end so, and the notes defeated the
/// delimiter's and title's detection.
fn footer_start(text: &[u8]) -> Option<usize> {
    // (start, content) of each line.
    let mut lines: Vec<(usize, &[u8])> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\n' || text[i] == b'\r' {
            lines.push((start, &text[start..i]));
            if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    if start < text.len() {
        lines.push((start, &text[start..]));
    }
    // Delimiters outside quotes ("12,488,802" is one field).
    let count = |line: &[u8], d: u8| {
        let mut quoted = false;
        line.iter().filter(|&&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == d && !quoted
        }).count()
    };
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&k| lines[k].1.iter().any(|b| !b.is_ascii_whitespace())).collect();
    // The file's delimiter: the one most lines hold the same number of,
    // two or more (three columns), on three lines in five at least.
    let (d, n) = [b';', b',', b'\t', b'|']
        .into_iter()
        .filter_map(|d| {
            let mut counts: Vec<usize> = nonblank.iter().map(|&k| count(lines[k].1, d)).collect();
            counts.sort_unstable();
            let (mut best, mut best_run, mut run) = (0, 0, 0);
            // The most common count of two or more (title and note lines
            // hold none, and may be as many as the table's).
            for (i, &c) in counts.iter().enumerate() {
                run = if i > 0 && counts[i - 1] == c { run + 1 } else { 1 };
                if c >= 2 && run > best_run {
                    (best, best_run) = (c, run);
                }
            }
            // Or a short table between a title and notes: four lines or
            // more, one after another, with that count.
            let block = || {
                let at: Vec<usize> = (0..nonblank.len()).filter(|&k| count(lines[nonblank[k]].1, d) == best).collect();
                at.len() >= 4 && at.windows(2).all(|w| w[1] == w[0] + 1)
            };
            (best >= 2 && (best_run * 5 >= counts.len() * 3 || block())).then_some((d, best, best_run))
        })
        .max_by_key(|&(_, _, run)| run)
        .map(|(d, n, _)| (d, n))?;
    let balanced = |l: &[u8]| l.iter().filter(|&&b| b == b'"').count() % 2 == 0;
    // The longest first field of the table's rows (those with more than
    // the first field filled in), against which a padded line's is a note.
    let mut widest: Option<usize> = None;
    for (k, &li) in nonblank.iter().enumerate().rev() {
        let line = lines[li].1;
        if !balanced(line) {
            return None;
        }
        let c = count(line, d);
        // A note is words (a row of one number is a short row) with no
        // delimiter of any kind outside quotes (a row split another way
        // is a row) and no quote left open; a text table's rule has its
        // own skipping.
        let words = std::str::from_utf8(line).is_ok_and(|l| l.chars().any(char::is_alphabetic));
        let split = [b';', b',', b'\t', b'|'].into_iter().any(|e| count(line, e) > 0);
        if c == 0 && words && !split {
            continue;
        }
        // Or a sentence cut by the delimiter (`Source: Statistics Office,
        // 2021 census.`), fewer fields than the table's; or a note a
        // spreadsheet padded to the table's width (`Source: ERP export,,,`),
        // only its first field filled in, that reads as a note (a mark such
        // as `Source:` or `*`, or three words or more, longer than the
        // column's values: `Far North,,,` may be a row).
        if c <= n {
            let fields = split_outside_quotes(line, d);
            let first = fields.first().map_or("", String::as_str);
            let padded = fields.get(1..).unwrap_or_default().iter().all(|f| f.is_empty());
            let widest = *widest.get_or_insert_with(|| {
                nonblank[..k]
                    .iter()
                    .map(|&p| split_outside_quotes(lines[p].1, d))
                    .filter(|f| f.len() == n + 1 && f.iter().skip(1).any(|f| !f.is_empty()))
                    .map(|f| f.first().map_or(0, |t| t.chars().count()))
                    .max()
                    .unwrap_or(0)
            });
            if cut_or_padded_note(first, c + 1, n + 1, padded, widest, d) {
                continue;
            }
        }
        if c != n {
            return None;
        }
        let after = &nonblank[k + 1..];
        let above = nonblank.get(k.checked_sub(1)?).map(|&p| lines[p].1)?;
        return (!after.is_empty() && after.len() <= 20 && count(above, d) == n).then(|| lines[li + 1].0);
    }
    None
}

/// The fields of a line split at `d` outside quotes, as text (lossy),
/// quotes around a field taken off.
fn split_outside_quotes(line: &[u8], d: u8) -> Vec<String> {
    let mut fields = Vec::new();
    let (mut quoted, mut start) = (false, 0);
    for (i, &b) in line.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            fields.push(&line[start..i]);
            start = i + 1;
        }
    }
    fields.push(&line[start..]);
    fields.into_iter().map(|f| String::from_utf8_lossy(f).trim().trim_matches('"').to_string()).collect()
}

/// Whether `text` holds a delimiter other than `d`.
fn split_by_another(text: &str, d: u8) -> bool {
    [b';', b',', b'\t', b'|'].into_iter().any(|e| e != d && text.as_bytes().contains(&e))
}

/// Whether a text starts as notes under (or titles over) a table do: a
/// word such as `Source:` or `Note`, a footnote mark (`*`, `†`, `¹`,
/// `1)`, `(1)`, `a)`).
fn note_mark(text: &str) -> bool {
    let t = text.trim().trim_start_matches('"').trim_start();
    const WORDS: [&str; 12] = ["source", "sources", "note", "notes", "footnote", "footnotes", "quelle", "quellen", "anmerkung", "anmerkungen", "hinweis", "fußnote"];
    let lower = t.to_lowercase();
    let word: String = lower.chars().take_while(|c| c.is_alphabetic()).collect();
    let after = lower[word.len()..].chars().next();
    if WORDS.contains(&word.as_str()) && matches!(after, None | Some(':' | ' ' | '.' | '-')) {
        return true;
    }
    if t.starts_with(['*', '†', '‡', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰']) {
        return true;
    }
    // `1)`, `(1)`, `a)`, and a statistics office's legend `[c]`, `[1]`: a
    // mark of up to two digits or one letter.
    let (inner, close) = match t.strip_prefix('[') {
        Some(rest) => (rest, ']'),
        None => (t.strip_prefix('(').unwrap_or(t), ')'),
    };
    let mark: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let is_mark = (1..=2).contains(&mark.len()) && (mark.bytes().all(|b| b.is_ascii_digit()) || mark.len() == 1);
    is_mark && inner[mark.len()..].starts_with(close)
}

/// Whether a record below a table of `width` columns (three or more)
/// reads as a note, as [`footer_start`] takes lines: words in one field,
/// no other delimiter in it unless it starts as a note; fewer fields, the
/// first a note or three words; or as many, only the first filled in, a
/// note or three words longer than `widest` (the longest first field of
/// the rows). A line counting rows or drawing a rule has its own skipping.
fn note_record(fields: &[&str], width: usize, d: u8, widest: usize) -> bool {
    let Some(first) = fields.first().map(|f| f.trim()) else { return false };
    if width < 3 || row_count_line(first) || is_rule(fields.iter().copied()) {
        return false;
    }
    match fields.len() {
        1 => first.chars().any(char::is_alphabetic) && (!split_by_another(first, d) || note_mark(first)),
        n => cut_or_padded_note(first, n, width, fields[1..].iter().all(|f| f.trim().is_empty()), widest, d),
    }
}

/// Whether a line of `fields` fields below a table of `width` columns,
/// `first` its first field, reads as a note: fewer fields (a sentence cut
/// by the delimiter) with a note mark or three words or more in a field
/// no other delimiter splits; or as many, only the first filled in
/// (`padded`), with a mark, or such words longer than `widest`, the
/// longest first field of the rows (`Far North,,,` may be a row).
fn cut_or_padded_note(first: &str, fields: usize, width: usize, padded: bool, widest: usize, d: u8) -> bool {
    let sentence = !split_by_another(first, d) && first.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 3;
    if fields < width {
        note_mark(first) || sentence
    } else {
        fields == width && padded && (note_mark(first) || (sentence && first.chars().count() > widest))
    }
}

/// A line quoted whole (`"Table 3.1: Population, 2021"`) as its text,
/// for a note that quotes it again; other lines as they are.
fn unquoted_line(line: &str) -> String {
    let t = line.trim();
    match t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.replace("\"\"", "").contains('"') => inner.replace("\"\"", "\""),
        _ => line.to_string(),
    }
}

fn first_table_line(text: &[u8], comment: Option<u8>) -> &[u8] {
    let mut rest = text;
    loop {
        let blank = rest.iter().position(|&b| b != b'\n' && b != b'\r').unwrap_or(rest.len());
        rest = &rest[blank..];
        let line = &rest[..rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len())];
        let rule = std::str::from_utf8(line).is_ok_and(|l| is_rule(std::iter::once(l)));
        match (rest.first(), comment) {
            (Some(&b), Some(c)) if b == c => rest = &rest[after_lines(rest, 1).unwrap_or(rest.len())..],
            _ if rule => rest = &rest[after_lines(rest, 1).unwrap_or(rest.len())..],
            _ => return rest,
        }
    }
}

/// Whole records of `text` read with `delimiter` (fields of different
/// counts allowed), blank lines, records of empty fields (`,,,`) and
/// comments left out.
fn sample_records(text: &[u8], delimiter: u8, comment: Option<u8>, escape: bool, limit: usize) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .escape(escape.then_some(b'\\'))
        .has_headers(false)
        .flexible(true)
        .comment(comment)
        .from_reader(text)
        .records()
        .map_while(Result::ok)
        .filter(|r| !r.iter().all(|f| f.trim().is_empty()) && !is_rule(r.iter()))
        .take(limit)
        .collect()
}

/// Whether every record has the same number of fields.
fn even(records: &[csv::StringRecord]) -> bool {
    records.windows(2).all(|w| w[0].len() == w[1].len())
}

/// [`even`], but for records longer than the first only by empty fields
/// (a delimiter ending some lines, which the parser reads without them).
fn even_but_trailing(records: &[csv::StringRecord]) -> bool {
    let Some(w) = records.first().map(csv::StringRecord::len) else { return true };
    records.iter().all(|r| r.len() == w || (r.len() > w && r.iter().skip(w).all(|f| f.trim().is_empty())))
}

/// Lines of a title or notes above the table in `body` (whole lines, up
/// to `cut`): the fewest lines, up to [`MAX_PREAMBLE_LINES`], after which
/// at least two records read evenly with two or more fields, each skipped
/// line having fewer (under half as many unless a header follows) unless
/// `any_width`. Gives the bytes and lines to skip and the delimiter of the
/// table.
fn detect_preamble(body: &[u8], cut: usize, delimiter: Option<u8>, comment: Option<u8>, escape: bool, any_width: bool) -> Option<(usize, usize, u8)> {
    for k in 1..=crate::data::MAX_PREAMBLE_LINES {
        let start = after_lines(&body[..cut], k)?;
        let d = delimiter.unwrap_or_else(|| detect_delimiter(first_table_line(&body[start..cut], comment)));
        let table = sample_records(&body[start..cut], d, comment, escape, 200);
        let width = table.first().map_or(0, csv::StringRecord::len);
        if table.len() < 2 || width < 2 || !even(&table) {
            continue;
        }
        // A line one field short of the table could be its header (R's
        // write.table leaves out the row names' one): taken for a title only
        // with a header below it.
        // A header has no number in it; a data row with a text row name
        // (R's layout, handled as row names) has some.
        let header_below = table[0].iter().all(|f| !matches!(classify(f.trim(), false), Class::Number(_) | Class::Time(..) | Class::NonFinite));
        let head = sample_records(&body[..start], d, comment, escape, k);
        // Lines of empty fields above the table are no title: read and skipped.
        if head.is_empty() {
            continue;
        }
        if any_width || head.iter().all(|r| r.len() * 2 <= width || (header_below && r.len() < width)) {
            return Some((start, k, d));
        }
    }
    None
}

/// Lines of a title a spreadsheet padded to the table's width above it
/// in `body` (`Quarterly sales report,,,`), which read as evenly as the
/// table: up to [`MAX_PREAMBLE_LINES`] lines whose only filled-in field is
/// the first, of words (blank lines and lines of empty fields between
/// them), above a header of names (none empty, none a number) and two
/// rows as wide. Gives the lines to skip, through the last title line.
fn padded_title(body: &[u8], delimiter: u8, comment: Option<u8>, escape: bool) -> Option<usize> {
    let mut last = 0;
    let mut at = 0;
    for k in 0..=crate::data::MAX_PREAMBLE_LINES {
        let next = at + after_lines(&body[at..], 1)?;
        let line = &body[at..next];
        at = next;
        if line.iter().filter(|&&b| b == b'"').count() % 2 != 0 {
            return None;
        }
        let Some(r) = sample_records(line, delimiter, comment, escape, 1).pop() else { continue };
        let first = r.get(0).unwrap_or_default().trim();
        if r.len() >= 2 && r.iter().skip(1).all(|f| f.trim().is_empty()) && first.chars().any(char::is_alphabetic) {
            last = k + 1;
            continue;
        }
        let name = |f: &str| !f.trim().is_empty() && !matches!(classify(f.trim(), false), Class::Number(_) | Class::Time(..) | Class::NonFinite);
        if last == 0 || r.len() < 2 || !r.iter().all(name) {
            return None;
        }
        let rows = sample_records(&body[at..], delimiter, comment, escape, 2);
        return (rows.len() == 2 && rows.iter().all(|x| x.len() == r.len())).then_some(last);
    }
    None
}

/// Whether records read as a table: all of two fields or more, as many in each.
fn is_table(records: &[csv::StringRecord]) -> bool {
    records.first().is_some_and(|r| r.len() >= 2) && even(records)
}

/// Whether `body` (whole lines) is a table whose fields are separated by
/// runs of spaces and tabs, given `ws`, its records split at such runs,
/// and `found`, those split at the delimiter `found_delimiter` detected
/// among `,` `;` tab `|`. Split at runs of blanks, every line has the same
/// number of fields, two or more (the first may have one fewer: R's
/// `write.table` leaves the row names' out of the header; rows may have
/// fewer when short rows are read as missing), over two lines at least,
/// and some field is a number (lines of two-word texts are not
/// taken for a table). And none of `,` `;` tab `|` reads as a table —
/// except a tab between aligned columns (UCI's auto-mpg has one before
/// the car names): it gives way when some column read at tabs holds, in
/// every row, numbers (or missing-value tokens) separated by blanks.
/// Whether lines read as one column look like text aligned in columns of
/// fixed width: no line holds the delimiter, and the first line and most
/// of the others have two blanks or more between values (`name      age`).
/// `last`: `head` ends the file, so its last line is whole.
fn looks_fixed_width(head: &[u8], delimiter: u8, last: bool) -> bool {
    let mut lines: Vec<&[u8]> = head.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).filter(|l| l.iter().any(|b| !b.is_ascii_whitespace())).collect();
    if !last && !head.ends_with(b"\n") {
        lines.pop();
    }
    // Two blanks or more between non-blank bytes.
    let gaps = |l: &[u8]| {
        let t = l.trim_ascii();
        t.windows(2).filter(|w| w == b"  ").count() > 0 && t.split(|&b| b == b' ').filter(|p| !p.is_empty()).count() >= 2
    };
    lines.len() >= 3 && !lines.iter().any(|l| l.contains(&delimiter)) && gaps(lines[0]) && lines.iter().filter(|l| gaps(l)).count() * 5 >= lines.len() * 4
}

fn whitespace_table(body: &[u8], found_delimiter: u8, found: &[csv::StringRecord], ws: &[csv::StringRecord], comment: Option<u8>, opts: &ParseOptions) -> bool {
    let missing = &opts.missing_tokens;
    let Some((first, rows)) = ws.split_first() else { return false };
    // Short rows filled with missing values, when asked for: the rows may
    // have fewer fields, most have them all.
    let width = match opts.short_rows {
        ShortRows::Missing => rows.iter().map(csv::StringRecord::len).max().unwrap_or(0),
        ShortRows::Error => rows.first().map_or(0, csv::StringRecord::len),
    };
    let whole = rows.iter().filter(|r| r.len() == width).count();
    let rows_fit = match opts.short_rows {
        ShortRows::Missing => whole * 2 > rows.len(),
        ShortRows::Error => whole == rows.len(),
    };
    let header_fits = first.len() == width || (first.len() + 1 == width && rows.len() >= 2);
    if width < 2 || !rows_fit || !header_fits {
        return false;
    }
    // "a, b, c": a delimiter and a blank after every field but the last is
    // a table at that delimiter (columns "a," and "b," are not).
    let ends_with = |d: u8| ws.iter().all(|r| r.len() >= 2 && r.iter().take(r.len() - 1).all(|f| f.as_bytes().last() == Some(&d)));
    if [b',', b';', b'|'].into_iter().any(ends_with) {
        return false;
    }
    if !ws.iter().flat_map(|r| r.iter()).any(|f| matches!(classify(f.trim(), false), Class::Number(_))) {
        return false;
    }
    let number_or_missing = |t: &str| missing.iter().any(|m| m == t) || matches!(classify(t, false), Class::Number(_));
    for d in [b',', b';', b'\t', b'|'] {
        let other;
        let records = if d == found_delimiter {
            found
        } else {
            other = sample_records(body, d, comment, false, 500);
            &other
        };
        if !is_table(records) {
            continue;
        }
        let aligned = d == b'\t'
            && records[0].len() < width
            && (0..records[0].len()).any(|j| {
                records.iter().skip(usize::from(records.len() > 1)).all(|r| {
                    let pieces: Vec<&str> = r.get(j).unwrap_or("").split_ascii_whitespace().collect();
                    pieces.len() >= 2 && pieces.iter().all(|p| number_or_missing(p))
                })
            });
        if !aligned {
            return false;
        }
    }
    true
}

/// Whether the first of `records` reads as the rows below it do: a
/// number (by `number`) in each column whose other values are all numbers
/// or missing, text in each other (a missing-value token fits either),
/// at least one number, and as many fields as the second record.
/// Whether the first of `records` is consecutive years over values that
/// are no years ("2019,2020,2021" above measurements): a wide table's
/// column names, though every one reads as a number.
fn years_header(records: &[csv::StringRecord]) -> bool {
    let Some((first, rows)) = records.split_first() else { return false };
    let year = |f: &str| f.trim().parse::<u32>().ok().filter(|y| f.trim().len() == 4 && (1800..=2100).contains(y));
    let years: Vec<u32> = first.iter().filter_map(year).collect();
    first.len() >= 2 && years.len() == first.len() && years.windows(2).all(|w| w[1] == w[0] + 1) && rows.iter().any(|r| r.iter().any(|f| !f.trim().is_empty() && year(f).is_none()))
}

fn first_row_is_data(records: &[csv::StringRecord], number: impl Fn(&str) -> bool, missing: &[String]) -> bool {
    let Some((first, rows)) = records.split_first() else { return false };
    if rows.is_empty() || rows[0].len() != first.len() {
        return false;
    }
    let numeric = |j: usize| {
        let mut present = rows.iter().filter_map(|r| r.get(j)).map(str::trim).filter(|f| !missing.iter().any(|m| m == f)).peekable();
        present.peek().is_some() && present.all(&number)
    };
    let mut numbers = 0;
    for (j, f) in first.iter().enumerate() {
        if missing.iter().any(|m| m == f.trim()) {
            continue;
        }
        let is_number = number(f);
        if is_number != numeric(j) {
            return false;
        }
        numbers += usize::from(is_number);
    }
    numbers > 0
}

/// Whether a text field of the first of `records` is a value of its
/// column in a record below, or a number in it has a fraction: a label or
/// a measurement, not a column name.
fn first_row_recurs_or_has_fractions(records: &[csv::StringRecord], decimal_comma: bool) -> bool {
    let Some((first, rows)) = records.split_first() else { return false };
    first.iter().enumerate().any(|(j, f)| {
        let t = f.trim();
        match classify(t, decimal_comma) {
            Class::Number(x) => x.fract() != 0.0,
            Class::Other => !t.is_empty() && rows.iter().any(|r| r.get(j).is_some_and(|g| g.trim() == t)),
            _ => false,
        }
    })
}

/// Whether a date or date-time of the first of `records` heads a column
/// of them, and none heads a column of numbers.
fn times_over_times(records: &[csv::StringRecord], decimal_comma: bool, missing: &[String]) -> bool {
    let Some((first, rows)) = records.split_first() else { return false };
    let mut over_times = false;
    for (j, f) in first.iter().enumerate() {
        if !matches!(classify(f.trim(), decimal_comma), Class::Time(..)) {
            continue;
        }
        let mut below = rows.iter().filter_map(|r| r.get(j)).map(str::trim).filter(|g| !g.is_empty() && !missing.iter().any(|m| m == g)).peekable();
        if below.peek().is_none() {
            continue;
        }
        if !below.all(|g| matches!(classify(g, decimal_comma), Class::Time(..))) {
            return false;
        }
        over_times = true;
    }
    over_times
}

/// Whether a record is a Qualtrics export's row of import IDs: every
/// field written (half of them at least) a JSON object that starts
/// `{"ImportId":`.
fn import_ids(r: &csv::StringRecord) -> bool {
    let written: Vec<&str> = r.iter().map(str::trim).filter(|f| !f.is_empty()).collect();
    written.len() * 2 >= r.len() && written.iter().all(|f| f.starts_with("{\"ImportId\":") && f.ends_with('}'))
}

fn sniff(text: &[u8], last: bool, opts: &ParseOptions) -> Result<Sniffed, DataError> {
    let comment = opts.comment.map(|c| c as u8);
    // An Excel "sep=;" first line names the delimiter and is not data.
    let mut skip = 0;
    let mut sep = None;
    if text.len() >= 5 && text[..4].eq_ignore_ascii_case(b"sep=") {
        let end = text.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(text.len());
        if end == 5 {
            sep = Some(text[4]);
            skip = end;
            if text.get(skip) == Some(&b'\r') {
                skip += 1;
            }
            if text.get(skip) == Some(&b'\n') {
                skip += 1;
            }
        }
    }
    let mut skip_lines = usize::from(sep.is_some());
    let (mut preamble, mut preamble_detected) = (0, None);
    if let Some(n) = opts.skip_lines.filter(|&n| n > 0) {
        let at = match after_lines(&text[skip..], n) {
            Some(at) => at,
            None if last => text.len() - skip,
            None => {
                return Err(DataError::BadOption {
                    message: format!("the {n} lines to skip run past the first {} KiB, which is all that is read to find them", text.len() >> 10),
                })
            }
        };
        skip += at;
        skip_lines += n;
        preamble = n;
    }
    let body = &text[skip..];
    // Whole lines of the sample, for the header, decimal mark and preamble;
    // with the whole file in view, not the notes below the table.
    let footer = (last && opts.short_rows == ShortRows::Error && opts.delimiter != Some(Delimiter::Whitespace)).then(|| footer_start(body)).flatten();
    let footer_line = footer.map(|at| 1 + line_ends(&text[..skip + at]));
    let cut = if last { footer.unwrap_or(body.len()) } else { body.iter().rposition(|&b| b == b'\n' || b == b'\r').unwrap_or(0) };
    let option_delimiter = opts.delimiter.map(Delimiter::byte).or(sep);
    let mut whitespace = opts.delimiter == Some(Delimiter::Whitespace);
    // Runs of blanks asked for: the sample is read with each run turned
    // into one space (lines are kept, so line counts hold).
    let spaced_sample = whitespace.then(|| spaced(&body[..cut], comment));
    let view: &[u8] = spaced_sample.as_deref().unwrap_or(&body[..cut]);
    let mut delimiter = option_delimiter.unwrap_or_else(|| detect_delimiter(first_table_line(body, comment)));
    // Quotes escaped with a backslash: asked for, or seen in a value.
    let escape = !whitespace && opts.backslash_escapes.unwrap_or_else(|| backslash_quote_line(view, delimiter).is_some());
    let mut records = sample_records(view, delimiter, comment, escape, 500);
    // The first line's count alone can mislead: a comma in the first value
    // of a tab-separated file (UCI's SMS spam collection) read every other
    // line as one field. Where the delimiter counted does not split the
    // sample evenly and another splits every sampled line into the same
    // two fields or more, that one is the delimiter.
    if option_delimiter.is_none() && !whitespace && !even_but_trailing(&records) {
        let other = [b',', b';', b'\t', b'|'].into_iter().filter(|&c| c != delimiter).map(|c| (c, sample_records(view, c, comment, escape, 500))).find(|(_, r)| r.len() >= 2 && is_table(r));
        if let Some((d, r)) = other {
            delimiter = d;
            records = r;
        }
    }
    // Bytes of `body` a detected title or notes take.
    let mut pre_bytes = 0;
    // A title or notes above the table, or a title padded with
    // delimiters to the table's width over a header.
    let found = if opts.skip_lines.is_none() && !even(&records) { detect_preamble(view, view.len(), option_delimiter, comment, escape, false).map(|(_, lines, d)| (lines, d, false)) } else { None };
    let found = found.or_else(|| if opts.skip_lines.is_none() && !whitespace { padded_title(view, delimiter, comment, escape).map(|lines| (lines, delimiter, true)) } else { None });
    let mut padded = false;
    if let Some((lines, d, pad)) = found {
        let bytes = after_lines(body, lines).unwrap_or(cut);
        pre_bytes = bytes.min(cut);
        skip += bytes;
        skip_lines += lines;
        preamble = lines;
        delimiter = d;
        padded = pad;
        let first = String::from_utf8_lossy(&body[..after_lines(body, 1).unwrap_or(body.len())]);
        let first = first.trim_end_matches(['\r', '\n']);
        // A padded title without the delimiters that pad it.
        let first = if pad { first.trim_end_matches(|c: char| c == char::from(delimiter) || c.is_whitespace()) } else { first };
        preamble_detected = Some(clip(&unquoted_line(first)));
        records = sample_records(&view[after_lines(view, lines).unwrap_or(view.len())..], delimiter, comment, escape, 500);
    }
    // Lines above an even table that are not taken for a title, being as
    // wide as the table (`Table 1: Population, by region, 2023`): the
    // error a header read from them gives names them all, so that one
    // round of skipping reads the file (file lines, first and last).
    let title_lines = match preamble_detected {
        None if !even(&records) => detect_preamble(view, view.len(), option_delimiter, comment, escape, true).map(|(_, lines, _)| (1 + usize::from(sep.is_some()), skip_lines + lines)),
        _ => None,
    };
    // Runs of blanks, detected: only when the delimiter found does not
    // read as a table (or is a tab, which aligned text may hold; also below
    // a title, as UCI's auto-mpg with a line above it reads at tabs).
    if opts.delimiter.is_none() && sep.is_none() && (!is_table(&records) || delimiter == b'\t') && (preamble_detected.is_none() || delimiter == b'\t') {
        let table = &body[pre_bytes..cut];
        let ws = sample_records(&spaced(table, comment), b' ', comment, false, 500);
        if whitespace_table(table, delimiter, &records, &ws, comment, opts) {
            whitespace = true;
            delimiter = b' ';
            records = ws;
        }
    }
    if comment == Some(delimiter) {
        return Err(DataError::BadOption { message: format!("the comment character '{}' is the file's delimiter: choose another", char::from(delimiter)) });
    }
    let delimiter_source = match (opts.delimiter, sep) {
        (Some(_), _) => "option",
        (None, Some(_)) => "sep_line",
        (None, None) => "detected",
    };
    // A sep= line whose delimiter splits no line, where another splits
    // every line the same way: followed (as Excel does), but said.
    let sep_elsewhere = match (delimiter_source, records.iter().all(|r| r.len() <= 1)) {
        ("sep_line", true) => [b',', b';', b'\t', b'|'].into_iter().filter(|&c| c != delimiter).find(|&c| is_table(&sample_records(view, c, comment, escape, 500))),
        _ => None,
    };
    let body = &text[skip..];
    let crlf = body.windows(2).filter(|w| w == b"\r\n").count();
    let lf = count_byte(b'\n', body) - crlf;
    let cr = count_byte(b'\r', body) - crlf;
    let line_ending = if crlf > 0 && crlf >= lf && crlf >= cr {
        "crlf"
    } else if lf > 0 && lf >= cr {
        "lf"
    } else if cr > 0 {
        "cr"
    } else {
        "none"
    };
    let term = if line_ending == "cr" { b'\r' } else { b'\n' };
    let mut dots_as_thousands = None;
    let (decimal_comma, _) = match opts.decimal_comma {
        Some(d) => (d, "option"),
        None if delimiter == b';' => {
            let (mut comma, mut dot, mut grouped) = (0, 0, None);
            // Per column: a value grouped by dots, and a plain whole number
            // of up to three digits beside it (a float format would write
            // 92 as 92.000).
            let mut dotted = vec![false; records.iter().map(csv::StringRecord::len).max().unwrap_or(0)];
            let mut plain = dotted.clone();
            let mut two_dots = false;
            for r in &records {
                for (j, f) in r.iter().enumerate() {
                    let t = f.trim();
                    if t.contains(',') && parse_number(t, true).is_some() {
                        comma += 1;
                    } else if t.contains('.') && parse_number(t, false).is_some() {
                        if parse_number(t, true).is_none() {
                            // A point, and not thousands grouped.
                            dot += 1;
                        } else {
                            // `74.753`: a decimal point, or thousands grouped.
                            grouped.get_or_insert(t);
                            dotted[j] = true;
                        }
                    } else if t.matches('.').count() >= 2 && parse_number(t, true).is_some() {
                        // `1.234.567`: only thousands marks.
                        grouped.get_or_insert(t);
                        two_dots = true;
                    } else if (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
                        plain[j] = true;
                    }
                }
            }
            // With no decimal comma and no point that must be one, dots
            // are thousands marks, as a semicolon (Excel's delimiter where
            // the comma is the decimal mark) suggests, only when something
            // says so: two dots in a number, or a column of dotted numbers
            // with plain ones of up to three digits (74.753 inhabitants
            // beside 92). Measurements written with three decimals (138.000)
            // stay decimals.
            if comma == 0 && dot == 0 && (two_dots || dotted.iter().zip(&plain).any(|(&d, &p)| d && p)) {
                dots_as_thousands = grouped.map(String::from);
            }
            ((comma > 0 || dots_as_thousands.is_some()) && dot == 0, "detected")
        }
        None => (false, "detected"),
    };
    let (has_header, header_source) = match opts.has_header {
        Some(h) => (h, "option"),
        None => {
            // No header when every field of the first row is a number or a date.
            let number = |f: &str| matches!(classify(f.trim(), decimal_comma), Class::Number(_) | Class::Time(..) | Class::NonFinite);
            let data_like = records.first().is_some_and(|r| r.iter().all(number)) && !years_header(&records);
            // Split at runs of blanks (UCI .data files have no header, and
            // a text column such as auto-mpg's car names): also when the
            // first row has a number in every column whose other values
            // are all numbers (or missing), and text in every other.
            // Other delimiters: also when, besides, a text field of the
            // first row recurs in its column below (adult.data's " Private",
            // a label, not a name) or a number in it has a fraction. A header
            // of years over numbers ("country,2019,2020", or consecutive
            // years alone over measurements) stays a header.
            // Also when a date-time in the first row heads a column of them
            // (a log's first line), and no date heads a column of numbers
            // (a pivot table's months over counts are names).
            let data_like = data_like
                || (first_row_is_data(&records, number, &opts.missing_tokens)
                    && (whitespace || times_over_times(&records, decimal_comma, &opts.missing_tokens) || first_row_recurs_or_has_fractions(&records, decimal_comma)));
            (!data_like, "detected")
        }
    };
    // A header of two names or more one field short of every sampled row
    // below it (two rows at least): an empty last field in each is a
    // trailing delimiter; otherwise, when the first row holds a number or
    // a date (not a header under a title), the first field is a row name.
    let header_fix = match records.split_first() {
        Some((head, rows)) if has_header && head.len() >= 2 && rows.len() >= 2 && rows.iter().all(|r| r.len() == head.len() + 1) => {
            if rows.iter().all(|r| r.get(head.len()).is_some_and(|f| f.trim().is_empty())) {
                HeaderFix::TrailingDelimiter
            } else if rows[0].iter().any(|f| matches!(classify(f.trim(), decimal_comma), Class::Number(_) | Class::Time(..))) {
                HeaderFix::RowNames
            } else {
                HeaderFix::None
            }
        }
        _ => HeaderFix::None,
    };
    let escape = escape && !whitespace;
    // A Qualtrics export: below the names, a row of question texts and
    // one of import IDs (`{"ImportId":"QID1"}`), both part of the header.
    let survey_rows = if has_header && records.len() >= 3 && records[1].len() == records[0].len() && import_ids(&records[2]) { 2 } else { 0 };
    let notes_widest = (!last && opts.short_rows == ShortRows::Error && !whitespace).then(|| {
        records.iter().skip(usize::from(has_header)).filter(|r| r.iter().skip(1).any(|f| !f.trim().is_empty())).map(|r| r.get(0).unwrap_or_default().trim().chars().count()).max().unwrap_or(0)
    });
    Ok(Sniffed { header_fix, sep_elsewhere, skip, skip_lines, preamble, preamble_detected, preamble_padded: padded, title_lines, delimiter, whitespace, delimiter_source, has_header, header_source, decimal_comma, dots_as_thousands, footer_line, term, line_ending, escape, survey_rows, notes_widest })
}

// ------------------------------------------------------------------ ingest

/// A CSV file read in chunks: push the bytes in order, then finish.
///
/// ```
/// use mlcycle::data::{Ingest, ParseOptions};
/// let mut ingest = Ingest::new("t.csv", &ParseOptions::default(), None).unwrap();
/// for chunk in [&b"x,la"[..], b"bel\n1.5,a\n", b"2,b\n"] {
///     ingest.push(chunk).unwrap();
///     // a worker posts `ingest.bytes_done()` here, and may stop to cancel
/// }
/// let ds = ingest.finish().unwrap();
/// assert_eq!((ds.n_rows, ds.columns[1].name.as_str()), (2, "label"));
/// ```
pub struct Ingest {
    file: String,
    opts: ParseOptions,
    total: Option<u64>,
    sha: Sha256,
    /// Bytes hashed: those pushed, and any hashed ahead for parts.
    hashed: u64,
    bytes: u64,
    head: Vec<u8>,
    decoder: Option<Decoder>,
    sniff: Vec<u8>,
    parser: Option<Parser>,
    saw_content: bool,
    failed: Option<DataError>,
    report: IngestReport,
    threads: usize,
}

impl Ingest {
    /// Starts reading `file_name`. `total_bytes`, when known (a `File`'s
    /// size), lets the byte limit be checked before any byte is read.
    pub fn new(file_name: &str, opts: &ParseOptions, total_bytes: Option<u64>) -> Result<Ingest, DataError> {
        opts.validate()?;
        let file = file_name.to_string();
        if let Some(total) = total_bytes.filter(|&t| t > opts.max_bytes as u64) {
            return Err(DataError::TooLarge { file, bytes: total as usize, limit: opts.max_bytes });
        }
        Ok(Ingest {
            file,
            opts: opts.clone(),
            total: total_bytes,
            sha: Sha256::new(),
            hashed: 0,
            bytes: 0,
            head: Vec::new(),
            decoder: None,
            sniff: Vec::new(),
            parser: None,
            saw_content: false,
            failed: None,
            report: IngestReport::default(),
            threads: 1,
        })
    }

    /// Types the columns on up to `threads` threads natively (records are
    /// read on the calling thread and typed in batches, each column on one
    /// thread). The dataset, and any error, are the same for every count;
    /// wasm has one thread. Set it before the first push.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Bytes pushed so far (for progress).
    pub fn bytes_done(&self) -> u64 {
        self.bytes
    }

    /// Heap bytes the typed columns (by capacity) and the all-row
    /// summaries hold now: under `max_memory_bytes` when sampling.
    pub fn held_bytes(&self) -> usize {
        self.parser.as_ref().map_or(0, Parser::held_bytes)
    }

    /// The total given to [`Ingest::new`], if any.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total
    }

    /// Reads the next chunk. After an error every later call gives the
    /// same error.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let r = self.push_inner(chunk, false);
        if let Err(e) = &r {
            self.failed = Some(e.clone());
        }
        r
    }

    fn push_inner(&mut self, chunk: &[u8], last: bool) -> Result<(), DataError> {
        // Bytes hashed ahead (for parts that were then refused) are not
        // hashed again.
        let skip = self.hashed.saturating_sub(self.bytes).min(chunk.len() as u64) as usize;
        self.sha.update(&chunk[skip..]);
        self.bytes += chunk.len() as u64;
        self.hashed = self.hashed.max(self.bytes);
        if self.bytes > self.opts.max_bytes as u64 {
            return Err(DataError::TooLarge { file: self.file.clone(), bytes: self.total.unwrap_or(self.bytes) as usize, limit: self.opts.max_bytes });
        }
        if self.decoder.is_none() {
            // The encoding is settled on the first HEAD_BYTES (fewer
            // only when that is the whole file), however the chunks fall.
            if self.head.len() + chunk.len() < HEAD_BYTES && !last {
                self.head.extend_from_slice(chunk);
                return Ok(());
            }
            // Joined only to earlier pieces of under HEAD_BYTES: a whole file
            // pushed at once is not copied.
            let head: Cow<[u8]> = if self.head.is_empty() {
                Cow::Borrowed(chunk)
            } else {
                let mut h = std::mem::take(&mut self.head);
                h.extend_from_slice(chunk);
                Cow::Owned(h)
            };
            if let Some((format, advice)) = binary_format(&head) {
                return Err(DataError::OtherFormat { file: self.file.clone(), format: format.into(), advice: advice.into() });
            }
            if let Some((format, advice)) = text_format(&head) {
                return Err(DataError::NotCsv { file: self.file.clone(), format: format.into(), advice: advice.into() });
            }
            if head.starts_with(&[0xFF, 0xFE, 0, 0]) || head.starts_with(&[0, 0, 0xFE, 0xFF]) {
                return Err(DataError::UnsupportedEncoding { file: self.file.clone(), encoding: "UTF-32".into() });
            }
            let marked = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
            if marked {
                // UTF-16 text has a zero byte in each delimiter and line end.
                let after = &head[2..head.len().min(HEAD_BYTES)];
                if !after.is_empty() && !after.contains(&0) {
                    let le = head[0] == 0xFF;
                    let utf8 = std::str::from_utf8(&after[..after.len() - incomplete_tail(after)]).is_ok();
                    return Err(DataError::NotUtf16 {
                        file: self.file.clone(),
                        mark: if le { "FF FE" } else { "FE FF" }.into(),
                        order: if le { "little-endian" } else { "big-endian" }.into(),
                        checked: after.len(),
                        utf8: if utf8 { "; they read as UTF-8 text".into() } else { String::new() },
                    });
                }
            }
            let no_bom = if marked { None } else { utf16_without_bom(&head) };
            let (encoding, bom, name) = if let Some(le) = no_bom {
                self.report.warnings.push(IngestWarning {
                    code: "utf16_without_bom".into(),
                    message: format!("the file has no byte order mark, but its zero bytes fall where UTF-16 text has them: read as UTF-16 {}", if le { "little-endian" } else { "big-endian" }),
                });
                (Encoding::Utf16 { le }, 0, if le { "utf-16le" } else { "utf-16be" })
            } else if head.starts_with(&[0xFF, 0xFE]) {
                (Encoding::Utf16 { le: true }, 2, "utf-16le")
            } else if head.starts_with(&[0xFE, 0xFF]) {
                (Encoding::Utf16 { le: false }, 2, "utf-16be")
            } else if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
                (Encoding::Utf8, 3, "utf-8-bom")
            } else if self.opts.encoding == TextEncoding::Windows1252 {
                (Encoding::Windows1252, 0, "windows-1252")
            } else {
                (Encoding::Utf8, 0, "utf-8")
            };
            self.report.encoding = name.to_string();
            if !matches!(encoding, Encoding::Utf16 { .. }) {
                if let Some(e) = binary_head(&head, bom, &self.file) {
                    return Err(e);
                }
            }
            let mut decoder = Decoder::new(encoding, self.opts.lossy_utf8, bom);
            let text = decoder.feed(&head[bom..], last, &self.file)?;
            self.decoder = Some(decoder);
            return self.text(&text, last);
        }
        let decoder = self.decoder.as_mut().expect("set above");
        let text = decoder.feed(chunk, last, &self.file)?;
        self.text(&text, last)
    }

    fn text(&mut self, text: &[u8], last: bool) -> Result<(), DataError> {
        if !self.saw_content {
            self.saw_content = text.iter().any(|b| !b.is_ascii_whitespace());
        }
        if let Some(p) = &mut self.parser {
            p.bytes_in = self.bytes;
            return p.feed(text);
        }
        // Sniff a large first piece in place rather than copying it.
        let owned;
        let sample: &[u8] = if self.sniff.is_empty() && (text.len() >= SNIFF_BYTES || last) {
            text
        } else {
            self.sniff.extend_from_slice(text);
            if self.sniff.len() < SNIFF_BYTES && !last {
                return Ok(());
            }
            owned = std::mem::take(&mut self.sniff);
            &owned
        };
        let s = sniff(sample, last, &self.opts)?;
        let r = &mut self.report;
        r.skipped_lines = s.preamble;
        if let Some(first) = &s.preamble_detected {
            r.warnings.push(IngestWarning {
                code: "skipped_lines".into(),
                message: format!(
                    "{} {} and {} skipped as a title or notes (\"{first}\"); to read {} as the table, set the lines to skip to 0",
                    if s.preamble == 1 { "the first line had".to_string() } else { format!("the first {} lines had", s.preamble) },
                    match (s.preamble_padded, s.preamble == 1) {
                        (false, _) => "fewer fields than the table below",
                        (true, true) => "text in its first field only (the others empty) above the table's header",
                        (true, false) => "text in their first field only (the others empty) above the table's header",
                    },
                    if s.preamble == 1 { "was" } else { "were" },
                    if s.preamble == 1 { "it" } else { "them" },
                ),
            });
        }
        r.delimiter = if s.whitespace { "whitespace".to_string() } else { char::from(s.delimiter).to_string() };
        r.delimiter_source = s.delimiter_source.to_string();
        r.header = s.has_header;
        r.header_source = s.header_source.to_string();
        r.decimal_comma = s.decimal_comma;
        r.line_ending = s.line_ending.to_string();
        if let Some(line) = backslash_quote_line(&sample[..sample.len().min(SNIFF_BYTES)], s.delimiter).filter(|_| self.opts.backslash_escapes.is_none() || !s.escape) {
            r.warnings.push(IngestWarning {
                code: "backslash_quotes".into(),
                message: if s.escape {
                    format!(
                        "line {line} has a quote written \\\" inside a value: this file escapes quotes with a backslash where CSV doubles them (\"\"), so a backslash inside quotes was read as taking the next character as it is; to read backslashes as plain characters, turn backslash escapes off (--backslash-escapes false, or \"Backslash escapes\" in the page's reading options)"
                    )
                } else {
                    format!(
                        "line {line} has a quote written \\\" inside a value: this file seems to escape quotes with a backslash, which CSV does not (it doubles them: \"\"); such values are read with their quotes misplaced: turn backslash escapes on (--backslash-escapes true, or \"Backslash escapes\" in the page's reading options), or save the file with doubled quotes"
                    )
                },
            });
        }
        if let Some(other) = s.sep_elsewhere {
            let name = |b: u8| if b == b'\t' { "tab".to_string() } else { format!("'{}'", char::from(b)) };
            r.warnings.push(IngestWarning {
                code: "sep_line_splits_nothing".into(),
                message: format!(
                    "the first line (sep={}) names {} as the delimiter, but no line holds it, so each line was read as one field; the lines split evenly at {}: to read them so, set the delimiter (--delimiter {}, or Delimiter in the page's reading options)",
                    char::from(s.delimiter),
                    name(s.delimiter),
                    name(other),
                    if other == b'\t' { "tab".to_string() } else { format!("'{}'", char::from(other)) }
                ),
            });
        }
        if !s.whitespace && self.opts.delimiter.is_none() && looks_fixed_width(&sample[s.skip.min(sample.len())..sample.len().min(SNIFF_BYTES)], s.delimiter, last) {
            r.warnings.push(IngestWarning {
                code: "fixed_width".into(),
                message: "every line was read as one field: no delimiter splits the lines alike, but they look aligned in columns of fixed width (runs of spaces between values); a blank value leaves a gap no delimiter can read, so save the file with a delimiter (a comma or a tab) from the program that wrote it, or, if no value is blank, split at runs of spaces (--delimiter whitespace, or Delimiter in the page's reading options)".into(),
            });
        }
        if s.whitespace && self.opts.delimiter.is_none() {
            r.warnings.push(IngestWarning {
                code: "whitespace_delimiter".into(),
                message: "no comma, semicolon, tab or pipe reads the file as a table, but runs of spaces do: fields were split at runs of spaces and tabs (a double-quoted value keeps its spaces); if the columns look wrong, set the delimiter".into(),
            });
        }
        if !s.has_header && s.header_source == "detected" {
            r.warnings.push(IngestWarning {
                code: "no_header".into(),
                message: "the first row reads as data (numbers or dates where the rows below have them, or their labels), so it was read as data and the columns were named column_1, column_2, …; if it holds the column names, say so (--header true, or \"First row: Column names\" in the page's reading options)".into(),
            });
        }
        if let (true, None, Some(example)) = (s.decimal_comma, self.opts.decimal_comma, &s.dots_as_thousands) {
            r.warnings.push(IngestWarning {
                code: "dots_as_thousands".into(),
                message: format!("numbers such as {example:?} were read with dots as thousands marks ({example} is {}), as is usual where the delimiter is a semicolon; no number in the first lines has a decimal comma or a decimal point that must be one; if the dots are decimal points, say so (--decimal-comma false, or \"Decimal mark: Point\" in the page's reading options)", crate::data::format_number(parse_number(example, true).unwrap_or(f64::NAN))),
            });
        } else if s.decimal_comma && self.opts.decimal_comma.is_none() {
            r.warnings.push(IngestWarning {
                code: "decimal_comma".into(),
                message: "numbers such as \"1,5\" were read with a decimal comma (the delimiter is a semicolon and no number uses a decimal point), and dots or spaces between groups of three digits (\"1.234,5\") as thousands marks".into(),
            });
        }
        let utf16 = self.decoder.as_ref().is_some_and(|d| matches!(d.encoding, Encoding::Utf16 { .. }));
        let head = ParserHead { header_fix: s.header_fix, delimiter: s.delimiter, term: s.term, decimal_comma: s.decimal_comma, has_header: s.has_header, line0: s.skip_lines, whitespace: s.whitespace, escape: s.escape, footer_line: s.footer_line, title_lines: s.title_lines, survey_rows: s.survey_rows, notes_widest: s.notes_widest };
        let mut parser = Parser::new(&self.file, &self.opts, &head, self.bytes, self.total, if utf16 { 2.0 } else { 1.0 }, self.threads);
        parser.text_fed = s.skip as u64;
        parser.text_parsed = s.skip as u64;
        parser.feed(&sample[s.skip..])?;
        self.parser = Some(parser);
        Ok(())
    }

    /// Ends the input and gives the dataset.
    pub fn finish(mut self) -> Result<Dataset, DataError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.push_inner(&[], true)?;
        if !self.saw_content {
            // Bytes, but only blanks and line ends after a byte order mark.
            let bom = match self.report.encoding.as_str() {
                "utf-8-bom" => 3,
                "utf-16le" | "utf-16be" => 2,
                _ => 0,
            };
            let skipped = match (self.bytes, bom) {
                (0, _) => String::new(),
                (n, 0) => format!(" (its {n} bytes are only spaces, tabs and line ends)"),
                (n, b) if n as usize == b => " (it holds only a byte order mark)".to_string(),
                (n, _) => format!(" (its {n} bytes are a byte order mark and only spaces, tabs and line ends)"),
            };
            return Err(DataError::EmptyFile { file: self.file, skipped });
        }
        let mut report = std::mem::take(&mut self.report);
        let parser = self.parser.take().expect("the last push starts the parser");
        let (columns, n_rows, sample) = parser.finish(&mut report)?;
        if let Some(d) = &self.decoder {
            if d.replaced > 0 {
                let (line, byte) = d.first_bad.unwrap_or((0, 0));
                report.warnings.push(IngestWarning {
                    code: "lossy_utf8".into(),
                    message: format!("{} invalid byte sequence(s) were replaced by U+FFFD, the first at line {line}, byte {byte}", d.replaced),
                });
            }
            if let (n @ 1.., Some((byte, c))) = (d.utf8_in_1252.count, d.utf8_in_1252.first) {
                let as_1252: String = c.to_string().bytes().map(|b| if (0x80..=0x9F).contains(&b) { CP1252_HIGH[usize::from(b - 0x80)] } else { char::from(b) }).collect();
                report.warnings.push(IngestWarning {
                    code: "utf8_read_as_windows_1252".into(),
                    message: format!(
                        "{n} valid UTF-8 sequence{} {} read as Windows-1252 characters, the first at byte {byte} (\"{c}\" read as \"{as_1252}\"): if the file is UTF-8 with some invalid bytes, read it as UTF-8 and replace them (--lossy-utf8, or \"Replace invalid UTF-8 bytes\" in the page's reading options)",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "was" } else { "were" }
                    ),
                });
            }
        }
        report.bytes = self.bytes;
        let delimiter = if report.delimiter == "whitespace" { b' ' } else { report.delimiter.as_bytes().first().copied().unwrap_or(b',') };
        Ok(Dataset { file_name: self.file, sha256: hex::encode(self.sha.finalize()), columns, n_rows, delimiter, ingest: report, sample, parse: self.opts })
    }
}

#[cfg(test)]
mod tests {
    use super::{label_hash, FxHasher};
    use std::hash::{BuildHasher, BuildHasherDefault};

    /// Distinct values of the low 16 bits (what the hash table picks a
    /// bucket by) among `keys`' hashes as a FastMap key.
    fn low_buckets(keys: impl Iterator<Item = u64>) -> usize {
        let build = BuildHasherDefault::<FxHasher>::default();
        keys.map(|k| build.hash_one(k) & 0xFFFF).collect::<std::collections::HashSet<_>>().len()
    }

    /// Keys that differ only in their high bits spread over the buckets:
    /// labels with a common start (id000000, id000001, …) and integers as
    /// floats (low mantissa bits zero) all fell in a few, and reading grew
    /// with the square of the rows. 65,536 random keys fill about 63% of
    /// 65,536 buckets; before the final mix, these filled 1 to 256.
    #[test]
    fn similar_keys_spread_over_the_buckets() {
        let ids = low_buckets((0..65_536).map(|k| label_hash(&format!("id{k:06}"))));
        let long_ids = low_buckets((0..65_536).map(|k| label_hash(&format!("customer-{k:08}"))));
        let floats = low_buckets((0..65_536u32).map(|k| f64::from(k).to_bits()));
        let days = low_buckets((0..65_536u32).map(|k| (f64::from(k) * 86_400.0).to_bits()));
        for (what, n) in [("ids", ids), ("long ids", long_ids), ("integers", floats), ("days", days)] {
            assert!(n > 35_000, "{what}: {n} of 65536 buckets");
        }
    }
}
