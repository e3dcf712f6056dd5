//! Data management, profile: data-quality alerts.
//!
//! Takes a dataset and its profile and gives alerts, each with a severity,
//! its evidence in numbers and, where one exists, a suggested recipe step
//! ([`Alert::fix`]): applying an alert's fix is adding that step to the
//! user's recipe. Thresholds are constants here, named in each message.
//! No wasm here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{percent_text, percent_with, ColumnProfile, Measure, Profile};
use crate::data::{ColumnKind, ColumnValues, Dataset};
use crate::prepare::{ImputeStrategy, ScaleMethod, StepSpec};
use crate::report::quoted;

/// Missing share (%) from which a column is flagged.
pub const HIGH_MISSING_PCT: f64 = 20.0;
/// Missing share (%) from which dropping is suggested over imputing.
pub const DROP_MISSING_PCT: f64 = 50.0;
/// Share of the most frequent value from which a column is near-constant.
pub const NEAR_CONSTANT_SHARE: f64 = 0.95;
/// Distinct values up to which a number column has no outliers to speak
/// of (a 1–5 rating, a count of 0–3).
pub const FEW_VALUES: usize = 5;
/// Labels above which a label column has high cardinality.
pub const HIGH_CARDINALITY: usize = 50;
/// Absolute skewness above which a column is heavily skewed.
pub const HEAVY_SKEW: f64 = 2.0;
/// Share of interquartile outliers from which a column is flagged. Normal
/// data has 0.7% outside Tukey's fences, so at 1% clean columns were
/// flagged by chance (6 of wine's 13); at 2% they are not.
pub const OUTLIER_SHARE: f64 = 0.02;
/// Smallest class share under which classes are imbalanced.
pub const MINORITY_SHARE: f64 = 0.10;
/// Accuracy of a one-feature rule from which leakage is suspected.
pub const LEAKAGE_ACCURACY: f64 = 0.99;
/// Rows the one-feature rule is judged on: a sample past this.
pub const LEAKAGE_ROWS: usize = 100_000;
/// Absolute correlation from which two columns are redundant.
pub const HIGH_CORRELATION: f64 = 0.95;
/// Rows with both values a pair needs before its correlation is alerted
/// on: r ≥ 0.95 on 10 rows is still ≥ 0.79 at the low end of its 95%
/// interval; on 2 or 3 rows it is chance.
pub const MIN_CORRELATION_ROWS: usize = 10;
/// Share of a label column's values that must be numbers in disguise
/// ("$1,200.50", "45%") for it to be flagged.
pub const NUMBERS_AS_TEXT_SHARE: f64 = 0.9;

/// A column's labels read as numbers written as text: the share of its
/// values that are numbers, how many, how many of those have a sign or
/// separator, and the first label (by level) that has one.
pub(crate) struct WrittenNumbers<'a> {
    pub share: f64,
    pub values: usize,
    pub marked: usize,
    pub example: &'a str,
    /// The unit after the numbers ("kg" in "12 kg"), when the column's
    /// numbers are written with one (see [`common_unit`]).
    pub unit: Option<&'a str>,
    /// Values written with another unit, and the first of them ("1TB"
    /// among "64GB"): the fix reads them as missing.
    pub other_unit: Option<(usize, &'a str)>,
    /// Values that are no numbers, and the first of them (by level)
    /// ("call" among "$3.25"): the fix reads them as missing.
    pub others: Option<(usize, &'a str)>,
}

/// [`WrittenNumbers`] of `levels` counted `counts` times, when at least
/// [`NUMBERS_AS_TEXT_SHARE`] of the values are numbers and one is written
/// with a sign or separator. Stops once the labels that are no numbers rule
/// it out (a free-text column has hundreds of thousands of levels).
/// Failing that, the numbers may share a unit (`12 kg`, `23.4 kmpl`, `74
/// bhp`): see [`common_unit`].
pub(crate) fn written_numbers<'a>(levels: &'a [String], counts: &[usize], file_decimal_comma: bool) -> Option<WrittenNumbers<'a>> {
    let decimal_comma = decimal_comma_of(levels.iter().zip(counts).filter(|(_, &n)| n > 0).map(|(l, _)| l.as_str())).unwrap_or(file_decimal_comma);
    marked_numbers(levels, counts, decimal_comma).or_else(|| common_unit(levels, counts, decimal_comma))
}

/// The 1-based row a label is first on; `None` when rows were sampled
/// (a kept row's position is not its row in the file).
fn first_row(levels: &[String], codes: &[crate::data::Code], label: &str, sampled: bool) -> Option<usize> {
    let k = levels.iter().position(|l| l == label)?;
    codes.iter().position(|c| *c == Some(k as u32)).filter(|_| !sampled).map(|r| r + 1)
}

/// Says the values among written numbers that are no numbers, which the
/// fix makes missing: how many, the first (by level) and its row (not
/// when rows were sampled).
fn no_numbers(others: Option<(usize, &str)>, levels: &[String], codes: &[crate::data::Code], sampled: bool) -> String {
    let Some((n, first)) = others else { return String::new() };
    let row = first_row(levels, codes, first, sampled).map_or(String::new(), |r| format!(", row {r}"));
    if n == 1 {
        format!("; 1 value that is no number ({}{row}) would become missing", quoted(first))
    } else {
        format!("; {n} values that are no numbers (e.g. {}{row}) would become missing", quoted(first))
    }
}

/// [`written_numbers`] without a unit.
fn marked_numbers<'a>(levels: &'a [String], counts: &[usize], decimal_comma: bool) -> Option<WrittenNumbers<'a>> {
    let present: usize = counts.iter().sum();
    // Markers for withheld or missing values (`[c]`, `..`, `(X)`: a few
    // kinds, a quarter of the values at most) are left out of the share: an office's
    // table with 12% suppressed cells is still a column of numbers.
    let (mut markers, mut marker_kinds) = (0usize, 0usize);
    for (level, &n) in levels.iter().zip(counts).filter(|(_, &n)| n > 0) {
        if is_marker(level) && disguised_number(level, decimal_comma).is_none() {
            markers += n;
            marker_kinds += 1;
        }
    }
    if marker_kinds > 5 || markers * 4 > present {
        (markers, marker_kinds) = (0, 0);
    }
    let most_others = (present - markers) as f64 * (1.0 - NUMBERS_AS_TEXT_SHARE);
    let (mut values, mut marked_values, mut others, mut example, mut first_other) = (0usize, 0usize, 0usize, None, None);
    let mut unmarked = 0usize;
    for (level, &n) in levels.iter().zip(counts).filter(|(_, &n)| n > 0) {
        match disguised_number(level, decimal_comma) {
            Some((_, marked)) => {
                values += n;
                if marked {
                    marked_values += n;
                    example.get_or_insert(level.as_str());
                }
            }
            None => {
                others += n;
                first_other.get_or_insert(level.as_str());
                if !(marker_kinds > 0 && is_marker(level)) {
                    unmarked += n;
                }
                if unmarked as f64 > most_others {
                    return None;
                }
            }
        }
    }
    // Judged without the markers; said of every value.
    let judged = values as f64 / (present - markers).max(1) as f64;
    let share = values as f64 / present.max(1) as f64;
    let others = first_other.map(|e| (others, e));
    example.filter(|_| judged >= NUMBERS_AS_TEXT_SHARE).map(|example| WrittenNumbers { share, values, marked: marked_values, example, unit: None, other_unit: None, others })
}

/// Longest unit read after a number.
const MAX_UNIT_CHARS: usize = 12;

/// A label's number and the unit written after it: `"12 kg"` is
/// `Some((12.0, "kg"))`, `"23.4kmpl"` `Some((23.4, "kmpl"))`, `"60 km/h"`
/// `Some((60.0, "km/h"))`. The unit starts with a letter (or `°`, `µ`)
/// and holds letters, `/`, `²`, `³`, `°` and `µ`; an ordinal's ending
/// (`1st`, `4th`), a clock's (`11am`, `12 PM`) and one letter with no
/// space before it (a code such as `12A`; `5 V` is a unit) are no units. `None` when there is no unit or
/// no number before it.
pub(crate) fn number_with_unit(label: &str, decimal_comma: bool) -> Option<(f64, &str)> {
    let t = label.trim();
    let in_unit = |c: char| c.is_alphabetic() || matches!(c, '/' | '²' | '³' | '°' | 'µ');
    let start = t.char_indices().rev().take_while(|&(_, c)| in_unit(c)).last()?.0;
    let (number, unit) = (t[..start].trim_end(), &t[start..]);
    let first = unit.chars().next()?;
    if !(first.is_alphabetic() || matches!(first, '°' | 'µ')) || unit.chars().count() > MAX_UNIT_CHARS || number.is_empty() {
        return None;
    }
    // Ordinals and clock times ("11am", "12 PM") are no amounts.
    if matches!(unit.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th" | "am" | "pm") || (unit.chars().count() == 1 && number.len() == start) {
        return None;
    }
    let (x, _) = disguised_number(number, decimal_comma)?;
    Some((x, unit))
}

/// Whether two units are one, in the singular or plural (`year`,
/// `years`; `km`, `kms`; not `m`, `ms`).
pub(crate) fn same_unit(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || (short.chars().count() >= 2 && long.strip_suffix('s') == Some(short))
}

/// [`WrittenNumbers`] of a column whose labels are numbers followed by one
/// unit (`12 kg`, `23.4 kmpl`), at least [`NUMBERS_AS_TEXT_SHARE`] of its
/// values with that unit or none (`0`). Labels with another unit or no
/// number count against it; stops once they rule it out.
fn common_unit<'a>(levels: &'a [String], counts: &[usize], decimal_comma: bool) -> Option<WrittenNumbers<'a>> {
    let present: usize = counts.iter().sum();
    let most_others = present as f64 * (1.0 - NUMBERS_AS_TEXT_SHARE);
    // Each unit seen (a few at most) with its values and first label.
    let mut units: Vec<(&str, usize, &str)> = Vec::new();
    let (mut plain, mut others) = (0usize, 0usize);
    for (level, &n) in levels.iter().zip(counts).filter(|(_, &n)| n > 0) {
        if let Some((_, unit)) = number_with_unit(level, decimal_comma) {
            match units.iter().position(|(u, _, _)| same_unit(u, unit)) {
                Some(k) => units[k].1 += n,
                None if units.len() < 4 => units.push((unit, n, level)),
                None => others += n,
            }
        } else if disguised_number(level, decimal_comma).is_some() {
            plain += n;
        } else {
            others += n;
        }
        if others as f64 > most_others {
            return None;
        }
    }
    let &(unit, with_unit, example) = units.iter().max_by_key(|(_, n, _)| *n)?;
    let values = with_unit + plain;
    let share = values as f64 / present.max(1) as f64;
    let others: Vec<&(&str, usize, &str)> = units.iter().filter(|u| u.0 != unit).collect();
    let other_unit = others.first().map(|u| (others.iter().map(|u| u.1).sum(), u.2));
    (share >= NUMBERS_AS_TEXT_SHARE).then_some(WrittenNumbers { share, values, marked: with_unit, example, unit: Some(unit), other_unit, others: None })
}

/// When most of a mixed column's values are text, the first of them and
/// its row (the examples show the other kinds): `; most values are text,
/// such as "1.2k" (row 1)`.
fn most_text(ds: &Dataset, m: &crate::data::MixedTypes) -> String {
    if m.majority != "text" {
        return String::new();
    }
    let Some(ColumnValues::Categorical { levels, codes }) = ds.column(&m.column).ok().map(|c| &c.values) else { return String::new() };
    let Some(first) = levels.iter().find(|l| crate::data::parse_number_text(l.trim()).is_none() && crate::data::parse_time(l.trim()).is_none()) else { return String::new() };
    let row = first_row(levels, codes, first, ds.sample.is_some()).map_or(String::new(), |r| format!(" (row {r})"));
    format!("; most values are text, such as {}{row}", quoted(first))
}

/// A spreadsheet's date serials among ISO dates (`45000` beside
/// `2023-06-07`: cells not formatted as dates): when the column mixes
/// dates with whole numbers, all of them from 20,000 to 80,000 (1954 to
/// 2119), the first number and the date it stands for (days since
/// 1899-12-30, as Excel and LibreOffice count).
fn sheet_serials(ds: &Dataset, m: &crate::data::MixedTypes) -> Option<(String, String)> {
    if m.dates == 0 || m.numbers == 0 {
        return None;
    }
    let Some(ColumnValues::Categorical { levels, .. }) = ds.column(&m.column).ok().map(|c| &c.values) else { return None };
    let mut first = None;
    for l in levels {
        let l = l.trim();
        if crate::data::parse_time(l).is_some() {
            continue;
        }
        match crate::data::parse_number_text(l) {
            Some(x) if x.fract() == 0.0 && (20_000.0..=80_000.0).contains(&x) => {
                first.get_or_insert(x);
            }
            Some(_) => return None,
            // Other labels are judged by the mixed-types alert itself.
            None => {}
        }
    }
    first.map(|x| (crate::data::format_number(x), crate::data::format_time((x - 25_569.0) * 86_400.0)))
}

/// What the labels of a column are when nearly all of them (by the first
/// 2,000) are times of day or durations (`04:33:32`, `14:25Z`,
/// `18:40+02:00`, `9:05 PM`) or dates with a two-digit year (`05/10/23`,
/// `26.02.14`), and the first such; `None` otherwise.
fn times_as_text(levels: &[String]) -> Option<(&'static str, &str)> {
    fn digits(t: &str, min: usize, max: usize) -> bool {
        (min..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    }
    fn clock(t: &str) -> bool {
        let t = t.trim();
        let t = t.strip_suffix(" AM").or_else(|| t.strip_suffix(" PM")).or_else(|| t.strip_suffix(" am")).or_else(|| t.strip_suffix(" pm")).unwrap_or(t);
        // A zone after the time: Z, +HH:MM / -HHMM, or a name (UTC, PST).
        let t = match t.rsplit_once(' ') {
            Some((time, zone)) if (2..=5).contains(&zone.len()) && zone.bytes().all(|b| b.is_ascii_uppercase()) => time,
            _ => t,
        };
        let t = t.strip_suffix('Z').unwrap_or(t);
        let t = match t.rfind(['+', '-']) {
            Some(i) if i > 0 && { let z = t[i + 1..].replace(':', ""); digits(&z, 2, 4) } => &t[..i],
            _ => t,
        };
        let parts: Vec<&str> = t.split(':').collect();
        let seconds_ok = |s: &str| match s.split_once('.') {
            Some((whole, frac)) => digits(whole, 2, 2) && whole < "60" && digits(frac, 1, 9),
            None => digits(s, 2, 2) && s < "60",
        };
        let minutes = |m: &str| digits(m, 2, 2) && m < "60";
        match parts.as_slice() {
            [h, m] => digits(h, 1, 3) && minutes(m),
            [h, m, s] => digits(h, 1, 3) && minutes(m) && seconds_ok(s),
            _ => false,
        }
    }
    // A month or quarter of a year: `2000-01`, `2000M01`, `2000-Q1`,
    // `Jan-2000`, `Jan 2000`.
    fn period(t: &str) -> bool {
        let t = t.trim();
        let b = t.as_bytes();
        if b.len() >= 6 && digits(&t[..4], 4, 4) && matches!(b[0], b'1' | b'2') {
            // A separator is needed: `012345` is a code.
            let Some(rest) = t[4..].strip_prefix(['-', '/', 'M', 'm', 'Q', 'q']) else { return false };
            return match rest.strip_prefix(['Q', 'q']) {
                Some(q) => matches!(q, "1" | "2" | "3" | "4"),
                None => digits(rest, 1, 2) && (1..=12).contains(&rest.parse::<u32>().unwrap_or(0)),
            };
        }
        const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        match t.split_once(['-', ' ']) {
            Some((m, y)) => m.len() == 3 && MONTHS.contains(&m.to_ascii_lowercase().as_str()) && digits(y, 4, 4),
            None => false,
        }
    }
    fn short_date(t: &str) -> bool {
        let t = t.trim();
        let Some(sep) = t.chars().find(|c| matches!(c, '/' | '.' | '-')) else { return false };
        let parts: Vec<&str> = t.split(sep).collect();
        let n = |t: &str| t.parse::<u32>().unwrap_or(0);
        // A day and a month, in either order (`89-42-55` is a sort code).
        matches!(parts.as_slice(), [a, b, y] if digits(a, 1, 2) && digits(b, 1, 2) && digits(y, 2, 2) && ((1..=31).contains(&n(a)) && (1..=12).contains(&n(b)) || (1..=12).contains(&n(a)) && (1..=31).contains(&n(b))))
    }
    let sample = &levels[..levels.len().min(2000)];
    if sample.len() < 10 {
        return None;
    }
    for (kind, test) in [("times of day or durations", clock as fn(&str) -> bool), ("dates with a two-digit year", short_date), ("months or quarters of a year", period)] {
        let hits = sample.iter().filter(|l| test(l)).count();
        if hits * 10 >= sample.len() * 9 {
            return sample.iter().find(|l| test(l)).map(|l| (kind, l.as_str()));
        }
    }
    None
}

/// The ISO 4217 codes of the most traded currencies, read before or after
/// an amount as its sign is (`USD 1,084.11`, `12,50 EUR`).
const CURRENCY_CODES: [&str; 26] = [
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "INR", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RUB", "BRL", "MXN", "ZAR", "KRW", "SGD", "HKD", "TRY", "ILS",
    "RON",
];

/// The number a label stands for when written in parentheses for a
/// negative (accounting's `(123)`), with a plus sign, a currency sign
/// (`$ € £ ¥`, or a code such as `USD`, before or after), a trailing percent sign, thousands marks
/// (commas, dots, spaces — also no-break — or apostrophes between groups of
/// three: `1,234,567.5`, `1 000`, `1'000`; India's `1,23,456`) or a decimal comma (`1,5`,
/// `1.234,56`, as a comma-delimited file quotes them), and whether any of
/// these was there: `"$1,200.50"` is `Some((1200.5, true))`, `"12"` is
/// `Some((12.0, false))`, `"12 apples"` is `None`. Where the comma is the
/// decimal mark (`decimal_comma`, see [`decimal_comma_of`]), a lone dot
/// before three digits groups thousands (`865.000 €` is 865000) and a lone
/// comma is always the decimal mark; two dots or more always group.
pub(crate) fn disguised_number(label: &str, decimal_comma: bool) -> Option<(f64, bool)> {
    let mut t = label.trim();
    let mut marked = false;
    // Accounting's negatives: "(123)", "($1,234.50)".
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        t = inner.trim();
        negative = true;
        marked = true;
    }
    for sign in ['$', '€', '£', '¥', '%'] {
        if let Some(rest) = t.strip_suffix(sign) {
            t = rest.trim_end();
            marked = true;
        }
    }
    if let Some(rest) = t.len().checked_sub(3).filter(|&i| t.is_char_boundary(i) && CURRENCY_CODES.contains(&&t[i..])).map(|i| t[..i].trim_end()) {
        t = rest;
        marked = true;
    }
    // One sign, before or after a leading currency sign: "-$5", "$-5",
    // "+4%"; none inside accounting's parentheses.
    fn sign(t: &str) -> (Option<bool>, &str) {
        match t.chars().next() {
            // U+2212, the minus sign typeset text and some exports write.
            Some(c @ ('-' | '+' | '\u{2212}')) => (Some(c != '+'), t[c.len_utf8()..].trim_start()),
            _ => (None, t),
        }
    }
    let (mut minus, mut body) = if negative { (None, t) } else { sign(t) };
    for currency in ['$', '€', '£', '¥'] {
        if let Some(rest) = body.strip_prefix(currency) {
            body = rest.trim_start();
            marked = true;
        }
    }
    if let Some(rest) = body.get(..3).filter(|code| CURRENCY_CODES.contains(code)).map(|_| body[3..].trim_start()) {
        body = rest;
        marked = true;
    }
    if minus.is_none() && !negative {
        (minus, body) = sign(body);
    }
    negative |= minus == Some(true);
    marked |= minus == Some(false);
    // The decimal mark is the last of `.` and `,`; a lone comma is one
    // unless exactly three digits follow it (then it groups thousands),
    // and a lone dot is one unless three digits follow it where the comma
    // is the decimal mark.
    let (dots, commas) = (body.matches('.').count(), body.matches(',').count());
    let three_after = |i: usize| body.len() - i - 1 == 3;
    let decimal = match (body.rfind('.'), body.rfind(',')) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(d), None) if dots == 1 && !(decimal_comma && three_after(d)) => Some(d),
        (None, Some(c)) if commas == 1 && (decimal_comma || !three_after(c)) => Some(c),
        _ => None,
    };
    let (int, frac) = match decimal {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    };
    if decimal.is_some_and(|i| body.as_bytes()[i] == b',') {
        marked = true;
    }
    let is_mark = |c: char| matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'');
    let mut digits = String::with_capacity(int.len());
    if let Some(mark) = int.chars().find(|&c| is_mark(c)) {
        // One kind of mark, groups of three after a first of one to three;
        // or India's lakh and crore, with commas: groups of two, then a
        // last of three (`1,23,456`, `1,00,00,000`).
        let groups: Vec<&str> = int.split(mark).collect();
        let thousands = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        let n = groups.len();
        let lakh = mark == ',' && n >= 3 && (1..=2).contains(&groups[0].len()) && groups[1..n - 1].iter().all(|g| g.len() == 2) && groups[n - 1].len() == 3;
        let ok = (thousands || lakh) && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
        groups.iter().for_each(|g| digits.push_str(g));
        marked = true;
    } else {
        digits.push_str(int);
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let x: f64 = if frac.is_empty() { digits.parse().ok()? } else { format!("{digits}.{frac}").parse().ok()? };
    Some((if negative { -x } else { x }, marked))
}

