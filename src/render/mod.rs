//! Renderers: the same composed [`Letter`] as plain text, email drafts or a
//! print-ready PDF.

mod attachment;
pub mod email;
pub mod pdf;
pub mod text;
mod words;

use clap::ValueEnum;

use crate::compose::Letter;
use crate::error::Result;

/// The output formats `protest write` can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, wrapped at 72 columns
    Text,
    /// A print-ready PDF for a window envelope
    Pdf,
    /// An email draft (RFC 5322 .eml) to open in a mail client and send
    Eml,
    /// Every letter's email draft in one mbox file
    Mbox,
    /// One mailto: link per letter
    Mailto,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Pdf => "pdf",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
            Format::Mailto => "mailto",
        }
    }

    /// File extension for one letter in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text | Format::Mailto => "txt",
            Format::Pdf => "pdf",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
        }
    }

    /// True for the formats that go to the mission's email address.
    pub fn is_email(self) -> bool {
        matches!(self, Format::Eml | Format::Mbox | Format::Mailto)
    }

    /// True when several letters make one output (an mbox, a list of links,
    /// a combined PDF) rather than needing a file each.
    pub fn concatenates(self) -> bool {
        matches!(self, Format::Mbox | Format::Mailto | Format::Pdf)
    }
}

/// Format-specific choices, set once for a whole run.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub pdf: pdf::PdfOptions,
    /// Attach the PDF rendering to each email draft.
    pub attach_pdf: bool,
}

/// One letter in one format. For mbox this is the letter's message, which
/// the caller appends to the mailbox; for mailto, the link and a newline
/// (the caller warns when it is longer than [`email::MAILTO_WARN_LEN`]).
pub fn render(format: Format, letter: &Letter, options: &RenderOptions) -> Result<Vec<u8>> {
    match format {
        Format::Text => Ok(text::render(letter).into_bytes()),
        Format::Pdf => pdf::render_pdf(std::slice::from_ref(letter), &options.pdf),
        Format::Eml | Format::Mbox => {
            let attachment_pdf = match options.attach_pdf {
                true => Some(pdf::render_pdf(std::slice::from_ref(letter), &options.pdf)?),
                false => None,
            };
            let email_options = email::EmailOptions {
                cc: Vec::new(),
                attachment_pdf,
            };
            email::render_eml(letter, &email_options)
        }
        Format::Mailto => {
            let mut link = email::render_mailto(letter, &email::EmailOptions::default())?;
            link.push('\n');
            Ok(link.into_bytes())
        }
    }
}
