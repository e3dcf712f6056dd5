//! Our own CART classification tree and random forest, scikit-learn's
//! algorithm (`DecisionTreeClassifier`'s best splitter with the Gini
//! criterion, `RandomForestClassifier`'s bootstrap and soft vote), in place
//! of smartcore 0.7's classification tree, which skips a threshold whenever
//! the sorted rows on either side of it share a class and visits every
//! training row at every node.
//!
//! A node sorts its own rows by each feature it tries, so a level of the
//! tree costs about rows × log(rows) × features tried. Thresholds lie
//! midway between consecutive distinct values (`a/2 + b/2`, or `a` when
//! that rounds to `b`) and `x <= threshold` goes left; values closer than
//! 1e-7 count as equal; among splits of equal Gini decrease the first one
//! found wins, features being tried in a seeded random order. Everything
//! is integer counts, comparisons and one ChaCha8 stream per tree, so
//! native and wasm32 builds give the same trees to the bit. No wasm here.

use ndarray::Array2;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::{Probabilities, TrainError};

/// scikit-learn's `FEATURE_THRESHOLD`: feature values closer than this are
/// not split apart.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// Most training rows (and columns) a tree takes.
const MAX_ROWS: usize = i32::MAX as usize;

/// Nodes of more rows than this sort by radix, smaller ones by comparison.
const RADIX_FROM: usize = 256;

/// A node's `feature` when it is a leaf.
const LEAF: u32 = u32::MAX;

/// How a tree grows (scikit-learn's meaning for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TreeParams {
    /// Most levels of splits below the root (the root is depth 0); none
    /// grows until the leaves are pure or too small.
    pub max_depth: Option<u16>,
    /// Fewest (distinct) training rows on each side of a split.
    pub min_samples_leaf: usize,
    /// Fewest (distinct) training rows a node needs to be split.
    pub min_samples_split: usize,
}

/// One node: a split (`feature`, `threshold`, children at `index` and
/// `index + 1`) or a leaf (`feature == LEAF`, class counts at
/// `index × classes` in the tree's `counts`).
#[derive(Debug, Clone, Copy)]
struct Node {
    threshold: f64,
    feature: u32,
    index: u32,
}

/// A fitted tree: nodes in creation order (children after their parent)
/// and the leaves' weighted class counts.
struct Tree {
    nodes: Vec<Node>,
    counts: Vec<u32>,
}

/// A tree or a forest of classification trees, over the class codes seen
/// in training (ascending).
pub(super) struct Classifier {
    trees: Vec<Tree>,
    classes: Vec<u32>,
    width: usize,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classifier")
            .field("trees", &self.trees.len())
            .field("nodes", &self.trees.iter().map(|t| t.nodes.len()).sum::<usize>())
            .field("classes", &self.classes)
            .field("width", &self.width)
            .finish()
    }
}

/// A uniform integer in `0..n` ([`crate::data::split::below`]), drawing
/// nothing when there is one choice or none.
fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    crate::data::split::below(rng, n)
}

/// A row of a node as one feature sees it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    value: f64,
    class: u32,
    weight: u32,
}

/// The best split of a node found so far.
#[derive(Debug, Clone, Copy)]
struct Split {
    feature: usize,
    threshold: f64,
    proxy: f64,
    left_weight: u64,
    left_squares: u64,
    right_squares: u64,
}

/// Everything one tree's growth reads and its scratch space.
struct Grower<'a> {
    /// Column-major training values: feature `f` of row `i` at `f × rows + i`.
    columns: &'a [f64],
    rows: usize,
    width: usize,
    /// Class index (into the seen classes) of each row.
    y: &'a [u32],
    n_classes: usize,
    /// Weight of each row (its bootstrap count; 0 leaves it out).
    weights: &'a [u32],
    params: TreeParams,
    max_features: usize,
    rng: ChaCha8Rng,
    entries: Vec<Entry>,
    features: Vec<usize>,
    left: Vec<u64>,
}

