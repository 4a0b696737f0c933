//! What a subcommand prints as JSON (docs/json.md): one document, its
//! `schema` first, the same names for the same ids in every document.

use crate::error::Result;

/// Prints `body`, an object, as a JSON document: its `schema` first, and no
/// key whose value is null, so a script tells "not known" by the key alone
/// (the rule of docs/json.md).
pub fn print_json(body: &impl serde::Serialize) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Document {
        schema: &'static str,
        #[serde(flatten)]
        body: serde_json::Value,
    }
    let mut body = serde_json::to_value(body).expect("values serialise");
    drop_nulls(&mut body);
    let document = Document {
        schema: crate::SCHEMA,
        body,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("values serialise");
    text.push('\n');
    crate::output::write_stdout(text.as_bytes())
}

fn drop_nulls(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            fields.retain(|_, v| !v.is_null());
            fields.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Renames the `id` of a listed item to what it is the id of (`letter`,
/// `mission`, `prisoner`): one name for one kind of id in every document.
pub fn name_id(value: &mut serde_json::Value, name: &str) {
    if let Some(fields) = value.as_object_mut() {
        if let Some(id) = fields.remove("id") {
            fields.insert(name.to_string(), id);
        }
    }
}
