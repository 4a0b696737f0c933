//! `{{#vary}}one wording{{or}}another{{/vary}}`: alternatives of which each
//! letter takes one, so that a branch's letters are not all word for word
//! the same (officials and mail filters discount identical letters).
//!
//! Which alternative a letter takes is a [`Wording`], chosen from the sender
//! and the template (a digest, so a re-run gives the same text) and handed to
//! [`Engine::render`](super::Engine::render) with the data. The choice is not
//! in the data, so [`reads`](super::reads) cannot see it: whoever keeps
//! rendered texts for reuse must key them by the wording as well as by the
//! fields the template reads (`compose::MissionData` does).
//!
//! Handlebars has no `{{else}}`-like separator of its own for a helper, so
//! `{{or}}` (the logical helper's name, which takes two parameters) with no
//! parameters is the separator. When a template is loaded, each block is
//! checked and renamed [`HELPER`] with its number as its parameter, and each
//! separator renamed [`SEPARATOR`]: names a template cannot write (`@` is not
//! a name character), so the renderer meets only blocks checked here.

use std::cell::RefCell;

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason, Renderable,
};
use sha2::{Digest, Sha256};

use super::limits::ShapeError;

/// What a checked `{{#vary}}` block is called once loaded.
pub const HELPER: &str = "@protest-vary";
/// What a checked `{{or}}` is called once loaded.
pub const SEPARATOR: &str = "@protest-or";

const HOW: &str = "write {{#vary}}one wording{{or}}another{{/vary}}; see letters/README.md";

/// Which alternative each `{{#vary}}` block of a template takes, in the
/// order the blocks open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Wording(Vec<u32>);

impl Wording {
    /// The wording of `who` (the sender, as [`identity`] gives it) for the
    /// template `name`, whose blocks have `sizes` alternatives: each block's
    /// choice is a digest of the three and the block's number, so that every
    /// block varies on its own and the same sender always gets the same text.
    pub fn chosen(sizes: &[usize], name: &str, who: &str) -> Wording {
        Wording(
            sizes
                .iter()
                .enumerate()
                .map(|(block, &size)| {
                    let digest = Sha256::new()
                        .chain_update(who.as_bytes())
                        .chain_update([0])
                        .chain_update(name.as_bytes())
                        .chain_update([0])
                        .chain_update((block as u64).to_le_bytes())
                        .finalize();
                    let value = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
                    (value % size.max(1) as u64) as u32
                })
                .collect(),
        )
    }

    /// The `n`-th alternative of every block that has one, the first of the
    /// others: `n` from 0 to the largest block's size renders every alternative.
    pub fn each(sizes: &[usize], n: usize) -> Wording {
        Wording(
            sizes
                .iter()
                .map(|&size| n.min(size.saturating_sub(1)) as u32)
                .collect(),
        )
    }
}

/// A sender as the choice of wording knows them: their name and email
/// address, as a re-run of the same senders file gives them.
pub fn identity(name: &str, email: Option<&str>) -> String {
    format!(
        "{}\n{}",
        name.trim(),
        email.unwrap_or_default().trim().to_lowercase()
    )
}

thread_local! {
    /// The wording of the text being rendered on this thread.
    static WORDING: RefCell<Wording> = RefCell::default();
}

/// Runs `render` with `wording` as the one its `{{#vary}}` blocks take.
pub fn with_wording<T>(wording: &Wording, render: impl FnOnce() -> T) -> T {
    WORDING.with(|current| current.borrow_mut().clone_from(wording));
    render()
}

/// The loaded `{{#vary}}` block: renders the alternative the wording gives it.
pub fn vary<'reg, 'rc>(
    h: &Helper<'rc>,
    registry: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> HelperResult {
    let block = h
        .param(0)
        .and_then(|p| p.value().as_u64())
        .ok_or(RenderErrorReason::ParamNotFoundForIndex(HELPER, 0))?;
    let template = h
        .template()
        .ok_or(RenderErrorReason::BlockContentRequired)?;
    let choice = WORDING
        .with(|wording| wording.borrow().0.get(block as usize).copied())
        .ok_or_else(|| {
            RenderErrorReason::Other("no wording was chosen for a {{#vary}} block".into())
        })?;
    let mut alternative = 0;
    for (index, element) in template.elements.iter().enumerate() {
        if is_loaded_separator(element) {
            alternative += 1;
            continue;
        }
        if alternative != choice {
            continue;
        }
        // As `Template::render` does: an error is told at its element's line.
        element.render(registry, ctx, rc, out).map_err(|mut err| {
            if err.line_no.is_none() {
                if let Some(mapping) = template.mapping.get(index) {
                    err.line_no = Some(mapping.0);
                    err.column_no = Some(mapping.1);
                }
            }
            err
        })?;
    }
    Ok(())
}

fn is_loaded_separator(element: &TemplateElement) -> bool {
    matches!(element, TemplateElement::Expression(h) if h.name.as_name() == Some(SEPARATOR))
}

/// Where a `{{#vary}}` block and its separators are in the template text:
/// (line, column), 1-based, as Handlebars counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spans {
    pub open: (usize, usize),
    pub separators: Vec<(usize, usize)>,
}

