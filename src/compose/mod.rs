//! Composition: template + prisoners + mission + sender -> one [`Letter`].
//!
//! Everything a renderer needs is decided here, once: the salutation that
//! fits the recipient, the date in the reader's convention, whether the
//! country goes on the address. Renderers only lay it out.

mod letter;
mod marks;
mod place;
mod recipient;
mod russian;
mod typography;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use handlebars::Context;
use rustc_hash::FxBuildHasher;
use serde_json::{json, Map, Value};

pub use letter::{Block, Letter, RecipientBlock, SenderBlock};

use crate::catalog::{
    body_name, primary_language, subject_name, Catalog, LetterTemplate, Mission, Sender,
};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::template::{identity, Reads, Wording};
use crate::text::first_forbidden;

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
    /// Whether the letter's asks are checked against the facts on `date`.
    pub facts: Facts,
    /// Put the mission in the sender's country on the letter as a copy
    /// (and in Cc, with its email), for letters to authorities.
    pub cc_embassy: bool,
}

/// Whether composing refuses asks that do not fit the facts on the letter's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facts {
    /// Every letter a user gets.
    Checked,
    /// Only for `protest check`, which renders archived letters too, to find
    /// template errors in them.
    Ignored,
}

/// What a letter in `language` to `mission` has to leave out of its address
/// for want of the directory's forms in that language: one sentence each,
/// naming the mission, what is lost and the field that gives it.
pub fn missing_address_forms(catalog: &Catalog, mission: &Mission, language: &str) -> Vec<String> {
    let words = catalog.campaign.words(language);
    recipient::missing_forms(mission, language, &catalog.countries, words)
        .into_iter()
        .map(|(field, what)| {
            let language = crate::catalog::language_name(language);
            format!(
                "{}: no {language} form of {what}, so a {language} letter's address goes \
                 without it; add {field}",
                mission.id,
            )
        })
        .collect()
}

pub fn compose(catalog: &Catalog, request: &Request) -> Result<Letter> {
    let mut data = MissionData::of(catalog, request)?;
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
    /// The letter's people as it names them: a list item starting with one
    /// keeps its capital.
    names: Vec<String>,
    /// The sender fields the letter's templates read, if that can be told.
    reads: Reads,
    /// Subject and body by their wordings and the values of those fields:
    /// one rendering serves every sender of a branch who takes the same
    /// alternatives and differs only in fields the text never uses.
    rendered: HashMap<String, (String, Vec<Block>)>,
    /// How often `rendered` has served a letter.
    renderings: Renderings,
    /// Paragraphs and list items as the language sets them, by their text:
    /// most of a batch's are the template's own, word for word in every
    /// letter, and setting each again cost a tenth of a batch's time.
    set_texts: HashMap<String, String, FxBuildHasher>,
    /// Digests of the paragraphs met once and not kept: one is kept only
    /// when met again, so that those naming each sender's own organisation
    /// do not fill the memory kept for the shared ones.
    met_once: HashSet<u64, FxBuildHasher>,
    /// The bytes of text in `rendered` and `set_texts`, counted in [`KEPT_BYTES`].
    kept: usize,
    /// The lines that are the same for every letter to the mission, set
    /// once: by whether the sender writes from abroad (the country line).
    fixed: [Option<Fixed>; 2],
}

/// The most paragraph digests a mission remembers having met once; then
/// it forgets them and starts again.
const MET_ONCE: usize = 1 << 16;

/// Renderings looked up, and found: where every sender's text differs (each
/// names their own organisation), remembering them costs a twentieth of a
/// batch's time and serves no letter, so after [`TRIAL`] letters with fewer
/// than one in [`HITS_AT_LEAST`] found, a mission's are neither kept nor
/// looked up.
#[derive(Default)]
struct Renderings {
    looked_up: usize,
    found: usize,
}

/// See [`Renderings`].
const TRIAL: usize = 256;
const HITS_AT_LEAST: usize = 8;

