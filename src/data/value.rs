//! Data management: reading one field's text as a value — numbers (dot or
//! decimal comma), ISO 8601 dates and date-times, boolean words — and
//! writing values back as canonical text. No wasm here.

/// What one present field reads as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Class {
    /// A finite number.
    Number(f64),
    /// A number that is not finite (`inf`, `1e400`, `nan` when not a missing token).
    NonFinite,
    /// An ISO 8601 date or date-time: seconds since 1970-01-01 UTC, and
    /// whether a time of day was written.
    Time(f64, bool),
    /// Anything else.
    Other,
}

/// The digits of `s` when it is an integer in plain syntax (an optional
/// sign and digits).
fn integer_digits(s: &str) -> Option<&[u8]> {
    let b = s.strip_prefix(MINUS_SIGN).unwrap_or(s).as_bytes();
    let digits = match b.first() {
        Some(b'+') | Some(b'-') if b.len() == s.len() => &b[1..],
        _ => b,
    };
    (!digits.is_empty() && digits.iter().all(u8::is_ascii_digit)).then_some(digits)
}

/// Whether `s` is an integer in plain syntax: an optional sign and digits.
pub(crate) fn is_integer_syntax(s: &str) -> bool {
    integer_digits(s).is_some()
}

/// Whether `s` is an integer: plain (an optional sign and digits) or, with
/// a decimal comma, in thousands groups (`12.000`).
pub(crate) fn is_integer_text(s: &str, decimal_comma: bool) -> bool {
    is_integer_syntax(s) || (decimal_comma && !s.contains(',') && ungroup(s).is_some())
}

/// `s` without its thousands marks, when it is a number written with a
/// decimal comma and grouped digits: `1.234.567,89`, `1 234,5` (a space,
/// no-break space or narrow no-break space, as in French). Strict, so that
/// nothing else is read as grouped: one kind of mark, a first group of
/// one to three digits not starting with 0, then groups of exactly three.
fn ungroup(s: &str) -> Option<String> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' | b'+' => s.split_at(1),
        _ => ("", s),
    };
    let (int, frac) = match rest.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mark = int.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(mark, '.' | ' ' | '\u{a0}' | '\u{202f}') {
        return None;
    }
    let mut groups = int.split(mark);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || first.starts_with('0') || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    out.push_str(sign);
    out.push_str(first);
    for g in groups {
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push(',');
        out.push_str(f);
    }
    Some(out)
}

/// Reads `s` (already trimmed) as a number. With `decimal_comma`, a comma
/// is the decimal mark and a dot, a space or a no-break space may group
/// thousands (see [`ungroup`]); a dot anywhere else makes the field text.
pub(crate) fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let first = *s.as_bytes().first()?;
    // The minus sign U+2212 (typeset tables, Wikipedia, Unicode-aware
    // exports): one, before an unsigned number.
    if first == 0xE2 {
        let rest = s.strip_prefix(MINUS_SIGN)?;
        if !rest.as_bytes().first().is_some_and(|b| b.is_ascii_digit() || *b == b'.' || *b == b',') {
            return None;
        }
        return parse_number(rest, decimal_comma).map(|x| -x);
    }
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.' | b',' | b'i' | b'I' | b'n' | b'N')) {
        return None;
    }
    if decimal_comma && s.len() > 4 && s.bytes().any(|b| matches!(b, b'.' | b' ' | 0xC2 | 0xE2)) {
        if let Some(plain) = ungroup(s) {
            return parse_number(&plain, true);
        }
    }
    if decimal_comma && s.contains(',') {
        if s.contains('.') || s.matches(',').count() > 1 {
            return None;
        }
        return s.replacen(',', ".", 1).parse().ok();
    }
    if decimal_comma && s.contains('.') {
        return None;
    }
    if let Some(x) = short_decimal(s.as_bytes()) {
        return Some(x);
    }
    s.parse().ok()
}

/// The minus sign U+2212, read as `-` before a number.
const MINUS_SIGN: char = '\u{2212}';

