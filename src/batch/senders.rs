//! Senders from a CSV file: one member a row, streamed, never all in memory.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::{Map, Value};

use super::columns::{full_name, is_anonymous, Column, Header};
use crate::catalog::Sender;
use crate::error::{Error, Result};
use crate::origin::Origin;

/// One sender, with what else their row carries.
#[derive(Debug, Clone, Default)]
pub struct SenderRow {
    /// 1-based data row (the header is row 0), for messages and the manifest.
    pub row: usize,
    /// The line of the file the row starts on.
    pub line: usize,
    pub sender: Sender,
    /// Other columns, reaching templates as `{{extra.COLUMN}}`.
    pub extra: Map<String, Value>,
    /// The member's own paragraph (`personal` column).
    pub personal: Option<String>,
}

/// Reads senders row by row.
pub struct SenderReader {
    origin: Origin,
    header: Header,
    reader: csv::Reader<Box<dyn Read + Send>>,
    row: usize,
    /// The first row, read ahead to tell a file without senders at once.
    pending: Option<Result<csv::StringRecord, csv::Error>>,
    /// Where each row is read: one record's buffers serve every row.
    record: csv::StringRecord,
}

/// The longest cell, in characters, for a one-line field (a name, an
/// address line) and for the `personal` paragraph. Longer is a mistake: a
/// paste gone wrong, a whole document in one cell.
const MAX_FIELD: usize = 300;
pub const MAX_PERSONAL: usize = 10_000;

/// A row that cannot give a sender: where it is, and why.
#[derive(Debug, Clone)]
pub struct BadRow {
    pub row: usize,
    pub error: Error,
}

impl SenderReader {
    /// Opens a senders CSV file.
    pub fn open(path: &Path) -> Result<SenderReader> {
        let file = File::open(path).map_err(|err| Error::read(path, &err))?;
        SenderReader::new(Origin::file(path), Box::new(file))
    }

    /// Senders from an open file (a spooled pipe), read from where it is.
    pub fn from_file(origin: Origin, file: File) -> Result<SenderReader> {
        SenderReader::new(origin, Box::new(file))
    }

    /// Senders already read into memory.
    pub fn from_bytes(bytes: std::sync::Arc<[u8]>) -> Result<SenderReader> {
        SenderReader::new(
            Origin("<stdin>".into()),
            Box::new(std::io::Cursor::new(bytes)),
        )
    }

    /// How many columns a row has: what a row costs to hold.
    pub fn width(&self) -> usize {
        self.header.columns.len()
    }

    /// The delimiter is found from the header line, because spreadsheets in
    /// much of Europe export with semicolons.
    fn new(origin: Origin, input: Box<dyn Read + Send>) -> Result<SenderReader> {
        let mut buffered = BufReader::new(LineEnds::new(LineLimit::new(input)));
        let header_line = {
            let buf = buffered
                .fill_buf()
                .map_err(|err| origin.error_at(None, format!("cannot read: {err}")))?;
            let end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
            String::from_utf8_lossy(&buf[..end]).into_owned()
        };
        if header_line.trim_start_matches('\u{feff}').trim().is_empty() {
            return Err(origin.error_at(Some(1), "the file is empty: no header row").with_help(
                "the first row names the columns: name, org, role, address, town, postcode, country, email, phone, personal",
            ));
        }
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(Box::new(buffered) as Box<dyn Read + Send>);
        let header = Header::new(
            reader
                .headers()
                .map_err(|err| csv_error(&origin, &[], &err))?
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
                .collect(),
        );
        check_header(&origin, &header)?;
        let mut first = csv::StringRecord::new();
        // A bad first row is a bad row like any other, reported with the rest.
        let first = match reader.read_record(&mut first) {
            Ok(true) => Ok(first),
            Ok(false) => Err(None),
            Err(err) => Err(Some(err)),
        };
        if let Err(None) = first {
            return Err(origin
                .error_at(
                    Some(1),
                    "no senders: the file has a header row and nothing else",
                )
                .with_help("add one row per sender below the header"));
        }
        Ok(SenderReader {
            origin,
            header,
            reader,
            row: 0,
            pending: Some(first.map_err(|err| err.expect("rows were found"))),
            record: csv::StringRecord::new(),
        })
    }