impl Renderings {
    fn worth_keeping(&self) -> bool {
        self.looked_up < TRIAL || self.found * HITS_AT_LEAST >= self.looked_up
    }

    fn count(&mut self, found: bool) {
        self.looked_up += 1;
        self.found += usize::from(found);
    }
}

/// The lines of a letter the mission and template decide, set as the
/// letter's language sets them.
#[derive(Clone)]
struct Fixed {
    recipient_lines: Vec<String>,
    email_name: Option<String>,
    salutation: String,
    closing: String,
}

impl Drop for MissionData {
    fn drop(&mut self) {
        KEPT_BYTES.with(|kept| kept.set(kept.get().saturating_sub(self.kept)));
    }
}

/// Which alternative of each `{{#vary}}` block the subject and the body take.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wordings {
    subject: Wording,
    body: Wording,
}

impl Wordings {
    /// The sender's own: the same for the same name and email, every time.
    fn of(catalog: &Catalog, template: &LetterTemplate, sender: &Sender) -> Wordings {
        let id = template.engine_id();
        let who = identity(&sender.name, sender.email.as_deref());
        Wordings {
            subject: catalog.engine.wording(&subject_name(&id), &who),
            body: catalog.engine.wording(&body_name(&id), &who),
        }
    }

    /// Wordings that, in turn, take every alternative of every block.
    fn every(catalog: &Catalog, template: &LetterTemplate) -> Vec<Wordings> {
        let id = template.engine_id();
        let subject = catalog.engine.every_wording(&subject_name(&id));
        let body = catalog.engine.every_wording(&body_name(&id));
        let nth = |list: &[Wording], n: usize| list[n.min(list.len() - 1)].clone();
        (0..subject.len().max(body.len()))
            .map(|n| Wordings {
                subject: nth(&subject, n),
                body: nth(&body, n),
            })
            .collect()
    }
}

/// Renderings remembered, in bytes of text, by all of a thread's missions
/// together: enough for every wording of a letter for each of a mail-out's
/// organisations (243 wordings of 3 kB for 4 branches is 3 MB), and no
/// more however many senders differ in what the text reads, or however
/// many missions a run writes to.
const RENDERED_BYTES: usize = 8 << 20;

thread_local! {
    /// The bytes of renderings this thread's [`MissionData`] keep.
    static KEPT_BYTES: Cell<usize> = const { Cell::new(0) };
}

impl MissionData {
    /// The data of the letters of `request`'s template to its mission on
    /// its date, whoever the sender.
    pub fn of(catalog: &Catalog, request: &Request) -> Result<MissionData> {
        MissionData::new(
            catalog,
            request.template,
            request.mission,
            request.date,
            request.facts,
        )
    }

    pub fn new(
        catalog: &Catalog,
        template: &LetterTemplate,
        mission: &Mission,
        date: Date,
        facts: Facts,
    ) -> Result<MissionData> {
        let id = &template.engine_id();
        let prisoners = prisoners(catalog, template, date)?;
        if facts == Facts::Checked {
            catalog.check_asks(template, date)?;
        }
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
        let language = &template.front.language;
        if primary_language(language) == "ru" && !catalog.campaign.speaks(language) {
            return Err(template
                .origin
                .error_at(
                    template.front_line("language"),
                    format!(
                        "a letter in `{language}`, but the campaign has no Russian words \
                         ({} has no [language.ru])",
                        catalog.campaign.origin
                    ),
                )
                .with_help(
                    "a Russian address needs the state in the genitive and the offices in the \
                     dative: add [language.ru] to campaign.toml (README \"Your own campaign\")",
                ));
        }
        let date_text = typography::no_break_spaces(&date.format(language), language);
        let names = prisoners
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect();
        let words = catalog.campaign.words(language);
        let addressee = recipient::addressee(mission, language, &catalog.countries, words);
        let context = mission_context(
            catalog, template, mission, &date_text, &addressee, prisoners,
        );
        Ok(MissionData {
            context,
            date_text,
            addressee,
            names,
            reads,
            rendered: HashMap::new(),
            renderings: Renderings::default(),
            set_texts: HashMap::default(),
            met_once: HashSet::default(),
            kept: 0,
            fixed: [None, None],
        })
    }

