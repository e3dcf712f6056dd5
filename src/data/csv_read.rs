//! Data management, whole-file ingestion: [`ParseOptions`] and
//! [`parse_csv`], which feeds all bytes to the chunked reader
//! ([`super::Ingest`]) at once, so a file read whole and a file read in
//! chunks give the same dataset. No wasm here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ColumnKind, DataError, Dataset, Ingest};

/// What to do with a number that is not finite (`inf`, `-Infinity`,
/// `1e400`) in a column that is otherwise numeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonFinitePolicy {
    /// Stop with an error naming the row and column (the default).
    #[default]
    Error,
    /// Read it as missing and list the rows in the ingest report (the
    /// profile raises a `non_finite` alert).
    Missing,
}

/// What to do when the typed columns would pass `max_memory_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverBudget {
    /// Keep a deterministic sample of rows (about one in 2^k, by a hash of
    /// the row number),
    /// with exact counts, moments and sketches over all rows (the default).
    #[default]
    Sample,
    /// Stop with `too_much_memory`, projected early from the share read.
    Error,
}

/// The text encoding of a file without a byte order mark (a UTF-16 or
/// UTF-8 BOM always wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    /// UTF-8 (the default); invalid bytes are an error unless `lossy_utf8`.
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// Windows-1252, what Excel on Windows writes for "CSV": every byte is
    /// a character (WHATWG's mapping), so nothing is invalid.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    fn is_utf8(&self) -> bool {
        *self == TextEncoding::Utf8
    }
}

/// How fields are separated.
///
/// Serialised as a string: the character itself (`","`, `"\t"`, `" "`),
/// or `"whitespace"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// One character; each one separates two fields (`' '`: every single
    /// space does, so two spaces in a row hold an empty field).
    Char(char),
    /// Runs of spaces and tabs, as in aligned text tables and UCI `.data`
    /// files: a run is one separator, blanks at the start and end of a
    /// line are ignored, and a double-quoted field keeps its inner spaces.
    Whitespace,
}

impl Delimiter {
    /// The byte the CSV reader splits fields at (a space for runs of
    /// blanks, which are turned into one space each before reading).
    pub(crate) fn byte(self) -> u8 {
        match self {
            Delimiter::Char(c) => c as u8,
            Delimiter::Whitespace => b' ',
        }
    }
}

impl From<char> for Delimiter {
    fn from(c: char) -> Delimiter {
        Delimiter::Char(c)
    }
}

impl std::fmt::Display for Delimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Delimiter::Char(c) => write!(f, "{c}"),
            Delimiter::Whitespace => f.write_str("whitespace"),
        }
    }
}

impl std::str::FromStr for Delimiter {
    type Err = String;

    /// One character, or `whitespace` for runs of spaces and tabs (`tab`
    /// and `space` name those single characters).
    fn from_str(s: &str) -> Result<Delimiter, String> {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(Delimiter::Char(c)),
            _ => match s.to_ascii_lowercase().as_str() {
                "whitespace" => Ok(Delimiter::Whitespace),
                "tab" | "\\t" => Ok(Delimiter::Char('\t')),
                "space" => Ok(Delimiter::Char(' ')),
                _ => Err(format!("the delimiter {s:?} must be one character, or \"whitespace\" for runs of spaces and tabs")),
            },
        }
    }
}

impl Serialize for Delimiter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Delimiter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Delimiter, D::Error> {
        let s = String::deserialize(d)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(Delimiter::Char(c)),
            _ if s == "whitespace" => Ok(Delimiter::Whitespace),
            _ => Err(serde::de::Error::custom(format!("the delimiter {s:?} must be one character or \"whitespace\""))),
        }
    }
}

/// What to do with a row that has fewer fields than the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortRows {
    /// Stop with `ragged_row` naming the row (the default).
    #[default]
    Error,
    /// Fill the missing fields at its end with missing values, as pandas
    /// does, and warn with the count and the first such row. A row with
    /// more fields than the header is still an error.
    Missing,
}

impl ShortRows {
    fn is_error(&self) -> bool {
        *self == ShortRows::Error
    }
}

/// Most lines before the table detected as a title or notes.
pub const MAX_PREAMBLE_LINES: usize = 10;
/// Most lines [`ParseOptions::skip_lines`] may skip.
pub const MAX_SKIP_LINES: usize = 1000;

/// The tokens read as missing unless set otherwise: the spellings
/// spreadsheets, R, pandas and SQL exports write, each in its own case.
pub const DEFAULT_MISSING_TOKENS: [&str; 19] = [
    "", "NA", "N/A", "n/a", "#N/A", "NULL", "null", "NaN", "nan", "None", "?", "-", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!",
];

/// The error values a spreadsheet writes for a formula that failed
/// (Excel, LibreOffice and Google Sheets), in the defaults above: a cell
/// holding one is read as missing and counted, with a note per column.
/// `#N/A` is left out of the count: it is also written on purpose for a
/// missing value.
pub const SHEET_ERRORS: [&str; 7] = ["#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!"];

/// Limits and choices for reading a CSV file. The defaults suit a browser tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ParseOptions {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Most data rows accepted.
    pub max_rows: usize,
    /// Most columns accepted.
    pub max_columns: usize,
    /// Longest field accepted, in bytes.
    pub max_field_bytes: usize,
    /// Longest column name accepted, in characters.
    pub max_header_chars: usize,
    /// Most memory the typed columns may take, in bytes. Over it, a
    /// sample of rows is kept (see `over_budget`); or, with
    /// [`OverBudget::Error`], checked while parsing, projected from the share
    /// of the file read so far, so a file that would not fit stops early
    /// with the estimate instead of running the tab out of memory.
    pub max_memory_bytes: usize,
    /// Over the memory budget: keep a sample of rows, or stop.
    pub over_budget: OverBudget,
    /// Tokens read as missing (compared exactly, case included, after
    /// trimming): `na` is Namibia and `none` a level as often as not.
    pub missing_tokens: Vec<String>,
    /// The delimiter; detected when absent (from the first line among
    /// `,` `;` tab `|`, and runs of spaces when none of them reads as a
    /// table).
    pub delimiter: Option<Delimiter>,
    /// Whether the first row names the columns; detected when absent (no
    /// header when every field of the first row is a number or a date).
    pub has_header: Option<bool>,
    /// Whether a comma is the decimal mark; detected when absent (only with
    /// a `;` delimiter, when numbers use commas and none uses a point).
    pub decimal_comma: Option<bool>,
    /// Lines before the column names (or the first row) that are not part
    /// of the table: a title, notes. When absent, up to
    /// [`MAX_PREAMBLE_LINES`] such lines are detected: lines with under half
    /// the fields of the table below them, which itself reads evenly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_lines: Option<usize>,
    /// Lines starting with this character are comments and skipped
    /// (`#` in many exports); none when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<char>,
    /// Replace invalid UTF-8 with U+FFFD and warn, instead of stopping.
    pub lossy_utf8: bool,
    /// The encoding of a file without a byte order mark.
    #[serde(skip_serializing_if = "TextEncoding::is_utf8")]
    pub encoding: TextEncoding,
    /// Non-finite numbers: an error, or missing and reported.
    pub non_finite: NonFinitePolicy,
    /// Rows with fewer fields than the header: an error, or filled with
    /// missing values and reported.
    #[serde(skip_serializing_if = "ShortRows::is_error")]
    pub short_rows: ShortRows,
    /// Whether a backslash escapes the next character inside a quoted
    /// value (`"say \"hi\""`, as MySQL and some scrapers write, where CSV
    /// doubles the quote); detected when absent (a `\"` inside a value in
    /// the first 64 KiB).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backslash_escapes: Option<bool>,
    /// Column types set by the user, overriding inference; a value that
    /// does not read as the type is an error naming row and column.
    pub column_types: BTreeMap<String, ColumnKind>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_bytes: 1 << 30,
            // Past the memory budget rows are sampled, so rows cost time, not
            // memory: the limit only stops the absurd (a 1 GiB file of
            // two-byte rows has 536 million).
            max_rows: 1_000_000_000,
            max_columns: 10_000,
            max_field_bytes: 1 << 20,
            max_header_chars: 1_000,
            max_memory_bytes: 512 << 20,
            over_budget: OverBudget::Sample,
            missing_tokens: DEFAULT_MISSING_TOKENS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            delimiter: None,
            has_header: None,
            decimal_comma: None,
            skip_lines: None,
            comment: None,
            lossy_utf8: false,
            encoding: TextEncoding::Utf8,
            non_finite: NonFinitePolicy::Error,
            short_rows: ShortRows::Error,
            backslash_escapes: None,
            column_types: BTreeMap::new(),
        }
    }
}

impl ParseOptions {
    /// Checks the options themselves.
    pub fn validate(&self) -> Result<(), DataError> {
        if let Some(Delimiter::Char(d)) = self.delimiter {
            if !d.is_ascii() || matches!(d, '"' | '\n' | '\r') || d.is_ascii_alphanumeric() {
                return Err(DataError::BadOption { message: format!("the delimiter {d:?} must be one ASCII punctuation, space or tab character other than a quote") });
            }
        }
        if let Some(c) = self.comment {
            if !c.is_ascii() || matches!(c, '"' | '\n' | '\r' | ' ' | '\t') || c.is_ascii_alphanumeric() || Some(Delimiter::Char(c)) == self.delimiter {
                return Err(DataError::BadOption { message: format!("the comment character {c:?} must be one ASCII punctuation character other than a quote and the delimiter") });
            }
        }
        if self.skip_lines.is_some_and(|n| n > MAX_SKIP_LINES) {
            return Err(DataError::BadOption { message: format!("at most {MAX_SKIP_LINES} lines can be skipped before the table") });
        }
        if self.decimal_comma == Some(true) && self.delimiter == Some(Delimiter::Char(',')) {
            return Err(DataError::BadOption { message: "a decimal comma needs a delimiter other than a comma".into() });
        }
        if self.max_field_bytes == 0 || self.max_columns == 0 || self.max_memory_bytes == 0 {
            return Err(DataError::BadOption { message: "limits must be at least 1".into() });
        }
        Ok(())
    }
}

/// Parses CSV `bytes` read from `file_name` into a typed [`Dataset`].
///
/// ```
/// use mlcycle::data::{parse_csv, ColumnKind, ParseOptions};
/// let ds = parse_csv(b"x,label\n1.5,a\n,b\n", "t.csv", &ParseOptions::default()).unwrap();
/// assert_eq!(ds.n_rows, 2);
/// assert_eq!(ds.columns[0].kind(), ColumnKind::Float);
/// assert!(ds.columns[0].is_missing(1));
/// ```
pub fn parse_csv(bytes: &[u8], file_name: &str, opts: &ParseOptions) -> Result<Dataset, DataError> {
    let mut ingest = Ingest::new(file_name, opts, Some(bytes.len() as u64))?;
    ingest.push(bytes)?;
    ingest.finish()
}

