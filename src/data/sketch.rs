//! Data management, sampled ingestion: streaming summaries of every row.
//!
//! When the typed columns of a file would pass the memory budget, ingestion
//! keeps a systematic sample of rows ([`SampleInfo`]) and, per column, a
//! [`ColumnSummary`] over all rows: exact count, missing, min, max, mean,
//! standard deviation and skewness (Welford's updates with a third
//! moment), zeros, negatives; a HyperLogLog distinct count with a stated
//! standard error; and for label columns exact label counts while the
//! labels fit a per-column cap, then Misra–Gries heavy hitters whose counts
//! are low by at most a stated bound. Hashes are fixed (no seed, no RNG),
//! so every figure is the same natively and in wasm. No wasm here.

use super::ingest::FastMap;

/// HyperLogLog precision used when the budget allows: 2^12 registers, a
/// relative standard error of 1.04 / √4096 ≈ 1.6%.
pub const HLL_PRECISION: u8 = 12;
/// Smallest precision used for very wide files (2^8 registers, ≈ 6.5%).
pub const HLL_MIN_PRECISION: u8 = 8;

/// Relative standard error of a HyperLogLog estimate with `2^p` registers.
pub fn hll_std_error(p: u8) -> f64 {
    1.04 / f64::from(1u32 << p).sqrt()
}

/// MurmurHash3's 64-bit finaliser: spreads every input bit over the output.
pub(crate) fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Whether data row `row` (from 0) is in the sample that keeps one row in
/// `stride` (a power of two): the low `log2(stride)` bits of its hashed
/// index are zero. A doubled stride keeps a subset of the rows kept, and
/// rows that repeat with a period (hourly readings, 24 to a day) are not
/// aliased as they are when every `stride`-th row is kept (a stride of 8
/// saw only hours 0, 8 and 16).
pub fn sample_keeps(row: usize, stride: usize) -> bool {
    fmix64(row as u64 ^ SAMPLE_SALT) & (stride as u64).wrapping_sub(1) == 0
}

/// Rows `0..n` thinned to about one in `step` (any step from 1) by the
/// same hash as [`sample_keeps`]: a sample with no period of its own.
pub fn sample_rows(n: usize, step: usize) -> Vec<usize> {
    if step <= 1 {
        return (0..n).collect();
    }
    (0..n).filter(|&r| fmix64(r as u64 ^ SAMPLE_SALT) % step as u64 == 0).collect()
}

/// Mixed into row indices so that row 0 is no special case.
const SAMPLE_SALT: u64 = 0x6d6c_6379_636c_6573;

/// The distinct-count key of a number (-0 and 0 are one value).
pub(crate) fn number_key(x: f64) -> u64 {
    fmix64(if x == 0.0 { 0 } else { x.to_bits() })
}

/// The distinct-count key of a date or date-time.
pub(crate) fn time_key(t: f64) -> u64 {
    fmix64((if t == 0.0 { 0 } else { t.to_bits() }) ^ 0x7469_6d65_0000_0001)
}

/// Folded 128-bit product: the mixing step of wyhash.
fn mum(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// The distinct-count key of a text: 8-byte words mixed by folded
/// multiplication (as wyhash), then the finaliser. Fixed constants, so the
/// key is the same on every target and toolchain.
pub(crate) fn text_key(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = 0x2d35_8dcc_aa6c_78a5u64 ^ (b.len() as u64);
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let mut x = [0u8; 8];
        x.copy_from_slice(w);
        h = mum(h ^ u64::from_le_bytes(x), 0x8bb8_4b93_962e_acc9);
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    fmix64(mum(h ^ u64::from_le_bytes(last) ^ 0x4b33_a62e_d433_d4a3, 0x4d5a_2da5_1de1_aa47))
}

/// A HyperLogLog sketch with Ertl's improved raw estimator (2017), which is
/// unbiased from one value up without empirical correction tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Hll {
    p: u8,
    registers: Vec<u8>,
}

