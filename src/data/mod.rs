//! Data management, first step: CSV bytes in, a typed [`Dataset`] out.
//!
//! Takes the raw bytes of a file (never a path: the page hands us a
//! `Uint8Array`, the command reads the file itself), whole ([`parse_csv`])
//! or in chunks ([`Ingest`]); detects encoding, delimiter, header and
//! decimal mark, tokenizes with `csv-core` in one pass and infers a type
//! per column. Missing values stay missing; what was detected or repaired
//! is reported in [`IngestReport`]. Also holds the seeded train/test split.
//! No wasm here.

mod csv_read;
mod ingest;
#[cfg(not(target_arch = "wasm32"))]
mod read_file;
mod sketch;
pub(crate) mod split;
mod value;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use csv_read::{parse_csv, Delimiter, NonFinitePolicy, OverBudget, ParseOptions, ShortRows, TextEncoding, MAX_PREAMBLE_LINES, MAX_SKIP_LINES};
pub use sketch::{hll_std_error, sample_keeps, sample_rows, ColumnSummary, Hll, Moments, SampleInfo, HLL_PRECISION};
pub(crate) use sketch::text_key;
pub use ingest::{part_start, Ingest, IngestReport, Part, PartOutput, PartSpec, ReadBytes, IngestWarning, MixedTypes, NonFiniteValues, Respelled, ValueExample};
pub use value::{format_span, format_time};
pub(crate) use value::parse_time;

/// The SHA-256 of `bytes` in lowercase hex, as a dataset's fingerprint is
/// written.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
pub(crate) use value::{bool_value, loose_date, number_or_code};
#[cfg(not(target_arch = "wasm32"))]
pub use read_file::{read_file, ReadError, PARTS_MIN_BYTES};

/// Reads label text as a number (decimal point), `None` when it is not a
/// finite number.
pub fn parse_number_text(s: &str) -> Option<f64> {
    value::parse_number(s.trim(), false).filter(|x| x.is_finite())
}

/// Reads label text as an ISO 8601 date or date-time, in seconds since
/// 1970-01-01 UTC.
pub fn parse_time_text(s: &str) -> Option<f64> {
    value::parse_time(s.trim()).map(|(t, _)| t)
}
pub use split::{train_test_split, Split};
pub(crate) use split::shuffle;

