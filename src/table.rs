//! Tables for the terminal: columns as wide as their widest cell, measured
//! in terminal columns (a Cyrillic or accented name is as wide as it looks),
//! so that no two cells run together ("Frankfurt am MainGermany").

use unicode_width::UnicodeWidthStr;

/// Columns are separated by this many spaces.
const GAP: usize = 2;

pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first row is `header`.
    pub fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(|h| h.to_string()).collect()],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Every row on its own line; the last column is not padded, so no line
    /// ends in spaces.
    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|cell| cell.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[i] - cell.width() + GAP));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_starts_where_the_widest_cell_above_or_below_ends() {
        let mut table = Table::new(&["CITY", "COUNTRY", "EMAIL"]);
        table.row(vec![
            "Frankfurt am Main".into(),
            "Germany".into(),
            "yes".into(),
        ]);
        table.row(vec!["Алматы".into(), "Kazakhstan".into(), "no".into()]);
        table.row(vec!["東京".into(), "Japan".into(), String::new()]);
        let text = table.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "CITY               COUNTRY     EMAIL");
        assert_eq!(lines[1], "Frankfurt am Main  Germany     yes");
        assert_eq!(lines[2], "Алматы             Kazakhstan  no");
        // Two wide characters take four columns; an empty last cell leaves no spaces.
        assert_eq!(lines[3], "東京               Japan");
    }
}