/// The Gini proxy scikit-learn ranks splits by, with its float operations
/// in its order: `-w_r × gini_r - w_l × gini_l`, `gini = 1 - Σ count² / w²`.
fn proxy(left_weight: f64, left_squares: f64, right_weight: f64, right_squares: f64) -> f64 {
    let gini_left = 1.0 - left_squares / (left_weight * left_weight);
    let gini_right = 1.0 - right_squares / (right_weight * right_weight);
    -right_weight * gini_right - left_weight * gini_left
}

impl Grower<'_> {
    fn value(&self, feature: usize, row: u32) -> f64 {
        self.columns[feature * self.rows + row as usize]
    }

    /// The best split of the rows `samples` (with class `counts`, total
    /// weight `total`), trying features in a random order until at least
    /// `max_features` were drawn and one of them was not constant.
    fn best_split(&mut self, samples: &[u32], counts: &[u64], total: u64) -> Option<Split> {
        let m = samples.len();
        let min_leaf = self.params.min_samples_leaf;
        let total_squares: u64 = counts.iter().map(|c| c * c).sum();
        let mut best: Option<Split> = None;
        let mut best_proxy = f64::NEG_INFINITY;
        self.features.clear();
        self.features.extend(0..self.width);
        let mut found_varying = false;
        for drawn in 0..self.width {
            if drawn >= self.max_features && found_varying {
                break;
            }
            let pick = drawn + below(&mut self.rng, (self.width - drawn) as u64) as usize;
            self.features.swap(drawn, pick);
            let feature = self.features[drawn];
            let mut entries = std::mem::take(&mut self.entries);
            entries.clear();
            entries.extend(samples.iter().map(|&s| Entry { value: self.value(feature, s), class: self.y[s as usize], weight: self.weights[s as usize] }));
            // Radix sort for large nodes; the order of equal values does not
            // matter (only the counts on either side of a threshold do).
            if entries.len() > RADIX_FROM {
                radsort::sort_by_key(&mut entries, |e| e.value);
            } else {
                entries.sort_unstable_by(|a, b| a.value.total_cmp(&b.value));
            }
            let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
                self.entries = entries;
                continue;
            };
            if last.value <= first.value + FEATURE_THRESHOLD {
                self.entries = entries;
                continue;
            }
            found_varying = true;
            // Rows move from right to left as the candidate position grows.
            self.left.iter_mut().for_each(|c| *c = 0);
            let (mut left_weight, mut left_squares, mut right_squares) = (0u64, 0u64, total_squares);
            let mut moved = 0;
            let mut p = 0;
            while p < m {
                while p + 1 < m && entries[p + 1].value <= entries[p].value + FEATURE_THRESHOLD {
                    p += 1;
                }
                let previous = p;
                p += 1;
                if p >= m {
                    break;
                }
                if p < min_leaf || m - p < min_leaf {
                    continue;
                }
                for e in &entries[moved..p] {
                    let c = e.class as usize;
                    let w = u64::from(e.weight);
                    let before = self.left[c];
                    let right_before = counts[c] - before;
                    left_squares += 2 * before * w + w * w;
                    right_squares -= 2 * right_before * w - w * w;
                    self.left[c] = before + w;
                    left_weight += w;
                }
                moved = p;
                let right_weight = total - left_weight;
                let score = proxy(left_weight as f64, left_squares as f64, right_weight as f64, right_squares as f64);
                if score > best_proxy {
                    best_proxy = score;
                    let (a, b) = (entries[previous].value, entries[p].value);
                    let mut threshold = a / 2.0 + b / 2.0;
                    if threshold == b || threshold.is_infinite() {
                        threshold = a;
                    }
                    best = Some(Split { feature, threshold, proxy: score, left_weight, left_squares, right_squares });
                }
            }
            self.entries = entries;
        }
        best
    }

    /// Grows the tree on the rows whose weight is not 0.
    fn grow(mut self) -> Tree {
        let mut samples: Vec<u32> = (0..self.rows as u32).filter(|&i| self.weights[i as usize] > 0).collect();
        let root_weight: u64 = self.weights.iter().map(|&w| u64::from(w)).sum();
        let k = self.n_classes;
        let mut tree = Tree { nodes: vec![Node { threshold: 0.0, feature: LEAF, index: 0 }], counts: Vec::new() };
        // (node, start, end, depth), left children on top.
        let mut stack = vec![(0usize, 0usize, samples.len(), 0usize)];
        let mut counts = vec![0u64; k];
        while let Some((node, start, end, depth)) = stack.pop() {
            let rows = &mut samples[start..end];
            counts.iter_mut().for_each(|c| *c = 0);
            for &s in rows.iter() {
                counts[self.y[s as usize] as usize] += u64::from(self.weights[s as usize]);
            }
            let total: u64 = counts.iter().sum();
            let n = rows.len();
            let classes_present = counts.iter().filter(|&&c| c > 0).count();
            let mut leaf = self.params.max_depth.is_some_and(|d| depth >= usize::from(d))
                || n < self.params.min_samples_split
                || n < self.params.min_samples_leaf.saturating_mul(2)
                || classes_present <= 1;
            let mut split = None;
            if !leaf {
                split = self.best_split(rows, &counts, total);
                match split {
                    None => leaf = true,
                    Some(s) => {
                        // scikit-learn's impurity improvement test, with
                        // its epsilon and a `min_impurity_decrease` of 0.
                        let (w, wl) = (total as f64, s.left_weight as f64);
                        let wr = w - wl;
                        let squares: u64 = counts.iter().map(|c| c * c).sum();
                        let parent = 1.0 - squares as f64 / (w * w);
                        let gini_left = 1.0 - s.left_squares as f64 / (wl * wl);
                        let gini_right = 1.0 - s.right_squares as f64 / (wr * wr);
                        let improvement = (w / root_weight as f64) * (parent - wr / w * gini_right - wl / w * gini_left);
                        if improvement + f64::EPSILON < 0.0 || !s.proxy.is_finite() {
                            leaf = true;
                        }
                    }
                }
            }
            let mut middle = 0;
            if let (false, Some(s)) = (leaf, split) {
                // Left: `x <= threshold`, the rows before the split position.
                let base = s.feature * self.rows;
                let column = &self.columns[base..base + self.rows];
                let mut i = 0;
                for j in 0..rows.len() {
                    if column[rows[j] as usize] <= s.threshold {
                        rows.swap(i, j);
                        i += 1;
                    }
                }
                middle = i;
                leaf = middle == 0 || middle == n;
            }
            match split {
                Some(s) if !leaf => {
                    let left = tree.nodes.len();
                    tree.nodes[node] = Node { threshold: s.threshold, feature: s.feature as u32, index: left as u32 };
                    tree.nodes.push(Node { threshold: 0.0, feature: LEAF, index: 0 });
                    tree.nodes.push(Node { threshold: 0.0, feature: LEAF, index: 0 });
                    stack.push((left + 1, start + middle, end, depth + 1));
                    stack.push((left, start, start + middle, depth + 1));
                }
                _ => {
                    let at = tree.counts.len() / k.max(1);
                    tree.nodes[node] = Node { threshold: 0.0, feature: LEAF, index: at as u32 };
                    // Weights sum to at most the rows, which fit in u32.
                    tree.counts.extend(counts.iter().map(|&c| u32::try_from(c).unwrap_or(u32::MAX)));
                }
            }
        }
        tree.nodes.shrink_to_fit();
        tree.counts.shrink_to_fit();
        tree
    }
}

