//! Reading a file in parts at once (one per thread or Web Worker).
//!
//! The [`Ingest`] that reads a file's head settles its reading options and
//! column names, then gives a [`PartSpec`] for the rest: a [`Part`] parser
//! reads the bytes from a line start on, typing them into columns of its
//! own, while the head's parser reads up to that line start (and hashes the
//! part's bytes, so the fingerprint stays one SHA-256 in file order). The
//! head then takes the parts' columns in ([`Ingest::absorb`]).
//!
//! A part starts at a guess: the byte after a newline, assumed to begin a
//! record outside any quote. The guess is checked when the parts come
//! back: the head must end at the part's first byte at a record start
//! outside a quote, and each part where the next begins. Anything a part
//! cannot settle alone makes the head refuse every part, and the caller
//! then pushes their bytes to the head as if there were no parts: a wrong
//! guess, an error in a part (the head meets it again and reports it with
//! its own row and line), sampling, a byte not UTF-8, the row limit, or
//! the merged columns coming near the memory budget. So the dataset, the
//! error and the sample are always those of one parser reading every byte
//! (tested against it); parts only save time.

use serde::{Deserialize, Serialize};

use super::{Code, ColBuilder, Ctx, DataError, Decoder, Encoding, HeaderFix, Ingest, Labels, Num, OverBudget, ParseOptions, Parser, ParserHead, Respelled, SheetErrors, Skips, Spaces, Store, ValueExample, EXAMPLES, LISTED_ROWS};

/// What a part's parser needs from the parser of the file's head.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartSpec {
    /// File name, for messages.
    pub file: String,
    /// Offset of the part's first byte in the file.
    pub start: u64,
    /// Offset the part ends at (exclusive); the file's size for the last.
    pub end: u64,
    /// Whether the part runs to the end of the file.
    pub last: bool,
    opts: ParseOptions,
    delimiter: u8,
    /// Fields separated by runs of blanks.
    #[serde(default)]
    whitespace: bool,
    term: u8,
    decimal_comma: bool,
    windows_1252: bool,
    names: Vec<String>,
    /// The header's cells as written (records repeating them are skipped).
    #[serde(default)]
    header_cells: Option<Vec<String>>,
    /// Notes below the table are found as they come (see the head's parser).
    #[serde(default)]
    notes_widest: Option<usize>,
}

/// The offset, in `window` (bytes of the file from some offset on), of the
/// first byte after a newline: where a part may start. `None` when the
/// window holds no newline, or only as its last byte with nothing after.
pub fn part_start(window: &[u8]) -> Option<usize> {
    let p = memchr::memchr(b'\n', window)? + 1;
    (p < window.len()).then_some(p)
}

/// Reads one part of a file.
pub struct Part {
    spec: PartSpec,
    decoder: Decoder,
    parser: Parser,
    bytes: u64,
}

/// A part's columns, before the head takes them in.
pub struct PartOutput {
    facts: PartFacts,
    cols: PartCols,
}

/// What the head checks of a part and adds to its own counts (also the
/// header of the part's bytes).
#[derive(Clone, Serialize, Deserialize)]
struct PartFacts {
    start: u64,
    bytes: u64,
    /// The part ran to the end of the file (its last record was ended).
    eof: bool,
    /// It ended at a record start outside a quote.
    clean_end: bool,
    sampled: bool,
    n_rows: usize,
    blank_lines: usize,
    lines: usize,
    /// Short rows filled with missing values, and the first one's row,
    /// line and fields (counted in the part).
    #[serde(default)]
    short_rows: usize,
    #[serde(default)]
    first_short: Option<(usize, usize, usize)>,
    /// Rows read without empty fields past the header's width, and the
    /// first one's row, line and fields (counted in the part).
    #[serde(default)]
    long_rows: usize,
    #[serde(default)]
    first_long: Option<(usize, usize, usize)>,
    /// Lines skipped as no data (their lines counted in the part).
    #[serde(default)]
    skips: Skips,
    /// Read as Windows-1252: valid UTF-8 sequences, and the first one's
    /// byte offset in the file and character.
    #[serde(default)]
    utf8_in_1252: usize,
    #[serde(default)]
    utf8_in_1252_first: Option<(usize, char)>,
}

/// A part's columns: built (a thread of this process), or encoded (from
/// another worker), decoded one at a time as they are taken in so that the
/// head never holds more than one column's copy.
enum PartCols {
    Built(Vec<ColBuilder>),
    Encoded(Vec<ColMeta>, ColumnBytes),
}

/// Gives the encoded bytes of column `i` (`None`: they cannot be had).
#[cfg(not(target_arch = "wasm32"))]
type ColumnBytes = Box<dyn FnMut(usize) -> Option<Vec<u8>> + Send>;
#[cfg(target_arch = "wasm32")]
type ColumnBytes = Box<dyn FnMut(usize) -> Option<Vec<u8>>>;

/// Reads bytes `start..end` of an encoded part. Natively it may move to
/// another thread; in wasm it holds JavaScript objects, which cannot.
#[cfg(not(target_arch = "wasm32"))]
pub type ReadBytes = Box<dyn FnMut(usize, usize) -> Option<Vec<u8>> + Send>;
/// Reads bytes `start..end` of an encoded part. Natively it may move to
/// another thread; in wasm it holds JavaScript objects, which cannot.
#[cfg(target_arch = "wasm32")]
pub type ReadBytes = Box<dyn FnMut(usize, usize) -> Option<Vec<u8>>>;

/// What the head checks of a part's column before taking it in.
struct ColInfo<'a> {
    /// 0 empty, 1 numbers, 2 times, 3 labels.
    store: u8,
    /// The type set for the column.
    forced: Option<super::ColumnKind>,
    len: usize,
    levels: usize,
    text_bytes: usize,
    non_finite: usize,
    nf_texts: &'a [String],
}

impl ColBuilder {
    fn info(&self) -> ColInfo<'_> {
        let (store, len, levels, text_bytes) = match &self.store {
            Store::Empty => (0, 0, 0, 0),
            Store::Numbers(v) => (1, v.len(), 0, 0),
            Store::Times(v) => (2, v.len(), 0, 0),
            Store::Labels(l) => (3, l.codes.len(), l.levels.len(), l.text_bytes),
        };
        ColInfo { store, forced: self.forced, len, levels, text_bytes, non_finite: self.non_finite.len(), nf_texts: &self.nf_texts }
    }
}

impl ColMeta {
    fn info(&self) -> ColInfo<'_> {
        ColInfo { store: self.store, forced: self.forced, len: self.len, levels: self.levels, text_bytes: self.text_bytes, non_finite: self.non_finite.len(), nf_texts: &self.nf_texts }
    }

    /// Bytes of the column's encoded values.
    fn encoded_len(&self) -> Option<usize> {
        match self.store {
            0 => Some(0),
            1 | 2 => self.len.checked_mul(8)?.checked_add(self.spelled)?.checked_add(self.time_forms.checked_mul(4)?),
            3 => self.len.checked_mul(4)?.checked_add(self.levels.checked_mul(4)?)?.checked_add(self.text_bytes),
            _ => None,
        }
    }
}

