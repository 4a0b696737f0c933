//! Calendar dates and how each letter language writes them, and the
//! partial dates ("2017", "2017-05") that sources give events.
//!
//! A letter only ever needs a day, never a time, so a small civil-date type
//! does the job without a date-time dependency.

use std::fmt;
use std::ops::RangeInclusive;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::text::quote;

/// The years a letter can be dated in. A typo such as 20226 or 0202 is
/// caught here rather than printed at the head of a letter.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2023-02-29.
    pub fn parse(s: &str) -> std::result::Result<Date, String> {
        let bad = || {
            format!(
                "{} is not a date; write it as YYYY-MM-DD, e.g. 2016-05-26",
                quote(s)
            )
        };
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d)) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                (y, m, d)
            }
            _ => return Err(bad()),
        };
        let (year, month, day) = match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(format!("{} is not a day of the calendar", quote(s)));
        }
        if !YEARS.contains(&year) {
            return Err(format!(
                "{} is out of range: a letter is dated in the years {} to {}",
                quote(s),
                YEARS.start(),
                YEARS.end()
            ));
        }
        Ok(Date { year, month, day })
    }

    /// The day of `SOURCE_DATE_EPOCH` (in UTC, as reproducible builds date
    /// things) when it is set, so that a batch can be made again the same;
    /// else today where the writer is: a letter written in the evening in
    /// California carries that day, not tomorrow's in UTC.
    pub fn today() -> Result<Date> {
        if let Some(seconds) = source_date_epoch()? {
            return Ok(Date::from_days_since_epoch(seconds.div_euclid(86_400)));
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Ok(local_day(now))
    }

    /// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u32 {
        (self.days_since_epoch() + 3).rem_euclid(7) as u32
    }

    /// The date as an RFC 5322 `Date:` header value at midnight UTC.
    pub fn rfc5322(&self) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        format!(
            "{}, {} {} {:04} 00:00:00 +0000",
            DAYS[self.weekday() as usize],
            self.day,
            &MONTHS_EN[self.month as usize - 1][..3],
            self.year
        )
    }

    /// Seconds since the Unix epoch at midnight UTC of this day.
    pub fn unix_timestamp(&self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// Writes the date as readers of `language` (a BCP 47 tag) expect:
    /// "26 May 2016" in British English, "May 26, 2016" in American English.
    pub fn format(&self, language: &str) -> String {
        let lang = language.to_ascii_lowercase();
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        let (d, y) = (self.day, self.year);
        let m = self.month as usize - 1;
        match primary {
            "en" if MONTH_FIRST_ENGLISH.contains(&lang.as_str()) => {
                format!("{} {d}, {y}", MONTHS_EN[m])
            }
            "de" => format!("{d}. {} {y}", MONTHS_DE[m]),
            "fr" => format!("{d} {} {y}", MONTHS_FR[m]),
            "sv" => format!("{d} {} {y}", MONTHS_SV[m]),
            "ru" => {
                let [genitive, ..] = MONTHS_RU[m];
                format!("{d} {genitive} {y} г.")
            }
            "kk" => format!("{y} жылғы {d} {}", MONTHS_KK[m]),
            "en" => format!("{d} {} {y}", MONTHS_EN[m]),
            _ => self.to_string(),
        }
    }
}

impl Date {
    /// The same day a year earlier (28 February for 29 February).
    pub fn a_year_earlier(&self) -> Date {
        let year = self.year - 1;
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }
}

/// A date as precise as its source: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let bad = || {
            format!(
                "{} is not a date; write it as YYYY, YYYY-MM or YYYY-MM-DD",
                quote(s)
            )
        };
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok {
            return Err(bad());
        }
        let number = |i: usize| parts.get(i).map(|p| p.parse::<u32>().expect("digits"));
        let date = PartialDate {
            year: parts[0].parse().expect("digits"),
            month: number(1),
            day: number(2),
        };
        let month_ok = date.month.is_none_or(|m| (1..=12).contains(&m));
        let day_ok = match (date.month, date.day) {
            (Some(m), Some(d)) if month_ok => d >= 1 && d <= days_in_month(date.year, m),
            _ => true,
        };
        if !month_ok || !day_ok {
            return Err(format!("{} is not a day of the calendar", quote(s)));
        }
        Ok(date)
    }

    /// The first day the date can mean: an event dated "2018-05" has
    /// happened by any letter dated in May 2018 or later.
    pub fn first_day(&self) -> Date {
        Date {
            year: self.year,
            month: self.month.unwrap_or(1),
            day: self.day.unwrap_or(1),
        }
    }

    /// The last day the date can mean: a term expected to end "2029-04" may
    /// still run on 30 April 2029.
    pub fn last_day(&self) -> Date {
        let month = self.month.unwrap_or(12);
        Date {
            year: self.year,
            month,
            day: self.day.unwrap_or_else(|| days_in_month(self.year, month)),
        }
    }
}

