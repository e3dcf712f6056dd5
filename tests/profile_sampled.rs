//! A file larger than the memory budget: ingestion keeps a sample (rows
//! chosen by a hash of their number) within the budget, the profile keeps exact all-row figures
//! (count, missing, min, max, mean, std) and estimates the rest within
//! their stated error, and nothing depends on how the bytes were chunked.
//! The data is generated here, row by row, never committed.

use mlcycle::data::{parse_csv, Ingest, OverBudget, ParseOptions};
use mlcycle::profile::profile;

/// A deterministic value stream (SplitMix64), so a second pass sees the
/// same numbers.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Row `i`: a unique id, a float with 10% missing, a label of 12, a date,
/// a text with about `rows / 3` distinct values.
fn x_value(i: u64) -> Option<f64> {
    let h = mix(i);
    (h % 10 != 0).then(|| ((h >> 11) % 2_000_001) as f64 / 1000.0 - 700.0)
}

fn row(i: u64, out: &mut String) {
    use std::fmt::Write;
    let h = mix(i ^ 0xABCD);
    let x = x_value(i).map_or(String::new(), |x| x.to_string());
    let _ = writeln!(out, "{i},{x},c{},2020-{:02}-{:02},w{}", h % 12, 1 + h % 12, 1 + (h >> 8) % 28, (h >> 20) % (i / 3 + 1));
}

const HEADER: &str = "id,x,cat,day,word\n";

