//! The guided mode and `protest profile` as a person meets them: the real
//! binary in a pseudo-terminal, driven key by key. Every wait is bounded, so
//! a prompt that never comes fails the test instead of hanging it.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{ControlCode, Eof, Expect, Session};
use mail_parser::MessageParser;

use common::{protest, run};

/// 2017-05-01, so that no test depends on the wall clock (and the letters
/// the tests choose were true on it).
const EPOCH: &str = "1493596800";
const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const ESC: &str = "\x1b";

/// A scratch home: `config` holds the profile, `out` is where the wizard runs.
struct Home {
    _dir: tempfile::TempDir,
    config: PathBuf,
    out: PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let out = dir.path().join("out");
        fs::create_dir_all(&out).unwrap();
        Home {
            config,
            out,
            _dir: dir,
        }
    }

    fn profile(&self) -> PathBuf {
        self.config.join("protest/profile.toml")
    }

    /// `protest ARGS` in a 100×40 pseudo-terminal, in `out`.
    fn spawn(&self, args: &[&str]) -> Wizard {
        self.spawn_on(EPOCH, args)
    }

    /// [`Home::spawn`] on another day (`SOURCE_DATE_EPOCH`).
    fn spawn_on(&self, epoch: &str, args: &[&str]) -> Wizard {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_protest"));
        cmd.args(args)
            .current_dir(&self.out)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("HOME", self._dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE");
        let mut session = Session::spawn(cmd).expect("protest starts in a pseudo-terminal");
        session.get_process_mut().set_window_size(100, 40).unwrap();
        session.set_expect_timeout(Some(Duration::from_secs(10)));
        Wizard {
            session,
            seen: String::new(),
        }
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

struct Wizard {
    session: OsSession,
    /// Everything the program printed so far, for failure messages.
    seen: String,
}

impl Wizard {
    /// Waits (10 s at most) for `text` on the screen.
    fn expect(&mut self, text: &str) -> &mut Wizard {
        match self.session.expect(text) {
            Ok(found) => {
                self.seen.push_str(&String::from_utf8_lossy(found.before()));
                self.seen.push_str(text);
            }
            Err(err) => panic!(
                "waited for {text:?}: {err}\n--- the screen so far ---\n{}",
                self.seen
            ),
        }
        self
    }

    fn send(&mut self, keys: &str) -> &mut Wizard {
        self.session.send(keys).unwrap();
        self
    }

    /// Waits for the prompt `text`, then types `keys`.
    fn answer(&mut self, text: &str, keys: &str) -> &mut Wizard {
        self.expect(text).send(keys)
    }

    /// Waits for the prompt `text`, then types `line` and Enter.
    fn type_line(&mut self, text: &str, line: &str) -> &mut Wizard {
        self.expect(text).send(line).send(ENTER)
    }

    /// Reads to the end of the output, then returns the exit code.
    fn exit_code(&mut self) -> i32 {
        match self.session.expect(Eof) {
            Ok(found) => {
                self.seen.push_str(&String::from_utf8_lossy(found.before()));
                self.seen
                    .push_str(&String::from_utf8_lossy(found.as_bytes()));
            }
            Err(err) => panic!("the program did not end: {err}\n{}", self.seen),
        }
        match self.session.get_process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            other => panic!(
                "the program did not exit normally: {other:?}\n{}",
                self.seen
            ),
        }
    }
}

/// The sender questions of a new user who signs with their full details.
fn new_sender(w: &mut Wizard) {
    w.answer("How do you want to sign?", ENTER)
        .type_line("Your name", "Ann Lee")
        .type_line("Organisation", "Unite Leeds Branch")
        .type_line("Your role in it", "Branch Secretary")
        .type_line("Postal address, line 1", "1 High Street")
        .type_line("Address, line 2", "Leeds LS1 1AA")
        .type_line("Address, line 3", "")
        .type_line("Town", "Leeds")
        .type_line("Country", "United Kingdom")
        .type_line("Email", "ann@example.org")
        .type_line("Phone", "");
}

#[test]
fn the_guided_mode_offers_only_the_letters_current_today() {
    let home = Home::new();
    let letters = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/timeline");
    // 2026-11-30: of the fixture letters, only these two fit the facts.
    let mut w = home.spawn_on("1795996800", &["--letters", letters.to_str().unwrap()]);
    // The list is longer than the screen: the fixture letters are found by searching for the
    // word every one of their titles has, so that each offered one is on the screen.
    w.expect("Which letter?")
        .send("Person")
        .expect("Lift the restrictions on Limited Person")
        .expect("Justice for Late Person")
        .send(&"\u{7f}".repeat("Person".len()))
        .send("Zhanaozen")
        .expect("Zhanaozen, 16 December 2011")
        .send(ESC);
    assert_eq!(w.exit_code(), 130);
    for archived in ["Free Freed Person", "Free Late Person", "Free Max Bokayev"] {
        assert!(
            !w.seen.contains(archived),
            "{archived} offered:\n{}",
            w.seen
        );
    }
}

#[test]
fn the_guided_mode_writes_a_pdf_and_an_email_draft_and_shows_the_command() {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send("Zhanbolat");
    w.answer("Free journalist Zhanbolat Mamai", ENTER)
        .expect("Zhanbolat Mamai: detained");
    new_sender(&mut w);
    // The embassy in the sender's country comes first, and is chosen with Enter.
    w.expect("Which embassy?")
        .answer("United Kingdom · London · Embassy (gb-london)", ENTER)
        .answer("Add a paragraph of your own?", "y")
        .type_line(
            "Your paragraph",
            "As a nurse in Leeds I ask you to free him.",
        )
        .type_line("Another paragraph", "")
        // The preview is the whole letter, with the paragraph and the signature.
        .expect("As a nurse in Leeds I ask you to free him.")
        .expect("Yours sincerely,")
        .expect("Ann Lee\r\nBranch Secretary\r\nUnite Leeds Branch")
        .answer("Is the letter right?", ENTER)
        // PDF and email draft are ticked; plain text is not.
        .expect("Which files?")
        .answer("Email draft, to open in your mail program", ENTER)
        .answer("Folder to save in", ENTER)
        .answer("Write mamai-gb-london.pdf and mamai-gb-london.eml?", "y")
        .expect("Written: mamai-gb-london.pdf")
        .expect("Written: mamai-gb-london.eml")
        .answer("Save these details for next time?", "y")
        .expect("The same, without the questions, next time:")
        .expect("protest write mamai --to gb-london --sender ~/config/protest/profile.toml")
        .expect("--format eml -o mamai-gb-london.eml");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);

    assert_eq!(home.files(), ["mamai-gb-london.eml", "mamai-gb-london.pdf"]);
    let eml = fs::read(home.out.join("mamai-gb-london.eml")).unwrap();
    let message = MessageParser::default()
        .parse(&eml)
        .expect("the draft parses");
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Ann Lee"));
    assert_eq!(from.address(), Some("ann@example.org"));
    assert!(message.subject().unwrap().contains("Zhanbolat Mamai"));
    let body = message.body_text(0).unwrap();
    assert!(
        body.contains("As a nurse in Leeds I ask you to free him."),
        "{body}"
    );

    let pdf = std::process::Command::new("pdftotext")
        .arg(home.out.join("mamai-gb-london.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&pdf.stdout);
    assert!(text.contains("Ann Lee"), "{text}");
    assert!(text.contains("1 May 2017"), "{text}");

    // The details were saved, privately, as a sender file.
    let profile = home.profile();
    let saved = fs::read_to_string(&profile).unwrap();
    for line in [
        "name = \"Ann Lee\"",
        "address = [\"1 High Street\", \"Leeds LS1 1AA\"]",
        "country = \"GB\"",
        "email = \"ann@example.org\"",
    ] {
        assert!(saved.contains(line), "{saved}");
    }
    let mode = fs::metadata(&profile).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // The command it printed makes the same draft, byte for byte.
    let again = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest()
        .current_dir(again.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["write", "mamai", "--to", "gb-london", "--sender"])
        .arg(&profile)
        .args(["--personal", "As a nurse in Leeds I ask you to free him."])
        .args(["--format", "eml", "-o", "mamai-gb-london.eml"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read(again.path().join("mamai-gb-london.eml")).unwrap(),
        eml
    );
}

#[test]
fn a_saved_profile_makes_the_next_letter_a_few_keys() {
    let home = Home::new();
    fs::create_dir_all(home.profile().parent().unwrap()).unwrap();
    // Saved by the privacy mode: initials and town only.
    fs::write(
        home.profile(),
        "name = \"A. L.\"\naddress = [\"Leeds\"]\ntown = \"Leeds\"\ncountry = \"GB\"\n",
    )
    .unwrap();
    let mut w = home.spawn(&["wizard"]);
    w.expect("Which letter?").send("Talgat");
    w.answer("Free Max Bokayev and Talgat Ayanov", ENTER)
        .expect("Your saved details:")
        .expect("(signed with initials and town only)")
        .answer("Sign the letter with these details?", "y")
        .answer("United Kingdom · London", ENTER)
        .answer("Add a paragraph of your own?", "n")
        .answer("Is the letter right?", ENTER)
        // No email address of the sender's: no email draft to offer.
        .expect("no email draft: you gave no email address")
        // Untick the PDF, tick plain text.
        .answer("Which files?", " ")
        .send(DOWN)
        .send(" ")
        .send(ENTER)
        .answer("Folder to save in", "letters")
        .send(ENTER)
        .answer("Write letters/bokayev-ayanov-gb-london.txt?", "y")
        .expect("Written: letters/bokayev-ayanov-gb-london.txt")
        .expect("--sender ~/config/protest/profile.toml -o letters/bokayev-ayanov-gb-london.txt");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);
    assert!(!w.seen.contains("Save these details"), "{}", w.seen);
    let text = fs::read_to_string(home.out.join("letters/bokayev-ayanov-gb-london.txt")).unwrap();
    // The initials hold together (a no-break space), as in every line.
    assert!(text.starts_with("A.\u{a0}L.\nLeeds\n\n"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("Yours sincerely,\n\n\n\nA.\u{a0}L."),
        "{text}"
    );
    assert!(text.contains("Max Bokayev"), "{text}");
}

#[test]
fn profile_edit_saves_initials_and_town_only() {
    let home = Home::new();
    let mut w = home.spawn(&["profile", "edit"]);
    w.answer("How do you want to sign?", DOWN)
        .send(ENTER)
        .type_line("Your name", "Ann Lee")
        .expect("You will sign as A. L.")
        .type_line("Town", "Leeds")
        .type_line("Country", "Untied Kingdom")
        .expect("did you mean `United Kingdom`?");
    // Asked again, the code will do.
    w.type_line("Country", "GB");
    w.answer("Save these details in", "y").expect("Saved");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);
    let saved = fs::read_to_string(home.profile()).unwrap();
    let data: Vec<&str> = saved.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        data,
        [
            "name = \"A. L.\"",
            "address = [\"Leeds\"]",
            "town = \"Leeds\"",
            "country = \"GB\""
        ]
    );
    let mode = fs::metadata(home.profile()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // Shown, and found, without a terminal.
    let (code, out, err) = run(protest()
        .env("XDG_CONFIG_HOME", &home.config)
        .args(["profile", "show"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("A. L.") && out.contains("(signed with initials and town only)"),
        "{out}"
    );
    let (code, out, _) = run(protest()
        .env("XDG_CONFIG_HOME", &home.config)
        .args(["profile", "--path"]));
    assert_eq!((code, out.trim()), (0, home.profile().to_str().unwrap()));
}

#[test]
fn profile_edit_starts_from_the_saved_details() {
    let home = Home::new();
    fs::create_dir_all(home.profile().parent().unwrap()).unwrap();
    fs::write(
        home.profile(),
        "name = \"Ann Lee\"\norg = \"Unite\"\naddress = [\"1 High Street\"]\ntown = \"Leeds\"\ncountry = \"GB\"\n",
    )
    .unwrap();
    let mut w = home.spawn(&["profile"]);
    assert_eq!(w.exit_code(), 0, "`protest profile` shows: {}", w.seen);
    assert!(w.seen.contains("Organisation Unite"), "{}", w.seen);

    let mut w = home.spawn(&["profile", "edit"]);
    // Enter keeps each saved value; only the email is new.
    w.answer("How do you want to sign?", ENTER)
        .answer("Your name", ENTER)
        .answer("Organisation", ENTER)
        .answer("Your role in it", ENTER)
        .answer("Postal address, line 1", ENTER)
        .answer("Address, line 2", ENTER)
        .answer("Town", ENTER)
        .answer("Country", ENTER)
        .type_line("Email", "ann@example.org")
        .answer("Phone", ENTER)
        .answer("Save these details in", "y");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);
    let saved: protest::catalog::Sender =
        toml::from_str(&fs::read_to_string(home.profile()).unwrap()).unwrap();
    assert_eq!(saved.name, "Ann Lee");
    assert_eq!(saved.org.as_deref(), Some("Unite"));
    assert_eq!(saved.address, ["1 High Street"]);
    assert_eq!(saved.country.as_deref(), Some("GB"));
    assert_eq!(saved.email.as_deref(), Some("ann@example.org"));
}

#[test]
fn profile_delete_asks_first() {
    let home = Home::new();
    fs::create_dir_all(home.profile().parent().unwrap()).unwrap();
    fs::write(home.profile(), "name = \"Ann Lee\"\n").unwrap();
    let mut w = home.spawn(&["profile", "delete"]);
    w.answer("Delete ", "n");
    assert_eq!(w.exit_code(), 130, "{}", w.seen);
    assert!(home.profile().exists());
    let mut w = home.spawn(&["profile", "delete"]);
    w.answer("Delete ", "y").expect("deleted");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);
    assert!(!home.profile().exists());
}

/// True when the last thing done to the cursor was to show it.
/// What every cancel leaves: exit 130, the cursor shown again, the notice,
/// no letter and no saved profile.
fn assert_cancelled_cleanly(w: &mut Wizard, home: &Home) {
    assert_eq!(w.exit_code(), 130, "{}", w.seen);
    assert!(
        cursor_shown(&w.seen),
        "the cursor is shown again: {:?}",
        w.seen
    );
    assert!(
        w.seen.contains("cancelled: nothing was written"),
        "{}",
        w.seen
    );
    assert!(home.files().is_empty(), "{:?}", home.files());
    assert!(!home.config.exists(), "nothing is saved");
}

fn cursor_shown(screen: &str) -> bool {
    screen.rfind("\x1b[?25h") > screen.rfind("\x1b[?25l")
}

#[test]
fn ctrl_c_half_way_exits_130_with_the_cursor_shown_and_nothing_written() {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send("Zhanbolat");
    w.answer("Free journalist", ENTER);
    new_sender(&mut w);
    // Ctrl-C while the list of embassies (which hides the cursor) is shown.
    w.expect("Which embassy?").expect("gb-london");
    w.session.send(ControlCode::EndOfText).unwrap();
    assert_cancelled_cleanly(&mut w, &home);
    assert!(w.seen.contains("\x1b[?25l"), "the list hid the cursor");
}

#[test]
fn esc_after_the_preview_exits_130_and_nothing_is_written() {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send("Talgat");
    w.answer("Free Max Bokayev", ENTER);
    new_sender(&mut w);
    w.answer("Which embassy?", ENTER)
        .answer("Add a paragraph of your own?", "n")
        .expect("Yours sincerely,")
        .expect("Is the letter right?")
        .answer("Choose another letter", ESC);
    assert_cancelled_cleanly(&mut w, &home);
}

#[test]
fn without_a_terminal_it_never_asks() {
    let home = Home::new();
    let no_terminal = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_protest"))
            .args(args)
            .current_dir(&home.out)
            .env("XDG_CONFIG_HOME", &home.config)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, out, _) = no_terminal(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Run `protest` alone in a terminal for the guided mode"),
        "{out}"
    );
    for args in [&[][..], &["wizard"]] {
        let (code, out, err) = no_terminal(args);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("protest needs a terminal for the guided mode"),
            "{err}"
        );
        assert!(
            err.contains("protest write LETTER --to ID --name NAME"),
            "{err}"
        );
    }
    let (code, _, err) = no_terminal(&["profile", "edit"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = no_terminal(&["profile"]);
    assert_eq!(code, 66, "{err}");
    assert!(err.contains("no details are saved"), "{err}");
    assert!(home.files().is_empty());
    assert!(!Path::new(&home.config).exists());
}

#[test]
fn a_letter_in_several_languages_asks_which_and_the_command_names_it() {
    let home = Home::new();
    let letters = common::fixture("russian-letters");
    let mut w = home.spawn(&["--letters", letters.to_str().unwrap(), "wizard"]);
    w.expect("Which letter?").send("Asel");
    w.answer("also in Kazakh, Russian", ENTER)
        .expect("In which language?")
        .expect("English (en-GB)")
        .expect("Kazakh (kk)")
        .expect("not yet checked by a native speaker")
        .answer("Russian (ru)", DOWN)
        .send(DOWN)
        .send(ENTER);
    new_sender(&mut w);
    w.answer("United Kingdom · London · Embassy (gb-london)", ENTER)
        .answer("Add a paragraph of your own?", "n")
        // SOURCE_DATE_EPOCH is a day in May.
        .expect("\u{a0}мая 201")
        .expect("Ваше Превосходительство!")
        .expect("Асель Нурланова")
        .expect("С уважением,")
        .answer("Is the letter right?", ENTER)
        .answer("Which files?", ENTER)
        .answer("Folder to save in", ENTER)
        .answer(
            "Write three-prisoners-gb-london.pdf and three-prisoners-gb-london.eml?",
            "y",
        )
        .answer("Save these details for next time?", "n")
        .expect("protest write three-prisoners --to gb-london --lang ru");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);
    let eml = fs::read(home.out.join("three-prisoners-gb-london.eml")).unwrap();
    let message = MessageParser::default().parse(&eml).unwrap();
    assert_eq!(
        message.header_raw("Content-Language").map(str::trim),
        Some("ru")
    );
    assert!(message.body_text(0).unwrap().contains("Ерлан Калиев"));
}

/// The letters the guided mode offers on the tests' date: (id, title, names).
fn offered_letters() -> Vec<(String, String, Vec<String>)> {
    let (code, out, err) = run(protest()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["letters", "--json"]));
    assert_eq!(code, 0, "{err}");
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    all["letters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["current"].as_bool() != Some(false))
        .map(|l| {
            let names = l["prisoner_names"].as_array().unwrap();
            (
                l["letter"].as_str().unwrap().to_string(),
                l["title"].as_str().unwrap().to_string(),
                names
                    .iter()
                    .map(|n| n.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

/// Types `typed` at "Which letter?", then Enter at once: the title chosen.
fn letter_chosen_by(typed: &str) -> String {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send(typed);
    // The list redraws after each key: wait for the last one's frame.
    w.expect(&format!("Which letter? › {typed}")).send(ENTER);
    w.expect("Which letter? · ");
    w.expect("\r\n");
    let chosen = w.seen.rsplit("Which letter? · ").next().unwrap();
    let chosen = chosen.trim_end().split(" · ").next().unwrap().to_string();
    w.expect("How do you want to sign?").send(ESC);
    assert_cancelled_cleanly(&mut w, &home);
    chosen
}

#[test]
fn typing_a_letters_id_or_its_persons_surname_chooses_that_letter() {
    // A letter whose id begins with the surname of someone it names is that
    // person's own letter: typing the surname, in full or its first six
    // letters, in any case, must choose it over a letter naming everyone.
    let letters = offered_letters();
    let mut own = Vec::new();
    for (id, title, names) in &letters {
        let first_word = id.split('-').next().unwrap();
        let surname = names
            .iter()
            .filter_map(|n| n.rsplit(' ').next())
            .find(|s| s.to_lowercase() == first_word);
        if let Some(surname) = surname {
            own.push((id.clone(), title.clone(), surname.to_string()));
        }
    }
    assert!(
        own.len() >= 2,
        "the data has letters of a person's own: {letters:?}"
    );
    // ... and the same people are named by other letters, so the ranking is put to the test.
    assert!(own.iter().any(|(id, _, surname)| letters.iter().any(
        |(other, _, names)| other != id && names.iter().any(|n| n.ends_with(surname.as_str()))
    )));
    for (id, title, surname) in &own {
        let prefix: String = surname.chars().take(6).collect();
        for typed in [
            surname.clone(),
            surname.to_uppercase(),
            prefix.to_lowercase(),
            id.clone(),
        ] {
            assert_eq!(&letter_chosen_by(&typed), title, "typed {typed:?}");
        }
    }
}

#[test]
fn no_to_the_last_question_goes_back_to_the_letter() {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send("mamai");
    w.answer("Free journalist Zhanbolat Mamai", ENTER);
    new_sender(&mut w);
    w.answer("Which embassy?", ENTER)
        .answer("Add a paragraph of your own?", "n")
        .answer("Is the letter right?", ENTER)
        .answer("Which files?", ENTER)
        .answer("Folder to save in", ENTER)
        .answer("Write mamai-gb-london.pdf", "n")
        .expect("Nothing was written.")
        // Back at the letter, to change it: another embassy.
        .expect("The letter:")
        .answer("Is the letter right?", DOWN)
        .send(DOWN)
        .send(DOWN)
        .send(ENTER)
        .expect("Which embassy?")
        .send("berlin")
        .answer("Germany · Berlin", ENTER)
        .answer("Is the letter right?", ENTER)
        .answer("Which files?", ENTER)
        .answer("Folder to save in", ENTER)
        .answer("Write mamai-de-berlin.pdf", "y")
        .expect("Written: mamai-de-berlin.pdf")
        .answer("Save these details for next time?", "n");
    assert_eq!(w.exit_code(), 0, "{}", w.seen);
    let files = home.files();
    assert!(
        files.contains(&"mamai-de-berlin.pdf".to_string()),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.contains("gb-london")), "{files:?}");
}

#[test]
fn esc_shows_the_question_as_cancelled_not_answered() {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send("mamai");
    w.answer("Free journalist Zhanbolat Mamai", ENTER);
    new_sender(&mut w);
    w.answer("Which embassy?", ENTER)
        .answer("Add a paragraph of your own?", ESC);
    assert_cancelled_cleanly(&mut w, &home);
    let mark = w
        .seen
        .rfind("✘ Add a paragraph of your own? · cancelled")
        .unwrap_or_else(|| panic!("not shown as cancelled: {}", w.seen));
    assert!(!w.seen[mark..].contains('✔'), "{}", w.seen);
}

#[test]
fn the_embassy_list_spells_a_consulate_general_as_the_letters_do() {
    let home = Home::new();
    let mut w = home.spawn(&[]);
    w.expect("Which letter?").send("mamai");
    w.answer("Free journalist Zhanbolat Mamai", ENTER);
    new_sender(&mut w);
    w.answer("Which embassy?", "sydney")
        .expect("Australia · Sydney · Consulate General (au-sydney)")
        .send(ESC);
    assert_eq!(w.exit_code(), 130, "{}", w.seen);
}