    /// The header row, read when the file was opened.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The next row, or `None` at the end of the file. After a bad row the
    /// reading goes on, so that every bad row can be told at once.
    pub fn next_row(&mut self) -> Option<Result<SenderRow, BadRow>> {
        let read = match self.pending.take() {
            Some(read) => read,
            None => {
                let mut record = std::mem::take(&mut self.record);
                match self.reader.read_record(&mut record) {
                    Ok(false) => return None,
                    Ok(true) => Ok(record),
                    Err(err) => Err(err),
                }
            }
        };
        self.row += 1;
        match read {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                let parsed = self.parse(&record, line).map_err(|error| BadRow {
                    row: self.row,
                    error,
                });
                self.record = record;
                Some(parsed)
            }
            Err(err) => {
                if let Some(record) = err.position().map(|p| p.record() as usize) {
                    self.row = record.max(self.row);
                }
                let error = csv_error(&self.origin, &self.header.names, &err);
                // What the csv reader cannot get past (an I/O error) ends the file.
                if !matches!(
                    err.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    self.pending = None;
                    self.reader = csv::Reader::from_reader(Box::new(std::io::empty()));
                }
                Some(Err(BadRow {
                    row: self.row,
                    error,
                }))
            }
        }
    }

    fn parse(&self, record: &csv::StringRecord, line: usize) -> Result<SenderRow> {
        let mut out = SenderRow {
            row: self.row,
            line,
            ..SenderRow::default()
        };
        let (mut first_name, mut last_name) = ("", "");
        let (mut recorded_name, mut recorded_email) = (None, None);
        let mut anonymous = false;
        let at = |header: &str, message: String| {
            self.origin.error_at(
                Some(line),
                format!(
                    "row {}, column {}: {message}",
                    self.row,
                    crate::text::quote(header)
                ),
            )
        };
        for ((column, header), value) in self
            .header
            .columns
            .iter()
            .zip(&self.header.names)
            .zip(record.iter())
        {
            let value = value.trim();
            // A personal paragraph may run over several lines; nothing else may.
            let multiline = *column == Column::Personal;
            let allowed: &[char] = if multiline { &['\n', '\r'] } else { &[] };
            if let Some(c) = crate::text::first_forbidden(value, allowed) {
                return Err(at(
                    header,
                    format!("contains the control character U+{:04X}", c as u32),
                )
                .with_help("remove line breaks and invisible characters from the cell"));
            }
            if value.is_empty() {
                continue;
            }
            let limit = if multiline { MAX_PERSONAL } else { MAX_FIELD };
            let length = if value.is_ascii() {
                value.len()
            } else {
                value.chars().count()
            };
            if length > limit {
                return Err(at(
                    header,
                    format!(
                        "is {length} characters long, more than the {limit} a letter can carry"
                    ),
                )
                .with_help("check the cell: a quote left open swallows the rows after it"));
            }
            let owned = || Some(value.to_string());
            match column {
                Column::Name => out.sender.name = value.to_string(),
                Column::FirstName => first_name = value,
                Column::LastName => last_name = value,
                Column::Postcode => out.sender.postcode = owned(),
                Column::Org => out.sender.org = owned(),
                Column::Role => out.sender.role = owned(),
                Column::Address => out.sender.address.push(value.to_string()),
                Column::Town => out.sender.town = owned(),
                Column::Country => out.sender.country = owned(),
                Column::Email => out.sender.email = owned(),
                Column::Phone => out.sender.phone = owned(),
                Column::Personal => out.personal = owned(),
                Column::RecordedName if !is_anonymous(value) => recorded_name = owned(),
                Column::RecordedEmail if !is_anonymous(value) => recorded_email = owned(),
                Column::RecordedName => anonymous = true,
                Column::RecordedEmail => {}
                Column::Extra(key) => {
                    out.extra
                        .insert(key.clone(), Value::String(value.to_string()));
                }
            }
        }
        out.sender.name = full_name(&out.sender.name, first_name, last_name);
        if let (false, Some(recorded), false) = (
            self.header.forms,
            &recorded_name,
            out.sender.name.is_empty(),
        ) {
            return Err(self.two_names(line, recorded, &out.sender.name));
        }
        // What the form asked wins over what Forms recorded of the account.
        if out.sender.name.is_empty() {
            out.sender.name = recorded_name.unwrap_or_default();
        }
        if out.sender.email.is_none() {
            out.sender.email = recorded_email;
        }
        if !crate::text::is_visible(&out.sender.name) {
            let header = self
                .header
                .columns
                .iter()
                .position(|c| matches!(c, Column::Name | Column::FirstName | Column::LastName))
                .or_else(|| {
                    self.header
                        .columns
                        .iter()
                        .position(|c| *c == Column::RecordedName)
                })
                .map_or("name", |i| self.header.names[i].as_str());
            let asked = self
                .header
                .columns
                .iter()
                .any(|c| matches!(c, Column::Name | Column::FirstName | Column::LastName));
            return Err(match (anonymous, asked) {
                // Only what Forms recorded, and it recorded no one.
                (true, false) => at(
                    header,
                    "is \"anonymous\": the form recorded no one's name".into(),
                )
                .with_help("every sender needs a name: ask for it in the form, or fill the cell"),
                _ => at(header, "is empty".into()).with_help("every sender needs a name"),
            });
        }
        // Missing extra columns still exist for templates, as empty text.
        for column in &self.header.columns {
            if let Column::Extra(key) = column {
                out.extra
                    .entry(key.clone())
                    .or_insert_with(|| Value::String(String::new()));
            }
        }
        Ok(out)
    }

    /// A row whose bare `Name` and the form's name question both hold a
    /// name, in an export not known to be Microsoft Forms': which signs is a
    /// guess.
    fn two_names(&self, line: usize, recorded: &str, asked: &str) -> Error {
        let columns = &self.header.columns;
        let bare = columns.iter().position(|c| *c == Column::RecordedName);
        let question = columns
            .iter()
            .position(|c| matches!(c, Column::Name | Column::FirstName | Column::LastName));
        let named = |i: Option<usize>| {
            i.map_or(String::new(), |i| {
                format!(
                    "{} (column {})",
                    crate::text::quote(&self.header.names[i]),
                    i + 1
                )
            })
        };
        self.origin
            .error_at(
                Some(line),
                format!(
                    "row {}: the columns {} and {} both give the sender's name ({} and {})",
                    self.row,
                    named(bare),
                    named(question),
                    crate::text::quote(recorded),
                    crate::text::quote(asked),
                ),
            )
            .with_help(
                "keep either one name column or the first and last names: rename or remove the \
                 others (a bare `Name` left \"anonymous\" or empty, as Microsoft Forms leaves it, \
                 gives way to the form's question)",
            )
    }
}

