//! Email renderers, checked with real mail parsers: the `mail-parser` crate
//! and Python's `email` / `mailbox` packages.

use common::python;
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{MessageParser, MimeHeaders};
use protest::compose::{Block, Letter, RecipientBlock, SenderBlock};
use protest::date::Date;
use protest::error::ErrorKind;
use protest::render::email::*;
use protest::render::text::render_body;

mod common;

fn letter() -> Letter {
    Letter {
        template_id: "mamay".into(),
        language: "kk".into(),
        sender: SenderBlock {
            name: "Әлия Қасымова".into(),
            lines: vec!["Almaty".into()],
            email: Some("aliya@example.test".into()),
            phone: None,
            return_line: "Ә. Қасымова, Almaty".into(),
        },
        date: Date::parse("2016-05-26").unwrap(),
        date_text: "2016 жылғы 26 мамыр".into(),
        place: None,
        recipient: RecipientBlock {
            mission_id: "gb-london".into(),
            country: "GB".into(),
            lines: vec![
                "Қазақстан Республикасының Елшісі".into(),
                "Embassy of the Republic of Kazakhstan".into(),
                "125 Pall Mall".into(),
                "London SW1Y 5EA".into(),
            ],
            email: Some("london@mfa.kz.test".into()),
            email_name: None,
            address_missing: false,
        },
        subject: "Жанболат Мамай бостандыққа шығарылсын".into(),
        salutation: "Құрметті Елші мырза,".into(),
        body: vec![
            Block::Paragraph(
                "Мен журналист Жанболат Мамайды дереу және сөзсіз босатуды талап етемін. \
                 He was sentenced for his reporting; this letter asks for his release."
                    .into(),
            ),
            Block::List(vec!["Жанболат Мамай".into(), "Әлия Қасымова".into()]),
        ],
        closing: "Құрметпен,".into(),
        signature: vec!["Әлия Қасымова".into()],
        cc: vec![
            "Amnesty International <uk@amnesty.test>".into(),
            "Human Rights Watch".into(),
        ],
    }
}

/// An all-ASCII letter, so the body goes out as 7bit and "From " lines stay literal.
fn ascii_letter(i: usize) -> Letter {
    let mut l = letter();
    l.sender.name = "Alice Activist".into();
    l.recipient.lines[0] = "His Excellency the Ambassador".into();
    l.subject = format!("Release the political prisoners, letter {i}");
    l.salutation = "Your Excellency,".into();
    l.body = vec![
        Block::Paragraph(format!("This is letter number {i}.")),
        Block::Paragraph("From the start, the trial was unfair.".into()),
        Block::Paragraph(">From a quoted line, and >>From another.".into()),
        Block::Paragraph(">>From deeper.".into()),
    ];
    l.closing = "Yours sincerely,".into();
    l.signature = vec!["Alice Activist".into()];
    l
}

fn opts() -> EmailOptions {
    EmailOptions {
        cc: vec![
            "Жанболат Мамай <support@free.test>".into(),
            "x@y.test".into(),
        ],
        attachment_pdf: None,
    }
}

fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

#[test]
fn eml_reads_back_with_mail_parser() {
    let l = letter();
    let eml = render_eml(&l, &opts()).unwrap();
    let msg = MessageParser::default().parse(&eml).expect("parses");

    let from = msg.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Әлия Қасымова"));
    assert_eq!(from.address(), Some("aliya@example.test"));
    let to = msg.to().unwrap().first().unwrap();
    assert_eq!(to.name(), Some("Қазақстан Республикасының Елшісі"));
    assert_eq!(to.address(), Some("london@mfa.kz.test"));
    let cc: Vec<(Option<&str>, Option<&str>)> = msg
        .cc()
        .unwrap()
        .iter()
        .map(|a| (a.name(), a.address()))
        .collect();
    assert_eq!(
        cc,
        [
            (Some("Amnesty International"), Some("uk@amnesty.test")),
            (Some("Жанболат Мамай"), Some("support@free.test")),
            (None, Some("x@y.test")),
        ]
    );
    assert_eq!(msg.subject(), Some("Жанболат Мамай бостандыққа шығарылсын"));
    assert_eq!(
        msg.header_raw("Date").map(str::trim),
        Some(l.date.rfc5322().as_str())
    );
    assert_eq!(msg.date().unwrap().to_timestamp(), l.date.unix_timestamp());
    assert_eq!(msg.header_raw("X-Unsent").map(str::trim), Some("1"));
    assert_eq!(msg.header_raw("MIME-Version").map(str::trim), Some("1.0"));
    let id = msg.message_id().unwrap();
    assert!(
        id.ends_with("@protest.invalid") && id.len() == 32 + 16,
        "{id}"
    );

    assert_eq!(msg.attachment_count(), 0);
    assert_eq!(lf(&msg.body_text(0).unwrap()), render_body(&l));

    // The raw message: ASCII headers (RFC 2047 encoded words), CRLF only,
    // exactly one of each header.
    let text = std::str::from_utf8(&eml).unwrap();
    let head = &text[..text.find("\r\n\r\n").unwrap()];
    assert!(head.is_ascii(), "{head}");
    assert!(head.contains("=?utf-8?"), "{head}");
    assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
    for name in [
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "X-Unsent",
        "MIME-Version",
    ] {
        let n = head
            .split("\r\n")
            .filter(|l| l.starts_with(&format!("{name}: ")))
            .count();
        assert_eq!(n, 1, "{name} in\n{head}");
    }
    assert!(!head.contains("Bcc"));
}