impl Hll {
    /// An empty sketch with `2^p` registers (`p` in 4..=16).
    pub fn new(p: u8) -> Hll {
        let p = p.clamp(4, 16);
        Hll { p, registers: vec![0; 1 << p] }
    }

    /// Adds a hashed value.
    #[inline]
    pub fn add(&mut self, hash: u64) {
        let q = 64 - u32::from(self.p);
        let idx = (hash >> q) as usize;
        let rest = hash << self.p;
        let rank = (rest.leading_zeros() + 1).min(q + 1) as u8;
        let r = &mut self.registers[idx];
        if rank > *r {
            *r = rank;
        }
    }

    /// Heap bytes held.
    pub fn bytes(&self) -> usize {
        self.registers.len()
    }

    /// Relative standard error of [`Hll::estimate`].
    pub fn std_error(&self) -> f64 {
        hll_std_error(self.p)
    }

    /// The estimated number of distinct values added.
    pub fn estimate(&self) -> f64 {
        let m = self.registers.len() as f64;
        let q = 64 - usize::from(self.p);
        let mut c = vec![0u32; q + 2];
        for &r in &self.registers {
            c[usize::from(r).min(q + 1)] += 1;
        }
        if c[0] as f64 == m {
            return 0.0;
        }
        let mut z = m * tau(1.0 - f64::from(c[q + 1]) / m);
        for k in (1..=q).rev() {
            z = 0.5 * (z + f64::from(c[k]));
        }
        z += m * sigma(f64::from(c[0]) / m);
        m * m / (2.0 * std::f64::consts::LN_2) / z
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let old = z;
        z += x * y;
        y += y;
        if z == old {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let old = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if z == old {
            return z / 3.0;
        }
    }
}

/// Count, mean and central moments of numbers in one pass (Welford, with
/// the third moment of Terriberry's update), and the extremes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Moments {
    /// Values added.
    pub n: usize,
    /// Running mean.
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
    /// Sum of cubed deviations from the mean.
    pub m3: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Values equal to zero.
    pub zeros: usize,
    /// Values below zero.
    pub negatives: usize,
    /// Values with a fraction.
    pub fractional: usize,
}

impl Moments {
    /// Adds one finite value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = x - self.mean;
        let dn = delta / n;
        let term1 = delta * dn * n1;
        self.mean += dn;
        self.m3 += term1 * dn * (n - 2.0) - 3.0 * dn * self.m2;
        self.m2 += term1;
        if self.n == 1 || x < self.min {
            self.min = x;
        }
        if self.n == 1 || x > self.max {
            self.max = x;
        }
        self.zeros += usize::from(x == 0.0);
        self.negatives += usize::from(x < 0.0);
        self.fractional += usize::from(x.fract() != 0.0);
    }

    /// Sample standard deviation (n - 1), when defined.
    pub fn std(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).sqrt()).filter(|s| s.is_finite())
    }

    /// Adjusted Fisher–Pearson skewness, as pandas `skew`, when defined.
    pub fn skewness(&self) -> Option<f64> {
        if self.n <= 2 || self.m2 <= 0.0 {
            return None;
        }
        let nf = self.n as f64;
        let g1 = (self.m3 / nf) / (self.m2 / nf).powf(1.5);
        Some(g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0)).filter(|s| s.is_finite())
    }
}

/// Largest KLL `k` used when the budget allows: a single quantile's rank
/// is off by at most ≈0.27% of the rows (99% confidence).
pub const KLL_K: usize = 1024;
/// Smallest `k`, for very wide files (≈2.6%).
pub const KLL_MIN_K: usize = 100;

/// The rank error of a KLL sketch with parameter `k`: with 99% confidence
/// a quantile it returns has a rank within this fraction of the rows of
/// the one asked for. The constants are Apache DataSketches' fit for its
/// KLL sketch (single quantile); `kll_rank_error_is_as_stated` checks this
/// implementation against it.
pub fn kll_rank_error(k: usize) -> f64 {
    2.296 / (k as f64).powf(0.9723)
}

