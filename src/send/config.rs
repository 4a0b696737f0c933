//! The `[smtp]` table of `~/.config/protest/config.toml`: the settings of
//! `protest send` that do not change from one mail-out to the next.
//!
//! ```toml
//! [smtp]
//! url = "smtp://smtp.example.org:587"
//! user = "branch@example.org"
//! from = "Leeds Branch <branch@example.org>"
//! rate = "20/min"
//! password_command = "pass show mail/branch"
//! ```
//!
//! Other tables and keys of the file belong to other commands and are left
//! alone. The password itself never lives here: `password_command` prints it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file name inside the `protest` configuration directory.
pub const FILE_NAME: &str = "config.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub url: Option<String>,
    pub user: Option<String>,
    pub from: Option<String>,
    pub rate: Option<String>,
    pub password_command: Option<String>,
}

/// Where the configuration file is, when the environment tells.
pub fn path() -> Option<PathBuf> {
    crate::profile::config_dir(&|name| std::env::var_os(name))
        .map(|dir| dir.join("protest").join(FILE_NAME))
}

/// The `[smtp]` table of the file at `path`; empty when there is no file or
/// no table.
pub fn load(path: &Path) -> Result<SmtpConfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(SmtpConfig::default()),
        Err(err) => return Err(Error::read(path, &err)),
    };
    parse(path, &text)
}

fn parse(path: &Path, text: &str) -> Result<SmtpConfig> {
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        smtp: Option<SmtpConfig>,
    }
    let file: File = toml::from_str(text).map_err(|err| {
        let line = err
            .span()
            .map(|span| text[..span.start].matches('\n').count() + 1);
        let at = match line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        };
        Error::data(format!("{at}: {}", err.message())).with_help(
            "the [smtp] keys are url, user, from, rate and password_command (see `protest send --help`)",
        )
    })?;
    Ok(file.smtp.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_smtp_table_and_leaves_the_rest() {
        let config = parse(
            Path::new("c.toml"),
            "data = \"/somewhere\"\n[smtp]\nurl = \"smtps://mail.example.org\"\nrate = \"10/min\"\n",
        )
        .unwrap();
        assert_eq!(config.url.as_deref(), Some("smtps://mail.example.org"));
        assert_eq!(config.rate.as_deref(), Some("10/min"));
        assert_eq!(
            parse(Path::new("c.toml"), "data = 1\n").unwrap(),
            SmtpConfig::default()
        );
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_line() {
        let err = parse(
            Path::new("c.toml"),
            "[smtp]\nurl = \"x\"\npasword = \"x\"\n",
        )
        .unwrap_err();
        assert!(
            err.message.starts_with("c.toml:3: unknown field `pasword`"),
            "{}",
            err.message
        );
    }
}
