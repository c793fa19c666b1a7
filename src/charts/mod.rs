//! Charts drawn with plotters' SVG backend. Each chart is a pure function from
//! engine results to an SVG string (testable natively) plus a small component
//! that puts it on the page with a text alternative.

pub mod conversion_chart;

/// Colour-blind-safe palette (Okabe & Ito, 2008): control first, then variants.
pub const PALETTE: [(u8, u8, u8); 5] = [
    (120, 120, 120),
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
];