/// Errors from reading a data file. Each names the place: row (1-based data
/// row, the header is row 0), line in the file, column name.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DataError {
    /// The file has no bytes, or only whitespace.
    #[error("{file}: the file is empty{skipped}")]
    EmptyFile {
        /// File name as given.
        file: String,
        /// What was skipped as no data (records of empty fields), said
        /// after the message: empty or " (…)".
        skipped: String,
    },
    /// A header row but no data rows.
    #[error("{file}: the file has a header row but no data rows{skipped}")]
    NoRows {
        /// File name as given.
        file: String,
        /// What was skipped as no data, said after the message: empty or " (…)".
        skipped: String,
    },
    /// Larger than the byte limit.
    #[error("{file}: the file is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// File name as given.
        file: String,
        /// Size of the file.
        bytes: usize,
        /// The limit in force.
        limit: usize,
    },
    /// UTF-16 text (recognised by its byte order mark) with an unpaired
    /// surrogate.
    #[error("{file}: invalid UTF-16 at byte {byte}; save the file as UTF-8")]
    InvalidUtf16 {
        /// File name as given.
        file: String,
        /// 0-based byte offset in the file.
        byte: usize,
    },
    /// A UTF-16 byte order mark before bytes that are not UTF-16 text
    /// (UTF-8 text, say, that then read as one line of CJK characters).
    #[error("{file}: the file starts with {mark}, the byte order mark of UTF-16 {order}, but is not valid UTF-16 as the mark claims: none of the {checked} bytes from byte 2 on is zero, where UTF-16 text has a zero byte in each delimiter and line end{utf8}; remove the mark (the first 2 bytes), or save the file again as UTF-8")]
    NotUtf16 {
        /// File name as given.
        file: String,
        /// The mark's bytes: "FF FE" or "FE FF".
        mark: String,
        /// "little-endian" or "big-endian".
        order: String,
        /// Bytes looked at after the mark.
        checked: usize,
        /// Empty, or what the bytes read as: "; they read as UTF-8 text".
        utf8: String,
    },
    /// A value that does not read as the type the user set for its column.
    #[error("{file}: row {row} (line {line}), column \"{column}\": \"{value}\" is not a valid {kind}")]
    BadValue {
        /// File name as given.
        file: String,
        /// 1-based data row.
        row: usize,
        /// 1-based line.
        line: usize,
        /// Column name.
        column: String,
        /// The type set for the column.
        kind: String,
        /// The text found (at most 100 characters).
        value: String,
    },
    /// An integer past 2^53 in a column whose type was set to integer: it
    /// has no exact f64, so it would be read as a neighbouring number.
    #[error("{file}: row {row} (line {line}), column \"{column}\": {value} cannot be kept exactly as an integer (past 2^53 = 9007199254740992, integers are rounded); set the column's type to categorical to keep its digits, or to float to accept the rounding")]
    InexactInteger {
        /// File name as given.
        file: String,
        /// 1-based data row.
        row: usize,
        /// 1-based line.
        line: usize,
        /// Column name.
        column: String,
        /// The text found (at most 100 characters).
        value: String,
    },
    /// A parse option that cannot be used.
    #[error("invalid parse option: {message}")]
    BadOption {
        /// What is wrong.
        message: String,
    },
    /// A NUL byte: almost certainly not a text file.
    #[error("{file}: line {line}: found a NUL byte at byte {byte}; this looks like a binary file, not CSV")]
    Binary {
        /// File name as given.
        file: String,
        /// 1-based line of the byte.
        line: usize,
        /// 0-based byte offset.
        byte: usize,
    },
    /// Control bytes no text holds, many of them in the first bytes of a
    /// file that is not UTF-8 text (random or compressed bytes).
    #[error("{file}: line {line}: found the control byte 0x{value:02X} at byte {byte}, one of {count} such bytes in the first {checked}; this looks like a binary file, not CSV")]
    BinaryControls {
        /// File name as given.
        file: String,
        /// 1-based line of the first such byte.
        line: usize,
        /// 0-based byte offset of the first such byte.
        byte: usize,
        /// The first such byte.
        value: u8,
        /// How many there are in the bytes checked.
        count: usize,
        /// Bytes checked (the file's head).
        checked: usize,
    },
    /// A file of a known binary format (its first bytes say which).
    #[error("{file}: this is {format} (a binary file), not CSV; {advice}")]
    OtherFormat {
        /// File name as given.
        file: String,
        /// What the file is, e.g. "a ZIP archive".
        format: String,
        /// What to do instead.
        advice: String,
    },
    /// Text in a format other than CSV (HTML, XML, JSON), by how it starts.
    #[error("{file}: this is {format}, not CSV; {advice}")]
    NotCsv {
        /// File name as given.
        file: String,
        /// What the file is, e.g. "an HTML web page".
        format: String,
        /// What to do instead.
        advice: String,
    },
    /// Text in an encoding that is not read (UTF-32, by its byte order mark).
    #[error("{file}: the file is {encoding} text (its byte order mark says so), which mlcycle does not read; save it as UTF-8")]
    UnsupportedEncoding {
        /// File name as given.
        file: String,
        /// The encoding, e.g. "UTF-32".
        encoding: String,
    },
    /// Bytes that are not UTF-8.
    #[error("{file}: line {line}: invalid UTF-8 at byte offset {byte} of the file: {}", invalid_utf8_advice(.utf8_before))]
    InvalidUtf8 {
        /// File name as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// 0-based byte offset in the file.
        byte: usize,
        /// The first valid multi-byte UTF-8 character before it (`ü` as
        /// C3 BC) and its 1-based line: the file is UTF-8 with some bad
        /// bytes, which Windows-1252 would garble.
        utf8_before: Option<(char, usize)>,
    },
    /// A quote opened and never closed.
    #[error("{file}: line {line}: a quoted field opened here is never closed")]
    UnterminatedQuote {
        /// File name as given.
        file: String,
        /// 1-based line where the quote opened.
        line: usize,
    },
    /// A header name longer than the limit.
    #[error("{file}: the name of column {index} is {}{length} characters long, over the limit of {limit}", at_least_text(*at_least))]
    HeaderTooLong {
        /// File name as given.
        file: String,
        /// 1-based column position.
        index: usize,
        /// Reading stopped at the limit: `length` is what was read by then.
        at_least: bool,
        /// Its length in characters.
        length: usize,
        /// The limit in force.
        limit: usize,
    },
    /// More columns than the limit.
    #[error("{file}: the file has {}{columns} columns, over the limit of {limit}", at_least_text(*at_least))]
    TooManyColumns {
        /// File name as given.
        file: String,
        /// Reading stopped at the limit: `columns` is what was read by then.
        at_least: bool,
        /// Columns found.
        columns: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The typed columns would need more memory than allowed.
    #[error("{file}: about {rows} rows × {columns} columns need about {needed} bytes of memory once parsed, over the limit of {limit} bytes{}; to read them all, raise the limit to at least {} MB (--max-memory {}, or \"Memory for the data\" in the page's reading options)", projected(*read, *rows), mb_for(*needed), mb_for(*needed))]
    TooMuchMemory {
        /// File name as given.
        file: String,
        /// Data rows (projected to the whole file from those read).
        rows: usize,
        /// Data rows read when the projection was made.
        read: usize,
        /// Columns.
        columns: usize,
        /// Bytes the typed columns need (saturated at usize::MAX).
        needed: usize,
        /// The limit in force.
        limit: usize,
    },
    /// More rows than the limit.
    #[error("{file}: the file has more than {limit} data rows, the limit; split it, or keep a sample of its rows")]
    TooManyRows {
        /// File name as given.
        file: String,
        /// The limit in force.
        limit: usize,
    },
    /// A field longer than the limit.
    #[error("{file}: row {row} (line {line}), column \"{column}\": the field is {}{length} bytes long, over the limit of {limit}", at_least_text(*at_least))]
    FieldTooLong {
        /// File name as given.
        file: String,
        /// Reading stopped at the limit: `length` is what was read by then.
        at_least: bool,
        /// 1-based data row.
        row: usize,
        /// 1-based line.
        line: usize,
        /// Column name.
        column: String,
        /// Field length in bytes.
        length: usize,
        /// The limit in force.
        limit: usize,
    },
    /// A row with a different number of fields than the header.
    #[error("{file}: row {row} (line {line}) has {}{found} {} but the {} has {expected}{}", at_least_text(*at_least), if *found == 1 && !*at_least { "field" } else { "fields" }, if *header { "header" } else { "first row" }, ragged_hint(*row, *line, *expected, *found, *comment_like, *backslash, *quote_after_blank, *title_lines, *spaces))]
    RaggedRow {
        /// File name as given.
        file: String,
        /// The file has a header (else the first row set the width).
        header: bool,
        /// Reading stopped at the limit: `found` is what was read by then.
        at_least: bool,
        /// The line starts with `#` and no comment character is set: it
        /// may be a comment.
        comment_like: bool,
        /// The row holds a quote written `\"` and backslash escapes are
        /// off: they may be what splits it.
        backslash: bool,
        /// A field starts with blanks and then a quote (`a, "b, c"`): the
        /// quote then opens no quoted value, and its delimiters split it.
        #[doc(hidden)]
        quote_after_blank: bool,
        /// The header was read from lines above an even table, first and
        /// last (1-based), that were not taken for a title, being as wide
        /// as the table (`Table 1: Population, by region, 2023`).
        #[doc(hidden)]
        title_lines: Option<(usize, usize)>,
        /// Runs of spaces are the delimiter: a blank value leaves no field,
        /// so a short row cannot be filled at its end.
        #[doc(hidden)]
        spaces: bool,
        /// 1-based data row.
        row: usize,
        /// 1-based line.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A value in a numeric column that is a number but not finite.
    #[error("{file}: row {row} (line {line}), column \"{column}\": \"{value}\" is not a finite number")]
    NonFinite {
        /// File name as given.
        file: String,
        /// 1-based data row.
        row: usize,
        /// 1-based line.
        line: usize,
        /// Column name.
        column: String,
        /// The text found.
        value: String,
    },
    /// The csv crate reported something we did not classify.
    #[error("{file}: line {line}: {message}")]
    Csv {
        /// File name as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A column name that does not exist.
    #[error("{file}: no column named \"{name}\"; {columns}")]
    UnknownColumn {
        /// File name as given.
        file: String,
        /// The name asked for.
        name: String,
        /// The columns there are, in words (a close match first).
        columns: String,
    },
    /// A split that cannot be made.
    #[error("cannot split {rows} row{} with a test fraction of {test_fraction}: {reason}", if *rows == 1 { "" } else { "s" })]
    BadSplit {
        /// Rows available.
        rows: usize,
        /// The fraction asked for.
        test_fraction: f64,
        /// Why not.
        reason: String,
    },
}

/// A one-field header followed by wider rows: most likely a title or a
/// comment line above the column names.
fn at_least_text(at_least: bool) -> &'static str {
    if at_least { "at least " } else { "" }
}

#[allow(clippy::too_many_arguments)]
fn ragged_hint(row: usize, line: usize, expected: usize, found: usize, comment_like: bool, backslash: bool, quote_after_blank: bool, title_lines: Option<(usize, usize)>, spaces: bool) -> String {
    const SHORT: &str = "to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)";
    let skip = |n: usize| format!("(--skip-lines {n}, or \"Lines to skip\" in the page's reading options)");
    if spaces && found < expected && title_lines.is_none() && !(expected == 1 && found > 1) {
        // Filling the end would leave the values after a blank one shifted.
        format!("; with runs of spaces as the delimiter a blank value leaves no field, so a blank inside a row shifts the values after it: if the file's columns are aligned by position (fixed width), save it with a delimiter (a comma or a tab) from the program that wrote it; if the row only ends early, {SHORT}")
    } else if backslash {
        "; the row has a quote written \\\" inside a value: if the file escapes quotes with a backslash, turn backslash escapes on (--backslash-escapes true, or \"Backslash escapes\" in the page's reading options)".into()
    } else if quote_after_blank {
        "; a value in it has blanks before its opening quote (as in `a, \"b, c\"`), so the quote does not hold the delimiters inside it: remove the blanks after the delimiters at the source".into()
    } else if comment_like {
        "; if lines starting with # are comments, set the comment character to # (--comment '#', or \"Comment lines start with\" in the page's reading options)".into()
    } else if let Some((first, last)) = title_lines {
        // The table below starts after them: skipping them all reads it
        // (skipping only the first line would leave the others as the header).
        let (lines, them) = match last.saturating_sub(first) {
            0 => (format!("line {first} is"), "it"),
            1 => (format!("lines {first} and {last} are"), "them"),
            _ => (format!("lines {first} to {last} are"), "them"),
        };
        let short = if found < expected { format!("; {SHORT}") } else { String::new() };
        format!("; if {lines} a title or notes rather than the column names, skip {them} {}{short}", skip(last + 1 - first))
    } else if expected == 1 && found > 1 {
        // Every line above had one field: a title or notes, then the table.
        let above = line.saturating_sub(1);
        if above == 1 {
            format!("; if line 1 is a title or notes rather than the column names, skip it {}", skip(1))
        } else {
            format!("; if the {above} lines above it are a title or notes, skip them {}", skip(above))
        }
    } else if row == 1 && found < expected {
        // A header wider than the first row: a title with commas in it?
        format!("; if line 1 is a title or notes rather than the column names, skip it {}; {SHORT}", skip(1))
    } else if found < expected {
        format!("; {SHORT}")
    } else {
        String::new()
    }
}

/// What to do about invalid UTF-8: with valid multi-byte UTF-8 before it,
/// replace the bad bytes first (read as Windows-1252, each valid `ü` would
/// become `Ã¼`); else another encoding first.
fn invalid_utf8_advice(utf8_before: &Option<(char, usize)>) -> String {
    match utf8_before {
        Some((c, line)) => format!(
            "the file holds valid UTF-8 before it (\"{c}\" on line {line}), so it is UTF-8 with some invalid bytes: replace them (--lossy-utf8, or \"Replace invalid UTF-8 bytes\" in the page's reading options), or fix them and save the file as UTF-8; reading it as Windows-1252 would garble every valid UTF-8 character (\"ü\" would read as \"Ã¼\")"
        ),
        None => "the file may be in another encoding, such as Windows-1252 (Excel's CSV on Windows); read it with that encoding (--encoding windows-1252, or Encoding in the page's reading options), save it as UTF-8, or replace invalid bytes (--lossy-utf8)".to_string(),
    }
}

impl DataError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            DataError::EmptyFile { .. } => "empty_file",
            DataError::NoRows { .. } => "no_rows",
            DataError::TooLarge { .. } => "too_large",
            DataError::InvalidUtf16 { .. } | DataError::NotUtf16 { .. } => "invalid_utf16",
            DataError::BadValue { .. } => "bad_value",
            DataError::InexactInteger { .. } => "inexact_integer",
            DataError::BadOption { .. } => "bad_option",
            DataError::Binary { .. } | DataError::BinaryControls { .. } | DataError::OtherFormat { .. } => "binary_file",
            DataError::NotCsv { .. } => "not_csv",
            DataError::InvalidUtf8 { .. } => "invalid_utf8",
            DataError::UnsupportedEncoding { .. } => "unsupported_encoding",
            DataError::UnterminatedQuote { .. } => "unterminated_quote",
            DataError::HeaderTooLong { .. } => "header_too_long",
            DataError::TooManyColumns { .. } => "too_many_columns",
            DataError::TooManyRows { .. } => "too_many_rows",
            DataError::TooMuchMemory { .. } => "too_much_memory",
            DataError::FieldTooLong { .. } => "field_too_long",
            DataError::RaggedRow { .. } => "ragged_row",
            DataError::NonFinite { .. } => "non_finite",
            DataError::Csv { .. } => "csv",
            DataError::UnknownColumn { .. } => "unknown_column",
            DataError::BadSplit { .. } => "bad_split",
        }
    }
}