/// Whether a column's labels write the comma as the decimal mark: `Some`
/// when some label says so (`1.234,5`, or a lone comma not before three
/// digits: `94,5`) or the other way (`1,234.5`, `1.5`) and none says both
/// ways; `None` when none says either (`865.000`, `1,500`).
pub(crate) fn decimal_comma_of<'a>(labels: impl Iterator<Item = &'a str>) -> Option<bool> {
    let (mut comma, mut point) = (false, false);
    for label in labels {
        let body: String = label.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',')).collect();
        let (d, c) = (body.rfind('.'), body.rfind(','));
        match (d, c) {
            (Some(d), Some(c)) if c > d => comma = true,
            (Some(_), Some(_)) => point = true,
            (Some(d), None) if body.matches('.').count() == 1 && body.len() - d - 1 != 3 => point = true,
            (None, Some(c)) if body.matches(',').count() == 1 && body.len() - c - 1 != 3 => comma = true,
            _ => {}
        }
    }
    match (comma, point) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// What an alert is about; stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertCode {
    /// Many values missing.
    HighMissing,
    /// One value only (or none).
    Constant,
    /// Almost every row has the same value.
    NearConstant,
    /// Many distinct labels.
    HighCardinality,
    /// Every value distinct: an identifier.
    Unique,
    /// Rows repeated exactly.
    DuplicateRows,
    /// Long tail on one side.
    Skewed,
    /// Values beyond the interquartile fences.
    Outliers,
    /// A target class is rare.
    ClassImbalance,
    /// A feature predicts the target almost perfectly on its own.
    TargetLeakage,
    /// Numbers, dates and text in one column.
    MixedTypes,
    /// Labels that differ only by case or whitespace.
    CaseVariants,
    /// Two columns carry the same information.
    HighCorrelation,
    /// `inf` or out-of-range numbers read as missing.
    NonFinite,
    /// The last row holds the sums of the rows above (a spreadsheet's totals).
    TotalsRow,
    /// Numbers written with currency signs, percent signs or thousands
    /// separators, so read as labels.
    NumbersAsText,
    /// Round codes such as -999 or 9999 far outside a column's other
    /// values: likely "missing" or "unknown" written as a number.
    SentinelValues,
    /// Columns missing a few values each (under [`HIGH_MISSING_PCT`]).
    SomeMissing,
}

/// How much an alert matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Likely to hurt a model.
    Warning,
    /// Likely to make results wrong.
    Critical,
}

/// One data-quality finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// What it is about.
    pub code: AlertCode,
    /// How much it matters.
    pub severity: Severity,
    /// The columns concerned (empty for the whole dataset).
    pub columns: Vec<String>,
    /// One lowercase line with the numbers.
    pub message: String,
    /// The numbers, by name.
    pub evidence: BTreeMap<String, f64>,
    /// The suggested recipe step, if one fits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<StepSpec>,
    /// The suggestion (or advice when no step fits) in words.
    pub advice: String,
}

impl Alert {
    /// The recipe step that fixes this alert, if one does.
    pub fn fix(&self) -> Option<StepSpec> {
        self.suggestion.clone()
    }
}

fn ev(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().filter(|(_, v)| v.is_finite()).map(|(k, v)| (k.to_string(), *v)).collect()
}

fn drop(column: &str) -> Option<StepSpec> {
    Some(StepSpec::DropColumn { column: column.to_string() })
}

/// Share of rows a one-feature rule gets right: each feature bin (a label,
/// or one of up to 50 ranges of numbers of about equal counts) predicts its
/// most frequent class. At least ten rows per range, so a rule cannot
/// memorise single rows; a range never splits equal values, so a feature
/// that is the target in other words (0/1 for no/yes) scores 100%.
/// Returns the share, the bins and the rows judged.
fn rule_accuracy(feature: &ColumnValues, classes: &[Option<u32>], n_classes: usize) -> Option<(f64, usize, usize)> {
    // Past LEAKAGE_ROWS rows, a sample of them (hashed, so periodic rows
    // do not alias): the share is a heuristic's, and its standard error
    // there is under 0.05%.
    let step = classes.len().div_ceil(LEAKAGE_ROWS).max(1);
    let rows: Vec<usize> = crate::data::sample_rows(classes.len(), step).into_iter().filter(|&r| classes[r].is_some() && !match feature {
        ColumnValues::Numeric(v) => v[r].is_none(),
        ColumnValues::Categorical { codes, .. } => codes[r].is_none(),
    }).collect();
    if rows.len() < 10 {
        return None;
    }
    // (bin, class) of each row.
    let cells: Vec<(usize, u32)> = match feature {
        ColumnValues::Categorical { codes, .. } => rows.iter().map(|&r| (codes[r].unwrap_or(0) as usize, classes[r].unwrap_or(0))).collect(),
        ColumnValues::Numeric(v) => {
            // Sorted by value as contiguous pairs (a radix sort: an indirect
            // comparison sort of a million rows per column took seconds).
            let mut pairs: Vec<(f64, u32)> = rows.iter().map(|&r| (v[r].unwrap_or(0.0), classes[r].unwrap_or(0))).collect();
            radsort::sort_by_key(&mut pairs, |p| p.0);
            let per = pairs.len().div_ceil((pairs.len() / 10).clamp(2, 50));
            let (mut bin, mut in_bin) = (0, 0);
            let mut cells = Vec::with_capacity(pairs.len());
            for (k, &(x, c)) in pairs.iter().enumerate() {
                if in_bin >= per && k > 0 && pairs[k - 1].0 != x {
                    bin += 1;
                    in_bin = 0;
                }
                cells.push((bin, c));
                in_bin += 1;
            }
            cells
        }
    };
    let n_bins = cells.iter().map(|c| c.0).max().map_or(0, |m| m + 1);
    let mut table = vec![0usize; n_bins * n_classes];
    for &(b, c) in &cells {
        table[b * n_classes + c as usize] += 1;
    }
    let right: usize = table.chunks(n_classes).map(|c| c.iter().copied().max().unwrap_or(0)).sum();
    Some((right as f64 / cells.len() as f64, n_bins, cells.len()))
}