/// Powers of ten exact in f64.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// A plain decimal (optional sign, digits, optional point and digits, no
/// exponent) of at most 15 digits read directly: the digits as an integer
/// m < 10¹⁵ and the k digits after the point give m / 10ᵏ, both exact in
/// f64, so the one correctly rounded division is the correctly rounded
/// value `str::parse` gives (Clinger's fast path), `-0` included, at a
/// fraction of the cost; `None` for anything else.
fn short_decimal(b: &[u8]) -> Option<f64> {
    let (negative, rest) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if rest.is_empty() || rest.len() > 16 {
        return None;
    }
    let mut m = 0u64;
    let mut digits = 0usize;
    let mut point = None;
    for (i, &d) in rest.iter().enumerate() {
        if d.is_ascii_digit() {
            m = m * 10 + u64::from(d - b'0');
            digits += 1;
        } else if d == b'.' && point.is_none() {
            point = Some(i);
        } else {
            return None;
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let k = point.map_or(0, |p| rest.len() - p - 1);
    let x = m as f64 / POW10[k];
    Some(if negative { -x } else { x })
}

/// Whether an integer's digits (read as `x`) are a code to keep as text:
/// - an integer past 2^53, of any number of digits (an account number of
///   24, an ICCID of 22): not every one has an exact f64, so distinct ones
///   would collapse into one number, and their digits would be lost;
/// - three or more digits with a leading zero (a postcode, an account
///   number: `01234`), which as a number would lose it; two (`08`) are more
///   often a zero-padded month, day or hour, and stay a number.
fn is_code(digits: &[u8], x: f64) -> bool {
    x.abs() >= EXACT_INTEGER_LIMIT || (digits.len() >= 3 && digits[0] == b'0')
}

/// What a label is when it is made of digits: `Some(true)` for a code kept
/// as text (see [`is_code`]), `Some(false)` for a finite number, `None`
/// for anything else.
pub(crate) fn number_or_code(s: &str) -> Option<bool> {
    match classify(s, false) {
        Class::Number(_) => Some(false),
        Class::Other => parse_number(s, false).and_then(|x| integer_digits(s).map(|d| is_code(d, x))).filter(|&code| code),
        _ => None,
    }
}

/// 2^53: from here on, not every integer is an f64.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Whether integer text `t` (read as `x`; with `decimal_comma`, grouped
/// thousands too, `1.234.567`) is exactly `x`: always below 2^53; past it,
/// only when the digits are the f64's own.
pub(crate) fn integer_is_exact(t: &str, x: f64, decimal_comma: bool) -> bool {
    if x.abs() < EXACT_INTEGER_LIMIT {
        return true;
    }
    let grouped;
    let t = if is_integer_syntax(t) {
        t
    } else if decimal_comma && is_integer_text(t, true) {
        grouped = ungroup(t).unwrap_or_default();
        grouped.as_str()
    } else {
        return true;
    };
    let n = match t.strip_prefix(MINUS_SIGN) {
        Some(digits) => digits.parse::<i128>().map(|n| -n),
        None => t.trim_start_matches('+').parse::<i128>(),
    };
    n.is_ok_and(|n| x.abs() < 1.7e38 && n == x as i128)
}

/// How a number read in a column that turns to labels is written there:
/// 0 for its plain form (see [`number_label`]), else the decimals written
/// plus one, for a number written in fixed point with trailing zeros
/// (`1.10`, `2.0`, `12,50`) or too small for the plain form to keep
/// (`0.00001`): kept as written, so that a version column keeps `1.10`
/// apart from `1.1` and a price `12.50`. Any other form (`+5`, `1e3`,
/// `.5`) reads as its value.
pub(crate) fn spelling(t: &str, x: f64, decimal_comma: bool) -> u8 {
    let b = t.as_bytes();
    if b.last() != Some(&b'0') && !(x != 0.0 && x.abs() < 1e-4) {
        return 0;
    }
    let mark = if decimal_comma { b',' } else { b'.' };
    let Some(p) = b.iter().position(|&c| c == mark) else { return 0 };
    let decimals = b.len() - p - 1;
    if decimals == 0 || decimals > 15 {
        return 0;
    }
    let hint = decimals as u8 + 1;
    if reads_as(&number_label(x, hint), t, decimal_comma) {
        hint
    } else {
        0
    }
}

/// Whether a number's label is `t` but for the decimal mark (a comma in
/// `t` where the file has one: labels write a point, as every number
/// mlcycle shows does, so that a cast reads them back).
fn reads_as(label: &str, t: &str, decimal_comma: bool) -> bool {
    if decimal_comma {
        label.len() == t.len() && label.bytes().zip(t.bytes()).all(|(l, c)| l == c || (l == b'.' && c == b','))
    } else {
        label == t
    }
}

/// The label a number written `t` reads as when that is not `t` (`+5` as
/// `5`, `1e3` as `1000`, `08` as `8`), given [`spelling`]'s `hint`: a
/// check of a few bytes first, then the label itself.
pub(crate) fn respelled(t: &str, x: f64, hint: u8, decimal_comma: bool) -> Option<String> {
    if hint != 0 {
        return None;
    }
    let b = t.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    let mark = if decimal_comma { b',' } else { b'.' };
    // Digits and a decimal mark (the usual form, checked in one pass):
    // odd only for a leading zero, a bare mark, trailing zeros or `-0`;
    // anything else (`+`, `e`, grouping) may read otherwise.
    let odd = !digits.iter().all(|&c| c.is_ascii_digit() || c == mark)
        || (x == 0.0 && b.first() == Some(&b'-'))
        || matches!(digits, [b'0', d, ..] if d.is_ascii_digit())
        || digits.first() == Some(&mark)
        || b.last() == Some(&mark)
        || b.last() == Some(&b'0') && b.contains(&mark);
    if !odd {
        return None;
    }
    Some(number_label(x, 0)).filter(|l| !reads_as(l, t, decimal_comma))
}

/// The label a number becomes when its column turns to labels: written
/// with the decimals `hint` gives (see [`spelling`]), else in its plain
/// form ([`format_number`]); with a decimal point, as a cast reads it.
pub(crate) fn number_label(x: f64, hint: u8) -> String {
    if hint == 0 {
        super::format_number(x)
    } else {
        format!("{:.*}", usize::from(hint - 1), x)
    }
}

/// Whether `b`, read as a time, is written as [`format_time`] writes it
/// (`2023-01-01`, `2023-01-01T10:00:00`, `…T10:00:00.500`).
/// By its text alone: ten bytes are a date (midnight), a time at midnight
/// is written as its date, and whole seconds without a fraction.
fn written_as_iso(b: &[u8]) -> bool {
    let date = b.len() >= 10 && b[4] == b'-' && b[7] == b'-';
    match b.len() {
        10 => date,
        19 => date && b[10] == b'T' && &b[11..19] != b"00:00:00",
        23 => date && b[10] == b'T' && b[19] == b'.' && &b[20..23] != b"000",
        _ => false,
    }
}

/// How a time read in a column that turns to labels is written there: 0
/// for its ISO form ([`format_time`]), else a form [`time_label`] writes
/// back exactly: the date, `T` or a space, the time to the minute, second
/// or millisecond, then nothing, `Z` or an offset (`+02:00`, the time
/// shown in it). So `2023-01-01 10:00` and `2023-01-01T12:00:00+02:00`
/// keep their text; other forms (`2020-1-5`, ` UTC`) read as their ISO
/// form.
pub(crate) fn time_form(t: &str, x: f64) -> u32 {
    let b = t.as_bytes();
    if written_as_iso(b) || b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' {
        return 0;
    }
    let (precision, zone_at) = match (b.get(16), b.get(19)) {
        (Some(b':'), Some(b'.')) => (2u32, 23),
        (Some(b':'), _) => (1, 19),
        _ => (0, 16),
    };
    let two = |h: u8, l: u8| i32::from(h.wrapping_sub(b'0')) * 10 + i32::from(l.wrapping_sub(b'0'));
    let (zone, offset) = match b.get(zone_at..) {
        Some([]) => (0u32, 0i32),
        Some([b'Z']) => (1, 0),
        Some([sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]) => {
            let minutes = two(*h1, *h2) * 60 + two(*m1, *m2);
            (2, if *sign == b'-' { -minutes } else { minutes })
        }
        _ => return 0,
    };
    if !(-1439..=1439).contains(&offset) {
        return 0;
    }
    let form = 1 | (u32::from(b[10] == b' ') << 1) | (precision << 2) | (zone << 4) | (((offset + 2048) as u32) << 8);
    if time_label(x, form) == t {
        form
    } else {
        0
    }
}

/// The label a time becomes when its column turns to labels: in the form
/// [`time_form`] gave, else its ISO form.
pub(crate) fn time_label(x: f64, form: u32) -> String {
    if form == 0 {
        return format_time(x);
    }
    let zone = (form >> 4) & 3;
    let offset = if zone == 2 { i64::from((form >> 8) & 0xfff) - 2048 } else { 0 };
    let local = x + (offset * 60) as f64;
    let days = (local / 86_400.0).floor();
    let (y, m, d) = civil_from_days(days as i64);
    let rest = local - days * 86_400.0;
    let whole = rest.floor();
    let (hh, mm, ss) = ((whole / 3600.0) as u32, ((whole % 3600.0) / 60.0) as u32, (whole % 60.0) as u32);
    let sep = if form & 2 != 0 { ' ' } else { 'T' };
    let mut s = format!("{y:04}-{m:02}-{d:02}{sep}{hh:02}:{mm:02}");
    match (form >> 2) & 3 {
        0 => {}
        1 => s.push_str(&format!(":{ss:02}")),
        _ => s.push_str(&format!(":{ss:02}.{:03}", (((rest - whole) * 1000.0).round() as u32).min(999))),
    }
    match zone {
        1 => s.push('Z'),
        2 => s.push_str(&format!("{}{:02}:{:02}", if offset < 0 { '-' } else { '+' }, offset.abs() / 60, offset.abs() % 60)),
        _ => {}
    }
    s
}

/// Classifies one present, trimmed field.
pub(crate) fn classify(s: &str, decimal_comma: bool) -> Class {
    let b = s.as_bytes();
    if b.len() >= 8 && b[4] == b'-' && (b[6] == b'-' || b[7] == b'-') {
        if let Some((t, has_time)) = parse_time(s) {
            return Class::Time(t, has_time);
        }
    }
    match parse_number(s, decimal_comma) {
        Some(x) if integer_digits(s).is_some_and(|d| is_code(d, x)) => Class::Other,
        // Grouped with a decimal comma (`1.234.567.890.123.456`): past 2^53
        // a code, as the same digits written plainly are.
        Some(x) if decimal_comma && x.abs() >= EXACT_INTEGER_LIMIT && is_integer_text(s, true) => Class::Other,
        Some(x) if x.is_finite() => Class::Number(x),
        Some(_) => Class::NonFinite,
        None => Class::Other,
    }
}

/// Words read as booleans (case-insensitively).
pub(crate) fn is_bool_token(s: &str) -> bool {
    bool_value(s).is_some()
}

/// The truth a boolean word says (case-insensitively), `None` for other text.
pub(crate) fn bool_value(s: &str) -> Option<bool> {
    if ["true", "yes", "t", "y"].iter().any(|t| t.eq_ignore_ascii_case(s)) {
        Some(true)
    } else if ["false", "no", "f", "n"].iter().any(|t| t.eq_ignore_ascii_case(s)) {
        Some(false)
    } else {
        None
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0')))
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    // Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and
/// `HH:MM[:SS[.fff]]` and an offset `Z` / `±HH:MM` / `±HHMM` / ` UTC` /
/// ` GMT`. Gives
/// seconds since the epoch in UTC (a time without offset is taken as UTC)
/// and whether a time of day was written.
pub(crate) fn parse_time(s: &str) -> Option<(f64, bool)> {
    let b = s.as_bytes();
    if b.len() < 8 || b[4] != b'-' {
        return None;
    }
    let y = i64::from(num(&b[0..4])?);
    // Month and day take two digits in ISO 8601; one is read too (`2020-1-5`).
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let (m, d, o) = if b.len() >= 10 && b[7] == b'-' && !digit(10) {
        (num(&b[5..7])?, num(&b[8..10])?, 10)
    } else {
        let ml = if digit(6) { 2 } else { 1 };
        if !digit(5) || b.get(5 + ml) != Some(&b'-') {
            return None;
        }
        let ds = 6 + ml;
        let dl = if digit(ds + 1) { 2 } else { 1 };
        if !digit(ds) || digit(ds + dl) {
            return None;
        }
        (num(&b[5..5 + ml])?, num(&b[ds..ds + dl])?, ds + dl)
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let day = days_from_civil(y, m, d) as f64 * 86_400.0;
    // The time of day, from `o`, the byte after the date.
    if b.len() == o {
        return Some((day, false));
    }
    // The hour takes two digits in ISO 8601; one is read too (`2020-1-5
    // 8:00`, as R and spreadsheets write it).
    if !(b[o] == b'T' || b[o] == b' ') || !digit(o + 1) {
        return None;
    }
    let c = if b.get(o + 2) == Some(&b':') { o + 2 } else { o + 3 };
    if b.len() < c + 3 || b[c] != b':' {
        return None;
    }
    let hh = num(&b[o + 1..c])?;
    let mm = num(&b[c + 1..c + 3])?;
    let mut i = c + 3;
    let mut secs = 0.0;
    if b.len() >= c + 6 && b[c + 3] == b':' {
        secs = f64::from(num(&b[c + 4..c + 6])?);
        i = c + 6;
        if b.len() > c + 7 && b[c + 6] == b'.' {
            let end = b[c + 7..].iter().position(|c| !c.is_ascii_digit()).map_or(b.len(), |p| c + 7 + p);
            let frac: f64 = std::str::from_utf8(&b[c + 6..end]).ok()?.parse().ok()?;
            secs += frac;
            i = end;
        }
    }
    if hh > 23 || mm > 59 || secs >= 60.0 {
        return None;
    }
    let mut offset = 0.0;
    match &b[i..] {
        [] => {}
        [b'Z'] | [b'z'] | b" UTC" | b" GMT" | b"UTC" => {}
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (oh, om) = match rest {
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (num(&[*h1, *h2])?, num(&[*m1, *m2])?),
                [h1, h2] => (num(&[*h1, *h2])?, 0),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            offset = f64::from(oh * 3600 + om * 60) * if *sign == b'-' { -1.0 } else { 1.0 };
        }
        _ => return None,
    }
    Some((day + f64::from(hh * 3600 + mm * 60) + secs - offset, true))
}

/// A date written with its day and month in either order (`1/31/2020`,
/// `31.01.2020`, `31-01-2020`) or year first (`2020/1/31`), optionally
/// followed by a space and `H:MM[:SS[.fff]]` with an optional `AM`/`PM`.
/// Which of the two leading numbers is the day is settled over a whole
/// column (see [`LooseDate::seconds`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LooseDate {
    /// The separator of the numbers; `M` when the month is a word.
    pub(crate) sep: u8,
    pub(crate) year_first: bool,
    first: u32,
    second: u32,
    year: i64,
    /// Seconds into the day, when a time is written.
    pub(crate) time: Option<f64>,
}

/// Reads `s` (trimmed) as a [`LooseDate`]; four-digit years only. Also
/// dates with the month as a word (see [`month_name_date`]).
pub(crate) fn loose_date(s: &str) -> Option<LooseDate> {
    numeric_date(s).or_else(|| month_name_date(s))
}

/// The month an English month name or its abbreviation stands for
/// (`jan`, `Jan.`, `January`, `Sept`; any case).
fn month_number(w: &str) -> Option<u32> {
    const NAMES: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    let w = w.strip_suffix('.').unwrap_or(w);
    if w.len() < 3 || w.len() > 9 || !w.bytes().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let w = w.to_ascii_lowercase();
    let i = NAMES.iter().position(|n| *n == w || (w.len() == 3 && n.starts_with(w.as_str())) || (w == "sept" && *n == "september"))?;
    Some(i as u32 + 1)
}

/// A date whose month is written as a word: day, month, year
/// (`05-Jan-2020`, `5 January 2020`) or month, day, year (`Jan 5, 2020`,
/// `January 05 2020`), the parts separated by spaces, dashes, slashes or
/// a comma, after an optional weekday (`Mon, 6 Jan 2020`), optionally
/// followed by `H:MM[:SS[.fff]]` with an optional `AM`/`PM`. Its order
/// is never in doubt: it reads as year-first dates do.
fn month_name_date(s: &str) -> Option<LooseDate> {
    const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut parts = s.split([' ', '-', '/', ',']).filter(|t| !t.is_empty());
    let mut a = parts.next()?;
    if a.len() >= 3 && a.is_char_boundary(3) && WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(&a[..3])) && month_number(a).is_none() {
        a = parts.next()?;
    }
    let b = parts.next()?;
    let year = parts.next()?;
    let (month, day) = match month_number(a) {
        Some(m) => (m, b),
        None => (month_number(b)?, a),
    };
    if !(1..=2).contains(&day.len()) || year.len() != 4 {
        return None;
    }
    let rest: Vec<&str> = parts.collect();
    let time = if rest.is_empty() { None } else { Some(clock(&rest.join(" "))?) };
    Some(LooseDate { sep: b'M', year_first: true, first: month, second: num(day.as_bytes())?, year: i64::from(num(year.as_bytes())?), time })
}

/// A date written with numbers only (see [`LooseDate`]).
fn numeric_date(s: &str) -> Option<LooseDate> {
    let (date, time) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim_start())),
        None => (s, None),
    };
    let b = date.as_bytes();
    let sep = *b.iter().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let mut it = date.split(char::from(sep));
    let (p0, p1, p2) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let short = |p: &str| (1..=2).contains(&p.len());
    let (year_first, first, second, year) = if p0.len() == 4 && short(p1) && short(p2) {
        (true, num(p1.as_bytes())?, num(p2.as_bytes())?, num(p0.as_bytes())?)
    } else if short(p0) && short(p1) && p2.len() == 4 {
        (false, num(p0.as_bytes())?, num(p1.as_bytes())?, num(p2.as_bytes())?)
    } else {
        return None;
    };
    let time = match time {
        None => None,
        Some(t) => Some(clock(t)?),
    };
    Some(LooseDate { sep, year_first, first, second, year: i64::from(year), time })
}

