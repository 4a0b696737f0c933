//! The settings `send` acts on must be its user's alone, as ssh requires of
//! its own: a config file another user can write could point the letters
//! and the password at their server, and a `password_command` they can write
//! runs their code with the password in reach. And the command's answer is
//! read within bounds: a password is short.

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, ErrorKind, Result};

/// More than any password; a command that prints more is stopped.
const MAX_PASSWORD_OUTPUT: usize = 4 << 10;

/// Refuses the config file at `path` when another user may change it.
pub fn check_config(path: &Path) -> Result<()> {
    check_private(path, "the config file", "chmod 600")
}

/// Refuses a file that someone other than its user (or root) owns or may
/// write, or that is no file to read (a FIFO would be waited on for ever).
fn check_private(path: &Path, what: &str, fix: &str) -> Result<()> {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(());
    };
    if !metadata.is_file() {
        return Err(Error::usage(format!(
            "{}: {what} is not a regular file (a FIFO, a device or a directory): it is not read",
            path.display()
        ))
        .with_help("make it a file of its own, or move it away; nothing was sent"));
    }
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    let problem = if metadata.uid() != me && metadata.uid() != 0 {
        "belongs to another user"
    } else if metadata.mode() & 0o022 != 0 {
        "is writable by other users"
    } else {
        return Ok(());
    };
    Err(Error::new(
        ErrorKind::NoPerm,
        format!(
            "{}: {what} {problem}, who could send your letters and password to a server of \
             theirs: it is not used",
            path.display()
        ),
    )
    .with_help(format!(
        "make it yours alone: {fix} {} (as ssh requires of its config); nothing was sent",
        path.display()
    )))
}

/// Runs `password_command` (with `sh -c`) and returns the password it prints.
pub fn password_from(command: &str, config_name: &str) -> Result<String> {
    if let Some(program) = program_of(command) {
        check_private(&program, "the password_command", "chmod 700")?;
    }
    let mut child = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|err| Error::usage(format!("password_command cannot run: {err}")))?;
    let mut output = Vec::with_capacity(256);
    let read = child
        .stdout
        .take()
        .expect("piped")
        .take(MAX_PASSWORD_OUTPUT as u64 + 1)
        .read_to_end(&mut output);
    // The pipe is closed here: a command still printing ends on SIGPIPE.
    if output.len() > MAX_PASSWORD_OUTPUT || read.is_err() {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Error::usage(format!(
            "password_command printed more than {} KiB: a password is a line; it was stopped, \
             and nothing was sent",
            MAX_PASSWORD_OUTPUT >> 10
        ))
        .with_help(format!(
            "check password_command under [smtp] in {config_name}: it should print the password alone"
        )));
    }
    let status = child
        .wait()
        .map_err(|err| Error::usage(format!("password_command cannot run: {err}")))?;
    if !status.success() {
        return Err(Error::usage(format!(
            "password_command failed ({status}); nothing was sent"
        ))
        .with_help(format!(
            "check password_command under [smtp] in {config_name}"
        )));
    }
    let text = String::from_utf8(output)
        .map_err(|_| Error::usage("password_command printed something that is not UTF-8"))?;
    let password = text.strip_suffix('\n').unwrap_or(&text);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err(Error::usage("password_command printed no password"));
    }
    Ok(password.to_string())
}

/// The file the command's first word runs: a path as written (`~/` is the
/// home directory), or found on PATH; none for a word the shell itself knows.
fn program_of(command: &str) -> Option<PathBuf> {
    let word = command.split_whitespace().next()?;
    let word = word.trim_matches(|c| c == '"' || c == '\'');
    if let Some(rest) = word.strip_prefix("~/") {
        return Some(PathBuf::from(std::env::var_os("HOME")?).join(rest));
    }
    if word.contains('/') {
        return Some(PathBuf::from(word));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(word))
        .find(|path| path.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_file_others_may_write_is_refused_and_the_fix_named() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "").unwrap();
        for (mode, refused) in [(0o600, false), (0o644, false), (0o664, true), (0o666, true)] {
            std::fs::set_permissions(&config, std::fs::Permissions::from_mode(mode)).unwrap();
            match check_config(&config) {
                Ok(()) => assert!(!refused, "{mode:o}"),
                Err(err) => {
                    assert!(refused, "{mode:o}");
                    assert_eq!(err.kind, ErrorKind::NoPerm);
                    assert!(err.message.starts_with(&format!(
                        "{}: the config file is writable by other users",
                        config.display()
                    )));
                    assert!(err
                        .help
                        .unwrap()
                        .contains(&format!("chmod 600 {}", config.display())));
                }
            }
        }
    }

    #[test]
    fn the_first_word_of_the_command_is_the_program() {
        assert_eq!(
            program_of("/opt/pw/get 'mail'"),
            Some(PathBuf::from("/opt/pw/get"))
        );
        assert_eq!(program_of("\"./get\" x"), Some(PathBuf::from("./get")));
        assert!(program_of("sh -c true").is_some_and(|p| p.ends_with("sh")));
        assert_eq!(program_of("no-such-program-anywhere"), None);
    }

    #[test]
    fn a_command_that_never_stops_printing_is_stopped() {
        let err = password_from("yes", "config.toml").unwrap_err();
        assert!(
            err.message
                .starts_with("password_command printed more than 4 KiB"),
            "{}",
            err.message
        );
        assert_eq!(password_from("printf 'pw\\n'", "c").unwrap(), "pw");
    }
}
