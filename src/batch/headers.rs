//! The columns of a senders file that nothing reads, found before a run so
//! that a column named in a way we missed is said, not silently dropped.

use super::columns::{is_export_metadata, Header};
use crate::catalog::{body_name, subject_name, Catalog, LetterTemplate};
use crate::template::Reads;

/// The headers of the columns nothing reads: not a sender's field, not read
/// by any of the letters (subject and body) nor by the `--file-name` pattern,
/// and not an export tool's own. A branch whose "Phone" column was named in a
/// way we missed hears of it, instead of posting letters without it.
pub fn unused_columns(
    header: &Header,
    catalog: &Catalog,
    templates: &[&LetterTemplate],
    file_name_pattern: Option<&str>,
) -> Vec<String> {
    let reads: Vec<Reads> = templates
        .iter()
        .flat_map(|t| [body_name(&t.front.id), subject_name(&t.front.id)])
        .map(|name| catalog.engine.reads(&name, &["extra"]))
        .collect();
    if reads.contains(&Reads::Anything) {
        return Vec::new();
    }
    let read = |key: &str| {
        let by_letter = reads.iter().any(|r| {
            matches!(r, Reads::Fields(fields)
                if fields.iter().any(|path| path.get(1).is_none_or(|k| k == key)))
        });
        by_letter || file_name_pattern.is_some_and(|p| p.contains(&format!("extra.{key}")))
    };
    header
        .extra_columns()
        .filter(|(header, key)| !header.is_empty() && !read(key) && !is_export_metadata(header))
        .map(|(header, _)| header.to_string())
        .collect()
}