impl PartOutput {
    fn width(&self) -> usize {
        match &self.cols {
            PartCols::Built(c) => c.len(),
            PartCols::Encoded(m, _) => m.len(),
        }
    }

    fn info(&self, i: usize) -> ColInfo<'_> {
        match &self.cols {
            PartCols::Built(c) => c[i].info(),
            PartCols::Encoded(m, _) => m[i].info(),
        }
    }
}

impl Part {
    /// A parser for the bytes `spec.start..spec.end`.
    pub fn new(spec: PartSpec) -> Part {
        let head = ParserHead { header_fix: HeaderFix::None, delimiter: spec.delimiter, term: spec.term, decimal_comma: spec.decimal_comma, has_header: false, line0: 0, whitespace: spec.whitespace, escape: false, footer_line: None, title_lines: None, survey_rows: 0, notes_widest: spec.notes_widest };
        let mut opts = spec.opts.clone();
        // Sampling (which the head refuses) rather than an error: a part
        // never stops for memory the head would not have stopped for.
        opts.over_budget = OverBudget::Sample;
        let mut parser = Parser::new(&spec.file, &opts, &head, 0, Some(spec.end.saturating_sub(spec.start)), 1.0, 1);
        parser.cols = spec.names.iter().map(|n| ColBuilder::new(n.clone(), spec.opts.column_types.get(n).copied())).collect();
        parser.names = Some(spec.names.clone());
        parser.header_cells = spec.header_cells.clone();
        let encoding = if spec.windows_1252 { Encoding::Windows1252 } else { Encoding::Utf8 };
        let decoder = Decoder::new(encoding, false, spec.start as usize);
        Part { spec, decoder, parser, bytes: 0 }
    }

    /// Bytes pushed so far.
    pub fn bytes_done(&self) -> u64 {
        self.bytes
    }

    /// Reads the next bytes of the part. An error ends the part: the head
    /// refuses it and meets the error itself.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        self.bytes += chunk.len() as u64;
        let text = self.decoder.feed(chunk, false, &self.spec.file)?;
        self.parser.bytes_in = self.bytes;
        self.parser.feed(&text)
    }

    /// Ends the part (and, for the last part, the file's last record).
    pub fn finish(mut self) -> Result<PartOutput, DataError> {
        let p = &mut self.parser;
        if self.spec.last {
            let text = self.decoder.feed(&[], true, &self.spec.file)?;
            p.feed(&text)?;
            p.end_records()?;
        } else {
            // Records held back as notes are rows: more follow in the file.
            p.read_pending_notes()?;
            p.flush()?;
        }
        let clean_end = p.at_start && p.outlen == 0 && p.endlen == 0 && !p.in_quote && self.decoder.carry.is_empty() && p.spaces.as_ref().is_none_or(Spaces::at_line_start);
        let facts = PartFacts {
            start: self.spec.start,
            bytes: self.bytes,
            eof: self.spec.last,
            clean_end,
            sampled: p.ctx.stride != 1 || p.cols.iter().any(|c| c.acc.is_some()),
            n_rows: p.n_rows,
            blank_lines: p.blank_lines,
            lines: p.lines,
            short_rows: p.short_rows,
            first_short: p.first_short,
            long_rows: p.long_rows,
            first_long: p.first_long,
            skips: std::mem::take(&mut p.skips),
            utf8_in_1252: self.decoder.utf8_in_1252.count,
            utf8_in_1252_first: self.decoder.utf8_in_1252.first,
        };
        Ok(PartOutput { facts, cols: PartCols::Built(std::mem::take(&mut p.cols)) })
    }
}

impl Ingest {
    /// Once the head of the file is read (its column names known), what a
    /// [`Part`] parser needs to read `start..end` of it. `None` when the
    /// file cannot be read in parts: UTF-16, names not yet read, columns not
    /// projected to fit the memory budget (or sampling started), or
    /// `over_budget` set to stop.
    pub fn part_spec(&self, start: u64, end: u64) -> Option<PartSpec> {
        let p = self.parser.as_ref()?;
        let d = self.decoder.as_ref()?;
        let names = p.names.clone()?;
        let windows_1252 = match d.encoding {
            Encoding::Utf8 => false,
            Encoding::Windows1252 => true,
            Encoding::Utf16 { .. } => return None,
        };
        // Parts only when the head projects that the whole file's columns
        // fit (it then reserved them): a file to be sampled is read by one
        // parser, and a part would be refused anyway.
        // A file with comment lines is read by one parser: a split could
        // fall in a comment whose quotes the part would misread; so is one
        // with backslash escapes (a split after an escaped line end).
        if self.failed.is_some() || p.comment.is_some() || p.escape || p.ctx.stride != 1 || p.reserved_rows == 0 || p.opts.over_budget != OverBudget::Sample || start >= end || start < self.bytes {
            return None;
        }
        let last = self.total.is_some_and(|t| t == end);
        Some(PartSpec {
            file: self.file.clone(),
            start,
            end,
            last,
            opts: self.opts.clone(),
            delimiter: p.delimiter,
            whitespace: p.spaces.is_some(),
            term: p.term,
            decimal_comma: p.ctx.decimal_comma,
            windows_1252,
            names,
            header_cells: p.header_cells.clone(),
            notes_widest: p.notes_widest,
        })
    }

    /// Hashes bytes that follow every byte pushed or hashed so far, without
    /// parsing them: the bytes parts read. Pushed later (when parts are
    /// refused), they are parsed and not hashed twice.
    pub fn hash_ahead(&mut self, bytes: &[u8]) {
        use sha2::Digest;
        self.sha.update(bytes);
        self.hashed += bytes.len() as u64;
    }

    /// Takes in the columns of parts that read the rest of the file, in
    /// file order from the byte after the last one pushed, the last to the
    /// end of the file, their bytes hashed with [`Ingest::hash_ahead`].
    /// `Ok(false)`: they are refused (see the module's notes) and the
    /// caller pushes their bytes instead. An error is the head's own, met
    /// while typing the records it had read.
    pub fn absorb(&mut self, parts: Vec<PartOutput>) -> Result<bool, DataError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let Some(last) = parts.last() else { return Ok(false) };
        let end = last.facts.start + last.facts.bytes;
        let contiguous = parts.iter().try_fold(self.bytes, |at, p| (p.facts.start == at).then_some(at + p.facts.bytes)).is_some();
        let decoder_clean = self.decoder.as_ref().is_some_and(|d| d.carry.is_empty() && !matches!(d.encoding, Encoding::Utf16 { .. }));
        if !contiguous || !decoder_clean || self.hashed < end || self.total.is_some_and(|t| t != end) {
            return Ok(false);
        }
        let Some(parser) = self.parser.as_mut() else { return Ok(false) };
        // A part starts after a line end, so no UTF-8 sequence spans two.
        let utf8_in_1252 = parts.iter().map(|p| p.facts.utf8_in_1252).sum::<usize>();
        let utf8_in_1252_first = parts.iter().find_map(|p| p.facts.utf8_in_1252_first);
        let r = parser.absorb(parts);
        match r {
            Ok(true) => {
                if let Some(d) = self.decoder.as_mut() {
                    d.utf8_in_1252.count += utf8_in_1252;
                    d.utf8_in_1252.first = d.utf8_in_1252.first.or(utf8_in_1252_first);
                }
                self.bytes = end;
                self.saw_content = true;
                Ok(true)
            }
            Ok(false) => Ok(false),
            Err(e) => {
                self.failed = Some(e.clone());
                Err(e)
            }
        }
    }
}

