//! Handlebars set up for letters: strict (a missing variable is an error, never
//! a blank in a letter) and without HTML escaping (letters are not HTML).

mod helpers;
mod limits;
mod reads;
mod vary;

use std::collections::HashMap;
use std::sync::OnceLock;

use handlebars::template::Template;
use handlebars::{Handlebars, RenderContext, RenderErrorReason, Renderable, TemplateError};

use crate::error::{Error, Result};
use crate::origin::Origin;
pub use reads::Reads;
pub use vary::{identity, Alternative, Wording};

/// Where a registered template came from, to turn its line numbers into the file's.
#[derive(Debug, Clone)]
struct Placement {
    origin: Origin,
    /// Lines of the file before the template text.
    line_offset: usize,
    /// The front matter key the template is, when it is not the body (e.g. `subject`).
    field: Option<&'static str>,
}

/// A `{{#vary}}` block of a template, as `check` reads it.
#[derive(Debug, Clone)]
pub struct VaryBlock<'t> {
    /// The file line it opens on.
    pub line: Option<usize>,
    /// Each alternative, with its `line` counted in the file.
    pub alternatives: Vec<Alternative<'t>>,
}

#[derive(Clone)]
pub struct Engine {
    /// The helpers and settings; templates are kept below, by name.
    handlebars: Handlebars<'static>,
    templates: HashMap<String, Entry>,
}

/// A registered template. The user's are compiled when registered, so that
/// a mistake in one is told whatever the command; the shipped ones, which
/// the tests compile, only when a command uses them: one letter compiles
/// its own two templates, not all of them.
#[derive(Clone)]
struct Entry {
    placement: Placement,
    /// Until compiled.
    source: String,
    compiled: OnceLock<Result<Compiled>>,
}

/// A template checked and readied to render.
#[derive(Clone)]
struct Compiled {
    template: Template,
    /// Its `{{#vary}}` blocks, in the order they open.
    blocks: Vec<vary::Spans>,
}

impl Default for Engine {
    fn default() -> Self {
        let mut handlebars = Handlebars::new();
        handlebars.set_strict_mode(true);
        handlebars.register_escape_fn(handlebars::no_escape);
        helpers::register(&mut handlebars);
        limits::register(&mut handlebars);
        handlebars.register_helper(vary::HELPER, Box::new(vary::vary));
        Engine {
            handlebars,
            templates: HashMap::new(),
        }
    }
}

impl Engine {
    /// Compiles `source` under `name`. `line_offset` is how many lines of the
    /// file come before it, so errors point at the file's own line numbers.
    /// A `shipped` template (one the tests compile) is only kept, and
    /// compiled when first used.
    pub fn register(
        &mut self,
        name: &str,
        source: &str,
        origin: &Origin,
        line_offset: usize,
        field: Option<&'static str>,
        shipped: bool,
    ) -> Result<()> {
        let placement = Placement {
            origin: origin.clone(),
            line_offset,
            field,
        };
        let entry = match shipped {
            true => Entry {
                placement,
                source: source.to_string(),
                compiled: OnceLock::new(),
            },
            false => {
                let compiled = compile(name, source, &placement)?;
                Entry {
                    placement,
                    source: String::new(),
                    compiled: OnceLock::from(Ok(compiled)),
                }
            }
        };
        self.templates.insert(name.to_string(), entry);
        Ok(())
    }

    /// The template registered as `name`, compiled.
    fn compiled(&self, name: &str) -> Option<Result<&Compiled>> {
        let entry = self.templates.get(name)?;
        let compiled = entry
            .compiled
            .get_or_init(|| compile(name, &entry.source, &entry.placement));
        Some(compiled.as_ref().map_err(Clone::clone))
    }

    /// The `{{#vary}}` blocks of the template `name` (none when there is no
    /// such template or it does not compile, which rendering it tells).
    fn blocks(&self, name: &str) -> &[vary::Spans] {
        match self.compiled(name) {
            Some(Ok(compiled)) => &compiled.blocks,
            _ => &[],
        }
    }