/// Refuses a header whose columns clash, or that names no sender.
fn check_header(origin: &Origin, header: &Header) -> Result<()> {
    let (headers, columns) = (&header.names, &header.columns);
    let both = |first: usize, second: usize, what: &str| {
        origin.error_at(
            Some(1),
            format!(
                "the columns {} (column {}) and {} (column {}) both give the {what}",
                crate::text::quote(&headers[first]),
                first + 1,
                crate::text::quote(&headers[second]),
                second + 1,
            ),
        )
    };
    for (i, column) in columns.iter().enumerate() {
        // Address lines are many; a column without a header (the trailing
        // commas of a spreadsheet's export) reaches nothing, so cannot clash.
        if *column == Column::Address || headers[i].is_empty() {
            continue;
        }
        if let Some(j) = columns[..i].iter().position(|c| c == column) {
            return Err(both(j, i, &column.describe()).with_help("rename or remove one of them"));
        }
    }
    // Which would sign the letter is a guess: "Name" may be a branch's.
    let position = |wanted: Column| columns.iter().position(|c| *c == wanted);
    if let (Some(name), Some(part)) = (
        position(Column::Name),
        position(Column::FirstName).or(position(Column::LastName)),
    ) {
        return Err(both(name, part, "sender's name").with_help(
            "keep either one name column or the first and last names: rename or remove the others",
        ));
    }
    let named = [
        Column::Name,
        Column::FirstName,
        Column::LastName,
        Column::RecordedName,
    ];
    if !columns.iter().any(|c| named.contains(c)) {
        return Err(origin
            .error_at(
                Some(1),
                format!(
                    "no `name` column (the columns are: {})",
                    crate::text::quote(&headers.join(", ")).bare()
                ),
            )
            .with_help(
                "name the column with each sender's name `name` (or give `first name` and `last name`)",
            ));
    }
    Ok(())
}

/// Reads classic Mac (CR) and Windows (CR LF) line ends as LF: the csv
/// reader would take a lone CR as a row's end, but count no lines, and the
/// delimiter is found from the first line.
struct LineEnds<R> {
    inner: R,
    /// The last byte read was a CR, so an LF that follows is its partner.
    after_cr: bool,
}

