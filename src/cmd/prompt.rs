//! What the guided mode and `protest profile` share: the terminal check,
//! prompts that turn Esc and Ctrl-C into a clean cancel, and the questions
//! about the sender.

use std::io::IsTerminal;

use dialoguer::console::{style, Term};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};
use unicode_width::UnicodeWidthStr;

use super::search::{self, Keys};
use crate::catalog::{Catalog, Sender};
use crate::error::{Error, ErrorKind, Result};
use crate::profile;
use crate::text::first_forbidden;

/// True when someone can answer questions: standard input and standard
/// error (where the prompts are drawn) are both terminals.
pub fn is_interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The error for a question asked where nobody can answer it.
pub fn needs_terminal(what: &str, instead: &str) -> Error {
    Error::usage(format!("protest needs a terminal for {what}")).with_help(instead.to_string())
}

/// Esc, Ctrl-C or "no" to the last question: exit 130, nothing written.
pub fn cancelled() -> Error {
    Error::new(ErrorKind::Cancelled, "cancelled: nothing was written")
}

/// Asks questions on standard error.
pub struct Prompter {
    theme: ColorfulTheme,
    term: Term,
}

impl Prompter {
    /// Also makes Ctrl-C leave the terminal as it was (see [`interrupt`]).
    pub fn new() -> Prompter {
        interrupt::install();
        Prompter {
            theme: ColorfulTheme::default(),
            term: Term::stderr(),
        }
    }

    /// A line of explanation between questions.
    pub fn say(&self, text: &str) {
        let _ = self.term.write_line(text);
    }

    /// How to answer the next question, dimmed.
    pub fn hint(&self, text: &str) {
        self.say(&style(text).dim().to_string());
    }

    /// A note the user should not miss (a missing address, say).
    pub fn note(&self, text: &str) {
        self.say(&format!("{} {text}", style("note:").yellow().bold()));
    }

    /// The width to fit list items in, so that none wraps (which would
    /// confuse the redrawing of the list).
    pub fn width(&self) -> usize {
        usize::from(self.term.size().1).saturating_sub(4).max(20)
    }

    pub fn confirm(&self, prompt: &str, default: bool) -> Result<bool> {
        let answer = Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(terminal_error)?;
        // On Esc the library leaves the question drawn as answered (✔).
        answer.ok_or_else(|| self.cancelled_at(prompt, 1))
    }

    pub fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(terminal_error)?
            .ok_or_else(|| self.cancelled_at(prompt, 0))
    }

    /// A list to search by typing; `items` are cut to the terminal's width.
    /// What the user plainly names (an id, a title, a name in `keys`) ranks first.
    pub fn search(
        &self,
        prompt: &str,
        items: &[String],
        keys: &[Keys],
        default: usize,
    ) -> Result<usize> {
        let width = self.width();
        let shown: Vec<String> = items.iter().map(|item| fit(item, width)).collect();
        search::interact(&self.term, &self.theme, prompt, &shown, keys, default)
            .map_err(|err| terminal_error(dialoguer::Error::IO(err)))?
            .ok_or_else(|| self.cancelled_at(prompt, 0))
    }

    /// Esc at `prompt`: shown as cancelled (in place of the `drawn` lines the
    /// question left), not as answered; then the cancel itself.
    fn cancelled_at(&self, prompt: &str, drawn: usize) -> Error {
        let _ = self.term.clear_last_lines(drawn);
        self.say(&format!(
            "{} {prompt} {}",
            style("✘").red(),
            style("· cancelled").dim()
        ));
        cancelled()
    }

    /// Ticks: at least one item must stay ticked.
    pub fn choose_some(
        &self,
        prompt: &str,
        items: &[String],
        ticked: &[bool],
    ) -> Result<Vec<usize>> {
        loop {
            let chosen = MultiSelect::with_theme(&self.theme)
                .with_prompt(prompt)
                .items(items)
                .defaults(ticked)
                .interact_on_opt(&self.term)
                .map_err(terminal_error)?
                .ok_or_else(|| self.cancelled_at(prompt, 0))?;
            if !chosen.is_empty() {
                return Ok(chosen);
            }
            self.note("tick at least one (Space ticks, Enter goes on)");
        }
    }

    /// A line of text, pre-filled with `initial` for the user to keep or
    /// change. Empty is allowed unless `required`; `check` may refuse a value.
    pub fn text(
        &self,
        prompt: &str,
        initial: &str,
        required: bool,
        check: impl Fn(&str) -> std::result::Result<(), String>,
    ) -> Result<String> {
        let value: String = Input::with_theme(&self.theme)
            .with_prompt(prompt)
            .with_initial_text(initial)
            .allow_empty(!required)
            .validate_with(|value: &String| -> std::result::Result<(), String> {
                if let Some(c) = first_forbidden(value, &[]) {
                    return Err(format!("remove the invisible character U+{:04X}", c as u32));
                }
                check(value.trim())
            })
            .interact_text_on(&self.term)
            .map_err(terminal_error)?;
        Ok(value.trim().to_string())
    }
}