/// The largest `k` whose sketches for `width` columns fit in `bytes`
/// (each holds about 3k values), within [`KLL_MIN_K`]..=[`KLL_K`].
pub fn kll_k_for(width: usize, bytes: usize) -> usize {
    (bytes / width.max(1) / (3 * std::mem::size_of::<f64>())).clamp(KLL_MIN_K, KLL_K)
}

/// A KLL quantile sketch (Karnin, Lang and Liberty, 2016): compactors of
/// geometrically shrinking capacity; a full one is sorted and every other
/// value, starting at a coin-flipped offset, moves up a level with twice
/// the weight. Memory is about 3k values whatever the row count; the coin
/// is SplitMix64 from a fixed seed, so the same values in the same order
/// give the same sketch natively and in wasm.
#[derive(Debug, Clone, PartialEq)]
pub struct Kll {
    k: usize,
    /// Level h holds values of weight 2^h.
    levels: Vec<Vec<f64>>,
    retained: usize,
    capacity: usize,
    n: u64,
    coin: u64,
}

impl Kll {
    /// An empty sketch with parameter `k` (at least 8).
    pub fn new(k: usize) -> Kll {
        let mut s = Kll { k: k.max(8), levels: vec![Vec::new()], retained: 0, capacity: 0, n: 0, coin: 0x6d6c_6379_636c_6521 };
        s.capacity = s.total_capacity();
        s
    }

    /// A sketch of `sorted` (ascending, finite) built at once: every
    /// `2^H`-th value, from the middle of each block, at the level `H`
    /// whose weight leaves at most `k` of them, and the values past the
    /// last whole block at level 0 (then compacted as adding them would).
    /// Its rank error is under `2^H / n`, at most `2 / k`, inside
    /// [`kll_rank_error`]; adding a million values one by one sorted each
    /// level-0 batch on the way (1.6 s natively when a read turned to
    /// sampling, with no progress).
    pub fn from_sorted(k: usize, sorted: &[f64]) -> Kll {
        let mut s = Kll::new(k);
        let n = sorted.len();
        let mut h = 0;
        while (n >> h) > s.k {
            h += 1;
        }
        if h == 0 {
            for &x in sorted {
                s.add(x);
            }
            return s;
        }
        let block = 1usize << h;
        let whole = n / block;
        s.levels = vec![Vec::new(); h + 1];
        s.levels[h] = (0..whole).map(|j| sorted[j * block + block / 2]).collect();
        s.levels[0] = sorted[whole * block..].to_vec();
        s.n = n as u64;
        s.retained = s.levels.iter().map(Vec::len).sum();
        s.capacity = s.total_capacity();
        while s.retained >= s.capacity {
            s.compress();
        }
        s
    }

    fn level_capacity(&self, h: usize) -> usize {
        let depth = (self.levels.len() - h - 1) as i32;
        ((self.k as f64 * (2.0f64 / 3.0).powi(depth)).ceil() as usize).max(2)
    }

    fn total_capacity(&self) -> usize {
        (0..self.levels.len()).map(|h| self.level_capacity(h)).sum()
    }

