//! CSV ingestion: checks on the raw bytes, delimiter detection, parsing with
//! the `csv` crate, and type inference per column.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::{Column, ColumnValues, DataError, Dataset};

/// Limits and choices for reading a CSV file. The defaults suit a browser tab.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseOptions {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Most data rows accepted.
    pub max_rows: usize,
    /// Most columns accepted.
    pub max_columns: usize,
    /// Most memory the parsed columns may take, in bytes (the file's own
    /// bytes are not counted). wasm32 has 4 GiB in all.
    pub max_memory_bytes: usize,
    /// Longest field accepted, in bytes.
    pub max_field_bytes: usize,
    /// Longest column name accepted, in characters.
    pub max_header_chars: usize,
    /// Tokens read as missing (compared case-insensitively after trimming).
    pub missing_tokens: Vec<String>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_bytes: 1 << 30,
            max_rows: 10_000_000,
            max_columns: 10_000,
            max_memory_bytes: 1_536 << 20,
            max_field_bytes: 1 << 20,
            max_header_chars: 1_000,
            missing_tokens: ["", "na", "n/a", "null", "nan", "none", "?", "-"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl ParseOptions {
    fn is_missing(&self, field: &str) -> bool {
        let t = field.trim();
        self.missing_tokens.iter().any(|m| m.eq_ignore_ascii_case(t))
    }
}

/// 1-based line number of byte offset `byte` in `bytes`.
fn line_of(bytes: &[u8], byte: usize) -> usize {
    1 + bytes[..byte.min(bytes.len())].iter().filter(|&&b| b == b'\n').count()
}

/// Parses CSV `bytes` read from `file_name` into a typed [`Dataset`].
///
/// ```
/// use mlcycle::data::{parse_csv, ColumnKind, ParseOptions};
/// let ds = parse_csv(b"x,label\n1.5,a\n,b\n", "t.csv", &ParseOptions::default()).unwrap();
/// assert_eq!(ds.n_rows, 2);
/// assert_eq!(ds.columns[0].kind(), ColumnKind::Numeric);
/// assert!(ds.columns[0].is_missing(1));
/// ```
pub fn parse_csv(bytes: &[u8], file_name: &str, opts: &ParseOptions) -> Result<Dataset, DataError> {
    let file = file_name.to_string();
    if bytes.len() > opts.max_bytes {
        return Err(DataError::TooLarge { file, bytes: bytes.len(), limit: opts.max_bytes });
    }
    let sha256 = hex::encode(Sha256::digest(bytes));

    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DataError::Utf16 { file });
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::EmptyFile { file });
    }
    if let Some(byte) = body.iter().position(|&b| b == 0) {
        let offset = byte + (bytes.len() - body.len());
        return Err(DataError::Binary { file, line: line_of(body, byte), byte: offset });
    }
    if let Err(e) = std::str::from_utf8(body) {
        let byte = e.valid_up_to();
        let offset = byte + (bytes.len() - body.len());
        return Err(DataError::InvalidUtf8 { file, line: line_of(body, byte), byte: offset });
    }

    // An Excel "sep=;" first line names the delimiter and is not data.
    let (body, forced) = strip_sep_line(body);
    let delimiter = forced.unwrap_or_else(|| detect_delimiter(body));
    let line_offset = usize::from(forced.is_some());
    if let Some(line) = unterminated_quote_line(body) {
        return Err(DataError::UnterminatedQuote { file, line });
    }

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut records = reader.records();

    let header = match records.next() {
        None => return Err(DataError::EmptyFile { file }),
        Some(r) => r.map_err(|e| csv_error(&file, e))?,
    };
    let names = check_header(&header, &file, opts)?;
    let width = names.len();

    // Two passes over the bytes keep memory to the typed columns: the first
    // checks every row and decides each column's kind, the second fills
    // numbers or label codes. Raw text is never held for the whole file.
    let reader = || {
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(body)
    };
    let mut numeric = vec![true; width];
    let mut first_non_finite: Vec<Option<(usize, usize, String)>> = vec![None; width];
    let mut n_rows = 0usize;
    let mut rdr = reader();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&file, e)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize) + line_offset;
        if record.len() != width {
            // A lone blank field on its own line is a blank line, not data.
            if record.len() == 1 && record[0].trim().is_empty() {
                continue;
            }
            return Err(DataError::RaggedRow { file, row: n_rows + 1, line, expected: width, found: record.len() });
        }
        n_rows += 1;
        if n_rows > opts.max_rows {
            return Err(DataError::TooManyRows { file, limit: opts.max_rows });
        }
        for (c, field) in record.iter().enumerate() {
            if field.len() > opts.max_field_bytes {
                return Err(DataError::FieldTooLong {
                    file,
                    row: n_rows,
                    line,
                    column: names[c].clone(),
                    length: field.len(),
                    limit: opts.max_field_bytes,
                });
            }
            if numeric[c] && !opts.is_missing(field) {
                match field.trim().parse::<f64>() {
                    Ok(x) if !x.is_finite() && first_non_finite[c].is_none() => {
                        first_non_finite[c] = Some((n_rows, line, field.to_string()));
                    }
                    Ok(_) => {}
                    Err(_) => numeric[c] = false,
                }
            }
        }
    }
    if n_rows == 0 {
        return Err(DataError::NoRows { file });
    }
    // A number that is not finite (`inf`, `1e400`) in a numeric column is an
    // error, never a value.
    for c in 0..width {
        if let (true, Some((row, line, value))) = (numeric[c], first_non_finite[c].take()) {
            return Err(DataError::NonFinite { file, row, line, column: names[c].clone(), value });
        }
    }

    // Check the memory the columns will take before taking it, with
    // arithmetic that cannot overflow on 32-bit wasm.
    let per_row: usize = numeric
        .iter()
        .map(|&n| if n { std::mem::size_of::<Option<f64>>() } else { std::mem::size_of::<Option<u32>>() })
        .sum();
    let needed = per_row.saturating_mul(n_rows);
    let too_much = |needed| DataError::TooMuchMemory {
        file: file.clone(),
        rows: n_rows,
        columns: width,
        needed,
        limit: opts.max_memory_bytes,
    };
    if needed > opts.max_memory_bytes {
        return Err(too_much(needed));
    }
    let mut builders: Vec<Builder> = Vec::with_capacity(width);
    for &is_numeric in &numeric {
        builders.push(if is_numeric { Builder::numeric(n_rows) } else { Builder::categorical(n_rows) }.ok_or_else(|| too_much(needed))?);
    }
    let mut rdr = reader();
    while rdr.read_record(&mut record).map_err(|e| csv_error(&file, e))? {
        if record.len() != width {
            continue;
        }
        for (b, field) in builders.iter_mut().zip(record.iter()) {
            b.push(field, opts);
        }
    }
    let columns = names.into_iter().zip(builders).map(|(name, b)| Column { name, values: b.finish() }).collect();
    Ok(Dataset { file_name: file, sha256, columns, n_rows, delimiter })
}