    /// The lines of a letter to `mission` that no sender changes but for
    /// the country line of one writing from `abroad`, made and set once.
    fn fixed(
        &mut self,
        catalog: &Catalog,
        template: &LetterTemplate,
        mission: &Mission,
        abroad: bool,
    ) -> Fixed {
        let addressee = &self.addressee;
        self.fixed[usize::from(abroad)]
            .get_or_insert_with(|| {
                let language = template.front.language.as_str();
                let words = catalog.campaign.words(language);
                let country =
                    abroad.then(|| catalog.countries.name_or_code(&mission.country).to_string());
                let mut fixed = Fixed {
                    recipient_lines: recipient::lines(
                        mission,
                        language,
                        addressee.clone(),
                        country,
                    ),
                    email_name: (primary_language(language) == "ru").then(|| {
                        recipient::mission_name(mission, language, &catalog.countries, words)
                    }),
                    salutation: template
                        .front
                        .salutation
                        .clone()
                        .unwrap_or_else(|| recipient::salutation(mission, language)),
                    closing: template
                        .front
                        .closing
                        .clone()
                        .unwrap_or_else(|| recipient::closing(language).to_string()),
                };
                for line in fixed
                    .recipient_lines
                    .iter_mut()
                    .chain(&mut fixed.email_name)
                {
                    typography::set_line(line, language, false);
                }
                typography::set_line(&mut fixed.salutation, language, true);
                typography::set_line(&mut fixed.closing, language, true);
                fixed
            })
            .clone()
    }

    /// The subject and body for `sender` in `wordings`: rendered, or as
    /// rendered for an earlier sender in the same wordings with the same
    /// values in every field the templates read.
    fn subject_and_body(
        &mut self,
        catalog: &Catalog,
        template: &LetterTemplate,
        sender: &SenderData,
        wordings: &Wordings,
    ) -> Result<(String, Vec<Block>)> {
        let key = match &self.reads {
            Reads::Fields(_) if !self.renderings.worth_keeping() => None,
            Reads::Fields(fields) => Some(format!(
                "{:?}{}",
                wordings,
                rendered_key(self.context.data(), fields, sender)
            )),
            Reads::Anything => None,
        };
        if let Some(key) = &key {
            let done = self.rendered.get(key);
            self.renderings.count(done.is_some());
            if let Some(done) = done {
                return Ok(done.clone());
            }
        }
        // Into the template data only to render: building it for every letter
        // of a batch, and dropping the last one's, cost a third of composing.
        let fields = self
            .context
            .data_mut()
            .as_object_mut()
            .expect("mission_data makes an object");
        let (sender_value, extra) = sender.values(&self.reads);
        fields.insert("sender".into(), sender_value);
        fields.insert("extra".into(), extra);
        let id = &template.engine_id();
        let language = &template.front.language;
        let subject = one_line(&catalog.engine.render(
            &subject_name(id),
            &self.context,
            &wordings.subject,
        )?);
        let body = self.typeset(
            blocks(
                &catalog
                    .engine
                    .render(&body_name(id), &self.context, &wordings.body)?,
            ),
            language,
        );
        if let Some(key) = key {
            let bytes = key.len() + subject.len() + body.iter().map(text_bytes).sum::<usize>();
            if room_for(&mut self.kept, bytes) {
                self.rendered.insert(key, (subject.clone(), body.clone()));
            }
        }
        Ok((subject, body))
    }