#[test]
fn eml_with_pdf_attachment() {
    let l = letter();
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..20_000u32).map(|i| (i * 7919 % 251) as u8))
        .collect();
    let o = EmailOptions {
        attachment_pdf: Some(pdf.clone()),
        ..opts()
    };
    let eml = render_eml(&l, &o).unwrap();
    assert_eq!(eml, render_eml(&l, &o).unwrap(), "same input, same bytes");
    let msg = MessageParser::default().parse(&eml).unwrap();
    let ct = msg.content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("mixed")));
    assert_eq!(lf(&msg.body_text(0).unwrap()), render_body(&l));
    assert_eq!(msg.attachment_count(), 1);
    let att = msg.attachment(0).unwrap();
    assert_eq!(att.contents(), pdf.as_slice());
    let ct = att.content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("application", Some("pdf")));
    // The subject names the attachment in every language (RFC 2231 where it is not ASCII).
    assert_eq!(
        att.attachment_name(),
        Some("Жанболат Мамай бостандыққа шығарылсын.pdf")
    );

    let a = ascii_letter(1);
    let msg_bytes = render_eml(&a, &o).unwrap();
    let msg = MessageParser::default().parse(&msg_bytes).unwrap();
    assert_eq!(
        msg.attachment(0).unwrap().attachment_name(),
        Some("Release the political prisoners, letter 1.pdf")
    );
    // The attachment changes the Message-ID.
    let without = MessageParser::default()
        .parse(&render_eml(&a, &opts()).unwrap())
        .unwrap()
        .message_id()
        .map(String::from);
    assert_ne!(msg.message_id().map(String::from), without);
}

#[test]
fn eml_is_deterministic() {
    let l = letter();
    let a = render_eml(&l, &opts()).unwrap();
    assert_eq!(a, render_eml(&l, &opts()).unwrap());
    assert_eq!(a, render_eml(&l.clone(), &opts().clone()).unwrap());

    let mut other = l.clone();
    other
        .body
        .push(Block::Paragraph("One more sentence.".into()));
    let b = render_eml(&other, &opts()).unwrap();
    let id = |eml: &[u8]| {
        MessageParser::default()
            .parse(eml)
            .unwrap()
            .message_id()
            .unwrap()
            .to_string()
    };
    assert_ne!(id(&a), id(&b));
}

