//! Helpers templates can call, one file each.

mod names;

pub fn register(handlebars: &mut handlebars::Handlebars<'static>) {
    handlebars.register_helper("names", Box::new(names::names));
}