/// Cuts `item` to `width` columns, ending with "…" where it was cut.
fn fit(item: &str, width: usize) -> String {
    if item.width() <= width {
        return item.to_string();
    }
    let mut out = String::new();
    for c in item.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// A prompt failed: an interrupted read is the user's Ctrl-C.
fn terminal_error(err: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(err) = err;
    let _ = Term::stderr().show_cursor();
    if err.kind() == std::io::ErrorKind::Interrupted {
        return cancelled();
    }
    Error::new(ErrorKind::Io, format!("the terminal: {err}"))
}

/// Asks for the sender's details, starting from `current` (the saved profile,
/// or empty). The privacy mode keeps only the initials, the town and the
/// country, and so does what it returns.
pub fn ask_sender(p: &Prompter, catalog: &Catalog, current: &Sender) -> Result<Sender> {
    let modes = [
        "With my name and details".to_string(),
        format!("With initials and town only ({})", catalog.campaign.privacy),
    ];
    let private = p.select(
        "How do you want to sign?",
        &modes,
        usize::from(profile::is_initials(&current.name)),
    )? == 1;
    let opt = |value: String| Some(value).filter(|v| !v.is_empty());
    let none = |_: &str| Ok(());
    p.hint("Press Enter on an empty answer to leave a detail out.");
    if private {
        p.hint("Only the initials of your name go on the letter, and only they are kept.");
        let name = p.text(
            "Your name",
            &current.name,
            true,
            |v| match profile::initials(v).is_empty() {
                true => Err("a name needs at least one letter".into()),
                false => Ok(()),
            },
        )?;
        p.say(&format!("  You will sign as {}", profile::initials(&name)));
        let town = p.text("Town", current.town.as_deref().unwrap_or(""), false, none)?;
        let country = ask_country(p, catalog, current)?;
        return Ok(profile::initials_only(&Sender {
            name,
            town: opt(town),
            country,
            ..Sender::default()
        }));
    }
    let name = p.text("Your name", &current.name, true, none)?;
    let org = p.text(
        "Organisation, e.g. a union branch",
        current.org.as_deref().unwrap_or(""),
        false,
        none,
    )?;
    let role = match org.is_empty() {
        true => String::new(),
        false => p.text(
            "Your role in it, e.g. Branch Secretary",
            current.role.as_deref().unwrap_or(""),
            false,
            none,
        )?,
    };
    let mut address = Vec::new();
    loop {
        let n = address.len() + 1;
        let prompt = match n {
            1 => "Postal address, line 1".to_string(),
            _ => format!("Address, line {n} (empty when done)"),
        };
        let initial = current.address.get(n - 1).map_or("", String::as_str);
        let line = p.text(&prompt, initial, false, none)?;
        if line.is_empty() {
            break;
        }
        address.push(line);
    }
    let town = p.text("Town", current.town.as_deref().unwrap_or(""), false, none)?;
    let country = ask_country(p, catalog, current)?;
    let email = p.text(
        "Email (for an email draft)",
        current.email.as_deref().unwrap_or(""),
        false,
        // The drafts' own check: an address taken here is never refused later,
        // after other formats have already been written.
        |v| match v.is_empty() {
            true => Ok(()),
            false => crate::render::email::check_address(v)
                .map_err(|why| format!("an email address looks like name@example.org ({why})")),
        },
    )?;
    let phone = p.text("Phone", current.phone.as_deref().unwrap_or(""), false, none)?;
    Ok(Sender {
        name,
        role: opt(role),
        org: opt(org),
        address,
        town: opt(town),
        // Not asked, so kept as the sender file had it.
        postcode: current.postcode.clone(),
        country,
        email: opt(email),
        phone: opt(phone),
    })
}

/// The sender's country, as its ISO code: it picks the embassy to write to.
fn ask_country(p: &Prompter, catalog: &Catalog, current: &Sender) -> Result<Option<String>> {
    let initial = current
        .country
        .as_deref()
        .map(|c| match catalog.country_code(c) {
            Ok(code) => catalog.countries.name(&code).unwrap_or(c).to_string(),
            Err(_) => c.to_string(),
        })
        .unwrap_or_default();
    let country = p.text(
        "Country, e.g. GB or United Kingdom (picks the embassy)",
        &initial,
        false,
        |v| match v.is_empty() {
            true => Ok(()),
            false => catalog
                .country_code(v)
                .map(|_| ())
                .map_err(|err| match err.help {
                    Some(help) => format!("{}; {help}", err.message),
                    None => err.message,
                }),
        },
    )?;
    match country.is_empty() {
        true => Ok(None),
        false => catalog.country_code(&country).map(Some),
    }
}

/// The sender's details, one per line, as the user gave them.
pub fn describe_sender(catalog: &Catalog, sender: &Sender) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        if !value.trim().is_empty() {
            out.push_str(&format!("  {label:<13}{value}\n"));
        }
    };
    let get = |value: &Option<String>| value.clone().unwrap_or_default();
    line("Name", &sender.name);
    line("Role", &get(&sender.role));
    line("Organisation", &get(&sender.org));
    if sender.address != sender.town.iter().cloned().collect::<Vec<_>>() {
        line("Address", &sender.address.join(", "));
    }
    line("Town", &get(&sender.town));
    let country = sender
        .country
        .as_deref()
        .map(|c| match catalog.country_code(c) {
            Ok(code) => format!("{} ({code})", catalog.countries.name(&code).unwrap_or(c)),
            Err(_) => c.to_string(),
        });
    line("Country", &country.unwrap_or_default());
    line("Email", &get(&sender.email));
    line("Phone", &get(&sender.phone));
    if profile::is_initials(&sender.name) {
        out.push_str("  (signed with initials and town only)\n");
    }
    out
}