/// Python's `email` package with the modern policy reads the same message the same way.
#[test]
fn eml_reads_back_with_python_email() {
    let l = letter();
    let pdf = b"%PDF-1.4\nnot really a pdf\n%%EOF\n".to_vec();
    let o = EmailOptions {
        attachment_pdf: Some(pdf.clone()),
        ..opts()
    };
    let eml = render_eml(&l, &o).unwrap();
    // Display names are decoded twice: by the modern parser (policy.default)
    // and by `email.header`, which follows RFC 2047 section 6.2 and drops the
    // folding white space between adjacent encoded words. The modern parser
    // keeps it inside a display name (a CPython bug: it cannot read back its
    // own folding of "Қазақстан Республикасының Елшісі" either), so it is
    // only trusted for names short enough for one encoded word.
    let script = r#"
import sys, json, email, email.policy, email.utils
from email.header import decode_header, make_header
data = sys.stdin.buffer.read()
msg = email.message_from_bytes(data, policy=email.policy.default)
legacy = email.message_from_bytes(data)
def addrs(h):
    return [[a.display_name, a.addr_spec] for a in msg[h].addresses]
def addrs_2047(h):
    return [[str(make_header(decode_header(n))), a] for n, a in email.utils.getaddresses(legacy.get_all(h))]
att = [p for p in msg.iter_attachments()]
print(json.dumps({
    "from": addrs("From"), "to": addrs("To"), "cc": addrs("Cc"),
    "from_2047": addrs_2047("From"), "to_2047": addrs_2047("To"), "cc_2047": addrs_2047("Cc"),
    "subject": str(msg["Subject"]), "date": str(msg["Date"]),
    "x_unsent": str(msg["X-Unsent"]), "message_id": str(msg["Message-ID"]),
    "defects": [str(d) for d in msg.defects] + [str(d) for p in msg.walk() for d in p.defects],
    "body": msg.get_body(("plain",)).get_content(),
    "attachments": [[p.get_content_type(), p.get_filename(), list(p.get_content())] for p in att],
}))
"#;
    let out = python(script, &eml);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pair = |name: &str, addr: &str| serde_json::json!([name, addr]);
    let from = serde_json::json!([pair("Әлия Қасымова", "aliya@example.test")]);
    let to = serde_json::json!([pair(
        "Қазақстан Республикасының Елшісі",
        "london@mfa.kz.test"
    )]);
    let cc = serde_json::json!([
        pair("Amnesty International", "uk@amnesty.test"),
        pair("Жанболат Мамай", "support@free.test"),
        pair("", "x@y.test"),
    ]);
    assert_eq!(v["from_2047"], from);
    assert_eq!(v["to_2047"], to);
    assert_eq!(v["cc_2047"], cc);
    assert_eq!(v["from"], from);
    assert_eq!(v["cc"], cc);
    assert_eq!(v["to"][0][1], "london@mfa.kz.test");
    assert_eq!(v["subject"], "Жанболат Мамай бостандыққа шығарылсын");
    assert_eq!(v["date"], l.date.rfc5322());
    assert_eq!(v["x_unsent"], "1");
    assert_eq!(v["defects"], serde_json::json!([]));
    assert_eq!(lf(v["body"].as_str().unwrap()), render_body(&l));
    let pdf_json: Vec<serde_json::Value> = pdf.iter().map(|&b| b.into()).collect();
    assert_eq!(
        v["attachments"],
        serde_json::json!([[
            "application/pdf",
            "Жанболат Мамай бостандыққа шығарылсын.pdf",
            pdf_json
        ]])
    );
}

#[test]
fn mbox_round_trips_five_letters() {
    let letters: Vec<Letter> = (1..=5)
        .map(|i| {
            let mut l = ascii_letter(i);
            if i == 3 {
                l.sender.email = None; // appended with MAILER-DAEMON
            }
            if i == 4 {
                l.date = Date::parse("2024-01-01").unwrap();
            }
            l
        })
        .collect();
    let o = EmailOptions::default();
    let mut mbox = Vec::new();
    let mut emls = Vec::new();
    for l in &letters {
        // Letter 3 has no sender address, so it cannot be an .eml: render it
        // with one and append it without, to exercise MAILER-DAEMON.
        let eml = if l.sender.email.is_none() {
            let mut with = l.clone();
            with.sender.email = Some("aliya@example.test".into());
            render_eml(&with, &o).unwrap()
        } else {
            render_eml(l, &o).unwrap()
        };
        // The body really has a line starting with "From " for the quoting to matter.
        assert!(std::str::from_utf8(&eml)
            .unwrap()
            .contains("\r\nFrom the start"));
        append_mbox(&mut mbox, &eml, l);
        emls.push(eml);
    }
    let text = std::str::from_utf8(&mbox).unwrap();
    assert!(
        text.starts_with("From aliya@example.test Thu May 26 00:00:00 2016\n"),
        "{text}"
    );
    assert!(text.contains("\n\nFrom MAILER-DAEMON Thu May 26 00:00:00 2016\n"));
    assert!(text.contains("\n\nFrom aliya@example.test Mon Jan  1 00:00:00 2024\n"));
    assert!(text.contains("\n>From the start"));
    assert!(text.contains("\n>>From a quoted line"));
    assert!(text.contains("\n>>>From deeper."));
    assert!(!text.contains('\r'));
    assert!(text.ends_with("\n\n"));
    let separators = text.lines().filter(|l| l.starts_with("From ")).count();
    assert_eq!(separators, 5);

    // mail-parser reads mboxrd: it removes one '>' from each ^>+From line.
    let messages: Vec<_> = MessageIterator::new(mbox.as_slice())
        .map(Result::unwrap)
        .collect();
    assert_eq!(messages.len(), 5);
    for ((m, l), eml) in messages.iter().zip(&letters).zip(&emls) {
        // Each message is followed by the blank separator line.
        let contents = m.contents().strip_suffix(b"\n").unwrap();
        assert_eq!(contents, lf(std::str::from_utf8(eml).unwrap()).as_bytes());
        let msg = MessageParser::default().parse(contents).unwrap();
        assert_eq!(msg.subject(), Some(l.subject.as_str()));
        assert_eq!(lf(&msg.body_text(0).unwrap()), render_body(l));
    }
    assert_eq!(messages[2].from(), "MAILER-DAEMON");

    // Python's mailbox module finds the same five messages.
    let out = python(
        r#"
import sys, mailbox, tempfile, os, email.policy
data = sys.stdin.buffer.read()
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "x.mbox")
    open(path, "wb").write(data)
    for m in mailbox.mbox(path):
        print(m.get_from(), "|", m["Subject"])
"#,
        &mbox,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(
        lines[0],
        "aliya@example.test Thu May 26 00:00:00 2016 | Release the political prisoners, letter 1"
    );
    assert!(lines[2].starts_with("MAILER-DAEMON "), "{out}");
}

