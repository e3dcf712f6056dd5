//! Reading a file natively, on every core: the head of the file on the
//! calling thread and the rest in [`Part`]s on others (see
//! `ingest/part.rs`). The dataset, error and sample are those of one
//! parser; parts that cannot be taken in are read by the head. Not built
//! for wasm (the page does the same with Web Workers).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{part_start, DataError, Dataset, Ingest, ParseOptions, Part, PartOutput};

/// Files smaller than this are read on one thread: parts would save
/// less than they cost.
pub const PARTS_MIN_BYTES: u64 = 8 << 20;
/// Bytes read at a time.
const CHUNK: usize = 1 << 20;
/// The head's share of the file against a part's: measured on a 139 MB
/// file, the head took 0.76 s to parse its half and hash the other, the
/// part 0.64–0.71 s.
const HEAD_WEIGHT: f64 = 0.88;
/// How far past a split point a line start is looked for.
const WINDOW: usize = 256 << 10;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file system's error.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes' error.
    #[error(transparent)]
    Data(#[from] DataError),
}

/// Reads the file at `path` (named `name` in messages) on up to
/// `threads` threads, calling `progress` with the bytes read so far.
pub fn read_file(path: &Path, name: &str, opts: &ParseOptions, threads: usize, progress: &(dyn Fn(u64) + Sync)) -> Result<Dataset, ReadError> {
    read_in_parts(path, name, opts, threads, progress).map(|(ds, _)| ds)
}

/// [`read_file`], and whether parts were taken in.
fn read_in_parts(path: &Path, name: &str, opts: &ParseOptions, threads: usize, progress: &(dyn Fn(u64) + Sync)) -> Result<(Dataset, bool), ReadError> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        // A pipe or device (`/dev/stdin`): read through once, size unknown.
        let mut ingest = Ingest::new(name, opts, None)?;
        ingest.set_threads(threads);
        each_chunk(&mut file, &mut vec![0u8; CHUNK], u64::MAX, |chunk| {
            ingest.push(chunk)?;
            progress(ingest.bytes_done());
            Ok(())
        })?;
        return Ok((ingest.finish()?, false));
    }
    let total = meta.len();
    let mut ingest = Ingest::new(name, opts, Some(total))?;
    let parts = if total >= PARTS_MIN_BYTES { threads.saturating_sub(1) } else { 0 };
    // Parts take the other cores; without them the head types its columns
    // on several.
    ingest.set_threads(if parts > 0 { 1 } else { threads });
    let mut buf = vec![0u8; CHUNK];
    let mut at = 0u64;
    let done = AtomicU64::new(0);
    let report = |head: u64| progress(head + done.load(Ordering::Relaxed));

    // The first chunk settles the reading options and column names.
    if parts > 0 {
        at = push_range(&mut file, &mut ingest, &mut buf, at, CHUNK as u64, &report)?;
    }
    let plan = if parts > 0 { plan_parts(&mut file, &ingest, at, total, parts)? } else { Vec::new() };
    let Some(&(head_end, _)) = plan.first() else {
        push_range(&mut file, &mut ingest, &mut buf, at, total, &report)?;
        return Ok((ingest.finish()?, false));
    };
    let outputs: Vec<Option<PartOutput>> = std::thread::scope(|scope| -> Result<Vec<Option<PartOutput>>, ReadError> {
        let handles: Vec<_> = plan
            .iter()
            .map(|&(start, end)| {
                let spec = ingest.part_spec(start, end);
                let done = &done;
                scope.spawn(move || -> Option<PartOutput> {
                    let mut part = Part::new(spec?);
                    let mut f = File::open(path).ok()?;
                    f.seek(SeekFrom::Start(start)).ok()?;
                    let read = each_chunk(&mut f, &mut vec![0u8; CHUNK], end - start, |chunk| {
                        part.push(chunk)?;
                        done.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        Ok(())
                    });
                    (read.ok()? == end - start).then_some(())?;
                    part.finish().ok()
                })
            })
            .collect();
        push_range(&mut file, &mut ingest, &mut buf, at, head_end, &report)?;
        // The parts' bytes go into the fingerprint here, in file order.
        hash_range(&mut file, &mut ingest, &mut buf, head_end, total)?;
        Ok(handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect())
    })?;
    let taken = match outputs.into_iter().collect::<Option<Vec<_>>>() {
        Some(parts) => ingest.absorb(parts)?,
        None => false,
    };
    if !taken {
        done.store(0, Ordering::Relaxed);
        push_range(&mut file, &mut ingest, &mut buf, head_end, total, &report)?;
    }
    Ok((ingest.finish()?, taken))
}

