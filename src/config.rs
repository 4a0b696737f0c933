//! `config.toml`, next to the profile (`~/.config/protest/config.toml` by the
//! XDG rules): settings that hold for every command.
//!
//! `campaign = "belarus"` (a name or a folder) is the campaign letters are
//! written for, unless `--campaign` says another; `campaigns = […]` are the
//! folders of the campaigns one uses besides the built-in ones, known by
//! their names. `data = "/path/to/folder"` points at a campaign's data folder
//! (often a git repository its members pull): `letters/*.hbs`,
//! `letters/prisoners.toml`, `embassies.toml` and perhaps `campaign.toml`,
//! over the campaign's own, so the facts can be updated without a new
//! binary. `PROTEST_DATA` overrides it; `--letters` and `--embassies` go over
//! both. src/campaigns.rs puts them together.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::DataDir;
use crate::error::Result;
use crate::origin::{key_line, Origin};

const FILE_NAME: &str = "config.toml";

/// The environment variable that names a data folder, over the config file's.
pub const DATA_VAR: &str = "PROTEST_DATA";

/// The file's settings. A key it does not know is an error naming its line:
/// a misspelt `dta =` would otherwise be ignored without a word.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The campaign in force: a name, or a folder (absolute or relative to the config file).
    pub campaign: Option<String>,
    /// Folders of campaigns, known by the names their campaign.toml gives them.
    pub campaigns: Vec<PathBuf>,
    /// A campaign's data folder, absolute or relative to the config file.
    pub data: Option<PathBuf>,
    pub smtp: SmtpConfig,
}

/// `[smtp]`: the defaults of `protest send`; its flags go over them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an [smtp] table")]
pub struct SmtpConfig {
    pub url: Option<String>,
    pub user: Option<String>,
    pub from: Option<String>,
    pub rate: Option<String>,
    pub password_command: Option<String>,
    /// The name the server's certificate is checked against (`--tls-name`).
    pub tls_name: Option<String>,
}

/// Where the config file is, or `None` when neither HOME nor XDG_CONFIG_HOME says.
pub fn path() -> Option<PathBuf> {
    crate::profile::config_dir(&|name| std::env::var_os(name))
        .map(|dir| dir.join("protest").join(FILE_NAME))
}

/// The config file's settings; the defaults when there is no file.
pub fn load(path: &Path) -> Result<Config> {
    match read(path)? {
        Some(text) => parse(path, &text),
        None => Ok(Config::default()),
    }
}

fn read(path: &Path) -> Result<Option<String>> {
    match std::fs::metadata(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => crate::catalog::read_text(path).map(Some),
    }
}

fn parse(path: &Path, text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|err| {
        Origin::file(path).toml_error(text, &err, 0).with_help(
            "the config file takes campaign = \"NAME\", campaigns = [\"/path/to/folder\", …], \
                 data = \"/path/to/folder\" and an [smtp] table (url, user, from, rate, \
                 password_command, tls_name); see README \"Your own campaign\", \"Data\" and \
                 \"Sending\"",
        )
    })
}

/// The data folder in force: `PROTEST_DATA`, else the config file's `data`.
pub fn data_dir() -> Result<Option<DataDir>> {
    data_dir_from(
        std::env::var_os(DATA_VAR).map(PathBuf::from),
        path().as_deref(),
    )
}

fn data_dir_from(var: Option<PathBuf>, config: Option<&Path>) -> Result<Option<DataDir>> {
    if let Some(path) = var.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(Some(DataDir {
            set_by: format!("{DATA_VAR}={}", path.display()),
            path,
        }));
    }
    let Some(config) = config else {
        return Ok(None);
    };
    let Some(text) = read(config)? else {
        return Ok(None);
    };
    let Some(data) = parse(config, &text)?.data else {
        return Ok(None);
    };
    let line = key_line(&text, "data").map_or(String::new(), |l| format!(":{l}"));
    Ok(Some(DataDir {
        set_by: format!("{}{line}: data = \"{}\"", config.display(), data.display()),
        path: resolve(&data, config),
    }))
}

/// What the config file says of campaigns: `campaign` (its value, and where
/// it is said: `config.toml:3: campaign = "belarus"`), the folders of
/// `campaigns`, and the file's directory, which a relative folder is relative to.
#[derive(Debug, Default)]
pub struct CampaignSettings {
    pub campaign: Option<(String, String)>,
    pub campaigns: Vec<DataDir>,
    pub dir: PathBuf,
}