fn csv_error(file: &str, e: csv::Error) -> DataError {
    let line = e.position().map_or(0, |p| p.line() as usize);
    DataError::Csv { file: file.to_string(), line, message: e.to_string() }
}

fn check_header(header: &csv::StringRecord, file: &str, opts: &ParseOptions) -> Result<Vec<String>, DataError> {
    if header.len() > opts.max_columns {
        return Err(DataError::TooManyColumns { file: file.to_string(), columns: header.len(), limit: opts.max_columns });
    }
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    let mut seen = std::collections::HashMap::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(DataError::EmptyHeader { file: file.to_string(), index: i + 1 });
        }
        let length = name.chars().count();
        if length > opts.max_header_chars {
            return Err(DataError::HeaderTooLong { file: file.to_string(), index: i + 1, length, limit: opts.max_header_chars });
        }
        if let Some(first) = seen.insert(name.clone(), i + 1) {
            return Err(DataError::DuplicateHeader { file: file.to_string(), name, first, second: i + 1 });
        }
        names.push(name);
    }
    Ok(names)
}

/// Fills one column's values in the second pass.
enum Builder {
    Numeric(Vec<Option<f64>>),
    Categorical { levels: Vec<String>, index: HashMap<String, u32>, codes: Vec<Option<u32>> },
}

