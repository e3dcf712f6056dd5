// Any bytes through CSV ingestion: an error is fine, a panic is a finding.
// On success the Dataset must be well formed: at least one row, named and
// distinct columns, every column `n_rows` long, numbers finite and written
// back (as the profile and manifest show them) to the same value, label
// codes inside the level table.
//
// Shared by the fuzz target (fuzz/fuzz_targets/csv_ingest.rs) and the native
// regression test (tests/fuzz_regressions.rs), which replays every kept
// input under fuzz/regressions/csv_ingest/ and fuzz/seeds/csv_ingest/.
use std::collections::HashSet;

use mlcycle::data::{format_number, parse_csv, ColumnKind, ColumnValues, Dataset, Delimiter, Ingest, ParseOptions, ShortRows};

/// Checks one input; panics on a finding.
pub fn check_input(data: &[u8]) {
    if let Ok(ds) = parse_csv(data, "fuzz.csv", &ParseOptions::default()) {
        check(&ds);
        // The first column set to a date type (ISO or local forms), and to
        // boolean (spellings merged): errors are fine, what reads must hold.
        for kind in [ColumnKind::Date, ColumnKind::DateTime, ColumnKind::Boolean] {
            let set = ParseOptions { column_types: [(ds.columns[0].name.clone(), kind)].into(), ..ParseOptions::default() };
            if let Ok(forced) = parse_csv(data, "fuzz.csv", &set) {
                check(&forced);
                assert_eq!(forced.columns[0].kind, kind);
            }
        }
    }
    // Comment lines and a skipped first line take their own paths.
    let commented = ParseOptions { comment: Some('#'), skip_lines: Some(1), ..ParseOptions::default() };
    if let Ok(ds) = parse_csv(data, "fuzz.csv", &commented) {
        check(&ds);
    }
    // Runs of blanks as the delimiter, and short rows filled, with
    // comments; and backslash escapes (their own quote tracking).
    let spaced = ParseOptions { delimiter: Some(Delimiter::Whitespace), short_rows: ShortRows::Missing, comment: Some('#'), ..ParseOptions::default() };
    same_whole_and_bytewise(data, &spaced, "runs of blanks");
    let escaped = ParseOptions { backslash_escapes: Some(true), ..ParseOptions::default() };
    same_whole_and_bytewise(data, &escaped, "backslash escapes");
    // Tight limits, so small inputs reach every limit check; what is
    // accepted must respect them.
    let tight = ParseOptions {
        max_bytes: 1024,
        max_rows: 6,
        max_columns: 5,
        max_field_bytes: 12,
        max_header_chars: 6,
        ..ParseOptions::default()
    };
    if let Ok(ds) = parse_csv(data, "fuzz.csv", &tight) {
        check(&ds);
        assert!(data.len() <= tight.max_bytes);
        assert!(ds.n_rows <= tight.max_rows, "{} rows", ds.n_rows);
        assert!(ds.columns.len() <= tight.max_columns, "{} columns", ds.columns.len());
    }
}

/// Reads `data` with `opts` whole, checks what reads, and (up to 4 KiB)
/// the same one byte at a time.
fn same_whole_and_bytewise(data: &[u8], opts: &ParseOptions, what: &str) {
    let whole = parse_csv(data, "fuzz.csv", opts);
    if let Ok(ds) = &whole {
        check(ds);
    }
    if data.len() <= 4096 {
        let bytewise = Ingest::new("fuzz.csv", opts, Some(data.len() as u64)).and_then(|mut ingest| {
            for b in data.chunks(1) {
                ingest.push(b)?;
            }
            ingest.finish()
        });
        assert_eq!(bytewise, whole, "{what}, one byte at a time");
    }
}

fn check(ds: &Dataset) {
    assert!(ds.n_rows > 0, "a dataset without rows");
    assert!(!ds.columns.is_empty(), "a dataset without columns");
    assert_eq!(ds.sha256.len(), 64);
    assert_eq!(ds.schema().len(), ds.columns.len());
    let mut names = HashSet::new();
    for c in &ds.columns {
        assert!(!c.name.is_empty(), "an empty column name");
        assert!(names.insert(c.name.as_str()), "column name {:?} twice", c.name);
        match &c.values {
            ColumnValues::Numeric(v) => {
                assert_eq!(v.len(), ds.n_rows, "column {:?}", c.name);
                for x in v.iter().flatten() {
                    assert!(x.is_finite(), "column {:?} holds {x}", c.name);
                    let text = format_number(*x);
                    let back: f64 = text.parse().unwrap_or_else(|_| panic!("{text:?} does not parse"));
                    assert_eq!(back.to_bits() & !(1 << 63), x.to_bits() & !(1 << 63), "{x:?} written as {text:?}");
                }
            }
            ColumnValues::Categorical { levels, codes } => {
                assert_eq!(codes.len(), ds.n_rows, "column {:?}", c.name);
                assert!(codes.iter().flatten().all(|&k| (k as usize) < levels.len()));
            }
        }
        for i in 0..ds.n_rows {
            assert_eq!(c.text(i).is_none(), c.is_missing(i));
        }
    }
}
