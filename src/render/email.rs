//! Email drafts: one RFC 5322 message (`.eml`), an mboxrd mailbox of many,
//! or a `mailto:` link.
//!
//! Rendering never sends mail. It writes drafts that the sender opens in
//! their own mail client, reads, and sends from their own address (or hands
//! to `protest send` after reading them), so the embassy sees a letter from a
//! person rather than from a tool. That is why `From` must be the sender's
//! real address and why every draft carries `X-Unsent: 1`, which sending drops.
//!
//! # Opening a draft
//!
//! Not every client honours `X-Unsent: 1`:
//!
//! - **Outlook** (Windows and Mac) opens an `.eml` with `X-Unsent: 1` as an
//!   editable draft with a Send button.
//! - **Thunderbird** opens it as a received message: use
//!   *Message > Edit as New Message* (Ctrl+E) to get an editable copy.
//! - **Apple Mail** opens it as a received message: use
//!   *Message > Send Again* (Shift+Cmd+D).
//! - **mutt**: `mutt -H file.eml` starts a new message from the draft.
//!
//! Mailbox files (`.mbox`) hold many drafts at once: import them into
//! Thunderbird (ImportExportTools NG) or open them with `mutt -f file.mbox`,
//! then send each as above.
//!
//! # Determinism
//!
//! The same letter gives the same bytes: the `Date` is the letter's date at
//! midnight UTC, and the `Message-ID` and the MIME boundary are derived from a
//! SHA-256 of everything the message carries.
//!
//! # Header safety
//!
//! Every value that reaches a header is checked before anything is written:
//! a line break or any other control character (C0, DEL, C1) is an error that
//! names the field, never a silently altered header or an injected one.

use crate::compose::Letter;
use crate::error::{Error, Result};
use crate::render::text::render_body;
use crate::text::push_hex;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date as HeaderDate;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use mail_builder::MessageBuilder;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// `render_mailto` links longer than this may be cut short; the CLI warns.
///
/// No standard sets a limit (RFC 6068); the mail clients' own do. Reported:
/// - Thunderbird and Apple Mail take links of 2,097,132 characters and more
///   (https://stackoverflow.com/questions/13317429, 2015 tests);
/// - classic Outlook on Windows, started by the shell's mailto handler, took
///   a link of 31,888 characters and refused one character more: the
///   Windows command line (32,767) is the limit
///   (https://newbedev.com/effective-maximum-mailto-body-lengths);
/// - the 2,000-odd limits often quoted are Internet Explorer's URL length
///   (2,083, Microsoft KB 208427), and Chrome on Windows opening a link in
///   an external program (about 2,000, same page); Gmail in Firefox took
///   about 1,620 in 2013 (https://superruub.wordpress.com/2013/05/30/mailto-protocol-character-limit/).
///
/// Every shipped letter makes a link of 3,000 to 4,000 characters, which a
/// warning at 2,000 turned into noise on every run; the README says that a
/// link opened from a browser on Windows may be cut at 2,000.
pub const MAILTO_WARN_LEN: usize = 31_000;

/// The domain of generated `Message-ID`s: reserved (RFC 2606), so it can never
/// clash with a real host's ids.
const MESSAGE_ID_DOMAIN: &str = "protest.invalid";

/// What the command line adds to a letter's email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailOptions {
    /// Extra copies from `--cc`, on top of `letter.cc`: each `Name <addr>` or `addr`.
    pub cc: Vec<String>,
    /// `--attach-pdf`: the PDF rendering of the same letter.
    pub attachment_pdf: Option<Vec<u8>>,
}

/// A checked mailbox: the display name (if any) and the bare address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mailbox<'a> {
    name: Option<&'a str>,
    addr: &'a str,
}

impl<'a> Mailbox<'a> {
    /// The mailbox for a header, where a name's no-break spaces (set for
    /// the printed address block) are plain spaces.
    fn to_address(self) -> Address<'a> {
        Address::new_address(self.name.map(header_text), self.addr)
    }
}