/// Said of a projection from the first `read` rows to about `rows`.
fn projected(read: usize, rows: usize) -> String {
    if read < rows {
        format!(" (projected from the first {read} rows, by their bytes: later rows may need more)")
    } else {
        String::new()
    }
}

/// Whole MiB (as `--max-memory` takes them) for `bytes` and a quarter
/// more, as the projection from the rows read is an estimate.
fn mb_for(bytes: usize) -> usize {
    (bytes / 4 * 5).div_ceil(1 << 20)
}

/// The type of a column, inferred or set by the user. Integers, floats,
/// dates and date-times are stored as numbers ([`ColumnValues::Numeric`]);
/// booleans, categories and free text as labels
/// ([`ColumnValues::Categorical`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Whole numbers written without a decimal point.
    Integer,
    /// Any other finite numbers (also a column with no value at all).
    /// Manifests from before types were refined said `numeric`.
    #[serde(alias = "numeric")]
    Float,
    /// Only the words true/false, yes/no, t/f or y/n (any case).
    Boolean,
    /// Text labels from a limited set.
    Categorical,
    /// Free text: mostly distinct, long labels.
    Text,
    /// ISO 8601 dates (`2024-05-01`), stored as seconds since 1970-01-01.
    Date,
    /// ISO 8601 date-times, stored as seconds since 1970-01-01 UTC.
    DateTime,
}