impl Builder {
    /// `None` when the allocator cannot give the room (fallible: a huge file
    /// must be an error, not an abort that kills the wasm instance).
    fn numeric(rows: usize) -> Option<Builder> {
        let mut v = Vec::new();
        v.try_reserve_exact(rows).ok()?;
        Some(Builder::Numeric(v))
    }

    fn categorical(rows: usize) -> Option<Builder> {
        let mut codes = Vec::new();
        codes.try_reserve_exact(rows).ok()?;
        Some(Builder::Categorical { levels: Vec::new(), index: HashMap::new(), codes })
    }

    fn push(&mut self, field: &str, opts: &ParseOptions) {
        let missing = opts.is_missing(field);
        match self {
            // The first pass proved every present value parses.
            Builder::Numeric(v) => v.push(if missing { None } else { field.trim().parse().ok() }),
            Builder::Categorical { levels, index, codes } => {
                if missing {
                    codes.push(None);
                    return;
                }
                let key = field.trim();
                let code = match index.get(key) {
                    Some(&c) => c,
                    None => {
                        let c = levels.len() as u32;
                        levels.push(key.to_string());
                        index.insert(key.to_string(), c);
                        c
                    }
                };
                codes.push(Some(code));
            }
        }
    }

    fn finish(self) -> ColumnValues {
        match self {
            Builder::Numeric(v) => ColumnValues::Numeric(v),
            Builder::Categorical { levels, codes, .. } => ColumnValues::Categorical { levels, codes },
        }
    }
}