/// One RFC 5322 message with `X-Unsent: 1`, ready to open as a draft.
///
/// `From` is the sender, `To` the mission's address (named after the first
/// line of the recipient block), `Cc` the address-like entries of
/// `letter.cc` followed by `opts.cc`. The body is
/// [`render_body`](crate::render::text::render_body) as UTF-8 `text/plain`;
/// with `opts.attachment_pdf` the message is `multipart/mixed` with the PDF
/// attached as `application/pdf`.
pub fn render_eml(letter: &Letter, opts: &EmailOptions) -> Result<Vec<u8>> {
    let (from, to, cc) = mailboxes(letter, opts)?;

    let body = crlf(&render_body(letter));
    let date = letter.date.unix_timestamp();
    let attachment_name = opts
        .attachment_pdf
        .as_ref()
        .map(|_| super::attachment::file_name(letter));

    // Everything the message carries goes into the hash, each piece prefixed by
    // its length so that no two different messages feed it the same bytes.
    let mut hasher = Sha256::new();
    let mut feed = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    for mailbox in std::iter::once(&from)
        .chain(std::iter::once(&to))
        .chain(&cc)
    {
        feed(header_text(mailbox.name.unwrap_or("")).as_bytes());
        feed(mailbox.addr.as_bytes());
    }
    feed(letter.subject.as_bytes());
    feed(&date.to_le_bytes());
    feed(body.as_bytes());
    if let (Some(pdf), Some(name)) = (&opts.attachment_pdf, &attachment_name) {
        feed(name.as_bytes());
        feed(pdf);
    }
    let digest = hasher.finalize();

    let mut message_id = String::with_capacity(32 + 1 + MESSAGE_ID_DOMAIN.len());
    push_hex(&mut message_id, &digest[..16]);
    message_id.push('@');
    message_id.push_str(MESSAGE_ID_DOMAIN);

    let mut builder = MessageBuilder::new()
        .from(from.to_address())
        .to(to.to_address());
    if !cc.is_empty() {
        builder = builder.cc(Address::new_list(
            cc.iter().map(|m| m.to_address()).collect(),
        ));
    }
    builder = builder
        .subject(Text::new(header_text(&letter.subject)))
        .date(HeaderDate::new(date))
        .message_id(MessageId::new(message_id))
        .header("X-Unsent", Raw::new("1"))
        .header("MIME-Version", Raw::new("1.0"));
    // RFC 3282: tells the reader's client (and a screen reader) the language.
    // Only a well-formed tag goes into a header.
    let tag = letter.language.as_str();
    if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        builder = builder.header("Content-Language", Raw::new(tag));
    }

    let text = MimePart::new("text/plain", BodyPart::Text(Cow::Owned(body)));
    builder = match (&opts.attachment_pdf, attachment_name) {
        (Some(pdf), Some(name)) => {
            // A fixed boundary keeps the bytes reproducible. It cannot occur in
            // the parts: base64 has no '-' and the text is part of the hash.
            let mut boundary = String::with_capacity(8 + 32);
            boundary.push_str("protest-");
            push_hex(&mut boundary, &digest[16..]);
            let pdf_part = MimePart::new("application/pdf", BodyPart::Binary(Cow::Borrowed(pdf)))
                .attachment(name);
            builder.body(MimePart::new(
                ContentType::new("multipart/mixed").attribute("boundary", boundary),
                vec![text, pdf_part],
            ))
        }
        _ => builder.body(text),
    };

    // `serialize` reserves its own estimate of the length up front.
    let mut out = Vec::new();
    builder.serialize(&mut out);
    Ok(out)
}

/// What [`render_eml`] refuses, found without writing the message: the
/// addresses and the subject are all that can be wrong with it, and a batch
/// checks every letter before it writes the first.
pub fn check_eml(letter: &Letter, opts: &EmailOptions) -> Result<()> {
    mailboxes(letter, opts).map(drop)
}