impl<R> LineEnds<R> {
    fn new(inner: R) -> LineEnds<R> {
        LineEnds {
            inner,
            after_cr: false,
        }
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            // Most files have LF line ends only: nothing to change. Others
            // are moved up a line at a time, each CR found with memchr
            // (spreadsheets and Python's csv module write CR LF).
            // An LF that is the partner of the last read's CR is dropped.
            let mut at = usize::from(self.after_cr && buf[0] == b'\n');
            self.after_cr = false;
            if at == 0 && memchr::memchr(b'\r', &buf[..n]).is_none() {
                return Ok(n);
            }
            let mut kept = 0;
            while at < n {
                let Some(cr) = memchr::memchr(b'\r', &buf[at..n]).map(|i| at + i) else {
                    buf.copy_within(at..n, kept);
                    kept += n - at;
                    break;
                };
                buf.copy_within(at..cr, kept);
                kept += cr - at;
                buf[kept] = b'\n';
                kept += 1;
                at = cr + 1;
                match buf[..n].get(at) {
                    Some(b'\n') => at += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            // A read of a lone LF after a CR gives nothing: read on.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// The longest line a senders file may have: far more than a row of
/// thousands of columns, and not a whole disk read as one row
/// (`--senders /dev/zero`).
pub const MAX_LINE: usize = 16 << 20;

/// Fails the reading at a line longer than [`MAX_LINE`].
pub struct LineLimit<R> {
    inner: R,
    line: usize,
}

impl<R> LineLimit<R> {
    pub fn new(inner: R) -> LineLimit<R> {
        LineLimit { inner, line: 0 }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n];
        // Told from the first and last line end, when no line can lie
        // whole between them: a file is read in far smaller pieces.
        if n <= MAX_LINE {
            let first = memchr::memchr2(b'\n', b'\r', read);
            let last = memchr::memrchr2(b'\n', b'\r', read);
            let longest = self.line + first.unwrap_or(n);
            if longest <= MAX_LINE {
                self.line = match last {
                    Some(last) => n - 1 - last,
                    None => longest,
                };
                return Ok(n);
            }
        }
        for &byte in read {
            self.line = match byte {
                b'\n' | b'\r' => 0,
                _ => self.line + 1,
            };
            if self.line > MAX_LINE {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!(
                        "a line longer than {} MiB: this is not a senders file",
                        MAX_LINE >> 20
                    ),
                ));
            }
        }
        Ok(n)
    }
}

/// `headers` names the columns of a data row's error (empty for the header row's).
fn csv_error(origin: &Origin, headers: &[String], err: &csv::Error) -> Error {
    let line = err.position().map(|p| p.line() as usize);
    let record = err.position().map_or(0, |p| p.record());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "row {record} has {} where the header has {expected_len}",
            crate::text::count(*len as usize, "cell")
        ),
        csv::ErrorKind::Utf8 { err, .. } if record > 0 => {
            let column = headers.get(err.field()).map_or_else(
                || format!("{}", err.field() + 1),
                |header| crate::text::quote(header).to_string(),
            );
            format!("row {record}, column {column}: not valid UTF-8")
        }
        csv::ErrorKind::Utf8 { .. } => "the header row is not valid UTF-8".to_string(),
        _ => err.to_string(),
    };
    let help = match err.kind() {
        csv::ErrorKind::Utf8 { .. } => "save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")",
        csv::ErrorKind::Io(err) if err.kind() == std::io::ErrorKind::FileTooLarge => {
            "--senders takes a CSV file of one row per sender"
        }
        csv::ErrorKind::Io(_) => "check that the file can be read, and is not changing as it is read",
        _ => "every row needs as many cells as the header: quote a cell that holds the delimiter, and close every quote you open",
    };
    origin.error_at(line, message).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes `size` at a time, as a pipe may.
    struct Pieces<'a> {
        bytes: &'a [u8],
        size: usize,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.size.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Every text of up to eight bytes of `a`, CR and LF, read in pieces of
    /// every size, reads as its CR LF and lone CR made LF.
    #[test]
    fn every_line_end_reads_as_lf_however_the_reads_fall() {
        for len in 0..=8u32 {
            for mut code in 0..3usize.pow(len) {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        let byte = [b'a', b'\r', b'\n'][code % 3];
                        code /= 3;
                        byte
                    })
                    .collect();
                let expected = String::from_utf8(text.clone())
                    .unwrap()
                    .replace("\r\n", "\n")
                    .replace('\r', "\n");
                for size in 1..=9 {
                    let mut read = String::new();
                    let pieces = Pieces { bytes: &text, size };
                    LineEnds::new(pieces).read_to_string(&mut read).unwrap();
                    assert_eq!(read, expected, "{text:?} in pieces of {size}");
                }
            }
        }
    }

    /// A line longer than [`MAX_LINE`] fails the reading wherever the reads
    /// fall; one of exactly that length does not.
    #[test]
    fn a_line_is_measured_across_reads() {
        for end in ["\n", "\r", "\r\n"] {
            let line = "a".repeat(MAX_LINE);
            for (text, fails) in [
                (format!("{line}{end}b{end}"), false),
                (format!("b{end}{line}a{end}"), true),
                (format!("{line}a"), true),
            ] {
                for size in [1 << 10, 1 << 16, MAX_LINE + 7] {
                    let pieces = Pieces {
                        bytes: text.as_bytes(),
                        size,
                    };
                    let read = std::io::copy(&mut LineLimit::new(pieces), &mut std::io::sink());
                    assert_eq!(read.is_err(), fails, "{end:?} in pieces of {size}");
                }
            }
        }
    }
}