/// Seconds into the day of `H:MM[:SS[.fff]]` with an optional `AM`/`PM`.
fn clock(t: &str) -> Option<f64> {
    let upper = t.to_ascii_uppercase();
    let (t, half) = match upper.strip_suffix("AM").or_else(|| upper.strip_suffix("PM")) {
        Some(rest) => (rest.trim_end(), Some(upper.ends_with("PM"))),
        None => (upper.as_str(), None),
    };
    let mut parts = t.split(':');
    let (h, m) = (parts.next()?, parts.next()?);
    let sec = parts.next();
    if parts.next().is_some() || !(1..=2).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    let (mut hh, mm) = (num(h.as_bytes())?, num(m.as_bytes())?);
    let secs = match sec {
        None => 0.0,
        Some(x) if x.len() >= 2 && x.as_bytes()[..2].iter().all(u8::is_ascii_digit) && (x.len() == 2 || (x.as_bytes()[2] == b'.' && x.len() > 3 && x[3..].bytes().all(|c| c.is_ascii_digit()))) => x.parse::<f64>().ok()?,
        Some(_) => return None,
    };
    match half {
        Some(pm) => {
            if !(1..=12).contains(&hh) {
                return None;
            }
            hh = hh % 12 + if pm { 12 } else { 0 };
        }
        None if hh > 23 => return None,
        None => {}
    }
    if mm > 59 || secs >= 60.0 {
        return None;
    }
    Some(f64::from(hh * 3600 + mm * 60) + secs)
}

