use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let t0 = Instant::now();
    if std::env::var("PARTS").is_ok() {
        let threads: usize = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(1);
        let popts = mlcycle::data::ParseOptions::default();
        let ds = mlcycle::data::read_file(std::path::Path::new(&path), "x.csv", &popts, threads, &|_| {}).unwrap();
        let t1 = Instant::now();
        let opts = mlcycle::profile::ProfileOptions { threads, ..Default::default() };
        let p = mlcycle::profile::profile_with(&ds, &opts).unwrap();
        let t2 = Instant::now();
        let mb = bytes.len() as f64 / 1e6;
        println!("read_file {:.2}s ({:.1} MB/s), profile {:.2}s, total {:.2}s = {:.1} MB/s, rows {}, sampled {}", (t1-t0).as_secs_f64(), mb/(t1-t0).as_secs_f64(), (t2-t1).as_secs_f64(), (t2-t0).as_secs_f64(), mb/(t2-t0).as_secs_f64(), ds.n_rows, ds.sample.is_some());
        let _ = p;
        return;
    }
    let threads: usize = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(1);
    let popts = mlcycle::data::ParseOptions { max_memory_bytes: 1 << 34, ..Default::default() };
    let mut ingest = mlcycle::data::Ingest::new("x.csv", &popts, Some(bytes.len() as u64)).unwrap();
    ingest.set_threads(std::env::var("PARSE_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(threads));
    for chunk in bytes.chunks(1 << 20) {
        ingest.push(chunk).unwrap();
    }
    let ds = ingest.finish().unwrap();
    let t1 = Instant::now();
    let opts = mlcycle::profile::ProfileOptions { threads, ..Default::default() };
    let p = mlcycle::profile::profile_with(&ds, &opts).unwrap();
    let t2 = Instant::now();
    let mb = bytes.len() as f64 / 1e6;
    println!("parse {:.2}s ({:.1} MB/s), profile {:.2}s, cols {}", (t1-t0).as_secs_f64(), mb/(t1-t0).as_secs_f64(), (t2-t1).as_secs_f64(), p.columns.len());
}
