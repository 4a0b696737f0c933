//! Who a letter is from: the saved details, a sender file and the flags
//! over them; and the paragraph in the sender's own words.

use std::io::Read;
use std::path::Path;

use super::request::Request;
use crate::catalog::Sender;
use crate::error::{Error, Result};

/// The sender file, or the saved details, with the flags over it.
pub fn sender(request: &Request) -> Result<Sender> {
    let from_file = match &request.sender_file {
        Some(path) => Sender::from_file(path)?,
        None if request.no_profile => Sender::default(),
        None => saved_profile()?.unwrap_or_default(),
    };
    Ok(from_file.overlay(request.sender.clone()))
}

/// The saved details, the sender of every letter not given another: a
/// branch secretary saves them once in the guided mode and then only names
/// the letter. Said on stderr, so a letter is never signed by surprise.
fn saved_profile() -> Result<Option<Sender>> {
    // Without HOME there is nowhere a profile could have been saved.
    let Ok(path) = crate::profile::path() else {
        return Ok(None);
    };
    let profile = crate::profile::load(&path).map_err(|err| {
        let help = match &err.help {
            Some(help) => format!("{help}; or pass --no-profile to ignore the file"),
            None => "pass --no-profile to ignore the file".to_string(),
        };
        err.with_help(help)
    })?;
    if profile.is_some() {
        crate::notice::note(format_args!(
            "using your saved details from {} (--no-profile to ignore them)",
            path.display()
        ));
    }
    Ok(profile)
}

/// The personal paragraph, held to the length a CSV's `personal` cell may have.
pub fn personal(request: &Request) -> Result<Option<String>> {
    let limit = crate::batch::senders::MAX_PERSONAL;
    let (text, source) = match (&request.personal, &request.personal_file) {
        (Some(text), _) => (text.clone(), "--personal".to_string()),
        (None, Some(path)) => {
            let stdin = path == Path::new("-");
            let shown = match stdin {
                true => Path::new("<stdin>"),
                false => path.as_path(),
            };
            let input: Box<dyn Read> = match stdin {
                true => Box::new(std::io::stdin()),
                false => {
                    Box::new(std::fs::File::open(path).map_err(|err| Error::read(path, &err))?)
                }
            };
            // Never more than the longest paragraph can be, so that
            // `--personal-file /dev/zero` ends.
            let most = (limit * 4 + 1) as u64;
            let mut bytes = Vec::new();
            input
                .take(most)
                .read_to_end(&mut bytes)
                .map_err(|err| Error::read(shown, &err))?;
            let source = format!("--personal-file {}", shown.display());
            if bytes.len() as u64 == most {
                return Err(too_long(&source, None, limit));
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::data(format!("{source}: not valid UTF-8 text"))
                    .with_help("save the file as UTF-8 text")
            })?;
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            (text, source)
        }
        (None, None) => return Ok(None),
    };
    let length = text.trim().chars().count();
    if length > limit {
        return Err(too_long(&source, Some(length), limit));
    }
    Ok(Some(text))
}

fn too_long(source: &str, length: Option<usize>, limit: usize) -> Error {
    let length = match length {
        Some(length) => format!("is {length} characters long, more than"),
        None => "is longer than".to_string(),
    };
    Error::data(format!(
        "{source}: {length} the {limit} characters a letter can carry"
    ))
    .with_help("a personal paragraph is a few sentences in your own words")
}
