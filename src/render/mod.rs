//! Renderers: the same composed [`Letter`](crate::compose::Letter) as plain
//! text, email drafts or a print-ready PDF.

pub mod email;
pub mod text;

use clap::ValueEnum;

/// The output formats `protest write` can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, wrapped at 72 columns.
    Text,
}

impl Format {
    /// File extension for one letter in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
        }
    }
}
