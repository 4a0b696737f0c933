//! Which campaigns are known, and which one a command writes for.
//!
//! Known: the campaigns built into the binary, the folders config.toml's
//! `campaigns = […]` lists (each known by the name its campaign.toml gives),
//! and the data folder (`PROTEST_DATA`, else config.toml's `data`) when its
//! campaign.toml names a campaign not known otherwise.
//!
//! In force: `--campaign NAME|DIR`, else config.toml's `campaign`, else the
//! data folder's campaign, else the first built-in one. The data folder goes
//! over the campaign it is of: the one its campaign.toml names, or, without
//! one, the first built-in campaign (the data folders made before there were
//! campaigns are its updates); over another campaign it is not used.

use std::path::{Path, PathBuf};

use crate::catalog::{builtin_campaigns, builtin_name, CampaignSource, CatalogPaths, DataDir};
use crate::config::{self, CampaignSettings};
use crate::error::{Error, Result};

/// A campaign one can write for.
#[derive(Debug, Clone)]
pub struct Known {
    pub name: String,
    pub source: CampaignSource,
    /// The data folder that goes over it, if it is of this campaign.
    pub update: Option<DataDir>,
}

impl Known {
    /// Where it is: "built in" or its folder.
    pub fn place(&self) -> String {
        match &self.source {
            CampaignSource::Builtin(_) => "built in".into(),
            CampaignSource::Folder(dir) => dir.path.display().to_string(),
        }
    }

    /// The catalog paths of this campaign, with the user's own files over it.
    pub fn paths(&self, letters: Option<PathBuf>, embassies: Option<PathBuf>) -> CatalogPaths {
        CatalogPaths {
            campaign: self.source.clone(),
            data_dir: self.update.clone(),
            letters_dir: letters,
            embassies_file: embassies,
        }
    }
}

/// What the configuration says: config.toml's campaigns, and the data folder
/// with the name of the campaign it is of.
pub struct Settings {
    config: CampaignSettings,
    /// The folders of config.toml's `campaigns`, each with the name its
    /// campaign.toml gives it, or why that cannot be read.
    listed: Vec<(DataDir, Result<String>)>,
    data: Option<DataDir>,
    /// The name in the data folder's campaign.toml, if it has one.
    data_name: Option<String>,
}

impl Settings {
    /// The configuration of this user (config.toml, `PROTEST_DATA`).
    pub fn read() -> Result<Settings> {
        let data = config::data_dir()?;
        let data_name = match &data {
            Some(dir) if dir.path.join(crate::catalog::CAMPAIGN_FILE).is_file() => {
                Some(crate::catalog::campaign_name(dir)?)
            }
            _ => None,
        };
        let config = config::campaign_settings()?;
        let listed = config
            .campaigns
            .iter()
            .map(|dir| (dir.clone(), crate::catalog::campaign_name(dir)))
            .collect();
        Ok(Settings {
            config,
            listed,
            data,
            data_name,
        })
    }

    /// The folders config.toml lists whose campaign.toml cannot be read, and
    /// why: they are left out of the known campaigns.
    pub fn unreadable(&self) -> impl Iterator<Item = (&DataDir, &Error)> {
        self.listed
            .iter()
            .filter_map(|(dir, name)| name.as_ref().err().map(|err| (dir, err)))
    }