    /// The fields under `roots` (top-level keys of the data) that the
    /// template `name` reads: see [`Reads`].
    pub fn reads(&self, name: &str, roots: &[&str]) -> Reads {
        match self.compiled(name) {
            Some(Ok(compiled)) => reads::reads_under(&compiled.template, roots),
            _ => Reads::Anything,
        }
    }

    /// How many alternatives each `{{#vary}}` block of the template `name` has.
    pub fn alternatives(&self, name: &str) -> Vec<usize> {
        self.blocks(name)
            .iter()
            .map(|b| b.separators.len() + 1)
            .collect()
    }

    /// How many texts the template `name` can give one set of data: the
    /// product of its blocks' alternatives (at most `u64::MAX`).
    pub fn wordings(&self, name: &str) -> u64 {
        self.alternatives(name)
            .iter()
            .fold(1u64, |product, &size| product.saturating_mul(size as u64))
    }

    /// The wording of the template `name` for the sender `who` (see
    /// [`identity`]): the same for the same sender, every time.
    pub fn wording(&self, name: &str, who: &str) -> Wording {
        Wording::chosen(&self.alternatives(name), name, who)
    }

    /// Wordings that, rendered in turn, give every alternative of every block.
    pub fn every_wording(&self, name: &str) -> Vec<Wording> {
        let sizes = self.alternatives(name);
        let most = sizes.iter().copied().max().unwrap_or(1);
        (0..most).map(|n| Wording::each(&sizes, n)).collect()
    }

    /// The `{{#vary}}` blocks of the template `name`, read in `source`,
    /// the text it was registered from.
    pub fn vary_blocks<'t>(&self, name: &str, source: &'t str) -> Vec<VaryBlock<'t>> {
        let Some(entry) = self.templates.get(name) else {
            return Vec::new();
        };
        let offset = entry.placement.line_offset;
        self.blocks(name)
            .iter()
            .map(|spans| VaryBlock {
                line: Some(spans.open.0 + offset),
                alternatives: vary::alternatives(source, spans)
                    .into_iter()
                    .map(|a| Alternative {
                        line: a.line + offset,
                        ..a
                    })
                    .collect(),
            })
            .collect()
    }

    /// Renders with a [`Context`](handlebars::Context) the caller keeps, so
    /// that the letter data is not copied for every template rendered, in
    /// `wording` (made for the same template by [`Engine::wording`]).
    pub fn render(
        &self,
        name: &str,
        context: &handlebars::Context,
        wording: &Wording,
    ) -> Result<String> {
        let template = match self.compiled(name) {
            Some(compiled) => &compiled?.template,
            None => return Err(Error::data(format!("no template named `{name}`"))),
        };
        limits::reset_budget();
        let mut text = limits::CappedText::default();
        vary::with_wording(wording, || {
            // As Handlebars renders a template of its own registry.
            let mut render_context = RenderContext::new(template.name.as_ref());
            let mut output = handlebars::WriteOutput::new(&mut text);
            template.render(&self.handlebars, context, &mut render_context, &mut output)
        })
        .map_err(|err| {
            let placement = err
                .template_name
                .as_ref()
                .and_then(|n| self.templates.get(n))
                .or_else(|| self.templates.get(name))
                .map(|entry| &entry.placement);
            let too_long = if text.overflowed {
                Some(format!(
                    "the letter grows past {} MB as it is filled in",
                    limits::MAX_RENDERED_BYTES >> 20
                ))
            } else if limits::budget_spent(&err) {
                Some(format!(
                    "{{{{#each}}}} blocks repeat more than {} times in all",
                    limits::MAX_ITERATIONS
                ))
            } else {
                None
            };
            if let Some(message) = too_long {
                let help = "a letter lists each prisoner or demand once: \
                                do not nest {{#each}} over the same list";
                return match placement {
                    Some(p) => at(p, err.line_no, &message).with_help(help),
                    None => Error::data(message).with_help(help),
                };
            }
            let message = match err.reason() {
                RenderErrorReason::MissingVariable(Some(path)) => {
                    format!(
                        "{} is not a variable the letter data has",
                        crate::text::quote(path)
                    )
                }
                RenderErrorReason::MissingVariable(None) => {
                    "the template uses a variable the letter data does not have".to_string()
                }
                RenderErrorReason::HelperNotFound(helper) => {
                    let message = format!("unknown helper {}", crate::text::quote(helper));
                    let help = "a template can use `names`, `{{#vary}}` and Handlebars' own \
                                helpers (if, unless, each, with, lookup, eq, ne, and, or, not); \
                                see `protest letters --help`";
                    return match placement {
                        Some(p) => at(p, err.line_no, &message).with_help(help),
                        None => Error::data(message).with_help(help),
                    };
                }
                RenderErrorReason::TemplateError(err) => return template_error_at(placement, err),
                other => other.to_string(),
            };
            let help = "`protest letters --help` lists the variables a template can use";
            match placement {
                Some(p) => at(p, err.line_no, &message).with_help(help),
                None => Error::data(message).with_help(help),
            }
        })?;
        // Handlebars writes whole `str`s, and the cap refuses a write whole.
        Ok(String::from_utf8(text.bytes).expect("rendered text is UTF-8"))
    }
}

