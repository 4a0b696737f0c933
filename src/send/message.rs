//! One draft as the server will get it: the header fields as written, the
//! envelope read from them, and the few changes sending makes.
//!
//! The draft's bytes are kept as they are. Sending drops `X-Unsent` (the mark
//! that makes a mail client open the file as a draft), sets `Date` to the
//! time of sending, takes `Bcc` into the envelope only, and, with `--from`,
//! rewrites `From` for the account and keeps the member as `Reply-To`.

use sha2::{Digest, Sha256};

use super::files::{in_quotes, shown};
use crate::render::email::check_address;

/// A message split into its header fields and its body.
#[derive(Debug, Clone)]
pub struct Message {
    /// Each field with its folded lines, its name and its final CRLF.
    fields: Vec<Field>,
    /// Everything after the blank line that ends the header.
    body: Vec<u8>,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    raw: Vec<u8>,
}

impl Field {
    /// The value, unfolded, without the name and the colon.
    fn value(&self) -> String {
        let text = String::from_utf8_lossy(&self.raw);
        let value = text.split_once(':').map_or("", |(_, value)| value);
        value
            .split("\r\n")
            .collect::<Vec<_>>()
            .join("")
            .trim()
            .to_string()
    }
}

/// The sending account, when it is not the members' own: `--from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// What the message says it is sent via: "Leeds Branch", or the domain.
    pub name: String,
    pub address: String,
}

impl Account {
    /// `"Leeds Branch <branch@example.org>"` or `branch@example.org`: one
    /// mailbox, never a list of them (the server would be told one and the
    /// message another).
    pub fn parse(text: &str) -> Result<Account, String> {
        let text = text.trim();
        let mailboxes = address_list(text);
        if mailboxes.len() > 1 {
            return Err(format!(
                "--from {} holds {} addresses ({}): the account sends as one",
                in_quotes(text, 120),
                mailboxes.len(),
                shown(&mailboxes.join(", "), 120)
            ));
        }
        let (name, address) = match text.rfind('<') {
            Some(open) if text.ends_with('>') => {
                (text[..open].trim(), &text[open + 1..text.len() - 1])
            }
            _ => ("", text),
        };
        check_address(address).map_err(|reason| {
            format!(
                "--from {} is not an email address: {reason}",
                in_quotes(text, 120)
            )
        })?;
        if name.chars().any(char::is_control) {
            return Err("--from has a control character in its name".to_string());
        }
        // A name outside quotes is words only: an address or a bracket there is
        // a second mailbox written without its comma.
        let quoted_name = name.starts_with('"');
        let not_one = |what: &str| {
            format!(
                "--from {} is not one mailbox: its name {} {what}",
                in_quotes(text, 120),
                in_quotes(name, 80)
            )
        };
        if !quoted_name && name.contains(['<', '>', '@', ',', ';', ':', '"']) {
            return Err(not_one("holds an address or a bracket"));
        }
        let shown_name = match quoted_name {
            true => unquote(name).ok_or_else(|| not_one("is not one quoted string"))?,
            false => name.to_string(),
        };
        // As a mail client will show it: an encoded word is read as what it says.
        let shown_name = decode_words(&shown_name);
        if shown_name.contains(['<', '>', '@']) {
            return Err(not_one(&format!(
                "reads {}: it holds an address or a bracket",
                in_quotes(&shown_name, 80)
            )));
        }
        if shown_name.chars().any(char::is_control) {
            return Err("--from has a control character in its name".to_string());
        }
        let name = shown_name.trim();
        let name = if name.is_empty() {
            domain(address).to_string()
        } else {
            name.to_string()
        };
        Ok(Account {
            name,
            address: address.to_string(),
        })
    }
}

/// The text of one quoted string, `"a \"b\""`; none when the quotes close
/// before its end (two quoted strings, or one and more words).
fn unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next()?),
            '"' => return None,
            c => text.push(c),
        }
    }
    Some(text)
}

/// `name` with each RFC 2047 encoded word (`=?utf-8?q?...?=`, `?b?`) decoded,
/// as a mail client would show it; a word that does not decode stays as it is.
fn decode_words(name: &str) -> String {
    let decoded: Vec<(bool, String)> = name
        .split_whitespace()
        .map(|word| match decode_word(word) {
            Some(text) => (true, text),
            None => (false, word.to_string()),
        })
        .collect();
    let mut out = String::new();
    for (i, (encoded, text)) in decoded.iter().enumerate() {
        // Space between two encoded words is not part of the name.
        if i > 0 && !(*encoded && decoded[i - 1].0) {
            out.push(' ');
        }
        out.push_str(text);
    }
    out
}