/// From, To and Cc of a letter's message, each checked, and its subject checked.
fn mailboxes<'a>(
    letter: &'a Letter,
    opts: &'a EmailOptions,
) -> Result<(Mailbox<'a>, Mailbox<'a>, Vec<Mailbox<'a>>)> {
    let from = sender_mailbox(letter)?;
    let to = recipient_mailbox(letter)?;
    check_header_value("subject", &letter.subject, "the letter template")?;
    let cc = cc_mailboxes(letter, opts, to.addr)?;
    Ok((from, to, cc))
}

/// Appends one message to an mboxrd mailbox: a `From ` separator line with
/// the sender's address (or `MAILER-DAEMON`) and the letter's date in
/// `asctime` form, the message with LF line ends and every line matching
/// `^>*From ` quoted with one more `>`, then a blank line.
pub fn append_mbox(mbox: &mut Vec<u8>, eml: &[u8], letter: &Letter) {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let envelope = match letter.sender.email.as_deref() {
        Some(email) if check_address(email).is_ok() && !email.chars().any(char::is_control) => {
            email
        }
        _ => "MAILER-DAEMON",
    };
    let date = letter.date;
    // Line ends only shrink (CRLF to LF); a quoted line grows by one byte.
    mbox.reserve(48 + envelope.len() + eml.len() + eml.len() / 64);
    std::io::Write::write_fmt(
        mbox,
        format_args!(
            "From {envelope} {} {} {:>2} 00:00:00 {:04}\n",
            DAYS[date.weekday() as usize],
            MONTHS[(date.month as usize).clamp(1, 12) - 1],
            date.day,
            date.year
        ),
    )
    .expect("writing to a Vec cannot fail");

    let mut rest = eml;
    while !rest.is_empty() {
        let (content, next) = match memchr::memchr(b'\n', rest) {
            Some(lf) => {
                let line = &rest[..lf];
                (
                    line.strip_suffix(b"\r").unwrap_or(line),
                    Some(&rest[lf + 1..]),
                )
            }
            None => (rest, None),
        };
        let gts = content.iter().take_while(|&&b| b == b'>').count();
        if content[gts..].starts_with(b"From ") {
            mbox.push(b'>');
        }
        mbox.extend_from_slice(content);
        match next {
            Some(next) => {
                mbox.push(b'\n');
                rest = next;
            }
            None => break,
        }
    }
    if !eml.ends_with(b"\n") {
        mbox.push(b'\n');
    }
    mbox.push(b'\n');
}

/// A `mailto:` link (RFC 6068) that opens the letter in the reader's mail
/// client: the mission's address, then `subject`, `cc` (bare addresses,
/// comma-separated) and `body`, each percent-encoded outside the unreserved
/// characters, line breaks as `%0D%0A`. The sender's address is not needed:
/// the client sends from its own account.
pub fn render_mailto(letter: &Letter, opts: &EmailOptions) -> Result<String> {
    let to = recipient_mailbox(letter)?;
    check_header_value("subject", &letter.subject, "the letter template")?;
    let cc = cc_mailboxes(letter, opts, to.addr)?;
    let body = render_body(letter);

    let mut url = String::with_capacity(32 + letter.subject.len() * 3 + body.len() * 3);
    url.push_str("mailto:");
    percent_encode(&mut url, to.addr, b"@");
    url.push_str("?subject=");
    percent_encode(&mut url, &header_text(&letter.subject), b"");
    if !cc.is_empty() {
        url.push_str("&cc=");
        for (i, mailbox) in cc.iter().enumerate() {
            if i > 0 {
                url.push_str("%2C");
            }
            percent_encode(&mut url, mailbox.addr, b"@");
        }
    }
    url.push_str("&body=");
    let mut lines = body.split('\n').peekable();
    while let Some(line) = lines.next() {
        percent_encode(&mut url, line.strip_suffix('\r').unwrap_or(line), b"");
        if lines.peek().is_some() {
            url.push_str("%0D%0A");
        }
    }
    Ok(url)
}