impl Tree {
    /// The leaf counts for `row` (of the training width).
    fn leaf(&self, row: &[f64], k: usize) -> &[u32] {
        let mut i = 0;
        loop {
            let node = self.nodes[i];
            if node.feature == LEAF {
                let at = node.index as usize * k;
                return &self.counts[at..at + k];
            }
            i = if row[node.feature as usize] <= node.threshold { node.index as usize } else { node.index as usize + 1 };
        }
    }

    /// Levels of splits below the root.
    #[cfg(test)]
    fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((i, d)) = stack.pop() {
            let node = self.nodes[i];
            if node.feature == LEAF {
                deepest = deepest.max(d);
            } else {
                stack.push((node.index as usize, d + 1));
                stack.push((node.index as usize + 1, d + 1));
            }
        }
        deepest
    }
}

/// What every fit needs: the training values by column and the class
/// index of each row.
struct Prepared {
    columns: Vec<f64>,
    y: Vec<u32>,
    classes: Vec<u32>,
}

fn prepare(x: &Array2<f64>, codes: &[u32]) -> Result<Prepared, TrainError> {
    let (rows, width) = x.dim();
    if rows == 0 || width == 0 || codes.len() != rows {
        return Err(TrainError::Fit { message: format!("a tree needs rows, columns and one class per row; got {rows} × {width} and {} classes", codes.len()) });
    }
    // Counts and their squares stay exact in u64 below 2^31 rows.
    if rows > MAX_ROWS || width > MAX_ROWS {
        return Err(TrainError::TooLargeForModel { model: "decision_tree", reason: format!("{rows} rows × {width} columns, over the limit of {MAX_ROWS} of either") });
    }
    let mut classes = codes.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let y = codes.iter().map(|c| classes.binary_search(c).unwrap_or(0) as u32).collect();
    let mut columns = Vec::with_capacity(rows * width);
    for j in 0..width {
        columns.extend(x.column(j).iter().copied());
    }
    Ok(Prepared { columns, y, classes })
}

