//! The flowing part of the letter as lines (subject, salutation, body,
//! closing, signature and copies) with the keep-with-next rules that say
//! where a page may not break.

use super::geometry::{
    mm, Geometry, BODY, BODY_LEADING, CC, CC_LEADING, ITEM_GAP, LIST_INDENT, PARA_GAP, SIGN_SPACE,
};
use super::paginate::FlowLine;
use super::wrap::wrap;
use crate::compose::{Block, Letter};
use crate::render::pdf::font::Style;
use crate::render::words::cc_label;

/// Lays a block of wrapped lines: widow and orphan control keeps at least two
/// lines together at the foot and the head of a page.
fn push_block(out: &mut Vec<FlowLine>, gap: f32, lines: Vec<Vec<(f32, Style, String)>>) {
    let n = lines.len();
    for (i, texts) in lines.into_iter().enumerate() {
        let keep = n >= 2 && (i == 0 || i == n - 2);
        out.push(FlowLine::new(if i == 0 { gap } else { 0.0 }, keep, texts));
    }
}

/// A heading: one short line that ends without a sentence's punctuation.
fn is_heading(text: &str) -> bool {
    let text = text.trim_end();
    !text.is_empty() && !text.ends_with(['.', '!', '?', '…', ';', ',', ':', '»', '"', ')'])
}

fn plain(x: f32, style: Style, lines: Vec<String>) -> Vec<Vec<(f32, Style, String)>> {
    lines.into_iter().map(|s| vec![(x, style, s)]).collect()
}

/// The flowing part of the letter, line by line: subject, salutation, body,
/// closing, signature and copies, with the rules for where a page may break.
pub(super) fn flow(l: &Letter, g: &Geometry) -> Vec<FlowLine> {
    let text_w = g.right - g.left;
    let mut flow: Vec<FlowLine> = Vec::new();
    // Subject and salutation stay with the first lines of the body.
    let mut gap = BODY_LEADING;
    for (style, text) in [(Style::Bold, &l.subject), (Style::Regular, &l.salutation)] {
        let lines = wrap(text, style, BODY, text_w);
        for (i, s) in lines.into_iter().enumerate() {
            flow.push(FlowLine::new(
                if i == 0 { gap } else { 0.0 },
                true,
                vec![(g.left, style, s)],
            ));
            gap = 0.0;
        }
        if !flow.is_empty() {
            gap = BODY_LEADING;
        }
    }
    let body_start = flow.len();
    let mut gap = PARA_GAP;
    for block in &l.body {
        match block {
            Block::Paragraph(p) => {
                let lines = wrap(p, Style::Regular, BODY, text_w);
                if !lines.is_empty() {
                    let heading = lines.len() == 1 && is_heading(p);
                    push_block(&mut flow, gap, plain(g.left, Style::Regular, lines));
                    // A line that introduces what follows ("Призываю власти
                    // Республики Казахстан:") and a heading stay with it.
                    if p.trim_end().ends_with(':') || heading {
                        flow.last_mut().expect("lines were pushed").keep = true;
                    }
                    gap = PARA_GAP;
                }
            }
            Block::List(items) => {
                for item in items {
                    let lines = wrap(item, Style::Regular, BODY, text_w - LIST_INDENT);
                    if lines.is_empty() {
                        continue;
                    }
                    let mut rows = plain(g.left + LIST_INDENT, Style::Regular, lines);
                    rows[0].insert(0, (g.left + mm(1.0), Style::Regular, "•".to_string()));
                    push_block(&mut flow, gap, rows);
                    gap = ITEM_GAP;
                }
                gap = PARA_GAP;
            }
        }
    }
    // The closing never opens a page alone: the last two lines of the body
    // travel with it, and it stays with the signature.
    let n = flow.len();
    if n > body_start + 1 {
        flow[n - 2].keep = true;
    }
    if n > 0 {
        flow[n - 1].keep = true;
    }
    let closing = wrap(&l.closing, Style::Regular, BODY, text_w);
    let gap = PARA_GAP + BODY_LEADING * 0.5;
    let sign_gap = if closing.is_empty() { gap } else { SIGN_SPACE };
    for (i, s) in closing.into_iter().enumerate() {
        flow.push(FlowLine::new(
            if i == 0 { gap } else { 0.0 },
            true,
            vec![(g.left, Style::Regular, s)],
        ));
    }
    let signature: Vec<String> = l
        .signature
        .iter()
        .flat_map(|s| wrap(s, Style::Regular, BODY, text_w))
        .collect();
    if signature.is_empty() {
        // Keep the space to sign even without a printed name.
        flow.push(FlowLine::new(sign_gap, true, Vec::new()));
    }
    for (i, s) in signature.into_iter().enumerate() {
        let gap = if i == 0 { sign_gap } else { 0.0 };
        flow.push(FlowLine::new(gap, true, vec![(g.left, Style::Regular, s)]));
    }
    // Copies follow the signature; they never stand alone on a last page.
    if let Some(last) = flow.last_mut() {
        last.keep = !l.cc.is_empty();
    }
    let face = Style::Regular.face();
    let label = cc_label(&l.language);
    let indent = (face.width(label, CC) + face.width("  ", CC)).max(mm(10.0));
    for (i, entry) in l.cc.iter().enumerate() {
        let lines = wrap(entry, Style::Regular, CC, text_w - indent);
        let n = lines.len();
        for (j, s) in lines.into_iter().enumerate() {
            let first = i == 0 && j == 0;
            let mut texts = vec![(g.left + indent, Style::Regular, s)];
            if first {
                texts.insert(0, (g.left, Style::Regular, label.to_string()));
            }
            // Each entry stays whole.
            let mut line = FlowLine::new(if first { BODY_LEADING } else { 0.0 }, j + 1 < n, texts);
            line.size = CC;
            line.leading = CC_LEADING;
            flow.push(line);
        }
    }
    flow
}