fn decode_word(word: &str) -> Option<String> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let (_charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = match encoding {
        "q" | "Q" => {
            let mut bytes = Vec::with_capacity(text.len());
            let mut rest = text.as_bytes();
            while let Some((&b, after)) = rest.split_first() {
                rest = after;
                match b {
                    b'_' => bytes.push(b' '),
                    b'=' => {
                        let hex = std::str::from_utf8(rest.get(..2)?).ok()?;
                        bytes.push(u8::from_str_radix(hex, 16).ok()?);
                        rest = &rest[2..];
                    }
                    b => bytes.push(b),
                }
            }
            bytes
        }
        "b" | "B" => unbase64(text)?,
        _ => return None,
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes().take_while(|&c| c != b'=') {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6 | u32::from(value)) & 0x3fff;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    Some(bytes)
}

/// The part of an address after the `@`, lower-cased by the caller if needed.
pub fn domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, domain)| domain)
}

impl Message {
    /// Splits `bytes` at the end of the header. Bare LF line ends (an mbox,
    /// a hand-edited file) become CRLF, which SMTP requires.
    pub fn parse(bytes: &[u8]) -> Result<Message, String> {
        let bytes = crlf(bytes);
        let (head, body) = match find(&bytes, b"\r\n\r\n") {
            Some(end) => (&bytes[..end + 2], bytes[end + 4..].to_vec()),
            None => (&bytes[..], Vec::new()),
        };
        let mut fields: Vec<Field> = Vec::new();
        for line in head.split_inclusive(|&b| b == b'\n') {
            if line.starts_with(b" ") || line.starts_with(b"\t") {
                match fields.last_mut() {
                    Some(field) => field.raw.extend_from_slice(line),
                    None => return Err("it starts with a folded line, not a header".into()),
                }
                continue;
            }
            let colon = line.iter().position(|&b| b == b':');
            let name = colon.map(|c| &line[..c]).filter(|name| {
                !name.is_empty() && name.iter().all(|&b| b.is_ascii_graphic() && b != b':')
            });
            let Some(name) = name else {
                return Err(format!(
                    "its header has a line that is not a field: {}",
                    in_quotes(String::from_utf8_lossy(line).trim_end(), 60)
                ));
            };
            fields.push(Field {
                name: String::from_utf8_lossy(name).to_ascii_lowercase(),
                raw: line.to_vec(),
            });
        }
        if fields.is_empty() {
            return Err("it has no header".into());
        }
        Ok(Message { fields, body })
    }

