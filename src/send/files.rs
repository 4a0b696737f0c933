//! Reading what `send` is given, within bounds: a draft, a manifest or a send
//! log is a regular file of a size a mail server takes, read line by line
//! where it is a list, and never a FIFO or a device read for ever.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// The longest line of a manifest or a send log: one entry is a few hundred
/// bytes.
pub const MAX_LINE: usize = 64 << 10;

/// Opens `path` if it is a regular file; `None` when there is nothing there.
/// Opened without blocking, so that a FIFO put in a file's place is told
/// apart instead of waited on. `name` is the path as the user knows it;
/// `help` says what the file should be.
pub fn open_regular(path: &Path, name: &str, help: &str) -> Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
    {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::read(Path::new(name), &err)),
    };
    let metadata = file.metadata().map_err(|err| Error::read(path, &err))?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a directory"
        } else {
            "a FIFO, socket or device"
        };
        return Err(Error::usage(format!("{name}: not a regular file: {kind}")).with_help(help));
    }
    Ok(Some(file))
}

/// The whole of `file`, refused past `limit` bytes as not `what`, with
/// `help` to say what to do instead.
pub fn read_bounded(
    file: File,
    path: &Path,
    limit: u64,
    what: &str,
    help: &str,
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::read(path, &err))?;
    if bytes.len() as u64 > limit {
        return Err(Error::data(format!(
            "{}: larger than {} MiB: not {what}",
            path.display(),
            limit >> 20
        ))
        .with_help(help));
    }
    Ok(bytes)
}

/// Calls `each` with every line of `file` (its line break included) and the
/// line's number; a line longer than [`MAX_LINE`] is an error naming it.
pub fn for_each_line(
    file: File,
    path: &Path,
    mut each: impl FnMut(usize, &[u8]) -> Result<()>,
) -> Result<()> {
    let mut reader = BufReader::new(file);
    let mut line = Vec::with_capacity(512);
    for number in 1.. {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|err| Error::read(path, &err))?;
        if read == 0 {
            return Ok(());
        }
        if line.len() > MAX_LINE {
            return Err(Error::data(format!(
                "{}:{number}: a line longer than {} KiB: not a file `protest` wrote",
                path.display(),
                MAX_LINE >> 10
            ))
            .with_help("restore the file, or move it away"));
        }
        each(number, &line)?;
    }
    Ok(())
}

/// `text` in double quotes, for a message, as [`shown`] shows it: cut with
/// its length said outside the quotes.
pub fn in_quotes(text: &str, max: usize) -> String {
    crate::text::quote(&escaped(text))
        .in_double_quotes()
        .at_most(max)
        .to_string()
}

/// `text` for a message: control characters written out (`\x1b`), and cut
/// after `max` characters with its length said (by [`crate::text::quote`],
/// as every quoted input is), so that what a file or a server holds can
/// neither steer the terminal nor fill it.
pub fn shown(text: &str, max: usize) -> String {
    crate::text::quote(&escaped(text))
        .bare()
        .at_most(max)
        .to_string()
}

/// Control characters written out, so that they cannot steer the terminal.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if crate::text::is_forbidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_shown_is_escaped_and_cut() {
        assert_eq!(
            shown("250 ok \x1b[2J\r\n", 100),
            "250 ok \\x1b[2J\\x0d\\x0a"
        );
        assert_eq!(shown("550 \u{202e}evil", 100), "550 \\u{202e}evil");
        assert_eq!(
            shown(&"x".repeat(500), 10),
            format!("{}… (500 characters)", "x".repeat(10))
        );
        assert_eq!(shown("Жанболат", 4), "Жанб… (8 characters)");
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("send-log.jsonl");
        let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        let err = open_regular(&fifo, "log", "help").unwrap_err();
        assert_eq!(
            err.message,
            "log: not a regular file: a FIFO, socket or device"
        );
        let none = dir.path().join("none");
        assert!(open_regular(&none, "none", "help").unwrap().is_none());
    }

    #[test]
    fn a_line_without_end_is_cut_short() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(&path, vec![b'x'; MAX_LINE * 3]).unwrap();
        let file = File::open(&path).unwrap();
        let err = for_each_line(file, &path, |_, _| Ok(())).unwrap_err();
        assert!(
            err.message.contains(":1: a line longer than 64 KiB"),
            "{}",
            err.message
        );
    }
}