/// Compiles `source` as the template `name`, within the bounds on nesting
/// and repetition that keep rendering it short, its `{{#vary}}` blocks
/// checked and readied.
fn compile(name: &str, source: &str, placement: &Placement) -> Result<Compiled> {
    let mut template = Template::compile_with_name(source, name.to_string()).map_err(|err| {
        match limits::rough_depth_past_limit(source) {
            // The parser gives up on deep nesting with a syntax error.
            Some(shape) => at(placement, shape.line, &shape.message).with_help(shape.help),
            None => match unclosed_block(source) {
                // The parser says where the text ended; the opening tag is the news.
                Some((line, name)) if is_invalid_syntax(&err) => at(
                    placement,
                    Some(line),
                    &format!("`{{{{#{name}}}}}` is never closed with `{{{{/{name}}}}}`"),
                )
                .with_help(CLOSE_EVERY_BLOCK),
                _ => template_error(placement, &err),
            },
        }
    })?;
    limits::check_shape(&template)
        .map_err(|shape| at(placement, shape.line, &shape.message).with_help(shape.help))?;
    let blocks = vary::prepare(&mut template)
        .map_err(|shape| at(placement, shape.line, &shape.message).with_help(shape.help))?;
    limits::count_iterations(&mut template);
    Ok(Compiled { template, blocks })
}

/// Whether a short template outside the catalog (a `--file-name` pattern)
/// keeps to the same bounds on nesting as a letter: its renderer recurses as
/// deep as the blocks nest. Syntax errors are left for the caller to report.
pub fn check_pattern(source: &str) -> std::result::Result<(), String> {
    let shape = match Template::compile(source) {
        Ok(template) => limits::check_shape(&template).err(),
        Err(_) => limits::rough_depth_past_limit(source),
    };
    match shape {
        Some(shape) => Err(shape.message),
        None => Ok(()),
    }
}

const CLOSE_EVERY_BLOCK: &str = "every {{#each}}, {{#if}} and {{#vary}} needs its {{/each}}, \
                                 {{/if}} or {{/vary}}; a literal {{ is written \\{{";

fn is_invalid_syntax(err: &TemplateError) -> bool {
    matches!(
        err.reason(),
        handlebars::TemplateErrorReason::InvalidSyntax(_)
    )
}