impl ColumnKind {
    /// Whether values of this kind are stored as numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnKind::Integer | ColumnKind::Float | ColumnKind::Date | ColumnKind::DateTime)
    }

    /// Whether values are points in time.
    pub fn is_time(self) -> bool {
        matches!(self, ColumnKind::Date | ColumnKind::DateTime)
    }

    /// The name as serialised, e.g. `date_time`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Integer => "integer",
            ColumnKind::Float => "float",
            ColumnKind::Boolean => "boolean",
            ColumnKind::Categorical => "categorical",
            ColumnKind::Text => "text",
            ColumnKind::Date => "date",
            ColumnKind::DateTime => "date_time",
        }
    }
}

/// One value of a number column, or missing, in the 8 bytes of an `f64`:
/// missing is stored as NaN, which a column's numbers never are (values
/// that are not finite are kept apart, see [`ingest::NonFiniteValues`]).
/// Half the size of `Option<f64>`: for columns of millions of rows that
/// halves the memory the page holds and the pages it touches. It reads like
/// an `Option<f64>` ([`Num::get`], `map`, `is_none` …).
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct Num(f64);

impl Num {
    /// A missing value.
    pub const MISSING: Num = Num(f64::NAN);

    /// `x`, or missing for `None` (and for NaN, which is no number).
    #[inline]
    pub const fn new(x: Option<f64>) -> Num {
        match x {
            Some(x) => Num(x),
            None => Num::MISSING,
        }
    }