/// Every alert for `ds` and its profile `p`, most severe first.
/// `totals`: the last row as a totals row, if it is one ([`find_totals_row`]).
pub(crate) fn alerts(ds: &Dataset, p: &Profile, target: Option<usize>, totals: Option<TotalsRow>) -> Vec<Alert> {
    let mut out = Vec::new();
    let rows = p.rows as f64;
    // Columns whose numbers-as-text alert says why they were read as labels.
    let mut written = std::collections::BTreeSet::new();
    // The columns a totals row sums, profiled without it: their tail and
    // outliers are judged on the rows (the totals row has its own alert,
    // and its sum alone made every such column skewed, with one outlier).
    let summed = totals.as_ref().map_or(Vec::new(), |(_, summed)| summed.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>());
    let without_totals = |i: usize, c: &ColumnProfile| -> Option<ColumnProfile> {
        let col = ds.columns.get(i).filter(|col| summed.contains(&col.name.as_str()))?;
        let ColumnValues::Numeric(v) = &col.values else { return None };
        let rows = ColumnValues::Numeric(v[..v.len().saturating_sub(1)].to_vec());
        Some(super::column_profile(&c.name, c.kind, &rows, 0, false))
    };
    for (i, c) in p.columns.iter().enumerate() {
        let name = c.name.as_str();
        let cols = vec![c.name.clone()];
        let is_target = Some(i) == target;
        let trimmed = without_totals(i, c);
        let tail = trimmed.as_ref().unwrap_or(c);
        let leaving_out = if trimmed.is_some() { ", leaving out the totals row" } else { "" };
        // One value and blanks ("Ex" or nothing, "yes" or nothing) says only
        // whether a value is there: a flag, which the missing indicator keeps.
        let flag = c.distinct == 1 && c.missing > 0;
        let strategy = if c.kind.is_numeric() { ImputeStrategy::Median } else { ImputeStrategy::Mode };
        if c.distinct <= 1 {
            let value = c.top.first().map_or("", |t| t.value.as_str());
            out.push(Alert {
                code: AlertCode::Constant,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: match (c.count, flag) {
                    (0, _) => format!("\"{name}\" has no value in any row"),
                    (_, true) => format!("\"{name}\" has one value only ({}) and is empty in {} of {} rows: it can say only whether a value is there", quoted(value), c.missing, p.rows),
                    _ => format!("\"{name}\" has one value only ({value})"),
                },
                evidence: ev(&[("distinct", c.distinct as f64), ("count", c.count as f64), ("missing", c.missing as f64)]),
                suggestion: match (is_target, flag) {
                    (true, _) => None,
                    (false, true) => Some(StepSpec::Impute { column: name.into(), strategy: strategy.clone(), indicator: true }),
                    (false, false) => drop(name),
                },
                advice: if flag {
                    "keep it as a flag (impute with a missing-indicator, which marks the rows where the value is there), or drop it if that means nothing".into()
                } else {
                    "drop the column: it cannot inform a model".into()
                },
            });
            if !flag {
                continue;
            }
        }
        if c.missing_pct >= HIGH_MISSING_PCT {
            let severe = c.missing_pct >= DROP_MISSING_PCT;
            out.push(Alert {
                code: AlertCode::HighMissing,
                severity: if severe { Severity::Critical } else { Severity::Warning },
                columns: cols.clone(),
                message: format!("\"{name}\" is missing in {} of {} rows ({}%, threshold {HIGH_MISSING_PCT}%)", c.missing, p.rows, percent_text(c.missing_pct)),
                evidence: ev(&[("missing", c.missing as f64), ("missingPct", c.missing_pct)]),
                suggestion: if is_target { None } else if severe && !flag { drop(name) } else { Some(StepSpec::Impute { column: name.into(), strategy, indicator: true }) },
                advice: if flag {
                    "impute it with a missing-indicator, which keeps whether a value is there: all this column says".into()
                } else if severe {
                    "drop the column, or impute it with a missing-indicator if missingness itself is informative".into()
                } else {
                    "impute it and add a missing-indicator feature".into()
                },
            });
        }
        if flag {
            continue;
        }
        let top_share = c.top.first().map_or(0.0, |t| t.count as f64 / c.count.max(1) as f64);
        if top_share >= NEAR_CONSTANT_SHARE && !is_target {
            // A two-valued column is a flag: its rare value (a fraud, a
            // failure) may be what matters most, so no drop is offered.
            let two_valued = c.distinct == 2;
            out.push(Alert {
                code: AlertCode::NearConstant,
                severity: Severity::Info,
                columns: cols.clone(),
                message: format!("\"{name}\" has the value {} in {}% of present rows (threshold {:.0}%)", quoted(&c.top[0].value), percent_text(100.0 * top_share), 100.0 * NEAR_CONSTANT_SHARE),
                evidence: ev(&[("topShare", top_share), ("distinct", c.distinct as f64)]),
                suggestion: if two_valued { None } else { drop(name) },
                advice: if two_valued {
                    format!("a rare flag: keep it if its rarer value matters ({}% of rows); drop it only if it does not", percent_text(100.0 * (1.0 - top_share)))
                } else {
                    "drop the column unless the rare values matter".into()
                },
            });
        }
        // Numbers written as text ("$1,200.50", "45%"): their distinct count
        // is a number's, so they are neither identifiers nor high-cardinality
        // labels; the fix reads them as numbers.
        // On the target the same step makes it numbers to predict
        // (regression), not labels each in one row.
        let numbers_as_text = match ds.columns.get(i).map(|col| &col.values) {
            Some(ColumnValues::Categorical { levels, codes }) => {
                let mut counts = vec![0usize; levels.len()];
                for code in codes.iter().flatten() {
                    counts[*code as usize] += 1;
                }
                written_numbers(levels, &counts, ds.ingest.decimal_comma).map(|w| Alert {
                    code: AlertCode::NumbersAsText,
                    severity: Severity::Warning,
                    columns: cols.clone(),
                    message: if let Some(unit) = w.unit {
                        let other = w.other_unit.map_or(String::new(), |(n, e)| format!("; {n} written with another unit (e.g. {}) would become missing", quoted(e)));
                        format!("\"{name}\" holds numbers followed by the unit {} ({}% of its values, e.g. {}{other}), so it was read as labels", quoted(unit), percent_with(100.0 * w.share, 0), quoted(w.example))
                    } else if w.marked == w.values {
                        format!(
                            "\"{name}\" holds numbers written with currency signs, percent signs, thousands separators, decimal commas or parentheses for negatives ({}% of its values, e.g. {}{}), so it was read as labels",
                            percent_with(100.0 * w.share, 0),
                            quoted(w.example),
                            no_numbers(w.others, levels, codes, p.sample.is_some()),
                        )
                    } else {
                        // A few written so among plain numbers: say how few,
                        // and where the first is.
                        let row = first_row(levels, codes, w.example, p.sample.is_some());
                        format!(
                            "\"{name}\" holds numbers, {} of them written with currency signs, percent signs, thousands separators, decimal commas or parentheses for negatives (e.g. {}{}), so it was read as labels; {}% of its values are numbers{}",
                            w.marked,
                            quoted(w.example),
                            row.map_or(String::new(), |r| format!(", row {r}")),
                            percent_with(100.0 * w.share, 0),
                            no_numbers(w.others, levels, codes, p.sample.is_some()),
                        )
                    },
                    evidence: ev(&[("share", w.share), ("values", w.values as f64)]),
                    suggestion: Some(StepSpec::ParseNumbers { column: name.into() }),
                    advice: match w.unit {
                        Some(unit) => format!("read the numbers without the unit ({} is {}; a value with another unit or no number becomes missing), and keep the unit in the column's name", quoted(w.example), w.example.trim().trim_end_matches(unit).trim_end()),
                        None => "read the numbers without their signs and separators (\"$1,200.50\" is 1200.5, \"45%\" is 45, accounting's \"(123)\" is -123; a value that is no number becomes missing), or remove them at the source".into(),
                    } + if is_target { "; as the target, its numbers are then predicted (regression), a row whose value is no number left out" } else { "" },
                })
            }
            _ => None,
        };
        // Dates in a local form (31.12.2023) with a bad one among them are
        // read as labels with no mixed-types note (ISO dates get one).
        let local_dates = match (&c.kind, ds.columns.get(i).map(|col| &col.values)) {
            (ColumnKind::Categorical | ColumnKind::Text, Some(ColumnValues::Categorical { levels, codes })) if !p.ingest.mixed.iter().any(|m| m.column == name) => {
                local_dates_alert(name, levels, codes, p.sample.is_some())
            }
            _ => None,
        };
        // An estimated distinct count is judged within three standard errors.
        let all_distinct = match &p.sample {
            Some(s) if c.approximate.iter().any(|f| f == "distinct") => c.distinct as f64 >= c.count as f64 * (1.0 - 3.0 * s.distinct_std_error),
            // Rows that repeat an earlier row whole repeat its identifier too:
            // an identifier is distinct but for those.
            _ => c.distinct == c.count || (p.sample.is_none() && c.distinct + p.dataset.duplicate_rows == c.count && c.distinct * 10 >= c.count * 9),
        };
        // Whole numbers all different are a count as often as a key (the
        // population of 60 districts): an identifier when they run close
        // together (1..n, 1000..1999), rise row by row, or the name says so.
        let integer_key = c.kind != ColumnKind::Integer || integer_looks_like_a_key(ds.columns.get(i).map(|col| &col.values), name);
        let id_like = c.count == p.rows && all_distinct && p.rows >= 10 && matches!(c.kind, ColumnKind::Integer | ColumnKind::Categorical | ColumnKind::Text) && integer_key;
        // A column read as labels because a few values are not numbers or
        // dates: the mixed-types alert and its cast are the fix, not dropping
        // it as an identifier or for its many labels. A column with many of
        // both (tickets "A/5 21171" and "113803") is labels, and judged so.
        // So is a column of dates with some written another way (a log's
        // "05/Jan/2023:10:55:00 +0000" among ISO times): its alert says so.
        let mixed = local_dates.is_some()
            || p.ingest.mixed.iter().any(|m| {
                m.column == name && ((!codes_and_numbers(ds, m) && mixed_cast(m, missing_markers(ds, m).is_some()).is_some()) || (m.majority == "date" && m.examples.iter().any(|e| written_as_date(&e.value))))
            });
        out.extend(local_dates);
        // Times of day, durations or dates with a two-digit year, each in
        // one row: no identifier, but labels a model cannot use.
        let written_times = match ds.columns.get(i).map(|col| &col.values) {
            Some(ColumnValues::Categorical { levels, .. }) if id_like => times_as_text(levels),
            _ => None,
        };
        if let (Some((kind, example)), false) = (written_times, is_target) {
            out.push(Alert {
                code: AlertCode::Unique,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: format!("\"{name}\" has a different value in every one of {} rows: {kind} written as text (e.g. {}), read as labels that a model could only memorise", p.rows, quoted(example)),
                evidence: ev(&[("distinct", c.distinct as f64), ("rows", rows)]),
                suggestion: None,
                advice: if kind.starts_with("dates") {
                    "write the years with four digits at the source (the century of \"23\" is not known), and the column is read as dates; as it is, training leaves it out".into()
                } else if kind.starts_with("months") {
                    "write each as the date it starts on (2000-01-01) at the source, and the column is read as dates; as it is, training leaves it out".into()
                } else {
                    "convert them to a number at the source (seconds, or hours as a decimal), or write times as full ISO 8601 date-times, and the column is read as numbers or dates; as it is, training leaves it out".into()
                },
            });
        } else if id_like && !is_target && numbers_as_text.is_none() && !mixed {
            // Long labels of one word each (UUIDs, hashes) are keys, not text.
            let prose = c.kind == ColumnKind::Text
                && match ds.columns.get(i).map(|col| &col.values) {
                    Some(ColumnValues::Categorical { levels, .. }) => levels.iter().take(2000).any(|l| l.trim().contains(char::is_whitespace)),
                    _ => true,
                };
            out.push(Alert {
                code: AlertCode::Unique,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: {
                    // Free text (sentences, comments) is no identifier, though
                    // as labels it is as useless: each in one row.
                    let what = if prose { "it is free text, and as labels a model could only memorise it" } else { "it looks like an identifier" };
                    if c.distinct == c.count || p.dataset.duplicate_rows == 0 || p.sample.is_some() {
                        // An estimated distinct count is judged within its error:
                        // "every one" stands, with no repeats to speak of.
                        format!("\"{name}\" has a different value in every one of {} rows: {what}", p.rows)
                    } else {
                        format!(
                            "\"{name}\" has a different value in every one of {} rows but the {} that {} an earlier row whole: {what}",
                            p.rows,
                            p.dataset.duplicate_rows,
                            if p.dataset.duplicate_rows == 1 { "repeats" } else { "repeat" }
                        )
                    }
                },
                evidence: ev(&[("distinct", c.distinct as f64), ("rows", rows)]),
                suggestion: drop(name),
                advice: if prose {
                    "drop it (training leaves out a column whose every label is in one row), or derive features from it, such as its length or the words it holds, before loading".into()
                } else {
                    "drop identifiers: a model would memorise them".into()
                },
            });
        } else if !c.kind.is_numeric() && c.kind != ColumnKind::Text && c.distinct > HIGH_CARDINALITY && !is_target && numbers_as_text.is_none() && !mixed {
            out.push(Alert {
                code: AlertCode::HighCardinality,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: format!("\"{name}\" has {} distinct labels (threshold {HIGH_CARDINALITY}); the default one-hot encoding keeps the 100 most frequent of those in 2 or more training rows, and drops a column whose every label is in one row only", c.distinct),
                evidence: ev(&[("distinct", c.distinct as f64), ("distinctPct", 100.0 * c.distinct as f64 / c.count.max(1) as f64)]),
                suggestion: drop(name),
                // Nearly one label a row: ranks of them mean nothing.
                advice: if c.distinct * 2 > c.count { "drop the column: nearly every row has its own label".into() } else { "drop the column, or encode it as ordinal ranks".into() },
            });
        }
        if let (Some(s), false) = (tail.skewness, c.kind.is_time()) {
            // A flag's skewness measures how rare its rarer value is, not a
            // tail: scaling would change nothing (its IQR is often 0).
            if s.abs() > HEAVY_SKEW && !is_target && tail.distinct > 2 {
                out.push(Alert {
                    code: AlertCode::Skewed,
                    severity: Severity::Info,
                    columns: cols.clone(),
                    message: format!("\"{name}\" is heavily skewed (skewness {s:.2}, threshold ±{HEAVY_SKEW}{leaving_out})"),
                    evidence: ev(&[("skewness", s)]),
                    suggestion: Some(StepSpec::Scale { column: name.into(), method: ScaleMethod::Robust }),
                    advice: "scale it robustly (median and IQR), so the tail does not set the scale for linear models and k-NN (trees do not need it); the shape stays skewed: a log transform at the source evens it".into(),
                });
            }
        }
        if let Some(o) = &tail.outliers {
            let c = tail;
            let share = (o.below + o.above) as f64 / c.count.max(1) as f64;
            // Fences of width zero (a near-constant column) make every other
            // value an outlier: the near-constant alert says that better.
            // A few distinct values (a 1–4 rating) have no tail to speak
            // of, unless one lies past three IQRs (a 999 among them).
            let iqr = (o.upper_fence - o.lower_fence) / 4.0;
            let far = c.min.is_some_and(|m| m < o.lower_fence - 1.5 * iqr) || c.max.is_some_and(|m| m > o.upper_fence + 1.5 * iqr);
            if share >= OUTLIER_SHARE && !is_target && o.upper_fence > o.lower_fence && (c.distinct > FEW_VALUES || far) {
                out.push(Alert {
                    code: AlertCode::Outliers,
                    severity: Severity::Info,
                    columns: cols.clone(),
                    message: format!(
                        "\"{name}\" has {} outside the IQR fences [{}, {}] ({}% of present values{leaving_out})",
                        // Sampled: counted among the kept rows and scaled.
                        match (o.below + o.above, p.sample.is_some()) {
                            (n, true) => format!("≈{n} values"),
                            (1, false) => "1 value".to_string(),
                            (n, false) => format!("{n} values"),
                        },
                        short(o.lower_fence),
                        short(o.upper_fence),
                        percent_text(100.0 * share)
                    ),
                    evidence: ev(&[("below", o.below as f64), ("above", o.above as f64), ("lowerFence", o.lower_fence), ("upperFence", o.upper_fence)]),
                    suggestion: Some(StepSpec::Scale { column: name.into(), method: ScaleMethod::Robust }),
                    advice: "check them; scale robustly so they do not dominate".into(),
                });
            }
        }
        // Spellings of one number ("1 234,00 €" with a space or a no-break
        // space) are merged by the numbers-as-text fix, which reads them as
        // numbers: normalising them as labels is no fix for such a column.
        let reads_numbers = numbers_as_text.is_some();
        if reads_numbers {
            written.insert(name);
        }
        out.extend(numbers_as_text);
        // Nor is it for a column whose mixed-types fix reads it as numbers
        // or dates: the variants ("x" / "X" among numbers) become missing.
        if !c.case_variants.is_empty() && !reads_numbers && !mixed {
            out.push(Alert {
                code: AlertCode::CaseVariants,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: format!(
                    "\"{name}\" has labels that differ only by case or spaces: {}{}",
                    c.case_variants.iter().map(|g| g.iter().map(|l| quoted(l)).collect::<Vec<_>>().join(" / ")).collect::<Vec<_>>().join("; "),
                    if is_target { "; as the target, each spelling is a class of its own" } else { "" }
                ),
                evidence: ev(&[("groups", c.case_variants.len() as f64)]),
                // Recipe steps prepare features, not the target: its
                // spellings are fixed in the file.
                suggestion: (!is_target).then(|| StepSpec::NormalizeLabels { column: name.into() }),
                advice: if is_target { "write each class one way in the file (trim, one case), then load it again".into() } else { "normalise the labels (trim, lower-case)".into() },
            });
        }
    }
    // Numbers as text have their own alert; codes kept as text on purpose
    // (leading zeros, integers past 2^53) beside plain numbers are a code
    // column, not a mix.
    for m in p.ingest.mixed.iter().filter(|m| !written.contains(m.column.as_str())) {
        let huge = huge_among_numbers(ds, m);
        if huge.is_none() && codes_and_numbers(ds, m) {
            // A code or two among many plain numbers ("042" in a column of
            // 299 numbers) decided the column's kind: said, with the way
            // to read it as numbers (a ZIP column has many such codes).
            let present = m.numbers + m.texts;
            let zero_led = match ds.column(&m.column).ok().map(|c| &c.values) {
                Some(ColumnValues::Categorical { levels, .. }) => levels.iter().filter(|l| crate::data::number_or_code(l) == Some(true)).all(|l| l.trim().trim_start_matches(['-', '+']).starts_with('0')),
                _ => false,
            };
            if zero_led && (m.texts <= 1 || m.texts as f64 <= 0.01 * present as f64) {
                let first = m.examples.first().map_or(String::new(), |e| format!(" ({}, row {})", quoted(&e.value), e.row));
                out.push(Alert {
                    code: AlertCode::MixedTypes,
                    severity: Severity::Info,
                    columns: vec![m.column.clone()],
                    message: format!(
                        "\"{}\" holds {} numbers and {} written with a leading zero{first}, as codes are, so the column was read as labels",
                        m.column,
                        m.numbers,
                        if m.texts == 1 { "1 value".to_string() } else { format!("{} values", m.texts) }
                    ),
                    evidence: ev(&[("numbers", m.numbers as f64), ("codes", m.texts as f64)]),
                    suggestion: Some(StepSpec::Cast { column: m.column.clone(), to: ColumnKind::Integer }),
                    advice: "if the column holds numbers, cast it to integer (the zero goes: \"042\" reads 42); if it holds codes, keep it as labels".into(),
                });
            }
            continue;
        }
        let markers = missing_markers(ds, m);
        let zero_dates = zero_dates(ds, m);
        let on_target = target.and_then(|t| ds.columns.get(t)).is_some_and(|c| c.name == m.column);
        let to = mixed_cast(m, markers.is_some() || zero_dates.is_some());
        let present = (m.numbers + m.dates + m.texts).max(1);
        let odd = present - m.numbers.max(m.dates).max(m.texts);
        // Each value once: the first row it is on.
        let mut seen = std::collections::BTreeSet::new();
        let examples: Vec<String> = m.examples.iter().filter(|e| seen.insert(e.value.as_str())).map(|e| format!("{} (row {})", quoted(&e.value), e.row)).collect();
        out.push(Alert {
            code: AlertCode::MixedTypes,
            severity: Severity::Warning,
            columns: vec![m.column.clone()],
            message: format!("\"{}\" mixes {}, so it was read as labels; e.g. {}{}", m.column, mix_text(m.numbers, m.dates, m.texts), examples.join(", "), most_text(ds, m)),
            evidence: ev(&[("numbers", m.numbers as f64), ("dates", m.dates as f64), ("texts", m.texts as f64)]),
            // On the target, numbers are read by a parse_numbers step, which
            // makes them the values to predict (a cast changes features).
            suggestion: to.map(|to| if on_target && to == ColumnKind::Float { StepSpec::ParseNumbers { column: m.column.clone() } } else { StepSpec::Cast { column: m.column.clone(), to } }),
            advice: match (to.is_some(), m.examples.iter().find(|e| written_as_date(&e.value) && crate::data::parse_time(e.value.trim()).is_none()), sheet_serials(ds, m)) {
                (_, _, Some((serial, date))) => {
                    format!(
                        "its numbers look like a spreadsheet's date serials ({serial} is {date}), exported unformatted beside dates: format those cells as dates (year-month-day) in the spreadsheet and export again{}",
                        if to.is_some() { "; the cast would make them missing" } else { "" }
                    )
                }
                (false, _, None) if flag_two_ways(ds, m) => "its values are one yes/no flag written two ways, as words and as 1 and 0: write it one way at the source (as labels, each spelling is a category of its own)".into(),
                _ if huge.is_some() && to.is_some() => format!(
                    "{} is a whole number past 2^53, which no float holds exactly, so it was kept as text and the column read as labels; if the column holds amounts, the cast reads it as its nearest float ({}) and the column as numbers; if it holds codes, keep it as labels",
                    quoted(huge.as_deref().unwrap_or_default()),
                    huge.as_deref().and_then(crate::data::parse_number_text).map_or(String::new(), crate::data::format_number),
                ),
                _ if zero_dates.is_some() => format!(
                    "{} {} MySQL's zero date, which stands for no date: the cast makes {} missing; or list {} as missing-value tokens ({}, or \"Missing-value tokens\" in the page's reading options) and read the file again",
                    zero_dates.iter().flatten().map(|l| quoted(l)).collect::<Vec<_>>().join(" and "),
                    if zero_dates.as_ref().is_some_and(|z| z.len() > 1) { "are" } else { "is" },
                    if zero_dates.as_ref().is_some_and(|z| z.len() > 1) { "them" } else { "it" },
                    if zero_dates.as_ref().is_some_and(|z| z.len() > 1) { "them" } else { "it" },
                    missing_flag(ds, zero_dates.iter().flatten().cloned()),
                ),
                (true, None, None) if markers.is_some() => format!(
                    "its other values ({}) look like markers for missing or withheld values: the cast makes them missing; or list them as missing-value tokens ({}, or \"Missing-value tokens\" in the page's reading options) and read the file again",
                    markers.iter().flatten().map(|l| quoted(l)).collect::<Vec<_>>().join(", "),
                    missing_flag(ds, markers.iter().flatten().cloned())
                ),
                (_, Some(e), None) => format!(
                    "some odd values look like dates written another way (e.g. {}): rewrite them as ISO 8601 dates (year-month-day) at the source{}",
                    quoted(&e.value),
                    if to.is_some() { ", or the cast makes them missing" } else { "" }
                ),
                (true, None, None) if on_target && m.majority == "number" => format!("read its numbers to predict them (regression): the other values become missing and their rows are left out of training{}", merged_by_cast(ds, m)),
                (true, None, None) => format!("cast it to the majority type; the other values become missing{}", merged_by_cast(ds, m)),
                (false, None, None) if m.majority != "text" => format!(
                    "{:.0}% of its values are not {}s: it looks like a column of codes, and stays labels; a cast would make those values missing",
                    100.0 * odd as f64 / present as f64,
                    m.majority
                ),
                (false, None, None) if m.majority == "text" => "write the column one way at the source: plain numbers throughout if it holds amounts, or labels throughout (as labels, each number is a category of its own)".into(),
                (false, None, None) => "fix the odd values at the source".into(),
            } + &kept_by_value(m),
        });
    }
    // Words in row 1 of two columns of numbers or more, their first odd
    // value (a census export's second line of names, "Estimate!!Total"
    // under "B19013_001E"): the line above may be codes, and this one the
    // names.
    let second_header: Vec<&crate::data::MixedTypes> = p
        .ingest
        .mixed
        .iter()
        .filter(|m| m.majority == "number" && m.examples.first().is_some_and(|e| e.row == 1 && e.value.chars().filter(|c| c.is_alphabetic()).count() >= 3))
        .collect();
    // Names differ from column to column ("pending" in two is a value).
    let words: std::collections::BTreeSet<&str> = second_header.iter().filter_map(|m| m.examples.first()).map(|e| e.value.as_str()).collect();
    if second_header.len() >= 2 && words.len() == second_header.len() && p.sample.is_none() {
        let first = &second_header[0];
        let value = first.examples.first().map_or("", |e| e.value.as_str());
        let lines = 1 + p.ingest.skipped_lines;
        out.push(Alert {
            code: AlertCode::MixedTypes,
            severity: Severity::Warning,
            columns: second_header.iter().map(|m| m.column.clone()).collect(),
            message: format!(
                "row 1 holds words in {} columns of numbers (such as {} in {}): it looks like a second line of column names",
                second_header.len(),
                quoted(value),
                quoted(&first.column)
            ),
            evidence: ev(&[("columns", second_header.len() as f64)]),
            suggestion: None,
            advice: format!(
                "if the line above it holds codes and this one the names, skip {} (--skip-lines {lines}, or \"Lines to skip\" in the page's reading options) and read the file again; otherwise each column's cast makes row 1 missing",
                if lines == 1 { "the first line".to_string() } else { format!("the first {lines} lines") }
            ),
        });
    }
    for nf in &p.ingest.non_finite {
        out.push(Alert {
            code: AlertCode::NonFinite,
            severity: Severity::Warning,
            columns: vec![nf.column.clone()],
            message: format!("\"{}\" had {} non-finite numbers ({}) read as missing, first at rows {}", nf.column, nf.count, nf.values.join(", "), nf.rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")),
            evidence: ev(&[("count", nf.count as f64)]),
            suggestion: Some(StepSpec::Impute { column: nf.column.clone(), strategy: ImputeStrategy::Median, indicator: true }),
            advice: "impute them, with a missing-indicator".into(),
        });
    }
    if p.dataset.duplicate_rows > 0 {
        let d = p.dataset.duplicate_rows;
        // Sampled data: duplicates were looked for among the kept rows.
        let (rows, among) = match &p.sample {
            Some(s) => (s.kept_rows as f64, format!("{} sampled rows", s.kept_rows)),
            None => (rows, format!("{} rows", p.rows)),
        };
        out.push(Alert {
            code: AlertCode::DuplicateRows,
            severity: if d as f64 / rows >= 0.05 { Severity::Warning } else { Severity::Info },
            columns: Vec::new(),
            message: format!("{} an earlier row: the same values as read, spaces around them trimmed ({}% of {among})", if d == 1 { "1 row repeats".to_string() } else { format!("{d} rows repeat") }, percent_text(100.0 * d as f64 / rows)),
            evidence: ev(&[("duplicateRows", d as f64), ("duplicatePct", 100.0 * d as f64 / rows)]),
            suggestion: Some(StepSpec::DropDuplicateRows),
            advice: "drop duplicate training rows, which a model would weigh twice; a test row that repeats a training row stays (the run counts them): to keep them apart, remove the duplicates from the file".into(),
        });
    }
    if let Some(alert) = totals.and_then(|t| totals_row(ds.n_rows, t)) {
        out.push(alert);
    }
    out.extend(some_missing(p));
    out.extend(sentinel_values(ds, p, target));
    let mut flagged = std::collections::BTreeSet::new();
    let present = |name: &str| p.columns.iter().find(|c| c.name == name).map_or(0, |c| c.count);
    // On a long file the pairs are measured on a sample of rows: say so.
    let sampled = p.associations.sampled_rows.map_or(String::new(), |n| format!(" in a sample of {n} of {} rows", p.rows));
    // Any two points lie on a line: a pair seen together in a handful of
    // rows says nothing about the columns.
    for a in p.associations.pairs.iter().filter(|a| a.measure == Measure::Pearson && a.value.abs() >= HIGH_CORRELATION && a.n >= MIN_CORRELATION_ROWS) {
        // The column with fewer values is the one to let go.
        let dropped = if present(&a.a) < present(&a.b) { &a.a } else { &a.b };
        if !flagged.insert(dropped.clone()) {
            continue;
        }
        out.push(Alert {
            code: AlertCode::HighCorrelation,
            severity: Severity::Info,
            columns: vec![a.a.clone(), a.b.clone()],
            message: format!("\"{}\" and \"{}\" are highly correlated (Pearson r = {:.3} over {} rows with both{sampled}, threshold {HIGH_CORRELATION})", a.a, a.b, a.value, a.n),
            evidence: ev(&[("pearson", a.value), ("n", a.n as f64)]),
            suggestion: drop(dropped),
            advice: format!("keep one of them; dropping \"{dropped}\"{} loses little", if dropped == &a.a { ", which has fewer values," } else { "" }),
        });
    }
    if let Some(t) = target {
        target_alerts(ds, p, t, &mut out);
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.severity));
    out
}

/// What reading a mixed column as labels did to its numbers: those in
/// fixed point keep their form ("1.10" apart from "1.1"), but one written
/// otherwise is its value ("+5" reads "5", one label with "5"), which a
/// code column must not have; read as categorical, every value is kept as
/// written.
fn kept_by_value(m: &crate::data::MixedTypes) -> String {
    let Some(e) = &m.respelled else { return String::new() };
    format!(
        "; as labels, a number written in another form is kept by value (\"{}\" in row {} reads \"{}\"): to keep every value as written, read the column as categorical (--type, or \"Read as\" in the page's reading options)",
        e.value, e.row, e.reads
    )
}

/// Share of a mixed column's values that may be of another type for a cast
/// to the majority type to be offered: a few typos or notes among numbers
/// ("n/k"), not a column of codes (lifeboats "13" and "C").
pub const MIXED_CAST_MAX_OTHERS: f64 = 0.05;

/// The type a mixed column's cast fix gives it: its majority type, when
/// the values of other types are one, or at most [`MIXED_CAST_MAX_OTHERS`].
/// Markers for missing values (a statistics office's `.` or `x`) count as
/// few, however many rows hold them: the cast makes them missing.
fn mixed_cast(m: &crate::data::MixedTypes, markers: bool) -> Option<ColumnKind> {
    let present = m.numbers + m.dates + m.texts;
    let majority = m.numbers.max(m.dates).max(m.texts);
    let others = present - majority;
    if others > 1 && others as f64 > MIXED_CAST_MAX_OTHERS * present as f64 && !markers {
        return None;
    }
    match m.majority.as_str() {
        "number" => Some(ColumnKind::Float),
        "date" => Some(if m.dates_have_time { ColumnKind::DateTime } else { ColumnKind::Date }),
        _ => None,
    }
}

/// The labels of a mixed column of numbers that are not numbers, when they
/// look like markers for missing values: at most three different ones,
/// each punctuation only (`.`, `…`, `*`, `/`) or a statistics office's
/// word for withheld or unknown (`x`, `k.A.`, `n.a.`, `n.d.`); a letter
/// such as a lifeboat's `C` is a code.
fn missing_markers(ds: &Dataset, m: &crate::data::MixedTypes) -> Option<Vec<String>> {
    if m.majority != "number" || m.dates > 0 {
        return None;
    }
    let Some(ColumnValues::Categorical { levels, .. }) = ds.column(&m.column).ok().map(|c| &c.values) else { return None };
    let mut markers = Vec::new();
    for level in levels.iter().filter(|l| crate::data::number_or_code(l).is_none()) {
        if markers.len() == 3 || !is_marker(level) {
            return None;
        }
        markers.push(level.clone());
    }
    (!markers.is_empty()).then_some(markers)
}

