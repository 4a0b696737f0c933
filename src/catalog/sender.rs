//! The person or branch who signs the letter.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::files::read_text;
use crate::error::Result;
use crate::origin::Origin;

/// Sender details, from `--sender FILE` and flags. Only the name is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// Postal address lines, without the country.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// Where the letter is written from; non-English letters put it before the date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// Printed with the town when no address line holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2 code or a country name; picks the "nearest embassy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Sender {
    /// Reads a sender file (`--sender FILE`, the saved profile): TOML with the
    /// fields above. An unknown or mistyped key is an error naming its line.
    pub fn from_file(path: &Path) -> Result<Sender> {
        let text = read_text(path)?;
        toml::from_str(&text).map_err(|err| {
            Origin::file(path).toml_error(&text, &err, 0).with_help(
                "a sender file has name, and optionally role, org, address = [lines], town, postcode, country, email, phone",
            )
        })
    }

    /// Fields set in `over` replace those here: flags override the sender file.
    pub fn overlay(mut self, over: Sender) -> Sender {
        if !over.name.is_empty() {
            self.name = over.name;
        }
        if !over.address.is_empty() {
            self.address = over.address;
        }
        for (mine, theirs) in [
            (&mut self.role, over.role),
            (&mut self.org, over.org),
            (&mut self.town, over.town),
            (&mut self.postcode, over.postcode),
            (&mut self.country, over.country),
            (&mut self.email, over.email),
            (&mut self.phone, over.phone),
        ] {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
        self
    }
}