#[test]
fn a_stream_over_the_budget_is_sampled_with_exact_figures() {
    let rows: u64 = 1_300_000;
    let budget = 16 << 20;
    let opts = ParseOptions { max_memory_bytes: budget, ..ParseOptions::default() };
    let mut ingest = Ingest::new("big.csv", &opts, None).unwrap();
    ingest.push(HEADER.as_bytes()).unwrap();
    let mut chunk = String::new();
    let (mut bytes, mut most_held) = (0usize, 0usize);
    for i in 0..rows {
        row(i, &mut chunk);
        if chunk.len() >= 1 << 20 || i + 1 == rows {
            ingest.push(chunk.as_bytes()).unwrap();
            bytes += chunk.len();
            chunk.clear();
            most_held = most_held.max(ingest.held_bytes());
            assert!(ingest.held_bytes() <= budget, "{} bytes held, budget {budget}", ingest.held_bytes());
        }
    }
    assert!(bytes > 50_000_000, "only {bytes} bytes generated");
    let ds = ingest.finish().unwrap();
    let s = ds.sample.as_ref().expect("sampled");
    assert_eq!(s.total_rows, rows as usize);
    assert_eq!(s.kept_rows, ds.n_rows);
    let kept = (0..rows as usize).filter(|&r| mlcycle::data::sample_keeps(r, s.stride)).count();
    assert_eq!(s.kept_rows, kept);
    assert!((kept as f64 * s.stride as f64 / rows as f64 - 1.0).abs() < 0.02, "{kept} kept at stride {}", s.stride);
    assert!(ds.ingest.warnings.iter().any(|w| w.code == "sampled" && w.message.contains(&budget.to_string())));
    let p = profile(&ds);
    // A unique id is seen once among the kept rows: no top value is listed
    // for it (each was listed as seen "≈stride" times).
    assert!(p.columns[0].top.is_empty(), "id top values: {:?}", p.columns[0].top);
    // Its identifier alert says "every one" of the rows: an estimated
    // distinct count is judged within its error, with no repeats to name.
    let id = p.alerts.iter().find(|a| a.columns == ["id"] && a.message.contains("identifier")).expect("an identifier alert on id");
    assert_eq!(id.message, format!("\"id\" has a different value in every one of {rows} rows: it looks like an identifier"));
    assert_eq!(p.rows, rows as usize);

    // Two-pass reference for x.
    let (mut n, mut sum, mut min, mut max) = (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    for i in 0..rows {
        if let Some(x) = x_value(i) {
            n += 1;
            sum += x;
            min = min.min(x);
            max = max.max(x);
        }
    }
    let mean = sum / n as f64;
    let ss: f64 = (0..rows).filter_map(x_value).map(|x| (x - mean) * (x - mean)).sum();
    let std = (ss / (n - 1) as f64).sqrt();
    let x = &p.columns[1];
    assert_eq!((x.count, x.missing), (n, rows as usize - n));
    assert_eq!((x.min, x.max), (Some(min), Some(max)));
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
    assert!(rel(x.mean.unwrap(), mean) < 1e-9, "mean {:?} vs {mean}", x.mean);
    assert!(rel(x.std.unwrap(), std) < 1e-9, "std {:?} vs {std}", x.std);
    // Quartiles over every row from the KLL sketch: each within its
    // stated rank error of the exact one.
    let mut all: Vec<f64> = (0..rows).filter_map(x_value).collect();
    all.sort_unstable_by(f64::total_cmp);
    let error = x.quantile_rank_error.expect("quartiles from the sketch");
    assert!(error > 0.0 && error < 0.01, "stated rank error {error}");
    for (p_want, got) in [(0.25, x.q1), (0.5, x.median), (0.75, x.q3)] {
        let got = got.unwrap();
        let (lo, hi) = (all.partition_point(|&v| v < got) as f64 / n as f64, all.partition_point(|&v| v <= got) as f64 / n as f64);
        let off = if p_want < lo { lo - p_want } else if p_want > hi { p_want - hi } else { 0.0 };
        assert!(off <= error, "quantile {p_want}: {got} is {off} of the rows away in rank (stated {error})");
    }
    for f in ["distinct", "median", "histogram"] {
        assert!(x.approximate.iter().any(|a| a == f), "{f} not marked in {:?}", x.approximate);
    }
    assert!(!x.approximate.iter().any(|a| a == "mean" || a == "count"));

    // Distinct counts: ids are all distinct; labels exact.
    let sigma = p.sample.as_ref().unwrap().distinct_std_error;
    let id = &p.columns[0];
    let raw_id = rel(s.columns[0].distinct_estimate, rows as f64);
    let words: std::collections::HashSet<u64> = (0..rows).map(|i| (mix(i ^ 0xABCD) >> 20) % (i / 3 + 1)).collect();
    let raw_word = rel(s.columns[4].distinct_estimate, words.len() as f64);
    eprintln!(
        "{bytes} bytes, {rows} rows; HLL relative error: ids {raw_id:.4}, words {raw_word:.4} of {} (stated {sigma:.4}); most held {most_held} of {budget} bytes; stride {}",
        words.len(),
        s.stride
    );
    assert!(raw_id < 3.0 * sigma && raw_word < 3.0 * sigma);
    assert!(rel(id.distinct as f64, rows as f64) < 3.0 * sigma, "distinct {} vs {rows}", id.distinct);
    assert!(rel(p.columns[4].distinct as f64, words.len() as f64) < 3.0 * sigma);
    assert_eq!((id.min, id.max), (Some(0.0), Some((rows - 1) as f64)));
    let cat = &p.columns[2];
    assert_eq!(cat.distinct, 12);
    assert!(cat.approximate.is_empty(), "{:?}", cat.approximate);
    assert_eq!(cat.top.iter().map(|t| t.count).sum::<usize>(), {
        let mut c = [0usize; 12];
        (0..rows).for_each(|i| c[(mix(i ^ 0xABCD) % 12) as usize] += 1);
        let mut c = c.to_vec();
        c.sort_unstable_by(|a, b| b.cmp(a));
        c[..5].iter().sum::<usize>()
    });
    let word = &p.columns[4];
    assert!(word.approximate.iter().any(|a| a == "distinct"));
    assert!(word.top_error.is_some());
    // Its top values are those the summary can rank: seen at least 10 times
    // and more often than its error (a word seen once was listed as 1).
    let least = 10.max(word.top_error.unwrap_or(0) + 1);
    assert!(word.top.iter().all(|t| t.count >= least), "{:?} (error {:?})", word.top, word.top_error);
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains("\"approximate\"") && json.contains("\"sample\""));
    let html = mlcycle::report::html(&p);
    assert!(html.contains("≈") && html.contains("sampled"));
    // The sketch's error is said as what it is, a standard error, with the
    // range most counts fall in (a tester read "within about ±1.6%" as a bound).
    assert!(html.contains("with a standard error of 1.6% (about 95% of such counts fall within ±3.2%)"), "{}", &html[..html.len().min(3000)]);
}

