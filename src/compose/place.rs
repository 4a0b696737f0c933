//! The town (and postcode) line of the sender's address.
//!
//! A sender who gives `--town Leeds` and no address line holding it would
//! otherwise sign a letter that says nowhere where it comes from: the reply
//! and the return line need the place.

use crate::catalog::Sender;

/// Countries that write the postcode before the town ("10115 Berlin");
/// elsewhere it follows ("Leeds LS1 4AP", "Ottawa ON K1A 0A6").
const POSTCODE_FIRST: [&str; 38] = [
    "AT", "BA", "BE", "BG", "BY", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GE", "GR", "HR",
    "HU", "IS", "IT", "KG", "KZ", "LI", "LT", "LU", "MD", "MK", "NL", "NO", "PL", "PT", "RO", "RS",
    "RU", "SE", "SI", "SK", "TR", "UZ",
];

/// The line to add after the address lines, or `None` when the address
/// already says it (or there is no town or postcode). `country` is the
/// sender's ISO code, when known.
pub fn line(sender: &Sender, country: Option<&str>) -> Option<String> {
    let given = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let in_address = |value: &str| {
        let value = value.to_lowercase();
        sender
            .address
            .iter()
            .any(|line| line.to_lowercase().contains(&value))
    };
    let town = given(&sender.town).filter(|t| !in_address(t));
    let postcode = given(&sender.postcode).filter(|p| !in_address(p));
    match (town, postcode) {
        (Some(town), Some(postcode)) if country.is_some_and(|c| POSTCODE_FIRST.contains(&c)) => {
            Some(format!("{postcode} {town}"))
        }
        (Some(town), Some(postcode)) => Some(format!("{town} {postcode}")),
        (Some(only), None) | (None, Some(only)) => Some(only),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender(address: &[&str], town: Option<&str>, postcode: Option<&str>) -> Sender {
        Sender {
            name: "Ann Lee".into(),
            address: address.iter().map(|l| l.to_string()).collect(),
            town: town.map(str::to_string),
            postcode: postcode.map(str::to_string),
            ..Sender::default()
        }
    }

    #[test]
    fn the_town_is_added_unless_an_address_line_holds_it() {
        assert_eq!(
            line(&sender(&[], Some("Leeds"), None), None).as_deref(),
            Some("Leeds")
        );
        assert_eq!(
            line(&sender(&["1 High St"], Some("Leeds"), None), Some("GB")).as_deref(),
            Some("Leeds")
        );
        assert_eq!(
            line(
                &sender(&["1 High St", "LEEDS LS1 4AP"], Some("Leeds"), None),
                None
            ),
            None
        );
        assert_eq!(line(&sender(&["1 High St"], None, None), None), None);
        assert_eq!(line(&sender(&[], Some("  "), None), None), None);
    }

    #[test]
    fn the_postcode_goes_where_the_country_writes_it() {
        let both = sender(&["1 High St"], Some("Leeds"), Some("LS1 4AP"));
        assert_eq!(line(&both, Some("GB")).as_deref(), Some("Leeds LS1 4AP"));
        assert_eq!(line(&both, None).as_deref(), Some("Leeds LS1 4AP"));
        let berlin = sender(&["Hauptstr. 1"], Some("Berlin"), Some("10115"));
        assert_eq!(line(&berlin, Some("DE")).as_deref(), Some("10115 Berlin"));
        // A postcode already in the address is not repeated; one missing is added.
        let in_address = sender(
            &["Hauptstr. 1", "10115 Berlin"],
            Some("Berlin"),
            Some("10115"),
        );
        assert_eq!(line(&in_address, Some("DE")), None);
        let town_only = sender(&["1 High St", "Leeds"], Some("Leeds"), Some("LS1 4AP"));
        assert_eq!(line(&town_only, Some("GB")).as_deref(), Some("LS1 4AP"));
    }
}