/// Picks the delimiter that occurs most often, outside quotes, in the first
/// line; a comma when none occurs.
pub(crate) fn detect_delimiter(body: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for &b in body {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { CANDIDATES[best] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ColumnKind, ColumnValues};

    fn parse(s: &[u8]) -> Result<Dataset, DataError> {
        parse_csv_all_ways(s, "t.csv", &ParseOptions::default())
    }

    /// [`parse_csv`], after checking that typing the columns on 2 or 3
    /// threads gives the same dataset or the same error as one thread, the
    /// file pushed whole or in 7-byte chunks.
    fn parse_csv_all_ways(bytes: &[u8], name: &str, opts: &ParseOptions) -> Result<Dataset, DataError> {
        let run = |threads: usize, chunk: usize| {
            Ingest::new(name, opts, Some(bytes.len() as u64)).and_then(|mut ingest| {
                ingest.set_threads(threads);
                for c in bytes.chunks(chunk) {
                    ingest.push(c)?;
                }
                ingest.finish()
            })
        };
        for chunk in [bytes.len().max(1), 7] {
            let one = run(1, chunk);
            for threads in [2, 3] {
                assert_eq!(run(threads, chunk), one, "{threads} threads, chunks of {chunk}");
            }
            // Read in parts (taken in, or refused and read by the head):
            // the same as one parser pushed the same pieces (an error can
            // depend on them: a NUL byte after invalid UTF-8 is found only
            // when both are in one piece).
            let n = bytes.len();
            for splits in [vec![n / 2], vec![n / 3, 2 * n / 3]] {
                let (parts, _, head_end) = crate::data::ingest::read_in_parts(bytes, name, opts, &splits, chunk);
                let same_pieces = Ingest::new(name, opts, Some(n as u64)).and_then(|mut ingest| {
                    for c in bytes[..head_end].chunks(chunk).chain(bytes[head_end..].chunks(chunk)) {
                        ingest.push(c)?;
                    }
                    ingest.finish()
                });
                assert_eq!(parts, same_pieces, "parts at {splits:?}, chunks of {chunk}");
                if one.is_ok() {
                    assert_eq!(parts, one, "parts at {splits:?}, chunks of {chunk}");
                }
            }
        }
        parse_csv(bytes, name, opts)
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    /// The typed columns are held to `max_memory_bytes`: a small file
    /// over it stops with the rows, columns and bytes; a big file stops
    /// early, projected from the share read, long before its end.
    #[test]
    fn memory_limit_is_checked_while_parsing() {
        let opts = ParseOptions { max_memory_bytes: 1000, over_budget: OverBudget::Error, ..ParseOptions::default() };
        let small = b"a,b\n1,x\n2,y\n".to_vec();
        let mut text = b"a,b\n".to_vec();
        for i in 0..100 {
            text.extend(format!("{i},{}\n", i % 3).as_bytes());
        }
        match parse_csv_all_ways(&text, "t.csv", &opts) {
            Err(DataError::TooMuchMemory { rows, columns, needed, limit, .. }) => {
                assert_eq!((rows, columns, limit), (100, 2, 1000));
                assert_eq!(needed, 100 * 8 * 2);
            }
            other => panic!("expected too_much_memory, got {other:?}"),
        }
        assert!(parse_csv_all_ways(&small, "t.csv", &opts).is_ok());

        // A stream announced as 1 GiB: 16 MB of columns allowed, and the
        // projection stops it within the first chunks.
        let opts = ParseOptions { max_memory_bytes: 16 << 20, over_budget: OverBudget::Error, ..ParseOptions::default() };
        let mut ingest = Ingest::new("big.csv", &opts, Some(1 << 30)).unwrap();
        ingest.push(b"a,b,c\n").unwrap();
        let chunk = b"1.5,2,3\n".repeat(8192);
        let mut pushed = 0u64;
        let err = loop {
            if let Err(e) = ingest.push(&chunk) {
                break e;
            }
            pushed += chunk.len() as u64;
            assert!(pushed < 4 << 20, "no memory error after {pushed} bytes");
        };
        match err {
            DataError::TooMuchMemory { rows, needed, .. } => {
                assert!(rows > 100_000_000, "projected rows {rows}");
                assert!(needed > 16 << 20);
            }
            other => panic!("expected too_much_memory, got {other:?}"),
        }

        // The message names the limit that would read every row, and
        // that limit does.
        let mut text = b"a,b\n".to_vec();
        for i in 0..100_000 {
            text.extend(format!("{i},{}\n", i % 3).as_bytes());
        }
        let opts = ParseOptions { max_memory_bytes: 1 << 20, over_budget: OverBudget::Error, ..ParseOptions::default() };
        let e = parse_csv(&text, "t.csv", &opts).map(|ds| ds.n_rows).unwrap_err().to_string();
        let mb: usize = e.split("--max-memory ").nth(1).and_then(|r| r.split(',').next()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{e}"));
        assert!(e.ends_with(&format!(" (projected from the first 4096 rows, by their bytes: later rows may need more); to read them all, raise the limit to at least {mb} MB (--max-memory {mb}, or \"Memory for the data\" in the page's reading options)")), "{e}");
        let opts = ParseOptions { max_memory_bytes: mb << 20, ..opts };
        assert_eq!(parse_csv(&text, "t.csv", &opts).unwrap().n_rows, 100_000);
    }

    /// One row per input: the bytes and the error code expected.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn bad_inputs_give_their_specific_error() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty_file"),
            (b"  \n\n", "empty_file"),
            (b"\xEF\xBB\xBF", "empty_file"),
            (b"a,b\n", "no_rows"),
            (b"a,b\n1,2\n3\n", "ragged_row"),
            (b"a,b\n1,2,3\n", "ragged_row"),
            (b"a,b\n\"1,2\n", "unterminated_quote"),
            (b"\xFF\xFEa\x00,\x00b\x00", "no_rows"),
            (b"\xFF\xFEa\x00\n\x00\x00\xD8\n\x00", "invalid_utf16"),
            (b"a,b\n1,\xC3\x28\n", "invalid_utf8"),
            (b"a,b\n1,\x002\n", "binary_file"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary_file"),
            (b"a,b\n1,inf\n2,3\n", "non_finite"),
            (b"a,b\n1,1e400\n2,3\n", "non_finite"),
        ];
        for (input, code) in cases {
            let err = parse(input).expect_err(&format!("{:?} should fail", String::from_utf8_lossy(input)));
            assert_eq!(err.code(), *code, "input {:?}: {err}", String::from_utf8_lossy(input));
        }
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn errors_name_the_place() {
        let cases: &[(&[u8], &str)] = &[
            (b"a,b\n1,2\n3,4\n5\n", "t.csv: row 3 (line 4) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            (b"a,b\n1,2\n3,-inf\n", "t.csv: row 2 (line 3), column \"b\": \"-inf\" is not a finite number"),
            (b"sep=,\na,b\n1,2\n3\n", "t.csv: row 2 (line 4) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            (b"a,b\nx,\"open\n\n", "t.csv: line 2: a quoted field opened here is never closed"),
            (b"a,b\r\n\"x\r\ny\",1\r\n2\r\n", "t.csv: row 2 (line 4) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            (b"a,b\r1,2\r3\r", "t.csv: row 2 (line 3) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            // A title over a header alone: too little table to detect it.
            (b"Sales 2024\nregion,amount\n", "t.csv: row 1 (line 2) has 2 fields but the header has 1; if line 1 is a title or notes rather than the column names, skip it (--skip-lines 1, or \"Lines to skip\" in the page's reading options)"),
            // A title with commas in it, read as a header of 3: the title
            // is named first, then short rows.
            (b"Sales report, Q1, 2024\n\na,b\n1,2\n3,4\n", "t.csv: row 1 (line 3) has 2 fields but the header has 3; if line 1 is a title or notes rather than the column names, skip it (--skip-lines 1, or \"Lines to skip\" in the page's reading options); to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            // A title with commas over a source line and a blank line: as
            // wide as the table, so not detected, but both lines are named
            // (skipping line 1 alone left the source line as the header).
            (b"Table 1: Population, by region, 2023\nSource: Office of Statistics\n\nregion,pop,area\nNorth,1000,5.5\nSouth,2000,6.5\nEast,1500,7.5\n", "t.csv: row 1 (line 2) has 1 field but the header has 3; if lines 1 and 2 are a title or notes rather than the column names, skip them (--skip-lines 2, or \"Lines to skip\" in the page's reading options); to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            // A short row among a table's first lines is no title.
            (b"a,b\n1,2\n3\n4,5\n6,7\n", "t.csv: row 2 (line 3) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"),
            // Eleven lines of notes (ten are detected): skip them all.
            (b"n1\nn2\nn3\nn4\nn5\nn6\nn7\nn8\nn9\nn10\nn11\na,b\n1,2\n", "t.csv: row 11 (line 12) has 2 fields but the header has 1; if the 11 lines above it are a title or notes, skip them (--skip-lines 11, or \"Lines to skip\" in the page's reading options)"),
            // A comment with commas read as the header.
            (b"# exported by tool, version 2, ok\na,b\n1,2\n3,4\n", "t.csv: row 1 (line 2) has 2 fields but the header has 3; if lines starting with # are comments, set the comment character to # (--comment '#', or \"Comment lines start with\" in the page's reading options)"),
            // Blanks before a quote: the quote holds nothing.
            (b"a,b,c\n1,2,3\n4, \"5, 6\", 7\n", "t.csv: row 2 (line 3) has 4 fields but the header has 3; a value in it has blanks before its opening quote (as in `a, \"b, c\"`), so the quote does not hold the delimiters inside it: remove the blanks after the delimiters at the source"),
            (b"# made by a tool\na,b\n1,2\n# a note\n3,4\n", "t.csv: row 1 (line 2) has 2 fields but the header has 1; if lines starting with # are comments, set the comment character to # (--comment '#', or \"Comment lines start with\" in the page's reading options)"),
            (b"a,b\n1,2\n# a note, mid-file, with commas\n3,4\n", "t.csv: row 2 (line 3) has 3 fields but the header has 2; if lines starting with # are comments, set the comment character to # (--comment '#', or \"Comment lines start with\" in the page's reading options)"),
            (b"a,b\ncaf\xe9,1\n", "t.csv: line 2: invalid UTF-8 at byte offset 7 of the file: the file may be in another encoding, such as Windows-1252 (Excel's CSV on Windows); read it with that encoding (--encoding windows-1252, or Encoding in the page's reading options), save it as UTF-8, or replace invalid bytes (--lossy-utf8)"),
        ];
        for (input, message) in cases {
            assert_eq!(parse(input).unwrap_err().to_string(), *message, "{:?}", String::from_utf8_lossy(input));
        }
        // A file without a header: the first row sets the width.
        let opts = ParseOptions { has_header: Some(false), ..ParseOptions::default() };
        let e = parse_csv(b"1,2\n3,4\n5,6,7\n", "t.csv", &opts).unwrap_err().to_string();
        assert!(e.starts_with("t.csv: row 3 (line 3) has 3 fields but the first row has 2"), "{e}");
        // Reading stops at a limit: the figure is a lower bound, and says so.
        let wide = format!("a,b\n{}\n", ",".repeat(20_000));
        assert_eq!(parse(wide.as_bytes()).unwrap_err().to_string(), "t.csv: row 1 (line 2) has at least 16385 fields but the header has 2");
        let long = format!("a,b\n1,{}\n", "x".repeat(3_000_000));
        assert!(parse(long.as_bytes()).unwrap_err().to_string().starts_with("t.csv: row 1 (line 2), column \"b\": the field is at least "));
    }

    /// Records whose every field is empty (a spreadsheet writes `,,,` for
    /// formatted but empty rows, above, inside or below the table) and
    /// records repeating the header (files joined one after another) are
    /// skipped with a note giving their count and first line, not read as
    /// rows of missing values or labels. Lines keep their numbers.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    /// Dates and times among labels keep the form they were written in:
    /// a time with an offset, one in UTC and a naive one of the same
    /// instant are three labels, not one "2023-01-01T10:00:00".
    #[test]
    fn times_among_labels_keep_their_form() {
        let text = "when,n\n2023-01-01T12:00:00+02:00,1\n2023-01-01T10:00:00Z,2\n2023-01-01 10:00,3\n2023-01-02,4\nsoon,5\n2023-01-03T08:00:00,6\n2023-01-04 09:15,7\n";
        let ds = parse(text.as_bytes()).unwrap();
        let ColumnValues::Categorical { levels, .. } = &ds.columns[0].values else { panic!("{:?}", ds.columns[0].kind) };
        assert_eq!(levels, &["2023-01-01T12:00:00+02:00", "2023-01-01T10:00:00Z", "2023-01-01 10:00", "2023-01-02", "soon", "2023-01-03T08:00:00", "2023-01-04 09:15"]);
        // However many, and read in parts anywhere (parse compares).
        let mut text = String::from("when\n");
        for i in 0..20_000 {
            text.push_str(&format!("2023-01-{:02} 10:00:00\n", 1 + i % 28));
        }
        text.push_str("soon\n");
        let ds = parse(text.as_bytes()).unwrap();
        let ColumnValues::Categorical { levels, .. } = &ds.columns[0].values else { panic!("{:?}", ds.columns[0].kind) };
        assert_eq!((levels.len(), levels[0].as_str(), levels[28].as_str()), (29, "2023-01-01 10:00:00", "soon"));
    }

    #[test]
    fn qualtrics_header_rows_are_skipped() {
        let note = |ds: &Dataset, code: &str| ds.ingest.warnings.iter().find(|w| w.code == code).map(|w| w.message.clone());
        // Names, question texts (one over two lines), import IDs, answers.
        let text = concat!(
            "StartDate,EndDate,Status,Q1,Q2_1,Q3\r\n",
            "Start Date,End Date,Response Type,\"How satisfied are you?\r\n(1 = not at all)\",Rate - Price,Comments\r\n",
            "\"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\",",
            "\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2_1\"\"}\",\"{\"\"ImportId\"\":\"\"QID3_TEXT\"\"}\"\r\n",
            "2024-03-01 10:00:00,2024-03-01 10:05:00,0,4,3,fine\r\n",
            "2024-03-02 11:00:00,2024-03-02 11:07:00,0,5,,great\r\n",
            "2024-03-02 12:00:00,2024-03-02 12:01:00,0,2,1,\r\n",
        );
        let ds = parse(text.as_bytes()).unwrap();
        assert_eq!(ds.n_rows, 3);
        let kinds: Vec<ColumnKind> = ds.columns.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ColumnKind::DateTime, ColumnKind::DateTime, ColumnKind::Integer, ColumnKind::Integer, ColumnKind::Integer, ColumnKind::Categorical]);
        assert!(ds.ingest.mixed.is_empty(), "{:?}", ds.ingest.mixed);
        assert_eq!(note(&ds, "survey_header").unwrap(), "2 rows below the column names, from line 2 (\"Start Date\"), are a Qualtrics export's question texts and import IDs, part of its header, and were skipped");
        // A row error after them counts lines across both.
        let bad = format!("{text}2024-03-03 09:00:00,x\r\n");
        let e = parse(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("line 8"), "{e}");
        // A row of question texts alone is data (nothing says it is not).
        let ds = parse(b"id,Q1\nRespondent,How old are you?\n1,34\n2,51\n").unwrap();
        assert_eq!((ds.n_rows, note(&ds, "survey_header")), (3, None));
    }

    #[test]
    fn empty_records_and_repeated_headers_are_skipped() {
        let note = |ds: &Dataset, code: &str| ds.ingest.warnings.iter().find(|w| w.code == code).map(|w| w.message.clone());
        let kinds = |ds: &Dataset| ds.columns.iter().map(|c| c.kind).collect::<Vec<_>>();
        let cases: &[(&[u8], usize, &str)] = &[
            (b"a,b,c\n1,x,2.5\n2,y,3.5\n,,\n,,\n,,\n", 2, "3 rows with every field empty were skipped, the first at line 4"),
            (b",,\n,,\na,b,c\n1,x,2.5\n2,y,3.5\n", 2, "2 rows with every field empty were skipped, the first at line 1"),
            (b"a;b;c\r\n1;x;2,5\r\n;;\r\n2;y;3,5\r\n", 2, "1 row with every field empty was skipped, at line 3"),
            (b"a,b,c\n1,x,2.5\n\"\", ,\n2,y,3.5", 2, "1 row with every field empty was skipped, at line 3"),
            (b"Report 2024\n,,\na,b,c\n1,x,2.5\n2,y,3.5\n", 2, "1 row with every field empty was skipped, at line 2"),
        ];
        for (text, rows, message) in cases {
            let ds = parse(text).unwrap();
            let name = String::from_utf8_lossy(text);
            assert_eq!(ds.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c"], "{name:?}");
            assert_eq!((ds.n_rows, kinds(&ds)), (*rows, vec![ColumnKind::Integer, ColumnKind::Categorical, ColumnKind::Float]), "{name:?}");
            assert!(ds.columns.iter().all(|c| (0..c.len()).all(|i| !c.is_missing(i))), "{name:?}");
            let m = note(&ds, "empty_rows").unwrap_or_default();
            assert!(m.starts_with(message), "{name:?}: {m}");
        }
        // Files joined with their headers: the repeats are no rows.
        let ds = parse(b"id,score\n1,2.5\n2,3.5\nid,score\n3,1.5\n id , score\n4,0.5\n").unwrap();
        assert_eq!((ds.n_rows, kinds(&ds)), (4, vec![ColumnKind::Integer, ColumnKind::Float]));
        assert_eq!(note(&ds, "repeated_header").unwrap(), "2 rows repeating the column names were skipped, the first at line 4 (as when files are joined one after another)");
        // Two Excel "CSV UTF-8" exports joined: each starts with a BOM.
        let ds = parse("\u{feff}id,score\r\n1,2.5\r\n2,3.5\r\n\u{feff}id,score\r\n3,1.5\r\n4,0.5\r\n".as_bytes()).unwrap();
        assert_eq!((ds.n_rows, kinds(&ds)), (4, vec![ColumnKind::Integer, ColumnKind::Float]));
        assert_eq!(ds.columns[0].name, "id");
        assert_eq!(note(&ds, "repeated_header").unwrap(), "1 row repeating the column names was skipped, at line 4 (as when files are joined one after another)");
        // One column: an empty line is a missing value, and a value equal
        // to the name is a value.
        let ds = parse(b"name\nx\n\nname\ny\nz\n").unwrap();
        assert_eq!(ds.n_rows, 4);
        assert_eq!((note(&ds, "empty_rows"), note(&ds, "repeated_header")), (None, None));
        // Lines counting the rows of a result above them (psql, SQL Server,
        // Oracle), also between results joined with their headers.
        let ds = parse(b"a,b\n1,2\n3,4\n(2 rows)\n").unwrap();
        assert_eq!((ds.n_rows, kinds(&ds)), (2, vec![ColumnKind::Integer, ColumnKind::Integer]));
        assert_eq!(note(&ds, "row_count_line").unwrap(), "line 4, \"(2 rows)\", counts the rows above it (as psql, MySQL and SQL Server write under a result) and was skipped");
        let ds = parse(b"a,b\r\n1,2\r\n\r\n(1 row affected)\r\na,b\r\n3,4\r\n2 rows selected.\r\n").unwrap();
        assert_eq!((ds.n_rows, kinds(&ds)), (2, vec![ColumnKind::Integer, ColumnKind::Integer]));
        assert_eq!(note(&ds, "row_count_line").unwrap(), "2 lines counting the rows above them (as psql, MySQL and SQL Server write under a result) were skipped, the first at line 4 (\"(1 row affected)\")");
        assert!(note(&ds, "repeated_header").is_some());
        // In one column such a line is a value; "(2 apples)" never counts rows.
        assert_eq!(parse(b"n\n1\n(2 rows)\n").unwrap().n_rows, 2);
        assert_eq!(parse(b"a,b\n1,2\n(2 apples)\n").unwrap_err().code(), "ragged_row");
        // Text tables: psql, Markdown and MySQL rules are skipped, and the
        // empty columns a leading and trailing `|` make are left out.
        let cases: &[(&[u8], &str)] = &[
            (b" a | b \n---+---\n 1 | x\n 2 | y\n(2 rows)\n", "line 2 draws a rule under or around the table (as psql, MySQL and Markdown tables have) and was skipped"),
            (b"| a | b |\n|---|:-:|\n| 1 | x |\n| 2 | y |\n", "line 2 draws a rule under or around the table (as psql, MySQL and Markdown tables have) and was skipped"),
            (b"+---+---+\n| a | b |\n+---+---+\n| 1 | x |\n| 2 | y |\n+---+---+\n2 rows in set (0.01 sec)\n", "3 lines drawing rules under or around the table (as psql, MySQL and Markdown tables have) were skipped, the first at line 1"),
        ];
        for (text, message) in cases {
            let ds = parse(text).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(text)));
            assert_eq!(ds.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b"], "{:?}", String::from_utf8_lossy(text));
            assert_eq!((ds.n_rows, kinds(&ds)), (2, vec![ColumnKind::Integer, ColumnKind::Categorical]));
            assert_eq!(note(&ds, "rule_lines").as_deref(), Some(*message));
        }
        let ds = parse(b"| a | b |\n|---|---|\n| 1 | x |\n").unwrap();
        assert_eq!(note(&ds, "trailing_delimiter").unwrap(), "2 columns with no name and no value were left out (columns 1 and 4), made by a delimiter at the start and at the end of every line (as in a Markdown table)");
        // An empty unnamed column inside; a row of `-` missing values is data.
        let ds = parse(b"a,,b\n1,,2\n-,,-\n").unwrap();
        assert_eq!((ds.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ds.n_rows), (vec!["a", "b"], 2));
        assert_eq!(note(&ds, "trailing_delimiter").unwrap(), "column 2 had no name and no value and was left out");
        // Nothing but such records: said in the error.
        assert_eq!(parse(b",,\n,,\r\n").unwrap_err().to_string(), "t.csv: the file is empty (its 2 lines hold only empty fields, such as \",,\")");
        assert_eq!(parse(b"\n\n \t\r\n").unwrap_err().to_string(), "t.csv: the file is empty (its 6 bytes are only spaces, tabs and line ends)");
        assert_eq!(parse(b"").unwrap_err().to_string(), "t.csv: the file is empty");
        assert_eq!(parse(b"\xef\xbb\xbf\n\n").unwrap_err().to_string(), "t.csv: the file is empty (its 5 bytes are a byte order mark and only spaces, tabs and line ends)");
        assert_eq!(parse(b"\xef\xbb\xbf").unwrap_err().to_string(), "t.csv: the file is empty (it holds only a byte order mark)");
        assert_eq!(parse(b"a,b\n,\na,b\n,\n").unwrap_err().to_string(), "t.csv: the file has a header row but no data rows (2 lines below it hold only empty fields, and 1 repeats it)");
        // Errors after skipped records name the file's line.
        assert_eq!(parse(b"a,b\n1,2\n,\na,b\n3\n").unwrap_err().to_string(), "t.csv: row 2 (line 5) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)");
    }

    /// A title or notes above the table (up to ten lines with under half
    /// its fields) are detected and skipped with a warning; or skipped as
    /// asked, or not at all. Lines keep their numbers in errors.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn a_title_above_the_table_is_skipped() {
        let names = |ds: &Dataset| ds.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        // scikit-learn's own CSVs start with a line of counts and class names.
        let ds = parse(b"4,7,malignant,benign\n17.99,10.38,122.8,1001,0.1184,0.2776,0,5.5\n20.57,17.77,132.9,1326,0.08474,0.07864,1,5.5\n19.69,21.25,130,1203,0.1096,0.1599,0,5.5\n11.42,20.38,77.58,386.1,0.1425,0.2839,1,5.5\n").unwrap();
        assert_eq!((ds.n_rows, ds.columns.len(), ds.ingest.skipped_lines), (4, 8, 1));
        assert_eq!(names(&ds)[..2], ["column_1", "column_2"]);
        let w = ds.ingest.warnings.iter().find(|w| w.code == "skipped_lines").unwrap();
        assert_eq!(w.message, "the first line had fewer fields than the table below and was skipped as a title or notes (\"4,7,malignant,benign\"); to read it as the table, set the lines to skip to 0");
        // A title and a blank line over a tab-separated table: the
        // delimiter is the table's, not the title's.
        let text = b"Table 3: Population by region, 2020\r\nSource: census\r\n\r\nregion\tpop\tarea\r\nnorth\t12\t3.5\r\nsouth\t15\t4.5\r\n";
        let ds = parse(text).unwrap();
        assert_eq!((names(&ds), ds.n_rows, ds.ingest.skipped_lines, ds.ingest.delimiter.as_str()), (vec!["region".to_string(), "pop".into(), "area".into()], 2, 2, "\t"));
        assert!(ds.ingest.warnings.iter().any(|w| w.message.starts_with("the first 2 lines had")));
        // A title quoted whole is named by its text, not in doubled quotes.
        let ds = parse(b"\"Table 3.1: Population by district, 2021\"\n\"Source: \"\"NSO\"\"\"\nd,pop,area\nA,1,2\nB,3,4\nC,5,6\n").unwrap();
        let w = ds.ingest.warnings.iter().find(|w| w.code == "skipped_lines").unwrap();
        assert!(w.message.contains("as a title or notes (\"Table 3.1: Population by district, 2021\")"), "{}", w.message);
        // Errors keep the file's line numbers.
        let bad = b"Sales\nregion,amount\nnorth,1\nsouth,2\nwest,inf\n";
        assert_eq!(parse(bad).unwrap_err().to_string(), "t.csv: row 3 (line 5), column \"amount\": \"inf\" is not a finite number");
        // Asked for: skipped without a warning; 0 turns detection off.
        let opts = ParseOptions { skip_lines: Some(1), ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"exported 2024-01-01\nregion,amount\nnorth,1\n", "t.csv", &opts).unwrap();
        assert_eq!((names(&ds), ds.ingest.skipped_lines, ds.ingest.warnings.len()), (vec!["region".to_string(), "amount".into()], 1, 0));
        let opts = ParseOptions { skip_lines: Some(0), ..ParseOptions::default() };
        assert_eq!(parse_csv_all_ways(b"Sales\nregion,amount\nnorth,1\nsouth,2\n", "t.csv", &opts).unwrap_err().code(), "ragged_row");
        // A title with a delimiter in it, over a header.
        let ds = parse(b"Sales, 2024\nregion,amount,units\nnorth,1,2\n").unwrap();
        assert_eq!((names(&ds)[0].as_str(), ds.n_rows), ("region", 1));
        // Not a title: a ragged row in the table, more than ten lines.
        for text in [&b"t\na,b\n1,2\n3\n4,5\n"[..], "t\n".repeat(11).as_bytes()] {
            let mut text = text.to_vec();
            if text.starts_with(b"t\nt\n") {
                text.extend_from_slice(b"a,b\n1,2\n3,4\n");
            }
            assert_eq!(parse(&text).unwrap_err().code(), "ragged_row", "{:?}", String::from_utf8_lossy(&text));
        }
        // An even table is never cut, whatever its first line.
        let ds = parse(b"id\n1\n2\n").unwrap();
        assert_eq!((ds.n_rows, ds.ingest.skipped_lines), (2, 0));
    }

    /// Lines above a table that are not detected as a title (one as wide
    /// as the table, commas in it): the error names them all, and skipping
    /// as many lines as it says reads the table, in one round.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn skip_lines_advice_reads_the_table_in_one_round() {
        let table = "region,pop,area\nNorth,1000,5.5\nSouth,2000,6.5\nEast,1500,7.5\n";
        let cases = [
            ("Table 1: Population, by region, 2023\nSource: Office of Statistics\n\n", None, "lines 1 and 2 are", 2),
            ("Table 1: Population, by region, 2023\r\nSource: Office of Statistics\r\nUnits: people, km2\r\n\r\n", None, "lines 1 to 3 are", 3),
            ("Table 1: Population, by region, 2023\n\nSource: Office of Statistics\n", None, "lines 1 to 3 are", 3),
            // Some lines skipped as asked, too few: the count is the total.
            ("Exported 2024-01-01\nTable 1: Population, by region, 2023\nSource: Office of Statistics\n", Some(1), "lines 1 to 3 are", 3),
            // An Excel sep= line is not counted in the lines to skip.
            ("sep=,\nTable 1: Population, by region, 2023\nSource: Office of Statistics\n", None, "lines 2 and 3 are", 2),
        ];
        for (above, asked, lines, n) in cases {
            let text = format!("{above}{table}");
            let opts = ParseOptions { skip_lines: asked, ..ParseOptions::default() };
            let err = parse_csv_all_ways(text.as_bytes(), "t.csv", &opts).unwrap_err().to_string();
            assert!(err.contains(&format!("; if {lines} a title or notes rather than the column names, skip them (--skip-lines {n}, ")), "{text:?}: {err}");
            let opts = ParseOptions { skip_lines: Some(n), ..ParseOptions::default() };
            let ds = parse_csv_all_ways(text.as_bytes(), "t.csv", &opts).unwrap_or_else(|e| panic!("{text:?} with {n} lines skipped: {e}"));
            let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
            assert_eq!((names, ds.n_rows), (vec!["region", "pop", "area"], 3), "{text:?}");
        }
    }

    /// A tab-separated file whose first value holds a comma (UCI's SMS
    /// spam collection) is read at tabs; its first line stays the names,
    /// as pandas reads it (labels over labels). A log whose first line
    /// starts with a date-time over a column of them is data. Dates over
    /// numbers (a pivot table's months) stay names, and so does a name
    /// over numbers; a delimiter ending one line does not move the
    /// delimiter to one found in a value.
    #[test]
    fn tab_files_with_commas_logs_and_pivots_read_as_written() {
        let names = |ds: &Dataset| ds.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let sms = b"ham\tGo until jurong point, crazy\nspam\twin now\nham\tok lar\nham\tsee you\nspam\tfree entry\n";
        let ds = parse(sms).unwrap();
        assert_eq!((ds.ingest.delimiter.as_str(), ds.columns.len(), ds.n_rows), ("\t", 2, 4));
        let log = b"2023-05-28 12:54:03,service started on port 80\n2023-05-28 12:55:10,request served\n2023-05-28 12:56:00,request failed\n";
        let ds = parse(log).unwrap();
        assert_eq!((ds.ingest.header, ds.n_rows), (false, 3));
        let pivot = b"product,2023-01-01,2023-02-01\nbolt,10,12\nnut,5,7\nwasher,3,4\n";
        let ds = parse(pivot).unwrap();
        assert_eq!((ds.ingest.header, names(&ds)), (true, vec!["product".to_string(), "2023-01-01".into(), "2023-02-01".into()]));
        let ds = parse(b"id,x,c\n0,0.5,a\n1,1.5,c\n2,2.5,c\n3,3.5,b\n").unwrap();
        assert_eq!((ds.ingest.header, ds.n_rows), (true, 4));
        let semi = "Ort;Betrag (EUR, netto);Menge\nBerlin;12,50;3\nHamburg;8,75;5;\nBremen;4,00;1\n";
        let e = parse(semi.as_bytes()).unwrap_err().to_string();
        assert_eq!(e, "t.csv: row 2 (line 3) has 4 fields but the header has 3");
    }

    /// A header one name short of every row below it is R's layout with
    /// row names (`write.table`, and `write.csv` with its empty first
    /// name is already even): the first field becomes a named column, with
    /// a note, whether the row names are numbers or text and whatever the
    /// lines to skip. Rows that all end with a delimiter get their empty
    /// last column named instead.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn a_header_one_short_of_the_rows_names_the_extra_column() {
        let names = |ds: &Dataset| ds.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let cars = b"mpg,cyl\nMazda RX4,21,6\nDatsun 710,22.8,4\nValiant,18.1,6\nFiat 128,32.4,4\n";
        for opts in [ParseOptions::default(), ParseOptions { skip_lines: Some(0), ..ParseOptions::default() }] {
            let ds = parse_csv_all_ways(cars, "t.csv", &opts).unwrap();
            assert_eq!((names(&ds), ds.n_rows, ds.ingest.skipped_lines), (vec!["column_1".to_string(), "mpg".into(), "cyl".into()], 4, 0));
            assert_eq!(ds.columns[0].text(3).as_deref(), Some("Fiat 128"));
            assert_eq!(ds.columns[1].values, ColumnValues::Numeric(crate::data::nums([Some(21.0), Some(22.8), Some(18.1), Some(32.4)])));
            let w = ds.ingest.warnings.iter().find(|w| w.code == "row_names").unwrap();
            assert!(w.message.contains("read as a column named \"column_1\""), "{}", w.message);
            assert!(!ds.ingest.warnings.iter().any(|w| w.code == "renamed_columns" || w.code == "skipped_lines"), "{:?}", ds.ingest.warnings);
        }
        let ds = parse(b"a,b\n1,1,2\n2,3,4\n3,5,6\n").unwrap();
        assert_eq!((names(&ds), ds.n_rows), (vec!["column_1".to_string(), "a".into(), "b".into()], 3));
        // A name already taken is not reused.
        let ds = parse(b"column_1,b\nx,1,2\ny,3,4\n").unwrap();
        assert_eq!(names(&ds), ["column_1_2", "column_1", "b"]);
        // With the title skipped as asked, the table below is read so too.
        let opts = ParseOptions { skip_lines: Some(1), ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"Motor Trend 1974\nmpg,cyl,hp\nMazda RX4,21,6,110\nDatsun 710,22.8,4,93\n", "t.csv", &opts).unwrap();
        assert_eq!((names(&ds)[..2].to_vec(), ds.n_rows, ds.ingest.skipped_lines), (vec!["column_1".to_string(), "mpg".into()], 2, 1));
        // A delimiter ending every row: the empty last column is left out
        // (the header's line ending with one too, or not), or named when a
        // row has a value there.
        for (text, header_too) in [(&b"a,b,c\n1,2,3,\n4,5,6,\n"[..], "does not"), (b"a,b,c,\n1,2,3,\n4,5,6,\n", "too"), (b"a\tb\tc\t\r\n1\t2\t3\t\r\n4\t5\t6\t\r\n", "too")] {
            let ds = parse(text).unwrap();
            assert_eq!((names(&ds), ds.n_rows), (vec!["a".to_string(), "b".into(), "c".into()], 2), "{:?}", String::from_utf8_lossy(text));
            assert_eq!(ds.columns[2].values, ColumnValues::Numeric(crate::data::nums([Some(3.0), Some(6.0)])));
            let w: Vec<&str> = ds.ingest.warnings.iter().map(|w| w.message.as_str()).collect();
            assert_eq!(w, [format!("every row ends with a delimiter (the header's {header_too}): the empty last column it makes (column 4, no value) was left out")], "{:?}", String::from_utf8_lossy(text));
        }
        // Several, as a spreadsheet writes for formatted empty columns.
        let ds = parse(b"a,b,,,\r\n1,2,,,\r\n3,4,,,\r\n").unwrap();
        assert_eq!((names(&ds), ds.n_rows), (vec!["a".to_string(), "b".into()], 2));
        let w: Vec<&str> = ds.ingest.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["every row ends with 3 delimiters (the header's too): the empty last columns they make (columns 3 to 5, no name, no value) were left out"]);
        // A named column, or one with a value, stops them.
        let ds = parse(b"a,b,c,,\n1,2,,,\n3,4,,x,\n").unwrap();
        assert_eq!(names(&ds), ["a", "b", "c", "column_4"]);
        let mut late = b"a,b,c\n".to_vec();
        for i in 0..1000 {
            late.extend(format!("{i},2,3,{}\n", if i == 999 { "x" } else { "" }).bytes());
        }
        let ds = parse(&late).unwrap();
        assert_eq!((names(&ds), ds.n_rows), (vec!["a".to_string(), "b".into(), "c".into(), "column_4".into()], 1000));
        assert!((0..999).all(|r| ds.columns[3].is_missing(r)));
        let w = ds.ingest.warnings.iter().find(|w| w.code == "trailing_delimiter").unwrap();
        assert!(w.message.contains("\"column_4\" with no values"), "{}", w.message);
        // Only when every row is one wider: a single wide row is ragged.
        assert_eq!(parse(b"a,b\n1,2\n3,4,5\n6,7\n").unwrap_err().code(), "ragged_row");
    }

    /// Comment lines are skipped wherever they start a line outside a
    /// quoted field; a quote in a comment opens nothing.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn comment_lines_are_skipped() {
        let opts = ParseOptions { comment: Some('#'), ..ParseOptions::default() };
        let text = b"# made by numpy's tests, \"quoted\nname,x\n## +ve denormals ##\na,1\n#, \"open\r\nb,\"2\n#3\"\n\n# end";
        let ds = parse_csv_all_ways(text, "t.csv", &opts).unwrap();
        assert_eq!(ds.n_rows, 2);
        match &ds.columns[1].values {
            ColumnValues::Categorical { levels, .. } => assert_eq!(levels, &["1", "2\n#3"]),
            other => panic!("{other:?}"),
        }
        // Line numbers count comment lines; an unclosed quote after comments.
        let e = parse_csv_all_ways(b"#c\na,b\n#c\n1,2\n#c\n3\n", "t.csv", &opts).unwrap_err();
        assert_eq!(e.to_string(), "t.csv: row 2 (line 6) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)");
        let e = parse_csv_all_ways(b"a,b\n# \"\n1,\"x\n", "t.csv", &opts).unwrap_err();
        assert_eq!(e.to_string(), "t.csv: line 3: a quoted field opened here is never closed");
        // Not at a line start: a value.
        let ds = parse_csv_all_ways(b"a,b\n #1,x#\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.n_rows, 1);
        // The comment character must not be the delimiter.
        let opts = ParseOptions { comment: Some(','), ..ParseOptions::default() };
        assert_eq!(parse_csv_all_ways(b"a,b\n,1\n", "t.csv", &opts).unwrap_err().to_string(), "invalid parse option: the comment character ',' is the file's delimiter: choose another");
        let opts = ParseOptions { comment: Some(';'), delimiter: Some(';'.into()), ..ParseOptions::default() };
        assert_eq!(opts.validate().unwrap_err().code(), "bad_option");
    }

    /// Header cells with no name, or a name already used, are renamed and
    /// the renames reported (a last column with no name and no value, as a
    /// delimiter ending every line makes, is left out instead).
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn missing_and_repeated_names_are_renamed_and_reported() {
        let names = |ds: &Dataset| ds.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let ds = parse(b"a,b,\n1,2,\n3,4,x\n").unwrap();
        assert_eq!(names(&ds), ["a", "b", "column_3"]);
        let w = ds.ingest.warnings.iter().find(|w| w.code == "renamed_columns").unwrap();
        assert_eq!(w.message, "column 3 had no name and was named \"column_3\"; names must be present and different");
        // Never a name the header gives another column.
        let ds = parse(b"a,a,a_2,,column_4, a \n1,2,3,4,5,6\n").unwrap();
        assert_eq!(names(&ds), ["a", "a_3", "a_2", "column_4_2", "column_4", "a_4"]);
        let w = &ds.ingest.warnings.iter().find(|w| w.code == "renamed_columns").unwrap().message;
        assert!(w.starts_with("column 2 repeats the name \"a\" of column 1 and was named \"a_3\"; column 4 had no name"), "{w}");
        assert!(parse(b"a,b\n1,2\n").unwrap().ingest.warnings.is_empty());
        // A type can be set for a renamed column.
        let mut opts = ParseOptions::default();
        opts.column_types.insert("column_2".into(), ColumnKind::Text);
        let ds = parse_csv_all_ways(b"a,\n1,2\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[1].kind, ColumnKind::Text);
    }

    /// Quotes as csv-core reads them: one opens a quoted field only at a
    /// field's start; elsewhere it is a plain character (inches: `5" x`),
    /// and a quoted field may end the file without a line end.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn a_quote_inside_a_field_is_a_character() {
        let labels = |ds: &Dataset, c: usize| match &ds.columns[c].values {
            ColumnValues::Categorical { levels, codes } => codes.iter().map(|c| c.map(|c| levels[c as usize].clone())).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let ds = parse(b"size,note\n1,5\" screen\n2,\"quoted, \"\"x\"\"\"\n3,a\"b\"c\n4, \"lead\"\n").unwrap();
        assert_eq!(labels(&ds, 1), [Some("5\" screen".to_string()), Some("quoted, \"x\"".into()), Some("a\"b\"c".into()), Some("\"lead\"".into())]);
        let ds = parse(b"a,b\n1,\"x\"").unwrap();
        assert_eq!(labels(&ds, 1), [Some("x".to_string())]);
        let ds = parse(b"a;b\n1;2\"\n\"3\";4\n").unwrap();
        assert_eq!(ds.n_rows, 2);
        for open in [&b"a,b\n\"x,1\n2,3\n"[..], b"a,b\n1,\"x\"\",1\n", b"a,b\n1,2\n3,\"4"] {
            assert_eq!(parse(open).unwrap_err().code(), "unterminated_quote", "{:?}", String::from_utf8_lossy(open));
        }
    }

    /// Integers past 2^53 (long identifiers), of any number of digits, are
    /// read as text, their digits kept: as numbers, distinct ones would
    /// collapse into one. So are
    /// integers with leading zeros (postcodes, account numbers).
    #[test]
    fn integers_past_two_to_the_53_stay_text() {
        let ds = parse(b"id,v\n12345678901234567891,1\n12345678901234567892,2\n9007199254740993,3\n").unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Categorical);
        match &ds.columns[0].values {
            ColumnValues::Categorical { levels, .. } => assert_eq!(levels, &["12345678901234567891", "12345678901234567892", "9007199254740993"]),
            other => panic!("{other:?}"),
        }
        // Codes with leading zeros keep them; 0, 0.5, 05.5 and two-digit
        // months, days and hours (08) are numbers.
        let ds = parse(b"zip,x,month\n01234,0,01\n00501,0.5,08\n12345,05.5,12\n").unwrap();
        assert_eq!((ds.columns[0].kind, ds.columns[1].kind, ds.columns[2].kind), (ColumnKind::Categorical, ColumnKind::Float, ColumnKind::Integer));
        match &ds.columns[0].values {
            ColumnValues::Categorical { levels, .. } => assert_eq!(levels, &["01234", "00501", "12345"]),
            other => panic!("{other:?}"),
        }
        // Below 2^53 and floats of any size are numbers; digit strings
        // longer than 64 bits allow are text too, digits kept (1e300
        // written out was read as an integer column).
        let long = format!("a,b,c\n9007199254740991,1e300,{}\n-9007199254740991,2.5e20,1\n", 1e300);
        let ds = parse(long.as_bytes()).unwrap();
        assert_eq!((ds.columns[0].kind, ds.columns[1].kind, ds.columns[2].kind), (ColumnKind::Integer, ColumnKind::Float, ColumnKind::Categorical));
        assert_eq!((0..2).map(|i| ds.columns[2].text(i)).collect::<Vec<_>>(), [Some(format!("{}", 1e300)), Some("1".into())]);
    }

    /// Integers past 2^53 written with a decimal comma's thousands groups
    /// are text with every digit, as the same integers written plainly
    /// are (they were read as integers, rounded: 1234567890123456768); set
    /// to integer, refused, named; with a fraction, floats, as plain ones.
    #[test]
    fn grouped_integers_past_two_to_the_53_stay_text() {
        let opts = ParseOptions { delimiter: Some(';'.into()), ..ParseOptions::default() };
        let ds = parse_csv(b"id;v\n1.234.567.890.123.456.789;1,5\n1.234.567.890.123.456.788;2,5\n", "t.csv", &opts).unwrap();
        assert!(ds.ingest.decimal_comma);
        assert_eq!(ds.columns[0].kind, ColumnKind::Categorical);
        assert_eq!((0..2).map(|i| ds.columns[0].text(i)).collect::<Vec<_>>(), [Some("1.234.567.890.123.456.789".to_string()), Some("1.234.567.890.123.456.788".to_string())]);
        let mut forced = opts.clone();
        forced.column_types.insert("id".into(), ColumnKind::Integer);
        let err = parse_csv(b"id;v\n1.234.567.890.123.456.789;1,5\n", "t.csv", &forced).unwrap_err();
        assert_eq!(err.code(), "inexact_integer");
        let ds = parse_csv(b"id;v\n1.234.567.890.123.456.789,5;1,5\n2,5;2,5\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Float);
    }

    /// Integers of 21 digits or more are kept digit for digit: 200
    /// distinct 24-digit account numbers were one value (1.2345678901234569e23)
    /// and 196 duplicate rows; 22-digit ICCIDs likewise; and a column of
    /// 19- to 200-digit integers beside small ones became text labelled
    /// "5.347210639177968e24", digits lost.
    #[test]
    fn integers_of_any_length_past_two_to_the_53_keep_their_digits() {
        let labels = |ds: &Dataset, c: usize| (0..ds.n_rows).map(|i| ds.columns[c].text(i)).collect::<Vec<_>>();
        let accts: Vec<String> = (0..200).map(|i| format!("{}", 123_456_789_012_345_678_900_000u128 + i)).collect();
        let csv: String = std::iter::once("acct,v\n".to_string()).chain(accts.iter().map(|a| format!("{a},1\n"))).collect();
        let ds = parse(csv.as_bytes()).unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Text);
        assert_eq!(labels(&ds, 0), accts.iter().map(|a| Some(a.clone())).collect::<Vec<_>>());
        let mixed = ["1234", "5347210639177968123456789", "-12345678901234567890123", &"9".repeat(200), "7", "8944500102198304826", "+123456789012345678901"];
        let csv: String = std::iter::once("id\n".to_string()).chain(mixed.iter().map(|a| format!("{a}\n"))).collect();
        let ds = parse(csv.as_bytes()).unwrap();
        assert_eq!(labels(&ds, 0), mixed.iter().map(|a| Some(a.to_string())).collect::<Vec<_>>());
        // Set to integer, such a value is refused, named; to float, rounded.
        let mut opts = ParseOptions::default();
        opts.column_types.insert("id".into(), ColumnKind::Integer);
        let err = parse_csv(b"id\n1\n123456789012345678901234\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.code(), "inexact_integer");
        assert!(err.to_string().starts_with("t.csv: row 2 (line 3), column \"id\": 123456789012345678901234 cannot"), "{err}");
        opts.column_types.insert("id".into(), ColumnKind::Float);
        assert_eq!(parse_csv(b"id\n1\n123456789012345678901234\n", "t.csv", &opts).unwrap().columns[0].kind, ColumnKind::Float);
    }

    /// Files of known binary formats are named, with what to do.
    #[test]
    fn known_binary_formats_are_named() {
        let cases: &[(&[u8], &str)] = &[
            (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "t.csv: this is a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook is one) (a binary file), not CSV; open it and save the sheet as CSV, or unzip it"),
            (b"\x1F\x8B\x08\x00\x00\x00", "t.csv: this is a gzip-compressed file (a binary file), not CSV; decompress it first (gunzip)"),
            (b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", "t.csv: this is a PDF document (a binary file), not CSV; export its table as CSV"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "t.csv: this is a PNG image (a binary file), not CSV; choose the CSV file"),
            (b"\xFD7zXZ\x00\x00\x04\xE6\xD6\xB4\x46", "t.csv: this is an xz-compressed file (a binary file), not CSV; decompress it first (unxz)"),
            (b"\x28\xB5\x2F\xFD\x24\x0D\x69\x00\x00", "t.csv: this is a Zstandard-compressed file (a binary file), not CSV; decompress it first (unzstd)"),
            (b"BZh91AY&SY\x9D\x1B\xE8\xD7\x00\x00", "t.csv: this is a bzip2-compressed file (a binary file), not CSV; decompress it first (bunzip2)"),
            (b"BZh1\x17\x72\x45\x38\x50\x90\xFF", "t.csv: this is a bzip2-compressed file (a binary file), not CSV; decompress it first (bunzip2)"),
            (b"7z\xBC\xAF\x27\x1C\x00\x04", "t.csv: this is a 7z archive (a binary file), not CSV; extract it first (7z x)"),
            // A PDF with no binary byte at all (it was read as a one-column CSV).
            (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n", "t.csv: this is a PDF document (a binary file), not CSV; export its table as CSV"),
        ];
        for (input, message) in cases {
            let err = parse(input).unwrap_err();
            assert_eq!((err.code(), err.to_string().as_str()), ("binary_file", *message));
        }
        // Text that only starts like one is read as text.
        assert_eq!(parse(b"PK\x03\x04,b\n1,2\n").unwrap().n_rows, 1);
        assert_eq!(parse(b"%PDF,b\n1,2\n").unwrap().columns[0].name, "%PDF");
        assert_eq!(parse(b"BZh1,b\n1,2\n").unwrap().columns[0].name, "BZh1");
        assert_eq!(parse(b"BZh,7z\n1,2\n").unwrap().n_rows, 1);
    }

    /// A web page, XML or JSON saved as .csv is named as such, with what
    /// to do (read every way: at once, a byte at a time, in parts); a CSV
    /// whose first name merely holds a brace or a bracket is read.
    #[test]
    fn html_xml_and_json_are_named() {
        let html = "t.csv: this is an HTML web page, not CSV; save the table itself as CSV (a link to a CSV file may have saved the page around it)";
        let json = "t.csv: this is JSON, not CSV; convert it to CSV (pandas: read_json, with lines=True for an object per line, then to_csv)";
        let cases: &[(&[u8], &str)] = &[
            (b"<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>\n", html),
            (b"\xEF\xBB\xBF\n  <HTML lang=en>\n<p>a,b</p>\n", html),
            (b"<?xml version=\"1.0\"?>\n<rows><r a=\"1\"/></rows>\n", "t.csv: this is an XML document, not CSV; export its table as CSV"),
            (b"[{\"a\": 1, \"b\": 2}, {\"a\": 3, \"b\": 4}]\n", json),
            (b"[\n  {\n    \"a\": 1\n  }\n]\n", json),
            (b"{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n", json),
        ];
        for (input, message) in cases {
            let err = parse_csv_all_ways(input, "t.csv", &ParseOptions::default()).unwrap_err();
            assert_eq!((err.code(), err.to_string().as_str()), ("not_csv", *message), "{:?}", String::from_utf8_lossy(input));
        }
        assert_eq!(parse(b"{x},y\n1,2\n").unwrap().columns[0].name, "{x}");
        assert_eq!(parse(b"[a],<b>\n1,2\n").unwrap().columns[1].name, "<b>");
        assert_eq!(parse(b"html,b\n<html>,2\n").unwrap().n_rows, 1);
    }

    #[test]
    fn limits_are_named() {
        let opts = ParseOptions { max_columns: 2, max_header_chars: 3, ..ParseOptions::default() };
        let err = parse_csv_all_ways(b"a,b,c\n1,2,3\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.code(), "too_many_columns");
        assert!(err.to_string().contains("limit of 2"));
        let err = parse_csv_all_ways(b"abcd\n1\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.code(), "header_too_long");
        let opts = ParseOptions { max_bytes: 4, ..ParseOptions::default() };
        assert_eq!(parse_csv_all_ways(b"a,b\n1,2\n", "t.csv", &opts).unwrap_err().code(), "too_large");
        let opts = ParseOptions { max_rows: 2, ..ParseOptions::default() };
        let err = parse_csv_all_ways(b"a\n1\n2\n3\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: the file has more than 2 data rows, the limit; split it, or keep a sample of its rows");
        let opts = ParseOptions { max_field_bytes: 8, ..ParseOptions::default() };
        let err = parse_csv_all_ways(b"a,b\n1,123456789\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: row 1 (line 2), column \"b\": the field is 9 bytes long, over the limit of 8");
        // A field that never ends is stopped while it is read, not at the end.
        let huge = [b"a,b\n1,\"".as_slice(), &vec![b'x'; 100_000]].concat();
        let mut ingest = Ingest::new("t.csv", &opts, None).unwrap();
        let err = ingest.push(&huge).unwrap_err();
        assert_eq!(err.code(), "field_too_long");
        // With no header row, an overlong first field is data row 1's, not
        // a column's name.
        let no_header = ParseOptions { has_header: Some(false), ..opts.clone() };
        let mut ingest = Ingest::new("t.csv", &no_header, None).unwrap();
        let err = ingest.push(&vec![b'x'; 100_000]).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: row 1 (line 1), column \"column 1\": the field is at least 4096 bytes long, over the limit of 8");
    }

    /// UTF-16 with no byte order mark is recognised by its zero bytes (and
    /// said), however the chunks fall; UTF-32 is named; lines to skip past
    /// the end of the file are said to be too many.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn encodings_without_a_mark_and_skips_past_the_end() {
        let text = "name,score\nann,1.5\nbob,2\ncy,3.25\nzoë,4\n";
        for le in [true, false] {
            let bytes = utf16(text, le)[2..].to_vec();
            let ds = parse(&bytes).unwrap();
            assert_eq!((ds.n_rows, ds.columns[1].kind), (4, ColumnKind::Float));
            assert_eq!(ds.ingest.encoding, if le { "utf-16le" } else { "utf-16be" });
            assert_eq!(ds.ingest.warnings.iter().filter(|w| w.code == "utf16_without_bom").count(), 1);
        }
        let mut u32 = vec![0xFF, 0xFE, 0, 0];
        for c in "a,b\n1,2\n".chars() {
            u32.extend((c as u32).to_le_bytes());
        }
        assert_eq!(parse(&u32).unwrap_err().code(), "unsupported_encoding");
        // A NUL in UTF-8 text is still a NUL, not UTF-16.
        assert_eq!(parse(b"a,b\n1,\x002\n").unwrap_err().code(), "binary_file");
        let opts = ParseOptions { skip_lines: Some(5), ..ParseOptions::default() };
        let e = parse_csv_all_ways(b"a,b\n1,2\n3,4\n", "t.csv", &opts).unwrap_err();
        assert_eq!(e.to_string(), "invalid parse option: t.csv: lines to skip is 5, but no line is left after them for the column names; lower it (0 reads from the first line)");
    }

    /// UTF-16 with no byte order mark is recognised with Cyrillic, CJK or
    /// emoji near the start, where fewer bytes are zero than in ASCII text
    /// (Cyrillic in the first line made it "a binary file"); bytes whose
    /// zeros fall on one side but that hold control characters as UTF-16,
    /// or UTF-8 with a NUL, are still binary.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn utf16_without_a_mark_in_other_scripts() {
        let cases = [
            ("name,n\nМосква,1\nParis,2\n", "name", 2),
            ("город,население\nМосква,13010112\nСанкт-Петербург,5601911\nКазань,1318604\n", "город", 3),
            ("名前,年齢\n山田太郎,30\n鈴木花子,25\n", "名前", 2),
            ("東京都の人口統計データ一覧表,値\n甲,1\n乙,2\n丙,3\n", "東京都の人口統計データ一覧表", 3),
            ("emoji,n\n😀,1\n🎉,2\n👩\u{200d}💻,3\n", "emoji", 3),
            ("😀😀,🎉\n1,2\n", "😀😀", 1),
            // Dense Japanese: a comma and a line end in 22 characters.
            (&*format!("名前,都市\n{}", "東京都渋谷区神宮前,日本国東京都港区六本木\n".repeat(50)), "名前", 50),
        ];
        for (text, first, rows) in cases {
            for le in [true, false] {
                let bytes = utf16(text, le)[2..].to_vec();
                let ds = parse(&bytes).unwrap_or_else(|e| panic!("{text:?} le {le}: {e}"));
                assert_eq!((ds.columns[0].name.as_str(), ds.n_rows), (first, rows), "{text:?} le {le}");
                assert_eq!(ds.ingest.encoding, if le { "utf-16le" } else { "utf-16be" });
                assert!(ds.ingest.warnings.iter().any(|w| w.code == "utf16_without_bom"), "{text:?} le {le}");
            }
        }
        // Little-endian 16-bit numbers: the zeros on one side, but they
        // read as control characters.
        let numbers: Vec<u8> = (1..40u16).flat_map(|n| n.to_le_bytes()).collect();
        assert_eq!(parse(&numbers).unwrap_err().code(), "binary_file");
        // UTF-8 text with NULs on one side, too few to be UTF-16.
        assert_eq!(parse(b"name,n\nMoscow,1\x00\nParis,2\x00\nRome,3\n").unwrap_err().code(), "binary_file");
        assert_eq!(parse("name,n\nМосква,1\nParis,2\n".as_bytes()).unwrap().n_rows, 2);
    }

    /// A UTF-16 byte order mark before UTF-8 text: not valid UTF-16 as the
    /// mark claims (it was read as one line of CJK characters, "a header
    /// row but no data rows").
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn a_utf16_mark_before_utf8_text_is_named() {
        for (mark, order) in [("FF FE", "little-endian"), ("FE FF", "big-endian")] {
            let mut bytes = if mark == "FF FE" { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
            bytes.extend_from_slice("name,n\nMoscow,1\nZürich,2\n".as_bytes());
            let err = parse(&bytes).unwrap_err();
            assert_eq!(err.code(), "invalid_utf16");
            assert_eq!(
                err.to_string(),
                format!("t.csv: the file starts with {mark}, the byte order mark of UTF-16 {order}, but is not valid UTF-16 as the mark claims: none of the 26 bytes from byte 2 on is zero, where UTF-16 text has a zero byte in each delimiter and line end; they read as UTF-8 text; remove the mark (the first 2 bytes), or save the file again as UTF-8")
            );
        }
        // Text in UTF-16 after its mark is read, in Cyrillic too.
        assert_eq!(parse(&utf16("name,n\nМосква,1\n", true)).unwrap().n_rows, 1);
        assert_eq!(parse(&utf16("name,n\nМосква,1\n", false)).unwrap().n_rows, 1);
    }

    /// Quotes escaped with a backslash (`\"`, where CSV doubles them) are
    /// detected and read as quotes, and said; or read as CSV reads them
    /// when turned off (said, and a row they split names the option). A
    /// backslash ending a quoted value (`"C:\"`) is no escape.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn backslash_escaped_quotes_are_read() {
        let labels = |ds: &Dataset, c: usize| (0..ds.n_rows).map(|i| ds.columns[c].text(i).unwrap_or_default()).collect::<Vec<_>>();
        let notes = |ds: &Dataset| ds.ingest.warnings.iter().filter(|w| w.code == "backslash_quotes").map(|w| w.message.clone()).collect::<Vec<_>>();
        let text = b"a,b,c\n1,\"plain\",x\n2,\"he said \\\"hi\\\", then \\\\left\",y\n3,\"two\\\"\nlines\",z\n";
        let ds = parse(text).unwrap();
        assert_eq!(labels(&ds, 1), ["plain", "he said \"hi\", then \\left", "two\"\nlines"]);
        assert_eq!(labels(&ds, 2), ["x", "y", "z"]);
        let w = notes(&ds);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("line 3 has a quote written \\\" inside a value: this file escapes quotes with a backslash"), "{}", w[0]);
        // Asked for: read the same, nothing said.
        let on = ParseOptions { backslash_escapes: Some(true), ..ParseOptions::default() };
        let asked = parse_csv_all_ways(text, "t.csv", &on).unwrap();
        assert_eq!((labels(&asked, 1), notes(&asked).len()), (labels(&ds, 1), 0));
        // Turned off: a row the quote splits is an error naming the option.
        let off = ParseOptions { backslash_escapes: Some(false), ..ParseOptions::default() };
        let e = parse_csv_all_ways(text, "t.csv", &off).unwrap_err().to_string();
        assert!(e.starts_with("t.csv: row 2 (line 3) has 4 fields but the header has 3; the row has a quote written \\\" inside a value: if the file escapes quotes with a backslash, turn backslash escapes on (--backslash-escapes true"), "{e}");
        // Turned on, an escaped quote before the line end leaves the quote
        // open: the error names the line it opened on.
        let e = parse_csv_all_ways(b"a,b\n1,\"x \\\"\n2,y\n", "t.csv", &on).unwrap_err().to_string();
        assert_eq!(e, "t.csv: line 2: a quoted field opened here is never closed");
        // Not escapes: a backslash ending a value, a doubled quote.
        for text in [&b"path,n\n\"C:\\\",1\n\"D:\\\",2\n"[..], b"a,b\n1,\"say \"\"hi\"\"\"\n"] {
            let ds = parse(text).unwrap();
            assert!(notes(&ds).is_empty(), "{:?}", String::from_utf8_lossy(text));
        }
        assert_eq!(labels(&parse(b"path,n\n\"C:\\\",1\n\"D:\\\",2\n").unwrap(), 0), ["C:\\", "D:\\"]);
    }

    /// A sep= line naming a delimiter no line holds is followed, as Excel
    /// does, with a note naming the delimiter that reads the lines as a table.
    #[test]
    fn a_sep_line_that_splits_nothing_is_said() {
        let ds = parse_csv(b"sep=,\na;b;c\n1;2;3\n4;5;6\n", "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(ds.columns.len(), 1);
        let w = ds.ingest.warnings.iter().find(|w| w.code == "sep_line_splits_nothing").expect("a note");
        assert!(w.message.contains("names ',' as the delimiter, but no line holds it") && w.message.contains("split evenly at ';'") && w.message.contains("--delimiter ';'"), "{}", w.message);
        for good in [&b"sep=;\na;b;c\n1;2;3\n"[..], b"sep=,\nname\nx\ny\n"] {
            let ds = parse_csv(good, "t.csv", &ParseOptions::default()).unwrap();
            assert!(!ds.ingest.warnings.iter().any(|w| w.code == "sep_line_splits_nothing"), "{:?}", ds.ingest.warnings);
        }
    }

    /// One row per input: the bytes, the delimiter, the column kinds and the rows expected.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn good_inputs_parse() {
        use ColumnKind::*;
        let u16le = utf16("a,b\n1,x\n2,y\n", true);
        let u16be = utf16("a;b\r\n1;é\r\n", false);
        let cases: Vec<(&[u8], u8, &[ColumnKind], usize)> = vec![
            (b"a,b\n1,x\n2,y\n", b',', &[Integer, Categorical], 2),
            (b"\xEF\xBB\xBFa;b\r\n1;x\r\n2;y\r\n", b';', &[Integer, Categorical], 2),
            (b"a\tb\n1\t2\n", b'\t', &[Integer, Integer], 1),
            (b"a|b\n1|2\n", b'|', &[Integer, Integer], 1),
            (b"sep=;\na;b\n1;2\n", b';', &[Integer, Integer], 1),
            (b"SEP=|\r\na|b\r\n1|2\r\n", b'|', &[Integer, Integer], 1),
            (b"a,b\n1,x\n2.5,1\n", b',', &[Float, Categorical], 2),
            (b"a,b\n\"multi\nline\",1\n\"say \"\"hi\"\"\",2\n", b',', &[Categorical, Integer], 2),
            (b"a,b\nNA,1\n?,2\n3,\n", b',', &[Integer, Integer], 3),
            (b"a,b\n1,2\n\n3,4\n", b',', &[Integer, Integer], 2),
            (b"a,b\r1,2\r3,4\r", b',', &[Integer, Integer], 2),
            (b"a,b\r\n1,2\r\n3,4", b',', &[Integer, Integer], 2),
            (&u16le, b',', &[Integer, Categorical], 2),
            (&u16be, b';', &[Integer, Categorical], 1),
            (b"d,t,f\n2024-01-31,2024-01-31T10:00:00Z,true\n2024-02-01,2024-02-01 11:30,False\n", b',', &[Date, DateTime, Boolean], 2),
            (b"1,2\n3,4\n", b',', &[Integer, Integer], 2),
            (b"x;y\n1,5;a\n2;b\n", b';', &[Float, Categorical], 2),
            (b"x;y\n1,5;a\n2.5;b\n", b';', &[Categorical, Categorical], 2),
            (b"x,y\n1,a\nfoo,b\n", b',', &[Categorical, Categorical], 2),
            // No header (UCI's adult.data): the first row's labels recur
            // below, or a number in it has a fraction; "?" fits any column.
            (b"34, Private,7, >50K\n50, ?,2, <=50K\n28, Self-emp,3, >50K\n", b',', &[Integer, Categorical, Integer, Categorical], 3),
            (b"Alice,34,55000.5\nBob,40,1000\nCarl,50,200\n", b',', &[Categorical, Integer, Float], 3),
            (b"1,?,a\n2,3,b\n3,4,a\n", b',', &[Integer, Integer, Categorical], 3),
            // ISO dates with one-digit months and days, as R and Excel write them.
            (b"d,t\n2020-1-5,2020-1-5 8:00\n2020-11-25,2020-11-25T13:05:00Z\n", b',', &[Date, DateTime], 2),
            (b"d,t\n2020-1-5,2020-1-5 08:00\n2020-11-25,2020-11-25T13:05:00Z\n", b',', &[Date, DateTime], 2),
            // A header of years over numbers stays a header.
            (b"country,2019,2020\nfr,1.5,2\nde,2.5,3\n", b',', &[Categorical, Float, Integer], 2),
            (b"id,1,2\n1,1,2\n2,3,4\n", b',', &[Integer, Integer, Integer], 2),
        ];
        for (input, delim, kinds, rows) in cases {
            let ds = parse(input).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(input)));
            assert_eq!(ds.delimiter, delim, "{:?}", String::from_utf8_lossy(input));
            assert_eq!(ds.columns.iter().map(|c| c.kind()).collect::<Vec<_>>(), kinds, "{:?}", String::from_utf8_lossy(input));
            assert_eq!(ds.n_rows, rows, "{:?}", String::from_utf8_lossy(input));
        }
    }

    /// The ingest report says what was detected, one row per input.
    #[test]
    fn detections_are_reported() {
        let cases: &[(&[u8], &str, bool, bool, &str)] = &[
            // bytes, encoding, header, decimal comma, line ending
            (b"a,b\n1,2\n", "utf-8", true, false, "lf"),
            (b"\xEF\xBB\xBFa,b\r\n1,2\r\n", "utf-8-bom", true, false, "crlf"),
            (b"1,2\n3,4\n", "utf-8", false, false, "lf"),
            (b"x;y\r1,5;2\r", "utf-8", true, true, "cr"),
            // Consecutive years over measurements: a wide table's names.
            (b"2019,2020,2021\n1.2,1.5,1.7\n2.2,2.1,2.4\n", "utf-8", true, false, "lf"),
            // Years that are no run, or years over years: data.
            (b"2019,2021,2020\n1.2,1.5,1.7\n2.2,2.1,2.4\n", "utf-8", false, false, "lf"),
            (b"2019,2020,2021\n2019,2020,2020\n2018,2021,2019\n", "utf-8", false, false, "lf"),
        ];
        for (input, enc, header, comma, ending) in cases {
            let r = parse(input).unwrap().ingest;
            assert_eq!((r.encoding.as_str(), r.header, r.decimal_comma, r.line_ending.as_str()), (*enc, *header, *comma, *ending), "{:?}", String::from_utf8_lossy(input));
        }
        let ds = parse(b"1,2\n3,4\n").unwrap();
        assert_eq!(ds.columns[1].name, "column_2");
        assert_eq!(ds.ingest.warnings[0].code, "no_header");
    }

    #[test]
    fn decimal_comma_values_and_option() {
        let ds = parse(b"x;y\n1,5;2\n-0,25;3\n").unwrap();
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([Some(1.5), Some(-0.25)])));
        // Dots before three digits and no decimal comma in a ';' file:
        // thousands marks (74.753 inhabitants), said in a note; a point
        // that cannot be one (0.125, 1.5) keeps them decimal points.
        let ds = parse(b"Gemeinde;Einwohner\nA;74.753\nB;8.567\nC;92\n").unwrap();
        assert_eq!(ds.columns[1].values, ColumnValues::Numeric(crate::data::nums([Some(74753.0), Some(8567.0), Some(92.0)])));
        // Two dots in a number say thousands too.
        let grouped = parse(b"a;b\n1.234.567;1\n8.567;2\n").unwrap();
        assert_eq!(grouped.columns[0].values, ColumnValues::Numeric(crate::data::nums([Some(1_234_567.0), Some(8567.0)])));
        let note: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "dots_as_thousands").map(|w| w.message.as_str()).collect();
        assert_eq!(note, ["numbers such as \"74.753\" were read with dots as thousands marks (74.753 is 74753), as is usual where the delimiter is a semicolon; no number in the first lines has a decimal comma or a decimal point that must be one; if the dots are decimal points, say so (--decimal-comma false, or \"Decimal mark: Point\" in the page's reading options)"]);
        // Measurements with three decimals (pandas' float_format='%.3f')
        // stay decimals: nothing but the dots' places says thousands.
        for text in [&b"a;b\n74.753;1\n0.125;2\n"[..], b"a;b\n74.753;1\n1.5;2\n", b"a,b\n74.753,1\n8.567,2\n", b"a;b\n74.753;138.000\n8.567;247.000\n"] {
            let ds = parse(text).unwrap();
            let ColumnValues::Numeric(v) = &ds.columns[0].values else { panic!("{:?}", ds.columns[0].kind) };
            assert_eq!(v[0].get(), Some(74.753), "{:?}", String::from_utf8_lossy(text));
        }
        let opts = ParseOptions { decimal_comma: Some(false), ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"a;b\nA;74.753\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[1].values, ColumnValues::Numeric(crate::data::nums([Some(74.753)])));
        let opts = ParseOptions { decimal_comma: Some(false), ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"x;y\n1,5;2\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Categorical);
    }

    /// Dates written day/month/year or month/day/year (US and European
    /// exports) are dates when every value of the column reads one way;
    /// the order is settled over the column, and a guess is said.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn dates_in_local_forms_are_dates() {
        let day = |y, m, d| Some(crate::data::value::days_from_civil(y, m, d) as f64 * 86_400.0);
        let text = b"us,eu,de,stamp,ymd,odd\n1/31/2020,31-01-2020,31.01.2020,3/4/2021 1:05 PM,2020/1/31,1/31/2020\n12/1/2020,1-12-2020,01.12.2020,3/4/2021 12:00:30 AM,2020/12/01,2020-01-31\n,,,,,2020-02-01\n";
        let ds = parse_csv_all_ways(text, "t.csv", &ParseOptions::default()).unwrap();
        let kinds: Vec<ColumnKind> = ds.columns.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ColumnKind::Date, ColumnKind::Date, ColumnKind::Date, ColumnKind::DateTime, ColumnKind::Date, ColumnKind::Categorical]);
        for c in 0..3 {
            assert_eq!(ds.columns[c].values, ColumnValues::Numeric(crate::data::nums([day(2020, 1, 31), day(2020, 12, 1), None])), "{}", ds.columns[c].name);
        }
        assert_eq!(ds.columns[3].values, ColumnValues::Numeric(crate::data::nums([day(2021, 3, 4).map(|t| t + 13.0 * 3600.0 + 300.0), day(2021, 3, 4).map(|t| t + 30.0), None])));
        // The month as a word: no order to guess, nothing said.
        let ds = parse(b"a,b,c\n05-Jan-2020,\"Jan 5, 2020\",Mon 6 January 2020 1:05 PM\n29-Feb-2020,\"Dec 31, 1999\",Tue 7 January 2020 11:00 AM\n,,\n").unwrap();
        assert_eq!(ds.columns.iter().map(|c| c.kind).collect::<Vec<_>>(), [ColumnKind::Date, ColumnKind::Date, ColumnKind::DateTime]);
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([day(2020, 1, 5), day(2020, 2, 29)])));
        assert_eq!(ds.columns[1].values, ColumnValues::Numeric(crate::data::nums([day(2020, 1, 5), day(1999, 12, 31)])));
        assert_eq!(ds.columns[2].values, ColumnValues::Numeric(crate::data::nums([day(2020, 1, 6).map(|t| t + 13.0 * 3600.0 + 300.0), day(2020, 1, 7).map(|t| t + 11.0 * 3600.0)])));
        assert!(ds.ingest.warnings.iter().all(|w| w.code != "date_order"));
        // Both orders read: month first with slashes, day first with dots; said.
        let ds = parse(b"a,b\n01/02/2020,01.02.2020\n03/04/2020,03.04.2020\n").unwrap();
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([day(2020, 1, 2), day(2020, 3, 4)])));
        assert_eq!(ds.columns[1].values, ColumnValues::Numeric(crate::data::nums([day(2020, 2, 1), day(2020, 4, 3)])));
        let w: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "date_order").map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["column \"a\": every date (e.g. \"01/02/2020\") reads both day first and month first; read month first; to keep them as text, set the column's type to categorical", "column \"b\": every date (e.g. \"01.02.2020\") reads both day first and month first; read day first; to keep them as text, set the column's type to categorical"]);
        // Not dates: an impossible day, two-digit years, a text among them, a type set.
        for text in [&b"a\n2/30/2020\n"[..], b"a\n1/31/20\n", b"a\n1/31/2020\nsoon\n", b"a\n31/1/2020\n1/31/2020\n"] {
            assert_eq!(parse(text).unwrap().columns[0].kind, ColumnKind::Categorical, "{:?}", String::from_utf8_lossy(text));
        }
        let mut opts = ParseOptions::default();
        opts.column_types.insert("a".into(), ColumnKind::Categorical);
        assert_eq!(parse_csv_all_ways(b"a\n1/31/2020\n", "t.csv", &opts).unwrap().columns[0].kind, ColumnKind::Categorical);
        // A sampled file: the kept rows' dates are dates too. Few distinct
        // days: judged on every row's labels (counted exactly), quietly;
        // many distinct stamps: judged on the sample, and said.
        let mut text = String::from("day,stamp,n\n");
        for r in 0..4000u32 {
            text.push_str(&format!("1/{}/2021,{}/{}/2021 {}:{:02},{r}\n", r % 7 + 1, r % 12 + 1, r % 28 + 1, r % 24, r % 60));
        }
        let small = ParseOptions { max_memory_bytes: 60_000, ..ParseOptions::default() };
        let ds = parse_csv_all_ways(text.as_bytes(), "t.csv", &small).unwrap();
        assert!(ds.sample.as_ref().is_some_and(|s| s.stride > 1));
        assert_eq!((ds.columns[0].kind, ds.columns[1].kind), (ColumnKind::Date, ColumnKind::DateTime));
        let ColumnValues::Numeric(v) = &ds.columns[0].values else { panic!("day: {:?}", ds.columns[0].kind) };
        let week = day(2021, 1, 1)..=day(2021, 1, 7);
        assert!(v.iter().all(|d| d.is_some() && week.contains(&d.get())), "{:?}", &v[..5]);
        let notes: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "dates_from_sample").map(|w| w.message.as_str()).collect();
        assert_eq!(notes, ["column \"stamp\": read as dates because every value in the sampled rows is one (e.g. \"5/5/2021 4:04\"); rows left out of the sample were not all checked"]);
        let p = crate::profile::profile(&ds);
        assert_eq!((p.columns[0].count, p.columns[0].missing), (4000, 0));
        assert!(p.columns[0].date_range.is_some());
        // A column set to a date type reads local forms too; the order is
        // settled over the column; a value that no order reads, another
        // form or a word is an error at its row.
        let set = |kind: ColumnKind| ParseOptions { column_types: [("d".to_string(), kind)].into(), ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"d,n\n,1\n1/2/2020,2\n31/1/2020,3\n", "t.csv", &set(ColumnKind::Date)).unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Date);
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([None, day(2020, 2, 1), day(2020, 1, 31)])));
        let ds = parse_csv_all_ways(b"d\n1/2/2020 10:30\n3/4/2020 11:00\n", "t.csv", &set(ColumnKind::DateTime)).unwrap();
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([day(2020, 1, 2).map(|t| t + 37_800.0), day(2020, 3, 4).map(|t| t + 39_600.0)])));
        assert_eq!(ds.ingest.warnings.iter().filter(|w| w.code == "date_order").count(), 1);
        for (text, row) in [(&b"d\n1/13/2020\n13/1/2020\n"[..], 2), (b"d\n1/2/2020\nsoon\n", 2), (b"d\n2020-01-02\n1/2/2020\n", 2), (b"d\n1/2/2020\n2020-01-02\n", 2), (b"d\n1/2/2020\n1.2.2020\n", 2)] {
            match parse_csv_all_ways(text, "t.csv", &set(ColumnKind::Date)) {
                Err(DataError::BadValue { row: r, .. }) => assert_eq!(r, row, "{:?}", String::from_utf8_lossy(text)),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(text)),
            }
        }
        // Times with and without a UTC offset in one column: said.
        let ds = parse(b"t\n2020-01-01T10:00:00\n2020-01-01T10:00:00+05:00\n2020-01-02 08:30Z\n").unwrap();
        let w: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "time_zones_mixed").map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["column \"t\": 2 times have a UTC offset and 1 has none; those without were read as UTC, which may be hours off"]);
        let ds = parse(b"t\n2020-01-01T10:00:00\n2020-01-01T11:00:00\n2020-01-02 08:30Z\n").unwrap();
        assert_eq!(ds.ingest.warnings[0].message, "column \"t\": 1 time has a UTC offset and 2 have none; those without were read as UTC, which may be hours off");
        assert!(parse(b"t\n2020-01-01T10:00:00\n2020-01-02\n").unwrap().ingest.warnings.is_empty());
        // Every time with an offset: shown in UTC, and an example says so
        // (a zero offset moves nothing and is not noted).
        let ds = parse(b"t\n2020-01-01T00:00:00-08:00\n2020-01-01T10:00:00+05:30\n").unwrap();
        let w: Vec<&str> = ds.ingest.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["column \"t\": times written with a UTC offset are shown in UTC (\"2020-01-01T00:00:00-08:00\" is 2020-01-01T08:00:00)"]);
        assert!(parse(b"t\n2020-01-01T00:00:00Z\n2020-01-01T10:00:00+00:00\n").unwrap().ingest.warnings.is_empty());
        // Dates whose orders conflict are kept as text, and that is said.
        let ds = parse(b"d\n1/2/2020\n13/1/2020\n1/13/2020\n").unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Categorical);
        let w: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "date_order_conflict").map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["column \"d\": every value is a date, but no one order of day and month reads them all (\"13/1/2020\" has the day first, \"1/13/2020\" the month), so they were kept as text; correct them at the source"]);
    }

    /// A boolean column has two values however they are spelled: `TRUE`
    /// and `true` are one, kept in its first spelling, and the merge is said.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn boolean_spellings_are_one_value() {
        let text = b"x,y,z\n1,TRUE,yes\n2,true,no\n3,FALSE,no\n4,false,\n5,True,yes\n";
        let ds = parse_csv_all_ways(text, "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(ds.columns[1].kind, ColumnKind::Boolean);
        assert_eq!(
            ds.columns[1].values,
            ColumnValues::Categorical { levels: vec!["TRUE".into(), "FALSE".into()], codes: crate::data::codes([Some(0), Some(0), Some(1), Some(1), Some(0)]) }
        );
        let w: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "boolean_spellings").map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["column \"y\": \"TRUE\", \"true\", \"True\" as \"TRUE\"; \"FALSE\", \"false\" as \"FALSE\" read as one value each"]);
        // One spelling each: nothing merged, nothing said.
        assert_eq!(ds.columns[2].values, ColumnValues::Categorical { levels: vec!["yes".into(), "no".into()], codes: crate::data::codes([Some(0), Some(1), Some(1), None, Some(0)]) });
        // A type set to boolean merges the same way.
        let mut opts = ParseOptions::default();
        opts.column_types.insert("y".into(), ColumnKind::Boolean);
        let ds = parse_csv_all_ways(text, "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[1].values, ColumnValues::Categorical { levels: vec!["TRUE".into(), "FALSE".into()], codes: crate::data::codes([Some(0), Some(0), Some(1), Some(1), Some(0)]) });
        // The profile counts two values.
        let p = crate::profile::profile(&ds);
        assert_eq!(p.columns[1].distinct, 2);
    }

    /// With a decimal comma, dots or spaces between groups of three digits
    /// are thousands marks (German, French exports); only strict grouping.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn thousands_marks_with_a_decimal_comma() {
        let ds = parse("amount;units;fr\n1.234,56;12.000;1\u{a0}234,5\n987,5;7;-2 000\n-1.000.000,25;1.500;3\u{202f}000,25\n".as_bytes()).unwrap();
        assert!(ds.ingest.decimal_comma);
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([Some(1234.56), Some(987.5), Some(-1_000_000.25)])));
        assert_eq!((ds.columns[1].kind, ds.columns[1].values.clone()), (ColumnKind::Integer, ColumnValues::Numeric(crate::data::nums([Some(12000.0), Some(7.0), Some(1500.0)]))));
        assert_eq!(ds.columns[2].values, ColumnValues::Numeric(crate::data::nums([Some(1234.5), Some(-2000.0), Some(3000.25)])));
        // Not grouping: groups of other sizes, a leading zero, two kinds of mark.
        for bad in ["1.23,5", "1.2345", "0.123,5", "1.234 567", ".123", "1..234"] {
            let text = format!("x;y\n{bad};a\n2,5;b\n");
            let ds = parse(text.as_bytes()).unwrap();
            assert_eq!(ds.columns[0].kind, ColumnKind::Categorical, "{bad}");
        }
        // Without a decimal comma nothing changes: 1.234 is a decimal.
        let ds = parse(b"x;y\n1.234;a\n2.5;b\n").unwrap();
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([Some(1.234), Some(2.5)])));
        // Grouped-looking 1.234 beside 2,5: a decimal comma file.
        let ds = parse(b"x;y\n1.234;a\n2,5;b\n").unwrap();
        assert_eq!(ds.columns[0].values, ColumnValues::Numeric(crate::data::nums([Some(1234.0), Some(2.5)])));
    }

    #[test]
    fn mixed_columns_are_flagged_with_rows() {
        let ds = parse(b"x\n1\n2\noops\n4\n5\n").unwrap();
        assert_eq!(ds.columns[0].kind, ColumnKind::Categorical);
        let m = &ds.ingest.mixed[0];
        assert_eq!((m.numbers, m.texts, m.majority.as_str()), (4, 1, "number"));
        assert_eq!(m.examples, vec![crate::data::ValueExample { value: "oops".into(), row: 3 }]);
        // Number-like labels are canonical wherever the change to labels happened.
        let ds = parse(b"x\n1.50\nfoo\n1.50\n").unwrap();
        assert_eq!(ds.columns[0].text(0), ds.columns[0].text(2));
        // Dates with "soon" among them: a cast to date is offered, and to
        // date-time only when a time of day was written.
        let fix = |csv: &[u8]| {
            let ds = parse(csv).unwrap();
            crate::profile::profile(&ds).alerts.into_iter().find(|a| a.code == crate::profile::AlertCode::MixedTypes).and_then(|a| a.fix())
        };
        let cast = |to| Some(crate::prepare::StepSpec::Cast { column: "d".into(), to });
        assert_eq!(fix(b"d\n2024-01-01\n2024-02-01\nsoon\n2024-03-01\n"), cast(ColumnKind::Date));
        assert_eq!(fix(b"d\n2024-01-01T10:00\n2024-02-01\nsoon\n2024-03-01\n"), cast(ColumnKind::DateTime));
    }

    #[test]
    fn type_overrides_apply_and_bad_values_are_named() {
        let mut opts = ParseOptions::default();
        opts.column_types.insert("zip".into(), ColumnKind::Categorical);
        let ds = parse_csv_all_ways(b"zip,n\n02134,1\n10001,2\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[0].text(0).as_deref(), Some("02134"));
        opts.column_types.insert("n".into(), ColumnKind::Integer);
        let err = parse_csv_all_ways(b"zip,n\n02134,1\n10001,2.5\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: row 2 (line 3), column \"n\": \"2.5\" is not a valid integer");
        opts.column_types.insert("nope".into(), ColumnKind::Integer);
        assert_eq!(parse_csv_all_ways(b"zip,n\n1,2\n", "t.csv", &opts).unwrap_err().code(), "unknown_column");
    }

    #[test]
    fn non_finite_can_be_missing_and_reported() {
        let opts = ParseOptions { non_finite: NonFinitePolicy::Missing, ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"a,b\n1,2\ninf,3\n4,-Infinity\n", "t.csv", &opts).unwrap();
        assert!(ds.columns[0].is_missing(1));
        assert_eq!(ds.ingest.non_finite[0].rows, vec![2]);
        assert_eq!(ds.ingest.non_finite[1].values, vec!["-Infinity".to_string()]);
        // In a text column "inf" is just a label.
        let ds = parse(b"a\ninf\nx\n").unwrap();
        assert_eq!(ds.columns[0].text(0).as_deref(), Some("inf"));
    }

    #[test]
    fn lossy_utf8_is_an_opt_in_with_a_warning() {
        let opts = ParseOptions { lossy_utf8: true, ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"a,b\ncaf\xe9,1\n", "t.csv", &opts).unwrap();
        assert_eq!(ds.columns[0].text(0).as_deref(), Some("caf\u{FFFD}"));
        assert_eq!(ds.ingest.warnings[0].message, "1 invalid byte sequence(s) were replaced by U+FFFD, the first at line 2, byte 7");
    }

    #[test]
    fn missing_values_stay_missing_and_text_is_kept() {
        let ds = parse(b"n,s\n1,\"say \"\"hi\"\"\"\nNA,null\n").unwrap();
        assert!(ds.columns[0].is_missing(1));
        assert!(ds.columns[1].is_missing(1));
        assert_eq!(ds.columns[1].text(0).as_deref(), Some("say \"hi\""));
        let opts = ParseOptions { missing_tokens: vec!["X".into()], ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"n\n1\nX\n", "t.csv", &opts).unwrap();
        assert!(ds.columns[0].is_missing(1));
        // Tokens match in their own case only.
        let opts = ParseOptions { missing_tokens: vec!["x".into()], ..ParseOptions::default() };
        let ds = parse_csv_all_ways(b"n\n1\nX\n", "t.csv", &opts).unwrap();
        assert!(!ds.columns[0].is_missing(1));
    }

    /// A token that is a number matches fields by value, as pandas'
    /// `na_values` does (`-999` is missing written `-999.0`, `-999.00`, or
    /// `-999,0` with a decimal comma), in a column of any type; a text
    /// token, or a code (`007`), matches only as written.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn number_tokens_match_numbers_however_written() {
        let dot = ParseOptions::default();
        let comma = ParseOptions { delimiter: Some(Delimiter::Char(';')), decimal_comma: Some(true), ..ParseOptions::default() };
        let typed = |kind| ParseOptions { column_types: [("v".to_string(), kind)].into(), ..ParseOptions::default() };
        let (categorical, integer, date) = (typed(ColumnKind::Categorical), typed(ColumnKind::Integer), typed(ColumnKind::Date));
        // (tokens, options, field, missing?): the field is the second of
        // three in a column `v`, between 1 and 2 (with `date`, dates).
        let cases: &[(&[&str], &ParseOptions, &str, bool)] = &[
            (&["-999"], &dot, "-999", true),
            (&["-999"], &dot, "-999.0", true),
            (&["-999"], &dot, "-999.00", true),
            (&["-999"], &dot, "\u{2212}999", true),
            (&["-999"], &dot, "-9.99e2", true),
            (&["-999"], &dot, "-9990", false),
            (&["-999"], &dot, "999", false),
            (&["-999"], &dot, "-999.5", false),
            (&["-999.0"], &dot, "-999", true),
            (&["-999.5"], &dot, "-999.50", true),
            (&["5"], &dot, "+5", true),
            (&["0"], &dot, "-0.0", true),
            // A text token matches as written, in its own case.
            (&["NA"], &dot, "NA", true),
            (&["NA"], &dot, "na", false),
            (&["NA", "-999"], &dot, "N/A", false),
            // A code is text: `007` is not the number 7.
            (&["007"], &dot, "007", true),
            (&["007"], &dot, "7", false),
            (&["7"], &dot, "007", false),
            // NaN and inf stay text tokens.
            (&["NaN"], &categorical, "nan", false),
            // A decimal comma: the token as the file reads numbers, or with
            // a point (a comma separates --missing's tokens).
            (&["-999"], &comma, "-999,0", true),
            (&["-999.0"], &comma, "-999,0", true),
            (&["-999,5"], &comma, "-999,50", true),
            (&["-999"], &comma, "-999,5", false),
            (&["1.000"], &comma, "1000", true),
            // Columns set to a type: by value too.
            (&["-999"], &categorical, "-999.0", true),
            (&["-999"], &categorical, "-9990", false),
            (&["-999"], &integer, "-999.0", true),
            (&["-999"], &date, "-999.0", true),
        ];
        for &(tokens, opts, field, missing) in cases {
            let sep = if opts.decimal_comma == Some(true) { ";" } else { "," };
            let (a, b) = if opts.column_types.get("v") == Some(&ColumnKind::Date) { ("2024-01-01", "2024-01-02") } else { ("1", "2") };
            let text = format!("v{sep}w\n{a}{sep}x\n{field}{sep}y\n{b}{sep}z\n");
            let opts = ParseOptions { missing_tokens: std::iter::once(String::new()).chain(tokens.iter().map(|t| t.to_string())).collect(), ..opts.clone() };
            let ds = parse_csv_all_ways(text.as_bytes(), "t.csv", &opts).unwrap_or_else(|e| panic!("{tokens:?} {field:?}: {e}"));
            assert_eq!(ds.columns[0].is_missing(1), missing, "tokens {tokens:?}, field {field:?}, decimal comma {:?}", opts.decimal_comma);
            assert!(!ds.columns[0].is_missing(0) && !ds.columns[0].is_missing(2), "tokens {tokens:?}, field {field:?}");
        }
    }

    /// The default tokens are the spellings exports write, in their own
    /// case: Namibia's code `na` and a level `none` (or `NONE`) stay
    /// values, as pandas keeps them; `NA`, `#N/A`, `NULL` are missing.
    #[test]
    fn default_missing_tokens_keep_real_levels() {
        let ds = parse_csv_all_ways(b"country,arm,n\nna,none,1\nfr,NONE,NA\nNA,#N/A,NULL\nna,drug,nan\n", "t.csv", &ParseOptions::default()).unwrap();
        let texts = |c: usize| (0..4).map(|r| ds.columns[c].text(r)).collect::<Vec<_>>();
        assert_eq!(texts(0), [Some("na".into()), Some("fr".into()), None, Some("na".into())]);
        assert_eq!(texts(1), [Some("none".into()), Some("NONE".into()), None, Some("drug".into())]);
        assert_eq!((0..4).filter(|&r| ds.columns[2].is_missing(r)).count(), 3);
    }

    #[test]
    fn digest_is_of_the_bytes() {
        let ds = parse(b"a\n1\n").unwrap();
        // sha256sum of the same four bytes.
        assert_eq!(ds.sha256, "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc");
    }

    /// Any split into chunks gives the same dataset as the whole file.
    #[test]
    fn chunk_boundaries_do_not_matter() {
        let mut text = String::from("\u{feff}id;name;when;x\r\n");
        for i in 0..300 {
            text.push_str(&format!("{i};\"n\u{e9}{i}\nline\";2024-01-{:02};{},{}\r\n", i % 28 + 1, i, i % 10));
        }
        let bytes = text.as_bytes();
        let whole = parse(bytes).unwrap();
        for size in [1, 2, 3, 7, 64, 4096] {
            let mut ingest = Ingest::new("t.csv", &ParseOptions::default(), None).unwrap();
            for chunk in bytes.chunks(size) {
                ingest.push(chunk).unwrap();
            }
            assert_eq!(ingest.bytes_done(), bytes.len() as u64);
            assert_eq!(ingest.finish().unwrap(), whole, "chunks of {size}");
        }
        let u = utf16("a,b\n1,\u{1F600}\n", true);
        let whole = parse(&u).unwrap();
        let mut ingest = Ingest::new("t.csv", &ParseOptions::default(), None).unwrap();
        for chunk in u.chunks(3) {
            ingest.push(chunk).unwrap();
        }
        assert_eq!(ingest.finish().unwrap(), whole);
    }

    /// Typing columns on several threads gives the same dataset, report and
    /// sample as one thread, and the same error: the first one in row
    /// order, and within a row the first column.
    #[test]
    fn threads_change_neither_the_dataset_nor_the_error() {
        let mut state = 7u64;
        let mut rnd = move |n: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let mut text = String::from("n,i,label,when,mixed,text\n");
        for r in 0..3000 {
            let mixed = match r {
                1500 => "2021-03-04".to_string(),
                2200 => "word".to_string(),
                _ => format!("{}", rnd(100)),
            };
            let n = if rnd(20) == 0 { String::new() } else { format!("{}.{}", rnd(1000), rnd(100)) };
            let when = if r == 2500 { "NA".to_string() } else { format!("2020-{:02}-{:02}", rnd(12) + 1, rnd(28) + 1) };
            text.push_str(&format!("{n},{},c{},{when},{mixed},\"t {} \"\"q\"\" \n{}\"\n", rnd(50), rnd(7), rnd(100_000), r));
        }
        let ok = parse_csv_all_ways(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(ok.n_rows, 3000);
        assert_eq!(ok.ingest.mixed.len(), 1);
        // Sampled: the stride doubles at the same rows.
        let small = ParseOptions { max_memory_bytes: 60_000, ..ParseOptions::default() };
        let sampled = parse_csv_all_ways(text.as_bytes(), "t.csv", &small).unwrap();
        assert!(sampled.sample.as_ref().is_some_and(|s| s.stride > 1));
        let types = ParseOptions { column_types: [("i".to_string(), ColumnKind::Float), ("label".to_string(), ColumnKind::Text)].into(), ..ParseOptions::default() };
        parse_csv_all_ways(text.as_bytes(), "t.csv", &types).unwrap();
        // Errors: a bad forced value in a later column on an earlier row
        // wins over one in an earlier column on a later row; a ragged row
        // after a bad value is not reached; a non-finite value; a long field.
        let lines: Vec<&str> = text.split_inclusive("\"\n").collect();
        let with = |edits: &[(usize, &str)]| {
            let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            for &(i, s) in edits {
                l[i] = s.to_string();
            }
            l.concat()
        };
        let forced = ParseOptions { column_types: [("n".to_string(), ColumnKind::Float), ("i".to_string(), ColumnKind::Integer)].into(), ..ParseOptions::default() };
        let bad = with(&[(700, "1.5,x,c1,2020-01-01,3,\"t\"\n"), (900, "oops,2,c1,2020-01-01,3,\"t\"\n")]);
        let e = parse_csv_all_ways(bad.as_bytes(), "t.csv", &forced).unwrap_err();
        assert!(matches!(&e, DataError::BadValue { row: 701, column, .. } if column == "i"), "{e:?}");
        let bad = with(&[(700, "zz,y,c1,2020-01-01,3,\"t\"\n"), (702, "1,2\n")]);
        let e = parse_csv_all_ways(bad.as_bytes(), "t.csv", &forced).unwrap_err();
        assert!(matches!(&e, DataError::BadValue { row: 701, column, .. } if column == "n"), "{e:?}");
        let bad = with(&[(1200, "1e400,2,c1,2020-01-01,3,\"t\"\n")]);
        let e = parse_csv_all_ways(bad.as_bytes(), "t.csv", &ParseOptions::default()).unwrap_err();
        assert!(matches!(&e, DataError::NonFinite { row: 1201, .. }), "{e:?}");
        let long = format!("1,2,c1,2020-01-01,3,\"{}\"\n", "x".repeat(100));
        let bad = with(&[(1300, &long), (1400, "1,2\n")]);
        let tight = ParseOptions { max_field_bytes: 50, ..ParseOptions::default() };
        let e = parse_csv_all_ways(bad.as_bytes(), "t.csv", &tight).unwrap_err();
        assert!(matches!(&e, DataError::FieldTooLong { row: 1301, .. }), "{e:?}");
        let bad = with(&[(2999, "1,2,c1,2020-01-01,3,\"unterminated\n")]);
        let e = parse_csv_all_ways(bad.as_bytes(), "t.csv", &forced).unwrap_err();
        assert!(matches!(&e, DataError::UnterminatedQuote { .. }), "{e:?}");
    }

    /// A UTF-8 file with valid multi-byte characters (`Zürich`) and a
    /// Latin-1 byte (`Z\xFCrich`): the error recommends replacing the bad
    /// bytes first (Windows-1252 would garble every valid `ü` into `Ã¼`),
    /// and reading it as Windows-1252 anyway says how many valid UTF-8
    /// sequences it read as Windows-1252 characters, however the bytes
    /// are split (chunks, parts). With no valid UTF-8 before the bad
    /// byte, Windows-1252 is still advised first.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn mostly_utf8_with_a_latin1_byte_advises_lossy_utf8() {
        let mut bytes = b"name,city\n".to_vec();
        for i in 0..40 {
            bytes.extend_from_slice(format!("n{i},").as_bytes());
            bytes.extend_from_slice(if i == 30 { b"Z\xFCrich\n" } else if i % 2 == 1 { b"Z\xC3\xBCrich\n" } else { b"Basel\n" });
        }
        let err = parse(&bytes).unwrap_err();
        assert_eq!(err.code(), "invalid_utf8");
        let at = bytes.iter().position(|&b| b == 0xFC).unwrap();
        assert_eq!(
            err.to_string(),
            format!("t.csv: line 32: invalid UTF-8 at byte offset {at} of the file: the file holds valid UTF-8 before it (\"ü\" on line 3), so it is UTF-8 with some invalid bytes: replace them (--lossy-utf8, or \"Replace invalid UTF-8 bytes\" in the page's reading options), or fix them and save the file as UTF-8; reading it as Windows-1252 would garble every valid UTF-8 character (\"ü\" would read as \"Ã¼\")")
        );
        let opts = ParseOptions { encoding: TextEncoding::Windows1252, ..ParseOptions::default() };
        let ds = parse_csv_all_ways(&bytes, "t.csv", &opts).unwrap();
        let first = bytes.windows(2).position(|w| w == b"\xC3\xBC").unwrap();
        let notes: Vec<_> = ds.ingest.warnings.iter().filter(|w| w.code == "utf8_read_as_windows_1252").map(|w| w.message.as_str()).collect();
        assert_eq!(notes, [format!("20 valid UTF-8 sequences were read as Windows-1252 characters, the first at byte {first} (\"ü\" read as \"Ã¼\"): if the file is UTF-8 with some invalid bytes, read it as UTF-8 and replace them (--lossy-utf8, or \"Replace invalid UTF-8 bytes\" in the page's reading options)")]);
        let lossy = ParseOptions { lossy_utf8: true, ..ParseOptions::default() };
        assert_eq!(parse_csv_all_ways(&bytes, "t.csv", &lossy).unwrap().columns[1].text(1).as_deref(), Some("Zürich"));
        // Sequences of 2, 3 and 4 bytes are counted; overlong forms,
        // surrogates and cut sequences are not.
        let cases: &[(&[u8], usize)] = &[
            (b"a\nJos\xe9\n", 0),
            (b"a\n\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n", 3),
            (b"a\n\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80\n", 0),
            (b"a\n\xc3x\xe2\x82\n\xac\n", 0),
        ];
        for &(input, n) in cases {
            let ds = parse_csv_all_ways(input, "t.csv", &opts).unwrap();
            let count = ds.ingest.warnings.iter().filter(|w| w.code == "utf8_read_as_windows_1252").count();
            assert_eq!(count, usize::from(n > 0), "{input:?}");
            if n > 0 {
                assert!(ds.ingest.warnings.iter().any(|w| w.message.starts_with(&format!("{n} valid UTF-8 sequences were read"))), "{input:?}");
            }
        }
        // No valid UTF-8 before the bad byte: another encoding first.
        let err = parse(b"a,b\ncaf\xe9,1\nZ\xc3\xbcrich,2\n").unwrap_err();
        assert!(err.to_string().contains("invalid UTF-8 at byte offset 7 of the file: the file may be in another encoding, such as Windows-1252"), "{err}");
    }

    /// A binary file is named binary before its bytes are called invalid
    /// UTF-8 (which advised Windows-1252, which then called it binary):
    /// by a NUL byte in its head, or by control bytes no text holds when
    /// it is not UTF-8. A few stray NULs in a small text file are a NUL
    /// error with line and byte, not UTF-16 (two in 32 bytes read it as
    /// one line of CJK, "a header row but no data rows").
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn binary_bytes_are_named_before_invalid_utf8() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let random: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let windows_1252 = ParseOptions { encoding: TextEncoding::Windows1252, ..ParseOptions::default() };
        let lossy = ParseOptions { lossy_utf8: true, ..ParseOptions::default() };
        let nul = random.iter().position(|&b| b == 0).unwrap();
        assert!(std::str::from_utf8(&random[..nul]).is_err());
        let line = random[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        for opts in [&ParseOptions::default(), &windows_1252, &lossy] {
            let err = parse_csv_all_ways(&random, "t.csv", opts).unwrap_err();
            assert_eq!(err.to_string(), format!("t.csv: line {line}: found a NUL byte at byte {nul}; this looks like a binary file, not CSV"));
        }
        // No NUL: its control bytes.
        let no_nul: Vec<u8> = random.iter().map(|&b| b.max(1)).collect();
        let first = no_nul.iter().position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x1A | 0x1B)).unwrap();
        for opts in [&ParseOptions::default(), &windows_1252, &lossy] {
            let err = parse_csv_all_ways(&no_nul, "t.csv", opts).unwrap_err();
            assert_eq!(err.code(), "binary_file");
            let line = no_nul[..first].iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(err.to_string().starts_with(&format!("t.csv: line {line}: found the control byte 0x{:02X} at byte {first}, one of ", no_nul[first])), "{err}");
        }
        // Text with colour codes, form feeds or a few control bytes is text.
        assert_eq!(parse(b"a,b\n\x1b[31mred\x1b[0m,1\n\x0cx,2\n").unwrap().n_rows, 2);
        assert_eq!(parse_csv_all_ways(b"a,b\nJos\xe9\x01,1\n\x02,2\n", "t.csv", &windows_1252).unwrap().n_rows, 2);
        // Stray NULs in a small UTF-8 file (two in 32 bytes; one at an
        // odd offset with more text).
        let cases: &[(&[u8], &str)] = &[
            (b"a,b,y\n1,2\0,x\n3,4,y\n5,\x006,x\n7,8,y\n", "t.csv: line 2: found a NUL byte at byte 9; this looks like a binary file, not CSV"),
            (b"name,n\nMoscow,1\nParis,2\0\nRome,3\nOslo,4\n", "t.csv: line 3: found a NUL byte at byte 23; this looks like a binary file, not CSV"),
            (b"a,b\ncaf\xe9,\x001\n", "t.csv: line 2: found a NUL byte at byte 9; this looks like a binary file, not CSV"),
        ];
        for (input, message) in cases {
            assert_eq!(parse(input).unwrap_err().to_string(), *message, "{:?}", String::from_utf8_lossy(input));
        }
    }

    /// Windows-1252 text (Excel's CSV on Windows) is read when asked for:
    /// accents, the euro sign and the unassigned bytes as WHATWG maps them,
    /// split anywhere; a byte order mark still wins; a NUL is still a
    /// binary file; UTF-8 (the default) names the likely cause instead.
    #[test]
    fn windows_1252_is_read_when_asked_for() {
        let bytes = b"name;city;price\nJos\xe9;M\xe1laga;\x80 5\n\x93q\x94;\x81;x\n";
        let opts = ParseOptions { encoding: TextEncoding::Windows1252, ..ParseOptions::default() };
        let ds = parse_csv_all_ways(bytes, "t.csv", &opts).unwrap();
        assert_eq!(ds.ingest.encoding, "windows-1252");
        let labels = |c: usize| match &ds.columns[c].values {
            ColumnValues::Categorical { levels, .. } => levels.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(labels(0), ["Jos\u{e9}", "\u{201c}q\u{201d}"]);
        assert_eq!(labels(1), ["M\u{e1}laga", "\u{81}"]);
        assert_eq!(labels(2), ["\u{20ac} 5", "x"]);
        let err = parse(bytes).unwrap_err();
        assert_eq!(err.code(), "invalid_utf8");
        assert!(err.to_string().contains("--encoding windows-1252"), "{err}");
        let bom = b"\xEF\xBB\xBFa\nJos\xc3\xa9\n";
        let ds = parse_csv_all_ways(bom, "t.csv", &opts).unwrap();
        assert_eq!(ds.ingest.encoding, "utf-8-bom");
        assert!(matches!(&ds.columns[0].values, ColumnValues::Categorical { levels, .. } if levels == &["Jos\u{e9}"]));
        assert_eq!(parse_csv_all_ways(b"a,b\n1,\x002\n", "t.csv", &opts).unwrap_err().code(), "binary_file");
        // Recorded in a manifest's options only when not UTF-8.
        assert!(!serde_json::to_string(&ParseOptions::default()).unwrap().contains("encoding"));
        assert!(serde_json::to_string(&opts).unwrap().contains("\"encoding\":\"windows-1252\""));
        let back: ParseOptions = serde_json::from_str(&serde_json::to_string(&opts).unwrap()).unwrap();
        assert_eq!(back, opts);
    }

    /// Every row's values as text ("" for missing), column by column.
    fn cells(ds: &Dataset) -> Vec<Vec<String>> {
        (0..ds.n_rows)
            .map(|i| {
                ds.columns
                    .iter()
                    .map(|c| match &c.values {
                        ColumnValues::Numeric(v) => v[i].map(crate::data::format_number).unwrap_or_default(),
                        ColumnValues::Categorical { levels, codes } => codes[i].map(|k| levels[k as usize].clone()).unwrap_or_default(),
                    })
                    .collect()
            })
            .collect()
    }

    fn names(ds: &Dataset) -> Vec<String> {
        ds.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// [`parse_csv_all_ways`], and the same pushed one byte at a time.
    fn parse_every_way(bytes: &[u8], opts: &ParseOptions) -> Result<Dataset, DataError> {
        let whole = parse_csv_all_ways(bytes, "t.txt", opts);
        let bytewise = Ingest::new("t.txt", opts, Some(bytes.len() as u64)).and_then(|mut ingest| {
            for b in bytes.chunks(1) {
                ingest.push(b)?;
            }
            ingest.finish()
        });
        assert_eq!(bytewise, whole, "one byte at a time: {:?}", String::from_utf8_lossy(bytes));
        whole
    }

    /// Runs of blanks, out of quotes, become one space; blanks at a line's
    /// start and end go; quoted fields keep theirs; the text out is the
    /// same however the input is cut.
    #[test]
    fn runs_of_blanks_become_one_space() {
        use crate::data::ingest::Spaces;
        let cases: &[(&str, &str)] = &[
            ("a b\n", "a b\n"),
            ("   a   b  \n  1\t\t2\t\n", "a b\n1 2\n"),
            ("a \t b\r\n1 \t 2\r\n", "a b\r\n1 2\r\n"),
            ("x  \"chevrolet  chevelle malibu\"   3\n", "x \"chevrolet  chevelle malibu\" 3\n"),
            ("\"say \"\"hi  there\"\"\"  2\n", "\"say \"\"hi  there\"\"\" 2\n"),
            // A quote inside a value opens nothing.
            ("5\"  screen   x\n", "5\" screen x\n"),
            ("\"multi  \nline\"  1\n", "\"multi  \nline\" 1\n"),
            ("   \n\t\n a\n", "\n\na\n"),
            ("a b", "a b"),
            ("a b   ", "a b"),
        ];
        for &(input, want) in cases {
            let mut once = Vec::new();
            Spaces::new(None).feed(input.as_bytes(), &mut once);
            assert_eq!(String::from_utf8_lossy(&once), want, "{input:?}");
            let mut spaces = Spaces::new(None);
            let mut bytewise = Vec::new();
            for b in input.as_bytes().chunks(1) {
                spaces.feed(b, &mut bytewise);
            }
            assert_eq!(bytewise, once, "{input:?} one byte at a time");
        }
        // Comment lines are kept as they are, quotes and all.
        let mut out = Vec::new();
        Spaces::new(Some(b'#')).feed(b"  # a \"note  here\n a  b\n", &mut out);
        assert_eq!(out, b"# a \"note  here\na b\n");
    }

    /// Tables separated by runs of blanks read as columns, one row per
    /// input: detected, or asked for; pushed whole, in pieces, one byte at
    /// a time, in parts.
    #[test]
    fn whitespace_tables_read() {
        let auto_mpg = "18.0   8   307.0      130.0      3504.      12.0   70  1\t\"chevrolet chevelle malibu\"\n\
                        15.0   8   350.0      165.0      3693.      11.5   70  1\t\"buick skylark 320\"\n\
                        25.0   4   98.00      ?          2046.      19.0   71  1\t\"ford pinto\"\n";
        // Input, delimiter set, column names, rows.
        type Case<'a> = (&'a str, Option<Delimiter>, &'a [&'a str], &'a [&'a [&'a str]]);
        let cases: &[Case] = &[
            // Aligned columns, leading spaces, a header.
            ("  mpg  cyl   name\n 18.0    8   chevy\n  9.5   12   ford\n", None, &["mpg", "cyl", "name"], &[&["18", "8", "chevy"], &["9.5", "12", "ford"]]),
            // Tabs mixed with spaces, CRLF, trailing blanks.
            ("x \t y\r\n1\t \t2  \r\n3 4\t\r\n", None, &["x", "y"], &[&["1", "2"], &["3", "4"]]),
            // Quoted names keep their spaces; `?` and NA are missing.
            ("id score name\n1 ? \"a  b\"\n2 3.5 \"c d\"\n3 NA e\n", None, &["id", "score", "name"], &[&["1", "", "a  b"], &["2", "3.5", "c d"], &["3", "", "e"]]),
            // No header: every field of the first line is a number.
            ("1 2 3\n4 5 6\n", None, &["column_1", "column_2", "column_3"], &[&["1", "2", "3"], &["4", "5", "6"]]),
            // UCI's auto-mpg: a tab before the quoted car name, `?` missing.
            (
                auto_mpg,
                None,
                &["column_1", "column_2", "column_3", "column_4", "column_5", "column_6", "column_7", "column_8", "column_9"],
                &[
                    &["18", "8", "307", "130", "3504", "12", "70", "1", "chevrolet chevelle malibu"],
                    &["15", "8", "350", "165", "3693", "11.5", "70", "1", "buick skylark 320"],
                    &["25", "4", "98", "", "2046", "19", "71", "1", "ford pinto"],
                ],
            ),
            // Detected below a title line too (which reads at tabs as one field).
            (
                "Auto MPG, from UCI\n18.0   8   307.0      130.0      3504.      12.0   70  1\t\"chevrolet chevelle malibu\"\n15.0   8   350.0      165.0      3693.      11.5   70  1\t\"buick skylark 320\"\n25.0   4   98.00      ?          2046.      19.0   71  1\t\"ford pinto\"\n",
                None,
                &["column_1", "column_2", "column_3", "column_4", "column_5", "column_6", "column_7", "column_8", "column_9"],
                &[
                    &["18", "8", "307", "130", "3504", "12", "70", "1", "chevrolet chevelle malibu"],
                    &["15", "8", "350", "165", "3693", "11.5", "70", "1", "buick skylark 320"],
                    &["25", "4", "98", "", "2046", "19", "71", "1", "ford pinto"],
                ],
            ),
            // R's write.table(sep = " "): quoted, row names left out of the header.
            ("\"mpg\" \"cyl\"\n\"Mazda RX4\" 21 6\n\"Datsun 710\" 22.8 4\n", None, &["column_1", "mpg", "cyl"], &[&["Mazda RX4", "21", "6"], &["Datsun 710", "22.8", "4"]]),
            // Asked for: a blank line, no number needed, a last line without its end.
            ("a  b\n\nx   y\n  z w", Some(Delimiter::Whitespace), &["a", "b"], &[&["x", "y"], &["z", "w"]]),
            // Asked for, with a title above the table.
            ("Cars\n\nmpg  cyl  disp\n18 8 307\n15 8 350\n", Some(Delimiter::Whitespace), &["mpg", "cyl", "disp"], &[&["18", "8", "307"], &["15", "8", "350"]]),
        ];
        for &(input, delimiter, want_names, want_rows) in cases {
            let opts = ParseOptions { delimiter, ..ParseOptions::default() };
            let ds = parse_every_way(input.as_bytes(), &opts).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(names(&ds), want_names, "{input:?}");
            let want: Vec<Vec<String>> = want_rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect();
            assert_eq!(cells(&ds), want, "{input:?}");
            assert_eq!((ds.ingest.delimiter.as_str(), ds.delimiter), ("whitespace", b' '), "{input:?}");
            let detected = delimiter.is_none();
            assert_eq!(ds.ingest.delimiter_source, if detected { "detected" } else { "option" }, "{input:?}");
            assert_eq!(ds.ingest.warnings.iter().any(|w| w.code == "whitespace_delimiter"), detected, "{input:?}: {:?}", ds.ingest.warnings);
        }
        // Chunk boundaries anywhere (in a run, in quotes): the same dataset.
        let opts = ParseOptions::default();
        let whole = parse_csv(auto_mpg.as_bytes(), "t", &opts).unwrap();
        for chunk in 1..12 {
            let mut ingest = Ingest::new("t", &opts, None).unwrap();
            for c in auto_mpg.as_bytes().chunks(chunk) {
                ingest.push(c).unwrap();
            }
            assert_eq!(ingest.finish().unwrap(), whole, "chunks of {chunk}");
        }
        // Recorded in the options as "whitespace", read back the same.
        let opts = ParseOptions { delimiter: Some(Delimiter::Whitespace), ..ParseOptions::default() };
        let json = serde_json::to_string(&opts).unwrap();
        assert!(json.contains("\"delimiter\":\"whitespace\""), "{json}");
        assert_eq!(serde_json::from_str::<ParseOptions>(&json).unwrap(), opts);
        let tab: ParseOptions = serde_json::from_str(r#"{"delimiter":"\t"}"#).unwrap();
        assert_eq!(tab.delimiter, Some(Delimiter::Char('\t')));
        assert!(serde_json::from_str::<ParseOptions>(r#"{"delimiter":"spaces"}"#).is_err());
        assert_eq!("whitespace".parse::<Delimiter>(), Ok(Delimiter::Whitespace));
        assert_eq!("tab".parse::<Delimiter>(), Ok(Delimiter::Char('\t')));
        assert_eq!(" ".parse::<Delimiter>(), Ok(Delimiter::Char(' ')));
        // A single space as the delimiter: every space separates.
        let one = ParseOptions { delimiter: Some(' '.into()), ..ParseOptions::default() };
        let ds = parse_every_way(b"a b c\n1  2\n", &one).unwrap();
        assert_eq!((ds.ingest.delimiter.as_str(), cells(&ds)), (" ", vec![vec!["1".to_string(), String::new(), "2".into()]]));
        // Asked for, a row with another count is ragged, named by its line.
        let err = parse_every_way(b"a b\n1 2\n\n3 4 5\n", &opts).unwrap_err();
        assert!(matches!(err, DataError::RaggedRow { row: 2, line: 4, expected: 2, found: 3, .. }), "{err:?}");
        let err = parse_every_way(b"a b\n1 \"2\n", &opts).unwrap_err();
        assert_eq!(err.code(), "unterminated_quote");
    }

    /// Notes below a table (a statistics office's footnotes and source),
    /// with the whole file in view, are skipped with a note; they defeated
    /// the delimiter's and the title's detection. A last value quoted over
    /// several lines is not taken for notes, and short rows read as missing
    /// keep them as rows.
    #[test]
    fn notes_below_the_table_are_skipped() {
        let body: String = (0..12).map(|i| format!("Kreis {i};31.03.2023;{}.{:03},5;{}\r\n", 100 + i, i * 7, i % 5)).collect();
        let text = format!("Umsatz im Gastgewerbe 2023\r\nGebiet;Stichtag;Umsatz;Betriebe\r\n{body}\r\n1) vorläufig\r\n- = nichts vorhanden\r\nQuelle: Statistisches Landesamt\r\n");
        let ds = parse_every_way(text.as_bytes(), &ParseOptions::default()).unwrap();
        assert_eq!((ds.n_rows, ds.columns.len(), ds.ingest.delimiter.as_str()), (12, 4, ";"));
        let notes: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "notes_below_table").map(|w| w.message.as_str()).collect();
        assert_eq!(notes, ["3 lines below the table, from line 16 (\"1) vorläufig\"), are notes (a source, footnotes) and were skipped; to read them as rows, set short rows to missing (--short-rows missing, or \"Short rows\" in the page's reading options)"]);
        // A short table between a title and as many note lines: four rows
        // (five lines with the table's count against five without).
        for notes in ["Source: statistics office\n", "Source: statistics office\nNote: provisional figures\nContact: stats@example.org\n"] {
            let text = format!("Population by region\nYear 2023\n\nregion,men,women,total\nR0,100,110,210\nR1,101,111,212\nR2,102,112,214\nR3,103,113,216\n\n{notes}");
            let ds = parse_every_way(text.as_bytes(), &ParseOptions::default()).unwrap();
            assert_eq!((ds.n_rows, ds.columns.len()), (4, 4), "{notes:?}");
            assert!(ds.ingest.warnings.iter().any(|w| w.code == "notes_below_table"), "{notes:?}");
        }
        // A quoted source line under a comma table with quoted numbers.
        let text = "County,Households,Median Income\nA,\"12,345\",\"59,674\"\nB,\"2,345\",\"49,674\"\nC,\"1,345\",\"39,674\"\n\"Source: U.S. Census Bureau, ACS\"\n";
        let ds = parse_every_way(text.as_bytes(), &ParseOptions::default()).unwrap();
        assert_eq!(ds.n_rows, 3);
        // A last value over several lines is a value, not notes.
        let text = "a,b,c\n1,2,x\n3,4,\"a note\nover two lines\"\n";
        let ds = parse_every_way(text.as_bytes(), &ParseOptions::default()).unwrap();
        assert_eq!(ds.n_rows, 2);
        assert!(!ds.ingest.warnings.iter().any(|w| w.code == "notes_below_table"));
        // Rows, not notes: short rows at the end (an error, as before), a
        // row of one number, and two-column files whose values hold the
        // other delimiter (decimal commas, addresses).
        for text in [&b"a,b,c,d\n1,x,2,y\n2,z,3,w\n3,c\n4,d\n"[..], b"a,b,c\n1,2,3\n4,5,6\n7\n"] {
            assert_eq!(parse_every_way(text, &ParseOptions::default()).unwrap_err().code(), "ragged_row", "{:?}", String::from_utf8_lossy(text));
        }
        let semi: String = std::iter::once("x;y\n".to_string()).chain((0..40).map(|i| format!("{i},5;{},25\n", i * 2))).chain((40..45).map(|i| format!("{i};{}\n", 1000 + i))).collect();
        assert_eq!(parse_every_way(semi.as_bytes(), &ParseOptions::default()).unwrap().n_rows, 45);
        let tsv: String = std::iter::once("name\taddress\n".to_string()).chain((0..30).map(|i| format!("N{i}\t{i} Main St, Springfield, IL\n"))).chain((0..3).map(|i| format!("Other{i}\tPO Box {i}\n"))).collect();
        assert_eq!(parse_every_way(tsv.as_bytes(), &ParseOptions::default()).unwrap().n_rows, 33);
        // Short rows read as missing: the notes are rows.
        let opts = ParseOptions { short_rows: ShortRows::Missing, ..ParseOptions::default() };
        let ds = parse_every_way(b"a,b,c\n1,2,3\n4,5,6\nSource: a survey\n", &opts).unwrap();
        assert_eq!(ds.n_rows, 3);
    }

    /// Titles and notes a spreadsheet padded with delimiters to the table's
    /// width (`Quarterly sales report,,,`), and notes cut by the delimiter
    /// (`Source: Statistics Office, 2021 census.`), are skipped with the
    /// notes unpadded ones get; a last row or a row inside the table with
    /// only its first field filled in stays a row.
    #[test]
    fn padded_titles_and_notes_cut_by_the_delimiter_are_skipped() {
        let names = |ds: &Dataset| ds.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let notes = |ds: &Dataset, code: &str| ds.ingest.warnings.iter().filter(|w| w.code == code).map(|w| w.message.clone()).collect::<Vec<_>>();
        let comma = "Region,Units,Revenue,Date\nNorth,120,3400.5,2023-01-31\nSouth,143,4100.25,2023-02-28\nEast,98,2750,2023-03-31\nWest,77,1999.99,2023-04-30\n";
        let semi = "Kreis;Umsatz (Tsd. EUR);Anteil;Datum\r\nA;1.234,5;12,5;01.02.2023\r\nB;987,1;3,1;15.03.2023\r\nC;12.001,9;50;31.12.2023\r\nD;45,0;0,4;01.06.2023\r\n";
        // (text, rows, first name, lines skipped above, title note's quote, footer note's start)
        type Case<'a> = (String, usize, &'a str, usize, Option<&'a str>, Option<&'a str>);
        let cases: Vec<Case> = vec![
            (format!("Quarterly sales report,,,\nPrepared by Finance,,,\n,,,\n{comma}Source: ERP export,,,\n"), 4, "Region", 2, Some("(\"Quarterly sales report\")"), Some("line 9, \"Source: ERP export\", is a note")),
            (format!("Quarterly sales report,,,\n{comma}"), 4, "Region", 1, Some("the first line had text in its first field only"), None),
            (format!("\u{feff}sep=;\r\nStatistisches Amt;;;\r\nTabelle 1: Umsatz;;;\r\n{semi}Quelle: Amt;;;\r\n"), 4, "Kreis", 2, Some("the first 2 lines had text in their first field only"), Some("line 9, \"Quelle: Amt\"")),
            (format!("Statistisches Amt;;;\r\n{semi}"), 4, "Kreis", 1, Some("(\"Statistisches Amt\")"), None),
            // Notes padded without a mark: three words or more, longer than
            // the column's values.
            (format!("{comma}Figures are provisional,,,\nAll figures in thousands,,,\n"), 4, "Region", 0, None, Some("2 lines below the table, from line 6")),
            // A note cut by the delimiter, quoted notes, a source with a comma.
            (format!("{comma}\"Note: figures are provisional.\"\nSource: National Statistics Office, 2021 census.\n"), 4, "Region", 0, None, Some("2 lines below the table, from line 6")),
            (format!("{comma}Figures for 2021 are provisional, pending review\n"), 4, "Region", 0, None, Some("line 6, \"Figures for 2021")),
            // A statistics office's legend of cell marks, with another
            // delimiter or the file's inside it.
            (format!("{comma}\nSource: Office for National Statistics\n[c] confidential; [x] not available\n"), 4, "Region", 0, None, Some("2 lines below the table, from line 7")),
            (format!("{comma}\nSource: Office for National Statistics\n[c] confidential, [x] not available\n"), 4, "Region", 0, None, Some("2 lines below the table, from line 7")),
            (format!("{semi}Quelle: Statistisches Landesamt, 2023\r\n"), 4, "Kreis", 0, None, Some("line 6, \"Quelle: Statistisches Landesamt, 2023\"")),
            // Rows: a last row of a short code, a row with only its first
            // field inside the table, a short text as the first field.
            (format!("{comma}Z,,,\n"), 5, "Region", 0, None, None),
            ("Region,Units,Revenue,Date\nNorth,120,3400.5,2023-01-31\nCentral area,,,\nSouth,143,4100.25,2023-02-28\nEast,98,2750,2023-03-31\n".to_string(), 4, "Region", 0, None, None),
            (format!("{comma}Far North,,,\n"), 5, "Region", 0, None, None),
            // Not a title: an only name over rows with numbers.
            ("id,,,\na,1,2,3\nb,4,5,6\nc,7,8,9\n".to_string(), 3, "id", 0, None, None),
        ];
        for (text, rows, first, skipped, title, footer) in &cases {
            let ds = parse_every_way(text.as_bytes(), &ParseOptions::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!((ds.n_rows, names(&ds)[0].as_str(), ds.ingest.skipped_lines), (*rows, *first, *skipped), "{text:?}");
            let t = notes(&ds, "skipped_lines");
            match title {
                Some(m) => assert!(t.len() == 1 && t[0].contains(m), "{text:?}: {t:?}"),
                None => assert!(t.is_empty(), "{text:?}: {t:?}"),
            }
            let f = notes(&ds, "notes_below_table");
            match footer {
                Some(m) => assert!(f.len() == 1 && f[0].contains(m), "{text:?}: {f:?}"),
                None => assert!(f.is_empty(), "{text:?}: {f:?}"),
            }
            // Below a title, the header's names.
            assert!(title.is_none() || !names(&ds).iter().any(|n| n.starts_with("column_")), "{text:?}: {:?}", names(&ds));
        }
        // Short rows at the end that read as no note stay an error.
        for text in ["a,b,c\n1,2,3\n4,5,6\nLos Angeles, CA\n", "a;b;c\n1;2;3\n4;5;6\n7,5;8\n"] {
            assert_eq!(parse_every_way(text.as_bytes(), &ParseOptions::default()).unwrap_err().code(), "ragged_row", "{text:?}");
        }
        // Short rows read as missing: the padded note is a row.
        let opts = ParseOptions { short_rows: ShortRows::Missing, ..ParseOptions::default() };
        assert_eq!(parse_every_way(format!("{comma}Source: ERP export,,,\n").as_bytes(), &opts).unwrap().n_rows, 5);
    }

    /// In a file whose end the sniffer does not see (over 64 KiB), notes
    /// below the table are found as they come: a run of up to 20 records
    /// that read as notes, at the end, is skipped with the same note;
    /// followed by a row, they are rows (or a short row's error).
    #[test]
    fn notes_below_a_table_past_the_sniffed_bytes_are_skipped() {
        let body: String = (0..4000).map(|i| format!("D{i},{},{},{}.5\n", 1000 + i * 7 % 90000, 10 + i % 900, i % 800)).collect();
        let table = format!("District,Population,Area,Density\n{body}");
        assert!(table.len() > crate::data::ingest::SNIFF_BYTES);
        let notes = |ds: &Dataset| ds.ingest.warnings.iter().filter(|w| w.code == "notes_below_table").map(|w| w.message.clone()).collect::<Vec<_>>();
        // (end of the file, rows, footer note's start)
        let cases: &[(&str, usize, Option<&str>)] = &[
            ("\"Note: figures are provisional.\"\nSource: National Statistics Office, 2021 census.\n", 4000, Some("2 lines below the table, from line 4002 (\"Note: figures are provisional.\")")),
            ("Note: figures are provisional.\n\nSource: National Statistics Office\n", 4000, Some("2 lines below the table, from line 4002")),
            ("Source: ERP export,,,\n", 4000, Some("line 4002, \"Source: ERP export\", is a note")),
            ("All figures are provisional,,,\n", 4000, Some("line 4002")),
            ("Source: Office for National Statistics\n[c] confidential; [x] not available\n", 4000, Some("2 lines below the table, from line 4002")),
            // Rows: a short code, a row with only its first field inside the
            // table, a note-like row followed by rows.
            ("Z,,,\n", 4001, None),
            ("Far North,,,\n", 4001, None),
            ("Central area,,,\nD9999,5,5,5\n", 4002, None),
            ("Source: ERP export,,,\nD9999,5,5,5\n", 4002, None),
        ];
        for &(end, rows, footer) in cases {
            let text = format!("{table}{end}");
            let ds = parse_csv_all_ways(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap_or_else(|e| panic!("{end:?}: {e}"));
            assert_eq!(ds.n_rows, rows, "{end:?}");
            let f = notes(&ds);
            match footer {
                Some(m) => assert!(f.len() == 1 && f[0].contains(m), "{end:?}: {f:?}"),
                None => assert!(f.is_empty(), "{end:?}: {f:?}"),
            }
        }
        // Errors, as before: a short row followed by rows, or more than 20
        // lines of notes, names its line.
        let many = "Note: provisional\n".repeat(21);
        for (end, line) in [("Note: provisional, see below\nD9999,5,5,5\n", 4002), (many.as_str(), 4002), ("7,5\n", 4002)] {
            let text = format!("{table}{end}");
            let err = parse_csv_all_ways(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap_err();
            assert!(matches!(err, DataError::RaggedRow { line: l, .. } if l == line), "{end:?}: {err:?}");
        }
        // Short rows read as missing: the notes are rows.
        let opts = ParseOptions { short_rows: ShortRows::Missing, ..ParseOptions::default() };
        let ds = parse_csv_all_ways(format!("{table}Source: a survey, 2021\n").as_bytes(), "t.csv", &opts).unwrap();
        assert_eq!(ds.n_rows, 4001);
    }

    /// Detection of `,` `;` tab `|` is as before: runs of blanks are taken
    /// only when none of them reads as a table, and not for lines of texts.
    #[test]
    fn aligned_text_read_as_one_column_says_so() {
        let note = |text: &str| parse_csv(text.as_bytes(), "t.txt", &ParseOptions::default()).unwrap().ingest.warnings.iter().find(|w| w.code == "fixed_width").map(|w| w.message.clone());
        // A blank age: runs of spaces do not read it evenly, no delimiter does.
        let aligned = "name      age   city       score\nalice      30   Paris       1.5\nbob        41   London      2.5\ncarol           Berlin      3.5\ndave       25   Rome        4.5\n";
        let ds = parse_csv(aligned.as_bytes(), "t.txt", &ParseOptions::default()).unwrap();
        assert_eq!(ds.columns.len(), 1);
        let m = note(aligned).expect("a fixed-width note");
        assert!(m.starts_with("every line was read as one field: no delimiter splits the lines alike, but they look aligned in columns of fixed width"), "{m}");
        assert!(m.ends_with("(--delimiter whitespace, or Delimiter in the page's reading options)"), "{m}");
        // One column of texts, a table, an aligned table that reads: no note.
        for text in ["full name\nAnn Lee\nBob Ray\nCy  Young\n", "a,b\n1,2\n3,4\n5,6\n", "note\nfine  really\nok  then\nyes  sir\n", "name   age\nann    30\nbob    41\ncy     25\n"] {
            assert_eq!(note(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_short_row_between_spaces_says_a_blank_shifts_its_values() {
        // An aligned table with one blank cell: filling the row's end
        // would put Berlin under age.
        let text = "name      age   city\nalice      30   Paris\ncarol           Berlin\n";
        let opts = ParseOptions { delimiter: Some(Delimiter::Whitespace), ..Default::default() };
        let e = parse_csv(text.as_bytes(), "t.txt", &opts).unwrap_err().to_string();
        assert_eq!(e, "t.txt: row 2 (line 3) has 2 fields but the header has 3; with runs of spaces as the delimiter a blank value leaves no field, so a blank inside a row shifts the values after it: if the file's columns are aligned by position (fixed width), save it with a delimiter (a comma or a tab) from the program that wrote it; if the row only ends early, to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)");
        // With a delimiter, a short row keeps the plain advice.
        let e = parse_csv(b"a,b,c\n1,2,3\n4,5\n", "t.csv", &ParseOptions::default()).unwrap_err().to_string();
        assert!(!e.contains("runs of spaces"), "{e}");
    }

    #[test]
    fn whitespace_is_detected_only_when_nothing_else_reads() {
        let cases: &[(&str, &str, usize)] = &[
            ("a,b c\n1,2 3\n4,5 6\n", ",", 2),
            ("a;b c\n1;2 3\n4;5 6\n", ";", 2),
            ("a|b c\n1|2 3\n4|5 6\n", "|", 2),
            ("a\tb\n1\t2\n3\t4\n", "\t", 2),
            // Numbers split by blanks in a column read at tabs: aligned text.
            ("a b\tc d\n1 2\t3 4\n5 6\t7 8\n", "whitespace", 4),
            ("id\tfull name\n1\tAnn Lee\n2\tBob Ray\n", "\t", 2),
            ("id\tname\n1\tAnn Lee\n2\tBob\n", "\t", 2),
            ("a, b\n1, 2\n", ",", 2),
            ("a, b, c\n1, 2, 3\n4, 5, 6\n", ",", 3),
            ("a; b; c\n1; 2; 3\n4; 5; 6\n", ";", 3),
            // One column of two-word texts: no number, one column.
            ("full name\nAnn Lee\nBob Ray\n", ",", 1),
            // Uneven at blanks: one column.
            ("name\nAnn Lee\nBob\n", ",", 1),
            ("x\n1\n2\n", ",", 1),
            // Uneven at blanks: one column.
            ("a b\n1 2\n3 4 5\n", ",", 1),
            ("a b c\n1 2 3\n", "whitespace", 3),
        ];
        for &(input, delimiter, width) in cases {
            match parse_every_way(input.as_bytes(), &ParseOptions::default()) {
                Ok(ds) => {
                    assert_eq!((ds.ingest.delimiter.as_str(), ds.columns.len()), (delimiter, width), "{input:?}");
                    assert_eq!(ds.ingest.warnings.iter().any(|w| w.code == "whitespace_delimiter"), delimiter == "whitespace", "{input:?}");
                }
                Err(e) => panic!("{input:?}: {e}"),
            }
        }
    }

    /// Rows shorter than the header: an error by default, naming the row,
    /// line and the option; filled with missing values when asked for,
    /// with a warning giving their count and the first; a longer row is
    /// still an error. The same pushed in any pieces, on any threads, in
    /// parts.
    #[test]
    fn short_rows_are_an_error_or_filled_when_asked() {
        let text = b"a,b,c\n1,x,2\n3\n4,y\n5,z,6\n";
        let err = parse_every_way(text, &ParseOptions::default()).unwrap_err();
        assert!(matches!(err, DataError::RaggedRow { row: 2, line: 3, expected: 3, found: 1, .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with("t.txt: row 2 (line 3) has 1 field but the header has 3; "), "{message}");
        assert!(message.contains("--short-rows missing"), "{message}");
        // A long row's message does not mention it.
        let long = parse(b"a,b\n1,2,3\n").unwrap_err().to_string();
        assert!(!long.contains("short-rows"), "{long}");

        let opts = ParseOptions { short_rows: ShortRows::Missing, ..ParseOptions::default() };
        let ds = parse_every_way(text, &opts).unwrap();
        assert_eq!(cells(&ds), [["1", "x", "2"], ["3", "", ""], ["4", "y", ""], ["5", "z", "6"]].map(|r| r.map(String::from).to_vec()).to_vec());
        assert_eq!(ds.columns.iter().map(|c| c.kind()).collect::<Vec<_>>(), [ColumnKind::Integer, ColumnKind::Categorical, ColumnKind::Integer]);
        let w: Vec<_> = ds.ingest.warnings.iter().filter(|w| w.code == "short_rows_filled").collect();
        assert_eq!(w.len(), 1, "{:?}", ds.ingest.warnings);
        assert_eq!(w[0].message, "2 rows had fewer fields than the header's 3 and were filled with missing values at the end, the first at row 2 (line 3, 1 field)");
        // Without a header, the first row sets the width.
        let headerless = ParseOptions { has_header: Some(false), ..opts.clone() };
        let ds = parse_csv(b"1,2,3\n4,5,6\n7,8\n9,10,11\n", "t.csv", &headerless).unwrap();
        let w: Vec<&str> = ds.ingest.warnings.iter().filter(|w| w.code == "short_rows_filled").map(|w| w.message.as_str()).collect();
        assert_eq!(w, ["1 row had fewer fields than the first row's 3 and was filled with missing values at the end, the first at row 3 (line 3, 2 fields)"]);
        // Blank lines stay blank lines; a longer row is still an error.
        let ds = parse_every_way(b"a,b\n1,2\n  \n3\n", &opts).unwrap();
        assert_eq!((ds.n_rows, ds.ingest.blank_lines), (2, 1));
        assert!(ds.ingest.warnings.iter().any(|w| w.message.starts_with("1 row had") && w.message.contains("row 2 (line 4, 1 field)")), "{:?}", ds.ingest.warnings);
        let err = parse_every_way(b"a,b\n1\n1,2,3\n", &opts).unwrap_err();
        assert!(matches!(err, DataError::RaggedRow { row: 2, line: 3, expected: 2, found: 3, .. }), "{err:?}");
        // Not filled with the empty token's reading: missing even when ""
        // is not a missing-value token.
        let strict = ParseOptions { missing_tokens: vec!["NA".into()], ..opts.clone() };
        let ds = parse_every_way(b"a,b\nx,y\nz\n", &strict).unwrap();
        assert!(ds.columns[1].is_missing(1));
        // With runs of blanks too.
        let ws = ParseOptions { delimiter: Some(Delimiter::Whitespace), ..opts.clone() };
        let ds = parse_every_way(b"a b c\n 1 2 3\n 4\n", &ws).unwrap();
        assert_eq!(cells(&ds)[1], ["4", "", ""]);
        // Many rows, so that parts and typing batches split among them.
        let mut big = b"n,label,x\n".to_vec();
        for i in 0..300 {
            big.extend(if i % 7 == 3 { format!("{i}\n") } else if i % 11 == 5 { format!("{i},l{}\n", i % 4) } else { format!("{i},l{},{}.5\n", i % 4, i) }.as_bytes());
        }
        let ds = parse_every_way(&big, &opts).unwrap();
        let filled = (0..300).filter(|i| i % 7 == 3 || i % 11 == 5).count();
        let w = ds.ingest.warnings.iter().find(|w| w.code == "short_rows_filled").unwrap();
        assert!(w.message.starts_with(&format!("{filled} rows had")) && w.message.ends_with("the first at row 4 (line 5, 1 field)"), "{}", w.message);
        // Recorded in the options only when set.
        assert!(!serde_json::to_string(&ParseOptions::default()).unwrap().contains("shortRows"));
        let json = serde_json::to_string(&opts).unwrap();
        assert!(json.contains("\"shortRows\":\"missing\""), "{json}");
        assert_eq!(serde_json::from_str::<ParseOptions>(&json).unwrap(), opts);
    }
}
