//! What layout hands the PDF writer: each page's size, the texts at their
//! baselines and the strokes.

use crate::render::pdf::font::Style;

/// A piece of text drawn at a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub x: f32,
    /// Baseline, from the top of the sheet.
    pub y: f32,
    pub style: Style,
    pub size: f32,
    /// 0 = black.
    pub grey: f32,
    pub text: String,
}

/// A straight stroke.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub grey: f32,
}

/// One finished page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub texts: Vec<Text>,
    pub rules: Vec<Rule>,
}
