//! Bounds on the work a template can ask for. Handlebars renders by recursion
//! and repeats `{{#each}}` bodies without limit, so a template that nests
//! blocks thousands deep overflows the stack (an abort, not an error) and
//! seven nested `{{#each}}` over the same list never finish. The shape is
//! checked when the template is loaded, so `protest check` finds it too; what
//! depends on the data (how often a body repeats, how long the text grows) is
//! counted while it renders.

use std::cell::Cell;
use std::io::{self, Write};

use handlebars::template::{
    DecoratorTemplate, HelperTemplate, Parameter, Template, TemplateElement, TemplateMapping,
};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, Path, RenderContext, RenderErrorReason,
};

/// How deep blocks and `( )` subexpressions may nest; each `{{else if}}` of a
/// chain is a level too, as Handlebars renders it inside the one before.
/// Letters need a few, or one a country in a chain of `{{else if}}`; each
/// level costs the renderer 5 to 10 kB of a 2 MB worker stack (a debug build
/// overflows past 300).
pub const MAX_DEPTH: usize = 100;

/// How many times, in all, `{{#each}}` bodies may be rendered for one text.
pub const MAX_ITERATIONS: u64 = 100_000;

/// The longest text (body or subject) a template may render to.
pub const MAX_RENDERED_BYTES: usize = 1 << 20;

/// The helper put at the start of every `{{#each}}` body to count its runs.
/// Its name cannot be written in a template (`@` is not a name character).
const TICK: &str = "@protest-each";

/// Why a template is refused when loaded, and the line (of the template text) where.
#[derive(Debug)]
pub struct ShapeError {
    pub line: Option<usize>,
    pub message: String,
    pub help: &'static str,
}

/// Refuses what a letter may not contain: blocks nested past [`MAX_DEPTH`],
/// and partials or decorators, which include other templates (and so could
/// include each other without end).
pub fn check_shape(template: &Template) -> Result<(), ShapeError> {
    check_template(template, 0, None)
}

/// `outer_line` stands in for elements Handlebars gives no line (the block
/// of an `{{else if}}`).
fn check_template(
    template: &Template,
    depth: usize,
    outer_line: Option<usize>,
) -> Result<(), ShapeError> {
    for (index, element) in template.elements.iter().enumerate() {
        let line = template.mapping.get(index).map(|mapping| mapping.0);
        check_element(element, line.or(outer_line), depth)?;
    }
    Ok(())
}

fn check_element(
    element: &TemplateElement,
    line: Option<usize>,
    depth: usize,
) -> Result<(), ShapeError> {
    match element {
        TemplateElement::RawString(_) | TemplateElement::Comment(_) => Ok(()),
        TemplateElement::Expression(helper) | TemplateElement::HtmlExpression(helper) => {
            check_helper(helper, line, depth)
        }
        TemplateElement::HelperBlock(helper) => {
            let depth = deeper(depth, line)?;
            check_helper(helper, line, depth)?;
            for inner in helper.template.iter().chain(&helper.inverse) {
                check_template(inner, depth, line)?;
            }
            Ok(())
        }
        TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
            Err(ShapeError {
                line,
                message: format!(
                    "`{{{{> {}}}}}`: a letter cannot include another template",
                    name_of(d)
                ),
                help: "copy the text the letters share into each of them",
            })
        }
        TemplateElement::DecoratorExpression(d) | TemplateElement::DecoratorBlock(d) => {
            Err(ShapeError {
                line,
                message: format!(
                    "`{{{{* {}}}}}`: decorators and inline partials are not supported in letters",
                    name_of(d)
                ),
                help: "a letter uses variables, {{#if}}, {{#each}} and {{#with}}; see letters/README.md",
            })
        }
        // A kind of element added by a later Handlebars: refused until it is known to be bounded.
        _ => Err(ShapeError {
            line,
            message: "a Handlebars construct letters do not support".to_string(),
            help: "a letter uses variables, {{#if}}, {{#each}} and {{#with}}; see letters/README.md",
        }),
    }
}

fn check_helper(
    helper: &HelperTemplate,
    line: Option<usize>,
    depth: usize,
) -> Result<(), ShapeError> {
    let parameters = std::iter::once(&helper.name)
        .chain(&helper.params)
        .chain(helper.hash.values());
    for parameter in parameters {
        if let Parameter::Subexpression(sub) = parameter {
            check_element(sub.as_element(), line, deeper(depth, line)?)?;
        }
    }
    Ok(())
}