    /// The number, or `None` when missing.
    #[inline]
    pub fn get(self) -> Option<f64> {
        if self.0.is_nan() {
            None
        } else {
            Some(self.0)
        }
    }

    /// Whether the value is missing.
    #[inline]
    pub fn is_none(self) -> bool {
        self.0.is_nan()
    }

    /// Whether the value is present.
    #[inline]
    pub fn is_some(self) -> bool {
        !self.0.is_nan()
    }

    /// `Option::map` on the value.
    #[inline]
    pub fn map<T>(self, f: impl FnOnce(f64) -> T) -> Option<T> {
        self.get().map(f)
    }

    /// `Option::map_or` on the value.
    #[inline]
    pub fn map_or<T>(self, default: T, f: impl FnOnce(f64) -> T) -> T {
        self.get().map_or(default, f)
    }

    /// The number, or `default` when missing.
    #[inline]
    pub fn unwrap_or(self, default: f64) -> f64 {
        self.get().unwrap_or(default)
    }

    /// The number, or 0 when missing.
    #[inline]
    pub fn unwrap_or_default(self) -> f64 {
        self.get().unwrap_or_default()
    }
}

/// The number, if present (so `values.iter().flatten()` gives the present
/// numbers, as over `Option<f64>`s).
impl<'a> IntoIterator for &'a Num {
    type Item = &'a f64;
    type IntoIter = std::option::IntoIter<&'a f64>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        (!self.0.is_nan()).then_some(&self.0).into_iter()
    }
}

impl IntoIterator for Num {
    type Item = f64;
    type IntoIter = std::option::IntoIter<f64>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.get().into_iter()
    }
}

impl Default for Num {
    fn default() -> Num {
        Num::MISSING
    }
}

impl From<Option<f64>> for Num {
    #[inline]
    fn from(x: Option<f64>) -> Num {
        Num::new(x)
    }
}

impl From<Num> for Option<f64> {
    #[inline]
    fn from(x: Num) -> Option<f64> {
        x.get()
    }
}

/// As `Option<f64>` compares: two missing values are equal, `0 == -0`.
impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        self.get() == other.get()
    }
}

impl PartialEq<Option<f64>> for Num {
    fn eq(&self, other: &Option<f64>) -> bool {
        self.get() == *other
    }
}

impl std::fmt::Debug for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// One row's label in a label column: an index into the column's levels,
/// or missing, in 4 bytes (`u32::MAX` is missing; a column never has that
/// many levels). Half the size of `Option<u32>`. It reads like an
/// `Option<u32>` ([`Code::get`], `map`, `is_none` …).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Code(u32);

impl Code {
    /// A missing label.
    pub const MISSING: Code = Code(u32::MAX);

    /// `c`, or missing for `None` (and for `u32::MAX`, which is no level).
    #[inline]
    pub const fn new(c: Option<u32>) -> Code {
        match c {
            Some(c) => Code(c),
            None => Code::MISSING,
        }
    }

    /// The level's index, or `None` when missing.
    #[inline]
    pub fn get(self) -> Option<u32> {
        (self.0 != u32::MAX).then_some(self.0)
    }

    /// Whether the label is missing.
    #[inline]
    pub fn is_none(self) -> bool {
        self.0 == u32::MAX
    }

    /// Whether the label is present.
    #[inline]
    pub fn is_some(self) -> bool {
        self.0 != u32::MAX
    }

    /// `Option::map` on the index.
    #[inline]
    pub fn map<T>(self, f: impl FnOnce(u32) -> T) -> Option<T> {
        self.get().map(f)
    }

    /// `Option::map_or` on the index.
    #[inline]
    pub fn map_or<T>(self, default: T, f: impl FnOnce(u32) -> T) -> T {
        self.get().map_or(default, f)
    }

    /// The index, or `default` when missing.
    #[inline]
    pub fn unwrap_or(self, default: u32) -> u32 {
        self.get().unwrap_or(default)
    }
}

impl Default for Code {
    fn default() -> Code {
        Code::MISSING
    }
}

impl From<Option<u32>> for Code {
    #[inline]
    fn from(c: Option<u32>) -> Code {
        Code::new(c)
    }
}

impl From<Code> for Option<u32> {
    #[inline]
    fn from(c: Code) -> Option<u32> {
        c.get()
    }
}

impl PartialEq<Option<u32>> for Code {
    fn eq(&self, other: &Option<u32>) -> bool {
        self.get() == *other
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// The index, if present (so `codes.iter().flatten()` gives the present
/// labels' indices, as over `Option<u32>`s).
impl<'a> IntoIterator for &'a Code {
    type Item = &'a u32;
    type IntoIter = std::option::IntoIter<&'a u32>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        (self.0 != u32::MAX).then_some(&self.0).into_iter()
    }
}

impl<'a> IntoIterator for &'a mut Code {
    type Item = &'a mut u32;
    type IntoIter = std::option::IntoIter<&'a mut u32>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        (self.0 != u32::MAX).then_some(&mut self.0).into_iter()
    }
}

