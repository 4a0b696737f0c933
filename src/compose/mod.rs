//! Composition: template + prisoners + mission + sender -> one [`Letter`].
//!
//! Everything a renderer needs is decided here, once: the salutation that
//! fits the recipient, the date in the reader's convention, whether the
//! country goes on the address. Renderers only lay it out.

pub mod date;
mod letter;
mod place;
mod recipient;

use std::collections::HashMap;

use handlebars::Context;
use serde_json::{json, Map, Value};

pub use letter::{Block, Letter, RecipientBlock, SenderBlock};

use crate::catalog::{body_name, subject_name, Catalog, LetterTemplate, Mission, Sender, Status};
use crate::error::{Error, Result};
use crate::template::Reads;
use crate::text::first_forbidden;
use date::Date;

/// What one letter is made from.
pub struct Request<'a> {
    pub template: &'a LetterTemplate,
    pub mission: &'a Mission,
    pub sender: &'a Sender,
    pub date: Date,
    /// The sender's own paragraph, added before the closing.
    pub personal: Option<&'a str>,
    /// More copies, on top of the template's `cc`.
    pub cc: &'a [String],
    /// Fields templates reach as `{{extra.NAME}}` (other columns of a senders CSV).
    pub extra: &'a Map<String, Value>,
    /// Write a release demand even for someone recorded as released.
    pub force: bool,
}

pub fn compose(catalog: &Catalog, request: &Request) -> Result<Letter> {
    let mut data = MissionData::new(
        catalog,
        request.template,
        request.mission,
        request.date,
        request.force,
    )?;
    compose_with(catalog, request, &mut data)
}

/// What the letters of a batch to one mission share: the template data
/// without the sender, and the subjects and bodies already rendered from it.
/// A batch makes it once per mission, and [`compose_with`] adds each sender.
pub struct MissionData {
    context: Context,
    /// The date as the letter's language writes it.
    date_text: String,
    /// Who the letter is addressed to, a line each.
    addressee: Vec<String>,
    /// The sender fields the letter's templates read, if that can be told.
    reads: Reads,
    /// Subject and body by the values of those fields: one rendering serves
    /// every sender of a branch, who differ only in fields the text never uses.
    rendered: HashMap<String, (String, Vec<Block>)>,
}

/// Renderings remembered per mission: enough for the few organisations of a
/// mail-out, and no more however many senders differ in what the text reads.
const RENDERED_KEPT: usize = 32;

impl MissionData {
    pub fn new(
        catalog: &Catalog,
        template: &LetterTemplate,
        mission: &Mission,
        date: Date,
        force: bool,
    ) -> Result<MissionData> {
        let id = &template.front.id;
        let reads = match (
            catalog.engine.reads(&subject_name(id), SENDER_DATA),
            catalog.engine.reads(&body_name(id), SENDER_DATA),
        ) {
            (Reads::Fields(mut subject), Reads::Fields(body)) => {
                subject.extend(body);
                Reads::Fields(subject)
            }
            _ => Reads::Anything,
        };
        let date_text = date.format(&template.front.language);
        let addressee = recipient::addressee(mission);
        let context = mission_context(catalog, template, mission, &date_text, &addressee, force)?;
        Ok(MissionData {
            context,
            date_text,
            addressee,
            reads,
            rendered: HashMap::new(),
        })
    }

    /// The subject and body for the sender now in the context: rendered, or
    /// as rendered for an earlier sender with the same values in every field
    /// the templates read.
    fn subject_and_body(
        &mut self,
        catalog: &Catalog,
        template: &LetterTemplate,
    ) -> Result<(String, Vec<Block>)> {
        let key = match &self.reads {
            Reads::Fields(fields) => Some(rendered_key(self.context.data(), fields)),
            Reads::Anything => None,
        };
        if let Some(done) = key.as_ref().and_then(|key| self.rendered.get(key)) {
            return Ok(done.clone());
        }
        let id = &template.front.id;
        let subject = one_line(&catalog.engine.render(&subject_name(id), &self.context)?);
        let body = blocks(&catalog.engine.render(&body_name(id), &self.context)?);
        if let Some(key) = key.filter(|_| self.rendered.len() < RENDERED_KEPT) {
            self.rendered.insert(key, (subject.clone(), body.clone()));
        }
        Ok((subject, body))
    }
}

/// The top-level keys of the template data that change from sender to sender.
const SENDER_DATA: &[&str] = &["sender", "extra"];

/// The values of `fields` in `data`, as one string to look renderings up by.
fn rendered_key(data: &Value, fields: &[Vec<String>]) -> String {
    let values: Vec<Option<&Value>> = fields
        .iter()
        .map(|keys| keys.iter().try_fold(data, |value, key| value.get(key)))
        .collect();
    serde_json::to_string(&values).expect("JSON values serialise")
}

