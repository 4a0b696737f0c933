//! The settings `send` acts on must be its user's alone, as ssh requires of
//! its own: a config file another user can write could point the letters
//! and the password at their server, and a `password_command` they can write
//! runs their code with the password in reach: every file the command names
//! (`sh ~/bin/pw`, `env $HOME/bin/pw`, `X=1 pw`) is checked, not only the
//! first word. And the command's answer is read within bounds: a password is
//! short, and comes within [`PASSWORD_WAIT`].

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};

/// More than any password; a command that prints more is stopped.
const MAX_PASSWORD_OUTPUT: usize = 4 << 10;
/// Time enough to type a passphrase into an agent's prompt; a command that
/// takes longer is stopped.
pub const PASSWORD_WAIT: Duration = Duration::from_secs(30);

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
    password_within(command, config_name, PASSWORD_WAIT)
}

fn password_within(command: &str, config_name: &str, wait: Duration) -> Result<String> {
    for file in files_of(command) {
        check_private(&file, "the password_command", "chmod 700")?;
    }
    let mut child = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|err| Error::usage(format!("password_command cannot run: {err}")))?;
    let stdout = child.stdout.take().expect("piped");
    // Read aside, so that a command that keeps its output open (or leaves
    // a child holding it) is waited for only so long.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut output = Vec::with_capacity(256);
        let read = stdout
            .take(MAX_PASSWORD_OUTPUT as u64 + 1)
            .read_to_end(&mut output);
        let _ = sender.send((output, read.is_ok()));
    });
    let Ok((output, read)) = receiver.recv_timeout(wait) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Error::new(
            ErrorKind::NoPerm,
            format!(
                "password_command did not finish within {} s: it was stopped, and nothing was sent",
                wait.as_secs_f64()
            ),
        )
        .with_help(format!(
            "check password_command under [smtp] in {config_name}: it should print the \
             password and end (a program it starts must not keep its output open)"
        )));
    };
    // The pipe is closed here: a command still printing ends on SIGPIPE.
    if output.len() > MAX_PASSWORD_OUTPUT || !read {
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

/// Every file the command names: each word (and each `NAME=value`'s value)
/// with `~/`, `$HOME` and `${HOME}` expanded, that is a path to a file, or a
/// command word found on PATH. Quoting is taken off, not interpreted: a
/// word may name a file the shell would not run, and is checked all the same.
fn files_of(command: &str) -> Vec<PathBuf> {
    let home = std::env::var("HOME").ok();
    let mut files = Vec::new();
    for word in command.split(|c: char| c.is_whitespace() || ";|&()<>`".contains(c)) {
        let word = word.replace(['"', '\''], "");
        let word = match word.split_once('=') {
            Some((name, value)) if is_name(name) => value.to_string(),
            _ => word,
        };
        let word = match &home {
            Some(home) => {
                let word = word.replace("${HOME}", home).replace("$HOME", home);
                match word.strip_prefix("~/") {
                    Some(rest) => format!("{home}/{rest}"),
                    None => word,
                }
            }
            None => word,
        };
        if word.is_empty() {
            continue;
        }
        let file = if word.contains('/') {
            Some(PathBuf::from(&word))
        } else {
            std::env::var_os("PATH").and_then(|path| {
                std::env::split_paths(&path)
                    .map(|dir| dir.join(&word))
                    .find(|path| path.is_file())
            })
        };
        if let Some(file) = file.filter(|f| f.is_file()) {
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    files
}

/// A shell variable's name.
fn is_name(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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
    fn every_file_the_command_names_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("pw");
        std::fs::write(&script, "").unwrap();
        let at = script.display().to_string();
        for command in [
            format!("{at} 'mail'"),
            format!("sh {at}"),
            format!("env \"{at}\""),
            format!("exec {at}"),
            format!("X=1 {at}"),
            format!("python3 {at} --x"),
            format!("true;{at}"),
        ] {
            assert!(files_of(&command).contains(&script), "{command}");
        }
        assert!(files_of("sh -c true").iter().any(|p| p.ends_with("sh")));
        assert!(files_of("no-such-program-anywhere /no/such/file").is_empty());
    }

    #[test]
    fn a_command_that_keeps_its_output_open_is_stopped() {
        let err =
            password_within("echo pw; exec sleep 5", "c", Duration::from_millis(300)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NoPerm);
        assert_eq!(
            err.message,
            "password_command did not finish within 0.3 s: it was stopped, and nothing was sent"
        );
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
