// The yardstick for the profile bench: one plain pass over a CSV with the
// `csv` crate, keeping only count, min, max, mean and standard deviation of
// each column's numbers, the file split at line starts between THREADS
// threads (default: every core). No types, labels, quantiles, histograms,
// distinct counts, associations, alerts or fingerprint: what a full profile
// could at best approach on this machine.
//
//   plain_pass FILE        prints: seconds MB/s
use std::time::Instant;

#[derive(Clone, Default)]
struct Stats {
    n: u64,
    min: f64,
    max: f64,
    sum: f64,
    sum2: f64,
}

fn pass(bytes: &[u8], width: usize) -> Vec<Stats> {
    let mut stats = vec![Stats { min: f64::INFINITY, max: f64::NEG_INFINITY, ..Stats::default() }; width];
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        for (s, field) in stats.iter_mut().zip(record.iter()) {
            if let Some(x) = std::str::from_utf8(field).ok().and_then(|t| t.parse::<f64>().ok()) {
                s.n += 1;
                s.min = s.min.min(x);
                s.max = s.max.max(x);
                s.sum += x;
                s.sum2 += x * x;
            }
        }
    }
    stats
}

fn main() {
    let path = std::env::args().nth(1).expect("plain_pass FILE");
    let t0 = Instant::now();
    let bytes = std::fs::read(&path).expect("a readable file");
    let threads: usize = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let header_end = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |p| p + 1);
    let width = bytes[..header_end].split(|&b| b == b',').count();
    let body = &bytes[header_end..];
    let mut starts = vec![0];
    for i in 1..threads {
        let at = body.len() * i / threads;
        if let Some(p) = memchr::memchr(b'\n', &body[at..]) {
            starts.push(at + p + 1);
        }
    }
    starts.push(body.len());
    let parts: Vec<Vec<Stats>> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts.windows(2).map(|w| scope.spawn(move || pass(&body[w[0]..w[1]], width))).collect();
        handles.into_iter().map(|h| h.join().expect("a pass")).collect()
    });
    let mut total = vec![Stats { min: f64::INFINITY, max: f64::NEG_INFINITY, ..Stats::default() }; width];
    for part in parts {
        for (t, s) in total.iter_mut().zip(part) {
            t.n += s.n;
            t.min = t.min.min(s.min);
            t.max = t.max.max(s.max);
            t.sum += s.sum;
            t.sum2 += s.sum2;
        }
    }
    let seconds = t0.elapsed().as_secs_f64();
    // Used, so the pass is not optimised away.
    let checksum: f64 = total.iter().filter(|s| s.n > 1).map(|s| s.min + s.max + s.sum / s.n as f64 + ((s.sum2 - s.sum * s.sum / s.n as f64) / (s.n - 1) as f64).max(0.0).sqrt()).sum();
    eprintln!("{threads} thread(s), checksum {checksum:.3}");
    println!("{seconds:.3} {:.1}", bytes.len() as f64 / 1e6 / seconds);
}