    /// Says, once a run, which listed campaigns are left out: a command that
    /// does not use them goes on, but a mistake in config.toml is not kept
    /// from its user.
    fn warn_unreadable(&self) {
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| {
            for (dir, err) in self.unreadable() {
                let why = err
                    .message
                    .strip_prefix(&format!("{}: ", dir.set_by))
                    .unwrap_or(&err.message);
                crate::notice::warn(format_args!(
                    "{}: left out of the campaigns: {why} (`protest campaigns` lists them)",
                    dir.set_by
                ));
            }
        });
    }

    /// The campaign `flag` (a `--campaign` value) names, else the one in force.
    pub fn choose(&self, flag: Option<&str>) -> Result<Known> {
        // A folder on the command line is as the user wrote it, relative to
        // the current directory; in config.toml, relative to the file.
        let asked = match (flag, &self.config.campaign) {
            (Some(value), _) => Some((
                value,
                format!("--campaign {}", crate::text::quote(value).bare()),
                Path::new(""),
            )),
            (None, Some((value, set_by))) => {
                Some((value.as_str(), set_by.clone(), self.config.dir.as_path()))
            }
            (None, None) => None,
        };
        if let Some((value, set_by, base)) = asked {
            return self.find(value, set_by, base);
        }
        match &self.data_name {
            Some(name) => {
                let known = self.known()?;
                let found = known.into_iter().find(|k| &k.name == name);
                Ok(found.expect("the data folder's campaign is known"))
            }
            None => Ok(self.builtin(0)),
        }
    }

    /// Every known campaign: the built-in ones, config.toml's, then the data
    /// folder's when it is of a campaign of its own.
    pub fn known(&self) -> Result<Vec<Known>> {
        let mut known: Vec<Known> = (0..builtin_campaigns().len())
            .map(|index| self.builtin(index))
            .collect();
        let mut set_by: Vec<String> = vec!["built in".into(); known.len()];
        let readable = self
            .listed
            .iter()
            .filter_map(|(dir, name)| Some((dir, name.as_ref().ok()?.clone())));
        for (dir, name) in readable {
            if let Some(index) = known.iter().position(|k| k.name == name) {
                return Err(Error::data(format!(
                    "{}: a second campaign named `{name}` (the first is {})",
                    dir.set_by, set_by[index]
                ))
                .with_help(format!(
                    "a name is one campaign's: rename this one in {}, or leave it out of \
                     `campaigns`; to update a campaign, point `data` at a folder of it",
                    dir.path.join(crate::catalog::CAMPAIGN_FILE).display()
                )));
            }
            known.push(Known {
                update: self.update_for(&name, &dir.path),
                name,
                source: CampaignSource::Folder(dir.clone()),
            });
            set_by.push(dir.set_by.clone());
        }
        if let (Some(data), Some(name)) = (&self.data, &self.data_name) {
            if !known.iter().any(|k| &k.name == name) {
                known.push(Known {
                    name: name.clone(),
                    source: CampaignSource::Folder(data.clone()),
                    update: None,
                });
            }
        }
        Ok(known)
    }

    fn builtin(&self, index: usize) -> Known {
        let name = builtin_name(&builtin_campaigns()[index]);
        Known {
            update: self.update_for(&name, Path::new("")),
            name,
            source: CampaignSource::Builtin(index),
        }
    }

    /// The data folder, if it is of the campaign `name` (in `folder`) and not that folder itself.
    fn update_for(&self, name: &str, folder: &Path) -> Option<DataDir> {
        let data = self.data.as_ref()?;
        let of = match &self.data_name {
            Some(own) => own.clone(),
            None => builtin_name(&builtin_campaigns()[0]),
        };
        let same_folder = || match (data.path.canonicalize(), folder.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => data.path == folder,
        };
        (of == name && !same_folder()).then(|| data.clone())
    }

    /// The campaign `value` names: a known name, else a campaign's folder.
    fn find(&self, value: &str, set_by: String, base: &Path) -> Result<Known> {
        if value.trim().is_empty() {
            return Err(Error::usage(format!(
                "{}: empty: it names no campaign",
                set_by.trim_end()
            ))
            .with_help(
                "give a campaign's name (`protest campaigns` lists them) or its folder, as \
                     ./NAME or /path/to/it",
            ));
        }
        let known = self.known()?;
        if let Some(found) = known.iter().find(|k| k.name == value) {
            return Ok(found.clone());
        }
        let path = config::expand_home(Path::new(value)).unwrap_or_else(|| base.join(value));
        let looks_like_folder = value.contains(['/', '\\']) || value.starts_with(['.', '~']);
        if looks_like_folder || path.is_dir() {
            let dir = DataDir { path, set_by };
            let name = crate::catalog::campaign_name(&dir)?;
            return Ok(Known {
                update: self.update_for(&name, &dir.path),
                name,
                source: CampaignSource::Folder(dir),
            });
        }
        let names = known.iter().map(|k| k.name.as_str());
        let suggestions = crate::catalog::suggest(value, names);
        let help = match suggestions.first() {
            Some(name) => format!("did you mean `{name}`? `protest campaigns` lists them all"),
            None => "`protest campaigns` lists them; give a campaign's folder as ./NAME or \
                     /path/to/it"
                .to_string(),
        };
        Err(Error::usage(format!("{set_by}: no such campaign")).with_help(help))
    }
}

/// The catalog paths of the campaign `flag` names (or the one in force), with
/// the user's own files over it.
pub fn paths(
    flag: Option<&str>,
    letters: Option<PathBuf>,
    embassies: Option<PathBuf>,
) -> Result<CatalogPaths> {
    let settings = Settings::read()?;
    settings.warn_unreadable();
    Ok(settings.choose(flag)?.paths(letters, embassies))
}

/// The `--campaign` value in a command line, as the help and the shell's
/// completion need it before the line is parsed: not after `--`, except the
/// `--` of a completion request (`protest -- protest write --campaign …`).
pub fn flag_in(args: &[std::ffi::OsString]) -> Option<String> {
    let completing = args.get(1).is_some_and(|a| a == "--");
    let skip = if completing { 3 } else { 1 };
    let mut words = args.iter().skip(skip).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            return None;
        }
        if word == "--campaign" {
            return words.next().map(|w| w.into_owned());
        }
        if let Some(value) = word.strip_prefix("--campaign=") {
            return Some(value.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_campaign_flag_before_a_double_dash_and_in_a_completion_request() {
        let line = |words: &[&str]| -> Vec<std::ffi::OsString> {
            words.iter().map(|w| (*w).into()).collect()
        };
        assert_eq!(
            flag_in(&line(&["protest", "write", "--campaign", "b"])).as_deref(),
            Some("b")
        );
        assert_eq!(
            flag_in(&line(&["protest", "--campaign=b", "letters"])).as_deref(),
            Some("b")
        );
        assert_eq!(
            flag_in(&line(&["protest", "write", "--", "--campaign", "b"])),
            None
        );
        assert_eq!(
            flag_in(&line(&[
                "protest",
                "--",
                "protest",
                "write",
                "--campaign",
                "b",
                "--to"
            ]))
            .as_deref(),
            Some("b")
        );
        assert_eq!(flag_in(&line(&["protest", "write", "--campaign"])), None);
    }
}