/// The config file's `campaign` and `campaigns`; none without a file.
pub fn campaign_settings() -> Result<CampaignSettings> {
    match path() {
        Some(path) => campaign_settings_from(&path),
        None => Ok(CampaignSettings::default()),
    }
}

fn campaign_settings_from(config: &Path) -> Result<CampaignSettings> {
    let Some(text) = read(config)? else {
        return Ok(CampaignSettings::default());
    };
    let parsed = parse(config, &text)?;
    let at = |key: &str| {
        let line = key_line(&text, key).map_or(String::new(), |l| format!(":{l}"));
        format!("{}{line}", config.display())
    };
    Ok(CampaignSettings {
        campaign: parsed.campaign.map(|value| {
            let set_by = format!(
                "{}: campaign = {}",
                at("campaign"),
                crate::text::quote(&value).in_double_quotes()
            );
            (value, set_by)
        }),
        campaigns: parsed
            .campaigns
            .iter()
            .map(|folder| DataDir {
                path: resolve(folder, config),
                set_by: format!("{}: campaigns: \"{}\"", at("campaigns"), folder.display()),
            })
            .collect(),
        dir: config.parent().map(Path::to_path_buf).unwrap_or_default(),
    })
}

/// `~/x` is in the home directory; a relative path is relative to the config file.
pub fn resolve(data: &Path, config: &Path) -> PathBuf {
    if let Some(path) = expand_home(data) {
        return path;
    }
    match config.parent() {
        Some(dir) if data.is_relative() => dir.join(data),
        _ => data.to_path_buf(),
    }
}

/// `~` and `~/x` in the home directory, as a shell would have them; `None`
/// for any other path (`~user` too), or when `HOME` is not set.
pub fn expand_home(path: &Path) -> Option<PathBuf> {
    let rest = path.strip_prefix("~").ok()?;
    Some(PathBuf::from(std::env::var_os("HOME")?).join(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_is_the_home_directory_only_as_a_whole_first_component() {
        for path in ["~user/x", "x/~", "~x", "./~"] {
            assert_eq!(expand_home(Path::new(path)), None, "{path}");
        }
        let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else {
            return;
        };
        assert_eq!(expand_home(Path::new("~")), Some(home.join("")));
        assert_eq!(expand_home(Path::new("~/x/y")), Some(home.join("x/y")));
        assert_eq!(expand_home(Path::new("~//x")), Some(home.join("x")));
    }

    #[test]
    fn the_variable_wins_over_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "# campaign data\ndata = \"campaign\"\n").unwrap();
        let from_file = data_dir_from(None, Some(&config)).unwrap().unwrap();
        assert_eq!(from_file.path, dir.path().join("campaign"));
        assert_eq!(
            from_file.set_by,
            format!("{}:2: data = \"campaign\"", config.display())
        );
        let from_var = data_dir_from(Some("/srv/data".into()), Some(&config))
            .unwrap()
            .unwrap();
        assert_eq!(from_var.path, PathBuf::from("/srv/data"));
        assert!(data_dir_from(None, Some(&dir.path().join("none.toml")))
            .unwrap()
            .is_none());
    }

    #[test]
    fn reads_the_data_folder_and_the_smtp_table() {
        let config = parse(
            Path::new("c.toml"),
            "data = \"/d\"\n[smtp]\nurl = \"smtps://mail.example.org\"\nrate = \"10/min\"\n",
        )
        .unwrap();
        assert_eq!(config.data, Some(PathBuf::from("/d")));
        assert_eq!(config.smtp.url.as_deref(), Some("smtps://mail.example.org"));
        assert_eq!(config.smtp.rate.as_deref(), Some("10/min"));
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_line() {
        for (text, line, key) in [
            ("dta = \"/d\"\n", 1, "dta"),
            ("[smtp]\nurl = \"x\"\npasword = \"x\"\n", 3, "pasword"),
        ] {
            let err = parse(Path::new("c.toml"), text).unwrap_err();
            assert!(
                err.message
                    .starts_with(&format!("c.toml:{line}: unknown field `{key}`")),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn names_the_file_and_line_of_an_error() {
        let err = parse(Path::new("c.toml"), "\ndata = 3\n").unwrap_err();
        assert!(err.message.starts_with("c.toml:2: "), "{}", err.message);
    }
}