    fn flip(&mut self) -> usize {
        self.coin = self.coin.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.coin;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 63) as usize
    }

    /// Adds one finite value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.levels[0].push(x);
        self.retained += 1;
        self.n += 1;
        if self.retained >= self.capacity {
            self.compress();
        }
    }

    fn compress(&mut self) {
        for h in 0..self.levels.len() {
            if self.levels[h].len() < self.level_capacity(h) {
                continue;
            }
            if h + 1 == self.levels.len() {
                self.levels.push(Vec::new());
            }
            let mut full = std::mem::take(&mut self.levels[h]);
            full.sort_unstable_by(f64::total_cmp);
            // An odd value stays behind, so the weights still add up to n.
            let odd = if full.len() % 2 == 1 { full.pop() } else { None };
            let offset = self.flip();
            let up: Vec<f64> = full.iter().skip(offset).step_by(2).copied().collect();
            self.levels[h + 1].extend(up);
            full.clear();
            // A level that once held more than it may now gives it back.
            full.shrink_to(self.level_capacity(h));
            full.extend(odd);
            self.levels[h] = full;
            self.retained = self.levels.iter().map(Vec::len).sum();
            self.capacity = self.total_capacity();
            if self.retained < self.capacity {
                break;
            }
        }
    }

    /// Values added.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Estimated quantiles `ps` (each in 0..=1): for each, the smallest
    /// retained value whose weighted rank reaches `p` of the values.
    /// `None` when empty.
    pub fn quantiles(&self, ps: &[f64]) -> Option<Vec<f64>> {
        if self.n == 0 {
            return None;
        }
        let mut items: Vec<(f64, u64)> = Vec::with_capacity(self.retained);
        for (h, level) in self.levels.iter().enumerate() {
            items.extend(level.iter().map(|&x| (x, 1u64 << h)));
        }
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        Some(
            ps.iter()
                .map(|&p| {
                    let want = (p.clamp(0.0, 1.0) * self.n as f64).ceil().max(1.0) as u64;
                    let mut seen = 0u64;
                    for &(x, w) in &items {
                        seen += w;
                        if seen >= want {
                            return x;
                        }
                    }
                    items[items.len() - 1].0
                })
                .collect(),
        )
    }

    /// Heap bytes held.
    pub fn bytes(&self) -> usize {
        self.levels.iter().map(|l| l.capacity() * std::mem::size_of::<f64>()).sum::<usize>() + self.levels.capacity() * std::mem::size_of::<Vec<f64>>()
    }

    /// The rank error of this sketch (see [`kll_rank_error`]).
    pub fn rank_error(&self) -> f64 {
        kll_rank_error(self.k)
    }
}

/// Bytes counted per label entry beyond its text (map slot, `String`,
/// count).
const ENTRY_OVERHEAD: usize = 64;

/// Label counts over all rows: exact while the distinct labels fit the
/// cap, then Misra–Gries with at most `k` counters (each kept count is low
/// by at most `error`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LabelCounter {
    /// Label → (count, order of first appearance).
    counts: FastMap<String, (usize, u64)>,
    order: u64,
    text_bytes: usize,
    cap_bytes: usize,
    k: usize,
    /// `None` while exact; then the most any kept count can be too low.
    error: Option<usize>,
    /// Counts here are estimates (seeded from a sample).
    seeded: bool,
}

impl LabelCounter {
    pub(crate) fn new(cap_bytes: usize) -> LabelCounter {
        let k = (cap_bytes / 256).clamp(16, 1024);
        LabelCounter { counts: FastMap::default(), order: 0, text_bytes: 0, cap_bytes, k, error: None, seeded: false }
    }

    fn full(&self, extra: usize) -> bool {
        let bytes = (self.text_bytes + extra).saturating_add((self.counts.len() + 1) * ENTRY_OVERHEAD);
        bytes > self.cap_bytes || (self.error.is_some() && self.counts.len() >= self.k)
    }

    /// Adds `w` occurrences of `label`.
    pub(crate) fn add(&mut self, label: &str, w: usize) {
        if let Some(e) = self.counts.get_mut(label) {
            e.0 += w;
            return;
        }
        if !self.full(label.len()) {
            self.insert(label, w);
            return;
        }
        if self.error.is_none() {
            self.start_heavy_hitters();
            if !self.full(label.len()) {
                self.insert(label, w);
                return;
            }
        }
        // Misra–Gries: lower every counter by the smallest amount that frees one.
        let dec = w.min(self.counts.values().map(|e| e.0).min().unwrap_or(w));
        self.lower_all(dec);
        if w > dec && !self.full(label.len()) {
            self.insert(label, w - dec);
        }
    }