/// Longest text, in bytes, of a number or date written as a label.
const FORMATTED_MAX: usize = 32;

impl Parser {
    fn absorb(&mut self, parts: Vec<PartOutput>) -> Result<bool, DataError> {
        // Records held back as notes are rows: the parts' follow them.
        self.read_pending_notes()?;
        self.flush()?;
        let width = match &self.names {
            Some(n) => n.len(),
            None => return Ok(false),
        };
        let at_record_start = self.at_start && self.outlen == 0 && self.endlen == 0 && !self.in_quote && self.spaces.as_ref().is_none_or(Spaces::at_line_start);
        if !at_record_start || self.ctx.stride != 1 || self.reserved_rows == 0 || self.opts.over_budget != OverBudget::Sample {
            return Ok(false);
        }
        let n = parts.len();
        let ends_right = parts.iter().enumerate().all(|(k, p)| !p.facts.sampled && p.width() == width && if k + 1 == n { p.facts.eof } else { p.facts.clean_end && !p.facts.eof });
        if !ends_right {
            return Ok(false);
        }
        let rows = parts.iter().fold(self.n_rows, |a, p| a.saturating_add(p.facts.n_rows));
        // Below the reserved rows: every check on the way would have
        // counted the reserved vectors as they are.
        if rows > self.opts.max_rows || rows >= self.reserved_rows {
            return Ok(false);
        }
        // Non-finite texts are kept clipped and at most 64 of them: merged
        // in order only when each part kept every one whole.
        let nf_whole = parts.iter().flat_map(|p| (0..width).map(move |i| p.info(i))).all(|c| c.nf_texts.len() < 64 && c.nf_texts.iter().all(|t| t.chars().count() < 100));
        if !nf_whole {
            return Ok(false);
        }
        if self.bound_after(&parts) > self.opts.max_memory_bytes {
            return Ok(false);
        }
        // Dates in a local form in a column set to a date type: their
        // checks do not travel with a part, so one parser reads them.
        let local_dates = self.cols.iter().any(|c| c.loose.is_some())
            || parts.iter().flat_map(|p| (0..width).map(move |i| p.info(i))).any(|c| c.store == 3 && c.forced.is_some_and(|k| k.is_time()));
        if local_dates {
            return Ok(false);
        }
        for p in parts {
            let (row_off, line_off) = (self.n_rows, self.lines);
            match p.cols {
                PartCols::Built(cols) => {
                    // Columns merge independently: natively on every core.
                    let mut pairs: Vec<(&mut ColBuilder, Option<ColBuilder>)> = self.cols.iter_mut().zip(cols).map(|(c, o)| (c, Some(o))).collect();
                    let ctx = &self.ctx;
                    crate::par::map_mut(&mut pairs, crate::par::available(), |(c, o)| {
                        if let Some(o) = o.take() {
                            c.append(o, row_off, line_off, ctx);
                        }
                    });
                }
                PartCols::Encoded(metas, mut fetch) => {
                    for (i, m) in metas.into_iter().enumerate() {
                        // The lengths were checked against the metadata: only
                        // damage in transit could stop a column here.
                        let Some(o) = fetch(i).and_then(|b: Vec<u8>| decode_col(m, &b)) else {
                            return Err(DataError::Csv { file: self.ctx.file.clone(), line: self.lines, message: "a part read by another worker arrived damaged; load the file again".into() });
                        };
                        self.cols[i].append(o, row_off, line_off, &self.ctx);
                    }
                }
            }
            if let (None, Some((row, line, found))) = (self.first_short, p.facts.first_short) {
                self.first_short = Some((row + row_off, line + line_off, found));
            }
            self.short_rows += p.facts.short_rows;
            if let (None, Some((row, line, found))) = (self.first_long, p.facts.first_long) {
                self.first_long = Some((row + row_off, line + line_off, found));
            }
            self.long_rows += p.facts.long_rows;
            self.skips.merge(&p.facts.skips, line_off);
            self.n_rows += p.facts.n_rows;
            self.blank_lines += p.facts.blank_lines;
            self.lines += p.facts.lines;
        }
        self.at_start = true;
        self.in_quote = false;
        self.quote_pending = false;
        self.field_start = true;
        Ok(true)
    }

    /// The most the sampling rule could have counted at any check while
    /// one parser read the head and the parts: each column's vector by its
    /// reserved capacity (twice the reserved rows of a number's 8 bytes when it was
    /// not reserved as it is), and twice its other bytes at their largest.
    fn bound_after(&self, parts: &[PartOutput]) -> usize {
        let per_number = std::mem::size_of::<crate::data::Num>();
        let reserved = self.reserved_rows;
        let mut total = 0usize;
        for (i, c) in self.cols.iter().enumerate() {
            let sides: Vec<ColInfo> = std::iter::once(c.info()).chain(parts.iter().map(|p| p.info(i))).collect();
            let (_, cap, per) = c.store_vec();
            let store = if !matches!(c.store, Store::Empty) && cap >= reserved { cap.saturating_mul(per).max(reserved.saturating_mul(per)) } else { reserved.saturating_mul(per_number).saturating_mul(2) };
            // The store kind the merged column ends with: labels when any
            // side holds labels or numbers meet dates.
            let numbers = sides.iter().any(|s| s.store == 1);
            let times = sides.iter().any(|s| s.store == 2);
            let labels = sides.iter().any(|s| s.store == 3) || (numbers && times);
            let nf: usize = sides.iter().map(|s| s.non_finite).sum();
            let mut rest = nf.saturating_mul(16);
            if labels {
                for s in &sides {
                    rest = rest.saturating_add(match s.store {
                        3 => s.text_bytes.saturating_mul(2).saturating_add(s.levels.saturating_mul(64)),
                        1 | 2 => s.len.saturating_mul(2 * FORMATTED_MAX + 64),
                        _ => 0,
                    });
                }
            }
            total = total.saturating_add(store).saturating_add(rest.saturating_mul(2));
        }
        total
    }
}