/// An mbox run holds, in order, exactly the drafts `--format eml` writes for
/// the same senders, each framed as mboxrd, and the same bytes whatever the
/// threads: across several chunks of letters and several flushes of the file.
#[test]
fn an_mbox_holds_the_eml_drafts_of_its_senders_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 1300;
    let mut csv = String::from("name,org,email,personal\n");
    for i in 0..rows {
        // Cyrillic names make quoted-printable bodies; a personal paragraph
        // opening with "From " must be quoted in the mailbox.
        let name = match i % 3 {
            0 => format!("Member {i:04}"),
            1 => format!("Әлия Қасымова {i:04}"),
            _ => format!("Jean-Luc Müller {i:04}"),
        };
        let personal = match i % 4 {
            0 => "\"From the start, I have followed this case.\n\n>From a quoted line.\"",
            _ => "",
        };
        csv.push_str(&format!("{name},Unite Leeds,m{i}@example.org,{personal}\n"));
    }
    let senders = tmp.path().join("senders.csv");
    std::fs::write(&senders, csv).unwrap();
    let write = |args: &[&str]| {
        let mut cmd = common::protest();
        cmd.args([
            "write",
            "mamai",
            "--as-of",
            "2017-05-01",
            "--to",
            "gb-london",
        ])
        .arg("--senders")
        .arg(&senders)
        .args(args);
        let (code, _, err) = common::run(&mut cmd);
        assert_eq!(code, 0, "{err}");
    };

    let drafts = tmp.path().join("drafts");
    write(&["--format", "eml", "--out", drafts.to_str().unwrap()]);
    let manifest = std::fs::read_to_string(drafts.join("manifest.jsonl")).unwrap();
    let emls: Vec<Vec<u8>> = manifest
        .lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            std::fs::read(drafts.join(entry["path"].as_str().unwrap())).unwrap()
        })
        .collect();
    assert_eq!(emls.len(), rows);

    let mut mboxes = Vec::new();
    for jobs in ["1", "2", "3"] {
        let file = tmp.path().join(format!("j{jobs}.mbox"));
        write(&["--format", "mbox", "-j", jobs, "-o", file.to_str().unwrap()]);
        mboxes.push(std::fs::read(&file).unwrap());
    }
    assert!(mboxes[0] == mboxes[1], "-j 1 and -j 2 differ");
    assert!(mboxes[0] == mboxes[2], "-j 1 and -j 3 differ");

    let text = std::str::from_utf8(&mboxes[0]).unwrap();
    assert!(text.contains("\n>From the start, I have followed"));
    assert!(text.contains("\n>>From a quoted line."));
    assert!(!text.contains('\r'));
    let messages: Vec<_> = MessageIterator::new(mboxes[0].as_slice())
        .map(|m| m.expect("the mbox reads back"))
        .collect();
    assert_eq!(messages.len(), rows);
    for (i, (message, eml)) in messages.iter().zip(&emls).enumerate() {
        assert_eq!(message.from(), format!("m{i}@example.org"));
        let contents = message.contents().strip_suffix(b"\n").unwrap();
        assert_eq!(
            contents,
            lf(std::str::from_utf8(eml).unwrap()).as_bytes(),
            "message {i}"
        );
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn mailto_decodes_back() {
    let mut l = letter();
    l.subject = "Free them all: 100% & now? #justice = «свобода» + Әділет".into();
    let url = render_mailto(&l, &opts()).unwrap();
    assert!(
        url.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%@:?&=".contains(&b)),
        "{url}"
    );
    assert!(!url.contains("%0A%") || url.contains("%0D%0A"));
    assert!(!url.replace("%0D%0A", "").contains("%0A"));
    let rest = url.strip_prefix("mailto:").unwrap();
    let (to, query) = rest.split_once('?').unwrap();
    assert_eq!(percent_decode(to), "london@mfa.kz.test");
    let fields: Vec<(&str, String)> = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k, percent_decode(v))
        })
        .collect();
    assert_eq!(fields[0], ("subject", l.subject.clone()));
    assert_eq!(
        fields[1],
        ("cc", "uk@amnesty.test,support@free.test,x@y.test".into())
    );
    assert_eq!(fields[2].0, "body");
    assert_eq!(fields[2].1.replace("\r\n", "\n"), render_body(&l));
    assert_eq!(fields.len(), 3);
    assert!(
        url.contains("&body=%D2%9A%D2%B1%D1%80%D0%BC%D0%B5%D1%82%D1%82%D1%96%20"),
        "{url}"
    );

    // No cc at all: no cc field.
    let mut bare = ascii_letter(1);
    bare.cc.clear();
    let url = render_mailto(&bare, &EmailOptions::default()).unwrap();
    assert!(url.starts_with("mailto:london@mfa.kz.test?subject=Release%20the%20political%20prisoners%2C%20letter%201&body=Your%20Excellency%2C%0D%0A%0D%0AThis"), "{url}");
    // A letter's link is far below the length that draws a warning.
    assert!(render_mailto(&letter(), &opts()).unwrap().len() * 4 < MAILTO_WARN_LEN);

    // The client sends from its own account: no sender address needed.
    bare.sender.email = None;
    assert!(render_mailto(&bare, &EmailOptions::default()).is_ok());
}