impl LooseDate {
    /// Seconds since the epoch (UTC), reading the first of the two leading
    /// numbers as the day when `day_first` (year-first dates are always
    /// year, month, day); `None` when that is no date.
    pub(crate) fn seconds(&self, day_first: bool) -> Option<f64> {
        let (d, m) = if day_first && !self.year_first { (self.first, self.second) } else { (self.second, self.first) };
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(self.year, m) {
            return None;
        }
        Some(days_from_civil(self.year, m, d) as f64 * 86_400.0 + self.time.unwrap_or(0.0))
    }
}

/// A span of time for people, in the largest unit under which it reads as
/// at least one: "2.0 days", "5.2 hours", "24.3 minutes", "0.81 seconds"
/// (a spread of minutes said "0.0 days"). www/charts.js's `formatSpan`
/// writes the same.
pub fn format_span(seconds: f64) -> String {
    let a = seconds.abs();
    if !seconds.is_finite() {
        return "-".into();
    }
    let (value, unit) = if a >= 86_400.0 {
        (seconds / 86_400.0, "days")
    } else if a >= 3_600.0 {
        (seconds / 3_600.0, "hours")
    } else if a >= 60.0 {
        (seconds / 60.0, "minutes")
    } else {
        (seconds, "seconds")
    };
    if value.abs() >= 1e6 {
        format!("{value:.2e} {unit}")
    } else if value.abs() >= 1.0 || value == 0.0 {
        format!("{value:.1} {unit}")
    } else {
        // Under a second: two significant digits.
        let digits = (1 - value.abs().log10().floor() as i32).clamp(1, 12) as usize;
        format!("{value:.digits$} {unit}")
    }
}