    fn insert(&mut self, label: &str, w: usize) {
        self.counts.insert(label.to_string(), (w, self.order));
        self.order += 1;
        self.text_bytes += label.len();
    }

    /// Lowers every count by `dec`, forgets the labels that reach zero and
    /// adds `dec` to the error bound.
    fn lower_all(&mut self, dec: usize) {
        *self.error.get_or_insert(0) += dec;
        let mut freed = 0;
        self.counts.retain(|label, e| {
            e.0 = e.0.saturating_sub(dec);
            if e.0 == 0 {
                freed += label.len();
            }
            e.0 > 0
        });
        self.text_bytes -= freed;
    }

    /// From exact counts to a Misra–Gries summary of at most `k` counters:
    /// every count lowered by the (k+1)-th largest, which stays mergeable.
    fn start_heavy_hitters(&mut self) {
        let mut sorted: Vec<usize> = self.counts.values().map(|e| e.0).collect();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        // The (k+1)-th largest count; with k or fewer labels (the byte cap
        // was reached first), the smallest, which frees at least one.
        let cut = sorted.get(self.k).or(sorted.last()).copied().unwrap_or(0);
        self.lower_all(cut);
    }

    pub(crate) fn bytes(&self) -> usize {
        self.text_bytes.saturating_add(self.counts.len() * ENTRY_OVERHEAD)
    }

    /// Whether every count is exact.
    pub(crate) fn is_exact(&self) -> bool {
        self.error.is_none() && !self.seeded
    }

    /// The labels counted (any order).
    pub(crate) fn labels(&self) -> impl Iterator<Item = &str> {
        self.counts.keys().map(String::as_str)
    }

    pub(crate) fn mark_seeded(&mut self) {
        self.seeded = true;
    }

    /// Labels and counts in first-appearance order, the error bound, and
    /// whether counts were seeded from a sample.
    pub(crate) fn into_summary(self) -> (Vec<(String, usize)>, Option<usize>, bool) {
        let mut list: Vec<(String, (usize, u64))> = self.counts.into_iter().collect();
        list.sort_unstable_by_key(|e| e.1 .1);
        (list.into_iter().map(|(t, (c, _))| (t, c)).collect(), self.error, self.seeded)
    }
}

/// Exact figures over every row of a sampled column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSummary {
    /// Column name.
    pub name: String,
    /// Present values (all rows).
    pub count: usize,
    /// Missing values (all rows; non-finite numbers read as missing count here).
    pub missing: usize,
    /// Moments of the numbers, when the column stayed numeric from the
    /// first row to the last (dates in seconds since 1970).
    pub numbers: Option<Moments>,
    /// First quartile, median and third quartile over every row, from a
    /// KLL sketch, with its rank error (see [`kll_rank_error`]), when the
    /// column stayed numeric.
    pub quartiles: Option<([f64; 3], f64)>,
    /// Estimated distinct present values (HyperLogLog).
    pub distinct_estimate: f64,
    /// Relative standard error of `distinct_estimate`.
    pub distinct_std_error: f64,
    /// Label counts (label columns): exact when `labels_error` is `None`
    /// and `labels_seeded` is false; in first-appearance order.
    pub labels: Option<Vec<(String, usize)>>,
    /// The most a listed label count can be too low (Misra–Gries).
    pub labels_error: Option<usize>,
    /// Label counts before the column turned to labels were estimated
    /// from the sample (a column that mixed types late in the file).
    pub labels_seeded: bool,
    /// Shortest and longest label and total characters, over every row
    /// read as a label; `None` when part of them came from the sample.
    pub text_lengths: Option<(usize, usize, usize)>,
}