/// Checks the `{{#vary}}` blocks of a template and readies them to render;
/// returns where each is, in the order they open. Refused: a block inside
/// another, with parameters or `{{else}}`, with fewer than two alternatives
/// or an empty one; `{{or}}` anywhere but directly inside a block; and
/// `{{vary}}` written as an expression.
pub fn prepare(template: &mut Template) -> Result<Vec<Spans>, ShapeError> {
    let mut blocks = Vec::new();
    prepare_in(template, Within::Nothing, None, &mut blocks)?;
    Ok(blocks)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Within {
    Nothing,
    /// The body of a `{{#vary}}` block: its alternatives and separators.
    Vary,
    /// A block inside an alternative (`{{#if}}`, `{{#each}}`).
    InsideVary,
}

fn prepare_in(
    template: &mut Template,
    within: Within,
    outer_line: Option<usize>,
    blocks: &mut Vec<Spans>,
) -> Result<(), ShapeError> {
    for index in 0..template.elements.len() {
        let position = template.mapping.get(index).map(|m| (m.0, m.1));
        let line = position.map(|p| p.0).or(outer_line);
        let refuse = |message: &str, help: &'static str| ShapeError {
            line,
            message: message.to_string(),
            help,
        };
        match &mut template.elements[index] {
            TemplateElement::Expression(helper) | TemplateElement::HtmlExpression(helper) => {
                if is_separator(helper) {
                    match within {
                        Within::Vary => helper.name = Parameter::Name(SEPARATOR.to_string()),
                        Within::Nothing => {
                            return Err(refuse(
                                "`{{or}}` outside a {{#vary}} block: it separates a block's alternatives",
                                "put it between {{#vary}} and {{/vary}}; to join two conditions, write (or a b)",
                            ))
                        }
                        Within::InsideVary => {
                            return Err(refuse(
                                "`{{or}}` inside a block within {{#vary}}: it must stand directly in the {{#vary}} block",
                                "close the inner block before {{or}} and open it again after it: each alternative holds whole blocks",
                            ))
                        }
                    }
                } else if helper.name.as_name() == Some("vary") {
                    return Err(refuse("`{{vary}}` is a block, not a value", HOW));
                }
            }
            TemplateElement::HelperBlock(helper) if helper.name.as_name() == Some("vary") => {
                if within != Within::Nothing {
                    return Err(refuse(
                        "a {{#vary}} block inside another {{#vary}} block",
                        "write each alternative of the outer block out in full, or put the blocks one after the other",
                    ));
                }
                if !helper.params.is_empty()
                    || !helper.hash.is_empty()
                    || helper.block_param.is_some()
                {
                    return Err(refuse("`{{#vary}}` takes no parameters", HOW));
                }
                if helper.inverse.is_some() {
                    return Err(refuse(
                        "`{{else}}` in a {{#vary}} block: alternatives are separated by {{or}}",
                        HOW,
                    ));
                }
                let Some(inner) = helper.template.as_mut() else {
                    return Err(refuse("an empty {{#vary}} block", HOW));
                };
                prepare_in(inner, Within::Vary, line, blocks)?;
                standalone_separators(inner);
                let separators = check_alternatives(inner, line)?;
                helper.name = Parameter::Name(HELPER.to_string());
                helper.params = vec![Parameter::Literal(serde_json::json!(blocks.len()))];
                blocks.push(Spans {
                    open: position.unwrap_or((line.unwrap_or(1), 1)),
                    separators,
                });
            }
            TemplateElement::HelperBlock(helper) => {
                let inner_within = match within {
                    Within::Nothing => Within::Nothing,
                    _ => Within::InsideVary,
                };
                for inner in helper.template.iter_mut().chain(helper.inverse.as_mut()) {
                    prepare_in(inner, inner_within, line, blocks)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Takes the line of an `{{or}}` that stands on a line of its own out of
/// the text, as Handlebars does for `{{else}}`: an alternative inside a
/// paragraph then joins it as a line, not after a blank line.
fn standalone_separators(body: &mut Template) {
    let is_blank = |text: &str| text.chars().all(|c| c == ' ' || c == '\t');
    for index in 0..body.elements.len() {
        if !is_loaded_separator(&body.elements[index]) {
            continue;
        }
        let starts_line = match index.checked_sub(1).map(|i| &body.elements[i]) {
            None => true,
            Some(TemplateElement::RawString(before)) => before
                .rsplit_once('\n')
                .is_some_and(|(_, rest)| is_blank(rest)),
            Some(_) => false,
        };
        let ends_line = match body.elements.get(index + 1) {
            None => true,
            Some(TemplateElement::RawString(after)) => after
                .split_once('\n')
                .is_some_and(|(line, _)| is_blank(line.trim_end_matches('\r'))),
            Some(_) => false,
        };
        if !(starts_line && ends_line) {
            continue;
        }
        if let Some(TemplateElement::RawString(before)) =
            index.checked_sub(1).map(|i| &mut body.elements[i])
        {
            let keep = before.trim_end_matches([' ', '\t']).len();
            before.truncate(keep);
        }
        if let Some(TemplateElement::RawString(after)) = body.elements.get_mut(index + 1) {
            let line_end = after.find('\n').map_or(after.len(), |at| at + 1);
            after.drain(..line_end);
        }
    }
}

/// `{{or}}` with nothing after it: `{{or a b}}` is the logical helper.
fn is_separator(helper: &HelperTemplate) -> bool {
    helper.name.as_name() == Some("or") && helper.params.is_empty() && helper.hash.is_empty()
}

/// Where the separators of a block's body are; refuses a block with one
/// alternative, or with one that says nothing.
fn check_alternatives(
    body: &Template,
    line: Option<usize>,
) -> Result<Vec<(usize, usize)>, ShapeError> {
    let mut separators = Vec::new();
    let mut said = vec![false];
    for (index, element) in body.elements.iter().enumerate() {
        if is_loaded_separator(element) {
            let at = body.mapping.get(index).map(|m| (m.0, m.1));
            separators.push(at.unwrap_or((line.unwrap_or(1), 1)));
            said.push(false);
            continue;
        }
        let says = match element {
            TemplateElement::RawString(text) => !text.trim().is_empty(),
            TemplateElement::Comment(_) => false,
            _ => true,
        };
        *said.last_mut().expect("one alternative at least") |= says;
    }
    if separators.is_empty() {
        return Err(ShapeError {
            line,
            message: "a {{#vary}} block with one wording: give two or more, separated by {{or}}"
                .to_string(),
            help: HOW,
        });
    }
    if let Some(empty) = said.iter().position(|said| !said) {
        let at = match empty {
            0 => line,
            n => Some(separators[n - 1].0),
        };
        return Err(ShapeError {
            line: at,
            message: format!(
                "alternative {} of this {{{{#vary}}}} block is empty: each alternative says the same in other words",
                empty + 1
            ),
            help: "write the wording, or remove the {{or}} before it",
        });
    }
    Ok(separators)
}

/// One alternative of a block in the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative<'t> {
    /// The template line of its first word, 1-based.
    pub line: usize,
    /// From its first word.
    pub text: &'t str,
}

/// The text of each alternative of the block at `spans` in `source`, the
/// template text it was compiled from, with where each starts.
pub fn alternatives<'t>(source: &'t str, spans: &Spans) -> Vec<Alternative<'t>> {
    let open = offset(source, spans.open);
    let mut starts = vec![tag_end(source, open)];
    let mut ends = Vec::new();
    for &separator in &spans.separators {
        let at = offset(source, separator);
        ends.push(at);
        starts.push(tag_end(source, at));
    }
    let last = *starts.last().expect("a block has an alternative");
    ends.push(closing_tag(source, last).unwrap_or(source.len()));
    starts
        .into_iter()
        .zip(ends)
        .map(|(start, end)| {
            // From its first word: its line is that word's, not the `{{or}}`'s before it.
            let text = source[start..end.max(start)].trim_start();
            let words = end.max(start) - text.len();
            Alternative {
                line: source[..words].matches('\n').count() + 1,
                text,
            }
        })
        .collect()
}

/// The byte offset of a (line, column) of `source`, columns counted in characters.
fn offset(source: &str, (line, column): (usize, usize)) -> usize {
    let line_start = source
        .match_indices('\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(at, _)| at + 1);
    let line_start = if line <= 1 { 0 } else { line_start };
    source[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(source.len(), |(at, _)| line_start + at)
}

/// Just past the `}}` of the tag that starts at `at`.
fn tag_end(source: &str, at: usize) -> usize {
    source[at..]
        .find("}}")
        .map_or(source.len(), |end| at + end + 2)
}

/// Where the `{{/vary}}` after `from` starts, comments skipped.
fn closing_tag(source: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = source[at..].find("{{") {
        let start = at + found;
        let inside = source[start + 2..].trim_start_matches('~').trim_start();
        if let Some(comment) = inside.strip_prefix("!--") {
            let skip = comment.find("--}}")? + 4;
            at = source.len() - comment.len() + skip;
            continue;
        }
        if inside
            .strip_prefix('/')
            .is_some_and(|rest| rest.trim_start().starts_with("vary"))
        {
            return Some(start);
        }
        at = tag_end(source, start);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(source: &str) -> Result<(Template, Vec<Spans>), String> {
        let mut template = Template::compile(source).map_err(|e| e.to_string())?;
        let spans = prepare(&mut template).map_err(|e| format!("{:?}: {}", e.line, e.message))?;
        Ok((template, spans))
    }

    fn texts(source: &str) -> Vec<Vec<(usize, String)>> {
        let (_, spans) = prepared(source).unwrap();
        spans
            .iter()
            .map(|s| {
                alternatives(source, s)
                    .into_iter()
                    .map(|a| (a.line, a.text.to_string()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn finds_each_alternative_in_the_text() {
        let source = "Hello.\n{{#vary}}\nI write «Ж» {{sender.org}}.\n{{or}}\nWe write.\n{{or}}Они пишут.{{/vary}}\n\
                      {{#if x}}{{~#vary~}}a{{!-- {{/vary}} --}}{{~or~}}b{{ / vary }}{{/if}}";
        assert_eq!(
            texts(source),
            [
                vec![
                    (3, "I write «Ж» {{sender.org}}.\n".to_string()),
                    (5, "We write.\n".to_string()),
                    (6, "Они пишут.".to_string()),
                ],
                vec![
                    (7, "a{{!-- {{/vary}} --}}".to_string()),
                    (7, "b".to_string())
                ],
            ]
        );
        // Columns count characters, not bytes.
        assert_eq!(
            texts("Жж {{#vary}}Жж{{or}}ёё{{/vary}}"),
            [vec![(1, "Жж".to_string()), (1, "ёё".to_string())]]
        );
    }

    #[test]
    fn the_same_sender_gets_the_same_wording_and_senders_spread() {
        let sizes = [3, 2, 3];
        let ann = Wording::chosen(&sizes, "x/body", &identity("Ann Lee", Some("ann@x.org")));
        assert_eq!(
            ann,
            Wording::chosen(&sizes, "x/body", &identity(" Ann Lee ", Some("ANN@x.org")))
        );
        let all: std::collections::HashSet<Wording> = (0..200)
            .map(|n| Wording::chosen(&sizes, "x/body", &identity(&format!("Member {n}"), None)))
            .collect();
        assert_eq!(
            all.len(),
            18,
            "200 senders take every one of 3 x 2 x 3 wordings"
        );
        assert!(all.iter().all(|w| w.0[0] < 3 && w.0[1] < 2 && w.0[2] < 3));
        assert_eq!(Wording::each(&sizes, 2), Wording(vec![2, 1, 2]));
    }

    #[test]
    fn refuses_what_is_not_a_block_of_alternatives() {
        for (source, refused) in [
            ("a{{or}}b", "Some(1): `{{or}}` outside a {{#vary}} block"),
            (
                "{{#vary}}a{{#if x}}b{{or}}c{{/if}}{{or}}d{{/vary}}",
                "Some(1): `{{or}}` inside a block within {{#vary}}",
            ),
            (
                "{{#vary}}a{{or}}\n{{#vary}}b{{or}}c{{/vary}}{{/vary}}",
                "Some(2): a {{#vary}} block inside another",
            ),
            (
                "{{#vary}}a{{or}}{{#if x}}{{#vary}}b{{or}}c{{/vary}}{{/if}}{{/vary}}",
                "Some(1): a {{#vary}} block inside another",
            ),
            (
                "{{#vary}}only{{/vary}}",
                "Some(1): a {{#vary}} block with one wording",
            ),
            (
                "{{#vary}}a{{or}}\n  {{or}}c{{/vary}}",
                "Some(1): alternative 2 of this",
            ),
            (
                "{{#vary}}{{! nothing }}{{or}}c{{/vary}}",
                "Some(1): alternative 1 of this",
            ),
            (
                "{{#vary}}a{{else}}b{{/vary}}",
                "Some(1): `{{else}}` in a {{#vary}} block",
            ),
            (
                "{{#vary x}}a{{or}}b{{/vary}}",
                "Some(1): `{{#vary}}` takes no parameters",
            ),
            ("{{vary}}", "Some(1): `{{vary}}` is a block"),
        ] {
            let err = prepared(source).err().unwrap_or_else(|| panic!("{source}"));
            assert!(err.starts_with(refused), "{source}: {err}");
        }
        // The logical helper is not a separator.
        assert!(prepared("{{#if (or a b)}}{{or a b}}{{/if}}")
            .unwrap()
            .1
            .is_empty());
    }
}