impl ColBuilder {
    /// Appends the rows of the same column read by the next part, as if
    /// they had been pushed here: `row_off` rows and `line_off` lines
    /// precede them.
    fn append(&mut self, mut o: ColBuilder, row_off: usize, line_off: usize, ctx: &Ctx) {
        self.sheet_errors.append(o.sheet_errors, row_off, line_off);
        for k in 0..3 {
            self.counts[k] += o.counts[k];
            for e in std::mem::take(&mut o.examples[k]) {
                if self.examples[k].len() < EXAMPLES {
                    self.examples[k].push(ValueExample { value: e.value, row: e.row + row_off });
                }
            }
        }
        self.all_int &= o.all_int;
        self.has_time |= o.has_time;
        self.zoned += o.zoned;
        self.unzoned += o.unzoned;
        if self.shifted.is_none() {
            self.shifted = o.shifted.take();
        }
        if self.respelled.is_none() {
            self.respelled = o.respelled.take().map(|e| Respelled { row: e.row + row_off, ..e });
        }
        let to_labels = matches!(
            (&self.store, &o.store),
            (Store::Labels(_), _) | (_, Store::Labels(_)) | (Store::Numbers(_), Store::Times(_)) | (Store::Times(_), Store::Numbers(_))
        );
        if to_labels {
            // Widened as one parser would have widened: this side's
            // non-finite numbers become labels, the part's come as labels.
            if !matches!(self.store, Store::Labels(_)) {
                self.widen_to_labels(ctx);
            }
            if !matches!(o.store, Store::Labels(_)) {
                o.widen_to_labels(ctx);
            }
        } else {
            // Non-finite numbers, in row order, indexed as push_non_finite
            // indexes them.
            let first = self.nf_count == 0 && o.nf_count > 0;
            let mut map: Vec<Option<u32>> = vec![None; o.nf_texts.len()];
            for &(pos, t) in &o.non_finite {
                let i = *map[t as usize].get_or_insert_with(|| {
                    let text = &o.nf_texts[t as usize];
                    match self.nf_texts.iter().position(|x| x == text) {
                        Some(i) => i as u32,
                        None if self.nf_texts.len() < 64 => {
                            self.nf_texts.push(text.clone());
                            (self.nf_texts.len() - 1) as u32
                        }
                        None => 0,
                    }
                });
                self.non_finite.push((pos + self.stored, i));
            }
            if first {
                self.nf_first_line = o.nf_first_line + line_off;
                self.nf_first_text = map.get(o.nf_first_text as usize).copied().flatten().unwrap_or(0);
            }
            self.nf_count += o.nf_count;
            for r in o.nf_rows {
                if self.nf_rows.len() < LISTED_ROWS {
                    self.nf_rows.push(r + row_off);
                }
            }
        }
        let stored = self.stored;
        // How the part's numbers and times are written, after their
        // position here.
        if !o.spelled.is_empty() && matches!(o.store, Store::Numbers(_)) {
            self.spelled.resize(stored, 0);
            self.spelled.append(&mut o.spelled);
        }
        if !o.time_forms.is_empty() && matches!(o.store, Store::Times(_)) {
            self.time_forms.resize(stored, 0);
            self.time_forms.append(&mut o.time_forms);
        }
        match (&mut self.store, o.store) {
            (_, Store::Empty) => self.push_missing_n(o.stored),
            (Store::Empty, Store::Numbers(v)) => {
                let mut all = Vec::with_capacity(stored + v.len());
                all.resize(stored, Num::MISSING);
                all.extend(v);
                self.store = Store::Numbers(all);
            }
            (Store::Empty, Store::Times(v)) => {
                let mut all = Vec::with_capacity(stored + v.len());
                all.resize(stored, Num::MISSING);
                all.extend(v);
                self.store = Store::Times(all);
            }
            (Store::Numbers(a), Store::Numbers(v)) | (Store::Times(a), Store::Times(v)) => a.extend(v),
            (Store::Labels(a), Store::Labels(b)) => a.append(b),
            // Widened above.
            _ => unreachable!("stores of one kind after widening"),
        }
        self.rows += o.rows;
        self.stored += o.stored;
    }

    /// `n` missing values at the end of the store.
    fn push_missing_n(&mut self, n: usize) {
        match &mut self.store {
            Store::Empty => {}
            Store::Numbers(v) | Store::Times(v) => v.resize(v.len() + n, Num::MISSING),
            Store::Labels(l) => l.codes.resize(l.codes.len() + n, Code::MISSING),
        }
    }
}

impl Labels {
    /// Appends another column's labels: its levels take this column's codes
    /// where they exist and new ones in its order of first appearance.
    fn append(&mut self, o: Labels) {
        self.index.reserve(o.levels.len());
        self.codes.reserve(o.codes.len());
        let remap: Vec<u32> = o.levels.into_iter().map(|l| self.code_owned(l)).collect();
        self.codes.extend(o.codes.into_iter().map(|c| Code::new(c.map(|c| remap[c as usize]))));
    }
}

// ------------------------------------------------------- bytes between workers

const MAGIC: &[u8; 8] = b"mlcpart3";

#[derive(Serialize, Deserialize)]
struct PartMeta {
    facts: PartFacts,
    cols: Vec<ColMeta>,
}

#[derive(Serialize, Deserialize)]
struct ColMeta {
    name: String,
    forced: Option<super::ColumnKind>,
    /// 0 empty, 1 numbers, 2 times, 3 labels.
    store: u8,
    len: usize,
    levels: usize,
    text_bytes: usize,
    /// Bytes of how the numbers are written (see `ColBuilder::spelled`),
    /// after the numbers.
    spelled: usize,
    /// How the times are written (see `ColBuilder::time_forms`), a u32
    /// each after the times.
    #[serde(default)]
    time_forms: usize,
    rows: usize,
    stored: usize,
    all_int: bool,
    has_time: bool,
    /// Times read with and without a UTC offset.
    zones: [usize; 2],
    /// The first time moved by its offset.
    #[serde(default)]
    shifted: Option<String>,
    /// The first number whose label reads otherwise.
    #[serde(default)]
    respelled: Option<Respelled>,
    counts: [usize; 3],
    examples: [Vec<ValueExample>; 3],
    non_finite: Vec<(usize, u32)>,
    nf_count: usize,
    nf_rows: Vec<usize>,
    nf_texts: Vec<String>,
    nf_first_line: usize,
    nf_first_text: u32,
    #[serde(default)]
    sheet_errors: SheetErrors,
}