impl IntoIterator for Code {
    type Item = u32;
    type IntoIter = std::option::IntoIter<u32>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.get().into_iter()
    }
}

/// Label codes for a column from `Option`s (tests and conversions).
pub fn codes(values: impl IntoIterator<Item = Option<u32>>) -> Vec<Code> {
    values.into_iter().map(Code::new).collect()
}

/// Numbers for a column from `Option`s (tests and conversions).
pub fn nums(values: impl IntoIterator<Item = Option<f64>>) -> Vec<Num> {
    values.into_iter().map(Num::new).collect()
}

/// The values of one column. Missing values are `None`.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// Finite numbers (dates as seconds since 1970-01-01 UTC).
    Numeric(Vec<Num>),
    /// Text labels stored once in `levels` (first-appearance order) and
    /// referenced by index from `codes`.
    Categorical {
        /// Distinct labels, in order of first appearance.
        levels: Vec<String>,
        /// Index into `levels` per row.
        codes: Vec<Code>,
    },
}

impl ColumnValues {
    /// Whether row `i` is missing.
    pub fn is_missing(&self, i: usize) -> bool {
        match self {
            ColumnValues::Numeric(v) => v[i].is_none(),
            ColumnValues::Categorical { codes, .. } => codes[i].is_none(),
        }
    }
}

/// One named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header name, trimmed of surrounding whitespace.
    pub name: String,
    /// The column's type; always agrees with the storage of `values`
    /// (see [`ColumnKind::is_numeric`]).
    pub kind: ColumnKind,
    /// The values, one per row.
    pub values: ColumnValues,
}

impl Column {
    /// The column's kind.
    pub fn kind(&self) -> ColumnKind {
        self.kind
    }

    /// Rows (present and missing).
    pub fn len(&self) -> usize {
        match &self.values {
            ColumnValues::Numeric(v) => v.len(),
            ColumnValues::Categorical { codes, .. } => codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the column's values take by the documented cost model: 8 a
    /// number or date, 4 a label, plus each distinct label's text once.
    /// The same figure natively and in wasm, however the file was read
    /// (the allocator's spare capacity and pointer widths differ).
    pub fn memory_bytes(&self) -> usize {
        match &self.values {
            ColumnValues::Numeric(v) => v.len() * std::mem::size_of::<Num>(),
            ColumnValues::Categorical { levels, codes } => codes.len() * std::mem::size_of::<Code>() + levels.iter().map(String::len).sum::<usize>(),
        }
    }

    /// Whether row `i` is missing.
    pub fn is_missing(&self, i: usize) -> bool {
        self.values.is_missing(i)
    }

    /// Row `i` as text (numbers in their shortest round-trip form), or
    /// `None` when missing.
    pub fn text(&self, i: usize) -> Option<String> {
        match &self.values {
            ColumnValues::Numeric(v) if self.kind.is_time() => v[i].map(format_time),
            ColumnValues::Numeric(v) => v[i].map(format_number),
            ColumnValues::Categorical { levels, codes } => {
                codes[i].map(|c| levels[c as usize].clone())
            }
        }
    }
}

/// Formats a number the way the manifest and profile show it: shortest
/// text that reads back to the same `f64`, integers without a fraction,
/// very large or small magnitudes with an exponent (`1e308`, `5e-324`).
pub fn format_number(x: f64) -> String {
    // Every integer up to 2^53 is exact, so its digits read back as
    // written (an ID just under 2^53 keeps its text when its column turns
    // to labels); past it, an exponent.
    if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 {
        format!("{}", x as i64)
    } else {
        // Debug, unlike Display, switches to an exponent at the extremes.
        format!("{x:?}")
    }
}

/// The parsed schema: what a manifest records beside the byte digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSchema {
    /// Column name.
    pub name: String,
    /// Column kind.
    pub kind: ColumnKind,
}

/// A parsed table: named typed columns of equal length, plus the digest of
/// the bytes it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The file name it was read from (for messages and the manifest).
    pub file_name: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The columns, in file order.
    pub columns: Vec<Column>,
    /// Number of data rows.
    pub n_rows: usize,
    /// The field delimiter that was detected or given.
    pub delimiter: u8,
    /// What ingestion detected, assumed or repaired.
    pub ingest: IngestReport,
    /// When the file was too large for the memory budget: which rows the
    /// columns hold (a systematic sample) and exact figures over all rows.
    pub sample: Option<SampleInfo>,
    /// The options the file was read with (a run records them when they
    /// are not the defaults, so a replay reads the file the same way).
    pub parse: ParseOptions,
}

/// Columns an unknown-column error lists by name; past it the first
/// ones and the count.
const LISTED_COLUMNS: usize = 40;