/// The same bytes pushed in chunks of 1, 7, 4096 bytes or all at once give
/// the same dataset and profile, sampled several times over.
/// Hourly readings, 24 rows to a day: a sample of every 8th row saw only
/// hours 0, 8 and 16 (each counted as 8 times its share); the hashed sample
/// sees every hour about equally.
#[test]
fn periodic_rows_are_not_aliased_by_the_sample() {
    let rows = 600_000usize;
    let mut text = String::from("site,hour,load\n");
    for i in 0..rows {
        let h = i % 24;
        text.push_str(&format!("s{},{h},{:.1}\n", i / 24 % 50, 10.0 + h as f64 * 0.5));
    }
    let opts = ParseOptions { max_memory_bytes: 2 << 20, ..ParseOptions::default() };
    let ds = parse_csv(text.as_bytes(), "hourly.csv", &opts).unwrap();
    let s = ds.sample.as_ref().expect("sampled");
    assert!(s.stride >= 8, "stride {}", s.stride);
    let p = profile(&ds);
    let hour = &p.columns[1];
    assert_eq!((hour.min, hour.max), (Some(0.0), Some(23.0)));
    // Every hour among the kept rows, each near 1/24 of them.
    let mut seen = [0usize; 24];
    let mlcycle::data::ColumnValues::Numeric(v) = &ds.columns[1].values else { panic!("hour is not numeric") };
    for x in v.iter().filter_map(|x| x.get()) {
        seen[x as usize] += 1;
    }
    let share = ds.n_rows as f64 / 24.0;
    assert!(seen.iter().all(|&n| (n as f64 - share).abs() < 0.15 * share), "kept rows per hour: {seen:?}");
    assert_eq!(hour.histogram.len(), 20);
}

#[test]
fn sampling_does_not_depend_on_chunks() {
    let mut text = HEADER.to_string();
    for i in 0..6_000 {
        row(i, &mut text);
    }
    let opts = ParseOptions { max_memory_bytes: 64 << 10, ..ParseOptions::default() };
    let whole = parse_csv(text.as_bytes(), "t.csv", &opts).unwrap();
    let s = whole.sample.as_ref().expect("sampled");
    assert!(s.stride >= 4, "stride {}", s.stride);
    let want = serde_json::to_string(&profile(&whole)).unwrap();
    for size in [1, 7, 4096] {
        let mut ingest = Ingest::new("t.csv", &opts, Some(text.len() as u64)).unwrap();
        for c in text.as_bytes().chunks(size) {
            ingest.push(c).unwrap();
            assert!(ingest.held_bytes() <= opts.max_memory_bytes);
        }
        let ds = ingest.finish().unwrap();
        assert!(ds == whole, "chunks of {size} gave another dataset");
        assert_eq!(serde_json::to_string(&profile(&ds)).unwrap(), want, "chunks of {size}");
    }
    // A stream of unknown size (a pipe) begins its all-row summaries only
    // when it turns to sampling, not when the size projects it (the page
    // and a file always have a size): the same rows kept, the same exact
    // figures; the sketched quartiles may differ within their error.
    let mut ingest = Ingest::new("t.csv", &opts, None).unwrap();
    for c in text.as_bytes().chunks(4096) {
        ingest.push(c).unwrap();
    }
    let piped = ingest.finish().unwrap();
    let (a, b) = (piped.sample.as_ref().unwrap(), whole.sample.as_ref().unwrap());
    assert_eq!((a.kept_rows, a.stride, a.total_rows), (b.kept_rows, b.stride, b.total_rows));
    assert!(piped.columns == whole.columns, "the kept rows differ");
    let (p, w) = (profile(&piped), profile(&whole));
    for (x, y) in p.columns.iter().zip(&w.columns) {
        assert_eq!((x.count, x.missing, x.min, x.max, x.mean, x.std), (y.count, y.missing, y.min, y.max, y.mean, y.std), "{}", x.name);
    }
    // The old behaviour stays available.
    let err = parse_csv(text.as_bytes(), "t.csv", &ParseOptions { over_budget: OverBudget::Error, ..opts }).unwrap_err();
    assert_eq!(err.code(), "too_much_memory");
}

