// Times the page's way of reading in two parts, natively on one thread:
// head parse, part parse, part encode, absorb of the encoded part.
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let share: f64 = std::env::var("SHARE").ok().and_then(|s| s.parse().ok()).unwrap_or(0.42);
    let popts = mlcycle::data::ParseOptions::default();
    let t0 = Instant::now();
    let mut ingest = mlcycle::data::Ingest::new("x.csv", &popts, Some(bytes.len() as u64)).unwrap();
    let first = 2 << 20;
    ingest.push(&bytes[..first]).unwrap();
    let split = first + ((bytes.len() - first) as f64 * share) as usize;
    let start = split + mlcycle::data::part_start(&bytes[split..]).unwrap();
    let spec = ingest.part_spec(start as u64, bytes.len() as u64).unwrap();
    for c in bytes[first..start].chunks(2 << 20) { ingest.push(c).unwrap(); }
    let t1 = Instant::now();
    let mut part = mlcycle::data::Part::new(spec);
    for c in bytes[start..].chunks(2 << 20) { part.push(c).unwrap(); }
    let out = part.finish().unwrap();
    let t2 = Instant::now();
    let enc = out.to_bytes().unwrap();
    let t3 = Instant::now();
    ingest.hash_ahead(&bytes[start..]);
    let t4 = Instant::now();
    let po = mlcycle::data::PartOutput::from_bytes(enc).unwrap();
    assert!(ingest.absorb(vec![po]).unwrap());
    let t5 = Instant::now();
    let ds = ingest.finish().unwrap();
    let t6 = Instant::now();
    let s = |a: Instant, b: Instant| (b - a).as_secs_f64();
    println!("head {:.3} part {:.3} encode {:.3} hash {:.3} absorb {:.3} finish {:.3} rows {}", s(t0,t1), s(t1,t2), s(t2,t3), s(t3,t4), s(t4,t5), s(t5,t6), ds.n_rows);
}