    /// `blocks` as the letter's language sets them (see [`typography`]).
    fn typeset(&mut self, blocks: Vec<Block>, language: &str) -> Vec<Block> {
        let MissionData {
            names,
            set_texts,
            met_once,
            kept,
            ..
        } = self;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        typography::body(blocks, language, &names, |text| {
            if let Some(done) = set_texts.get(text) {
                return done.clone();
            }
            let done = typography::set(text, language);
            if met_once.len() >= MET_ONCE {
                met_once.clear();
            }
            let met_before = !met_once.insert(FxBuildHasher.hash_one(text));
            if met_before && room_for(kept, text.len() + done.len()) {
                set_texts.insert(text.to_string(), done.clone());
            }
            done
        })
    }
}

/// Whether `bytes` more may be remembered by this thread (see
/// [`RENDERED_BYTES`]); if so, they are counted, in `kept` too.
fn room_for(kept: &mut usize, bytes: usize) -> bool {
    let room = KEPT_BYTES.with(|all| {
        let room = all.get() + bytes <= RENDERED_BYTES;
        if room {
            all.set(all.get() + bytes);
        }
        room
    });
    if room {
        *kept += bytes;
    }
    room
}

/// The bytes of text in a block.
fn text_bytes(block: &Block) -> usize {
    match block {
        Block::Paragraph(text) => text.len(),
        Block::List(items) => items.iter().map(String::len).sum(),
    }
}

/// The top-level keys of the template data that change from sender to sender.
const SENDER_DATA: &[&str] = &["sender", "extra"];

/// The values of `fields` in the template data, the sender's part taken
/// from `sender`, as one string to look renderings up by.
fn rendered_key(data: &Value, fields: &[Vec<String>], sender: &SenderData) -> String {
    let values: Vec<Option<Cow<Value>>> = fields
        .iter()
        .map(|keys| match keys.split_first() {
            Some((root, path)) if SENDER_DATA.contains(&root.as_str()) => {
                sender.get(root, path).map(Cow::Owned)
            }
            _ => keys
                .iter()
                .try_fold(data, |value, key| value.get(key))
                .map(Cow::Borrowed),
        })
        .collect();
    serde_json::to_string(&values).expect("JSON values serialise")
}

/// What templates see as `sender` and `extra`, made into JSON only as far as
/// they are read.
struct SenderData<'a> {
    sender: &'a Sender,
    /// The sender's country, as a code.
    country: Option<&'a str>,
    country_name: Option<&'a str>,
    extra: &'a Map<String, Value>,
}

/// The fields of `sender` in the template data, in order.
const SENDER_FIELDS: [&str; 10] = [
    "name",
    "org",
    "role",
    "town",
    "postcode",
    "country",
    "country_name",
    "email",
    "phone",
    "address",
];

impl SenderData<'_> {
    /// `{{sender.FIELD}}`; an absent value is an empty string, never missing.
    fn field(&self, field: &str) -> Option<Value> {
        let text = |value: Option<&str>| Value::String(value.unwrap_or_default().to_string());
        let sender = self.sender;
        Some(match field {
            "name" => text(Some(&sender.name)),
            "org" => text(sender.org.as_deref()),
            "role" => text(sender.role.as_deref()),
            "town" => text(sender.town.as_deref()),
            "postcode" => text(sender.postcode.as_deref()),
            "country" => text(self.country),
            "country_name" => text(self.country_name),
            "email" => text(sender.email.as_deref()),
            "phone" => text(sender.phone.as_deref()),
            "address" => json!(sender.address),
            _ => return None,
        })
    }

    /// The whole of `sender`.
    fn value(&self) -> Value {
        Value::Object(
            SENDER_FIELDS
                .iter()
                .map(|&field| {
                    let value = self.field(field).expect("every sender field has a value");
                    (field.to_string(), value)
                })
                .collect(),
        )
    }

    /// `sender` and `extra` as the templates see them: where it is known
    /// which fields they read, only those (the whole of each was made and
    /// dropped for every letter of a batch, most of it never read).
    fn values(&self, reads: &Reads) -> (Value, Value) {
        let part = |root: &str| {
            let whole = |fields: &[Vec<String>]| fields.iter().any(|keys| keys == &[root]);
            match reads {
                Reads::Fields(fields) if !whole(fields) => Value::Object(
                    fields
                        .iter()
                        .filter(|keys| keys.len() > 1 && keys[0] == root)
                        .filter_map(|keys| Some((keys[1].clone(), self.get(root, &keys[1..2])?)))
                        .collect(),
                ),
                _ => self.get(root, &[]).expect("the whole of a root is there"),
            }
        };
        (part("sender"), part("extra"))
    }

    /// The value at `path` under `root` (`sender` or `extra`).
    fn get(&self, root: &str, path: &[String]) -> Option<Value> {
        let Some((first, rest)) = path.split_first() else {
            return Some(match root {
                "sender" => self.value(),
                _ => Value::Object(self.extra.clone()),
            });
        };
        let top = match root {
            "sender" => self.field(first)?,
            _ => self.extra.get(first)?.clone(),
        };
        rest.iter()
            .try_fold(&top, |value, key| value.get(key))
            .cloned()
    }
}