    fn get(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|field| field.name == name)
            .map(Field::value)
    }

    /// The SHA-256 of the message as parsed, line ends made CRLF: the same
    /// for a draft in an .eml file and in an mbox.
    pub fn digest(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        for field in &self.fields {
            hash.update(&field.raw);
        }
        hash.update(b"\r\n");
        hash.update(&self.body);
        hash.finalize().into()
    }

    /// The `Message-ID` without its angle brackets.
    /// It keys the send log: one that no header line could hold, or with a
    /// control character in it, is refused rather than written there.
    pub fn message_id(&self) -> Result<Option<String>, String> {
        let Some(id) = self.get("message-id") else {
            return Ok(None);
        };
        let id = id.trim().trim_start_matches('<').trim_end_matches('>');
        if id.len() > 998 || id.chars().any(char::is_control) {
            return Err(format!(
                "its Message-ID <{}> is not one: longer than a header line, or with a control character",
                shown(id, 60)
            ));
        }
        Ok((!id.is_empty()).then(|| id.to_string()))
    }

    /// The address of `From`.
    pub fn from_address(&self) -> Result<String, String> {
        let value = self.get("from").ok_or("it has no From")?;
        match address_list(&value).as_slice() {
            [one] => {
                check_address(one)
                    .map_err(|reason| format!("its From {}: {reason}", shown(one, 80)))?;
                Ok(one.clone())
            }
            _ => Err(format!(
                "its From {} is not one address",
                in_quotes(&value, 120)
            )),
        }
    }

    /// Every address of `To`, `Cc` and `Bcc`, each once, in that order.
    pub fn recipients(&self) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::new();
        for field in self
            .fields
            .iter()
            .filter(|f| matches!(f.name.as_str(), "to" | "cc" | "bcc"))
        {
            for address in address_list(&field.value()) {
                check_address(&address).map_err(|reason| {
                    format!("its {} {}: {reason}", field.name, shown(&address, 80))
                })?;
                if !out.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
                    out.push(address);
                }
            }
        }
        if out.is_empty() {
            return Err("it has no recipient (To, Cc or Bcc)".into());
        }
        Ok(out)
    }

    /// The bytes to send: as written, except that `X-Unsent` and `Bcc` are
    /// left out, `Date` is `date`, and with an `account` the message is From
    /// "Member via Account <account>" with Reply-To the member.
    pub fn for_sending(&self, date: &str, account: Option<&Account>) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 2048);
        let has_reply_to = self.fields.iter().any(|f| f.name == "reply-to");
        if !self.fields.iter().any(|f| f.name == "date") {
            push_field(&mut out, "Date", date);
        }
        for field in &self.fields {
            match field.name.as_str() {
                "x-unsent" | "bcc" => {}
                "date" => push_field(&mut out, "Date", date),
                "from" if account.is_some() => {
                    let account = account.expect("matched");
                    let member = field.value();
                    push_field(&mut out, "From", &via(&member, account));
                    if !has_reply_to {
                        push_field(&mut out, "Reply-To", &member);
                    }
                }
                _ => out.extend_from_slice(&field.raw),
            }
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

fn push_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// `"Ann Lee" <ann@example.org>` sent through `account` becomes
/// `"Ann Lee" via Leeds Branch <branch@example.org>`: the member's display
/// name is kept as written (quoted or RFC 2047 encoded alike), and only the
/// words that follow it are new.
fn via(member: &str, account: &Account) -> String {
    let phrase = match member.rfind('<') {
        Some(open) => member[..open].trim().to_string(),
        None => String::new(),
    };
    let phrase = if phrase.is_empty() {
        // A bare address: an @ needs quotes in a display name.
        quoted(member.trim())
    } else {
        phrase
    };
    format!(
        "{phrase} {} <{}>",
        encode_phrase(&format!("via {}", account.name)),
        account.address
    )
}

/// A display name as RFC 5322 allows it: plain words when they are atoms,
/// a quoted string for other ASCII, an RFC 2047 encoded word otherwise.
fn encode_phrase(text: &str) -> String {
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~ ".contains(c);
    if text.chars().all(atext) {
        text.to_string()
    } else if text.is_ascii() {
        quoted(text)
    } else {
        format!("=?utf-8?b?{}?=", base64(text.as_bytes()))
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The addresses of an address-list header value: the part in angle brackets
/// of each comma-separated mailbox, or the mailbox itself. Commas inside
/// quoted display names, comments or brackets do not split.
fn address_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut quote, mut escape, mut comment, mut angle) = (false, false, 0u32, false);
    let mut start = 0;
    for (i, c) in value.char_indices() {
        if escape {
            escape = false;
            continue;
        }
        match c {
            '\\' if quote || comment > 0 => escape = true,
            '"' if comment == 0 => quote = !quote,
            '(' if !quote => comment += 1,
            ')' if !quote && comment > 0 => comment -= 1,
            '<' if !quote && comment == 0 => angle = true,
            '>' if !quote && comment == 0 => angle = false,
            ',' if !quote && comment == 0 && !angle => {
                items.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&value[start..]);
    items
        .into_iter()
        .filter_map(|item| {
            let item = item.trim();
            let address = match (item.rfind('<'), item.rfind('>')) {
                (Some(open), Some(close)) if open < close => &item[open + 1..close],
                _ => item.split('(').next().unwrap_or(item),
            };
            let address = address.trim();
            (!address.is_empty()).then(|| address.to_string())
        })
        .collect()
}

/// `bytes` with every bare LF made CRLF.
fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAFT: &str = "From: \"Lee, Ann\" <ann@example.org>\r\n\
        To: Embassy of Kazakhstan <info@kazembassy.example>\r\n\
        Cc: =?utf-8?q?M=C3=BCller?= <m@example.net>, \"a, b\" <ab@example.net>\r\n\
        Subject: Release\r\n the prisoners\r\n\
        Date: Mon, 30 Nov 2026 00:00:00 +0000\r\n\
        Message-ID: <abc@protest.invalid>\r\n\
        X-Unsent: 1\r\n\
        \r\n\
        .Body line\r\nFrom here\r\n";

    #[test]
    fn reads_the_envelope_from_the_header() {
        let message = Message::parse(DRAFT.as_bytes()).unwrap();
        assert_eq!(
            message.message_id().unwrap().as_deref(),
            Some("abc@protest.invalid")
        );
        assert_eq!(message.from_address().unwrap(), "ann@example.org");
        assert_eq!(
            message.recipients().unwrap(),
            ["info@kazembassy.example", "m@example.net", "ab@example.net"]
        );
    }

    #[test]
    fn sends_the_bytes_as_written_but_for_date_and_x_unsent() {
        let message = Message::parse(DRAFT.as_bytes()).unwrap();
        let sent =
            String::from_utf8(message.for_sending("Tue, 1 Dec 2026 10:00:00 +0000", None)).unwrap();
        let expected = DRAFT
            .replace("Mon, 30 Nov 2026 00:00:00", "Tue, 1 Dec 2026 10:00:00")
            .replace("X-Unsent: 1\r\n", "");
        assert_eq!(sent, expected);
    }

    #[test]
    fn lf_drafts_are_sent_with_crlf() {
        let lf = DRAFT.replace("\r\n", "\n");
        let message = Message::parse(lf.as_bytes()).unwrap();
        let sent = message.for_sending("D", None);
        assert!(!sent.windows(2).any(|w| w[0] != b'\r' && w[1] == b'\n'));
        assert!(sent.ends_with(b"From here\r\n"));
    }

    #[test]
    fn from_an_account_keeps_the_member_as_reply_to() {
        let message = Message::parse(DRAFT.as_bytes()).unwrap();
        let account = Account::parse("Leeds Branch <branch@example.org>").unwrap();
        let sent = String::from_utf8(message.for_sending("D", Some(&account))).unwrap();
        assert!(sent.starts_with(
            "From: \"Lee, Ann\" via Leeds Branch <branch@example.org>\r\n\
             Reply-To: \"Lee, Ann\" <ann@example.org>\r\n"
        ));
        let bare = Account::parse("branch@example.org").unwrap();
        assert_eq!(bare.name, "example.org");
        let sent = String::from_utf8(message.for_sending("D", Some(&bare))).unwrap();
        assert!(sent.starts_with("From: \"Lee, Ann\" \"via example.org\" <branch@example.org>\r\n"));
    }

    #[test]
    fn an_account_is_one_mailbox() {
        for two in [
            "Leeds Branch <branch@example.org>, Other <x@example.net>",
            "branch@example.org, x@example.net",
            "Leeds <branch@example.org> <x@example.net>",
            "branch@example.org x@example.net",
            "x@example.net <branch@example.org>",
        ] {
            assert!(Account::parse(two).is_err(), "{two}");
        }
        let err = Account::parse("A <a@example.org>, B <b@example.net>").unwrap_err();
        assert_eq!(
            err,
            "--from \"A <a@example.org>, B <b@example.net>\" holds 2 addresses \
             (a@example.org, b@example.net): the account sends as one"
        );
        let quoted = Account::parse("\"Unite, Leeds\" <branch@example.org>").unwrap();
        assert_eq!(
            (quoted.name.as_str(), quoted.address.as_str()),
            ("Unite, Leeds", "branch@example.org")
        );
    }

    #[test]
    fn the_same_message_has_one_digest_in_an_eml_and_an_mbox() {
        let crlf = Message::parse(DRAFT.as_bytes()).unwrap();
        let lf = Message::parse(DRAFT.replace("\r\n", "\n").as_bytes()).unwrap();
        assert_eq!(crlf.digest(), lf.digest());
        let other = Message::parse(DRAFT.replace("Body", "Other").as_bytes()).unwrap();
        assert_ne!(crlf.digest(), other.digest());
    }

    #[test]
    fn what_a_draft_says_is_cut_in_a_message() {
        let long = format!("{}\r\n\r\nbody", "x".repeat(8 << 20));
        let err = Message::parse(long.as_bytes()).unwrap_err();
        assert!(err.len() < 200, "{} bytes", err.len());
        let escape = Message::parse(b"\x1b[2Jhello\r\n\r\nbody").unwrap_err();
        assert!(escape.contains("\\x1b[2Jhello"), "{escape}");
    }

    #[test]
    fn encodes_what_is_not_an_atom() {
        assert_eq!(encode_phrase("via Leeds"), "via Leeds");
        assert_eq!(encode_phrase("via Unite, Leeds"), "\"via Unite, Leeds\"");
        assert_eq!(encode_phrase("via Ünite"), "=?utf-8?b?dmlhIMOcbml0ZQ==?=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn refuses_what_is_not_a_message() {
        assert!(Message::parse(b"hello world\r\n\r\nbody").is_err());
        assert!(Message::parse(b"").is_err());
        let no_rcpt = Message::parse(b"From: a@b.c\r\n\r\nx").unwrap();
        assert!(no_rcpt.recipients().is_err());
    }
}