fn err_message(r: Result<impl std::fmt::Debug, protest::error::Error>) -> String {
    let e = r.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Data);
    e.message
}

#[test]
fn header_injection_is_refused() {
    let mut l = letter();
    l.sender.name = "Evil\r\nBcc: x@y".into();
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the sender name contains a line break (U+000D); a header cannot hold one"
    );

    let mut l = letter();
    l.sender.name = "Evil\nBcc: x@y".into();
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the sender name contains a line break (U+000A); a header cannot hold one"
    );

    let mut l = letter();
    l.subject = "Free them\nBcc: x@y".into();
    let expected = "the subject contains a line break (U+000A); a header cannot hold one";
    assert_eq!(err_message(render_eml(&l, &opts())), expected);
    assert_eq!(err_message(render_mailto(&l, &opts())), expected);

    let mut l = letter();
    l.subject = "Free them\u{85}all".into();
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the subject contains a line break (U+0085); a header cannot hold one"
    );
    l.subject = "Free \u{1b}[31mthem".into();
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the subject contains a control character (U+001B); a header cannot hold one"
    );
    // Separators and bidi marks are not control characters: they are encoded.
    l.subject = "Free\u{2028}them \u{202e}all".into();
    let msg_bytes = render_eml(&l, &opts()).unwrap();
    let msg = MessageParser::default().parse(&msg_bytes).unwrap();
    assert_eq!(msg.subject(), Some("Free\u{2028}them \u{202e}all"));

    let o = EmailOptions {
        cc: vec!["a@b.test\rBcc: x@y".into()],
        attachment_pdf: None,
    };
    let expected = r#"the --cc value "a@b.test\rBcc: x@y" contains a line break (U+000D); a header cannot hold one"#;
    assert_eq!(err_message(render_eml(&letter(), &o)), expected);
    assert_eq!(err_message(render_mailto(&letter(), &o)), expected);

    let mut l = letter();
    l.cc.push("Friends <f@x.test>\r\nBcc: x@y".into());
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        r#"the cc entry "Friends <f@x.test>\r\nBcc: x@y" contains a line break (U+000D); a header cannot hold one"#
    );

    let mut l = letter();
    l.recipient.email = Some("london@mfa.kz.test\nBcc: x@y".into());
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the recipient email contains a line break (U+000A); a header cannot hold one"
    );
    let mut l = letter();
    l.recipient.lines[0] = "The Ambassador\tof".into();
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the recipient name contains a tab (U+0009); a header cannot hold one"
    );
    let mut l = letter();
    l.sender.email = Some("aliya@example.test\r\n".into());
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        "the sender email contains a line break (U+000D); a header cannot hold one"
    );
}