/// The line (1-based) and name of the innermost block `source` opens and
/// never closes, told from its tags alone (comments and `\{{` skipped).
fn unclosed_block(source: &str) -> Option<(usize, String)> {
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut at = 0;
    while let Some(found) = source[at..].find("{{") {
        let start = at + found;
        if source[..start].ends_with('\\') {
            at = start + 2;
            continue;
        }
        let inside = source[start + 2..]
            .trim_start_matches(['~', '{'])
            .trim_start();
        let end = match inside.strip_prefix("!--") {
            Some(comment) => comment
                .find("--}}")
                .map(|e| source.len() - comment.len() + e + 4),
            None => source[start..].find("}}").map(|e| start + e + 2),
        };
        let name = |rest: &str| -> String {
            rest.trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '}' | '~' | '('))
                .collect()
        };
        if let Some(rest) = inside.strip_prefix(['#', '^']) {
            // `{{^}}` alone is an `{{else}}`; `{{#>` and `{{#*` are refused elsewhere.
            let block = name(rest);
            if !block.is_empty() && !rest.starts_with(['>', '*']) {
                open.push((source[..start].matches('\n').count() + 1, block));
            }
        } else if let Some(rest) = inside.strip_prefix('/') {
            if open.last().is_some_and(|(_, opened)| *opened == name(rest)) {
                open.pop();
            }
        }
        match end {
            Some(end) => at = end,
            None => break,
        }
    }
    open.pop()
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
            "invalid Handlebars syntax: an unclosed {{#if}}, {{#each}} or {{#vary}}, or a stray {{"
                .to_string()
        }
        other => other.to_string(),
    };
    let help = if reason.contains("was opened, but") || reason.contains("invalid Handlebars syntax")
    {
        CLOSE_EVERY_BLOCK
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Registers `body` as the body of `t.hbs`, which has 7 lines before it.
    fn load(body: &str) -> Result<Engine> {
        let mut engine = Engine::default();
        let origin = Origin::file(std::path::Path::new("t.hbs"));
        engine.register("t/body", body, &origin, 7, None, false)?;
        Ok(engine)
    }

    fn render(body: &str, data: serde_json::Value) -> Result<String> {
        let context = handlebars::Context::wraps(data).expect("JSON wraps");
        let engine = load(body)?;
        let wording = engine.wording("t/body", "a sender");
        engine.render("t/body", &context, &wording)
    }

    fn nested(open: &str, close: &str, depth: usize) -> String {
        format!("\n{}x{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn a_shipped_template_is_compiled_when_first_used_and_a_users_at_once() {
        let broken = "\n{{#if x}}unclosed";
        let mut engine = Engine::default();
        let builtin = Origin::builtin("letters/t.hbs");
        engine
            .register("b/body", broken, &builtin, 7, None, true)
            .unwrap();
        let varied = "Hi {{name}}.\n{{#vary}}\nOne.\n{{or}}\nTwo.\n{{/vary}}\n";
        engine
            .register("ok/body", varied, &builtin, 7, None, true)
            .unwrap();
        engine
            .register(
                "bad/body",
                "{{#vary}}a{{or}} {{/vary}}",
                &builtin,
                7,
                None,
                true,
            )
            .unwrap();
        let context = handlebars::Context::wraps(json!({"name": "Ann"})).unwrap();
        // Compiled when used, its {{#vary}} blocks readied as a user's are.
        assert_eq!(engine.alternatives("ok/body"), [2]);
        let texts: Vec<String> = engine
            .every_wording("ok/body")
            .iter()
            .map(|wording| engine.render("ok/body", &context, wording).unwrap())
            .collect();
        assert_eq!(texts, ["Hi Ann.\nOne.\n", "Hi Ann.\nTwo.\n"]);
        assert_eq!(
            engine.reads("ok/body", &["name"]),
            Reads::Fields(vec![vec!["name".to_string()]])
        );
        assert_eq!(engine.vary_blocks("ok/body", varied)[0].line, Some(9));
        // The same errors, with the same place, as when compiled at once.
        let wording = engine.wording("b/body", "a sender");
        let err = engine.render("b/body", &context, &wording).unwrap_err();
        assert_eq!(
            err.message,
            "letters/t.hbs (built in):9: `{{#if}}` is never closed with `{{/if}}`"
        );
        assert_eq!(engine.reads("b/body", &["name"]), Reads::Anything);
        let err = engine
            .render("bad/body", &context, &Wording::default())
            .unwrap_err();
        assert!(
            err.message.starts_with(
                "letters/t.hbs (built in):8: alternative 2 of this {{#vary}} block is empty"
            ),
            "{}",
            err.message
        );
        let err = load(broken)
            .err()
            .expect("a user's template is compiled at once");
        assert_eq!(
            err.message,
            "t.hbs:9: `{{#if}}` is never closed with `{{/if}}`"
        );
    }

    #[test]
    fn blocks_nest_at_most_the_limit_whatever_the_block() {
        let data = json!({"a": [1], "b": true, "n": false});
        for (open, close) in [
            ("{{#if b}}", "{{/if}}"),
            ("{{#unless n}}", "{{/unless}}"),
            ("{{#each @root.a}}", "{{/each}}"),
            ("{{#with this}}", "{{/with}}"),
            ("{{#if b}}{{else}}", "{{/if}}"),
        ] {
            let within = nested(open, close, limits::MAX_DEPTH);
            if let Err(err) = render(&within, data.clone()) {
                panic!("{open} x {}: {}", limits::MAX_DEPTH, err.message);
            }
            for depth in [limits::MAX_DEPTH + 1, 2_000] {
                let err = load(&nested(open, close, depth)).err().expect("refused");
                assert_eq!(err.kind, crate::error::ErrorKind::Data);
                assert!(
                    err.message
                        .starts_with("t.hbs:9: blocks and ( ) nest more than 100 deep"),
                    "{open} x {depth}: {}",
                    err.message
                );
            }
        }
    }

    #[test]
    fn a_pattern_keeps_to_the_same_nesting_bounds() {
        assert_eq!(
            check_pattern("{{letter.id}}-{{#if sender.org}}{{sender.org}}{{/if}}"),
            Ok(())
        );
        assert_eq!(
            check_pattern("{{#if"),
            Ok(()),
            "syntax errors are the caller's to report"
        );
        for depth in [limits::MAX_DEPTH + 1, 300, 5_000] {
            let err = check_pattern(&nested("{{#if letter.id}}", "{{/if}}", depth)).unwrap_err();
            assert!(
                err.starts_with("blocks and ( ) nest more than 100"),
                "{depth}: {err}"
            );
        }
        assert!(check_pattern("{{> other}}").is_err());
    }

    #[test]
    fn each_else_if_of_a_chain_is_a_level() {
        let chain = |n: usize| {
            let links: String = (0..n)
                .map(|i| format!("{{{{else if (eq c \"{i}\")}}}}{i}"))
                .collect();
            format!("\n{{{{#if (eq c \"x\")}}}}x{links}{{{{else}}}}none{{{{/if}}}}")
        };
        let data = json!({"c": "7"});
        // The `{{#if}}`, then a level a link, and the last link's `( )`.
        assert_eq!(render(&chain(limits::MAX_DEPTH - 2), data).unwrap(), "\n7");
        assert!(load(&chain(limits::MAX_DEPTH - 1)).is_err());
        let err = load(&chain(limits::MAX_DEPTH + 1)).err().expect("refused");
        assert!(
            err.message
                .starts_with("t.hbs:9: blocks and ( ) nest more than 100 deep"),
            "{}",
            err.message
        );
    }

    #[test]
    fn subexpressions_count_towards_the_depth() {
        let deep = |n: usize| {
            format!(
                "{{{{#if {}b{}}}}}y{{{{/if}}}}",
                "(not ".repeat(n),
                ")".repeat(n)
            )
        };
        assert_eq!(
            render(&deep(limits::MAX_DEPTH - 1), json!({"b": false})).unwrap(),
            "y"
        );
        let err = load(&deep(limits::MAX_DEPTH)).err().expect("refused");
        assert!(
            err.message.contains("nest more than 100 deep"),
            "{}",
            err.message
        );
        let in_expression = format!("{{{{not {}b{}}}}}", "(not ".repeat(140), ")".repeat(140));
        assert!(load(&in_expression).is_err());
    }

    #[test]
    fn a_template_cannot_include_another() {
        for (body, shown) in [
            (
                "{{> t/body}}",
                "`{{> t/body}}`: a letter cannot include another template",
            ),
            (
                "\n{{> other}}",
                "`{{> other}}`: a letter cannot include another template",
            ),
            ("{{#> layout}}x{{/layout}}", "`{{> layout}}`"),
            ("{{#if b}}\n{{> p}}{{/if}}", "t.hbs:9: `{{> p}}`"),
            (
                "{{#*inline \"p\"}}x{{/inline}}",
                "decorators and inline partials are not supported",
            ),
            (
                "{{*decorator}}",
                "decorators and inline partials are not supported",
            ),
        ] {
            let err = load(body).err().expect(body);
            assert!(err.message.starts_with("t.hbs:"), "{body}: {}", err.message);
            assert!(err.message.contains(shown), "{body}: {}", err.message);
        }
        assert!(load("{{> other}}")
            .err()
            .unwrap()
            .message
            .starts_with("t.hbs:8:"));
    }

    #[test]
    fn each_bodies_repeat_a_bounded_number_of_times_even_when_they_write_nothing() {
        let list: Vec<u32> = (0..10).collect();
        let data = json!({ "l": list });
        let each = |n: usize, inner: &str| {
            format!(
                "{}{inner}{}",
                "{{#each @root.l}}".repeat(n),
                "{{/each}}".repeat(n)
            )
        };
        // 10 + 100 + … + 10,000 runs: within the budget.
        assert_eq!(render(&each(4, ""), data.clone()).unwrap(), "");
        assert_eq!(render(&each(3, "x"), data.clone()).unwrap().len(), 1_000);
        for inner in ["", "x", "{{#if true}}{{/if}}"] {
            for depth in [5, 7] {
                let err = render(&each(depth, inner), data.clone()).expect_err("stopped");
                assert_eq!(
                    err.message, "t.hbs:8: {{#each}} blocks repeat more than 100000 times in all",
                    "{depth} {inner}"
                );
            }
        }
        // Exactly the budget is within it; one more run is not.
        let budget = vec![0; limits::MAX_ITERATIONS as usize];
        assert!(render("{{#each l}}{{/each}}", json!({ "l": budget })).is_ok());
        let over = vec![0; limits::MAX_ITERATIONS as usize + 1];
        assert!(render("{{#each l}}{{/each}}", json!({ "l": over })).is_err());
        // An object's keys repeat the same way.
        let keys: serde_json::Map<String, serde_json::Value> =
            (0..10).map(|i| (i.to_string(), json!(i))).collect();
        let err = render(
            &each(6, "").replace("@root.l", "@root.o"),
            json!({ "o": keys }),
        );
        assert!(err.is_err());
        // The budget is for one text: the next render starts afresh.
        let engine = load(&each(4, "")).unwrap();
        let context = handlebars::Context::wraps(&data).unwrap();
        for _ in 0..3 {
            let wording = Wording::default();
            assert_eq!(engine.render("t/body", &context, &wording).unwrap(), "");
        }
    }

    #[test]
    fn a_rendered_text_is_at_most_a_megabyte() {
        let list: Vec<u32> = (0..100).collect();
        let body = "{{#each l}}{{#each @root.l}}{{@root.s}}{{/each}}{{/each}}";
        let fits = "x".repeat(100);
        let text = render(body, json!({ "l": list, "s": fits })).unwrap();
        assert_eq!(text.len(), 1_000_000);
        let over = "x".repeat(105);
        let err = render(body, json!({ "l": list, "s": over })).unwrap_err();
        assert_eq!(
            err.message,
            "t.hbs:8: the letter grows past 1 MB as it is filled in"
        );
        // One value alone is refused too, not only repetition.
        let huge = "y".repeat(limits::MAX_RENDERED_BYTES + 1);
        assert!(render("{{s}}", json!({ "s": huge })).is_err());
    }

    #[test]
    fn a_vary_block_renders_the_alternative_its_wording_takes() {
        let body =
            "{{#vary}}\nOne {{a}}.\n{{or}}\nTwo.\n{{or}}\nThree {{missing}}.\n{{/vary}}\n\nEnd.";
        let engine = load(body).unwrap();
        assert_eq!(engine.alternatives("t/body"), [3]);
        assert_eq!(engine.wordings("t/body"), 3);
        let context = handlebars::Context::wraps(json!({"a": "x"})).unwrap();
        let render = |wording: &Wording| engine.render("t/body", &context, wording);
        let every = engine.every_wording("t/body");
        assert_eq!(every.len(), 3);
        assert_eq!(render(&every[0]).unwrap(), "One x.\n\nEnd.");
        // An `{{or}}` on a line of its own leaves no line, as `{{else}}` does.
        assert_eq!(render(&every[1]).unwrap(), "Two.\n\nEnd.");
        assert_eq!(
            render(&every[2]).unwrap_err().message,
            "t.hbs:13: `missing` is not a variable the letter data has"
        );
        // A wording made for another template is refused, never guessed.
        let err = render(&Wording::default()).unwrap_err();
        assert!(
            err.message.contains("no wording was chosen"),
            "{}",
            err.message
        );
        let blocks = engine.vary_blocks("t/body", body);
        assert_eq!(blocks[0].line, Some(8));
        let lines: Vec<usize> = blocks[0].alternatives.iter().map(|a| a.line).collect();
        assert_eq!(lines, [9, 11, 13]);
    }

    #[test]
    fn alternatives_on_lines_of_their_own_stay_in_their_paragraph() {
        let body = "First.\n{{#vary}}\nA.\n  {{or}}  \nB.\n{{or}}\r\nC.\n{{/vary}}\nLast.\n\n{{#vary}}x {{or}}y{{/vary}}.";
        let engine = load(body).unwrap();
        let context = handlebars::Context::wraps(json!({})).unwrap();
        let texts: Vec<String> = engine
            .every_wording("t/body")
            .iter()
            .map(|wording| engine.render("t/body", &context, wording).unwrap())
            .collect();
        assert_eq!(
            texts,
            [
                "First.\nA.\nLast.\n\nx .",
                "First.\nB.\nLast.\n\ny.",
                "First.\nC.\nLast.\n\ny."
            ]
        );
    }

    #[test]
    fn a_vary_block_is_checked_when_loaded() {
        let err = load("\n\n{{#vary}}a{{or}} {{/vary}}")
            .err()
            .expect("refused");
        assert_eq!(
            err.message,
            "t.hbs:10: alternative 2 of this {{#vary}} block is empty: each alternative says the same in other words"
        );
        let err = load("\n{{#vary}}a{{or}}b\nmore\n").err().expect("refused");
        assert_eq!(
            err.message,
            "t.hbs:9: `{{#vary}}` is never closed with `{{/vary}}`"
        );
        assert_eq!(
            unclosed_block("{{#if a}}\n{{#each b}}{{/each}}\\{{#x}}{{!-- {{#y}} --}}{{^unless c}}"),
            Some((2, "unless".to_string()))
        );
        assert_eq!(unclosed_block("{{#if a}}{{/if}} {{x"), None);
    }
}