/// Canonical text of a time: `YYYY-MM-DD` at midnight, else
/// `YYYY-MM-DDTHH:MM:SS[.fff]` (UTC).
pub fn format_time(t: f64) -> String {
    let days = (t / 86_400.0).floor();
    let (y, m, d) = civil_from_days(days as i64);
    let rest = t - days * 86_400.0;
    if rest == 0.0 {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let whole = rest.floor();
    let (hh, mm, ss) = ((whole / 3600.0) as u32, ((whole % 3600.0) / 60.0) as u32, (whole % 60.0) as u32);
    let frac = rest - whole;
    if frac > 0.0 {
        let ms = (frac * 1000.0).round() as u32;
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{:03}", ms.min(999))
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time among labels keeps its written form when it is one of the
    /// usual ones (a space, minutes only, `Z`, an offset), read back
    /// exactly; others read as their ISO form.
    #[test]
    fn times_among_labels_keep_usual_forms() {
        let label = |t: &str| {
            let (x, _) = parse_time(t).unwrap();
            time_label(x, time_form(t, x))
        };
        for t in ["2023-01-01 10:00", "2023-01-01 10:00:05", "2023-01-01T10:00", "2023-01-01T12:00:00+02:00", "2023-01-01T10:00:00Z", "2023-12-31T23:30:00-05:30", "2023-01-01 10:00:00.250", "2023-01-01T00:00:00", "2023-01-01", "2023-01-01T10:00:00", "2024-02-29T08:00:00.125Z"] {
            assert_eq!(label(t), t);
        }
        for (t, iso) in [("2023-1-5", "2023-01-05"), ("2023-01-01 10:00 UTC", "2023-01-01T10:00:00"), ("2023-01-01T10:00:00+0200", "2023-01-01T08:00:00"), ("2023-01-01 9:05", "2023-01-01T09:05:00")] {
            assert_eq!(label(t), iso, "{t}");
        }
        // ISO forms take no form: nothing is stored for them.
        assert_eq!(time_form("2023-01-01T10:00:00", 1_672_567_200.0), 0);
    }

    /// A number among labels keeps its fixed-point form (trailing zeros,
    /// the decimal comma, small values); every other form reads as its
    /// value, and is named as such.
    #[test]
    fn numbers_among_labels_keep_fixed_point_forms() {
        let kept = |t: &str, dc: bool| {
            let x = parse_number(t, dc).unwrap();
            let hint = spelling(t, x, dc);
            (number_label(x, hint), respelled(t, x, hint, dc))
        };
        for (t, dc) in [("1.10", false), ("2.0", false), ("0.50", false), ("-0.0", false), ("12.500", false), ("0.00001", false), ("1.1", false), ("7", false), ("-3.25", false), ("3", true), ("99999999999999.0", false)] {
            assert_eq!(kept(t, dc), (t.to_string(), None), "{t}");
        }
        // A decimal comma is the file's mark, not another form: labels
        // write a point, which a cast to numbers reads.
        for (t, label) in [("12,50", "12.50"), ("1,5", "1.5"), ("-0,0", "-0.0")] {
            assert_eq!(kept(t, true), (label.to_string(), None), "{t}");
        }
        for (t, dc, label) in [("+5", false, "5"), ("1e3", false, "1000"), (".5", false, "0.5"), ("08", false, "8"), ("5.", false, "5"), ("+1.10", false, "1.1"), ("-0", false, "0"), ("1.234,50", true, "1234.5"), ("\u{2212}2.5", false, "-2.5")] {
            assert_eq!(kept(t, dc), (label.to_string(), Some(label.to_string())), "{t}");
        }
        // Plain forms have no hint, so the hot path stores nothing.
        assert_eq!(spelling("1.25", 1.25, false), 0);
        assert_eq!(spelling("100", 100.0, false), 0);
    }

    /// A spread of minutes or seconds reads in minutes or seconds (the
    /// command said "0.0 days" for a sensor log's 24 minutes).
    #[test]
    fn spans_read_in_a_unit_they_fill() {
        let cases = [
            (2.0 * 86_400.0, "2.0 days"),
            (3.5e11 * 86_400.0, "3.50e11 days"),
            (5.2 * 3_600.0, "5.2 hours"),
            (24.3 * 60.0, "24.3 minutes"),
            (59.96, "60.0 seconds"),
            (0.81, "0.81 seconds"),
            (0.0123, "0.012 seconds"),
            (0.0, "0.0 seconds"),
            (-90.0, "-1.5 minutes"),
            (f64::NAN, "-"),
        ];
        for (seconds, text) in cases {
            assert_eq!(format_span(seconds), text, "{seconds}");
        }
    }

    /// Integers past 2^53 are text whatever their length (24-digit
    /// account numbers were all read as 1.2345678901234569e23); those
    /// under it, and floats of any size, are numbers.
    #[test]
    fn integers_past_two_to_the_53_are_codes_at_any_length() {
        let long = "1".repeat(400);
        let cases: &[(&str, bool)] = &[
            ("9007199254740991", false),
            ("-9007199254740991", false),
            ("9007199254740993", true),
            ("12345678901234567890", true),
            ("123456789012345678901", true),
            ("123456789012345678901234", true),
            ("-123456789012345678901234", true),
            ("+8944500102198304826", true),
            ("\u{2212}123456789012345678901234", true),
            (&long, true),
            ("1e300", false),
            ("2.5e20", false),
            ("123456789012345678901.5", false),
        ];
        for &(t, code) in cases {
            assert_eq!(matches!(classify(t, false), Class::Other), code, "{t}");
            assert_eq!(number_or_code(t), Some(code), "{t}");
        }
        // Grouped with a decimal comma, the same: integers past 2^53 are
        // codes (1.234.567.890.123.456.789 was the integer
        // 1234567890123456768); with a fraction they are floats, as
        // 123456789012345678901.5 is.
        let grouped: &[(&str, bool)] = &[
            ("9.007.199.254.740.991", false),
            ("1.234.567.890.123.456", false),
            ("9.007.199.254.740.993", true),
            ("1.234.567.890.123.456.789", true),
            ("-1.234.567.890.123.456.789", true),
            ("1 234 567 890 123 456 789", true),
            ("1.234.567.890.123.456.789,5", false),
            ("1.234.567.890.123.456,5", false),
            ("1.234,5", false),
        ];
        for &(t, code) in grouped {
            assert_eq!(matches!(classify(t, true), Class::Other), code, "{t}");
            assert!(parse_number(t, true).is_some(), "{t}");
        }
        assert!(!integer_is_exact("1.234.567.890.123.456.789", 1_234_567_890_123_456_789.0, true));
        assert!(integer_is_exact("9.007.199.254.740.994", 9_007_199_254_740_994.0, true));
        assert!(integer_is_exact("1.234.567.890.123.456.789", 1_234_567_890_123_456_789.0, false));
    }

    /// The minus sign U+2212 reads as a minus: "\u{2212}8" is -8, an integer,
    /// with a decimal comma too; a second sign or no digits is text.
    #[test]
    fn unicode_minus_reads_as_a_minus() {
        let cases: &[(&str, bool, Option<f64>)] = &[
            ("\u{2212}8", false, Some(-8.0)),
            ("\u{2212}0.25", false, Some(-0.25)),
            ("\u{2212}.5", false, Some(-0.5)),
            ("\u{2212}1e3", false, Some(-1000.0)),
            ("\u{2212}1,5", true, Some(-1.5)),
            ("\u{2212}1.234,5", true, Some(-1234.5)),
            ("\u{2212}", false, None),
            ("\u{2212}-8", false, None),
            ("\u{2212}+8", false, None),
            ("\u{2212}x", false, None),
            ("\u{2212}inf", false, None),
            ("8\u{2212}", false, None),
            ("\u{2013}8", false, None),
        ];
        for &(t, comma, want) in cases {
            assert_eq!(parse_number(t, comma), want, "{t}");
            assert_eq!(matches!(classify(t, comma), Class::Number(_)), want.is_some(), "{t}");
        }
        assert!(is_integer_text("\u{2212}8", false));
        assert!(!is_integer_text("\u{2212}8.5", false));
        assert!(!integer_is_exact("\u{2212}9007199254740993", -9_007_199_254_740_992.0, false));
        assert!(integer_is_exact("\u{2212}9007199254740994", -9_007_199_254_740_994.0, false));
    }

    /// Short decimals read by the fast path are bit for bit what
    /// `str::parse` reads, and anything else falls through to it.
    #[test]
    fn short_decimals_read_as_str_parse_reads_them() {
        let mut cases: Vec<String> = [
            "0.0", "-0.0", "+0.0", "-0", ".5", "5.", "-.5", "+5.", ".", "-.", "1..2", "1.2.3", "0.1", "0.2", "0.3", "2.675", "1.005",
            "123456789012345", "12345678901234.5", "0.000000000000001", "999999999999999.", ".999999999999999", "9999999999999999",
            "0.1234567890123456", "1e5", "1.5e3", "12,5", "1_000", " 1.5", "1.5 ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut state = 5u64;
        for _ in 0..20000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let digits = 1 + ((state >> 59) % 16) as usize;
            let v = (state >> 4) % 10u64.pow(digits.min(15) as u32);
            let text = format!("{v:0digits$}");
            let at = ((state >> 20) as usize) % (digits + 1);
            cases.push(format!("{}{}.{}", ["", "-", "+"][(state % 3) as usize], &text[..at], &text[at..]));
        }
        for c in &cases {
            let want: Option<f64> = c.parse().ok();
            let got = parse_number(c, false);
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{c:?}");
        }
    }

    #[test]
    fn small_integers_read_as_str_parse_reads_them() {
        let mut cases: Vec<String> = ["0", "-0", "+0", "7", "-7", "+42", "000123", "999999999999999", "-999999999999999", "9007199254740993", "1234567890123456", "", "-", "+", "1-2", "12a", "１２", "--1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut state = 3u64;
        for _ in 0..2000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let digits = 1 + (state >> 60) as usize;
            let v = (state >> 8) % 10u64.pow(digits.min(15) as u32);
            cases.push(format!("{}{v:0digits$}", ["", "-", "+"][(state % 3) as usize]));
        }
        for c in &cases {
            let want: Option<f64> = c.parse().ok();
            let got = parse_number(c, false);
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{c:?}");
        }
    }

    #[test]
    fn fields_classify() {
        let cases: &[(&str, bool, Class)] = &[
            ("1.5", false, Class::Number(1.5)),
            ("-3", false, Class::Number(-3.0)),
            ("1,5", true, Class::Number(1.5)),
            ("1,5", false, Class::Other),
            ("1.5", true, Class::Other),
            ("inf", false, Class::NonFinite),
            ("1e400", false, Class::NonFinite),
            ("2020-02-29", false, Class::Time(1_582_934_400.0, false)),
            ("2020-02-30", false, Class::Other),
            ("2021-03-04T05:06:07Z", false, Class::Time(1_614_834_367.0, true)),
            ("2021-03-04 07:06:07+02:00", false, Class::Time(1_614_834_367.0, true)),
            ("2021-03-04T05:06", false, Class::Time(1_614_834_360.0, true)),
            ("2021-03-04 05:06:07 UTC", false, Class::Time(1_614_834_367.0, true)),
            ("2021-03-04 05:06:07 GMT", false, Class::Time(1_614_834_367.0, true)),
            ("2021-03-04 05:06:07 CET", false, Class::Other),
            ("2021-3-4", false, Class::Time(1_614_816_000.0, false)),
            ("2021-03-4 05:06:07", false, Class::Time(1_614_834_367.0, true)),
            ("2021-3-04T05:06Z", false, Class::Time(1_614_834_360.0, true)),
            ("2021-3-", false, Class::Other),
            ("2021-123-4", false, Class::Other),
            ("2021-3-4x", false, Class::Other),
            ("2021-3-456", false, Class::Other),
            ("2021-03-04T25:06", false, Class::Other),
            ("red", false, Class::Other),
        ];
        for (s, comma, want) in cases {
            assert_eq!(classify(s, *comma), *want, "{s}");
        }
    }

    /// Dates with the month as a word read in any order of day and month,
    /// with a weekday before and a time after; anything else is no date.
    #[test]
    fn month_names_read_as_dates() {
        let day = |y, m, d| days_from_civil(y, m, d) as f64 * 86_400.0;
        let cases: &[(&str, Option<f64>)] = &[
            ("05-Jan-2020", Some(day(2020, 1, 5))),
            ("5 January 2020", Some(day(2020, 1, 5))),
            ("Jan 5, 2020", Some(day(2020, 1, 5))),
            ("january 05 2020", Some(day(2020, 1, 5))),
            ("Sept. 30, 2021", Some(day(2021, 9, 30))),
            ("29/FEB/2020", Some(day(2020, 2, 29))),
            ("Mon, 6 Jan 2020", Some(day(2020, 1, 6))),
            ("Tuesday 7 Jan 2020", Some(day(2020, 1, 7))),
            ("May 1 2020 1:05 PM", Some(day(2020, 5, 1) + 13.0 * 3600.0 + 300.0)),
            ("2 Mar 2020 08:30:15", Some(day(2020, 3, 2) + 8.0 * 3600.0 + 30.0 * 60.0 + 15.0)),
            ("30 Feb 2020", None),
            ("Jan 2020", None),
            ("Jan 5 20", None),
            ("Janu 5 2020", None),
            ("Model 5 2020", None),
            ("Jan 5 2020 later", None),
            ("5 Jan 2020 +0100", None),
        ];
        for (s, want) in cases {
            assert_eq!(loose_date(s).and_then(|d| d.seconds(true)), *want, "{s}");
            assert_eq!(loose_date(s).and_then(|d| d.seconds(false)), *want, "{s}");
        }
    }

    #[test]
    fn times_round_trip() {
        for s in ["1970-01-01", "1969-12-31", "2000-02-29", "2021-03-04T05:06:07", "2021-03-04T05:06:07.250"] {
            let (t, _) = parse_time(s).unwrap();
            assert_eq!(format_time(t), s);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    /// ISO-like times with one-digit parts (R, spreadsheets) read as their
    /// two-digit forms; anything else near them stays unread.
    #[test]
    fn one_digit_hours_read_as_two() {
        let t = |s: &str| parse_time(s).map(|(t, has_time)| (format_time(t), has_time));
        let want = |s: &str| Some((s.to_string(), true));
        assert_eq!(t("2020-1-5 8:00"), want("2020-01-05T08:00:00"));
        assert_eq!(t("2020-01-05 8:05:09"), want("2020-01-05T08:05:09"));
        assert_eq!(t("2020-01-05T8:05:09.5Z"), want("2020-01-05T08:05:09.500"));
        assert_eq!(t("2020-01-05 9:30+01:00"), want("2020-01-05T08:30:00"));
        assert_eq!(t("2020-01-05 18:00"), want("2020-01-05T18:00:00"));
        for bad in ["2020-01-05 8", "2020-01-05 8:", "2020-01-05 8:5", "2020-01-05 123:00", "2020-01-05 :00", "2020-01-05 24:00", "2020-01-05 8:60"] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }
}