/// The error for a column `name` not among `names` of `file`: names close
/// to it first ("did you mean": equal but for case or surrounding spaces,
/// or containing it), then the columns (up to [`LISTED_COLUMNS`]).
pub(crate) fn unknown_column(file: &str, name: &str, names: &[&str]) -> DataError {
    let fold = |s: &str| s.trim().to_lowercase();
    let asked = fold(name);
    let mut close: Vec<&str> = names.iter().copied().filter(|n| fold(n) == asked).collect();
    if !asked.is_empty() {
        close.extend(names.iter().copied().filter(|n| fold(n) != asked && fold(n).contains(&asked)));
    }
    close.truncate(5);
    let quoted = |n: &str| format!("\"{n}\"");
    let shown: Vec<String> = names.iter().take(LISTED_COLUMNS).map(|n| quoted(n)).collect();
    let more = if names.len() > LISTED_COLUMNS { format!(", … ({} in all)", names.len()) } else { String::new() };
    let columns = match close.split_last() {
        Some((last, [])) => format!("did you mean {}? The columns are {}{more}", quoted(last), shown.join(", ")),
        Some((last, rest)) => format!("did you mean {} or {}? The columns are {}{more}", rest.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", "), quoted(last), shown.join(", ")),
        None => format!("the columns are {}{more}", shown.join(", ")),
    };
    DataError::UnknownColumn { file: file.to_string(), name: name.to_string(), columns }
}

