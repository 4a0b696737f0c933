//! `{{names prisoners}}`: "Max Bokayev and Talgat Ayanov", "A, B and C".
//!
//! Joins the `name` of each item (or each string) with the conjunction of the
//! letter's language, read from `@root.letter.language`.

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::Value;

pub fn names(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let param = h
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("names", 0))?;
    let items = param
        .value()
        .as_array()
        .ok_or(RenderErrorReason::InvalidParamType(
            "a list such as `prisoners`",
        ))?;
    let names: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(s.as_str()),
            other => other.get("name").and_then(Value::as_str),
        })
        .collect();
    let language = ctx
        .data()
        .pointer("/letter/language")
        .and_then(Value::as_str)
        .unwrap_or("en");
    out.write(&join(&names, conjunction(language)))?;
    Ok(())
}

fn conjunction(language: &str) -> &'static str {
    match language.split(['-', '_']).next().unwrap_or("") {
        "de" => "und",
        "fr" => "et",
        "es" => "y",
        "it" => "e",
        "sv" => "och",
        "da" | "no" | "nb" => "og",
        "ru" => "и",
        "kk" => "және",
        _ => "and",
    }
}

fn join(names: &[&str], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joins_with_commas_and_a_conjunction() {
        assert_eq!(join(&["A"], "and"), "A");
        assert_eq!(join(&["A", "B"], "and"), "A and B");
        assert_eq!(join(&["A", "B", "C"], "und"), "A, B und C");
    }
}