/// Whether a label is a statistics office's or a spreadsheet's marker
/// for a missing, withheld or not-applicable value rather than a value:
/// up to four characters, all punctuation (`..`, `:`, `-`, `*`, `**`),
/// one letter in brackets (`[c]`, `(X)`), `x`, or an abbreviation such as
/// `n.a.`, `k.a.`, `nd`. (A bare letter is a code: lifeboats `C`, `D`.)
fn is_marker(level: &str) -> bool {
    let t = level.trim();
    let n = t.chars().count();
    if n == 0 || n > 4 {
        return false;
    }
    let punctuation = t.chars().all(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let bracketed = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')).or_else(|| t.strip_prefix('(').and_then(|r| r.strip_suffix(')')));
    let letter = bracketed.is_some_and(|inner| inner.chars().count() == 1 && inner.chars().all(char::is_alphabetic));
    punctuation || letter || ["x", "k.a.", "n.a.", "n.d.", "nd"].contains(&t.to_lowercase().as_str())
}

/// The labels of a mixed column of dates that are not dates, when every
/// one is MySQL's zero date (`0000-00-00`, `0000-00-00 00:00:00`), which
/// stands for a missing date: rewriting it as ISO 8601 cannot be done.
fn zero_dates(ds: &Dataset, m: &crate::data::MixedTypes) -> Option<Vec<String>> {
    if m.majority != "date" {
        return None;
    }
    let Some(ColumnValues::Categorical { levels, .. }) = ds.column(&m.column).ok().map(|c| &c.values) else { return None };
    let zero = |l: &str| {
        l.trim().strip_prefix("0000-00-00").is_some_and(|rest| {
            let mut chars = rest.chars();
            matches!(chars.next(), None | Some(' ' | 'T')) && chars.all(|c| matches!(c, '0' | ':' | '.'))
        })
    };
    let mut zeros = Vec::new();
    for level in levels {
        if zero(level) {
            zeros.push(level.clone());
        } else if crate::data::parse_time(level.trim()).is_none() {
            return None;
        }
    }
    (!zeros.is_empty()).then_some(zeros)
}

/// What a cast to numbers does to a mixed column's labels written with
/// their own decimals: two of one value ("1.10" and "1.1", a version
/// column's) become one number; empty when none do.
fn merged_by_cast(ds: &Dataset, m: &crate::data::MixedTypes) -> String {
    if m.majority != "number" {
        return String::new();
    }
    let Some(ColumnValues::Categorical { levels, .. }) = ds.column(&m.column).ok().map(|c| &c.values) else { return String::new() };
    let mut seen: std::collections::HashMap<u64, &str> = std::collections::HashMap::new();
    for level in levels {
        if let Some(x) = crate::data::parse_number_text(level) {
            if let Some(first) = seen.insert((x + 0.0).to_bits(), level) {
                return format!(", and labels of one value become one number ({} and {} both read {}): if they are versions or codes, keep the column as labels", quoted(first), quoted(level), crate::data::format_number(x));
            }
        }
    }
    String::new()
}

/// Whether a column reported as mixed holds only numbers and codes kept as
/// text (`07489`, an integer past 2^53): a column of codes, some of which
/// happen to read as numbers.
fn codes_and_numbers(ds: &Dataset, m: &crate::data::MixedTypes) -> bool {
    if m.dates > 0 {
        return false;
    }
    match ds.column(&m.column).ok().map(|c| &c.values) {
        Some(ColumnValues::Categorical { levels, .. }) => {
            let mut codes = 0;
            for level in levels {
                match crate::data::number_or_code(level) {
                    Some(true) => codes += 1,
                    Some(false) => {}
                    None => return false,
                }
            }
            codes > 0
        }
        _ => false,
    }
}

/// Whether a column reported as mixed holds a flag written two ways:
/// each value a yes/no word (`yes`, `N`, `true`) or 1 or 0, some of each.
fn flag_two_ways(ds: &Dataset, m: &crate::data::MixedTypes) -> bool {
    let Some(ColumnValues::Categorical { levels, .. }) = ds.column(&m.column).ok().map(|c| &c.values) else { return false };
    let digit = |l: &str| matches!(l.trim(), "0" | "1");
    let word = |l: &str| crate::data::bool_value(l.trim()).is_some();
    levels.iter().all(|l| digit(l) || word(l)) && levels.iter().any(|l| digit(l)) && levels.iter().any(|l| word(l))
}

/// Of a column reported as mixed, the first integer past 2^53 (kept as
/// text, as no f64 holds every one exactly) when every other value is a
/// number of at most 12 digits: one huge value among amounts, not a
/// column of long codes (IDs, some just under 2^53, have as many digits).
fn huge_among_numbers(ds: &Dataset, m: &crate::data::MixedTypes) -> Option<String> {
    if m.dates > 0 || m.texts == 0 {
        return None;
    }
    let Some(ColumnValues::Categorical { levels, .. }) = ds.column(&m.column).ok().map(|c| &c.values) else { return None };
    let mut huge = None;
    for level in levels {
        let digits = level.bytes().filter(u8::is_ascii_digit).count();
        match crate::data::number_or_code(level) {
            Some(false) if digits <= 12 => {}
            Some(true) if digits > 15 && !level.trim_start_matches(['-', '+']).starts_with('0') => {
                huge.get_or_insert_with(|| level.clone());
            }
            _ => return None,
        }
    }
    huge
}

/// Whether a column of distinct whole numbers reads as a key: they span at
/// most twice as many numbers as there are values (1..n), they rise from
/// row to row by one step, they all have as many digits, four or more, in
/// no order (a postcode, an EAN, a random six-digit customer number; counts
/// vary in length, and a measure's yearly values move a little; under
/// [`FEW_ROWS_FOR_KEYS`] rows, only numbers counting from 0 or 1), or the
/// name says so (`id`, `key`, `code`, `no`, `nr`, `number`, `sku`, `zip`,
/// `phone`, `account`, …, as a word or at its end: `customerid`,
/// `OrderNo`, `Kundennummer`).
fn integer_looks_like_a_key(values: Option<&ColumnValues>, name: &str) -> bool {
    let lower = name.to_lowercase();
    const ENDINGS: [&str; 13] = ["id", "key", "no", "nr", "num", "ref", "idx", "sku", "ean", "isbn", "zip", "code", "index"];
    const PARTS: [&str; 8] = ["number", "nummer", "phone", "account", "invoice", "customer", "postcode", "postal"];
    let named = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).any(|w| ENDINGS.iter().any(|e| w.ends_with(e)) && !["paid", "valid", "void", "piano", "casino"].contains(&w))
        || PARTS.iter().any(|p| lower.contains(p))
        || lower.contains('#');
    if named {
        return true;
    }
    let Some(ColumnValues::Numeric(v)) = values else { return true };
    let present: Vec<f64> = v.iter().filter_map(|x| x.get()).collect();
    let (Some(min), Some(max)) = (present.iter().copied().reduce(f64::min), present.iter().copied().reduce(f64::max)) else { return true };
    let dense = max - min + 1.0 <= 2.0 * present.len() as f64;
    // Rising by one step (10, 20, 30 …); a series that grows by varying
    // steps is a measure (employment, GNP year by year).
    let stepped = present.len() >= 3 && present.windows(2).all(|w| w[1] - w[0] == present[1] - present[0] && w[1] > w[0]);
    // One width, in no order: row to row the numbers jump about a third
    // of their range, where a measure in time order moves a little.
    let jumps = present.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (present.len().max(2) - 1) as f64;
    let digits = |x: f64| format!("{}", x.abs()).len();
    let fixed_width = min >= 0.0 && digits(min) >= 4 && digits(min) == digits(max) && jumps >= (max - min) / 10.0;
    // On a few rows every measure is all different: only a count from 0
    // or 1 says key there (Longley's 16 years of employment figures).
    if present.len() < FEW_ROWS_FOR_KEYS {
        return dense && min <= 1.0;
    }
    dense || stepped || fixed_width
}

/// Rows under which distinct numbers are called a key only when they
/// count from 0 or 1 (or the name says so).
const FEW_ROWS_FOR_KEYS: usize = 30;

/// Codes for "missing" or "unknown" written as numbers: -99, and ±999,
/// ±9999 … up to ±9,999,999.
fn sentinel(x: f64) -> bool {
    const CODES: [f64; 5] = [999.0, 9_999.0, 99_999.0, 999_999.0, 9_999_999.0];
    // Surveys code the reasons a value is missing next to -999 and -99
    // (SPSS: -998 refused, -997 don't know).
    const REASONS: [f64; 4] = [-998.0, -997.0, -98.0, -97.0];
    x == -99.0 || REASONS.contains(&x) || (x.abs() >= 999.0 && CODES.contains(&x.abs()))
}

/// The `--missing` flag that adds `more` to the tokens the file was read
/// with: the flag replaces the list, so `--missing -999` alone would stop
/// reading `NA` as missing. Just the flag when a token cannot be written
/// in the list (a comma or a quote in it).
fn missing_flag(ds: &Dataset, more: impl Iterator<Item = String>) -> String {
    let mut tokens: Vec<String> = ds.parse.missing_tokens.iter().filter(|t| !t.is_empty()).cloned().collect();
    for t in more {
        if !tokens.contains(&t) {
            tokens.push(t);
        }
    }
    if tokens.iter().any(|t| t.contains([',', '\'', '"']) || t.trim() != t) {
        return "--missing".into();
    }
    format!("--missing '{}'", tokens.join(","))
}

/// An alert per number column holding [`sentinel`] codes far outside its
/// other values (past three interquartile ranges beyond the quartiles):
/// eight -999s among temperatures made their std 15 times the rest's, and
/// too few to pass the outlier alert's share.
fn sentinel_values(ds: &Dataset, p: &Profile, target: Option<usize>) -> Vec<Alert> {
    let mut out = Vec::new();
    for (i, (col, c)) in ds.columns.iter().zip(&p.columns).enumerate() {
        let (ColumnValues::Numeric(v), false, false) = (&col.values, col.kind.is_time(), Some(i) == target) else { continue };
        let (Some(q1), Some(q3)) = (c.q1, c.q3) else { continue };
        let iqr = q3 - q1;
        // Zero (or not a number): no spread to be far from.
        if iqr.is_nan() || iqr <= 0.0 {
            continue;
        }
        let far = |x: f64| x < q1 - 3.0 * iqr || x > q3 + 3.0 * iqr;
        // A negative code among values otherwise never below zero (-999
        // among incomes of 20,000 to 80,000, whose spread put the fence
        // below -999) stands out however wide their spread.
        let lone_negative = c.min.is_some_and(|m| m < 0.0 && sentinel(m)) && v.iter().filter_map(|x| x.get()).all(|x| x >= 0.0 || sentinel(x));
        let odd = |x: f64| far(x) || (lone_negative && x < 0.0);
        // Nothing far from the quartiles: no value to look at.
        if !(c.min.is_some_and(odd) || c.max.is_some_and(odd)) {
            continue;
        }
        // Each code found, with its rows, in order of value.
        let mut found: Vec<(f64, usize)> = Vec::new();
        for x in v.iter().filter_map(|x| x.get()).filter(|&x| sentinel(x) && odd(x)) {
            match found.iter_mut().find(|f| f.0 == x) {
                Some(f) => f.1 += 1,
                None => found.push((x, 1)),
            }
        }
        if found.is_empty() {
            continue;
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        let rows: usize = found.iter().map(|f| f.1).sum();
        let name = &c.name;
        // A negative code (-999) is rarely a real value; a positive one
        // may be (a price of 999).
        let negative = found.iter().any(|f| f.0 < 0.0);
        // The missing-value tokens apply to every column: other columns
        // that hold one of the codes as a value would lose it too.
        let elsewhere: Vec<(&str, usize)> = ds
            .columns
            .iter()
            .enumerate()
            .filter(|&(k, col)| k != i && !col.kind.is_time())
            .filter_map(|(_, col)| match &col.values {
                ColumnValues::Numeric(w) => {
                    let n = w.iter().filter_map(|x| x.get()).filter(|x| found.iter().any(|f| f.0 == *x)).count();
                    (n > 0).then_some((col.name.as_str(), n))
                }
                _ => None,
            })
            .collect();
        let also = match elsewhere.as_slice() {
            [] => String::new(),
            list => format!(
                "; but the tokens apply to every column, and {}{}, which would become missing too",
                list.iter().take(3).map(|(c, n)| format!("\"{c}\" holds {} in {n} {}", if found.len() == 1 { crate::data::format_number(found[0].0) } else { "them".into() }, if *n == 1 { "row" } else { "rows" })).collect::<Vec<_>>().join(", "),
                if list.len() > 3 { format!(" (and {} more columns)", list.len() - 3) } else { String::new() },
            ),
        };
        out.push(Alert {
            code: AlertCode::SentinelValues,
            severity: if negative { Severity::Warning } else { Severity::Info },
            columns: vec![name.clone()],
            message: format!(
                "\"{name}\" has {}{} (quartiles {} and {}): round codes like these {}",
                found
                    .iter()
                    .map(|(x, n)| match (p.sample.is_some(), n) {
                        (true, _) => format!("{} in {n} of the sampled rows", crate::data::format_number(*x)),
                        (false, 1) => format!("{} in 1 row", crate::data::format_number(*x)),
                        (false, _) => format!("{} in {n} rows", crate::data::format_number(*x)),
                    })
                    .collect::<Vec<_>>()
                    .join(" and "),
                if found.iter().all(|f| far(f.0)) { " far outside its other values" } else { ", the only values below 0 in it," },
                short(q1),
                short(q3),
                if negative { "usually stand for missing or unknown values" } else { "may stand for missing or unknown values, or be real ones (a price of 999)" }
            ),
            evidence: ev(&[("rows", rows as f64), ("codes", found.len() as f64)]),
            suggestion: None,
            // A number token matches its value however the file writes it.
            advice: format!(
                "if they mean missing, add them to the missing-value tokens ({}, or \"Missing-value tokens\" in the page's reading options) and read the file again: a number there matches however the file writes it ({code} matches {code}.0 too){also}; until then the mean, std and scaling of \"{name}\" include them",
                missing_flag(ds, found.iter().map(|f| crate::data::format_number(f.0))),
                code = crate::data::format_number(found[0].0)
            ),
        });
    }
    out
}

/// An alert when the last row holds, in every number column it has a value
/// in, the sum of the rows above (a spreadsheet's totals row, exported with
/// the data): a model would learn from it as a row, and it skews every
/// figure. At least three rows above it and one sum that is not zero; not
/// on a sample (its last kept row need not be the file's). `n`: the rows.
fn totals_row(n: usize, (label, summed): TotalsRow) -> Option<Alert> {
    let (name, value) = summed.first()?.clone();
    let columns: Vec<String> = summed.iter().map(|(c, _)| c.clone()).collect();
    Some(Alert {
        code: AlertCode::TotalsRow,
        severity: Severity::Warning,
        columns: columns.clone(),
        message: if columns.len() == 1 {
            format!("the last row (row {n}{}) looks like a totals row: its value in \"{name}\" ({}) is the sum of the {} rows above", labelled(&label), short(value), n - 1)
        } else {
            format!(
                "the last row (row {n}{}) looks like a totals row: in {} columns ({}) its value is the sum of the {} rows above (\"{name}\": {})",
                labelled(&label),
                columns.len(),
                columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
                n - 1,
                short(value)
            )
        },
        evidence: ev(&[("row", n as f64), ("columns", columns.len() as f64)]),
        suggestion: None,
        advice: "remove the totals row from the file, then load it again: a model would learn from it as one more row (the associations and leakage checks here leave it out)".into(),
    })
}

/// A totals row: the last row's label if it names a total, and the
/// number columns whose last value is the sum of the rows above, with
/// that sum.
pub(crate) type TotalsRow = (Option<String>, Vec<(String, f64)>);

/// The last row as a [`TotalsRow`], when it is one (see [`totals_row`]);
/// `None` on a sample.
pub(crate) fn find_totals_row(ds: &Dataset, sampled: bool) -> Option<TotalsRow> {
    let n = ds.n_rows;
    if n < 4 || sampled {
        return None;
    }
    // A label on the last row that says it ("Total", "Gesamt"): then a
    // published total of rounded figures, off by the rounding, counts too.
    let label = ds.columns.iter().find_map(|c| match &c.values {
        ColumnValues::Categorical { levels, codes } => codes[n - 1].get().map(|k| levels[k as usize].trim().to_string()).filter(|l| {
            let l = l.to_lowercase();
            TOTAL_WORDS.iter().any(|w| l == *w || l.starts_with(&format!("{w} ")) || l.starts_with(&format!("{w}:")))
        }),
        _ => None,
    });
    let tolerance = if label.is_some() { 5e-3 } else { 1e-9 };
    let mut summed = Vec::new();
    for c in &ds.columns {
        // Numbers, or numbers written as text ("$690,176,524.50").
        let values: Vec<Option<f64>> = match &c.values {
            ColumnValues::Numeric(v) if !c.kind.is_time() => v.iter().map(|x| x.get()).collect(),
            ColumnValues::Categorical { levels, codes } => {
                // The last row's label must read as a number to be a sum.
                if codes[n - 1].get().is_none_or(|k| disguised_number(&levels[k as usize], ds.ingest.decimal_comma).is_none()) {
                    continue;
                }
                let mut counts = vec![0usize; levels.len()];
                for k in codes.iter().flatten() {
                    counts[*k as usize] += 1;
                }
                if written_numbers(levels, &counts, ds.ingest.decimal_comma).is_none() {
                    continue;
                }
                let comma = decimal_comma_of(levels.iter().map(String::as_str)).unwrap_or(ds.ingest.decimal_comma);
                let parsed: Vec<Option<f64>> = levels.iter().map(|l| disguised_number(l, comma).map(|(x, _)| x)).collect();
                codes.iter().map(|k| k.get().and_then(|k| parsed[k as usize])).collect()
            }
            _ => continue,
        };
        let Some(last) = values[n - 1] else { continue };
        let above: Vec<f64> = values[..n - 1].iter().flatten().copied().collect();
        if above.len() < 3 {
            continue;
        }
        let sum: f64 = above.iter().sum();
        let scale = above.iter().map(|x| x.abs()).sum::<f64>().max(f64::MIN_POSITIVE);
        if (last - sum).abs() > tolerance * scale {
            return None;
        }
        if sum != 0.0 {
            summed.push((c.name.clone(), last));
        }
    }
    (!summed.is_empty()).then_some((label, summed))
}

/// Columns named in the note on a few missing values.
const SOME_MISSING_NAMED: usize = 8;

/// One note on the columns missing some values, under
/// [`HIGH_MISSING_PCT`] each (past it each has its own alert): a page
/// that said "Data-quality alerts: none" over penguins' 11 missing sexes
/// and a Titanic's 19% missing ages hid what training does with them.
fn some_missing(p: &Profile) -> Option<Alert> {
    let mut few: Vec<&super::ColumnProfile> = p.columns.iter().filter(|c| c.missing > 0 && c.missing_pct < HIGH_MISSING_PCT).collect();
    if few.is_empty() {
        return None;
    }
    few.sort_by_key(|c| std::cmp::Reverse(c.missing));
    let named: Vec<String> = few.iter().take(SOME_MISSING_NAMED).map(|c| format!("\"{}\" {} ({}%)", c.name, c.missing, percent_text(c.missing_pct))).collect();
    let more = few.len().saturating_sub(SOME_MISSING_NAMED);
    let cells: usize = few.iter().map(|c| c.missing).sum();
    Some(Alert {
        code: AlertCode::SomeMissing,
        severity: Severity::Info,
        columns: few.iter().map(|c| c.name.clone()).collect(),
        message: format!(
            "{} missing some values, under {HIGH_MISSING_PCT}% each: {}{}",
            if few.len() == 1 { "1 column is".to_string() } else { format!("{} columns are", few.len()) },
            named.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ),
        evidence: ev(&[("columns", few.len() as f64), ("missingCells", cells as f64)]),
        suggestion: None,
        advice: "training fills a missing number with the training rows' median and leaves a missing label out of the label columns; add an impute step to choose otherwise, with a missing-indicator where a value's absence may mean something; rows missing the target are left out".into(),
    })
}

/// Words a totals row's label starts with.
const TOTAL_WORDS: [&str; 10] = ["total", "totals", "grand total", "sum", "summe", "gesamt", "insgesamt", "totaal", "overall", "all"];

/// ", labelled \"total\"" for a totals row's label, or nothing.
fn labelled(label: &Option<String>) -> String {
    label.as_ref().map_or(String::new(), |l| format!(", labelled {}", quoted(l)))
}

fn short(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{x}") } else { format!("{x:.4}") }
}

fn target_alerts(ds: &Dataset, p: &Profile, t: usize, out: &mut Vec<Alert>) {
    let tc = &ds.columns[t];
    let tp = &p.columns[t];
    // Classes: labels, or whole numbers with few values.
    let classes: Option<(Vec<Option<u32>>, usize)> = match &tc.values {
        ColumnValues::Categorical { levels, codes } => Some((codes.iter().map(|c| c.get()).collect(), levels.len())),
        ColumnValues::Numeric(v) if tp.integer && tp.distinct <= crate::run::MAX_INTEGER_CLASSES => {
            let mut d: Vec<f64> = v.iter().flatten().copied().collect();
            d.sort_by(f64::total_cmp);
            d.dedup();
            Some((v.iter().map(|x| x.map(|x| d.partition_point(|&y| y < x) as u32)).collect(), d.len()))
        }
        ColumnValues::Numeric(_) => None,
    };
    // Classes written with and without a trailing full stop ("<=50K" and
    // "<=50K.", as the adult census's test file writes them), beyond the
    // case and space variants the column's own alert names: each is a class.
    if let ColumnValues::Categorical { levels, .. } = &tc.values {
        let loose = |l: &str| super::normalize_label(l).trim_end_matches(['.', ',', ';', ':', '!']).trim_end().to_string();
        let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for l in levels {
            groups.entry(loose(l)).or_default().push(l);
        }
        let punct: Vec<String> = groups
            .values()
            .filter(|g| g.len() > 1)
            .filter(|g| g.iter().map(|l| super::normalize_label(l)).collect::<std::collections::BTreeSet<_>>().len() > 1)
            .take(5)
            .map(|g| g.iter().take(5).map(|l| quoted(l)).collect::<Vec<_>>().join(" / "))
            .collect();
        if !punct.is_empty() {
            out.push(Alert {
                code: AlertCode::CaseVariants,
                severity: Severity::Warning,
                columns: vec![tp.name.clone()],
                message: format!("the target \"{}\" has classes that differ only by a trailing full stop or other punctuation: {}; as the target, each spelling is a class of its own", tp.name, punct.join("; ")),
                evidence: ev(&[("groups", punct.len() as f64)]),
                suggestion: None,
                advice: "write each class one way in the file, then load it again".into(),
            });
        }
    }
    if let Some((codes, k)) = &classes {
        let mut counts = vec![0usize; *k];
        for c in codes.iter().flatten() {
            counts[*c as usize] += 1;
        }
        let n: usize = counts.iter().sum();
        let (min, max) = (counts.iter().filter(|&&c| c > 0).min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
        // The threshold is a fifth of an even share: MINORITY_SHARE for two
        // classes, less for more (ten even classes of 10% each are
        // balanced; 400 prices each in one row are no classes to balance).
        let present = counts.iter().filter(|&&c| c > 0).count();
        let threshold = MINORITY_SHARE * 2.0 / present.max(2) as f64;
        if n > 0 && (min as f64 / n as f64) < threshold && present >= 2 {
            let share = if present > 2 { format!("a fifth of an even share among {present} classes, ") } else { String::new() };
            out.push(Alert {
                code: AlertCode::ClassImbalance,
                severity: Severity::Warning,
                columns: vec![tp.name.clone()],
                message: format!("the rarest class of \"{}\" has {min} of {n} rows ({:.1}%, threshold {share}{:.1}%); the largest has {max}", tp.name, 100.0 * min as f64 / n as f64, 100.0 * threshold),
                evidence: ev(&[("minority", min as f64), ("majority", max as f64), ("ratio", max as f64 / min.max(1) as f64)]),
                suggestion: None,
                advice: "judge the model by macro F1, not accuracy; the split is already stratified".into(),
            });
        }
        let baseline = max as f64 / n.max(1) as f64;
        for (i, c) in ds.columns.iter().enumerate() {
            let cp = &p.columns[i];
            if i == t || cp.distinct < 2 || (cp.distinct * 2 > cp.count && !cp.kind.is_numeric()) {
                continue;
            }
            if let Some((acc, bins, judged)) = rule_accuracy(&c.values, codes, *k) {
                if acc >= LEAKAGE_ACCURACY && baseline < LEAKAGE_ACCURACY && bins * 2 <= cp.count {
                    out.push(leak(&cp.name, &tp.name, format!(
                        "a rule on \"{}\" alone predicts \"{}\" for {}% of {} (majority class alone: {:.1}%)",
                        cp.name,
                        tp.name,
                        percent_text(100.0 * acc),
                        if codes.len() > LEAKAGE_ROWS { format!("a sample of {judged} rows") } else { "rows".to_string() },
                        100.0 * baseline
                    ), ev(&[("ruleAccuracy", acc), ("baseline", baseline)])));
                }
            }
        }
    } else {
        for a in &p.associations.target {
            // A label column with as many labels as half its rows explains
            // any number by chance: with one row a label, the correlation
            // ratio is 1 whatever the target (the same rule as for classes).
            let few_rows_a_label = p.columns.iter().find(|c| c.name == a.a).is_some_and(|c| !c.kind.is_numeric() && c.distinct * 2 > c.count);
            if a.value.abs() >= LEAKAGE_ACCURACY && !few_rows_a_label {
                out.push(leak(&a.a, &tp.name, format!("\"{}\" alone explains \"{}\" almost exactly ({} {:.4})", a.a, tp.name, a.measure.label(), a.value), ev(&[("association", a.value)])));
            }
        }
    }
}

fn leak(feature: &str, target: &str, message: String, evidence: BTreeMap<String, f64>) -> Alert {
    Alert {
        code: AlertCode::TargetLeakage,
        severity: Severity::Critical,
        columns: vec![feature.to_string(), target.to_string()],
        message: format!("possible target leakage: {message}"),
        evidence,
        suggestion: drop(feature),
        advice: format!("check that \"{feature}\" is known before \"{target}\" is; if not, drop it"),
    }
}

/// Whether `text` looks like a date in a form other than ISO 8601: three
/// groups of digits joined by `/`, `.` or `-` with a year of four digits
/// first or last (`03/12/2021`, `12.03.2021`, `2021/3/12`), or a month's
/// name beside digits (`4 Mar 2021`, `March 4, 2021`).
fn written_as_date(text: &str) -> bool {
    // The date before a time of day ("05/Jan/2023:10:55:00 +0000", a web
    // server's log; "01/05/2023 10:55").
    let text = text.trim();
    let b = text.as_bytes();
    let clock = (0..b.len()).find(|&i| {
        let d = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
        (i == 0 || !d(i - 1)) && d(i) && ((b.get(i + 1) == Some(&b':') && d(i + 2) && d(i + 3)) || (d(i + 1) && b.get(i + 2) == Some(&b':') && d(i + 3) && d(i + 4)))
    });
    let t = match clock {
        Some(0) => return false,
        Some(i) => text[..i].trim_end_matches([' ', 'T', ':', ',']),
        None => text,
    };
    let groups: Vec<&str> = t.split(['/', '.', '-']).collect();
    let digits = |g: &str, n: std::ops::RangeInclusive<usize>| n.contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit());
    if groups.len() == 3 && ((digits(groups[0], 1..=2) && digits(groups[1], 1..=2) && digits(groups[2], 4..=4)) || (digits(groups[0], 4..=4) && digits(groups[1], 1..=2) && digits(groups[2], 1..=2))) {
        return true;
    }
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = t.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let month = words.iter().any(|w| w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m)) && w.bytes().all(|b| b.is_ascii_alphabetic()) && w.len() <= 9);
    month && words.iter().any(|w| w.bytes().all(|b| b.is_ascii_digit())) && words.len() <= 4
}

