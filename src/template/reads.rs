//! Which parts of the letter data a template reads, found from its syntax
//! tree. A batch renders a template once for all the senders who differ only
//! in what it never reads (most letters read the sender's organisation, not
//! their name), so the answer must never leave out a path the template can
//! reach: where that cannot be told, the answer is "anything".
//!
//! Which alternative of a `{{#vary}}` block a text takes depends on the
//! sender too, but not through the data: it is the [`Wording`] the text is
//! rendered in, and a reuse of rendered texts must be keyed by it as well
//! (see `template::vary`).
//!
//! [`Wording`]: super::Wording

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Path, PathSeg};

use super::vary;

/// Helpers that read their parameters and nothing else of the data. Our own
/// `names` reads `@root.letter.language` too, which no sender can change.
const INLINE_HELPERS: [&str; 12] = [
    "names", "lookup", "eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "len",
];

/// What a template reads under some top-level keys of its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// Only these fields, each a top-level key and at most one key below it
    /// (`["sender", "org"]`); a field stands for everything under it.
    Fields(Vec<Vec<String>>),
    /// It may read any of the data: it names the whole of it (`this`,
    /// `@root`, `../`), or uses a partial or a block helper we do not know.
    Anything,
}

/// The fields under `roots` (top-level keys such as `sender`) that `template` reads.
pub fn reads_under(template: &Template, roots: &[&str]) -> Reads {
    let mut walk = Walk {
        roots,
        fields: Vec::new(),
    };
    match walk.template(template, Scope::Top) {
        Some(()) => Reads::Fields(walk.fields),
        None => Reads::Anything,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Paths start at the top of the data.
    Top,
    /// Inside `each` or `with`: paths start at the value the block was given,
    /// which was itself read (and recorded) where the block opened.
    Inner,
}

struct Walk<'a> {
    roots: &'a [&'a str],
    fields: Vec<Vec<String>>,
}