fn sender_mailbox(letter: &Letter) -> Result<Mailbox<'_>> {
    let source = "the sender file or the command line";
    check_header_value("sender name", &letter.sender.name, source)?;
    let Some(email) = letter.sender.email.as_deref() else {
        return Err(Error::data("the sender has no email address")
            .with_help("give one with --email ADDRESS or as `email` in the sender file"));
    };
    check_header_value("sender email", email, source)?;
    let addr = email.trim();
    check_address(addr).map_err(|reason| invalid_address("sender email", addr, reason, source))?;
    let name = letter.sender.name.trim();
    Ok(Mailbox {
        name: (!name.is_empty()).then_some(name),
        addr,
    })
}

/// What to do about a mission without an email address: post the letter,
/// where the directory knows where to.
pub fn no_email_help(mission_id: &str, has_postal_address: bool) -> String {
    if has_postal_address {
        format!(
            "post the letter instead (--format pdf or --format text); \
             `protest embassies show {mission_id}` gives the postal address"
        )
    } else {
        format!(
            "the directory has no postal address for it either: `protest embassies show \
             {mission_id}` names its official page where known; or write to another mission \
             with --to ID"
        )
    }
}

fn recipient_mailbox(letter: &Letter) -> Result<Mailbox<'_>> {
    let recipient = &letter.recipient;
    let Some(email) = recipient.email.as_deref() else {
        return Err(Error::data(format!(
            "{}: no email address in the directory",
            recipient.mission_id
        ))
        .with_help(no_email_help(
            &recipient.mission_id,
            !recipient.address_missing,
        )));
    };
    let source = "the embassy directory";
    let name = match &recipient.email_name {
        Some(name) => name.as_str(),
        None => recipient.lines.first().map(String::as_str).unwrap_or(""),
    };
    check_header_value("recipient name", name, source)?;
    check_header_value("recipient email", email, source)?;
    let addr = email.trim();
    check_address(addr)
        .map_err(|reason| invalid_address("recipient email", addr, reason, source))?;
    let name = name.trim();
    Ok(Mailbox {
        name: (!name.is_empty()).then_some(name),
        addr,
    })
}

/// The `Cc` list: the entries of `letter.cc` that look like addresses (plain
/// names such as "Amnesty International" stay in the body's cc line only),
/// then every `--cc` value, which must be an address. Duplicates, and copies
/// to the `To` address, are dropped.
fn cc_mailboxes<'a>(
    letter: &'a Letter,
    opts: &'a EmailOptions,
    to: &str,
) -> Result<Vec<Mailbox<'a>>> {
    let mut out: Vec<Mailbox<'a>> = Vec::with_capacity(letter.cc.len() + opts.cc.len());
    let entries = letter
        .cc
        .iter()
        .map(|e| (e, false))
        .chain(opts.cc.iter().map(|e| (e, true)));
    for (entry, from_option) in entries {
        let (kind, source) = if from_option {
            ("--cc value", "the --cc option")
        } else {
            ("cc entry", "the letter template or the sender file")
        };
        let field = || {
            let entry = entry.escape_debug().to_string();
            format!("{kind} {}", crate::text::quote(&entry).in_double_quotes())
        };
        check_header_value(&field(), entry, source)?;
        let Some(mailbox) = parse_cc(entry).map_err(|reason| {
            Error::data(format!("the {} is not an email address: {reason}", field())).with_help(
                format!("write it as `Name <address>` or `address` in {source}"),
            )
        })?
        else {
            if from_option {
                return Err(Error::data(format!(
                    "the {} is not an email address: it needs exactly one @",
                    field()
                ))
                .with_help("write it as `Name <address>` or `address`"));
            }
            continue;
        };
        let seen = |addr: &str| addr.eq_ignore_ascii_case(mailbox.addr);
        if !seen(to) && !out.iter().any(|m| seen(m.addr)) {
            out.push(mailbox);
        }
    }
    Ok(out)
}