/// The template data that does not depend on the sender.
fn mission_context(
    catalog: &Catalog,
    template: &LetterTemplate,
    mission: &Mission,
    date_text: &str,
    addressee: &[String],
    force: bool,
) -> Result<Context> {
    let front = &template.front;
    let prisoners = prisoners(catalog, template, force)?;
    let country_name = catalog.countries.name_or_code(&mission.country);
    Ok(Context::from(json!({
        "letter": {
            "id": front.id,
            "title": front.title,
            "language": front.language,
            "deadline": front.deadline.clone().unwrap_or_default(),
            "tags": front.tags,
        },
        "recipient": {
            "id": mission.id,
            "mission": mission.name,
            "city": mission.city,
            "country": mission.country,
            "country_name": country_name,
            "addressee": addressee.join(", "),
        },
        "embassy": mission,
        "prisoners": prisoners,
        "demands": front.demands,
        "date": date_text,
    })))
}

/// Composes a letter from `data`, made by [`MissionData::new`] for the same
/// template, mission and date; the sender's part of it is replaced.
pub fn compose_with(
    catalog: &Catalog,
    request: &Request,
    data: &mut MissionData,
) -> Result<Letter> {
    let Request {
        template,
        mission,
        sender,
        ..
    } = *request;
    let front = &template.front;
    check_sender(sender)?;
    check_personal(request.personal)?;
    let sender_country = match sender.country.as_deref().map(str::trim) {
        Some("") | None => None,
        Some(country) => Some(catalog.country_code(country).map_err(|err| Error {
            kind: crate::error::ErrorKind::Data,
            message: format!("sender country: {}", err.message),
            ..err
        })?),
    };
    let abroad = sender_country.as_deref() != Some(mission.country.as_str());
    let country_name = |code: &str| catalog.countries.name_or_code(code).to_string();

    let fields = data
        .context
        .data_mut()
        .as_object_mut()
        .expect("mission_data makes an object");
    fields.insert(
        "sender".into(),
        json!({
            "name": sender.name,
            "org": sender.org.clone().unwrap_or_default(),
            "role": sender.role.clone().unwrap_or_default(),
            "town": sender.town.clone().unwrap_or_default(),
            "postcode": sender.postcode.clone().unwrap_or_default(),
            "country": sender_country.clone().unwrap_or_default(),
            "country_name": sender_country.as_deref().map(country_name).unwrap_or_default(),
            "email": sender.email.clone().unwrap_or_default(),
            "phone": sender.phone.clone().unwrap_or_default(),
            "address": sender.address,
        }),
    );
    fields.insert("extra".into(), Value::Object(request.extra.clone()));

    let (subject, mut body) = data.subject_and_body(catalog, template)?;
    if let Some(personal) = request.personal.map(str::trim).filter(|p| !p.is_empty()) {
        body.extend(blocks(personal));
    }
    if body.is_empty() {
        return Err(template
            .origin
            .error_at(Some(template.body_offset + 1), "the letter body is empty")
            .with_help("write the letter's paragraphs after the closing `+++`"));
    }

    let mut sender_lines: Vec<String> = [&sender.role, &sender.org]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    sender_lines.extend(sender.address.iter().map(|l| l.trim().to_string()));
    let place_line = place::line(sender, sender_country.as_deref());
    sender_lines.extend(place_line.clone());
    let sender_country_line = sender_country
        .as_deref()
        .filter(|_| abroad)
        .map(country_name);
    sender_lines.extend(sender_country_line.clone());

    let mut return_parts = vec![sender.name.trim().to_string()];
    return_parts.extend(sender.address.iter().map(|l| l.trim().to_string()));
    return_parts.extend(place_line);
    return_parts.extend(sender_country_line);

    let mut signature = vec![sender.name.trim().to_string()];
    signature.extend(
        [&sender.role, &sender.org]
            .into_iter()
            .flatten()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    );

    let mut cc = front.cc.clone();
    cc.extend(request.cc.iter().cloned());

    Ok(Letter {
        template_id: front.id.clone(),
        language: front.language.clone(),
        sender: SenderBlock {
            name: sender.name.trim().to_string(),
            lines: sender_lines,
            email: sender.email.clone().filter(|e| !e.trim().is_empty()),
            phone: sender.phone.clone().filter(|p| !p.trim().is_empty()),
            return_line: return_parts.join(", "),
        },
        date: request.date,
        date_text: data.date_text.clone(),
        place: sender
            .town
            .clone()
            .filter(|t| !t.trim().is_empty() && !front.language.starts_with("en")),
        recipient: RecipientBlock {
            mission_id: mission.id.clone(),
            country: mission.country.clone(),
            lines: recipient::lines(
                mission,
                data.addressee.clone(),
                abroad.then(|| country_name(&mission.country)),
            ),
            email: mission.email.clone(),
            address_missing: !mission.has_postal_address(),
        },
        subject,
        salutation: front
            .salutation
            .clone()
            .unwrap_or_else(|| recipient::salutation(mission, &front.language)),
        body,
        closing: front
            .closing
            .clone()
            .unwrap_or_else(|| recipient::closing(&front.language).to_string()),
        signature,
        cc,
    })
}