/// Under the budget nothing changes: no sample, no approximate field.
#[test]
fn small_files_are_not_sampled() {
    let mut text = HEADER.to_string();
    for i in 0..500 {
        row(i, &mut text);
    }
    let ds = parse_csv(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
    assert!(ds.sample.is_none());
    let json = serde_json::to_string(&profile(&ds)).unwrap();
    assert!(!json.contains("approximate") && !json.contains("\"sample\"") && !json.contains("topError"));
}

/// Columns that change type, non-finite numbers, forced types, booleans,
/// many distinct labels and all-missing columns, each sampled several
/// times over: no panic, the same result in chunks of 7 and whole, exact
/// counts, and labels judged on every row.
#[test]
fn sampled_edge_cases_table() {
    use mlcycle::data::{ColumnKind, NonFinitePolicy};
    let n = 4_000usize;
    let gen = |f: &dyn Fn(usize) -> String| -> String { (0..n).map(|i| f(i) + "\n").collect() };
    // (name, csv body, header, column types, expected kind of column "v", expected present count)
    type Case<'a> = (&'a str, String, Vec<(&'a str, ColumnKind)>, ColumnKind, usize);
    let cases: Vec<Case> = vec![
        ("late text widens numbers", gen(&|i| if i == n - 3 { "oops".into() } else { format!("{}", i % 97) }), vec![], ColumnKind::Categorical, n),
        ("late date widens numbers", gen(&|i| if i == n - 1 { "2020-01-01".into() } else { format!("{}.5", i % 13) }), vec![], ColumnKind::Categorical, n),
        ("non-finite as missing", gen(&|i| if i % 500 == 3 { "inf".into() } else { format!("{i}") }), vec![], ColumnKind::Integer, n - 8),
        ("booleans", gen(&|i| ["yes", "no"][i % 2].into()), vec![], ColumnKind::Boolean, n),
        ("boolean words, one odd word unkept", gen(&|i| if i == 3 { "maybe".into() } else { ["yes", "no"][i % 2].into() }), vec![], ColumnKind::Categorical, n),
        ("many distinct labels", gen(&|i| format!("label-{}", i * 7919 % 3001)), vec![], ColumnKind::Categorical, n),
        ("all missing", gen(&|_| String::new()), vec![], ColumnKind::Float, 0),
        ("forced categorical", gen(&|i| format!("{}", i % 5)), vec![("v", ColumnKind::Categorical)], ColumnKind::Categorical, n),
        ("forced date", gen(&|i| format!("2021-02-{:02}", 1 + i % 28)), vec![("v", ColumnKind::Date)], ColumnKind::Date, n),
        ("missing then text", gen(&|i| if i < n / 2 { String::new() } else { format!("t{}", i % 9) }), vec![], ColumnKind::Categorical, n / 2),
    ];
    for (name, body, types, kind, present) in cases {
        let text = format!("v,w\n{}", body.lines().enumerate().map(|(i, v)| format!("{v},c{}\n", i % 3)).collect::<String>());
        let opts = ParseOptions {
            max_memory_bytes: 16 << 10,
            non_finite: NonFinitePolicy::Missing,
            column_types: types.iter().map(|(c, k)| (c.to_string(), *k)).collect(),
            ..ParseOptions::default()
        };
        let whole = parse_csv(text.as_bytes(), "t.csv", &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(whole.sample.as_ref().is_some_and(|s| s.stride >= 4), "{name}: not sampled enough");
        let mut ingest = Ingest::new("t.csv", &opts, Some(text.len() as u64)).unwrap();
        for c in text.as_bytes().chunks(7) {
            ingest.push(c).unwrap();
        }
        let chunked = ingest.finish().unwrap();
        assert!(chunked == whole, "{name}: chunks changed the dataset");
        let p = profile(&whole);
        assert_eq!(p.rows, n, "{name}");
        let v = &p.columns[0];
        assert_eq!((v.kind, v.count, v.missing), (kind, present, n - present), "{name}");
        if kind == ColumnKind::Boolean {
            assert_eq!(v.distinct, 2, "{name}");
        }
        assert_eq!(p.columns[1].top.iter().map(|t| t.count).sum::<usize>(), n, "{name}: exact label counts");
        assert!(serde_json::to_string(&p).is_ok());
    }
}

/// Numbers written with their own decimals ("1.10", "1.1", "1.100") or
/// times written with a space, in a sampled column that turns to labels
/// late: the kept rows' labels are as written, and the distinct count is
/// the labels', not the one value numbers share, wherever the text falls.
#[test]
fn sampled_columns_that_turn_to_labels_late_keep_each_form() {
    let n = 4_000usize;
    let versions = ["1.10", "1.1", "1.100"];
    let times = ["2023-01-01 10:00", "2023-01-02 10:00", "2023-01-03 10:00"];
    for (forms, last) in [(versions, n - 1), (versions, n - 3), (versions, n / 2), (versions, 10), (times, n - 1)] {
        let mut text = String::from("v,w\n");
        for i in 0..n {
            text.push_str(&format!("{},{}\n", if i == last { "soon" } else { forms[i % 3] }, i % 7));
        }
        let opts = ParseOptions { max_memory_bytes: 16 << 10, ..ParseOptions::default() };
        let ds = parse_csv(text.as_bytes(), "t.csv", &opts).unwrap();
        assert!(ds.sample.as_ref().is_some_and(|s| s.stride >= 4), "not sampled enough");
        let p = profile(&ds);
        assert_eq!(p.columns[0].distinct, 4, "text at row {last}: {:?}", p.columns[0].top);
        let tops: Vec<&str> = p.columns[0].top.iter().map(|t| t.value.as_str()).collect();
        assert!(forms.iter().all(|v| tops.contains(v)), "{tops:?}");
    }
}

/// Arbitrary bytes under a tiny budget: an error or a dataset, never a panic.
#[test]
fn tiny_budgets_never_panic() {
    let mut state = 7u64;
    let alphabet = b"ab,;\"\n\r1.5-e9x \t2020-01-01NAinf";
    for round in 0..300 {
        let len = 50 + (mix(round) % 3000) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state = mix(state);
                alphabet[(state % alphabet.len() as u64) as usize]
            })
            .collect();
        let budget = 1 + (mix(round ^ 99) % 4096) as usize;
        let opts = ParseOptions { max_memory_bytes: budget, ..ParseOptions::default() };
        if let Ok(ds) = parse_csv(&bytes, "t.csv", &opts) {
            let _ = serde_json::to_string(&profile(&ds)).unwrap();
            let _ = mlcycle::report::html(&profile(&ds));
        }
    }
}

/// A file whose columns fit the budget, though not twice over, is kept
/// whole when its size is known: the vectors are reserved for the rows
/// projected from the first ones, so they never double. Memory stays
/// within the budget throughout and chunking changes nothing. Without the
/// size, growth is counted twice and the same file is sampled.
#[test]
fn a_file_that_fits_is_kept_whole_when_its_size_is_known() {
    let rows = 150_000u64;
    let mut text = String::from("id,x,cat\n");
    for i in 0..rows {
        let h = mix(i);
        text.push_str(&format!("{i},{},c{}\n", x_value(i).map_or(String::new(), |x| x.to_string()), h % 9));
    }
    // 8 + 8 + 8 bytes a row: about 3.6 MB of columns, which fit 4.7 MB;
    // twice that (a vector growing without a known size) does not.
    let budget = 9 << 19;
    let opts = ParseOptions { max_memory_bytes: budget, ..ParseOptions::default() };
    let mut first = None;
    for chunk in [4096usize, 1 << 20, text.len()] {
        let mut ingest = Ingest::new("fits.csv", &opts, Some(text.len() as u64)).unwrap();
        for piece in text.as_bytes().chunks(chunk) {
            ingest.push(piece).unwrap();
            assert!(ingest.held_bytes() <= budget, "{} bytes held, budget {budget}", ingest.held_bytes());
        }
        let ds = ingest.finish().unwrap();
        assert!(ds.sample.is_none(), "kept whole");
        assert_eq!(ds.n_rows, rows as usize);
        let p = serde_json::to_string(&profile(&ds)).unwrap();
        assert_eq!(first.get_or_insert(p.clone()), &p, "chunks of {chunk}");
    }
    let mut unknown = Ingest::new("fits.csv", &opts, None).unwrap();
    unknown.push(text.as_bytes()).unwrap();
    assert!(unknown.finish().unwrap().sample.is_some(), "size unknown: sampled");
}