/// Checks a `--cc` value before any letter is made. On a paper letter a copy
/// may go to a name alone ("cc: Amnesty International"); an email draft
/// sends its copies, so there each must be an address. Whatever the format,
/// something with an `@` is meant as an address and must be one.
pub fn check_cc_option(value: &str, email: bool) -> Result<()> {
    let escaped = value.escape_debug().to_string();
    let shown = format!("--cc {}", crate::text::quote(&escaped).in_double_quotes());
    if !crate::text::is_visible(value) || crate::text::first_forbidden(value, &[]).is_some() {
        let problem = if value.trim().is_empty() {
            "is empty"
        } else {
            "holds a control or invisible character"
        };
        return Err(Error::usage(format!("{shown} {problem}")).with_help(
            "give a name or an address, e.g. --cc \"Amnesty International <uk@amnesty.test>\"",
        ));
    }
    match parse_cc(value) {
        Ok(Some(_)) => Ok(()),
        Ok(None) if !email => Ok(()),
        Ok(None) => Err(Error::usage(format!(
            "{shown}: an email draft sends its copies, and this is a name without an address"
        ))
        .with_help(
            "write it as `Name <address>`, e.g. --cc \"Amnesty International <uk@amnesty.test>\"; \
             a name alone is for a paper letter (-f text or -f pdf)",
        )),
        Err(reason) => Err(
            Error::usage(format!("{shown} is not an email address: {reason}")).with_help(
                "write it as `Name <address>` or `address`, or a name alone on a paper letter",
            ),
        ),
    }
}

/// `Name <addr>`, `"Name" <addr>` or `addr`; `Ok(None)` for plain text that
/// is not meant as an address (no `@`).
fn parse_cc(entry: &str) -> Result<Option<Mailbox<'_>>, &'static str> {
    let entry = entry.trim();
    if !entry.contains('@') {
        return Ok(None);
    }
    if let Some(open) = entry.find('<') {
        let Some(inner) = entry[open + 1..].strip_suffix('>') else {
            return Err("the address in <> must come last");
        };
        check_address(inner)?;
        let name = entry[..open].trim();
        let name = name
            .strip_prefix('"')
            .and_then(|n| n.strip_suffix('"'))
            .unwrap_or(name)
            .trim();
        return Ok(Some(Mailbox {
            name: (!name.is_empty()).then_some(name),
            addr: inner,
        }));
    }
    check_address(entry)?;
    Ok(Some(Mailbox {
        name: None,
        addr: entry,
    }))
}

/// A minimal syntax check, enough to keep an address one address: one `@`,
/// something on either side, no spaces, none of the characters that delimit
/// addresses in a header, and ASCII only (a raw UTF-8 address would make an
/// 8-bit header that needs SMTPUTF8 all the way).
pub fn check_address(addr: &str) -> Result<(), &'static str> {
    if addr.is_empty() {
        return Err("it is empty");
    }
    // Nearly every address is plain: one pass tells, and only the others are
    // looked at again to say what is wrong with them.
    let plain = |b: u8| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'<' | b'>' | b',' | b';' | b'"' | b'(' | b')' | b'[' | b']' | b'\\' | b':'
            )
    };
    if !addr.bytes().all(plain) {
        if addr.chars().any(char::is_whitespace) {
            return Err("it contains a space");
        }
        if addr.contains(['<', '>']) {
            return Err("it contains < or >");
        }
        if addr.contains([',', ';', '"', '(', ')', '[', ']', '\\', ':']) {
            return Err("it contains one of , ; \" ( ) [ ] \\ :");
        }
        if !addr.is_ascii() {
            return Err(
                "it contains non-ASCII characters (write an internationalised domain in its xn-- form)",
            );
        }
    }
    match addr.split_once('@') {
        Some((local, domain)) if !domain.contains('@') => {
            if local.is_empty() {
                Err("nothing before the @")
            } else if domain.is_empty() {
                Err("nothing after the @")
            } else {
                Ok(())
            }
        }
        _ => Err("it needs exactly one @"),
    }
}

fn invalid_address(field: &str, addr: &str, reason: &str, source: &str) -> Error {
    let addr = addr.escape_debug().to_string();
    Error::data(format!(
        "the {field} {} is not an email address: {reason}",
        crate::text::quote(&addr).in_double_quotes()
    ))
    .with_help(format!("correct it in {source}"))
}

