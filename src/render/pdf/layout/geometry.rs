//! The papers a letter is printed on and their fixed measures: where the
//! envelope window, the sender block and the text column sit on each, and
//! the type sizes and spacing the blocks are set in.

/// Sheet size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 x 297 mm, laid out per DIN 5008 form B.
    A4,
    /// US Letter, 8.5 x 11 in, for a No. 10 window envelope.
    Letter,
}

/// Countries where US Letter is the usual office paper. Kept to the clear
/// cases; everywhere else gets A4.
const LETTER_COUNTRIES: [&str; 8] = ["US", "CA", "MX", "PH", "CL", "CO", "VE", "PR"];

impl Paper {
    /// The paper a recipient in `iso2` (ISO 3166-1 alpha-2) expects.
    pub fn for_country(iso2: &str) -> Paper {
        let code = iso2.trim().to_ascii_uppercase();
        if LETTER_COUNTRIES.contains(&code.as_str()) {
            Paper::Letter
        } else {
            Paper::A4
        }
    }

    /// Sheet size in points (width, height).
    pub fn size_pt(self) -> (f32, f32) {
        let g = self.geometry();
        (g.width, g.height)
    }

    /// The part of the sheet that shows through the envelope window, in points
    /// from the top-left corner.
    pub fn window(self) -> Rect {
        self.geometry().window
    }
}

pub const fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

pub const fn inch(v: f32) -> f32 {
    v * 72.0
}

/// A rectangle in points from the top-left corner of the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The fixed positions of a letter sheet.
#[derive(Debug)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Left and right edges of the text column.
    pub left: f32,
    pub right: f32,
    /// The part of the sheet that shows through the envelope window.
    pub window: Rect,
    /// Left edge of the text in the window.
    pub window_text_x: f32,
    /// Widest text that stays visible in the window.
    pub window_text_w: f32,
    /// Top and bottom of the text inside the window.
    pub window_text_top: f32,
    pub window_text_bottom: f32,
    /// Where the recipient lines start when they fit below it (DIN 5008's
    /// address zone); they move up towards the return line when they don't.
    pub address_zone_top: f32,
    /// The sender (information) block: left edge and top.
    pub info_x: f32,
    pub info_top: f32,
    /// Top of the text on continuation pages; lowest point body text may reach.
    pub cont_top: f32,
    pub body_bottom: f32,
    pub footer_baseline: f32,
    /// Fold marks and the punch-hole mark, distance from the top.
    pub folds: [f32; 2],
    pub hole: Option<f32>,
}

/// A4, DIN 5008 form B (the German business-letter standard, which fits a
/// DL or C5/6 window envelope per DIN 680): address field 20 mm from the left
/// and 45 mm from the top, 85 x 45 mm; its upper 17.7 mm are the return-address
/// and notes zone, the lower 27.3 mm the address zone; text inset 5 mm;
/// information block 50 mm down (from 120 mm, DIN says 125, to give long
/// sender lines room); fold marks at 105 and 210 mm,
/// hole mark at 148.5 mm.
pub static A4: Geometry = Geometry {
    width: mm(210.0),
    height: mm(297.0),
    left: mm(25.0),
    right: mm(190.0),
    window: Rect {
        x: mm(20.0),
        y: mm(45.0),
        w: mm(85.0),
        h: mm(45.0),
    },
    window_text_x: mm(25.0),
    window_text_w: mm(78.0),
    window_text_top: mm(46.5),
    window_text_bottom: mm(89.0),
    address_zone_top: mm(62.7),
    info_x: mm(120.0),
    info_top: mm(50.0),
    cont_top: mm(20.0),
    body_bottom: mm(281.0),
    footer_baseline: mm(287.0),
    folds: [mm(105.0), mm(210.0)],
    hole: Some(mm(148.5)),
};

/// US Letter folded in thirds for a No. 10 window envelope (4 1/8 x 9 1/2 in).
/// The standard No. 10 window is 1 1/8 in high and 4 1/2 in wide, 7/8 in from
/// the left and 1/2 in from the bottom of the envelope (envelope makers'
/// specifications, e.g. laenvelope.com "No.10 Standard Window Position"; USPS
/// asks for 1/8 in clear around the address). Folded in thirds the sheet is
/// 3 2/3 in high, so with the sheet resting at the bottom of the envelope the
/// window shows 2 1/24 in to 3 1/6 in from its top edge. We keep the address
/// 1/8 in inside that, and within 4 in of width, since the sheet can slide
/// sideways in the envelope.
pub static LETTER: Geometry = Geometry {
    width: inch(8.5),
    height: inch(11.0),
    left: inch(1.0),
    right: inch(7.5),
    window: Rect {
        x: inch(0.875),
        y: inch(11.0 / 3.0 - 1.625),
        w: inch(4.0),
        h: inch(1.125),
    },
    window_text_x: inch(1.0),
    window_text_w: inch(3.75),
    window_text_top: inch(11.0 / 3.0 - 1.625 + 0.125),
    window_text_bottom: inch(11.0 / 3.0 - 0.5 - 0.125),
    address_zone_top: 0.0,
    info_x: inch(5.0),
    info_top: inch(0.75),
    cont_top: inch(0.8),
    body_bottom: inch(10.2),
    footer_baseline: inch(10.55),
    folds: [inch(11.0 / 3.0), inch(22.0 / 3.0)],
    hole: None,
};

impl Paper {
    pub fn geometry(self) -> &'static Geometry {
        match self {
            Paper::A4 => &A4,
            Paper::Letter => &LETTER,
        }
    }
}

// Type sizes (pt) and spacing.
pub(super) const BODY: f32 = 10.0;
pub(super) const BODY_LEADING: f32 = 12.75;
pub(super) const PARA_GAP: f32 = 6.0;
pub(super) const ITEM_GAP: f32 = 2.5;
pub(super) const INFO: f32 = 8.5;
pub(super) const INFO_NAME: f32 = 9.5;
pub(super) const INFO_LEADING: f32 = 11.0;
pub(super) const RETURN: f32 = 7.0;
pub(super) const ADDRESS_SIZES: [f32; 5] = [10.0, 9.5, 9.0, 8.5, 8.0];
pub(super) const FOOTER: f32 = 8.0;
pub(super) const CC: f32 = 9.0;
pub(super) const CC_LEADING: f32 = 11.5;
pub(super) const SIGN_SPACE: f32 = mm(15.0);
pub(super) const LIST_INDENT: f32 = mm(5.0);
pub(super) const GREY: f32 = 0.35;
/// Descender depth as a fraction of the size (DejaVu: 483/2048).
pub(super) const DESCENT: f32 = 0.24;