/// How a file too large for the memory budget was sampled.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleInfo {
    /// Data rows in the file.
    pub total_rows: usize,
    /// Rows kept: those [`sample_keeps`] keeps at `stride`.
    pub kept_rows: usize,
    /// About one row in `stride` was kept (a power of two).
    pub stride: usize,
    /// The memory budget (`ParseOptions::max_memory_bytes`).
    pub budget_bytes: usize,
    /// Relative standard error of the distinct counts.
    pub distinct_std_error: f64,
    /// Exact per-column figures over all rows, in column order.
    pub columns: Vec<ColumnSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The largest distance, as a fraction of the rows, between the rank
    /// asked for and the rank of the value returned, over quartiles.
    fn worst_rank_error(values: &[f64], k: usize) -> f64 {
        let mut s = Kll::new(k);
        for &x in values {
            s.add(x);
        }
        assert_eq!(s.count(), values.len() as u64);
        assert!(s.bytes() < 4 * 3 * k * 8, "{} bytes for k {k}", s.bytes());
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        let n = sorted.len() as f64;
        let ps = [0.1, 0.25, 0.5, 0.75, 0.9];
        let got = s.quantiles(&ps).unwrap();
        ps.iter()
            .zip(got)
            .map(|(&p, x)| {
                // Values equal to x span a range of ranks; the distance is to the nearest.
                let lo = sorted.partition_point(|&v| v < x) as f64 / n;
                let hi = sorted.partition_point(|&v| v <= x) as f64 / n;
                if p < lo { lo - p } else if p > hi { p - hi } else { 0.0 }
            })
            .fold(0.0, f64::max)
    }

    /// A sketch built from sorted values at once, then added to, answers
    /// within the stated rank error, as one added to value by value does.
    #[test]
    fn a_sketch_built_from_sorted_values_is_within_its_error() {
        let mut state = 11u64;
        let mut rnd = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for (first, later) in [(300_000usize, 0usize), (150_000, 150_000), (500, 100_000), (1000, 0)] {
            let mut all: Vec<f64> = (0..first + later).map(|_| rnd().powi(3) * 1000.0).collect();
            let mut head = all[..first].to_vec();
            head.sort_unstable_by(f64::total_cmp);
            let mut s = Kll::from_sorted(200, &head);
            for &x in &all[first..] {
                s.add(x);
            }
            assert_eq!(s.count(), (first + later) as u64);
            all.sort_unstable_by(f64::total_cmp);
            let stated = s.rank_error();
            let ps = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
            let got = s.quantiles(&ps).unwrap();
            for (&p, &x) in ps.iter().zip(&got) {
                let n = all.len() as f64;
                let (lo, hi) = (all.partition_point(|&v| v < x) as f64 / n, all.partition_point(|&v| v <= x) as f64 / n);
                let off = if p < lo { lo - p } else if p > hi { p - hi } else { 0.0 };
                assert!(off <= stated, "{first}+{later}: quantile {p} is {off} of the rows away (stated {stated})");
            }
            assert!(s.bytes() < 20 * 200 * 8, "{} bytes", s.bytes());
        }
    }

    #[test]
    fn kll_rank_error_is_as_stated() {
        let n = 200_000usize;
        let mut state = 7u64;
        let mut rnd = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let random: Vec<f64> = (0..n).map(|_| rnd()).collect();
        let ascending: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let descending: Vec<f64> = (0..n).rev().map(|i| i as f64).collect();
        let sawtooth: Vec<f64> = (0..n).map(|i| (i % 1000) as f64 * 1000.0 + (i / 1000) as f64).collect();
        let ties: Vec<f64> = (0..n).map(|i| (i % 7) as f64).collect();
        let skewed: Vec<f64> = random.iter().map(|u| (-u.ln()).powi(3)).collect();
        for k in [KLL_MIN_K, 200, KLL_K] {
            for (name, data) in [("random", &random), ("ascending", &ascending), ("descending", &descending), ("sawtooth", &sawtooth), ("ties", &ties), ("skewed", &skewed)] {
                let e = worst_rank_error(data, k);
                assert!(e <= kll_rank_error(k), "{name}, k {k}: rank error {e} over the stated {}", kll_rank_error(k));
            }
        }
        // Small inputs are kept whole: exact.
        let mut s = Kll::new(KLL_K);
        for x in [5.0, 1.0, 3.0, 2.0, 4.0] {
            s.add(x);
        }
        assert_eq!(s.quantiles(&[0.0, 0.5, 1.0]), Some(vec![1.0, 3.0, 5.0]));
        assert_eq!(Kll::new(KLL_K).quantiles(&[0.5]), None);
        assert_eq!(kll_k_for(20, 1 << 30), KLL_K);
        assert_eq!(kll_k_for(100_000, 1 << 20), KLL_MIN_K);
    }

    #[test]
    fn hll_estimates_within_its_error() {
        for &n in &[0usize, 1, 10, 1000, 5000, 20_000, 300_000] {
            let mut h = Hll::new(HLL_PRECISION);
            for i in 0..n {
                h.add(text_key(&format!("id-{i}")));
                h.add(number_key(i as f64));
            }
            let want = 2 * n;
            let rel = (h.estimate() - want as f64).abs() / (want.max(1) as f64);
            assert!(rel < 4.0 * h.std_error(), "n {want}: estimate {} ({rel})", h.estimate());
        }
    }

    /// The root-mean-square error over independent sets is close to the
    /// stated standard error, for each kind of key.
    #[test]
    fn hll_error_is_as_stated() {
        let trials = 16u64;
        for kind in 0..3 {
            let mut sq = 0.0;
            for t in 0..trials {
                let mut h = Hll::new(HLL_PRECISION);
                let n = 50_000u64;
                for i in 0..n {
                    let v = t * 10_000_000 + i;
                    h.add(match kind {
                        0 => number_key(v as f64),
                        1 => text_key(&format!("w{v}")),
                        _ => time_key(v as f64 * 86_400.0),
                    });
                }
                sq += (h.estimate() / n as f64 - 1.0).powi(2);
            }
            let rms = (sq / trials as f64).sqrt();
            assert!(rms < 1.6 * hll_std_error(HLL_PRECISION), "key kind {kind}: rms error {rms}");
        }
    }

    #[test]
    fn moments_match_two_pass() {
        let v: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64 * 0.5 - 7.0).collect();
        let mut m = Moments::default();
        v.iter().for_each(|&x| m.add(x));
        let mean = v.iter().sum::<f64>() / 1000.0;
        let m2: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
        let m3: f64 = v.iter().map(|x| (x - mean).powi(3)).sum();
        assert!((m.mean - mean).abs() < 1e-12 * mean.abs().max(1.0));
        assert!((m.m2 - m2).abs() < 1e-9 * m2);
        assert!((m.m3 - m3).abs() < 1e-9 * m3.abs().max(1.0));
    }

    #[test]
    fn label_counter_exact_then_heavy_hitters() {
        let mut c = LabelCounter::new(1 << 20);
        for i in 0..100 {
            c.add(["a", "b", "c"][i % 3], 1);
        }
        let (l, e, _) = c.clone().into_summary();
        assert_eq!((l, e), (vec![("a".into(), 34), ("b".into(), 33), ("c".into(), 33)], None));
        // A small cap: many distinct labels plus one frequent one.
        let mut c = LabelCounter::new(4096);
        let mut n = 0;
        for i in 0..20_000 {
            if i % 4 == 0 {
                c.add("hot", 1);
            } else {
                c.add(&format!("cold-{i}"), 1);
            }
            n += 1;
        }
        assert!(c.bytes() <= 2 * 4096 + 64);
        let (l, e, _) = c.into_summary();
        let e = e.unwrap();
        let hot = l.iter().find(|(t, _)| t == "hot").unwrap().1;
        assert!(hot <= 5000 && hot + e >= 5000, "hot {hot} error {e}");
        assert!(e <= n / 16);
    }
}
