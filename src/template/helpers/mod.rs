//! Helpers templates can call, one file each.
//!
//! A helper reads its parameters and nothing else of the data but `letter`:
//! a batch renders a text once for all senders who agree in the fields its
//! template names (see `template::reads`), and a helper that looked up a
//! sender field by itself would give them all the first sender's value.
//! A new helper is added to `INLINE_HELPERS` there only if it keeps to that.

mod names;

pub fn register(handlebars: &mut handlebars::Handlebars<'static>) {
    handlebars.register_helper("names", Box::new(names::names));
}