impl PartOutput {
    /// The part as bytes, to pass between Web Workers: a JSON header, then
    /// each column's values (numbers as a little-endian f64 each, NaN when
    /// missing; labels as u32 codes, `u32::MAX` missing, then
    /// their texts, each after its u32 length). `None` for a part that is
    /// itself decoded from bytes.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        let PartCols::Built(cols) = &self.cols else { return None };
        let metas: Vec<ColMeta> = cols
            .iter()
            .map(|c| {
                let i = c.info();
                ColMeta {
                    name: c.name.clone(),
                    forced: c.forced,
                    store: i.store,
                    len: i.len,
                    levels: i.levels,
                    text_bytes: i.text_bytes,
                    spelled: c.spelled.len(),
                    time_forms: c.time_forms.len(),
                    rows: c.rows,
                    stored: c.stored,
                    all_int: c.all_int,
                    has_time: c.has_time,
                    zones: [c.zoned, c.unzoned],
                    shifted: c.shifted.clone(),
                    respelled: c.respelled.clone(),
                    counts: c.counts,
                    examples: c.examples.clone(),
                    non_finite: c.non_finite.clone(),
                    nf_count: c.nf_count,
                    nf_rows: c.nf_rows.clone(),
                    nf_texts: c.nf_texts.clone(),
                    nf_first_line: c.nf_first_line,
                    nf_first_text: c.nf_first_text,
                    sheet_errors: c.sheet_errors,
                }
            })
            .collect();
        let body: usize = metas.iter().filter_map(ColMeta::encoded_len).sum();
        let meta = PartMeta { facts: self.facts.clone(), cols: metas };
        let head = serde_json::to_vec(&meta).ok()?;
        let mut out = Vec::with_capacity(MAGIC.len() + 8 + head.len() + body);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(head.len() as u64).to_le_bytes());
        out.extend_from_slice(&head);
        for c in cols {
            match &c.store {
                Store::Empty => {}
                Store::Numbers(v) | Store::Times(v) => {
                    for x in v {
                        out.extend_from_slice(&x.unwrap_or(f64::NAN).to_le_bytes());
                    }
                    out.extend_from_slice(&c.spelled);
                    for f in &c.time_forms {
                        out.extend_from_slice(&f.to_le_bytes());
                    }
                }
                Store::Labels(l) => {
                    for c in &l.codes {
                        out.extend_from_slice(&c.get().unwrap_or(u32::MAX).to_le_bytes());
                    }
                    for level in &l.levels {
                        out.extend_from_slice(&(level.len() as u32).to_le_bytes());
                        out.extend_from_slice(level.as_bytes());
                    }
                }
            }
        }
        Some(out)
    }

    /// A part from [`PartOutput::to_bytes`]'s `total` bytes, read through
    /// `read(start, end)` only as needed: the header now, each column as it
    /// is taken in. `None` when the header is not a part's, or the lengths
    /// it gives do not add up to `total` (the head then reads those bytes
    /// itself).
    pub fn from_encoded(total: usize, mut read: ReadBytes) -> Option<PartOutput> {
        let pre = MAGIC.len() + 8;
        let first = read(0, pre.min(total))?;
        if first.len() != pre || &first[..MAGIC.len()] != MAGIC {
            return None;
        }
        let head_len = usize::try_from(u64::from_le_bytes(first[MAGIC.len()..].try_into().ok()?)).ok()?;
        let body_at = pre.checked_add(head_len).filter(|&e| e <= total)?;
        let meta: PartMeta = serde_json::from_slice(&read(pre, body_at)?).ok()?;
        let mut ranges = Vec::with_capacity(meta.cols.len());
        let mut at = body_at;
        for m in &meta.cols {
            let consistent = (m.store == 0 || m.len == m.stored)
                && (m.spelled == 0 || (m.store == 1 && m.spelled <= m.len))
                && (m.time_forms == 0 || (m.store == 2 && m.time_forms <= m.len))
                && m.non_finite.iter().all(|&(p, t)| p < m.stored && (t as usize) < m.nf_texts.len())
                && (m.nf_count == 0 || (m.nf_first_text as usize) < m.nf_texts.len());
            let end = at.checked_add(m.encoded_len()?)?;
            if !consistent || end > total {
                return None;
            }
            ranges.push((at, end));
            at = end;
        }
        if at != total {
            return None;
        }
        let fetch: ColumnBytes = Box::new(move |i| {
            let &(a, b) = ranges.get(i)?;
            read(a, b).filter(|v| v.len() == b - a)
        });
        Some(PartOutput { facts: meta.facts, cols: PartCols::Encoded(meta.cols, fetch) })
    }

    /// [`PartOutput::from_encoded`] over bytes held whole.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<PartOutput> {
        let total = bytes.len();
        PartOutput::from_encoded(total, Box::new(move |a, b| bytes.get(a..b).map(<[u8]>::to_vec)))
    }
}

