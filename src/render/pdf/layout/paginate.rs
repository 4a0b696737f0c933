//! Breaking pages: the flowing part of the letter is set line by line under
//! the first page's header and onto further pages, a page breaking only
//! after a line that allows it.

use super::geometry::{Geometry, BODY, BODY_LEADING, DESCENT};
use super::page::{Page, Text};
use crate::render::pdf::font::Style;

/// One line of the flowing part of the letter (subject to cc).
#[derive(Debug, Clone)]
pub(super) struct FlowLine {
    /// Extra space above the line, dropped at the top of a page.
    pub(super) gap: f32,
    /// Baseline-to-baseline distance from the previous line.
    pub(super) leading: f32,
    /// Type size of the line (for its ascent and descent).
    pub(super) size: f32,
    /// The page may not break after this line.
    pub(super) keep: bool,
    pub(super) texts: Vec<(f32, Style, String)>,
}

impl FlowLine {
    pub(super) fn new(gap: f32, keep: bool, texts: Vec<(f32, Style, String)>) -> FlowLine {
        FlowLine {
            gap,
            leading: BODY_LEADING,
            size: BODY,
            keep,
            texts,
        }
    }
}

/// Fills pages with the flow, the first under the header (whose last
/// baseline is `after`), breaking only where a break is allowed.
pub(super) fn paginate(flow: &[FlowLine], g: &Geometry, first: Page, after: f32) -> Vec<Page> {
    let mut pages = vec![first];
    let mut prev = Some(after);
    let mut start = 0;
    while start < flow.len() {
        // What fits from `start` on.
        let mut placed = Vec::new();
        let mut cursor = prev;
        for line in &flow[start..] {
            let y = match cursor {
                Some(b) => b + line.gap + line.leading,
                None => g.cont_top + line.size * 0.95,
            };
            if y + line.size * DESCENT > g.body_bottom {
                break;
            }
            placed.push(y);
            cursor = Some(y);
        }
        let end = start + placed.len();
        let stop = if end == flow.len() {
            end
        } else {
            match (start + 1..=end).rev().find(|&b| !flow[b - 1].keep) {
                Some(b) => b,
                // Nothing may break under the header: start the flow on page 2.
                None if pages.len() == 1 => start,
                // A chain longer than a page, or a line taller than it.
                None => end.max(start + 1),
            }
        };
        if placed.len() < stop - start {
            placed.push(g.cont_top + flow[start].size * 0.95);
        }
        let page = pages.last_mut().expect("a page");
        for (line, &y) in flow[start..stop].iter().zip(&placed) {
            for (x, style, text) in &line.texts {
                page.texts.push(Text {
                    x: *x,
                    y,
                    style: *style,
                    size: line.size,
                    grey: 0.0,
                    text: text.clone(),
                });
            }
        }
        start = stop;
        if start < flow.len() {
            pages.push(Page {
                width: g.width,
                height: g.height,
                ..Page::default()
            });
            prev = None;
        }
    }
    pages
}