/// Rejects C0 controls (line breaks and tabs included), DEL and C1 controls
/// (U+0085 included) in a value that goes into a header. Format characters
/// such as U+2028 or bidi marks are not controls: mail-builder encodes them.
fn check_header_value(field: &str, value: &str, source: &str) -> Result<()> {
    match value.chars().find(|c| c.is_control()) {
        None => Ok(()),
        Some(c) => {
            let what = match c {
                '\n' | '\r' | '\u{85}' => "a line break",
                '\t' => "a tab",
                _ => "a control character",
            };
            Err(Error::data(format!(
                "the {field} contains {what} (U+{:04X}); a header cannot hold one",
                u32::from(c)
            ))
            .with_help(format!("remove it from {source}")))
        }
    }
}

/// Text for a header: the no-break spaces that keep a printed line
/// together are plain spaces there, where nothing is laid out.
fn header_text(text: &str) -> Cow<'_, str> {
    match text.contains('\u{a0}') {
        true => Cow::Owned(text.replace('\u{a0}', " ")),
        false => Cow::Borrowed(text),
    }
}

fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32 + 2);
    let mut rest = text;
    while let Some(lf) = memchr::memchr(b'\n', rest.as_bytes()) {
        let line = &rest[..lf];
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push_str("\r\n");
        rest = &rest[lf + 1..];
    }
    out.push_str(rest);
    out
}