/// Gives `use` the file's next bytes, a chunk at a time, up to `len` of
/// them or the end of the file; gives the count read.
fn each_chunk(file: &mut File, buf: &mut [u8], len: u64, mut use_chunk: impl FnMut(&[u8]) -> Result<(), ReadError>) -> Result<u64, ReadError> {
    let mut read = 0u64;
    while read < len {
        let want = buf.len().min(usize::try_from(len - read).unwrap_or(usize::MAX));
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        use_chunk(&buf[..n])?;
        read += n as u64;
    }
    Ok(read)
}

/// Pushes the bytes `from..to`; gives where it stopped (`to`, or the end).
fn push_range(file: &mut File, ingest: &mut Ingest, buf: &mut [u8], from: u64, to: u64, report: &dyn Fn(u64)) -> Result<u64, ReadError> {
    file.seek(SeekFrom::Start(from))?;
    let read = each_chunk(file, buf, to - from, |chunk| {
        ingest.push(chunk)?;
        report(ingest.bytes_done());
        Ok(())
    })?;
    Ok(from + read)
}

/// Hashes the bytes `from..to` without parsing them (the parts' bytes).
fn hash_range(file: &mut File, ingest: &mut Ingest, buf: &mut [u8], from: u64, to: u64) -> Result<(), ReadError> {
    file.seek(SeekFrom::Start(from))?;
    each_chunk(file, buf, to - from, |chunk| {
        ingest.hash_ahead(chunk);
        Ok(())
    })?;
    Ok(())
}

/// Where `parts` parts of `from..total` start (a line start after each
/// even split) and end; empty when the head cannot hand out parts.
fn plan_parts(file: &mut File, ingest: &Ingest, from: u64, total: u64, parts: usize) -> Result<Vec<(u64, u64)>, ReadError> {
    if ingest.part_spec(total - 1, total).is_none() {
        return Ok(Vec::new());
    }
    // The head also hashes the parts' bytes and takes their columns in:
    // it reads a little less than each part.
    let unit = (total - from) as f64 / (parts as f64 + HEAD_WEIGHT);
    let mut starts = Vec::new();
    let mut window = vec![0u8; WINDOW];
    for k in 0..parts {
        let split = from + (unit * (HEAD_WEIGHT + k as f64)) as u64;
        file.seek(SeekFrom::Start(split))?;
        let n = read_full(file, &mut window)?;
        if let Some(p) = part_start(&window[..n]) {
            let s = split + p as u64;
            if starts.last().is_none_or(|&l| s > l) && s < total {
                starts.push(s);
            }
        }
    }
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(total));
    Ok(starts.iter().copied().zip(ends).collect())
}

fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file over the parts threshold reads the same on 1, 2 and 3
    /// threads: dataset and fingerprint.
    #[test]
    fn threads_read_the_same_dataset() {
        let mut text = String::from("id,x,when,label,note\n");
        let mut i = 0usize;
        while text.len() < PARTS_MIN_BYTES as usize + (1 << 20) {
            let note = if i % 1000 == 7 { format!("\"two\nlines {i}\"") } else { format!("n{}", i % 5000) };
            text.push_str(&format!("{i},{}.5,2024-01-{:02},{},{note}\n", i % 977, 1 + i % 28, ["a", "b", "c"][i % 3]));
            i += 1;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, &text).unwrap();
        let opts = ParseOptions::default();
        let (one, taken) = read_in_parts(&path, "big.csv", &opts, 1, &|_| {}).unwrap();
        assert!(!taken);
        for threads in [2, 3] {
            let (many, taken) = read_in_parts(&path, "big.csv", &opts, threads, &|_| {}).unwrap();
            assert!(taken, "{threads} threads: parts taken in");
            assert!(many == one, "{threads} threads");
        }
        assert_eq!(one.n_rows, i);
    }

    /// Notes below the table of a file read in parts (one with a comma in
    /// it) are skipped as one thread skips them.
    #[test]
    fn threads_skip_notes_below_the_table() {
        let mut text = String::from("District,Population,Area,Density\n");
        let mut i = 0usize;
        while text.len() < PARTS_MIN_BYTES as usize + (1 << 20) {
            text.push_str(&format!("D{i},{},{},{}.5\n", 1000 + i * 7 % 90000, 10 + i % 900, i % 800));
            i += 1;
        }
        text.push_str("\"Note: figures are provisional.\"\nSource: National Statistics Office, 2021 census.\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gov.csv");
        std::fs::write(&path, &text).unwrap();
        let opts = ParseOptions::default();
        let (one, _) = read_in_parts(&path, "gov.csv", &opts, 1, &|_| {}).unwrap();
        assert_eq!(one.n_rows, i);
        let note = one.ingest.warnings.iter().find(|w| w.code == "notes_below_table").map(|w| w.message.clone()).unwrap_or_default();
        assert!(note.starts_with(&format!("2 lines below the table, from line {} (\"Note: figures are provisional.\")", i + 2)), "{note}");
        let (many, taken) = read_in_parts(&path, "gov.csv", &opts, 2, &|_| {}).unwrap();
        assert!(taken, "parts taken in");
        assert!(many == one);
    }

    /// Read in parts, integers past 2^53 that first appear late in the
    /// file (in another part than the head) keep their digits, as one
    /// thread keeps them; and valid UTF-8 read as Windows-1252 is counted
    /// over every part.
    #[test]
    fn threads_keep_long_integers_and_count_utf8_read_as_windows_1252() {
        let mut bytes = b"id,acct,city\n".to_vec();
        let mut i = 0usize;
        let mut accts = Vec::new();
        while bytes.len() < PARTS_MIN_BYTES as usize + (1 << 20) {
            let acct = if i < 150_000 { i.to_string() } else if i % 1000 == 3 { "9".repeat(200) } else { format!("{}", 123_456_789_012_345_678_900_000u128 + i as u128) };
            bytes.extend_from_slice(format!("{i},{acct},").as_bytes());
            bytes.extend_from_slice(if i % 3 == 0 { b"Z\xC3\xBCrich\n" } else { b"Basel\n" });
            accts.push(acct);
            i += 1;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accts.csv");
        std::fs::write(&path, &bytes).unwrap();
        let utf8 = ParseOptions::default();
        let windows_1252 = ParseOptions { encoding: crate::data::TextEncoding::Windows1252, ..ParseOptions::default() };
        for opts in [&utf8, &windows_1252] {
            let (one, _) = read_in_parts(&path, "accts.csv", opts, 1, &|_| {}).unwrap();
            for threads in [2, 3] {
                let (many, taken) = read_in_parts(&path, "accts.csv", opts, threads, &|_| {}).unwrap();
                assert!(taken, "{threads} threads: parts taken in");
                assert!(many == one, "{threads} threads");
            }
            let acct = one.column("acct").unwrap();
            for r in [0, 149_999, 150_000, 150_003, i - 1] {
                assert_eq!(acct.text(r).as_deref(), Some(accts[r].as_str()), "row {r}");
            }
        }
        let (ds, _) = read_in_parts(&path, "accts.csv", &windows_1252, 3, &|_| {}).unwrap();
        let note = ds.ingest.warnings.iter().find(|w| w.code == "utf8_read_as_windows_1252").map(|w| w.message.clone()).unwrap_or_default();
        assert!(note.starts_with(&format!("{} valid UTF-8 sequences were read as Windows-1252 characters, the first at byte 18 ", i.div_ceil(3))), "{note}");
    }
}