/// The template data that does not depend on the sender.
fn mission_context(
    catalog: &Catalog,
    template: &LetterTemplate,
    mission: &Mission,
    date_text: &str,
    addressee: &[String],
    prisoners: Vec<Value>,
) -> Context {
    let front = &template.front;
    // A variant's template reads the mission and its country in its own
    // language where the data has them.
    let russian = primary_language(&front.language) == "ru";
    let country_name = match catalog.countries.russian(&mission.country) {
        Some(ru) if russian => ru.name.as_str(),
        _ => catalog.countries.name_or_code(&mission.country),
    };
    let words = catalog.campaign.words(&front.language);
    let mission_name = match russian {
        true => recipient::mission_name(mission, &front.language, &catalog.countries, words),
        false => mission.name.clone(),
    };
    Context::from(json!({
        "letter": {
            "id": front.id,
            "title": front.title,
            "language": front.language,
            "deadline": front.deadline.clone().unwrap_or_default(),
            "tags": front.tags,
        },
        "recipient": {
            "id": mission.id,
            "mission": mission_name,
            "city": mission.city,
            "country": mission.country,
            "country_name": country_name,
            "addressee": addressee.join(", "),
        },
        "embassy": mission,
        "prisoners": prisoners,
        "demands": front.demands,
        "date": date_text,
    }))
}

/// Composes a letter from `data`, made by [`MissionData::new`] for the same
/// template, mission and date; the sender's part of it is replaced.
pub fn compose_with(
    catalog: &Catalog,
    request: &Request,
    data: &mut MissionData,
) -> Result<Letter> {
    let wordings = Wordings::of(catalog, request.template, request.sender);
    compose_in(catalog, request, data, &wordings)
}

/// Composes the letter in wordings that, together, take every alternative
/// of every `{{#vary}}` block, whichever the sender would get: `check`
/// finds an error in any alternative, not only in the one a sample takes.
pub fn compose_every_wording(catalog: &Catalog, request: &Request) -> Result<()> {
    let mut data = MissionData::of(catalog, request)?;
    for wordings in Wordings::every(catalog, request.template) {
        compose_in(catalog, request, &mut data, &wordings)?;
    }
    Ok(())
}