impl PartialDate {
    /// As British English writes it, to the precision the source gives:
    /// "2 August 2024", "August 2024", "2024".
    pub fn format_en(&self) -> String {
        let year = self.year;
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {year}", MONTHS_EN[m as usize - 1]),
            (Some(m), None) => format!("{} {year}", MONTHS_EN[m as usize - 1]),
            _ => year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PartialDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// `SOURCE_DATE_EPOCH`, when set: whole seconds since 1970 that fall in
/// [`YEARS`]. Anything else is refused rather than read as "now", which
/// would silently date letters with the clock the variable was set to avoid.
pub fn source_date_epoch() -> Result<Option<i64>> {
    match std::env::var_os("SOURCE_DATE_EPOCH") {
        Some(value) => epoch_seconds(&value).map(Some),
        None => Ok(None),
    }
}

fn epoch_seconds(value: &std::ffi::OsStr) -> Result<i64> {
    let last = Date {
        year: *YEARS.end(),
        month: 12,
        day: 31,
    }
    .unix_timestamp()
        + 86_399;
    let text = value.to_string_lossy();
    let seconds = Some(text.as_ref())
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<i64>().ok())
        .filter(|s| *s <= last);
    match seconds {
        Some(seconds) => Ok(seconds),
        None => Err(Error::usage(format!(
            "SOURCE_DATE_EPOCH is {}: it must be whole seconds since 1970-01-01 UTC, \
             from 0 to {last} (the end of {})",
            quote(&text).in_double_quotes(),
            YEARS.end()
        ))
        .with_help("unset SOURCE_DATE_EPOCH to date letters today, or give --date YYYY-MM-DD")),
    }
}

/// The calendar day of `seconds` since the epoch in the local time zone
/// (`TZ`, else the system's), or in UTC where that cannot be told.
#[cfg(unix)]
fn local_day(seconds: i64) -> Date {
    extern "C" {
        // Not in the libc crate for every Unix; POSIX has it everywhere.
        fn tzset();
    }
    let time = seconds as libc::time_t;
    // SAFETY: tzset reads TZ once per call; localtime_r writes only into the
    // zeroed `tm` it is given and returns null on failure.
    let local = unsafe {
        tzset();
        let mut tm: libc::tm = std::mem::zeroed();
        (!libc::localtime_r(&time, &mut tm).is_null()).then_some(tm)
    };
    match local {
        Some(tm) => Date {
            year: tm.tm_year + 1900,
            month: (tm.tm_mon + 1) as u32,
            day: tm.tm_mday as u32,
        },
        None => Date::from_days_since_epoch(seconds.div_euclid(86_400)),
    }
}

#[cfg(not(unix))]
fn local_day(seconds: i64) -> Date {
    Date::from_days_since_epoch(seconds.div_euclid(86_400))
}

/// Seconds since the epoch, and the civil date and time of day in UTC.
fn civil(time: SystemTime) -> (Date, u64) {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (
        Date::from_days_since_epoch((secs / 86_400) as i64),
        secs % 86_400,
    )
}

/// A moment as `2026-11-30T16:05:09Z` (RFC 3339, UTC): what logs record.
pub fn rfc3339(time: SystemTime) -> String {
    let (date, secs) = civil(time);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// A moment as `Mon, 30 Nov 2026 16:05:09 +0000` (RFC 5322, UTC): a mail's `Date:`.
pub fn rfc5322(time: SystemTime) -> String {
    let (date, secs) = civil(time);
    date.rfc5322().replace(
        "00:00:00",
        &format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
    )
}

/// English-speaking regions that put the month before the day.
const MONTH_FIRST_ENGLISH: [&str; 3] = ["en-us", "en-ph", "en-ca"];

/// Languages whose dates [`Date::format`] writes in words; others get ISO 8601.
pub const DATE_LANGUAGES: [&str; 6] = ["en", "de", "fr", "sv", "ru", "kk"];

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The English months, capitalised as they are written.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];
/// The Russian months in the forms a date takes: the genitive of «3 февраля»
/// (how [`Date::format`] writes a day), the prepositional of «в феврале»,
/// the nominative «февраль».
pub const MONTHS_RU: [[&str; 3]; 12] = [
    ["января", "январе", "январь"],
    ["февраля", "феврале", "февраль"],
    ["марта", "марте", "март"],
    ["апреля", "апреле", "апрель"],
    ["мая", "мае", "май"],
    ["июня", "июне", "июнь"],
    ["июля", "июле", "июль"],
    ["августа", "августе", "август"],
    ["сентября", "сентябре", "сентябрь"],
    ["октября", "октябре", "октябрь"],
    ["ноября", "ноябре", "ноябрь"],
    ["декабря", "декабре", "декабрь"],
];
const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_times_in_utc() {
        let time = UNIX_EPOCH + std::time::Duration::from_secs(1_796_054_709);
        assert_eq!(rfc3339(time), "2026-11-30T16:05:09Z");
        assert_eq!(rfc5322(time), "Mon, 30 Nov 2026 16:05:09 +0000");
    }