/// Ctrl-C at a prompt. The terminal library hides the cursor while a list is
/// shown and, on Ctrl-C, puts the terminal back in its normal mode and raises
/// SIGINT, whose default action would end the process with the cursor still
/// hidden. The handler shows the cursor and exits with 130 — except while
/// files are being written, when it only notes the interrupt so that the
/// write completes: nothing is ever left half-written.
pub mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    static WRITING: AtomicBool = AtomicBool::new(false);
    static WRITTEN: AtomicBool = AtomicBool::new(false);
    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    /// Runs `write` with Ctrl-C held back; true if Ctrl-C was pressed meanwhile.
    pub fn hold<T>(write: impl FnOnce() -> T) -> (T, bool) {
        WRITING.store(true, Ordering::SeqCst);
        let value = write();
        WRITTEN.store(true, Ordering::SeqCst);
        WRITING.store(false, Ordering::SeqCst);
        (value, INTERRUPTED.swap(false, Ordering::SeqCst))
    }

    #[cfg(unix)]
    pub(super) fn install() {
        extern "C" fn on_interrupt(_: libc::c_int) {
            if WRITING.load(Ordering::SeqCst) {
                INTERRUPTED.store(true, Ordering::SeqCst);
                return;
            }
            // Only async-signal-safe calls here: atomics, write(2) and _exit(2).
            let message: &[u8] = match WRITTEN.load(Ordering::SeqCst) {
                false => b"\x1b[?25h\ncancelled: nothing was written\n",
                true => b"\x1b[?25h\ncancelled: nothing more was written\n",
            };
            unsafe {
                libc::write(2, message.as_ptr().cast(), message.len());
                libc::_exit(130);
            }
        }
        // SAFETY: a zeroed sigaction is valid; the handler is async-signal-safe.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
        }
    }

    /// Elsewhere the terminal library reports Ctrl-C as an interrupted read.
    #[cfg(not(unix))]
    pub(super) fn install() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_items_to_the_width() {
        assert_eq!(fit("short", 20), "short");
        assert_eq!(fit("Free all political prisoners", 12), "Free all po…");
        assert_eq!(fit("Жанболат Мамай", 9), "Жанболат…");
    }
}