impl Classifier {
    /// One tree on every row, every feature tried at each split in an
    /// order drawn from `seed`.
    pub(super) fn fit_tree(x: &Array2<f64>, codes: &[u32], params: TreeParams, seed: u64) -> Result<Classifier, TrainError> {
        let (rows, width) = x.dim();
        let data = prepare(x, codes)?;
        let weights = vec![1u32; rows];
        let rng = ChaCha8Rng::seed_from_u64(seed);
        let tree = grower(&data, rows, width, &weights, params, width, rng).grow();
        Ok(Classifier { trees: vec![tree], classes: data.classes, width })
    }

    /// `n_trees` trees, each on its own bootstrap sample of the rows (n
    /// draws with replacement; a row drawn twice weighs 2), trying
    /// `floor(sqrt(width))` features (at least 1) per split, as
    /// scikit-learn's `max_features="sqrt"`. Tree `t` draws from stream
    /// `t + 1` of a ChaCha8 generator seeded with `seed`. Trees are grown
    /// one after another.
    pub(super) fn fit_forest(x: &Array2<f64>, codes: &[u32], params: TreeParams, n_trees: u16, seed: u64) -> Result<Classifier, TrainError> {
        let (rows, width) = x.dim();
        let data = prepare(x, codes)?;
        let max_features = width.isqrt().max(1);
        let mut weights = vec![0u32; rows];
        let mut trees = Vec::with_capacity(usize::from(n_trees));
        for t in 0..u64::from(n_trees) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(t + 1);
            weights.iter_mut().for_each(|w| *w = 0);
            for _ in 0..rows {
                weights[below(&mut rng, rows as u64) as usize] += 1;
            }
            trees.push(grower(&data, rows, width, &weights, params, max_features, rng).grow());
        }
        Ok(Classifier { trees, classes: data.classes, width })
    }

    /// Class codes and probabilities (rows × `k`, in class-code order;
    /// classes absent from training get 0). A tree's probabilities are its
    /// leaf's class shares; a forest's the mean of its trees' (the trees
    /// summed in order, then divided by their number), as scikit-learn's
    /// `predict_proba`. The class is the most probable one, the lowest code
    /// on ties.
    pub(super) fn predict(&self, x: &Array2<f64>, k: usize) -> Result<(Vec<u32>, Probabilities), TrainError> {
        let (n, width) = x.dim();
        if width != self.width {
            return Err(TrainError::WidthMismatch { expected: self.width, found: width });
        }
        if self.classes.iter().any(|&c| c as usize >= k) {
            return Err(TrainError::Fit { message: format!("a class code over the {k} classes of the target") });
        }
        let c = self.classes.len();
        let values = x.as_standard_layout();
        let Some(flat) = values.as_slice().filter(|_| width > 0 && c > 0) else {
            return Err(TrainError::Fit { message: "the rows to predict could not be read as one block".into() });
        };
        // Tree by tree over every row (a tree stays in cache), each row's
        // shares still summed in tree order.
        let mut sums = vec![0.0f64; n * c];
        for tree in &self.trees {
            for (row, out) in flat.chunks_exact(width).zip(sums.chunks_exact_mut(c)) {
                let counts = tree.leaf(row, c);
                let total = counts.iter().map(|&v| f64::from(v)).sum::<f64>().max(1.0);
                for (s, &v) in out.iter_mut().zip(counts) {
                    *s += f64::from(v) / total;
                }
            }
        }
        let trees = self.trees.len().max(1) as f64;
        let mut proba = Array2::zeros((n, k));
        let mut pred = Vec::with_capacity(n);
        for (i, row) in sums.chunks_exact_mut(c).enumerate() {
            let (mut best, mut most) = (0, f64::NEG_INFINITY);
            for (j, s) in row.iter_mut().enumerate() {
                *s /= trees;
                proba[[i, self.classes[j] as usize]] = *s;
                if *s > most {
                    (best, most) = (j, *s);
                }
            }
            pred.push(self.classes.get(best).copied().unwrap_or(0));
        }
        Ok((pred, proba))
    }
}