impl Dataset {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Result<&Column, DataError> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| self.unknown_column(name))
    }

    /// The error for a column `name` that is not here.
    pub fn unknown_column(&self, name: &str) -> DataError {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        unknown_column(&self.file_name, name, &names)
    }

    /// Position of the column called `name`.
    pub fn column_index(&self, name: &str) -> Result<usize, DataError> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| self.unknown_column(name))
    }

    /// A hash of row `r`'s values in every column (equal rows hash equal;
    /// -0 and 0 are one value).
    pub fn row_hash(&self, r: usize) -> u64 {
        const MISSING: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for col in &self.columns {
            let v = match &col.values {
                ColumnValues::Numeric(v) => v[r].map_or(MISSING, |x| if x == 0.0 { 0 } else { x.to_bits() }),
                ColumnValues::Categorical { codes, .. } => codes[r].map_or(MISSING, u64::from),
            };
            h = (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        h
    }

    /// [`Dataset::row_hash`] of each of `rows`, column by column (each
    /// column's values read in order, not every column per row).
    pub fn row_hashes(&self, rows: &[usize]) -> Vec<u64> {
        const MISSING: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut h = vec![0xcbf2_9ce4_8422_2325u64; rows.len()];
        for col in &self.columns {
            let mix = |h: &mut u64, v: u64| *h = (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
            match &col.values {
                ColumnValues::Numeric(v) => {
                    for (h, &r) in h.iter_mut().zip(rows) {
                        mix(h, v[r].map_or(MISSING, |x| if x == 0.0 { 0 } else { x.to_bits() }));
                    }
                }
                ColumnValues::Categorical { codes, .. } => {
                    for (h, &r) in h.iter_mut().zip(rows) {
                        mix(h, codes[r].map_or(MISSING, u64::from));
                    }
                }
            }
        }
        h
    }

    /// Whether rows `a` and `b` hold the same values in every column.
    pub fn rows_equal(&self, a: usize, b: usize) -> bool {
        self.columns.iter().all(|c| match &c.values {
            ColumnValues::Numeric(v) => v[a] == v[b],
            ColumnValues::Categorical { codes, .. } => codes[a] == codes[b],
        })
    }

    /// Positions in `rows` of the rows not equal to an earlier one in
    /// `rows`: rows whose hash is seen more than once are compared value by
    /// value, so the answer is exact.
    pub fn first_of_duplicates(&self, rows: &[usize]) -> Vec<usize> {
        type FastSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<ingest::FxHasher>>;
        let hashes = self.row_hashes(rows);
        // Hashes seen more than once: only their rows can be duplicates.
        let mut seen: FastSet<u64> = FastSet::default();
        let mut shared: FastSet<u64> = FastSet::default();
        for &h in &hashes {
            if !seen.insert(h) {
                shared.insert(h);
            }
        }
        drop(seen);
        if shared.is_empty() {
            return (0..rows.len()).collect();
        }
        // In row order, each row of a shared hash is compared value by value
        // with the distinct rows kept for that hash so far (one, but for a
        // collision): equal to one, it is a duplicate; else it is kept too.
        // Only distinct rows are held, not every row of a shared hash (ten
        // million rows of a hundred values held all their positions).
        let mut kept_for: ingest::FastMap<u64, Vec<usize>> = ingest::FastMap::default();
        let mut keep = Vec::new();
        for (p, h) in hashes.iter().enumerate() {
            if !shared.contains(h) {
                keep.push(p);
                continue;
            }
            let kept = kept_for.entry(*h).or_default();
            if !kept.iter().any(|&q| self.rows_equal(rows[q], rows[p])) {
                kept.push(p);
                keep.push(p);
            }
        }
        keep
    }

    /// Names and kinds, in order.
    pub fn schema(&self) -> Vec<ColumnSchema> {
        self.columns
            .iter()
            .map(|c| ColumnSchema { name: c.name.clone(), kind: c.kind() })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column's number reads back as the `Option<f64>` it was made
    /// from, in half the bytes; NaN is no number, so it reads as missing.
    #[test]
    fn num_is_an_option_in_eight_bytes() {
        assert_eq!(std::mem::size_of::<Num>(), 8);
        for x in [Some(0.0), Some(-0.0), Some(1.5), Some(-1e300), Some(f64::MIN_POSITIVE), Some(f64::INFINITY), None] {
            let n = Num::new(x);
            assert_eq!(n.get().map(f64::to_bits), x.map(f64::to_bits));
            assert_eq!(n.is_none(), x.is_none());
            assert_eq!(n.into_iter().collect::<Vec<_>>(), x.into_iter().collect::<Vec<_>>());
        }
        assert!(Num::new(Some(f64::NAN)).is_none());
        assert_eq!(Num::default(), Num::MISSING);
        // Compared as Option<f64>: 0 == -0, missing == missing.
        assert_eq!(Num::new(Some(0.0)), Num::new(Some(-0.0)));
        assert_eq!(Num::MISSING, Num::new(None));
        assert_ne!(Num::MISSING, Num::new(Some(0.0)));
        let v = nums([Some(1.0), None, Some(3.0)]);
        assert_eq!(v.iter().flatten().copied().collect::<Vec<_>>(), [1.0, 3.0]);
        assert_eq!(v.iter().map(|x| x.unwrap_or(-1.0)).collect::<Vec<_>>(), [1.0, -1.0, 3.0]);
    }

    /// A label column's code reads back as the `Option<u32>` it was made
    /// from, in half the bytes.
    #[test]
    fn code_is_an_option_in_four_bytes() {
        assert_eq!(std::mem::size_of::<Code>(), 4);
        for c in [Some(0), Some(7), Some(u32::MAX - 1), None] {
            let k = Code::new(c);
            assert_eq!(k.get(), c);
            assert_eq!(k.is_none(), c.is_none());
            assert_eq!(k, c);
            assert_eq!(k.into_iter().collect::<Vec<_>>(), c.into_iter().collect::<Vec<_>>());
        }
        assert!(Code::new(Some(u32::MAX)).is_none());
        assert_eq!(Code::default(), Code::MISSING);
        let mut v = codes([Some(2), None, Some(0)]);
        for c in v.iter_mut().flatten() {
            *c += 1;
        }
        assert_eq!(v, codes([Some(3), None, Some(1)]));
        assert_eq!(v.iter().flatten().copied().collect::<Vec<_>>(), [3, 1]);
    }

    #[test]
    fn public_types_are_send_and_sync() {
        fn check<T: Send + Sync + Unpin>() {}
        check::<Dataset>();
        check::<Ingest>();
        check::<ParseOptions>();
        check::<DataError>();
        check::<Split>();
    }

    /// Hashes column by column equal hashes row by row, and duplicates are
    /// found exactly (first of each kept, in row order).
    #[test]
    fn duplicates_by_hash_are_exact() {
        let ds = parse_csv(b"a,b\n1,x\n2,y\n1,x\n,y\n2,y\n,y\n0,x\n-0,x\n", "d.csv", &ParseOptions::default()).unwrap();
        let rows: Vec<usize> = (0..ds.n_rows).collect();
        assert_eq!(ds.row_hashes(&rows), rows.iter().map(|&r| ds.row_hash(r)).collect::<Vec<_>>());
        assert_eq!(ds.first_of_duplicates(&rows), vec![0, 1, 3, 6]);
        assert_eq!(ds.first_of_duplicates(&[4, 2, 0]), vec![0, 1]);

        // Many duplicates: the same as comparing every pair.
        let mut text = String::from("a,b,c\n");
        let mut x = 7u32;
        for _ in 0..400 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.push_str(&format!("{},{},{}\n", (x >> 16) % 3, ["p", "q", ""][((x >> 8) % 3) as usize], if (x >> 4) % 5 == 0 { String::new() } else { ((x >> 20) % 2).to_string() }));
        }
        let ds = parse_csv(text.as_bytes(), "m.csv", &ParseOptions::default()).unwrap();
        let rows: Vec<usize> = (0..ds.n_rows).rev().collect();
        let naive: Vec<usize> = (0..rows.len()).filter(|&p| !(0..p).any(|q| ds.rows_equal(rows[q], rows[p]))).collect();
        assert!(naive.len() < 40);
        assert_eq!(ds.first_of_duplicates(&rows), naive);
    }

    #[test]
    fn numbers_format_shortest() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(format_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_number(1e308), "1e308");
        assert_eq!(format_number(-1e20), "-1e20");
        assert_eq!(format_number(5e-324), "5e-324");
        assert_eq!(format_number(0.000123), "0.000123");
        assert_eq!(format_number(9_007_199_254_740_987.0), "9007199254740987");
        assert_eq!(format_number(-9_007_199_254_740_992.0), "-9007199254740992");
    }

    /// IDs on both sides of 2^53: those past it are text, so the column is
    /// labels, and those under it keep the digits the file has.
    #[test]
    fn ids_around_2_pow_53_keep_their_digits_as_labels() {
        let ids: Vec<u64> = (0..10).map(|i| (1u64 << 53) - 5 + i).collect();
        let csv: String = std::iter::once("id,v\n".to_string()).chain(ids.iter().enumerate().map(|(i, id)| format!("{id},{i}\n"))).collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let c = ds.column("id").unwrap();
        let texts: Vec<String> = (0..ds.n_rows).map(|r| c.text(r).unwrap_or_default()).collect();
        assert_eq!(texts, ids.iter().map(u64::to_string).collect::<Vec<_>>());
    }
}