/// One column from its metadata and encoded values; `None` if they do not
/// agree.
fn decode_col(m: ColMeta, bytes: &[u8]) -> Option<ColBuilder> {
    let mut r = Reader { b: bytes, at: 0 };
    let mut spelled = Vec::new();
    let mut time_forms = Vec::new();
    let store = match m.store {
        0 => Store::Empty,
        1 | 2 => {
            let values = r.take(m.len.checked_mul(8)?)?;
            let v: Vec<Num> = values.chunks_exact(8).map(|x| Num::new(Some(f64::from_le_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]])))).collect();
            spelled = r.take(m.spelled)?.to_vec();
            time_forms = r.take(m.time_forms.checked_mul(4)?)?.chunks_exact(4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]])).collect();
            if m.store == 1 {
                Store::Numbers(v)
            } else {
                Store::Times(v)
            }
        }
        3 => {
            let raw = r.take(m.len.checked_mul(4)?)?;
            let codes: Vec<Code> = raw.chunks_exact(4).map(|x| Code::new(Some(u32::from_le_bytes([x[0], x[1], x[2], x[3]])))).collect();
            if codes.iter().flatten().any(|&c| c as usize >= m.levels) {
                return None;
            }
            // The levels only: a part's labels are taken in by their texts
            // (Labels::append), so no index is built for them.
            let mut l = Labels::new(0);
            l.levels.reserve(m.levels);
            for _ in 0..m.levels {
                let n = usize::try_from(r.u32()?).ok()?;
                let text = std::str::from_utf8(r.take(n)?).ok()?;
                l.text_bytes += text.len();
                l.levels.push(text.to_string());
            }
            l.codes = codes;
            Store::Labels(l)
        }
        _ => return None,
    };
    if r.at != bytes.len() {
        return None;
    }
    let mut c = ColBuilder::new(m.name, m.forced);
    c.store = store;
    c.rows = m.rows;
    c.stored = m.stored;
    c.all_int = m.all_int;
    c.has_time = m.has_time;
    [c.zoned, c.unzoned] = m.zones;
    c.shifted = m.shifted;
    c.spelled = spelled;
    c.time_forms = time_forms;
    c.respelled = m.respelled;
    c.counts = m.counts;
    c.examples = m.examples;
    c.non_finite = m.non_finite;
    c.nf_count = m.nf_count;
    c.nf_rows = m.nf_rows;
    c.nf_texts = m.nf_texts;
    c.nf_first_line = m.nf_first_line;
    c.nf_first_text = m.nf_first_text;
    c.sheet_errors = m.sheet_errors;
    Some(c)
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.b.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        let s = self.take(4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

/// Reads `bytes` as one parser and parts would in a worker: the head up to
/// the line start after each offset in `splits`, a part from each, the
/// parts' bytes hashed ahead, passed as bytes and taken in (or refused and
/// pushed). Gives the dataset, whether the parts were taken in, and where
/// the head ended.
#[cfg(test)]
pub(crate) fn read_in_parts(bytes: &[u8], name: &str, opts: &ParseOptions, splits: &[usize], chunk: usize) -> (Result<super::Dataset, DataError>, bool, usize) {
    let mut starts: Vec<usize> = splits.iter().filter(|&&s| s < bytes.len()).filter_map(|&s| part_start(&bytes[s..]).map(|p| s + p)).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut ingest = match Ingest::new(name, opts, Some(bytes.len() as u64)) {
        Ok(i) => i,
        Err(e) => return (Err(e), false, 0),
    };
    let head_end = starts.first().copied().unwrap_or(bytes.len());
    let push_all = |ingest: &mut Ingest, from: usize| -> Result<(), DataError> {
        for c in bytes[from..].chunks(chunk.max(1)) {
            ingest.push(c)?;
        }
        Ok(())
    };
    let mut taken = false;
    let result = (|| {
        for c in bytes[..head_end].chunks(chunk.max(1)) {
            ingest.push(c)?;
        }
        if head_end < bytes.len() {
            let ends: Vec<usize> = starts.iter().skip(1).copied().chain(std::iter::once(bytes.len())).collect();
            let outputs: Option<Vec<PartOutput>> = starts
                .iter()
                .zip(&ends)
                .map(|(&s, &e)| {
                    let spec = ingest.part_spec(s as u64, e as u64)?;
                    // Through JSON and bytes, as between workers.
                    let spec: PartSpec = serde_json::from_str(&serde_json::to_string(&spec).ok()?).ok()?;
                    let mut part = Part::new(spec);
                    for c in bytes[s..e].chunks(chunk.max(1)) {
                        part.push(c).ok()?;
                    }
                    PartOutput::from_bytes(part.finish().ok()?.to_bytes()?)
                })
                .collect();
            ingest.hash_ahead(&bytes[head_end..]);
            taken = match outputs {
                Some(parts) => ingest.absorb(parts)?,
                None => false,
            };
            if !taken {
                push_all(&mut ingest, head_end)?;
            }
        }
        Ok(())
    })();
    let result = result.and_then(|()| ingest.finish());
    (result, taken, head_end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ColumnKind, Dataset};

    /// 3000 rows (the head sniffs 64 KiB before parts can start) that exercise what parts must merge: quoted newlines and
    /// doubled quotes, blank lines, missing tokens, a column that turns to
    /// labels late, one empty until late, dates meeting numbers, non-finite
    /// numbers, many distinct texts.
    fn sample(crlf: bool, ragged_at: Option<usize>) -> Vec<u8> {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut s = format!("id,num,when,cat,mixed,text,nf,late,dates_then_numbers{nl}");
        for i in 0..3000usize {
            let num = if i % 17 == 0 { "NA".to_string() } else { format!("{}.{}", i * 7 % 101, i % 10) };
            let when = if i % 23 == 0 { String::new() } else { format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28) };
            let cat = ["red", "green", "blue", " Blue"][i % 4];
            // Numbers, some kept as written (`5.10`) or by value (`+4`
            // reads `4`), that turn to labels late.
            let mixed = match i {
                _ if i >= 2600 && i % 7 == 0 => "x".to_string(),
                1500 => "+4".to_string(),
                _ if i % 3 == 0 => format!("{}.{}0", i % 13, i % 2),
                _ => (i % 13).to_string(),
            };
            let text = if i % 50 == 3 { format!("\"line one, {i}{nl}line \"\"two\"\"\"") } else { format!("note {i} about row {}", i * 31 % 977) };
            let nf = match i { 250 | 2300 => "inf".to_string(), 2350 => "-1e400".to_string(), _ => (i % 5).to_string() };
            let late = if i < 2200 { String::new() } else { (i * 3).to_string() };
            // Dates, some with a time written with a space, then numbers.
            let dn = if i < 2000 { format!("2023-03-{:02}{}", 1 + i % 28, if i % 5 == 0 { " 10:30" } else { "" }) } else { (i % 9).to_string() };
            let row = if ragged_at == Some(i) { format!("{i},{num}") } else { format!("{i},{num},{when},{cat},{mixed},{text},{nf},{late},{dn}") };
            s.push_str(&row);
            s.push_str(nl);
            if i % 97 == 5 {
                s.push_str(nl);
            }
        }
        s.into_bytes()
    }

    fn opts() -> ParseOptions {
        // Small enough for frequent checks (the head reserves its columns
        // at its first), large enough that nothing is sampled.
        ParseOptions { max_memory_bytes: 3_000_000, non_finite: crate::data::NonFinitePolicy::Missing, ..ParseOptions::default() }
    }

    /// Where two datasets differ, briefly (a failed assert_eq! would print
    /// every value).
    fn diff(a: &Dataset, b: &Dataset) -> String {
        let mut out = Vec::new();
        if a.sha256 != b.sha256 || a.n_rows != b.n_rows {
            out.push(format!("sha/rows {} {} / {} {}", a.sha256, a.n_rows, b.sha256, b.n_rows));
        }
        for (x, y) in a.columns.iter().zip(&b.columns) {
            if x != y {
                out.push(format!("column {} ({:?} vs {:?})", x.name, x.kind, y.kind));
            }
        }
        if a.ingest != b.ingest {
            out.push(format!("ingest {:?}\nvs {:?}", a.ingest, b.ingest));
        }
        if a.sample != b.sample {
            out.push("sample".into());
        }
        out.join("; ")
    }

    fn whole(bytes: &[u8], opts: &ParseOptions) -> Result<Dataset, DataError> {
        let mut ingest = Ingest::new("t.csv", opts, Some(bytes.len() as u64))?;
        ingest.push(bytes)?;
        ingest.finish()
    }

    /// Parts split anywhere (inside quoted fields too) give the dataset of
    /// one parser, bit for bit with its fingerprint, and are taken in
    /// wherever the head could reserve its columns first.
    #[test]
    fn parts_anywhere_give_the_one_parser_dataset() {
        for crlf in [false, true] {
            let bytes = sample(crlf, None);
            let one = whole(&bytes, &opts()).unwrap();
            assert!(one.sample.is_none());
            assert_eq!(one.columns[4].kind, ColumnKind::Categorical);
            // Its numbers keep their form, but for one by value.
            let labels = |ds: &Dataset| match &ds.columns[4].values {
                crate::data::ColumnValues::Categorical { levels, .. } => levels.clone(),
                _ => Vec::new(),
            };
            let levels = labels(&one);
            assert!(["5.10", "5.00", "5", "x", "4"].iter().all(|l| levels.iter().any(|v| v == l)) && !levels.iter().any(|v| v == "5.1" || v == "+4"), "{levels:?}");
            let m = &one.ingest.mixed[0];
            assert_eq!(m.respelled.as_ref().map(|r| (r.value.as_str(), r.reads.as_str(), r.row)), Some(("+4", "4", 1501)));
            // Its dates too, the time written with a space as it was.
            let levels = match &one.columns[8].values {
                crate::data::ColumnValues::Categorical { levels, .. } => levels.clone(),
                _ => Vec::new(),
            };
            assert!(levels.iter().any(|l| l == "2023-03-06 10:30") && levels.iter().any(|l| l == "2023-03-02") && !levels.iter().any(|l| l.contains('T')), "{levels:?}");
            let n = bytes.len();
            let (mut taken, mut tried) = (0, 0);
            for s in (0..n).step_by(n / 60 + 1) {
                for splits in [vec![s], vec![s, s + n / 5]] {
                    for chunk in [n, 4096, 61] {
                        let (ds, t, _) = read_in_parts(&bytes, "t.csv", &opts(), &splits, chunk);
                        let ds = ds.unwrap_or_else(|e| panic!("parts at {splits:?}, chunks of {chunk}, crlf {crlf}: {e}"));
                        assert!(ds == one, "parts at {splits:?}, chunks of {chunk}, crlf {crlf}: {}", diff(&ds, &one));
                        tried += 1;
                        taken += usize::from(t);
                    }
                }
            }
            // Heads past the 64 KiB sniffed (a third of the file) and not
            // split inside a quoted field are taken in.
            assert!(taken * 2 > tried, "{taken} of {tried} taken in");
        }
    }

    /// Columns aligned with runs of blanks (detected), quoted names with
    /// spaces and line ends in them, and short rows filled with missing
    /// values: parts split anywhere give the one parser's dataset, the
    /// warning's count and first row included, and are taken in.
    #[test]
    fn whitespace_and_short_rows_read_in_parts() {
        let mut text = String::from("   id      num  cat     name                 late\n");
        for i in 0..3000usize {
            let num = if i % 17 == 0 { "?".to_string() } else { format!("{}.{}", i * 7 % 101, i % 10) };
            let name = if i % 50 == 3 { format!("\"two  lines\n{i}\"") } else { format!("\"car  {} {i}\"", ["ford", "chevy"][i % 2]) };
            if i % 41 == 40 {
                text.push_str(&format!("{i:>5} {num:>7}\n"));
            } else {
                text.push_str(&format!("{i:>5} {num:>7}  {:<6}\t{name:<22} {}  \n", ["red", "green", "blue"][i % 3], i * 3));
            }
            if i % 97 == 5 {
                text.push_str("   \n");
            }
        }
        let bytes = text.into_bytes();
        let o = ParseOptions { short_rows: crate::data::ShortRows::Missing, ..opts() };
        let one = whole(&bytes, &o).unwrap();
        assert_eq!(one.ingest.delimiter, "whitespace");
        assert_eq!(one.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "num", "cat", "name", "late"]);
        assert_eq!(one.n_rows, 3000);
        let w = one.ingest.warnings.iter().find(|w| w.code == "short_rows_filled").expect("short rows warned");
        assert!(w.message.starts_with("73 rows had") && w.message.ends_with("the first at row 41 (line 44, 2 fields)"), "{}", w.message);
        let n = bytes.len();
        let (mut taken, mut tried) = (0, 0);
        for s in (0..n).step_by(n / 40 + 1) {
            for chunk in [n, 4096, 61] {
                let (ds, t, _) = read_in_parts(&bytes, "t.csv", &o, &[s, s + n / 5], chunk);
                let ds = ds.unwrap_or_else(|e| panic!("parts at {s}, chunks of {chunk}: {e}"));
                assert!(ds == one, "parts at {s}, chunks of {chunk}: {}", diff(&ds, &one));
                tried += 1;
                taken += usize::from(t);
            }
        }
        assert!(taken * 2 > tried, "{taken} of {tried} taken in");
    }

    /// Reads `bytes` in two parts split at 30 places, whole and in 4 KiB
    /// chunks, and checks each gives `one`, the dataset of one parser.
    fn same_in_parts(bytes: &[u8], one: &Dataset) {
        let n = bytes.len();
        for s in (0..n).step_by(n / 30 + 1) {
            for chunk in [n, 4096] {
                let (ds, _, _) = read_in_parts(bytes, "t.csv", &opts(), &[s, s + n / 4], chunk);
                let ds = ds.unwrap_or_else(|e| panic!("parts at {s}, chunks of {chunk}: {e}"));
                assert!(ds == *one, "parts at {s}, chunks of {chunk}: {}", diff(&ds, one));
            }
        }
    }

    /// Spreadsheet error cells (`#DIV/0!`) are missing values counted in a
    /// note naming the column, the errors and the first row: the same from
    /// parts split anywhere as from one parser. `#N/A` is missing and not
    /// counted; a user's token list without them keeps them as labels.
    #[test]
    fn spreadsheet_errors_read_in_parts() {
        let mut text = String::from("id,ratio,pct\n");
        for i in 0..4000usize {
            let ratio = match i % 53 {
                7 => "#DIV/0!".to_string(),
                30 if i > 2000 => "#VALUE!".to_string(),
                11 => "#N/A".to_string(),
                _ => format!("{}.{}", i % 13, i % 7),
            };
            text.push_str(&format!("{i},{ratio},{}%\n", i % 90));
        }
        let bytes = text.into_bytes();
        let one = whole(&bytes, &opts()).unwrap();
        assert_eq!(one.columns[1].kind, ColumnKind::Float);
        let w: Vec<&str> = one.ingest.warnings.iter().filter(|w| w.code == "spreadsheet_errors").map(|w| w.message.as_str()).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        // Rows 8, 61, … hold #DIV/0! (76 of them); #VALUE! from row 2045 (37).
        assert!(w[0].starts_with("column \"ratio\": 113 cells hold spreadsheet errors (#DIV/0!, #VALUE!), read as missing, the first at row 8 (line 9)"), "{}", w[0]);
        assert_eq!((0..one.n_rows).filter(|&i| one.columns[1].is_missing(i)).count(), 76 + 37 + 76);
        same_in_parts(&bytes, &one);
        let own = ParseOptions { missing_tokens: vec![String::new(), "NA".into()], ..opts() };
        let labels = whole(&bytes, &own).unwrap();
        assert_eq!(labels.columns[1].kind, ColumnKind::Categorical);
        assert!(!labels.ingest.warnings.iter().any(|w| w.code == "spreadsheet_errors"));
    }

    /// Rows ending in a delimiter the header does not have, every few
    /// lines (empty fields past its width), are read without those fields
    /// and counted in a note: the same from parts split anywhere. An extra
    /// field with a value is still an error naming its row.
    #[test]
    fn trailing_empty_fields_read_in_parts() {
        let mut text = String::from("id,x,c\n");
        for i in 0..4000usize {
            let end = match i % 37 {
                5 => ",",
                6 => ", ,",
                _ => "",
            };
            text.push_str(&format!("{i},{}.5,{}{end}\n", i % 11, ["a", "b", "c"][i % 3]));
        }
        let bytes = text.into_bytes();
        let one = whole(&bytes, &opts()).unwrap();
        assert_eq!((one.n_rows, one.columns.len()), (4000, 3));
        let w = one.ingest.warnings.iter().find(|w| w.code == "trailing_empty_fields").expect("a note");
        assert_eq!(w.message, "216 rows ended with empty fields past the header's 3 columns (a delimiter at the end of the line), left out, the first at row 6 (line 7)");
        assert_eq!(one.columns[2].kind, ColumnKind::Categorical);
        same_in_parts(&bytes, &one);
        let mut bad = String::from_utf8(bytes).unwrap();
        bad.push_str("4000,1.5,a,extra\n");
        let e = whole(bad.as_bytes(), &opts()).unwrap_err().to_string();
        assert!(e.contains("row 4001 (line 4002) has 4 fields but the header has 3"), "{e}");
    }

    /// Records of empty fields (a spreadsheet's `,,`, also at the end) and
    /// records repeating the header (files joined) are skipped, not read
    /// as rows: parts split anywhere give the one parser's dataset and its
    /// notes' counts and first lines.
    #[test]
    fn empty_rows_and_repeated_headers_read_in_parts() {
        let mut text = String::from("id,num,cat,note\n");
        for i in 0..6000usize {
            text.push_str(&format!("{i},{}.5,{},note number {i} of the file with words enough to make it long\n", i % 7, ["a", "b"][i % 2]));
            if i % 97 == 5 {
                text.push_str(if i % 2 == 0 { ",,,\n" } else { "\"\", ,,\n" });
            }
            if i % 400 == 399 {
                text.push_str("id, num,cat,note\n");
            }
            if i % 1000 == 999 {
                text.push_str("(1000 rows)\n");
            }
            if i % 700 == 500 {
                text.push_str("----,----,---,---\n");
            }
        }
        text.push_str(",,,\n,,,\n");
        let bytes = text.into_bytes();
        let one = whole(&bytes, &opts()).unwrap();
        assert_eq!(one.n_rows, 6000);
        let kinds: Vec<ColumnKind> = one.columns.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ColumnKind::Integer, ColumnKind::Float, ColumnKind::Categorical, ColumnKind::Text]);
        let note = |code: &str| one.ingest.warnings.iter().find(|w| w.code == code).map(|w| w.message.clone()).unwrap_or_default();
        assert!(note("empty_rows").starts_with("64 rows with every field empty were skipped, the first at line 8 "), "{}", note("empty_rows"));
        assert!(note("repeated_header").starts_with("15 rows repeating the column names were skipped, the first at line 407 "), "{}", note("repeated_header"));
        assert!(note("row_count_line").starts_with("6 lines counting the rows above them"), "{}", note("row_count_line"));
        assert!(note("rule_lines").starts_with("8 lines drawing rules"), "{}", note("rule_lines"));
        let n = bytes.len();
        let (mut taken, mut tried) = (0, 0);
        for s in (0..n).step_by(n / 40 + 1) {
            for chunk in [n, 4096, 61] {
                let (ds, t, _) = read_in_parts(&bytes, "t.csv", &opts(), &[s, s + n / 5], chunk);
                let ds = ds.unwrap_or_else(|e| panic!("parts at {s}, chunks of {chunk}: {e}"));
                assert!(ds == one, "parts at {s}, chunks of {chunk}: {}", diff(&ds, &one));
                tried += 1;
                taken += usize::from(t);
            }
        }
        assert!(taken * 2 > tried, "{taken} of {tried} taken in");
    }

    /// Windows-1252 text (bytes 0x80 and up are not UTF-8) reads in parts
    /// as whole.
    #[test]
    fn windows_1252_reads_in_parts() {
        let mut bytes = sample(false, None);
        // Every "note" becomes "n\xE9te" ("néte": é in Windows-1252).
        let needle = b"note";
        let mut i = 0;
        while i + needle.len() <= bytes.len() {
            if &bytes[i..i + needle.len()] == needle {
                bytes[i + 1] = 0xE9;
            }
            i += 1;
        }
        let o = ParseOptions { encoding: crate::data::TextEncoding::Windows1252, ..opts() };
        let one = whole(&bytes, &o).unwrap();
        assert_eq!(one.columns[5].name, "text");
        assert!(matches!(&one.columns[5].values, crate::data::ColumnValues::Categorical { levels, .. } if levels.iter().any(|l| l.starts_with("n\u{e9}te 1 about"))));
        let (ds, taken, _) = read_in_parts(&bytes, "t.csv", &o, &[bytes.len() / 2], 4096);
        let ds = ds.unwrap();
        assert!(ds == one, "{}", diff(&ds, &one));
        assert!(taken);
    }

    /// An error in a part is met again by the head, with its own row and line.
    #[test]
    fn an_error_in_a_part_is_the_heads() {
        let bytes = sample(false, Some(2980));
        let one = whole(&bytes, &opts());
        assert!(matches!(one, Err(DataError::RaggedRow { row: 2981, .. })), "{one:?}");
        let (ds, taken, _) = read_in_parts(&bytes, "t.csv", &opts(), &[bytes.len() / 2], 4096);
        assert_eq!((ds, taken), (one, false));
    }

    /// Forced types merge as read; a file that would be sampled is not
    /// read in parts, and is sampled as by one parser.
    #[test]
    fn forced_types_and_sampling() {
        let bytes = sample(false, None);
        let mut o = opts();
        o.column_types.insert("num".into(), ColumnKind::Float);
        o.column_types.insert("mixed".into(), ColumnKind::Text);
        o.column_types.insert("id".into(), ColumnKind::Categorical);
        let one = whole(&bytes, &o).unwrap();
        let (ds, taken, _) = read_in_parts(&bytes, "t.csv", &o, &[bytes.len() / 2], 4096);
        let ds = ds.unwrap();
        assert!(ds == one, "{}", diff(&ds, &one));
        assert!(taken);

        let small = ParseOptions { max_memory_bytes: 300_000, ..opts() };
        let one = whole(&bytes, &small).unwrap();
        assert!(one.sample.is_some());
        let (ds, taken, _) = read_in_parts(&bytes, "t.csv", &small, &[bytes.len() / 2], 4096);
        assert_eq!((ds.unwrap(), taken), (one, false));

        // Sampled with no type set: the kept rows' numbers keep their form
        // when the column turns to labels, each by its own row.
        let free = ParseOptions { max_memory_bytes: 300_000, ..opts() };
        let one = whole(&bytes, &free).unwrap();
        let sample = one.sample.as_ref().expect("sampled");
        let crate::data::ColumnValues::Categorical { levels, codes } = &one.columns[4].values else { panic!("{:?}", one.columns[4].kind) };
        let ids = match &one.columns[0].values {
            crate::data::ColumnValues::Numeric(v) => v.clone(),
            _ => panic!("ids"),
        };
        assert!(codes.len() < 3000 && sample.kept_rows == codes.len(), "{} kept", codes.len());
        for (id, c) in ids.iter().zip(codes) {
            let i = id.get().expect("an id") as usize;
            let written = match i {
                _ if i >= 2600 && i % 7 == 0 => "x".to_string(),
                1500 => "4".to_string(),
                _ if i % 3 == 0 => format!("{}.{}0", i % 13, i % 2),
                _ => (i % 13).to_string(),
            };
            assert_eq!(c.map(|c| levels[c as usize].as_str()), Some(written.as_str()), "row of id {i}");
        }
    }

    /// Damaged bytes are refused, never trusted.
    #[test]
    fn damaged_part_bytes_are_refused() {
        let bytes = sample(false, None);
        let mut ingest = Ingest::new("t.csv", &opts(), Some(bytes.len() as u64)).unwrap();
        let start = bytes.len() / 2 + part_start(&bytes[bytes.len() / 2..]).unwrap();
        ingest.push(&bytes[..start]).unwrap();
        let mut part = Part::new(ingest.part_spec(start as u64, bytes.len() as u64).unwrap());
        part.push(&bytes[start..]).unwrap();
        let good = part.finish().unwrap().to_bytes().unwrap();
        assert!(PartOutput::from_bytes(good.clone()).is_some());
        for cut in [0, 8, 20, good.len() / 2, good.len() - 1] {
            assert!(PartOutput::from_bytes(good[..cut].to_vec()).is_none(), "cut at {cut}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(PartOutput::from_bytes(longer).is_none());
    }
}
