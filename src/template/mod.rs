//! Handlebars set up for letters: strict (a missing variable is an error, never
//! a blank in a letter) and without HTML escaping (letters are not HTML).

mod helpers;
mod reads;

use std::collections::HashMap;

use handlebars::{Handlebars, RenderErrorReason, TemplateError};

use crate::catalog::Origin;
use crate::error::{Error, Result};
pub use reads::Reads;

/// Where a registered template came from, to turn its line numbers into the file's.
#[derive(Debug, Clone)]
struct Placement {
    origin: Origin,
    /// Lines of the file before the template text.
    line_offset: usize,
    /// The front matter key the template is, when it is not the body (e.g. `subject`).
    field: Option<&'static str>,
}

#[derive(Clone)]
pub struct Engine {
    handlebars: Handlebars<'static>,
    placements: HashMap<String, Placement>,
}

impl Default for Engine {
    fn default() -> Self {
        let mut handlebars = Handlebars::new();
        handlebars.set_strict_mode(true);
        handlebars.register_escape_fn(handlebars::no_escape);
        helpers::register(&mut handlebars);
        Engine {
            handlebars,
            placements: HashMap::new(),
        }
    }
}

impl Engine {
    /// Compiles `source` under `name`. `line_offset` is how many lines of the
    /// file come before it, so errors point at the file's own line numbers.
    pub fn register(
        &mut self,
        name: &str,
        source: &str,
        origin: &Origin,
        line_offset: usize,
        field: Option<&'static str>,
    ) -> Result<()> {
        let placement = Placement {
            origin: origin.clone(),
            line_offset,
            field,
        };
        if let Err(err) = self.handlebars.register_template_string(name, source) {
            return Err(template_error(&placement, &err));
        }
        self.placements.insert(name.to_string(), placement);
        Ok(())
    }

    /// The fields under `roots` (top-level keys of the data) that the
    /// template `name` reads: see [`Reads`].
    pub fn reads(&self, name: &str, roots: &[&str]) -> Reads {
        match self.handlebars.get_template(name) {
            Some(template) => reads::reads_under(template, roots),
            None => Reads::Anything,
        }
    }

    /// Renders with a [`Context`](handlebars::Context) the caller keeps, so
    /// that the letter data is not copied for every template rendered.
    pub fn render(&self, name: &str, context: &handlebars::Context) -> Result<String> {
        self.handlebars
            .render_with_context(name, context)
            .map_err(|err| {
                let placement = err
                    .template_name
                    .as_ref()
                    .and_then(|n| self.placements.get(n))
                    .or_else(|| self.placements.get(name));
                let message = match err.reason() {
                    RenderErrorReason::MissingVariable(Some(path)) => {
                        format!("`{path}` is not a variable the letter data has")
                    }
                    RenderErrorReason::MissingVariable(None) => {
                        "the template uses a variable the letter data does not have".to_string()
                    }
                    RenderErrorReason::HelperNotFound(helper) => {
                        let message = format!("unknown helper `{helper}`");
                        let help = "a template can use `names` and Handlebars' own helpers \
                                (if, unless, each, with, lookup, eq, ne, and, or, not); \
                                see `protest letters --help`";
                        return match placement {
                            Some(p) => at(p, err.line_no, &message).with_help(help),
                            None => Error::data(message).with_help(help),
                        };
                    }
                    RenderErrorReason::TemplateError(err) => {
                        return template_error_at(placement, err)
                    }
                    other => other.to_string(),
                };
                let help = "`protest letters --help` lists the variables a template can use";
                match placement {
                    Some(p) => at(p, err.line_no, &message).with_help(help),
                    None => Error::data(message).with_help(help),
                }
            })
    }
}

fn template_error_at(placement: Option<&Placement>, err: &TemplateError) -> Error {
    match placement {
        Some(p) => template_error(p, err),
        None => Error::data(err.reason().to_string()),
    }
}

fn template_error(placement: &Placement, err: &TemplateError) -> Error {
    let line = err.pos().map(|(line, _)| line);
    let reason = match err.reason() {
        // The parser's own message lists grammar rules, which helps nobody writing a letter.
        handlebars::TemplateErrorReason::InvalidSyntax(_) => {
            "invalid Handlebars syntax: an unclosed {{#if}} or {{#each}}, or a stray {{".to_string()
        }
        other => other.to_string(),
    };
    let help = if reason.contains("was opened, but") || reason.contains("invalid Handlebars syntax")
    {
        "every {{#each}} and {{#if}} needs its {{/each}} or {{/if}}; a literal {{ is written \\{{"
    } else {
        "see letters/README.md for the template syntax"
    };
    at(placement, line, &reason).with_help(help)
}

fn at(placement: &Placement, line: Option<usize>, message: &str) -> Error {
    let message = match placement.field {
        Some(field) => format!("in `{field}`: {message}"),
        None => message.to_string(),
    };
    let line = line.map(|l| l + placement.line_offset);
    placement.origin.error_at(line, message)
}