#[test]
fn bad_addresses_are_refused() {
    let mut l = letter();
    l.sender.email = Some("aliya@@example.test".into());
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        r#"the sender email "aliya@@example.test" is not an email address: it needs exactly one @"#
    );
    l.sender.email = Some("Aliya <aliya@example.test>".into());
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        r#"the sender email "Aliya <aliya@example.test>" is not an email address: it contains a space"#
    );
    let mut l = letter();
    l.recipient.email = Some("london@".into());
    assert_eq!(
        err_message(render_eml(&l, &opts())),
        r#"the recipient email "london@" is not an email address: nothing after the @"#
    );
    let o = EmailOptions {
        cc: vec!["Friends of Kazakhstan".into()],
        attachment_pdf: None,
    };
    assert_eq!(
        err_message(render_eml(&letter(), &o)),
        r#"the --cc value "Friends of Kazakhstan" is not an email address: it needs exactly one @"#
    );
    let o = EmailOptions {
        cc: vec!["Friends <a@b.test, c@d.test>".into()],
        attachment_pdf: None,
    };
    assert_eq!(
        err_message(render_eml(&letter(), &o)),
        r#"the --cc value "Friends <a@b.test, c@d.test>" is not an email address: it contains a space"#
    );
    // Plain names in the letter's cc stay in the body only; duplicates are dropped.
    let mut l = letter();
    l.cc.push("x@y.test".into());
    l.cc.push("London <LONDON@mfa.kz.test>".into());
    let msg_bytes = render_eml(&l, &opts()).unwrap();
    let msg = MessageParser::default().parse(&msg_bytes).unwrap();
    let cc: Vec<_> = msg
        .cc()
        .unwrap()
        .iter()
        .filter_map(|a| a.address())
        .collect();
    assert_eq!(cc, ["uk@amnesty.test", "x@y.test", "support@free.test"]);
}

#[test]
fn the_check_before_a_batch_refuses_exactly_what_writing_the_message_refuses() {
    // A batch checks every letter with `check_eml` before it writes the first.
    let mut cases: Vec<(&str, Letter, EmailOptions)> = vec![
        ("the letter", letter(), opts()),
        ("no options", letter(), EmailOptions::default()),
    ];
    let with = |what: &'static str, change: &dyn Fn(&mut Letter)| {
        let mut l = letter();
        change(&mut l);
        (what, l, opts())
    };
    cases.push(with("no sender email", &|l| l.sender.email = None));
    cases.push(with("no mission email", &|l| l.recipient.email = None));
    cases.push(with("two @", &|l| {
        l.sender.email = Some("a@@b.test".into())
    }));
    cases.push(with("a name for an address", &|l| {
        l.sender.email = Some("Aliya <a@b.test>".into())
    }));
    cases.push(with("nothing after @", &|l| {
        l.recipient.email = Some("london@".into())
    }));
    cases.push(with("a CR in the name", &|l| {
        l.sender.name = "Evil\r\nBcc: x@y".into()
    }));
    cases.push(with("a tab in the recipient", &|l| {
        l.recipient.lines[0] = "The Ambassador\tof".into()
    }));
    cases.push(with("a NEL in the subject", &|l| {
        l.subject = "Free\u{85}all".into()
    }));
    cases.push(with("an escape in the subject", &|l| {
        l.subject = "Free \u{1b}[31mthem".into()
    }));
    cases.push(with("bidi marks in the subject", &|l| {
        l.subject = "Free\u{2028}them \u{202e}all".into()
    }));
    cases.push(with("a CR in a cc entry", &|l| {
        l.cc.push("Friends <f@x.test>\r\nBcc: x@y".into())
    }));
    cases.push(with("a plain name and a duplicate in cc", &|l| {
        l.cc.push("x@y.test".into());
        l.cc.push("London <LONDON@mfa.kz.test>".into());
    }));
    for cc in [
        "a@b.test\rBcc: x@y",
        "Friends of Kazakhstan",
        "Friends <a@b.test, c@d.test>",
    ] {
        let o = EmailOptions {
            cc: vec![cc.into()],
            attachment_pdf: None,
        };
        cases.push(("a --cc value", letter(), o));
    }
    let mut refused = 0;
    for (what, l, o) in &cases {
        let said = |e: protest::error::Error| (e.kind, e.message, e.help);
        let checked = check_eml(l, o).map_err(said);
        let written = render_eml(l, o).map(drop).map_err(said);
        assert_eq!(checked, written, "{what}");
        refused += checked.is_err() as usize;
    }
    assert_eq!(refused, cases.len() - 4, "each bad case is refused");
}