/// An alert for a label column whose values are dates in a local form but
/// for a few (at most one in 20, or one): the rows of the others, so the
/// column can be read as dates once they are fixed.
fn local_dates_alert(name: &str, levels: &[String], codes: &[crate::data::Code], sampled: bool) -> Option<Alert> {
    // A day of the calendar in one order or the other, as reading takes
    // such dates (`31.09.2023` is none).
    let date = |l: &str| crate::data::loose_date(l.trim()).is_some_and(|d| d.seconds(true).is_some() || d.seconds(false).is_some());
    // Most of the first labels are dates, or this is no date column (a
    // free-text column has a million labels to spare the look).
    let first = levels.iter().take(20);
    if first.clone().filter(|l| date(l)).count() * 10 < first.count() * 8 {
        return None;
    }
    let mut counts = vec![0usize; levels.len()];
    for c in codes.iter().flatten() {
        counts[*c as usize] += 1;
    }
    let present: usize = counts.iter().sum();
    let dates: usize = levels.iter().zip(&counts).filter(|(l, _)| date(l)).map(|(_, n)| n).sum();
    let others = present - dates;
    if dates < 10 || others == 0 || (others > 1 && others * 20 > present) {
        return None;
    }
    let example = levels.iter().zip(&counts).find(|(l, &n)| n > 0 && date(l)).map(|(l, _)| l.clone())?;
    // The odd values, each once, at its first row.
    let mut odd: Vec<String> = Vec::new();
    for (r, c) in codes.iter().enumerate() {
        let Some(c) = c.get() else { continue };
        let level = &levels[c as usize];
        let q = quoted(level);
        if !date(level) && !odd.iter().any(|o| o.starts_with(&format!("{q} "))) {
            odd.push(if sampled { format!("{q} (a sampled row)") } else { format!("{q} (row {})", r + 1) });
            if odd.len() == 3 {
                break;
            }
        }
    }
    Some(Alert {
        code: AlertCode::MixedTypes,
        severity: Severity::Warning,
        columns: vec![name.to_string()],
        message: format!(
            "\"{name}\" holds dates written as {} in {dates} of {present} values, and {} that {} not, so it was read as labels; e.g. {}",
            quoted(&example),
            if others == 1 { "1 other".to_string() } else { format!("{others} others") },
            if others == 1 { "is" } else { "are" },
            odd.join(", ")
        ),
        evidence: ev(&[("dates", dates as f64), ("texts", others as f64)]),
        suggestion: None,
        advice: "fix those values at the source, or list them as missing-value tokens (--missing, or \"Missing-value tokens\" in the page's reading options), and read the file again: the column is then read as dates".into(),
    })
}