/// Percent-encodes `value` into `out`, leaving RFC 3986 unreserved characters
/// and the bytes in `keep` as they are.
fn percent_encode(out: &mut String, value: &str, keep: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || keep.contains(&b)
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(check_address("a@b").is_ok());
        assert!(check_address("info@kazembassy.org.uk").is_ok());
        assert_eq!(check_address("a@@b"), Err("it needs exactly one @"));
        assert_eq!(check_address("ab"), Err("it needs exactly one @"));
        assert_eq!(check_address("@b"), Err("nothing before the @"));
        assert_eq!(check_address("a@"), Err("nothing after the @"));
        assert_eq!(check_address("a b@c"), Err("it contains a space"));
        assert_eq!(check_address("a\u{a0}b@c"), Err("it contains a space"));
        assert_eq!(check_address("<a@b>"), Err("it contains < or >"));
        assert!(check_address("a,b@c").is_err());
    }

    #[test]
    fn a_cc_option_is_an_address_on_a_draft_and_may_be_a_name_on_paper() {
        for value in [
            "uk@amnesty.test",
            "Amnesty International <uk@amnesty.test>",
            "\"Freedom, Now\" <f@n.test>",
        ] {
            assert_eq!(check_cc_option(value, true), Ok(()), "{value}");
            assert_eq!(check_cc_option(value, false), Ok(()), "{value}");
        }
        for name in ["Amnesty International", "Human Rights Watch", "Бюро"] {
            assert_eq!(check_cc_option(name, false), Ok(()), "{name}");
            let err = check_cc_option(name, true).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::Usage);
            assert!(
                err.message.ends_with("a name without an address"),
                "{}",
                err.message
            );
        }
        for (bad, reason) in [
            ("bob@", "nothing after the @"),
            ("@example.org", "nothing before the @"),
            ("a@b@c", "exactly one @"),
            ("Bob <bob@example.org", "must come last"),
            ("Bob <bob @example.org>", "contains a space"),
            ("bob@exämple.org", "non-ASCII"),
        ] {
            for email in [true, false] {
                let err = check_cc_option(bad, email).unwrap_err();
                assert!(err.message.contains("is not an email address"), "{bad}");
                assert!(err.message.contains(reason), "{bad}: {}", err.message);
            }
        }
        for blank in ["", "   ", "\u{200b}", "a\nBcc: x@y.test", "A\u{1b}[31m"] {
            for email in [true, false] {
                let err = check_cc_option(blank, email).unwrap_err();
                assert_eq!(err.kind, crate::error::ErrorKind::Usage, "{blank:?}");
                assert!(!err.message.contains('\n') && !err.message.contains('\u{1b}'));
            }
        }
    }

    #[test]
    fn the_quick_pass_judges_every_address_as_the_full_checks_do() {
        // The checks in their order, one after the other, without the quick
        // pass for plain addresses.
        fn reference(addr: &str) -> Result<(), &'static str> {
            if addr.is_empty() {
                return Err("it is empty");
            }
            if addr.chars().any(char::is_whitespace) {
                return Err("it contains a space");
            }
            if addr.contains(['<', '>']) {
                return Err("it contains < or >");
            }
            if addr.contains([',', ';', '"', '(', ')', '[', ']', '\\', ':']) {
                return Err("it contains one of , ; \" ( ) [ ] \\ :");
            }
            if !addr.is_ascii() {
                return Err(
                    "it contains non-ASCII characters (write an internationalised domain in its xn-- form)",
                );
            }
            match addr.split_once('@') {
                Some(("", domain)) if !domain.contains('@') => Err("nothing before the @"),
                Some((_, "")) => Err("nothing after the @"),
                Some((_, domain)) if !domain.contains('@') => Ok(()),
                _ => Err("it needs exactly one @"),
            }
        }
        let mut inserted: Vec<char> = (0u8..=127).map(char::from).collect();
        inserted.extend(['\u{a0}', '\u{2028}', '\u{85}', 'é', 'ә']);
        for base in ["ab@cd", "a@b@c", "@", "a@", "@b", "ab", ""] {
            for c in &inserted {
                for at in 0..=base.len() {
                    let addr = format!("{}{c}{}", &base[..at], &base[at..]);
                    assert_eq!(check_address(&addr), reference(&addr), "{addr:?}");
                }
            }
        }
    }

    #[test]
    fn cc_entries() {
        assert_eq!(
            parse_cc("Amnesty International <uk@amnesty.test>"),
            Ok(Some(Mailbox {
                name: Some("Amnesty International"),
                addr: "uk@amnesty.test"
            }))
        );
        assert_eq!(
            parse_cc(" \"Freedom, Now\" <f@n.test> "),
            Ok(Some(Mailbox {
                name: Some("Freedom, Now"),
                addr: "f@n.test"
            }))
        );
        assert_eq!(
            parse_cc("x@y.test"),
            Ok(Some(Mailbox {
                name: None,
                addr: "x@y.test"
            }))
        );
        assert_eq!(parse_cc("Human Rights Watch"), Ok(None));
        assert!(parse_cc("Name <x@y.test> trailing").is_err());
        assert!(parse_cc("Name <x@@y.test>").is_err());
        assert_eq!(parse_cc("Friends <of> Kazakhstan"), Ok(None));
        assert!(check_address("әлия@example.test").is_err());
    }

    #[test]
    fn control_characters() {
        for (c, what) in [
            ('\n', "a line break (U+000A)"),
            ('\r', "a line break (U+000D)"),
            ('\u{85}', "a line break (U+0085)"),
            ('\t', "a tab (U+0009)"),
            ('\0', "a control character (U+0000)"),
            ('\u{7f}', "a control character (U+007F)"),
            ('\u{9b}', "a control character (U+009B)"),
        ] {
            let err = check_header_value("subject", &format!("a{c}b"), "x").unwrap_err();
            assert_eq!(
                err.message,
                format!("the subject contains {what}; a header cannot hold one")
            );
        }
        for ok in [
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{202e}b",
            "a\u{200f}b",
            "Әлия Қасымова",
        ] {
            assert!(check_header_value("subject", ok, "x").is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn percent_encoding() {
        let mut out = String::new();
        percent_encode(&mut out, "a b&c=d?é~", b"");
        assert_eq!(out, "a%20b%26c%3Dd%3F%C3%A9~");
    }

    #[test]
    fn line_ends() {
        assert_eq!(crlf("a\nb\r\n\nc"), "a\r\nb\r\n\r\nc");
        assert_eq!(crlf("\n\r\r\n"), "\r\n\r\r\n");
        assert_eq!(crlf(""), "");
        let long = format!("{}\n{}\r\n", "é".repeat(40), "x".repeat(99));
        assert_eq!(
            crlf(&long),
            long.replace("\r\n", "\n").replace('\n', "\r\n")
        );
    }
}