#[test]
fn missing_addresses() {
    let mut l = letter();
    l.recipient.email = None;
    let e = render_eml(&l, &opts()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Data);
    assert_eq!(e.message, "gb-london: no email address in the directory");
    let help = e.help.unwrap();
    assert!(
        help.contains("--format pdf") && help.contains("protest embassies show gb-london"),
        "{help}"
    );
    assert_eq!(
        err_message(render_mailto(&l, &opts())),
        "gb-london: no email address in the directory"
    );

    let mut l = letter();
    l.sender.email = None;
    let e = render_eml(&l, &opts()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Data);
    assert_eq!(e.message, "the sender has no email address");
    assert!(e.help.unwrap().contains("--email ADDRESS"));
}

/// A rough speed figure, not a timed assertion:
/// `cargo test --release --test email -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_ten_thousand_emls() {
    let letters: Vec<Letter> = (0..10_000)
        .map(|i| {
            let mut l = letter();
            l.subject = format!("{} ({i})", l.subject);
            l
        })
        .collect();
    let o = opts();
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for l in &letters {
        bytes += render_body(l).len();
    }
    let body_only = start.elapsed();
    let start = std::time::Instant::now();
    for l in &letters {
        bytes += render_eml(l, &o).unwrap().len();
    }
    let eml = start.elapsed();
    let start = std::time::Instant::now();
    let mut mbox = Vec::new();
    for l in &letters {
        append_mbox(&mut mbox, &render_eml(l, &o).unwrap(), l);
    }
    let mbox_time = start.elapsed();
    println!(
        "10,000 letters, one thread: render_body {body_only:?}, render_eml {eml:?}, \
         render_eml + append_mbox {mbox_time:?} ({} MB of mbox, {bytes} bytes)",
        mbox.len() / 1_000_000
    );
}

/// Whatever transfer encoding mail-builder picks (7bit for ASCII, quoted-printable
/// for mostly-Latin text, base64 for Cyrillic), both parsers get the body back.
#[test]
fn every_body_encoding_decodes() {
    let mut latin = ascii_letter(1);
    latin.salutation = "Sehr geehrter Herr Botschafter,".into();
    latin.body.push(Block::Paragraph(
        "Wir fordern die sofortige Freilassung aller politischen Gefangenen in Kasachstan, \
         darunter Jänbolat Mamai, dessen Verurteilung gegen die Pressefreiheit verstößt."
            .into(),
    ));
    let cases = [
        (ascii_letter(1), "7bit"),
        (latin, "quoted-printable"),
        (letter(), "base64"),
    ];
    for (l, encoding) in cases {
        let eml = render_eml(&l, &EmailOptions::default()).unwrap();
        let text = std::str::from_utf8(&eml).unwrap();
        assert!(
            text.contains(&format!("\r\nContent-Transfer-Encoding: {encoding}\r\n")),
            "{text}"
        );
        let msg = MessageParser::default().parse(&eml).unwrap();
        assert_eq!(
            lf(&msg.body_text(0).unwrap()),
            render_body(&l),
            "{encoding}"
        );
        let out = python(
            r#"
import sys, email, email.policy
msg = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
sys.stdout.write(msg.get_body(("plain",)).get_content())
"#,
            &eml,
        );
        assert_eq!(lf(&out), render_body(&l), "{encoding}");
    }
}
