//! The saved sender profile: the user's details, kept so the next letter
//! takes seconds.
//!
//! The profile is an ordinary sender file (the TOML of `--sender FILE`, see
//! [`Sender`]) at a fixed place in the user's configuration directory, so
//! `protest write LETTER --sender PATH` uses it as it is. It is written only
//! when the user asks, readable only by them (0600), and atomically.
//!
//! Privacy: a sender with ties to the campaign's state may sign with initials and town
//! only, as human-rights organisations advise. The profile then *stores*
//! only what such a letter carries — the initials as `name`, the town (also
//! as the one address line, so the letter shows it) and the country — and no
//! flag says so: what is not on disk cannot leak, and anything that reads
//! sender files reads it unchanged.

use std::path::{Path, PathBuf};

use crate::catalog::Sender;
use crate::error::{Error, ErrorKind, Result};
use crate::output;

/// The file name inside the `protest` configuration directory.
pub const FILE_NAME: &str = "profile.toml";

/// Where the profile lives: `$XDG_CONFIG_HOME/protest/profile.toml`, else
/// `~/.config/protest/profile.toml` (on macOS without `XDG_CONFIG_HOME`,
/// `~/Library/Application Support/protest/profile.toml`; on Windows,
/// `%APPDATA%\protest\profile.toml`).
pub fn path() -> Result<PathBuf> {
    config_dir(&|name| std::env::var_os(name))
        .map(|dir| dir.join("protest").join(FILE_NAME))
        .ok_or_else(|| {
            Error::usage("cannot tell where to keep the profile: HOME is not set").with_help(
                "set HOME or XDG_CONFIG_HOME, or keep your details in a file and pass --sender FILE",
            )
        })
}

/// The configuration directory, from the environment `var` gives.
pub(crate) fn config_dir(var: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if cfg!(windows) {
        return absolute("APPDATA");
    }
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    if let Some(dir) = absolute("XDG_CONFIG_HOME") {
        return Some(dir);
    }
    let home = absolute("HOME")?;
    Some(if cfg!(target_os = "macos") {
        home.join("Library/Application Support")
    } else {
        home.join(".config")
    })
}

/// The saved profile, or `None` when there is none.
pub fn load(path: &Path) -> Result<Option<Sender>> {
    match Sender::from_file(path) {
        Ok(sender) => Ok(Some(sender)),
        Err(err) if err.kind == ErrorKind::NoInput && !path.exists() => Ok(None),
        Err(err) => Err(err),
    }
}

/// Saves `sender` at `path`: readable only by the user, never half-written.
pub fn save(path: &Path, sender: &Sender) -> Result<()> {
    output::write_private(path, to_toml(sender).as_bytes()).map(|_| ())
}

/// Deletes the profile; false when there was none.
pub fn delete(path: &Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(Error::write(path, &err)),
    }
}

/// The profile as a sender file, with a comment that says what it is.
pub fn to_toml(sender: &Sender) -> String {
    let mut out = String::from(
        "# Your details for protest letters, saved by `protest profile` or the guided mode.\n\
         # `protest write` uses them unless given --sender FILE or --no-profile.\n\
         # The format of a --sender file (see examples/sender.toml); only name is required.\n",
    );
    push_field(&mut out, "name", Some(&sender.name));
    push_field(&mut out, "role", sender.role.as_deref());
    push_field(&mut out, "org", sender.org.as_deref());
    if !sender.address.is_empty() {
        let lines: Vec<String> = sender.address.iter().map(|l| toml_string(l)).collect();
        out.push_str(&format!("address = [{}]\n", lines.join(", ")));
    }
    push_field(&mut out, "town", sender.town.as_deref());
    push_field(&mut out, "postcode", sender.postcode.as_deref());
    push_field(&mut out, "country", sender.country.as_deref());
    push_field(&mut out, "email", sender.email.as_deref());
    push_field(&mut out, "phone", sender.phone.as_deref());
    out
}

fn push_field(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        out.push_str(&format!("{key} = {}\n", toml_string(value)));
    }
}

/// A TOML basic string: quoted, with backslash, quote and control characters escaped.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The initials of a name, as a letter is signed in the privacy mode:
/// "Jane Smith" is "J. S.", "Anne-Marie O'Neil" is "A. O.".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when `name` is only initials ("J. S.", "J.S."): a profile in the privacy mode.
pub fn is_initials(name: &str) -> bool {
    let mut any = false;
    for word in name.split_whitespace() {
        let mut chars = word.chars().peekable();
        while let Some(c) = chars.next() {
            if !c.is_alphabetic() || chars.next() != Some('.') {
                return false;
            }
            any = true;
        }
    }
    any
}

/// What a letter signed with initials and town only carries: the initials,
/// the town as the only line of the address (so that every letter shows it
/// under the initials), and the country, which picks the embassy. Everything
/// else is dropped, so it is neither printed nor stored.
pub fn initials_only(sender: &Sender) -> Sender {
    let town = sender.town.clone().filter(|t| !t.trim().is_empty());
    Sender {
        name: initials(&sender.name),
        address: town.iter().cloned().collect(),
        town,
        country: sender.country.clone(),
        ..Sender::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn follows_xdg_and_falls_back_to_dot_config() {
        let dir = |vars| config_dir(&env(vars));
        assert_eq!(
            dir(&[("XDG_CONFIG_HOME", "/x/cfg"), ("HOME", "/home/a")]),
            Some(PathBuf::from("/x/cfg"))
        );
        assert_eq!(
            dir(&[("HOME", "/home/a")]),
            Some(PathBuf::from("/home/a/.config"))
        );
        // A relative XDG_CONFIG_HOME is invalid, and so ignored.
        assert_eq!(
            dir(&[("XDG_CONFIG_HOME", "cfg"), ("HOME", "/home/a")]),
            Some(PathBuf::from("/home/a/.config"))
        );
        assert_eq!(dir(&[]), None);
    }

    #[test]
    fn writes_a_sender_file_that_reads_back_the_same() {
        let sender = Sender {
            name: "Ann \"Nan\" Lee".into(),
            role: Some("Branch Secretary".into()),
            org: Some("Unite\\Leeds".into()),
            address: vec!["1 High St".into(), "Leeds LS1 1AA".into()],
            town: Some("Leeds".into()),
            country: Some("GB".into()),
            email: Some("ann@example.org".into()),
            postcode: Some("LS1 1AA".into()),
            phone: None,
        };
        let text = to_toml(&sender);
        let back: Sender = toml::from_str(&text).unwrap();
        assert_eq!(back, sender);
        assert!(!text.contains("phone"), "{text}");
    }

    #[test]
    fn initials_sign_without_a_name() {
        assert_eq!(initials("Jane Smith"), "J. S.");
        assert_eq!(initials("anne-marie o'neil"), "A. O.");
        assert_eq!(initials("Жанна Ким"), "Ж. К.");
        assert_eq!(initials("J. S."), "J. S.");
        assert!(is_initials("J. S.") && is_initials("J.S.") && is_initials("Ж."));
        assert!(!is_initials("Jane Smith") && !is_initials("J S") && !is_initials(""));
        let full = Sender {
            name: "Jane Smith".into(),
            org: Some("Branch".into()),
            address: vec!["1 High St".into()],
            town: Some("Leeds".into()),
            country: Some("GB".into()),
            email: Some("j@example.org".into()),
            ..Sender::default()
        };
        assert_eq!(
            initials_only(&full),
            Sender {
                name: "J. S.".into(),
                address: vec!["Leeds".into()],
                town: Some("Leeds".into()),
                country: Some("GB".into()),
                ..Sender::default()
            }
        );
    }
}