/// Where `source` first nests past [`MAX_DEPTH`], told from `{{#`, `{{/` and
/// the brackets inside `{{ }}` alone. The parser refuses a template nested
/// deeper than its stack allows as invalid syntax; this says why instead.
pub fn rough_depth_past_limit(source: &str) -> Option<ShapeError> {
    let mut depth = 0usize;
    let mut line = 1;
    let mut inside = false;
    let bytes = source.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        match byte {
            b'\n' => line += 1,
            b'{' if next == Some(b'{') && !inside => {
                inside = true;
                match bytes.get(i + 2) {
                    Some(b'#') => depth += 1,
                    Some(b'/') => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            b'}' if next == Some(b'}') => inside = false,
            b'(' if inside => depth += 1,
            b')' if inside => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return deeper(depth, Some(line)).err();
        }
    }
    None
}

fn deeper(depth: usize, line: Option<usize>) -> Result<usize, ShapeError> {
    if depth >= MAX_DEPTH {
        return Err(ShapeError {
            line,
            message: format!(
                "blocks and ( ) nest more than {MAX_DEPTH} deep here; a template may nest them at most {MAX_DEPTH} deep"
            ),
            help: "close each {{#if}} or {{#each}} before the next opens, or join conditions: {{#if (and a b)}}",
        });
    }
    Ok(depth + 1)
}

fn name_of(decorator: &DecoratorTemplate) -> String {
    match &decorator.name {
        Parameter::Name(name) => name.clone(),
        Parameter::Path(Path::Relative((_, raw))) => raw.clone(),
        _ => "…".to_string(),
    }
}

/// Puts the counting helper at the start of every `{{#each}}` body, so that
/// each run of a body, even one that writes nothing, spends the budget.
pub fn count_iterations(template: &mut Template) {
    for index in 0..template.elements.len() {
        let line = template.mapping.get(index).cloned();
        if let TemplateElement::HelperBlock(helper) = &mut template.elements[index] {
            let is_each = helper.name.as_name() == Some("each");
            if let Some(inner) = helper.template.as_mut() {
                count_iterations(inner);
                if is_each {
                    let (tick, tick_line) = tick_element();
                    inner.elements.insert(0, tick);
                    inner.mapping.insert(0, line.clone().unwrap_or(tick_line));
                }
            }
            if let Some(inverse) = helper.inverse.as_mut() {
                count_iterations(inverse);
            }
        }
    }
}

/// `{{@protest-each}}`, which no template can write: compiled from a
/// writable name, then renamed.
fn tick_element() -> (TemplateElement, TemplateMapping) {
    let mut compiled = Template::compile("{{tick}}").expect("the counting expression compiles");
    let mut element = compiled.elements.remove(0);
    if let TemplateElement::Expression(helper) = &mut element {
        helper.name = Parameter::Name(TICK.to_string());
    }
    (element, compiled.mapping.remove(0))
}

thread_local! {
    /// Runs of `{{#each}}` bodies left for the text being rendered on this thread.
    static ITERATIONS_LEFT: Cell<u64> = const { Cell::new(MAX_ITERATIONS) };
}

/// Gives the text about to be rendered on this thread a full budget.
pub fn reset_budget() {
    ITERATIONS_LEFT.with(|left| left.set(MAX_ITERATIONS));
}

/// Whether a render stopped for spending the budget.
pub fn budget_spent(err: &handlebars::RenderError) -> bool {
    matches!(err.reason(), RenderErrorReason::Other(reason) if reason == BUDGET_SPENT)
}

const BUDGET_SPENT: &str = "{{#each}} bodies repeated too often";

pub fn register(handlebars: &mut Handlebars<'static>) {
    handlebars.register_helper(TICK, Box::new(tick));
}

fn tick(
    _: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    _: &mut dyn Output,
) -> HelperResult {
    ITERATIONS_LEFT.with(|left| match left.get() {
        0 => Err(RenderErrorReason::Other(BUDGET_SPENT.to_string()).into()),
        n => {
            left.set(n - 1);
            Ok(())
        }
    })
}

/// Rendered text that refuses to grow past [`MAX_RENDERED_BYTES`].
#[derive(Default)]
pub struct CappedText {
    pub bytes: Vec<u8>,
    pub overflowed: bool,
}

impl Write for CappedText {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_RENDERED_BYTES {
            self.overflowed = true;
            return Err(io::Error::other("the rendered text is too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