fn grower<'a>(data: &'a Prepared, rows: usize, width: usize, weights: &'a [u32], params: TreeParams, max_features: usize, rng: ChaCha8Rng) -> Grower<'a> {
    let n_classes = data.classes.len();
    Grower {
        columns: &data.columns,
        rows,
        width,
        y: &data.y,
        n_classes,
        weights,
        params,
        max_features,
        rng,
        entries: Vec::new(),
        features: Vec::with_capacity(width),
        left: vec![0; n_classes],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(max_depth: Option<u16>, min_samples_leaf: usize, min_samples_split: usize) -> TreeParams {
        TreeParams { max_depth, min_samples_leaf, min_samples_split }
    }

    fn column(values: &[f64]) -> Array2<f64> {
        Array2::from_shape_fn((values.len(), 1), |(i, _)| values[i])
    }

    /// The leaves of a tree: (weighted class counts, depth).
    fn leaves(tree: &Tree, k: usize) -> Vec<(Vec<u32>, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(0usize, 0usize)];
        while let Some((i, d)) = stack.pop() {
            let node = tree.nodes[i];
            if node.feature == LEAF {
                let at = node.index as usize * k;
                out.push((tree.counts[at..at + k].to_vec(), d));
            } else {
                stack.push((node.index as usize + 1, d + 1));
                stack.push((node.index as usize, d + 1));
            }
        }
        out
    }

    /// Rows of noisy classes over `width` features, deterministic.
    fn noisy(rows: usize, width: usize, classes: u32) -> (Array2<f64>, Vec<u32>) {
        let mut state = 7u64;
        let mut rnd = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let x = Array2::from_shape_fn((rows, width), |_| (rnd() * 64.0).floor() / 8.0);
        let y = (0..rows).map(|i| ((x[[i, 0]] + x[[i, width - 1]] + rnd() * 3.0) as u32) % classes).collect();
        (x, y)
    }

    fn fingerprint(model: &Classifier) -> u64 {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        let mut eat = |v: u64| h = (h ^ v).wrapping_mul(0x0000_0100_0000_01b3);
        for t in &model.trees {
            for n in &t.nodes {
                eat(n.threshold.to_bits());
                eat(u64::from(n.feature));
                eat(u64::from(n.index));
            }
            t.counts.iter().for_each(|&c| eat(u64::from(c)));
        }
        h
    }

    /// A depth-1 stump on eight hand-made rows: the best Gini split of
    /// feature 0 is after the fourth row (proxy -1.5 against -1.67 after
    /// the second); feature 1 separates worse.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn a_stump_takes_the_best_threshold() {
        let f0 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let f1 = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        let x = Array2::from_shape_fn((8, 2), |(i, j)| if j == 0 { f0[i] } else { f1[i] });
        let y = [0, 0, 1, 0, 1, 1, 1, 1];
        for seed in 0..8 {
            let model = Classifier::fit_tree(&x, &y, params(Some(1), 1, 2), seed).unwrap();
            let tree = &model.trees[0];
            assert_eq!(tree.nodes.len(), 3);
            assert_eq!((tree.nodes[0].feature, tree.nodes[0].threshold), (0, 4.5));
            assert_eq!(leaves(tree, 2), vec![(vec![3, 1], 1), (vec![0, 4], 1)]);
            let (pred, proba) = model.predict(&x, 2).unwrap();
            assert_eq!(pred, vec![0, 0, 0, 0, 1, 1, 1, 1]);
            assert_eq!(proba.row(0).to_vec(), vec![0.75, 0.25]);
            assert_eq!(proba.row(7).to_vec(), vec![0.0, 1.0]);
        }
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn thresholds_lie_midway_between_distinct_values() {
        let model = Classifier::fit_tree(&column(&[1.0, 1.0, 1.0, 2.5, 2.5]), &[0, 0, 0, 1, 1], params(None, 1, 2), 0).unwrap();
        assert_eq!(model.trees[0].nodes[0].threshold, 1.75);
        // Values closer than 1e-7 are one value: no split between them.
        let model = Classifier::fit_tree(&column(&[1.0, 1.0 + 5e-8, 1.0 + 1e-7]), &[0, 1, 0], params(None, 1, 2), 0).unwrap();
        assert_eq!(model.trees[0].nodes.len(), 1);
        // Extremes: the midpoint of ±f64::MAX is 0, without overflow.
        let model = Classifier::fit_tree(&column(&[-f64::MAX, f64::MAX]), &[0, 1], params(None, 1, 2), 0).unwrap();
        assert_eq!(model.trees[0].nodes[0].threshold, 0.0);
        // A midpoint that rounds to the upper value becomes the lower one,
        // so the lower value still goes left.
        let (a, b) = (2f64.powi(60) + 256.0, 2f64.powi(60) + 512.0);
        assert_eq!(a / 2.0 + b / 2.0, b);
        let model = Classifier::fit_tree(&column(&[a, b]), &[0, 1], params(None, 1, 2), 0).unwrap();
        assert_eq!(model.trees[0].nodes[0].threshold, a);
        assert_eq!(model.predict(&column(&[a, b]), 2).unwrap().0, vec![0, 1]);
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn min_samples_leaf_and_max_depth_are_honoured() {
        let (x, y) = noisy(400, 3, 3);
        let free = Classifier::fit_tree(&x, &y, params(None, 1, 2), 1).unwrap();
        assert!(free.trees[0].depth() > 6, "{}", free.trees[0].depth());
        assert!(leaves(&free.trees[0], 3).iter().any(|(c, _)| c.iter().sum::<u32>() < 7));
        for leaf in [7, 30, 150] {
            let model = Classifier::fit_tree(&x, &y, params(None, leaf, 2), 1).unwrap();
            let sizes: Vec<u32> = leaves(&model.trees[0], 3).iter().map(|(c, _)| c.iter().sum()).collect();
            assert!(sizes.len() > 1 && sizes.iter().all(|&s| s as usize >= leaf), "{leaf}: {sizes:?}");
            assert_eq!(sizes.iter().sum::<u32>(), 400);
        }
        for depth in [1u16, 2, 3, 5] {
            let model = Classifier::fit_tree(&x, &y, params(Some(depth), 1, 2), 1).unwrap();
            assert_eq!(model.trees[0].depth(), usize::from(depth));
            let forest = Classifier::fit_forest(&x, &y, params(Some(depth), 1, 2), 5, 1).unwrap();
            assert!(forest.trees.iter().all(|t| t.depth() <= usize::from(depth)));
        }
        // min_samples_split: every split node holds at least 60 rows.
        let model = Classifier::fit_tree(&x, &y, params(None, 1, 60), 1).unwrap();
        let tree = &model.trees[0];
        fn rows_under(tree: &Tree, i: usize, k: usize) -> u32 {
            let node = tree.nodes[i];
            if node.feature == LEAF {
                let at = node.index as usize * k;
                return tree.counts[at..at + k].iter().sum();
            }
            rows_under(tree, node.index as usize, k) + rows_under(tree, node.index as usize + 1, k)
        }
        let splits: Vec<u32> = (0..tree.nodes.len()).filter(|&i| tree.nodes[i].feature != LEAF).map(|i| rows_under(tree, i, 3)).collect();
        assert!(splits.len() > 2 && splits.iter().all(|&r| r >= 60), "{splits:?}");
        assert!(leaves(tree, 3).iter().any(|(c, _)| c.iter().sum::<u32>() < 60));
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn pure_nodes_are_leaves() {
        let x = column(&[1.0, 2.0, 3.0, 10.0, 11.0, 12.0]);
        let model = Classifier::fit_tree(&x, &[0, 0, 0, 1, 1, 1], params(None, 1, 2), 0).unwrap();
        assert_eq!(model.trees[0].nodes.len(), 3);
        assert_eq!(leaves(&model.trees[0], 2), vec![(vec![3, 0], 1), (vec![0, 3], 1)]);
        // Splits of no impurity decrease are still made, as scikit-learn
        // makes them: XOR is learnt.
        let x = Array2::from_shape_vec((4, 2), vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]).unwrap();
        let y = [0, 1, 1, 0];
        let model = Classifier::fit_tree(&x, &y, params(None, 1, 2), 0).unwrap();
        assert_eq!(model.predict(&x, 2).unwrap().0, y.to_vec());
    }

    /// Degenerate data never panics and gives a usable model.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn degenerate_data_gives_a_leaf_not_a_panic() {
        let same = Array2::from_elem((6, 3), 2.5);
        let cases: Vec<(Array2<f64>, Vec<u32>, TreeParams)> = vec![
            (same.clone(), vec![0, 1, 0, 1, 0, 2], params(None, 1, 2)),
            (same, vec![1; 6], params(None, 1, 2)),
            (column(&[1.0, 2.0, 3.0, 4.0]), vec![3, 3, 3, 3], params(None, 1, 2)),
            (column(&[1.0, 2.0]), vec![0, 1], params(None, 1, 2)),
            (column(&[1.0, 2.0]), vec![0, 1], params(None, 2, 2)),
            (column(&[1.0, 2.0, 3.0, 4.0, 5.0]), vec![0, 1, 0, 1, 0], params(None, 3, 2)),
            (column(&[1.0, 2.0, 3.0]), vec![0, 1, 0], params(Some(64), 1, 1_000_000)),
            (column(&[-0.0, 0.0, -0.0, 0.0]), vec![0, 1, 1, 0], params(None, 1, 2)),
            (column(&[f64::MIN_POSITIVE, -f64::MIN_POSITIVE]), vec![0, 1], params(None, 1, 2)),
        ];
        for (x, y, p) in cases {
            let k = *y.iter().max().unwrap() as usize + 1;
            for model in [Classifier::fit_tree(&x, &y, p, 3).unwrap(), Classifier::fit_forest(&x, &y, p, 4, 3).unwrap()] {
                let (pred, proba) = model.predict(&x, k).unwrap();
                assert_eq!(pred.len(), x.nrows());
                assert_eq!(proba.dim(), (x.nrows(), k));
                for row in proba.rows() {
                    assert!((row.sum() - 1.0).abs() < 1e-12, "{x:?} {y:?}: {row:?}");
                }
            }
        }
        // Two rows of different classes a leaf must keep together: one
        // leaf of shares, the lowest class code on the tie.
        let model = Classifier::fit_tree(&column(&[1.0, 2.0]), &[4, 2], params(None, 2, 2), 0).unwrap();
        let (pred, proba) = model.predict(&column(&[0.0]), 6).unwrap();
        assert_eq!(pred, vec![2]);
        assert_eq!(proba.row(0).to_vec(), vec![0.0, 0.0, 0.5, 0.0, 0.5, 0.0]);
        // Width and shape errors are errors.
        assert_eq!(model.predict(&Array2::zeros((2, 3)), 6).unwrap_err().code(), "width_mismatch");
        assert!(model.predict(&column(&[0.0]), 3).is_err());
        assert!(Classifier::fit_tree(&Array2::zeros((0, 2)), &[], params(None, 1, 2), 0).is_err());
        assert!(Classifier::fit_tree(&column(&[1.0, 2.0]), &[0], params(None, 1, 2), 0).is_err());
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn same_seed_same_trees_and_probabilities_sum_to_one() {
        let (x, y) = noisy(300, 5, 4);
        let a = Classifier::fit_forest(&x, &y, params(None, 1, 2), 20, 9).unwrap();
        let b = Classifier::fit_forest(&x, &y, params(None, 1, 2), 20, 9).unwrap();
        let c = Classifier::fit_forest(&x, &y, params(None, 1, 2), 20, 10).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        let (pa, qa) = a.predict(&x, 4).unwrap();
        let (pb, qb) = b.predict(&x, 4).unwrap();
        assert_eq!(pa, pb);
        assert!(qa.iter().zip(qb.iter()).all(|(u, v)| u.to_bits() == v.to_bits()));
        for row in qa.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-12 && row.iter().all(|v| (0.0..=1.0).contains(v)), "{row:?}");
        }
        // Each tree saw a bootstrap sample: the rows' weights sum to 300.
        for t in &a.trees {
            assert_eq!(t.counts.iter().sum::<u32>(), 300);
        }
        let t1 = Classifier::fit_tree(&x, &y, params(None, 1, 2), 9).unwrap();
        let t2 = Classifier::fit_tree(&x, &y, params(None, 1, 2), 9).unwrap();
        assert_eq!(fingerprint(&t1), fingerprint(&t2));
        let (p, q) = t1.predict(&x, 4).unwrap();
        assert_eq!(p, y, "a free tree fits its distinct training rows");
        assert!(q.rows().into_iter().all(|row| (row.sum() - 1.0).abs() < 1e-12));
    }

    /// The same trees to the bit natively and in wasm32 (this test runs in
    /// both): fingerprints of a tree and a forest, recorded natively.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn trees_are_the_same_bits_on_every_platform() {
        let (x, y) = noisy(500, 6, 3);
        let tree = Classifier::fit_tree(&x, &y, params(Some(8), 2, 4), 42).unwrap();
        let forest = Classifier::fit_forest(&x, &y, params(None, 1, 2), 10, 42).unwrap();
        assert_eq!((fingerprint(&tree), fingerprint(&forest)), (6_872_770_215_554_713_178, 7_546_495_829_491_899_126));
    }
}