    #[test]
    fn round_trips_days() {
        for days in [-1000, 0, 1, 16_947, 20_000, 60_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(
            Date::parse("2016-05-26").unwrap().days_since_epoch(),
            16_947
        );
    }

    #[test]
    fn formats_by_language() {
        let d = Date::parse("2016-05-26").unwrap();
        assert_eq!(d.format("en-GB"), "26 May 2016");
        assert_eq!(d.format("en-US"), "May 26, 2016");
        assert_eq!(d.format("de-DE"), "26. Mai 2016");
        assert_eq!(d.format("ru"), "26 мая 2016 г.");
        assert_eq!(d.rfc5322(), "Thu, 26 May 2016 00:00:00 +0000");
    }

    #[test]
    fn rejects_impossible_days() {
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("26/05/2016").is_err());
    }

    #[test]
    fn partial_dates_span_the_period_they_name() {
        let month = PartialDate::parse("2029-04").unwrap();
        assert_eq!(month.first_day().to_string(), "2029-04-01");
        assert_eq!(month.last_day().to_string(), "2029-04-30");
        let year = PartialDate::parse("2024").unwrap();
        assert_eq!(year.last_day().to_string(), "2024-12-31");
        assert_eq!(
            PartialDate::parse("2023-04-10").unwrap().to_string(),
            "2023-04-10"
        );
        for bad in [
            "23-04",
            "2023-4",
            "2023-13",
            "2023-02-29",
            "2023-04-10-1",
            "",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        let leap = Date::parse("2024-02-29").unwrap();
        assert_eq!(leap.a_year_earlier().to_string(), "2023-02-28");
    }

    #[test]
    fn a_date_is_in_the_years_letters_are_written() {
        for text in ["1900-01-01", "1999-12-31", "2026-11-30", "2200-12-31"] {
            assert!(Date::parse(text).is_ok(), "{text}");
        }
        for text in [
            "1899-12-31",
            "0202-01-01",
            "0000-01-01",
            "2201-01-01",
            "9999-12-31",
        ] {
            let err = Date::parse(text).unwrap_err();
            assert!(err.contains("the years 1900 to 2200"), "{text}: {err}");
        }
    }

    #[test]
    fn local_day_follows_the_time_zone() {
        // 2026-11-30 03:00 UTC is still the 29th in California, the 30th in
        // London and Almaty; 22:00 UTC is already the 1st in Almaty (UTC+5).
        let early = Date::parse("2026-11-30").unwrap().unix_timestamp() + 3 * 3600;
        let late = early + 19 * 3600;
        let cases = [
            // POSIX rules rather than zone names: no tz database needed.
            ("PST8PDT,M3.2.0,M11.1.0", early, "2026-11-29"),
            ("UTC0", early, "2026-11-30"),
            ("GMT0BST,M3.5.0/1,M10.5.0", late, "2026-11-30"),
            ("<+05>-5", late, "2026-12-01"),
            ("<+14>-14", early - 4 * 3600, "2026-11-30"),
            ("<-12>12", early + 11 * 3600, "2026-11-30"),
        ];
        let saved = std::env::var_os("TZ");
        for (zone, seconds, day) in cases {
            std::env::set_var("TZ", zone);
            assert_eq!(local_day(seconds).to_string(), day, "{zone}");
        }
        match saved {
            Some(tz) => std::env::set_var("TZ", tz),
            None => std::env::remove_var("TZ"),
        }
    }

    #[test]
    fn source_date_epoch_is_whole_seconds_in_range_or_an_error() {
        for (value, day) in [
            ("0", "1970-01-01"),
            ("1464220800", "2016-05-26"),
            ("1464307199", "2016-05-26"),
            ("7289654399", "2200-12-31"),
        ] {
            let seconds = epoch_seconds(value.as_ref()).unwrap();
            assert_eq!(
                Date::from_days_since_epoch(seconds / 86_400).to_string(),
                day
            );
        }
        for value in [
            "",
            " 1464220800",
            "1464220800\n",
            "+1464220800",
            "-1",
            "1.5",
            "1e9",
            "0x10",
            "abc",
            "7289654400",
            "99999999999999999999999",
        ] {
            let err = epoch_seconds(value.as_ref()).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::Usage, "{value:?}");
            assert!(
                err.message.starts_with("SOURCE_DATE_EPOCH is "),
                "{value:?}: {}",
                err.message
            );
        }
    }
}