fn compose_in(
    catalog: &Catalog,
    request: &Request,
    data: &mut MissionData,
    wordings: &Wordings,
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

    let sender_data = SenderData {
        sender,
        country: sender_country.as_deref(),
        country_name: sender_country
            .as_deref()
            .map(|code| catalog.countries.name_or_code(code)),
        extra: request.extra,
    };
    let (subject, mut body) = data.subject_and_body(catalog, template, &sender_data, wordings)?;
    if let Some(personal) = request.personal.map(str::trim).filter(|p| !p.is_empty()) {
        body.extend(data.typeset(blocks(personal), &front.language));
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
    if request.cc_embassy {
        cc.extend(embassy_copy(
            catalog,
            mission,
            sender_country.as_deref(),
            &front.language,
        )?);
    }
    cc.extend(request.cc.iter().cloned());

    let fixed = data.fixed(catalog, template, mission, abroad);
    Ok(typography::lines(Letter {
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
            lines: fixed.recipient_lines,
            email: mission.email.clone(),
            email_name: fixed.email_name,
            address_missing: !mission.has_postal_address(),
        },
        subject,
        salutation: fixed.salutation,
        body,
        closing: fixed.closing,
        signature,
        cc,
    }))
}

/// The template's people as templates see them on the letter's date: name
/// in the letter's language, what the letter asks, the status and the newest
/// event that says so.
fn prisoners(catalog: &Catalog, template: &LetterTemplate, date: Date) -> Result<Vec<Value>> {
    let front = &template.front;
    let mut out = Vec::new();
    for id in &front.prisoners {
        let Some(prisoner) = catalog.prisoners.get(id) else {
            let suggestions =
                crate::catalog::suggest(id, catalog.prisoners.keys().map(String::as_str));
            let err = template.origin.error_at(
                template.front_line("prisoners"),
                format!("prisoners: no person with id `{id}` in prisoners.toml"),
            );
            return Err(match suggestions.first() {
                Some(s) => err.with_help(format!(
                    "did you mean `{s}`? `protest letters prisoners` lists them"
                )),
                None => {
                    err.with_help("add the person to prisoners.toml in your --letters directory")
                }
            });
        };
        let standing = prisoner.standing_on(date);
        // A letter that names someone with no event yet (only `protest check`
        // renders one) gets empty strings, never a missing variable.
        let last_event = match standing.latest {
            Some(event) => json!({
                "date": event.date,
                "kind": event.kind.as_str(),
                "note": event.note,
                "source": event.source,
            }),
            None => json!({ "date": "", "kind": "", "note": "", "source": "" }),
        };
        out.push(json!({
            "id": prisoner.id,
            "name": prisoner.name_in(&front.language),
            "variants": prisoner.variants,
            "description": prisoner.description_in(&front.language),
            "ask": front.ask_for(id).as_str(),
            "status": standing.status.as_str(),
            "last_event": last_event,
        }));
    }
    Ok(out)
}

/// The copy `--cc-embassy` adds: the mission for the sender's country, named
/// in the letter's language ("Embassy of the Republic of …, London", with
/// the campaign's words in Russian), with its email (which
/// makes it a Cc of a draft) when known. None when the letter already goes to
/// that mission.
fn embassy_copy(
    catalog: &Catalog,
    recipient: &Mission,
    sender_country: Option<&str>,
    language: &str,
) -> Result<Option<String>> {
    let Some(country) = sender_country else {
        return Err(Error::usage(
            "--cc-embassy copies the letter to the mission in the sender's country, \
             but the sender has no country",
        )
        .with_help(
            "give the sender a country: --from-country COUNTRY, country = \"...\" in the \
             sender file, or a `country` column in a senders CSV",
        ));
    };
    let embassy = catalog.mission_for_country(country)?;
    if embassy.id == recipient.id {
        return Ok(None);
    }
    let words = catalog.campaign.words(language);
    let name = recipient::mission_name(embassy, language, &catalog.countries, words);
    Ok(Some(match &embassy.email {
        Some(email) => format!("{name} <{email}>"),
        None => name,
    }))
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
    // Most lines are words single-spaced already, and are copied whole.
    let text = text.trim_ascii();
    if is_single_spaced(text) {
        if !text.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(text);
        }
        return;
    }
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Whether `text` has no ASCII white space but single spaces between words.
fn is_single_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr(b'\x0C', bytes).is_none()
        && !crate::text::has_double_space(text)
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