/// The template's prisoners, refusing a release demand for anyone recorded as
/// released: such a letter would discredit the campaign.
fn prisoners(catalog: &Catalog, template: &LetterTemplate, force: bool) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for id in &template.front.prisoners {
        let Some(prisoner) = catalog.prisoners.get(id) else {
            let suggestions =
                crate::catalog::suggest(id, catalog.prisoners.keys().map(String::as_str));
            let err = template.origin.error_at(
                template.front_line("prisoners"),
                format!("prisoners: no person with id `{id}` in prisoners.toml"),
            );
            return Err(match suggestions.first() {
                Some(s) => err.with_help(format!(
                    "did you mean `{s}`? `protest letters --prisoners` lists them"
                )),
                None => {
                    err.with_help("add the person to prisoners.toml in your --letters directory")
                }
            });
        };
        if prisoner.status == Status::Released && !force {
            return Err(Error::data(format!(
                "letter `{}` demands the release of {}, who is recorded as released (as of {}: {})",
                template.front.id, prisoner.name, prisoner.status_date, prisoner.status_note
            ))
            .with_help(
                "a letter demanding the release of a freed person discredits the campaign; \
                 pass --force if you know better",
            ));
        }
        let mut value = serde_json::to_value(prisoner).expect("a prisoner serialises");
        value["status"] = Value::String(prisoner.status.as_str().to_string());
        out.push(value);
    }
    Ok(out)
}

/// Sender values end up on address lines and in headers: a line break or
/// other control character there would make a broken letter.
fn check_sender(sender: &Sender) -> Result<()> {
    if !crate::text::is_visible(&sender.name) {
        return Err(Error::usage("the sender has no name")
            .with_help("pass --name \"Your Name\", or set name = \"...\" in the --sender file"));
    }
    let fields = [
        ("name", Some(&sender.name)),
        ("role", sender.role.as_ref()),
        ("org", sender.org.as_ref()),
        ("town", sender.town.as_ref()),
        ("postcode", sender.postcode.as_ref()),
        ("country", sender.country.as_ref()),
        ("email", sender.email.as_ref()),
        ("phone", sender.phone.as_ref()),
    ];
    if let Some(n) = sender
        .address
        .iter()
        .position(|l| !crate::text::is_visible(l))
    {
        return Err(
            Error::data(format!("the sender address line {} is empty", n + 1))
                .with_help("remove the empty line, or give it text"),
        );
    }
    let address = sender.address.iter().map(|line| ("address", Some(line)));
    for (field, value) in fields.into_iter().chain(address) {
        if let Some(c) = value.and_then(|v| first_forbidden(v, &[])) {
            return Err(Error::data(format!(
                "the sender {field} contains the control character U+{:04X}",
                c as u32
            ))
            .with_help("remove line breaks, tabs and invisible direction marks; give each address line separately"));
        }
    }
    Ok(())
}

/// The sender's own paragraph may have line breaks, nothing else invisible.
fn check_personal(personal: Option<&str>) -> Result<()> {
    let bad = personal.and_then(|p| first_forbidden(p, &['\n', '\r', '\t']));
    match bad {
        Some(c) => Err(Error::data(format!(
            "the personal paragraph contains the control character U+{:04X}",
            c as u32
        ))
        .with_help("remove invisible characters and direction marks from it")),
        None => Ok(()),
    }
}

/// Text on one line: runs of ASCII white space, line breaks included, become one space.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_words(&mut out, text);
    out
}

/// Appends the words of `text` to `out`, one space between each. Only ASCII
/// white space separates words: a no-break space (as in "5\u{a0}years") is
/// part of the text and must stay where the writer put it.
fn push_words(out: &mut String, text: &str) {
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Splits a rendered body into paragraphs and lists. Paragraphs are separated
/// by blank lines; a paragraph whose lines start with "- " is a list, and a
/// line that does not start with "- " continues the item above it.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut chunk: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim_ascii();
        if !line.is_empty() {
            chunk.push(line);
            continue;
        }
        if chunk.is_empty() {
            continue;
        }
        if chunk[0].starts_with("- ") {
            let mut items: Vec<String> = Vec::new();
            for line in &chunk {
                match line.strip_prefix("- ") {
                    Some(item) => items.push(one_line(item)),
                    None => {
                        push_words(items.last_mut().expect("a list starts with an item"), line);
                    }
                }
            }
            out.push(Block::List(items));
        } else {
            let mut paragraph = String::with_capacity(chunk.iter().map(|l| l.len() + 1).sum());
            for line in &chunk {
                push_words(&mut paragraph, line);
            }
            out.push(Block::Paragraph(paragraph));
        }
        chunk.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_no_break_spaces() {
        assert_eq!(
            one_line(" five\u{a0}years \n in\tprison "),
            "five\u{a0}years in prison"
        );
    }

    #[test]
    fn splits_paragraphs_and_lists() {
        let text = "First line\n  goes on.\n\n\n- one\n  more\n- two\n\nLast.\n";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("First line goes on.".into()),
                Block::List(vec!["one more".into(), "two".into()]),
                Block::Paragraph("Last.".into()),
            ]
        );
    }
}
