//! Dates as the verdict, the SIP parser and the checks need them: unix seconds to a readable UTC
//! string, and RFC 1123 SIP `Date` values to unix seconds. No clock is read here: the shells pass
//! the time in.

/// `2025-08-18 12:00:00 UTC` for unix seconds `t` (proleptic Gregorian, any year).
pub fn format_date(t: i64) -> String {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02} UTC");
    }
    // The usual four-digit year, digit by digit (a `format!` of six padded numbers costs ten
    // times more, and `cert.validity` words a date on every verification).
    let mut b = *b"0000-00-00 00:00:00 UTC";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m);
    put(8, 2, d);
    put(11, 2, hh);
    put(14, 2, mm);
    put(17, 2, ss);
    String::from_utf8_lossy(&b).into_owned()
}

/// Parse an RFC 1123 SIP Date (`Sat, 13 Nov 2010 23:29:00 GMT`) into unix seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.split_once(',').map(|(_, r)| r.trim()).unwrap_or(s);
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() < 4 {
        return None;
    }
    let day: i64 = parts[0].parse().ok()?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS
        .iter()
        .position(|m| parts[1].eq_ignore_ascii_case(m))? as i64
        + 1;
    // RFC 1123 years have four digits; bounding them keeps the arithmetic below from overflowing.
    let year: i64 = parts[2].parse().ok().filter(|y| (1..=9999).contains(y))?;
    let hms: Vec<i64> = parts[3]
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if hms.len() != 3 || !(1..=31).contains(&day) || hms[0] > 23 || hms[1] > 59 || hms[2] > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
}

/// "3 min", "2 days": a duration in seconds, rounded down to its largest sensible unit.
pub fn human_secs(s: i64) -> String {
    let s = s.saturating_abs();
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        7200..=172_799 => format!("{} h", s / 3600),
        _ => format!("{} days", s / 86400),
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// (year, month, day) for days since 1970-01-01: the inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if m <= 2 { 1 } else { 0 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn formats_and_parses_dates() {
        assert_eq!(format_date(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_date(1443208345), "2015-09-25 19:12:25 UTC");
        assert_eq!(format_date(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(
            parse_http_date("Fri, 25 Sep 2015 19:12:25 GMT"),
            Some(1443208345)
        );
        assert_eq!(parse_http_date("25 Sep 99999 19:12:25 GMT"), None);
        for days in [-800_000, -1, 0, 59, 60, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    proptest::proptest! {
        #[test]
        fn digit_by_digit_date_is_the_formatted_one(
            t in proptest::prop_oneof![
                -62_167_219_300i64..253_402_300_900, // years 0 to 9999 and just outside
                proptest::num::i64::ANY.prop_map(|t| t / 4096),
            ]
        ) {
            let days = t.div_euclid(86400);
            let secs = t.rem_euclid(86400);
            let (y, m, d) = civil_from_days(days);
            let want = format!(
                "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
            proptest::prop_assert_eq!(format_date(t), want);
        }
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_secs(5), "5 s");
        assert_eq!(human_secs(-185), "3 min");
        assert_eq!(human_secs(7200), "2 h");
        assert_eq!(human_secs(i64::MIN), format!("{} days", i64::MAX / 86400));
    }
}