/// `None` means "it may read anything": the walk stops there.
impl Walk<'_> {
    fn template(&mut self, template: &Template, scope: Scope) -> Option<()> {
        for element in &template.elements {
            match element {
                TemplateElement::RawString(_) | TemplateElement::Comment(_) => {}
                TemplateElement::Expression(helper) | TemplateElement::HtmlExpression(helper) => {
                    self.expression(helper, scope)?
                }
                TemplateElement::HelperBlock(helper) => self.block(helper, scope)?,
                _ => return None,
            }
        }
        Some(())
    }

    /// `{{name}}` (a variable) or `{{helper param…}}`.
    fn expression(&mut self, helper: &HelperTemplate, scope: Scope) -> Option<()> {
        match &helper.name {
            // Between the alternatives of a `{{#vary}}` block: reads nothing.
            Parameter::Name(name) if name == vary::SEPARATOR => Some(()),
            Parameter::Name(name) if helper.params.is_empty() && helper.hash.is_empty() => {
                self.keys(vec![name.clone()], scope)
            }
            Parameter::Name(name) if INLINE_HELPERS.contains(&name.as_str()) => {
                self.parameters(helper, scope)
            }
            Parameter::Name(_) => None,
            other => {
                self.parameter(other, scope)?;
                self.parameters(helper, scope)
            }
        }
    }

    /// `{{#if}}`, `{{#unless}}`, `{{#each}}`, `{{#with}}`, with their
    /// `{{else}}`, and a loaded `{{#vary}}` (every alternative of which is read).
    fn block(&mut self, helper: &HelperTemplate, scope: Scope) -> Option<()> {
        let inner = match helper.name.as_name()? {
            "if" | "unless" | vary::HELPER => scope,
            "each" | "with" => Scope::Inner,
            _ => return None,
        };
        self.parameters(helper, scope)?;
        if let Some(template) = &helper.template {
            self.template(template, inner)?;
        }
        if let Some(inverse) = &helper.inverse {
            self.template(inverse, scope)?;
        }
        Some(())
    }

    fn parameters(&mut self, helper: &HelperTemplate, scope: Scope) -> Option<()> {
        for parameter in helper.params.iter().chain(helper.hash.values()) {
            self.parameter(parameter, scope)?;
        }
        Some(())
    }

    fn parameter(&mut self, parameter: &Parameter, scope: Scope) -> Option<()> {
        match parameter {
            Parameter::Literal(_) => Some(()),
            Parameter::Name(name) => self.keys(vec![name.clone()], scope),
            Parameter::Path(path) => self.path(path, scope),
            Parameter::Subexpression(sub) => match sub.as_element() {
                TemplateElement::Expression(helper) => self.expression(helper, scope),
                _ => None,
            },
            _ => None,
        }
    }

    fn path(&mut self, path: &Path, scope: Scope) -> Option<()> {
        match path {
            // @index, @key, @first, @last: positions, not data.
            Path::Local(_) => Some(()),
            Path::Relative((segments, _)) => {
                let mut keys = Vec::with_capacity(segments.len());
                for segment in segments {
                    match segment {
                        PathSeg::Named(key) => keys.push(key.clone()),
                        // `@root` and `../` reach past the block's own value.
                        _ => return None,
                    }
                }
                self.keys(keys, scope)
            }
        }
    }

    fn keys(&mut self, mut keys: Vec<String>, scope: Scope) -> Option<()> {
        if scope == Scope::Inner {
            return Some(());
        }
        match keys.first() {
            // `this` at the top is the whole of the data.
            None => None,
            Some(this) if this == "this" => None,
            Some(root) if self.roots.contains(&root.as_str()) => {
                keys.truncate(2);
                if !self.fields.contains(&keys) {
                    self.fields.push(keys);
                }
                Some(())
            }
            Some(_) => Some(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(source: &str) -> Reads {
        let template = Template::compile(source).expect("the test template compiles");
        reads_under(&template, &["sender", "extra"])
    }

    fn fields(list: &[&[&str]]) -> Reads {
        Reads::Fields(
            list.iter()
                .map(|keys| keys.iter().map(|k| k.to_string()).collect())
                .collect(),
        )
    }

    #[test]
    fn finds_the_sender_fields_a_letter_reads() {
        assert_eq!(
            reads("{{#if sender.org}}on behalf of {{sender.org}}{{else}}I{{/if}} ask for {{names prisoners}}"),
            fields(&[&["sender", "org"]])
        );
        assert_eq!(
            reads("{{#each demands}}- {{this}} ({{@index}})\n{{/each}}{{recipient.city}}"),
            fields(&[])
        );
        assert_eq!(
            reads("{{#if (eq sender.country \"GB\")}}x{{else if extra.branch}}{{extra.branch}}{{/if}}"),
            fields(&[&["sender", "country"], &["extra", "branch"]])
        );
        assert_eq!(
            reads("{{lookup sender.address 0}} {{sender.address.[1].x}} {{#with sender}}{{name}}{{/with}}"),
            fields(&[&["sender", "address"], &["sender"]])
        );
        assert_eq!(
            reads("{{#each extra as |value key|}}{{key}}: {{value}}{{/each}}"),
            fields(&[&["extra"]])
        );
    }

    #[test]
    fn anything_that_can_reach_the_whole_data_is_anything() {
        assert_eq!(
            reads("{{this.sender.name}}"),
            fields(&[&["sender", "name"]])
        );
        for source in [
            "{{this}}",
            "{{@root.sender.name}}",
            "{{#each demands}}{{../sender.name}}{{/each}}",
            "{{#each demands}}{{@root.sender.name}}{{/each}}",
            "{{lookup this \"sender\"}}",
            "{{#each this}}{{this}}{{/each}}",
            "{{> partial}}",
            "{{#custom sender}}x{{/custom}}",
            "{{unknown_helper recipient}}",
        ] {
            assert_eq!(reads(source), Reads::Anything, "{source}");
        }
    }

    #[test]
    fn reads_every_alternative_of_a_vary_block() {
        let mut template = Template::compile(
            "{{#vary}}{{sender.org}}{{or}}{{#if sender.town}}x{{/if}}{{/vary}}{{#if a}}{{/if}}",
        )
        .unwrap();
        vary::prepare(&mut template).unwrap();
        assert_eq!(
            reads_under(&template, &["sender", "extra"]),
            fields(&[&["sender", "org"], &["sender", "town"]])
        );
        // A block not checked and loaded is one we do not know.
        assert_eq!(reads("{{#vary}}a{{or}}b{{/vary}}"), Reads::Anything);
    }
}