/// "1 number and 2 other values": the kinds present, each counted.
fn mix_text(numbers: usize, dates: usize, texts: usize) -> String {
    let parts: Vec<String> = [(numbers, "number", "numbers"), (dates, "date", "dates"), (texts, "other value", "other values")]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
    match parts.as_slice() {
        [] => "no values".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::data::{parse_csv, ParseOptions};
    use crate::profile::{profile, profile_with, AlertCode, ProfileOptions};
    use crate::prepare::StepSpec;

    fn codes(csv: &str, target: Option<&str>) -> Vec<(AlertCode, Vec<String>)> {
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: target.map(String::from), ..Default::default() }).unwrap();
        p.alerts.into_iter().map(|a| (a.code, a.columns)).collect()
    }

    fn has(csv: &str, target: Option<&str>, code: AlertCode, column: &str) -> bool {
        codes(csv, target).iter().any(|(c, cols)| *c == code && (column.is_empty() || cols.iter().any(|x| x == column)))
    }

    /// Prices written as text chosen as the target keep the alert whose fix
    /// reads them as numbers (it was dropped for the target, and the 400
    /// prices were called imbalanced classes instead); the imbalance
    /// threshold is a fifth of an even share, so ten even classes are not
    /// flagged and a 3% class among three is.
    #[test]
    fn a_price_target_gets_its_fix_and_imbalance_is_judged_by_the_classes() {
        let prices = format!("units,revenue\n{}", (0..60).map(|i| format!("{},\"${},{:03}.{:02}\"\n", i % 7, i + 1, (i * 37) % 1000, i % 100)).collect::<String>());
        let ds = parse_csv(prices.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: Some("revenue".into()), ..Default::default() }).unwrap();
        let a = p.alerts.iter().find(|a| a.code == AlertCode::NumbersAsText).expect("numbers-as-text alert on the target");
        assert_eq!(a.suggestion, Some(StepSpec::ParseNumbers { column: "revenue".into() }));
        assert!(a.advice.contains("as the target, its numbers are then predicted (regression)"), "{}", a.advice);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::ClassImbalance), "{:?}", p.alerts);

        let ten = format!("x,t\n{}", (0..200).map(|i| format!("{},c{}\n", i % 7, i % 10)).collect::<String>());
        assert!(!has(&ten, Some("t"), AlertCode::ClassImbalance, "t"), "{:?}", codes(&ten, Some("t")));
        let three = format!("x,t\n{}", (0..100).map(|i| format!("{},{}\n", i % 7, if i < 3 { "rare" } else if i % 2 == 0 { "a" } else { "b" })).collect::<String>());
        assert!(has(&three, Some("t"), AlertCode::ClassImbalance, "t"), "{:?}", codes(&three, Some("t")));
    }

    /// Free text in every row is said to be free text, not an identifier.
    #[test]
    fn free_text_in_every_row_is_not_called_an_identifier() {
        let csv = format!("id,body,y\n{}", (0..30).map(|i| format!("{i},\"{}\",{}\n", "lorem ipsum dolor sit amet ".repeat(3 + i), i % 3)).collect::<String>());
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions::default()).unwrap();
        let unique: Vec<&crate::profile::Alert> = p.alerts.iter().filter(|a| a.code == AlertCode::Unique).collect();
        assert_eq!(unique.len(), 2, "{:?}", p.alerts);
        assert_eq!(unique[0].message, "\"id\" has a different value in every one of 30 rows: it looks like an identifier");
        assert_eq!(unique[1].message, "\"body\" has a different value in every one of 30 rows: it is free text, and as labels a model could only memorise it");
        assert!(unique[1].advice.starts_with("drop it (training leaves out"), "{}", unique[1].advice);
    }

    /// One row per alert: a small CSV that must raise it, and one that must not.
    #[test]
    fn each_alert_fires_on_its_case_and_not_on_a_clean_one() {
        let n = |f: &dyn Fn(usize) -> String| (0..40).map(f).collect::<String>();
        let clean = format!("x,y,c,t\n{}", n(&|i| format!("{},{},{},{}\n", i % 7, (i * 13) % 11, ["a", "b", "c"][i % 3], i % 2)));
        let cases: Vec<(AlertCode, String, Option<&str>, &str)> = vec![
            (AlertCode::HighMissing, format!("x,y\n{}", n(&|i| format!("{},{}\n", if i % 2 == 0 { "".into() } else { i.to_string() }, i % 5))), None, "x"),
            (AlertCode::Constant, format!("x,y\n{}", n(&|i| format!("7,{}\n", i % 5))), None, "x"),
            (AlertCode::SomeMissing, format!("x,y\n{}", n(&|i| format!("{},{}\n", if i % 20 == 3 { "".into() } else { i.to_string() }, i % 5))), None, "x"),
            (AlertCode::NearConstant, format!("x,y\n{}", n(&|i| format!("{},{}\n", if i == 0 { 1 } else { 0 }, i % 5))), None, "x"),
            (AlertCode::Unique, format!("id,y\n{}", n(&|i| format!("u{i},{}\n", i % 5))), None, "id"),
            (AlertCode::HighCardinality, format!("c,y\n{}{}", n(&|i| format!("L{},{}\n", i, i % 5)), n(&|i| format!("L{},{}\n", i + 20, i % 5))), None, "c"),
            (AlertCode::DuplicateRows, format!("x,y\n{}", n(&|i| format!("{},{}\n", i % 10, i % 10))), None, ""),
            (AlertCode::Skewed, format!("x,y\n{}", n(&|i| format!("{},{}\n", if i < 37 { 1 + i % 3 } else { 1000 * (i - 36) }, i % 5))), None, "x"),
            (AlertCode::Outliers, format!("x,y\n{}", n(&|i| format!("{},{}\n", if i == 3 { 500 } else { i % 9 }, i % 5))), None, "x"),
            (AlertCode::ClassImbalance, format!("x,t\n{}", n(&|i| format!("{},{}\n", i % 9, if i == 0 { "rare" } else { "common" }))), Some("t"), "t"),
            (AlertCode::TargetLeakage, format!("x,z,t\n{}", n(&|i| format!("{},{},{}\n", i, i % 7, if i < 20 { "lo" } else { "hi" }))), Some("t"), "x"),
            (AlertCode::MixedTypes, format!("x,y\n{}", n(&|i| format!("{},{}\n", if i == 5 { "n/k".into() } else { i.to_string() }, i % 5))), None, "x"),
            (AlertCode::CaseVariants, format!("c,y\n{}", n(&|i| format!("{},{}\n", ["Red", "red ", "Blue"][i % 3], i % 5))), None, "c"),
            (AlertCode::HighCorrelation, format!("x,y,z\n{}", n(&|i| format!("{},{},{}\n", i, 2 * i + 1, i % 5))), None, "y"),
            (AlertCode::NumbersAsText, format!("price,y\n{}", n(&|i| format!("\"${},{:03}.50\",{}\n", i + 1, i * 7, i % 5))), None, "price"),
            (AlertCode::NumbersAsText, format!("share,y\n{}", n(&|i| format!("{}%,{}\n", i % 9, i % 5))), None, "share"),
            (AlertCode::SentinelValues, format!("t,y\n{}", n(&|i| format!("{},{}\n", if i == 9 { -999 } else { 15 + (i % 11) as i64 }, i % 5))), None, "t"),
        ];
        for (code, csv, target, column) in &cases {
            assert!(has(csv, *target, *code, column), "{code:?} expected in {:?}", codes(csv, *target));
            assert!(!has(&clean, *target, *code, ""), "{code:?} not expected on clean data: {:?}", codes(&clean, *target));
        }
    }

    /// Two rows in common make any pair a straight line: no alert then. A
    /// pair that is correlated drops the column with fewer values.
    #[test]
    fn correlation_needs_rows_in_common_and_drops_the_sparser_column() {
        // "rare" has values on 2 rows only; x and w are full and unrelated.
        let csv: String = std::iter::once("rare,x,w\n".to_string())
            .chain((0..200).map(|i| format!("{},{},{}\n", match i { 3 => "1", 90 => "5", _ => "" }, (i * 37) % 101, (i * 53) % 97)))
            .collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        assert!(p.associations.pairs.iter().any(|a| a.n == 2 && a.value.abs() == 1.0), "{:?}", p.associations.pairs);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::HighCorrelation), "{:?}", p.alerts);
        // "half" copies x on every other row: correlated over 100 rows, and
        // the fix drops it, not the full column.
        let csv: String = std::iter::once("half,x,w\n".to_string())
            .chain((0..200).map(|i| format!("{},{},{}\n", if i % 2 == 0 { (2 * i + 1).to_string() } else { String::new() }, i, (i * 53) % 97)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::HighCorrelation).expect("a correlation alert");
        assert_eq!(a.fix(), Some(StepSpec::DropColumn { column: "half".into() }));
        assert!(a.message.contains("over 100 rows with both, threshold"), "{}", a.message);
        // Measured on a sample of the rows, the message says so.
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = crate::profile::profile_with(&ds, &crate::profile::ProfileOptions { max_assoc_work: 400, ..Default::default() }).unwrap();
        let n = p.associations.sampled_rows.expect("a sample of rows");
        let a = p.alerts.iter().find(|a| a.code == AlertCode::HighCorrelation).expect("a correlation alert");
        assert!(a.message.contains(&format!(" rows with both in a sample of {n} of 200 rows, threshold")), "{}", a.message);
    }

    /// An identifier in a file with whole duplicate rows repeats only in
    /// those rows: still an identifier, and said so.
    #[test]
    fn an_identifier_repeated_only_by_duplicate_rows_is_still_one() {
        let mut csv = String::from("id,v\n");
        for i in 0..100 {
            csv += &format!("{},{}\n", 1000 + i, i % 7);
        }
        for i in 0..5 {
            csv += &format!("{},{}\n", 1000 + i, i % 7);
        }
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::Unique).expect("an identifier alert");
        assert_eq!(a.message, "\"id\" has a different value in every one of 105 rows but the 5 that repeat an earlier row whole: it looks like an identifier");
        // A repeat outside duplicate rows is not explained away.
        let cut = csv.rfind("1004,4\n").unwrap();
        let other = format!("{}1004,5\n", &csv[..cut]);
        let p = profile(&parse_csv(other.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::Unique));
    }

    /// A number column that is the target in other words (0 for no, 1 for
    /// yes, many rows each) is a perfect rule: ranges never split equal
    /// values, so it scores 100%, not 99.5%.
    #[test]
    fn a_coded_copy_of_the_target_scores_a_perfect_rule() {
        let csv: String = std::iter::once("code,x,y\n".to_string())
            .chain((0..400).map(|i| {
                let yes = (i * 7) % 10 < 3;
                format!("{},{},{}\n", u8::from(yes), i % 13, if yes { "yes" } else { "no" })
            }))
            .collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: Some("y".into()), ..Default::default() }).unwrap();
        let leak = p.alerts.iter().find(|a| a.code == AlertCode::TargetLeakage).expect("a leakage alert");
        assert!(leak.message.contains("a rule on \"code\" alone predicts \"y\" for 100.0% of rows"), "{}", leak.message);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::TargetLeakage && a.columns[0] == "x"));
    }

    /// Case variants in the target are classes of their own: the alert says
    /// so and offers no recipe step (steps prepare features only).
    #[test]
    fn case_variants_in_the_target_say_they_are_classes_and_offer_no_step() {
        let csv: String = std::iter::once("x,y\n".to_string()).chain((0..40).map(|i| format!("{i},{}\n", ["cat", "Cat", "dog "][i % 3]))).collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: Some("y".into()), ..Default::default() }).unwrap();
        let a = p.alerts.iter().find(|a| a.code == AlertCode::CaseVariants).unwrap();
        assert!(a.message.ends_with("; as the target, each spelling is a class of its own"), "{}", a.message);
        assert_eq!(a.fix(), None);
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::CaseVariants).unwrap();
        assert_eq!(a.fix(), Some(StepSpec::NormalizeLabels { column: "y".into() }));
    }

    /// The outlier count is said in words that agree with it.
    #[test]
    fn outlier_message_counts_in_the_singular_and_plural() {
        let message = |csv: String| {
            let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
            profile(&ds).alerts.into_iter().find(|a| a.code == AlertCode::Outliers).map(|a| a.message).unwrap_or_default()
        };
        let one = message((0..40).map(|i| format!("{}\n", if i == 3 { 500 } else { i % 9 })).fold("x\n".to_string(), |s, r| s + &r));
        assert!(one.starts_with("\"x\" has 1 value outside the IQR fences"), "{one}");
        let two = message((0..40).map(|i| format!("{}\n", if i == 3 || i == 9 { 500 } else { i % 9 })).fold("x\n".to_string(), |s, r| s + &r));
        assert!(two.starts_with("\"x\" has 2 values outside the IQR fences"), "{two}");
    }

    /// Eight ±999 codes among 2,000 temperatures: too few for the outlier
    /// alert, named as codes for missing values; a column whose range
    /// reaches 999 honestly (counts up to 1,500) is not flagged.
    #[test]
    fn sentinel_codes_far_outside_a_column_are_named() {
        let csv: String = std::iter::once("temp,count\n".to_string())
            .chain((0..2000).map(|i| {
                let t = match i { 17 | 400 | 901 => "999".to_string(), 33 | 250 | 1200 | 1700 | 1999 => "-999".to_string(), _ => format!("{:.1}", 18.0 + (i % 37) as f64 * 0.2) };
                format!("{t},{}\n", (i * 7) % 1500)
            }))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let s: Vec<&super::Alert> = p.alerts.iter().filter(|a| a.code == AlertCode::SentinelValues).collect();
        assert_eq!(s.len(), 1, "{:?}", p.alerts);
        assert_eq!(s[0].columns, ["temp"]);
        assert!(s[0].message.starts_with("\"temp\" has -999 in 5 rows and 999 in 3 rows far outside its other values (quartiles "), "{}", s[0].message);
        assert_eq!(s[0].severity, super::Severity::Warning);
        // A positive code alone may be a real value: said so, as a note.
        let csv: String = std::iter::once("price,v\n".to_string()).chain((0..100).map(|i| format!("{},{}\n", if i % 20 == 0 { "999".to_string() } else { format!("{}.99", 9 + i % 50) }, i % 3))).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::SentinelValues).expect("a sentinel note");
        assert_eq!(a.severity, super::Severity::Info);
        assert!(a.message.ends_with("may stand for missing or unknown values, or be real ones (a price of 999)"), "{}", a.message);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::Outliers && a.columns == ["temp"]));
        assert_eq!(s[0].fix(), None);
    }

    /// -999 among incomes of 20,000 to 80,000 (with blanks): the fence
    /// three IQRs below the first quartile is under -999, but no other
    /// value is below 0, so the code is named; a column with real negative
    /// values (balances) is judged by its fences alone.
    #[test]
    fn a_negative_code_among_values_never_below_zero_is_named() {
        let rows = |neg: bool| -> String {
            std::iter::once("income,y\n".to_string())
                .chain((0..150).map(|i| {
                    let v = match i % 23 {
                        4 => "-999".to_string(),
                        9 => String::new(),
                        _ => format!("{}", 20_000 + (i * 7919) % 60_000 - if neg && i % 5 == 0 { 30_000 } else { 0 }),
                    };
                    format!("{v},{}\n", i % 2)
                }))
                .collect()
        };
        let p = profile(&parse_csv(rows(false).as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::SentinelValues).expect("the -999 named");
        assert!(a.message.starts_with("\"income\" has -999 in 7 rows, the only values below 0 in it, (quartiles "), "{}", a.message);
        assert_eq!(a.severity, super::Severity::Warning);
        let p = profile(&parse_csv(rows(true).as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::SentinelValues), "{:?}", p.alerts);
        // A survey's reason codes beside it (SPSS: -998 refused).
        let p = profile(&parse_csv(rows(false).replace("\n-999,1", "\n-998,1").as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::SentinelValues).expect("-999 and -998 named");
        assert!(a.message.starts_with("\"income\" has -999 in ") && a.message.contains(" and -998 in "), "{}", a.message);
    }

    /// Columns of one value a row that are times, durations or dates with
    /// a two-digit year are said to be so, with no drop step offered; one
    /// of UUIDs is an identifier, not free text; sentences are free text.
    #[test]
    fn unique_times_dates_and_keys_are_named_for_what_they_are() {
        let csv: String = std::iter::once("dur,clock,short,key,note,month,y\n".to_string())
            .chain((0..40).map(|i| {
                format!(
                    "0{}:{:02}:{:02},{}:{:02} {},{:02}/{:02}/{:02},{:08x}-1c2d-4e5f-8a9b-{:012x},the {i}th note of many,{},{}\n",
                    i % 10,
                    (i * 7) % 60,
                    (i * 13) % 60,
                    1 + i % 12,
                    (i * 11) % 60,
                    ["UTC", "PST"][i % 2],
                    1 + i % 28,
                    1 + i % 12,
                    10 + i,
                    (i as u64 * 2_654_435_761) % 4_294_967_291,
                    i * 77_777,
                    if i % 2 == 0 { format!("{}-{:02}", 1990 + i / 12, 1 + i % 12) } else { format!("{}M{:02}", 1990 + i / 12, 1 + i % 12) },
                    i % 2
                )
            }))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let unique = |c: &str| p.alerts.iter().find(|a| a.code == AlertCode::Unique && a.columns == [c]).unwrap_or_else(|| panic!("{c}: {:?}", p.alerts));
        for (c, kind) in [("dur", "times of day or durations"), ("clock", "times of day or durations"), ("short", "dates with a two-digit year"), ("month", "months or quarters of a year")] {
            let a = unique(c);
            assert!(a.message.starts_with(&format!("\"{c}\" has a different value in every one of 40 rows: {kind} written as text (e.g. ")), "{}", a.message);
            assert_eq!(a.fix(), None, "{c}");
        }
        assert!(unique("key").message.ends_with("it looks like an identifier"), "{}", unique("key").message);
        assert!(unique("note").message.ends_with("it is free text, and as labels a model could only memorise it"), "{}", unique("note").message);
    }

    /// A statistics office's table with 12% suppressed cells (`[c]`,
    /// `[x]`, `..`) beside numbers with thousands marks is a column of
    /// numbers written as text, the markers becoming missing; the drop
    /// column of the high-cardinality alert is not offered. Words among
    /// the numbers past a tenth still rule it out.
    #[test]
    fn suppressed_cells_do_not_hide_numbers_written_as_text() {
        let csv: String = std::iter::once("region,employment,y\n".to_string())
            .chain((0..300).map(|i| {
                let v = match i % 25 {
                    3 => "[c]".to_string(),
                    9 => "[x]".to_string(),
                    17 => "..".to_string(),
                    _ => format!("\"{},{:03}\"", 1 + i % 90, (i * 37) % 1000),
                };
                format!("r{i},{v},{}\n", i % 2)
            }))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::NumbersAsText).unwrap_or_else(|| panic!("{:?}", p.alerts));
        assert!(a.message.contains("(88% of its values, e.g. ") && a.message.contains("36 values that are no numbers (e.g. \"[c]\""), "{}", a.message);
        assert!(matches!(a.fix(), Some(StepSpec::ParseNumbers { .. })));
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::HighCardinality && a.columns == ["employment"]), "{:?}", p.alerts);
        let words = csv.replace("[x]", "withheld").replace("[c]", "suppressed").replace("..", "unknown");
        let p = profile(&parse_csv(words.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::NumbersAsText), "{:?}", p.alerts);
    }

    /// A second line of names under the codes (a census export): one
    /// alert names it and the lines to skip; the columns keep their casts.
    #[test]
    fn a_second_line_of_names_is_named() {
        let csv: String = ["GEO_ID,NAME,B19013_001E,B19013_001M\n".to_string(), "Geography,Geographic Area Name,Estimate!!Total,Margin of Error!!Total\n".to_string()]
            .into_iter()
            .chain((0..50).map(|i| format!("0500000US{i:05},County {i},{},{}\n", 40_000 + i * 311, 1_000 + i * 7)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.message.contains("second line of column names")).unwrap_or_else(|| panic!("{:?}", p.alerts));
        assert_eq!(a.columns, ["B19013_001E", "B19013_001M"]);
        assert!(a.message.starts_with("row 1 holds words in 2 columns of numbers (such as \"Estimate!!Total\" in \"B19013_001E\")"), "{}", a.message);
        assert!(a.advice.starts_with("if the line above it holds codes and this one the names, skip the first line (--skip-lines 1"), "{}", a.advice);
        assert_eq!(p.alerts.iter().filter(|a| a.code == AlertCode::MixedTypes && a.fix().is_some()).count(), 2);
    }

    /// Codes that only look like times or dates (sort codes `89-42-55`,
    /// financial years `1980-81`, `10:75`) are not named as such, and
    /// one word repeated in row 1 ("pending") is no line of names.
    #[test]
    fn codes_like_times_and_placeholders_are_not_misnamed() {
        let csv: String = std::iter::once("sort,fy,ratio,a,b,y\n".to_string())
            .chain((0..40).map(|i| {
                let word = |v: usize| if i == 0 { "pending".to_string() } else { v.to_string() };
                format!("{}-{}-{:02},{}-{:02},{}:{},{},{},{}\n", 60 + i % 30, 40 + i, i, 1960 + i, (61 + i) % 100, 10 + i, 60 + i, word(i * 3), word(i * 7), i % 2)
            }))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let said = |a: &&super::Alert| a.message.contains("times of day") || a.message.contains("two-digit year") || a.message.contains("months or quarters") || a.message.contains("second line of column names");
        assert!(!p.alerts.iter().any(|a| said(&a)), "{:?}", p.alerts.iter().filter(said).collect::<Vec<_>>());
    }

    /// A spreadsheet's date serials among ISO dates are named as such,
    /// with the date one stands for; a mixed column of mostly text names
    /// its text, not only its numbers.
    #[test]
    fn date_serials_and_mostly_text_columns_are_explained() {
        let csv: String = std::iter::once("d,short,y\n".to_string())
            .chain((0..40).map(|i| format!("{},{},{}\n", if i % 3 == 0 { format!("2023-06-{:02}", 1 + i % 28) } else { (45000 + i).to_string() }, if i % 3 == 1 { (100 * i).to_string() } else { format!("{}.{}k", 1 + i % 9, i % 10) }, i % 2)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let mixed = |c: &str| p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes && a.columns == [c]).unwrap_or_else(|| panic!("{c}: {:?}", p.alerts));
        assert!(mixed("d").advice.starts_with("its numbers look like a spreadsheet's date serials (45001 is 2023-03-16), exported unformatted beside dates"), "{}", mixed("d").advice);
        let s = mixed("short");
        assert!(s.message.ends_with("; most values are text, such as \"1.0k\" (row 1)"), "{}", s.message);
        assert!(s.advice.starts_with("write the column one way at the source"), "{}", s.advice);
    }

    /// The codes' advice holds as written: the code as the alert shows it
    /// (`-999`) read as missing also matches the file's `-999.0`, and then
    /// the alert is gone and the mean is the other values'.
    #[test]
    fn sentinel_advice_followed_reads_the_codes_as_missing() {
        let csv: String = std::iter::once("temp,n\n".to_string())
            .chain((0..500).map(|i| {
                let t = if i % 50 == 7 { "-999.0".to_string() } else { format!("{:.1}", 18.0 + (i % 37) as f64 * 0.2) };
                format!("{t},{}\n", i % 7)
            }))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::SentinelValues).expect("a sentinel alert");
        assert!(a.message.starts_with("\"temp\" has -999 in 10 rows far outside its other values"), "{}", a.message);
        assert!(a.advice.starts_with("if they mean missing, add them to the missing-value tokens (--missing 'NA,N/A,n/a,#N/A,NULL,null,NaN,nan,None,?,-,#DIV/0!,#VALUE!,#REF!,#NAME?,#NUM!,#NULL!,#ERROR!,-999', or \"Missing-value tokens\" in the page's reading options) and read the file again: a number there matches however the file writes it (-999 matches -999.0 too); "), "{}", a.advice);
        // Followed word for word: the list given keeps the file's NA missing
        // (the flag replaces the list; `--missing -999` alone would not).
        let list = a.advice.split("--missing '").nth(1).and_then(|r| r.split('\'').next()).expect("the list to give");
        let opts = ParseOptions { missing_tokens: list.split(',').map(String::from).collect(), ..Default::default() };
        let csv = format!("{csv}NA,1\n");
        let ds = parse_csv(csv.as_bytes(), "t.csv", &opts).unwrap();
        let p = profile(&ds);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::SentinelValues), "{:?}", p.alerts);
        assert_eq!(p.columns[0].missing, 11);
        assert!(p.columns[0].mean.is_some_and(|m| m > 18.0), "{:?}", p.columns[0].mean);
        // The advice says nothing of other columns while none holds the code.
        assert!(!a.advice.contains("every column"), "{}", a.advice);
    }

    /// The missing-value tokens apply to every column: where another
    /// column holds the code as a real value (a price of 999), the advice
    /// says that following it would make those values missing too.
    #[test]
    fn sentinel_advice_names_other_columns_that_hold_the_code() {
        let csv: String = std::iter::once("age,price,y\n".to_string())
            .chain((0..200).map(|i| {
                let age = if i % 40 == 3 { "999".to_string() } else { format!("{}", 20 + i % 45) };
                let price = if i % 5 == 0 { "999" } else { "1499" };
                format!("{age},{price},{}\n", i % 2)
            }))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::SentinelValues).expect("a sentinel alert");
        assert_eq!(a.columns, ["age"]);
        assert!(a.advice.contains("(999 matches 999.0 too); but the tokens apply to every column, and \"price\" holds 999 in 40 rows, which would become missing too; until then"), "{}", a.advice);
    }

    /// One "1,234" among plain numbers: the alert says one value is written
    /// so, and where, rather than that all of them are.
    #[test]
    fn one_number_with_a_separator_is_counted_and_placed() {
        let csv: String = std::iter::once("id,amount\n".to_string()).chain((0..50).map(|i| format!("{i},{}\n", 100 + i))).chain(std::iter::once("50,\"1,234\"\n".to_string())).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::NumbersAsText).expect("a numbers-as-text alert");
        assert_eq!(a.message, "\"amount\" holds numbers, 1 of them written with currency signs, percent signs, thousands separators, decimal commas or parentheses for negatives (e.g. \"1,234\", row 51), so it was read as labels; 100% of its values are numbers");
    }

    /// Numbers with a unit after them, as in a used-car listing ("23.4
    /// kmpl", "1248 CC", "74 bhp"): one alert per column naming the unit,
    /// whose fix reads the numbers without it; a label with another unit
    /// becomes missing (then the median), a "0" with none is read, the
    /// plural is the unit. Codes, ordinals and mixed units are no units.
    #[test]
    fn numbers_with_a_unit_are_named_and_read() {
        let mut csv = String::from("mileage,engine,power,age,code,rank,size,y\n");
        for i in 0..40 {
            let mileage = if i == 7 { "17.3 km/kg".to_string() } else { format!("{}.{} kmpl", 15 + i % 9, i % 10) };
            let power = if i == 3 { "0".to_string() } else { format!("{} bhp", 60 + i) };
            let age = if i % 5 == 0 { "1 year".to_string() } else { format!("{} years", 2 + i % 9) };
            let size = if i % 2 == 0 { format!("{} GB", 16 << (i % 3)) } else { format!("{} cm", 10 + i) };
            csv.push_str(&format!("{mileage},{}CC,{power},{age},{}A,{}th,{size},{}\n", 1000 + 37 * i, 10_000 + i, 4 + i, i % 2));
        }
        let ds = parse_csv(csv.as_bytes(), "cars.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let units: Vec<(&str, &str)> = p.alerts.iter().filter(|a| a.code == AlertCode::NumbersAsText).map(|a| (a.columns[0].as_str(), a.message.as_str())).collect();
        assert_eq!(units.iter().map(|u| u.0).collect::<Vec<_>>(), ["mileage", "engine", "power", "age"], "{units:?}");
        assert_eq!(units[0].1, "\"mileage\" holds numbers followed by the unit \"kmpl\" (98% of its values, e.g. \"15.0 kmpl\"; 1 written with another unit (e.g. \"17.3 km/kg\") would become missing), so it was read as labels");
        assert!(units[1].1.contains("the unit \"CC\" (100% of its values"), "{}", units[1].1);
        assert!(units[3].1.contains("the unit \"year\""), "{}", units[3].1);
        let a = p.alerts.iter().find(|a| a.columns == ["mileage"] && a.code == AlertCode::NumbersAsText).unwrap();
        assert_eq!(a.advice, "read the numbers without the unit (\"15.0 kmpl\" is 15.0; a value with another unit or no number becomes missing), and keep the unit in the column's name");
        let fixes: Vec<StepSpec> = p.alerts.iter().filter(|a| a.code == AlertCode::NumbersAsText).filter_map(|a| a.fix()).collect();
        let rows: Vec<usize> = (0..40).collect();
        let r = crate::prepare::Recipe::fit_with(&ds, &[0, 1, 2, 3], &rows, &fixes).unwrap();
        assert_eq!(r.feature_names(), ["mileage", "engine", "power", "age"]);
        let x = r.apply(&ds, &[0, 3, 5, 7]).unwrap();
        assert_eq!(x.row(0).to_vec(), [15.0, 1000.0, 60.0, 1.0]);
        assert_eq!(x.row(1).to_vec(), [18.3, 1111.0, 0.0, 5.0]);
        assert_eq!(x.row(2).to_vec(), [20.5, 1185.0, 65.0, 1.0]);
        // "17.3 km/kg" is another unit: missing, then the training median.
        let median = match &r.steps[1] {
            crate::prepare::RecipeStep::ImputeMedian { column, value } if column == "mileage" => *value,
            s => panic!("{s:?}"),
        };
        assert_eq!(x.row(3)[0], median);
        assert!(matches!(&r.steps[0], crate::prepare::RecipeStep::ParseNumbers { unit: Some(u), .. } if u == "kmpl"), "{:?}", r.steps[0]);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"unit\":\"kmpl\""), "{json}");
        assert_eq!(serde_json::from_str::<crate::prepare::Recipe>(&json).unwrap(), r);
        assert_eq!(crate::prepare::Recipe::fit_with(&ds, &[0, 1, 2, 3], &rows, &r.spec()).unwrap(), r);
        // No units: a code's letter, ordinals, two units half and half.
        for (label, unit) in [("12 kg", Some("kg")), ("23.4kmpl", Some("kmpl")), ("60 km/h", Some("km/h")), ("21 °C", Some("°C")), ("10012A", None), ("12A", None), ("5 V", Some("V")), ("4th", None), ("11am", None), ("12 PM", None), ("1st", None), ("C85", None), ("SW1A 1AA", None), ("kg", None), ("1e5", None), ("$5 USD", Some("USD"))] {
            assert_eq!(super::number_with_unit(label, false).map(|(_, u)| u), unit, "{label}");
        }
        assert!(super::same_unit("years", "year") && super::same_unit("km", "kms") && !super::same_unit("m", "ms") && !super::same_unit("kg", "g"));
    }

    /// The fix for numbers written as text is a step that reads them as
    /// numbers: trained on, they are the numbers the labels write.
    #[test]
    fn numbers_as_text_fix_reads_the_numbers() {
        let ds = parse_csv(b"price,rate,y\n\"$1,200.50\",45%,a\n\"$3.25\",5%,b\n\"$10\",100%,a\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let fixes: Vec<StepSpec> = p.alerts.iter().filter(|a| a.code == AlertCode::NumbersAsText).filter_map(|a| a.fix()).collect();
        assert_eq!(fixes, [StepSpec::ParseNumbers { column: "price".into() }, StepSpec::ParseNumbers { column: "rate".into() }]);
        let r = crate::prepare::Recipe::fit_with(&ds, &[0, 1], &[0, 1, 2], &fixes).unwrap();
        assert_eq!(r.feature_names(), ["price", "rate"]);
        assert_eq!(r.apply(&ds, &[0, 1, 2]).unwrap().as_slice().unwrap(), &[1200.5, 45.0, 3.25, 5.0, 10.0, 100.0]);
        // Accounting's negatives are read as negatives, not lost as missing.
        let ds = parse_csv(b"acct,y
96.6,a
(56.2),b
($1.50),a
", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let fixes: Vec<StepSpec> = p.alerts.iter().filter(|a| a.code == AlertCode::NumbersAsText).filter_map(|a| a.fix()).collect();
        assert_eq!(fixes, [StepSpec::ParseNumbers { column: "acct".into() }]);
        let r = crate::prepare::Recipe::fit_with(&ds, &[0], &[0, 1, 2], &fixes).unwrap();
        assert_eq!(r.apply(&ds, &[0, 1, 2]).unwrap().as_slice().unwrap(), &[96.6, -56.2, -1.5]);
    }

    /// A target of numbers with a few words among them: its alert offers
    /// to read the numbers (which makes them the values to predict), not a
    /// cast, which applies to features only.
    #[test]
    fn a_mixed_target_of_numbers_is_offered_its_numbers() {
        let mut csv = String::from("x,price\n");
        for i in 0..40 {
            csv.push_str(&format!("{i},{}\n", if i == 7 { "call".to_string() } else { format!("{}.5", i * 3) }));
        }
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: Some("price".into()), ..Default::default() }).unwrap();
        let a = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert_eq!(a.fix(), Some(StepSpec::ParseNumbers { column: "price".into() }));
        assert_eq!(a.advice, "read its numbers to predict them (regression): the other values become missing and their rows are left out of training");
        // As a feature, the cast.
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert_eq!(a.fix(), Some(StepSpec::Cast { column: "price".into(), to: crate::data::ColumnKind::Float }));
    }

    /// One integer past 2^53 among amounts is said, with a cast that reads
    /// it as its nearest float; among IDs of as many digits it is a code
    /// column, and nothing is said.
    #[test]
    fn a_huge_integer_among_amounts_is_said() {
        let mut csv = String::from("id,amount\n");
        for i in 0..100 {
            csv.push_str(&format!("{i},{}\n", if i == 50 { "123456789012345000".to_string() } else { ((i % 7) * 1000).to_string() }));
        }
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(ds.columns[1].kind, crate::data::ColumnKind::Categorical);
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert_eq!(a.advice, "\"123456789012345000\" is a whole number past 2^53, which no float holds exactly, so it was kept as text and the column read as labels; if the column holds amounts, the cast reads it as its nearest float (1.23456789012345e17) and the column as numbers; if it holds codes, keep it as labels");
        let r = crate::prepare::Recipe::fit_with(&ds, &[1], &[0, 1, 2], &[a.fix().expect("a cast")]).unwrap();
        assert_eq!(r.apply(&ds, &[49, 50, 51]).unwrap().column(0).to_vec(), [0.0, 123456789012345000.0, 2000.0]);
        // Tweet IDs, some past 2^53: codes, nothing said.
        let mut csv = String::from("tweet,n\n");
        for i in 0..50u64 {
            csv.push_str(&format!("{},{i}\n", if i % 2 == 0 { 1_000_000_000_000_000 + i * 7919 } else { 1_590_000_000_000_000_000 + i * 7919 }));
        }
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::MixedTypes), "{:?}", p.alerts);
    }

    /// Amounts written with a space or a no-break space between thousands
    /// (a French export) are spellings of one number: the numbers-as-text
    /// fix reads them, and no case-or-spaces alert offers to normalise them
    /// as labels (that step, after the parse, had failed the training).
    #[test]
    fn spellings_of_one_number_are_not_case_variants() {
        let mut csv = String::from("ville;montant;classe\n");
        for i in 0..60 {
            let space = if i % 2 == 0 { " " } else { "\u{a0}" };
            csv.push_str(&format!("V{i};{}{space}{:03},{:02} €;{}\n", 1 + i % 3, 234 + i % 5, i % 100, if i % 2 == 0 { "A" } else { "B" }));
        }
        csv.push_str("V60;1 234,00 €;A\nV61;1\u{a0}234,00 €;B\n");
        let p = profile(&parse_csv(csv.as_bytes(), "fr.csv", &ParseOptions::default()).unwrap());
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::NumbersAsText && a.columns == ["montant"]), "{:?}", p.alerts);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::CaseVariants), "{:?}", p.alerts);
        // Nor markers among numbers that the cast makes missing.
        let csv: String = std::iter::once("c,y\n".to_string()).chain((0..200).map(|i| format!("{},{}\n", if i == 5 { "x".to_string() } else if i == 9 { "X".to_string() } else { ((i * 13) % 50).to_string() }, i % 2))).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::MixedTypes && a.fix().is_some()), "{:?}", p.alerts);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::CaseVariants), "{:?}", p.alerts);
        // Labels that are no numbers keep the alert.
        let p = profile(&parse_csv(b"c,y\nParis,1\nparis ,0\nLyon,1\nNice,0\nLyon,1\n", "t.csv", &ParseOptions::default()).unwrap());
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::CaseVariants), "{:?}", p.alerts);
    }

    /// Written numbers with one value that is no number: the share reads
    /// ">99%", not "100%", and that value is named with its row, as the
    /// fix makes it missing.
    #[test]
    fn numbers_as_text_name_the_value_that_is_no_number() {
        let mut csv = String::from("price,y\n");
        for i in 0..1999 {
            csv.push_str(&format!("\"${},{:03}.{:02}\",{}\n", 1 + i % 9, i % 1000, i % 100, i % 2));
        }
        csv.push_str("call,1\n");
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::NumbersAsText).expect("numbers as text");
        assert_eq!(a.message, "\"price\" holds numbers written with currency signs, percent signs, thousands separators, decimal commas or parentheses for negatives (>99% of its values, e.g. \"$1,000.00\"; 1 value that is no number (\"call\", row 2000) would become missing), so it was read as labels");
        csv.push_str("TBD,0\ncall,0\n");
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::NumbersAsText).expect("numbers as text");
        assert!(a.message.contains("; 3 values that are no numbers (e.g. \"call\", row 2000) would become missing"), "{}", a.message);
    }

    /// Distinct prices written as text are numbers to read, not an
    /// identifier to drop nor labels too many to encode: only the fix that
    /// reads them is offered.
    #[test]
    fn numbers_as_text_are_not_called_identifiers_or_high_cardinality() {
        let n = |f: &dyn Fn(usize) -> String| (0..80).map(f).collect::<String>();
        let csv = format!("price,y\n{}", n(&|i| format!("\"${},{:03}.{:02}\",{}\n", i + 1, i * 7, i % 100, i % 5)));
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let on_price: Vec<AlertCode> = profile(&ds).alerts.iter().filter(|a| a.columns == ["price"]).map(|a| a.code).collect();
        assert_eq!(on_price, [AlertCode::NumbersAsText]);
        // Plain distinct labels still are identifiers.
        assert!(has(&format!("id,y\n{}", n(&|i| format!("u{i},{}\n", i % 5))), None, AlertCode::Unique, "id"));
    }

    #[test]
    fn non_finite_alert_lists_rows_and_fix_is_a_step() {
        let opts = ParseOptions { non_finite: crate::data::NonFinitePolicy::Missing, ..Default::default() };
        let ds = parse_csv(b"x,y\n1,2\ninf,3\n3,4\n", "t.csv", &opts).unwrap();
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::NonFinite).unwrap();
        assert!(a.message.contains("first at rows 2"), "{}", a.message);
        assert!(matches!(a.fix(), Some(StepSpec::Impute { .. })));
    }

    #[test]
    fn disguised_numbers_are_read_and_plain_text_is_not() {
        let d = |t: &str| super::disguised_number(t, false);
        assert_eq!(d("$1,200.50"), Some((1200.5, true)));
        assert_eq!(d("-$3"), Some((-3.0, true)));
        // The typeset minus sign (U+2212) too: a parse_numbers step made
        // every such value missing.
        assert_eq!(d("\u{2212}$3"), Some((-3.0, true)));
        assert_eq!(d("\u{2212}1,250"), Some((-1250.0, true)));
        assert_eq!(d("45%"), Some((45.0, true)));
        assert_eq!(d("12 €"), Some((12.0, true)));
        assert_eq!(d("1,234,567"), Some((1_234_567.0, true)));
        assert_eq!(d("12"), Some((12.0, false)));
        // Thousands marks of other locales, and decimal commas (a
        // comma-delimited file quotes them: "1,5").
        assert_eq!(d("1\u{a0}000"), Some((1000.0, true)));
        assert_eq!(d("1 234 567,5"), Some((1_234_567.5, true)));
        assert_eq!(d("1'000"), Some((1000.0, true)));
        assert_eq!(d("1,5"), Some((1.5, true)));
        assert_eq!(d("12,3456"), Some((12.3456, true)));
        assert_eq!(d("-1.234,56 €"), Some((-1234.56, true)));
        // Accounting's negatives in parentheses, a plus sign, a sign after
        // the currency sign.
        assert_eq!(d("(123)"), Some((-123.0, true)));
        assert_eq!(d("($1,234.50)"), Some((-1234.5, true)));
        assert_eq!(d("(1.5)"), Some((-1.5, true)));
        assert_eq!(d("+4%"), Some((4.0, true)));
        assert_eq!(d("$-5.00"), Some((-5.0, true)));
        assert_eq!(d("-$5.00"), Some((-5.0, true)));
        // A currency's ISO code before or after the amount.
        assert_eq!(d("USD 1,084.11"), Some((1084.11, true)));
        assert_eq!(d("USD-5"), Some((-5.0, true)));
        assert_eq!(d("12.50 EUR"), Some((12.5, true)));
        assert_eq!(super::disguised_number("1.084,11 EUR", true), Some((1084.11, true)));
        for text in ["ABC 12", "USD", "US 12", "usd 12", "12 USDX"] {
            assert_eq!(d(text), None, "{text:?}");
        }
        // India's lakh and crore grouping, with commas only.
        assert_eq!(d("1,23,456"), Some((123_456.0, true)));
        assert_eq!(d("12,34,567.50"), Some((1_234_567.5, true)));
        assert_eq!(d("1,00,00,000"), Some((10_000_000.0, true)));
        assert_eq!(d("-2,50,000"), Some((-250_000.0, true)));
        for text in ["1,23,45", "123,45,678", "1.23.456", "1,2,345", "1,23,4567", "1 23 456"] {
            assert_eq!(d(text), None, "{text:?}");
        }
        for text in ["(-5)", "--5", "-+5", "$-$5", "(12", "12)", "()", "(a)"] {
            assert_eq!(d(text), None, "{text:?}");
        }
        for text in ["12 apples", "1,2,3", "1.2,3", "12 34", "$", "%", "A/5 2133", "1.2.3", "", "1,,000", ",100", "1,000.5.5", "1 000'000"] {
            assert_eq!(d(text), None, "{text:?}");
        }
        // Where the comma is the decimal mark: a lone dot before three
        // digits groups thousands, a lone comma is the decimal mark; two
        // dots always group.
        let dc = |t: &str| super::disguised_number(t, true);
        assert_eq!(dc("865.000 €"), Some((865_000.0, true)));
        assert_eq!(dc("94.000,50 €"), Some((94_000.5, true)));
        assert_eq!(dc("1,500"), Some((1.5, true)));
        assert_eq!(dc("1.5"), Some((1.5, false)));
        assert_eq!(d("1.234.567"), Some((1_234_567.0, true)));
        assert_eq!(super::decimal_comma_of(["865.000 €", "94.000,50 €"].into_iter()), Some(true));
        assert_eq!(super::decimal_comma_of(["$1,200.50", "$865"].into_iter()), Some(false));
        assert_eq!(super::decimal_comma_of(["865.000 €", "1,500 €"].into_iter()), None);
        // A column of codes that merely start with a digit is not flagged.
        let n = |f: &dyn Fn(usize) -> String| (0..40).map(f).collect::<String>();
        let codes_csv = format!("code,y\n{}", n(&|i| format!("{i}A,{}\n", i % 5)));
        assert!(!has(&codes_csv, None, AlertCode::NumbersAsText, ""));
    }

    /// The mixed-types alert counts only the kinds present, each in the
    /// singular or plural.
    #[test]
    fn mixed_types_message_counts_what_is_there() {
        assert_eq!(super::mix_text(1, 0, 2), "1 number and 2 other values");
        assert_eq!(super::mix_text(3, 1, 1), "3 numbers, 1 date and 1 other value");
        let ds = parse_csv(b"n,x\n1,1\nn/k,2\n3,3\nn/k,4\n5,5\nabout 3,6\n7,7\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        // Each odd value is shown once, on the first row it is on.
        assert_eq!(m.message, "\"n\" mixes 4 numbers and 3 other values, so it was read as labels; e.g. \"n/k\" (row 2), \"about 3\" (row 6)");
    }

    /// Target classes written with and without a trailing full stop (the
    /// adult census's test file) are named: each spelling is a class.
    #[test]
    fn target_classes_differing_by_a_full_stop_are_named() {
        let csv: String = std::iter::once("age,income\n".to_string()).chain((0..40).map(|i| format!("{},{}\n", 20 + i, ["<=50K", ">50K", "<=50K.", ">50K."][i % 4]))).collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: Some("income".into()), ..Default::default() }).unwrap();
        let a = p.alerts.iter().find(|a| a.code == AlertCode::CaseVariants && a.columns == ["income"]).expect("an alert on the target's spellings");
        assert!(a.message.contains("\"<=50K\" / \"<=50K.\"") && a.message.contains("\">50K\" / \">50K.\""), "{}", a.message);
        assert_eq!(a.suggestion, None);
        // Classes that differ otherwise are not named.
        let clean = csv.replace("<=50K.", "low").replace(">50K.", "high");
        let p = profile_with(&parse_csv(clean.as_bytes(), "t.csv", &ParseOptions::default()).unwrap(), &ProfileOptions { target: Some("income".into()), ..Default::default() }).unwrap();
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::CaseVariants), "{:?}", p.alerts);
    }

    /// A spreadsheet's totals row, exported with the data, is named; a last
    /// row that is no sum, or one under too few rows, is not.
    #[test]
    fn a_totals_row_is_named() {
        let csv = "region,units,revenue,day\nNorth,10,1234.5,2024-01-01\nSouth,7,980,2024-01-02\nEast,12,2000.75,2024-01-03\nWest,3,15.25,2024-01-04\nTotal,32,4230.5,\n";
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::TotalsRow).expect("a totals-row alert");
        assert_eq!(a.message, "the last row (row 5, labelled \"Total\") looks like a totals row: in 2 columns (\"units\", \"revenue\") its value is the sum of the 4 rows above (\"units\": 32)");
        assert_eq!(a.columns, ["units", "revenue"]);
        // Numbers written as text, and a labelled total of rounded figures
        // (off by the rounding) are named too; unlabelled, it must add up.
        for csv in [
            "item,cost\nA,\"$1,200.50\"\nB,\"$300.25\"\nC,\"$99.25\"\nTotal,\"$1,600.00\"\n",
            "Gebiet;Anteil\nA;33,3\nB;33,3\nC;33,3\nInsgesamt;100\n",
        ] {
            assert!(has(csv, None, AlertCode::TotalsRow, ""), "{csv}");
        }
        assert!(!has("g;a;b\nA;33,3;1\nB;33,3;2\nC;33,3;3\nD;100;7\n", None, AlertCode::TotalsRow, ""));
        for clean in [
            "region,units\nNorth,10\nSouth,7\nEast,12\nWest,3\nTotal,31\n",
            "region,units\nNorth,10\nSouth,7\nTotal,17\n",
            "region,units\nNorth,0\nSouth,0\nEast,0\nWest,0\nNone,0\n",
            "a,b\n1,5\n2,6\n3,7\n6,9\n",
        ] {
            assert!(!has(clean, None, AlertCode::TotalsRow, ""), "{clean}");
        }
    }

    /// The columns a totals row sums are judged without it for skew and
    /// outliers: its sum alone made each skewed with one outlier, and each
    /// offered a scaling step. A real tail among the rows keeps its alert,
    /// said to leave the totals row out.
    #[test]
    fn a_totals_row_alone_makes_no_skew_or_outlier_alert() {
        let mut csv = String::from("district,population,sales\n");
        let (mut pop, mut sales) = (0i64, 0i64);
        for i in 0..30i64 {
            let (p, s) = (1200 + (i * 37) % 900, if i == 7 { 90_000 } else { 20 + (i * 13) % 50 });
            pop += p;
            sales += s;
            csv.push_str(&format!("D{i},{p},{s}\n"));
        }
        csv.push_str(&format!("Total,{pop},{sales}\n"));
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::TotalsRow), "{:?}", p.alerts);
        let about = |code: AlertCode, column: &str| p.alerts.iter().find(|a| a.code == code && a.columns == [column]);
        assert!(about(AlertCode::Skewed, "population").is_none() && about(AlertCode::Outliers, "population").is_none(), "{:?}", p.alerts);
        let skew = about(AlertCode::Skewed, "sales").expect("the rows' own tail");
        assert!(skew.message.ends_with(", leaving out the totals row)"), "{}", skew.message);
        let o = about(AlertCode::Outliers, "sales").expect("the rows' own outlier");
        assert!(o.message.starts_with("\"sales\" has 1 value outside the IQR fences"), "{}", o.message);
    }

    /// The totals row is left out of the associations: its sums made two
    /// unrelated columns "explain" the target almost exactly (a critical
    /// leakage alert above the totals row's own), and a label column
    /// whose one "Total" held the sum explain it by correlation ratio.
    #[test]
    fn a_totals_row_makes_no_leakage_or_correlation() {
        let regions = ["east", "west", "north", "south"];
        let mut csv = String::from("region,revenue,units\n");
        let (mut revenue, mut units) = (0.0f64, 0u64);
        for i in 0..400u64 {
            let u = 1 + (i * 37) % 90;
            let r = ((i * 7919) % 2500) as f64 + 0.25;
            csv.push_str(&format!("{},{r},{u}\n", regions[(i * 13 % 4) as usize]));
            revenue += r;
            units += u;
        }
        csv.push_str(&format!("Total,{revenue},{units}\n"));
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile_with(&ds, &ProfileOptions { target: Some("units".into()), ..Default::default() }).unwrap();
        let codes: Vec<AlertCode> = p.alerts.iter().map(|a| a.code).collect();
        assert!(codes.contains(&AlertCode::TotalsRow), "{:?}", p.alerts);
        assert!(!codes.contains(&AlertCode::TargetLeakage) && !codes.contains(&AlertCode::HighCorrelation), "{:?}", p.alerts);
        assert!(p.associations.target.iter().all(|a| a.value.abs() < 0.5), "{:?}", p.associations.target);
        // Without the totals row's sums, the same data's leakage alert
        // names its measure in words.
        let leaky: String = std::iter::once("g,y\n".to_string()).chain((0..60).map(|i| format!("{},{}.{}\n", ["a", "b", "c"][i % 3], (i % 3) * 100, i % 7))).collect();
        let p = profile_with(&parse_csv(leaky.as_bytes(), "t.csv", &ParseOptions::default()).unwrap(), &ProfileOptions { target: Some("y".into()), ..Default::default() }).unwrap();
        let a = p.alerts.iter().find(|a| a.code == AlertCode::TargetLeakage).expect("a leakage alert");
        assert_eq!(a.message, "possible target leakage: \"g\" alone explains \"y\" almost exactly (correlation ratio η 1.0000)", "{:?}", p.associations.target);
    }

    /// Columns missing a few values get one note naming them, most missing
    /// first; one past the threshold gets its own alert instead.
    #[test]
    fn a_few_missing_values_are_noted_once() {
        let csv: String = std::iter::once("a,b,c,d\n".to_string())
            .chain((0..40).map(|i| format!("{},{},{},{}\n", if i < 2 { "" } else { "1.5" }, if i % 8 == 0 { "" } else { "x" }, i, if i % 2 == 0 { "" } else { "7" })))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let notes: Vec<&super::Alert> = p.alerts.iter().filter(|a| a.code == AlertCode::SomeMissing).collect();
        assert_eq!(notes.len(), 1, "{:?}", p.alerts);
        assert_eq!(notes[0].message, "2 columns are missing some values, under 20% each: \"b\" 5 (12.5%), \"a\" 2 (5.0%)");
        assert_eq!(notes[0].columns, ["b", "a"]);
        assert_eq!(notes[0].severity, super::Severity::Info);
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::HighMissing && a.columns == ["d"]));
    }

    /// The skew alert's advice says what its fix does and does not do.
    #[test]
    fn skew_advice_says_scaling_keeps_the_shape() {
        let csv: String = std::iter::once("x,y\n".to_string()).chain((0..40).map(|i| format!("{},{}\n", if i < 37 { 1 + i % 3 } else { 1000 * (i - 36) }, i % 5))).collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let a = p.alerts.iter().find(|a| a.code == AlertCode::Skewed).expect("a skew alert");
        assert!(a.advice.contains("the shape stays skewed: a log transform at the source evens it"), "{}", a.advice);
    }

    /// A column of codes, some numbers and many not (lifeboats "13" and
    /// "C"), is not offered a cast that would make the letters missing; a
    /// column of such codes all distinct (tickets) is named an identifier.
    #[test]
    fn codes_mixing_numbers_and_letters_stay_labels() {
        let csv: String = std::iter::once("boat,ticket,v\n".to_string())
            .chain((0..100).map(|i| format!("{},{},{}\n", if i % 5 == 0 { ["C", "D"][i % 2].to_string() } else { (i % 16 + 1).to_string() }, if i % 3 == 0 { format!("A/5 {}", 21000 + i) } else { (113800 + i).to_string() }, i % 7)))
            .collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let boat = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes && a.columns == ["boat"]).expect("a mixed-types alert on boat");
        assert_eq!(boat.fix(), None);
        assert!(boat.advice.starts_with("20% of its values are not numbers: it looks like a column of codes"), "{}", boat.advice);
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::Unique && a.columns == ["ticket"]), "{:?}", p.alerts.iter().map(|a| (a.code, &a.columns)).collect::<Vec<_>>());
        // One note among numbers still gets the cast.
        let csv: String = std::iter::once("x,v\n".to_string()).chain((0..100).map(|i| format!("{},{}\n", if i == 7 { "n/k".to_string() } else { i.to_string() }, i % 7))).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let x = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert_eq!(x.fix(), Some(StepSpec::Cast { column: "x".into(), to: crate::data::ColumnKind::Float }));
    }

    /// Dates written 31.12.2023 with one word or one impossible day among
    /// them: named as dates with odd values, at their rows, and not as an
    /// identifier (it was the only alert, with a drop).
    #[test]
    fn local_dates_with_an_odd_value_are_named() {
        for (odd, shown) in [("unbekannt", "\"unbekannt\" (row 31)"), ("31.09.2023", "\"31.09.2023\" (row 31)")] {
            let csv: String = std::iter::once("Datum,v\n".to_string())
                .chain((0..60).map(|i| format!("{},{}\n", if i == 30 { odd.to_string() } else { format!("{:02}.{:02}.2023", 1 + i % 28, 1 + i / 28) }, i % 3)))
                .collect();
            let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
            let on: Vec<&super::Alert> = p.alerts.iter().filter(|a| a.columns == ["Datum"]).collect();
            assert_eq!(on.len(), 1, "{on:?}");
            assert_eq!(on[0].code, AlertCode::MixedTypes);
            assert_eq!(on[0].message, format!("\"Datum\" holds dates written as \"01.01.2023\" in 59 of 60 values, and 1 other that is not, so it was read as labels; e.g. {shown}"));
        }
    }

    /// A statistics office's markers for unknown (".") and withheld ("x")
    /// values among numbers: the cast that makes them missing is offered
    /// whatever their share, and the column is not dropped for its labels.
    #[test]
    fn missing_markers_among_numbers_get_the_cast() {
        let csv: String = std::iter::once("Veränderung,v\n".to_string())
            .chain((0..200).map(|i| format!("{},{}\n", match i % 12 { 0 => ".".to_string(), 5 => "x".to_string(), _ => format!("{:.1}", (i as f64 * 0.37) % 9.0 - 4.0) }, i % 3)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let on: Vec<AlertCode> = p.alerts.iter().filter(|a| a.columns == ["Veränderung"]).map(|a| a.code).collect();
        assert_eq!(on, [AlertCode::MixedTypes]);
        let m = &p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).unwrap();
        assert_eq!(m.fix(), Some(StepSpec::Cast { column: "Veränderung".into(), to: crate::data::ColumnKind::Float }));
        assert!(m.advice.starts_with("its other values (\".\", \"x\") look like markers for missing or withheld values"), "{}", m.advice);
        // The list to give keeps the tokens read as missing already.
        assert!(m.advice.contains("(--missing 'NA,N/A,n/a,#N/A,NULL,null,NaN,nan,None,?,-,#DIV/0!,#VALUE!,#REF!,#NAME?,#NUM!,#NULL!,#ERROR!,.,x', or \"Missing-value tokens\""), "{}", m.advice);
    }

    /// MySQL's zero dates in a date column stand for missing: the advice
    /// says so and the cast to dates (which makes them missing) is offered,
    /// not a rewrite as ISO 8601 dates, which they cannot be.
    #[test]
    fn zero_dates_are_said_to_be_missing() {
        for (csv, kind, want) in [
            ("d,x\n2024-01-01,1\n2024-01-02,2\n0000-00-00,3\n2024-01-04,4\n2024-01-05,5\n2024-01-06,6\n0000-00-00,7\n2024-01-08,8\n", crate::data::ColumnKind::Date, "\"0000-00-00\" is MySQL's zero date, which stands for no date: the cast makes it missing; or list it as missing-value tokens (--missing"),
            (
                "d,x\n2024-01-01 10:00:00,1\n2024-01-02 10:00:00,2\n0000-00-00 00:00:00,3\n2024-01-04 10:00:00,4\n0000-00-00,5\n",
                crate::data::ColumnKind::DateTime,
                "\"0000-00-00 00:00:00\" and \"0000-00-00\" are MySQL's zero date, which stands for no date: the cast makes them missing",
            ),
        ] {
            let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
            let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
            assert!(m.advice.starts_with(want), "{}", m.advice);
            assert!(!m.advice.contains("ISO 8601"), "{}", m.advice);
            assert_eq!(m.fix(), Some(StepSpec::Cast { column: "d".into(), to: kind }));
        }
        // One odd value that is no zero date keeps the rewrite advice.
        let p = profile(&parse_csv(b"d,x\n2024-01-01,1\n2024-01-02,2\n0000-00-00,3\n03/04/2024,4\n2024-01-05,5\n", "t.csv", &ParseOptions::default()).unwrap());
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert!(m.advice.contains("ISO 8601"), "{}", m.advice);
    }

    /// Many labels, nearly one a row: the advice is to drop, not to rank;
    /// a sampled file's outlier count is marked as estimated.
    #[test]
    fn nearly_unique_labels_and_sampled_outliers_are_said_so() {
        let csv: String = std::iter::once("ticket,v\n".to_string()).chain((0..300).map(|i| format!("T{},{}\n", i % 290, i % 7))).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::HighCardinality).expect("a cardinality alert");
        assert_eq!(a.advice, "drop the column: nearly every row has its own label");
        let csv: String = std::iter::once("x,y\n".to_string()).chain((0..20_000).map(|i| format!("{},{}\n", if i % 20 == 0 { 500 + i % 7 } else { (i * 37) % 101 }, i % 3))).collect();
        let opts = ParseOptions { max_memory_bytes: 60_000, ..ParseOptions::default() };
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &opts).unwrap());
        assert!(p.sample.is_some());
        let o = p.alerts.iter().find(|a| a.code == AlertCode::Outliers).expect("an outlier alert");
        assert!(o.message.starts_with("\"x\" has ≈"), "{}", o.message);
    }

    /// Counts all different (the population of 60 districts) are not an
    /// identifier; numbers that run 1..n, rise row by row, or are named as
    /// a key are.
    #[test]
    fn distinct_counts_are_not_identifiers_but_keys_are() {
        let pop = |i: usize| 10_000 + (i * 7919 * 31) % 900_001;
        let csv: String = std::iter::once("Population,district_id,seq,rising,v\n".to_string())
            .chain((0..60).map(|i| format!("{},{},{},{},{}\n", pop(i), pop(i), (i * 37) % 60 + 1, 1000 * i + 7, i % 3)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let ids: Vec<&str> = p.alerts.iter().filter(|a| a.code == AlertCode::Unique).map(|a| a.columns[0].as_str()).collect();
        assert_eq!(ids, ["district_id", "seq", "rising"]);
        // A measure over time (employment month by month, six digits, all
        // different, rising by varying steps or wandering) is no key.
        let csv: String = std::iter::once("month,nonfarm,gnp,v\n".to_string())
            .chain((0..120).map(|i| format!("m{i},{},{},{}\n", 130_000 + 90 * i + (i * 37) % 50, 234_289 + 3000 * i - if i % 10 == 9 { 4000 } else { 0 }, i % 3)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let ids: Vec<&str> = p.alerts.iter().filter(|a| a.code == AlertCode::Unique).map(|a| a.columns[0].as_str()).collect();
        assert_eq!(ids, ["month"], "{:?}", p.alerts);
        // On 16 rows every measure is all different: only the count from 1
        // is a key (years and employment figures are not).
        let csv: String = std::iter::once("Obs,TOTEMP,UNEMP,YEAR\n".to_string())
            .chain((0..16).map(|i| format!("{},{},{},{}\n", i + 1, 60_323 + (i * 7919) % 10_000, 2356 + (i * 4111) % 2400, 1947 + i)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let ids: Vec<&str> = p.alerts.iter().filter(|a| a.code == AlertCode::Unique).map(|a| a.columns[0].as_str()).collect();
        assert_eq!(ids, ["Obs"], "{:?}", p.alerts);
        // Random keys of one width, or named as keys however written, are.
        let key = |i: usize| 100_000 + (i * 7919 * 31) % 900_000;
        let csv: String = std::iter::once("member,customerid,OrderNo,Kundennummer,v\n".to_string())
            .chain((0..60).map(|i| format!("{},{},{},{},{}\n", key(i), pop(i), pop(i), pop(i), i % 3)))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let ids: Vec<&str> = p.alerts.iter().filter(|a| a.code == AlertCode::Unique).map(|a| a.columns[0].as_str()).collect();
        assert_eq!(ids, ["member", "customerid", "OrderNo", "Kundennummer"]);
    }

    /// A rare 0/1 flag (2% fraud) is neither skewed nor a column to drop:
    /// its near-constant alert offers no drop; a 4-valued column has no
    /// outliers.
    #[test]
    fn a_rare_flag_is_not_skewed_or_dropped_and_few_values_have_no_outliers() {
        let csv: String = std::iter::once("fraud,stars,v\n".to_string())
            .chain((0..500).map(|i| format!("{},{},{}\n", u8::from(i % 50 == 0), if i % 9 == 0 { 1 + i % 2 } else { 3 + i % 2 }, (i * 37) % 101)))
            .collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let on = |col: &str| p.alerts.iter().filter(|a| a.columns == [col]).map(|a| a.code).collect::<Vec<_>>();
        assert!(p.columns[0].skewness.is_some_and(|s| s > 2.0));
        assert_eq!(on("fraud"), [AlertCode::NearConstant]);
        let near = p.alerts.iter().find(|a| a.code == AlertCode::NearConstant).unwrap();
        assert_eq!(near.fix(), None);
        assert!(near.advice.starts_with("a rare flag: keep it if its rarer value matters (2.0% of rows)"), "{}", near.advice);
        assert_eq!(on("stars"), []);
        // A value far past the others among few still is one.
        let csv: String = std::iter::once("rated,v\n".to_string()).chain((0..400).map(|i| format!("{},{}\n", if i % 20 == 0 { 500 } else { 1 + i % 4 }, (i * 37) % 101))).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert!(p.alerts.iter().any(|a| a.code == AlertCode::Outliers && a.columns == ["rated"]), "{:?}", p.alerts);
    }

    /// Version numbers among labels keep their form ("1.10" apart from
    /// "1.1", "2.0" from "2"); a number in another form ("+5") is its value,
    /// and the mixed-types advice says so and how to keep each as written,
    /// which reading the column as categorical does.
    #[test]
    fn numbers_among_labels_keep_their_form() {
        let csv = "version,n\n1.1,1\n1.10,2\n1.10,3\n2.0,4\n2,5\nv3,6\n1.1,7\n2.00,8\n";
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let crate::data::ColumnValues::Categorical { levels, .. } = &ds.columns[0].values else { panic!("{:?}", ds.columns[0].kind) };
        assert_eq!(levels, &["1.1", "1.10", "2.0", "2", "v3", "2.00"]);
        let p = profile(&ds);
        assert_eq!(p.columns[0].distinct, 6);
        let count = |v: &str| p.columns[0].top.iter().find(|t| t.value == v).map(|t| t.count);
        assert_eq!((count("1.1"), count("1.10")), (Some(2), Some(2)));
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert!(!m.advice.contains("kept by value"), "{}", m.advice);
        // The cast offered says it would merge them.
        assert_eq!(m.advice, "cast it to the majority type; the other values become missing, and labels of one value become one number (\"1.1\" and \"1.10\" both read 1.1): if they are versions or codes, keep the column as labels");
        let csv = "code,n\n5,1\n+5,2\n1e3,3\nx,4\n1000,5\n";
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        assert_eq!(p.columns[0].distinct, 3);
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert!(m.advice.ends_with("; as labels, a number written in another form is kept by value (\"+5\" in row 2 reads \"5\"): to keep every value as written, read the column as categorical (--type, or \"Read as\" in the page's reading options)"), "{}", m.advice);
        // Following it keeps the five labels as written.
        let mut opts = ParseOptions::default();
        opts.column_types.insert("code".into(), crate::data::ColumnKind::Categorical);
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &opts).unwrap());
        assert_eq!(p.columns[0].distinct, 5);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::MixedTypes), "{:?}", p.alerts);
        // A column of labels with no numbers among them is told nothing of it.
        let csv = "d,v\n2021-03-01,1\n2021-03-02,2\nsoon,3\n";
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert!(!m.advice.contains("kept by value"), "{}", m.advice);
    }

    /// In a file with a decimal comma, a mixed column's numbers become
    /// labels with a point ("12,50" as "12.50"): the cast its alert offers
    /// reads every one of them back, and the note among them is missing.
    #[test]
    fn decimal_comma_numbers_among_labels_cast_back() {
        let csv = "id;price\n1;12,50\n2;3,5\n3;n/k\n4;7,25\n5;8,00\n6;1.234,50\n7;-0,5\n";
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        assert!(ds.ingest.decimal_comma);
        let crate::data::ColumnValues::Categorical { levels, .. } = &ds.columns[1].values else { panic!("{:?}", ds.columns[1].kind) };
        assert_eq!(levels, &["12.50", "3.5", "n/k", "7.25", "8.00", "1234.5", "-0.5"]);
        let p = profile(&ds);
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        // Only the grouped number is in another form.
        assert!(m.advice.contains("(\"1.234,50\" in row 6 reads \"1234.5\")"), "{}", m.advice);
        let fix = m.fix().expect("a cast");
        let rows: Vec<usize> = (0..7).collect();
        let r = crate::prepare::Recipe::fit_with(&ds, &[1], &rows, &[fix]).unwrap();
        let x = r.apply(&ds, &rows).unwrap();
        // The median of the six numbers, between 7.25 and 8.
        let median = 7.625;
        assert_eq!(x.column(0).to_vec(), [12.5, 3.5, median, 7.25, 8.0, 1234.5, -0.5]);
    }

    /// A date written another way among ISO dates is named as one, so the
    /// cast's advice does not just drop it as an odd value.
    #[test]
    fn dates_written_another_way_are_said_to_be_dates() {
        let csv: String = std::iter::once("d,v\n".to_string()).chain((1..=29).map(|i| format!("2021-03-{i:02},{i}\n"))).chain(std::iter::once("03/12/2021,30\n".to_string())).collect();
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert_eq!(m.advice, "some odd values look like dates written another way (e.g. \"03/12/2021\"): rewrite them as ISO 8601 dates (year-month-day) at the source, or the cast makes them missing");
        for date in ["03/12/2021", "12.03.2021", "2021/3/12", "4 Mar 2021", "March 4, 2021", "1-1-1999", "05/Jan/2023:10:55:00 +0000", "01/05/2023 10:55", "Mar 4, 2021 9:30 PM"] {
            assert!(super::written_as_date(date), "{date}");
        }
        for other in ["n/a", "1/2", "12.5.3", "maybe", "Mar", "3 apples 4 pears 5", "12/13/123", "may be 3 or 4 or 5", "10:55", "10:55:00 +0000", "at 10:55"] {
            assert!(!super::written_as_date(other), "{other}");
        }
        // A web server's log times among ISO times: named as dates written
        // another way, and the column is not called free text to drop.
        let csv: String = std::iter::once("ts,v\n".to_string())
            .chain((0..55).map(|i| format!("2023-01-05T10:{i:02}:00.000Z,{i}\n")))
            .chain((55..60).map(|i| format!("05/Jan/2023:10:{i:02}:00 +0000,{i}\n")))
            .collect();
        let p = profile(&parse_csv(csv.as_bytes(), "log.csv", &ParseOptions::default()).unwrap());
        let m = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert!(m.advice.starts_with("some odd values look like dates written another way (e.g. \"05/Jan/2023:10:55:00 +0000\")"), "{}", m.advice);
        assert!(!p.alerts.iter().any(|a| a.code == AlertCode::Unique && a.columns == ["ts"]), "{:?}", p.alerts);
    }

    /// Numbers written with separators have their own alert, which says why
    /// the column is labels; no mixed-types alert beside it calls the plain
    /// numbers in it odd.
    #[test]
    fn numbers_as_text_get_no_mixed_types_alert_beside_them() {
        let csv = "id,amount,ratio\n1,\"1,234\",0.5\n2,\"12,345\",0.25\n3,123,0.75\n4,\"1,000,000\",1\n5,999,0\n";
        let found = codes(csv, None);
        assert!(found.iter().any(|(c, cols)| *c == AlertCode::NumbersAsText && cols == &["amount"]), "{found:?}");
        assert!(!found.iter().any(|(c, _)| *c == AlertCode::MixedTypes), "{found:?}");
    }

    /// A yes/no flag written as words and as 1 and 0 is said to be one,
    /// not left with "fix the odd values".
    #[test]
    fn a_flag_written_two_ways_is_named() {
        let csv: String = std::iter::once("b,y\n".to_string()).chain((0..60).map(|i| format!("{},{}\n", ["yes", "no", "1", "0"][i % 4], i % 3))).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a mixed-types alert");
        assert!(a.advice.starts_with("its values are one yes/no flag written two ways"), "{}", a.advice);
    }

    /// Postcodes with leading zeros are kept as text on purpose; beside
    /// postcodes without one they are a code column, not a mix to cast to
    /// numbers (which would lose the zeros).
    #[test]
    fn codes_with_leading_zeros_beside_numbers_are_not_mixed_types() {
        let csv: String = std::iter::once("zip,v\n".to_string()).chain((0..40).map(|i| format!("{}{},{i}\n", ["0", "1", "9"][i % 3], 1000 + i * 37))).collect();
        let found = codes(&csv, None);
        assert!(!found.iter().any(|(c, _)| *c == AlertCode::MixedTypes), "{found:?}");
        // A real odd value among them still makes a mix.
        let odd = csv.replacen("01000,0", "n/k,0", 1);
        assert!(codes(&odd, None).iter().any(|(c, cols)| *c == AlertCode::MixedTypes && cols == &["zip"]));
        // One code among many numbers decided the column's kind: a note
        // names it and offers the cast to integer.
        let csv: String = std::iter::once("store,v\n".to_string()).chain((0..300).map(|i| if i == 250 { "042,1\n".to_string() } else { format!("{},{}\n", 100 + i % 249, i % 2) })).collect();
        let p = profile(&parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap());
        let a = p.alerts.iter().find(|a| a.code == AlertCode::MixedTypes).expect("a note on the one code");
        assert_eq!(a.message, "\"store\" holds 299 numbers and 1 value written with a leading zero (\"042\", row 251), as codes are, so the column was read as labels");
        assert_eq!(a.severity, super::Severity::Info);
        assert_eq!(a.fix(), Some(StepSpec::Cast { column: "store".into(), to: crate::data::ColumnKind::Integer }));
    }

    /// A label on every row or two explains any number: no leakage alert
    /// for it against a numeric target.
    #[test]
    fn labels_on_one_row_each_do_not_leak_a_numeric_target() {
        let csv: String = std::iter::once("name,grp,price\n".to_string()).chain((0..25).map(|i| format!("item{i},g{},{}.{}\n", i / 2, (i * 37) % 91 + 1, (i * 53) % 100))).collect();
        let found = codes(&csv, Some("price"));
        assert!(!found.iter().any(|(c, _)| *c == AlertCode::TargetLeakage), "{found:?}");
        // A label column that does determine the target is still caught.
        let leak: String = std::iter::once("band,x,price\n".to_string()).chain((0..40).map(|i| format!("b{},{},{}\n", i % 4, (i * 7) % 13, (i % 4) * 100))).collect();
        assert!(codes(&leak, Some("price")).iter().any(|(c, cols)| *c == AlertCode::TargetLeakage && cols[0] == "band"));
    }

    /// One value and blanks is a flag: both alerts say so and suggest the
    /// same step, an impute whose missing-indicator keeps the flag.
    #[test]
    fn one_value_and_blanks_is_a_flag_with_its_missing_counted() {
        let ds = parse_csv(b"a,b,c\n1,x,\n2,,\n3,,\n4,y,\n5,,5\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let on_c: Vec<_> = p.alerts.iter().filter(|a| a.columns == ["c"]).collect();
        let constant = on_c.iter().find(|a| a.code == AlertCode::Constant).expect("constant alert");
        assert_eq!(constant.message, "\"c\" has one value only (\"5\") and is empty in 4 of 5 rows: it can say only whether a value is there");
        let missing = on_c.iter().find(|a| a.code == AlertCode::HighMissing).expect("missing alert");
        let keep = Some(StepSpec::Impute { column: "c".into(), strategy: crate::prepare::ImputeStrategy::Median, indicator: true });
        assert_eq!(constant.suggestion, keep);
        assert_eq!(missing.suggestion, keep);
        // A column with one value in every row is still one to drop.
        let ds = parse_csv(b"a,c\n1,5\n2,5\n3,5\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = profile(&ds);
        let constant = p.alerts.iter().find(|a| a.code == AlertCode::Constant).expect("constant alert");
        assert_eq!(constant.message, "\"c\" has one value only (5)");
        assert_eq!(constant.suggestion, Some(StepSpec::DropColumn { column: "c".into() }));
    }
}