/// Strips an Excel `sep=X` first line and returns the delimiter it names.
fn strip_sep_line(body: &[u8]) -> (&[u8], Option<u8>) {
    if body.len() >= 5 && body[..4].eq_ignore_ascii_case(b"sep=") {
        let end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
        let line = &body[..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() == 5 {
            let rest = if end < body.len() { &body[end + 1..] } else { &[][..] };
            return (rest, Some(line[4]));
        }
    }
    (body, None)
}

/// Picks the delimiter that occurs most often, outside quotes, in the first
/// line; a comma when none occurs.
fn detect_delimiter(body: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for &b in body {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
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

/// The 1-based line of a quote that opens a field and is never closed.
/// The `csv` crate would silently read such a field to the end of the file.
fn unterminated_quote_line(body: &[u8]) -> Option<usize> {
    let mut line = 1;
    let mut open_line = 0;
    let mut in_quotes = false;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if in_quotes {
            if b == b'"' {
                if body.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' {
            in_quotes = true;
            open_line = line;
        }
        if b == b'\n' {
            line += 1;
        }
        i += 1;
    }
    in_quotes.then_some(open_line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ColumnKind;

    fn parse(s: &[u8]) -> Result<Dataset, DataError> {
        parse_csv(s, "t.csv", &ParseOptions::default())
    }

    /// One row per input: the bytes and the error code or the shape expected.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn bad_inputs_give_their_specific_error() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty_file"),
            (b"  \n\n", "empty_file"),
            (b"a,b\n", "no_rows"),
            (b"a,b\n1,2\n3\n", "ragged_row"),
            (b"a,b\n1,2,3\n", "ragged_row"),
            (b"a,b\n\"1,2\n", "unterminated_quote"),
            (b"\xFF\xFEa\x00,\x00b\x00", "utf16"),
            (b"a,b\n1,\xC3\x28\n", "invalid_utf8"),
            (b"a,b\n1,\x002\n", "binary_file"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary_file"),
            (b"a,a\n1,2\n", "duplicate_header"),
            (b"a,,c\n1,2,3\n", "empty_header"),
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
        let err = parse(b"a,b\n1,2\n3,4\n5\n").unwrap_err();
        assert_eq!(err.to_string(), "t.csv: row 3 (line 4) has 1 fields but the header has 2");
        let err = parse(b"a,b\n1,2\n3,-inf\n").unwrap_err();
        assert_eq!(err.to_string(), "t.csv: row 2 (line 3), column \"b\": \"-inf\" is not a finite number");
        let err = parse(b"sep=,\na,b\n1,2\n3\n").unwrap_err();
        assert_eq!(err.to_string(), "t.csv: row 2 (line 4) has 1 fields but the header has 2");
        let err = parse(b"a,b\nx,\"open\n\n").unwrap_err();
        assert_eq!(err.to_string(), "t.csv: line 2: a quoted field opened here is never closed");
    }

    #[test]
    fn limits_are_named() {
        let opts = ParseOptions { max_columns: 2, max_header_chars: 3, ..ParseOptions::default() };
        let err = parse_csv(b"a,b,c\n1,2,3\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.code(), "too_many_columns");
        assert!(err.to_string().contains("limit of 2"));
        let err = parse_csv(b"abcd\n1\n", "t.csv", &opts).unwrap_err();
        assert_eq!(err.code(), "header_too_long");
        let opts = ParseOptions { max_memory_bytes: 40, ..ParseOptions::default() };
        let err = parse_csv(b"a,b\n1,x\n2,y\n3,z\n", "t.csv", &opts).unwrap_err();
        // 3 rows × (16 bytes for a number + 8 for a label) = 72 bytes.
        assert_eq!(err.to_string(), "t.csv: 3 rows × 2 columns need about 72 bytes of memory once parsed, over the limit of 40 bytes");
        let opts = ParseOptions { max_bytes: 4, ..ParseOptions::default() };
        assert_eq!(parse_csv(b"a,b\n1,2\n", "t.csv", &opts).unwrap_err().code(), "too_large");
    }

    /// One row per input: the bytes, the delimiter and column kinds expected.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn good_inputs_parse() {
        use ColumnKind::*;
        let cases: &[(&[u8], u8, &[ColumnKind], usize)] = &[
            (b"a,b\n1,x\n2,y\n", b',', &[Numeric, Categorical], 2),
            (b"\xEF\xBB\xBFa;b\r\n1;x\r\n2;y\r\n", b';', &[Numeric, Categorical], 2),
            (b"a\tb\n1\t2\n", b'\t', &[Numeric, Numeric], 1),
            (b"a|b\n1|2\n", b'|', &[Numeric, Numeric], 1),
            (b"sep=;\na;b\n1;2\n", b';', &[Numeric, Numeric], 1),
            (b"a,b\n1,x\n2.5,1\n", b',', &[Numeric, Categorical], 2),
            (b"a,b\n\"multi\nline\",1\n\"say \"\"hi\"\"\",2\n", b',', &[Categorical, Numeric], 2),
            (b"a,b\nNA,1\n?,2\n3,\n", b',', &[Numeric, Numeric], 3),
            (b"a,b\n1,2\n\n3,4\n", b',', &[Numeric, Numeric], 2),
        ];
        for (input, delim, kinds, rows) in cases {
            let ds = parse(input).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(input)));
            assert_eq!(ds.delimiter, *delim);
            assert_eq!(ds.columns.iter().map(|c| c.kind()).collect::<Vec<_>>(), *kinds);
            assert_eq!(ds.n_rows, *rows);
        }
    }

    #[test]
    fn missing_values_stay_missing_and_text_is_kept() {
        let ds = parse(b"n,s\n1,\"say \"\"hi\"\"\"\nNA,null\n").unwrap();
        assert!(ds.columns[0].is_missing(1));
        assert!(ds.columns[1].is_missing(1));
        assert_eq!(ds.columns[1].text(0).as_deref(), Some("say \"hi\""));
    }

    #[test]
    fn digest_is_of_the_bytes() {
        let ds = parse(b"a\n1\n").unwrap();
        // sha256sum of the same four bytes.
        assert_eq!(ds.sha256, "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc");
    }
}
