//! plotters' SVG backend, with text measured from a table of glyph widths.
//!
//! In the browser, plotters measures each label by adding a `<span>` to the
//! page and reading its size: a forced layout of the whole page per label,
//! tens per chart, which made the first render of the results tens of
//! milliseconds slower. Measuring from widths is instant, needs no page, and
//! gives the same chart natively (in tests) as in the browser.

use plotters::backend::{DrawingBackend, SVGBackend};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// An [`SVGBackend`] writing into a string, measuring text with [`text_width_em`].
pub struct Svg<'a>(SVGBackend<'a>);

impl<'a> Svg<'a> {
    pub fn new(buffer: &'a mut String, size: (u32, u32)) -> Svg<'a> {
        Svg(SVGBackend::with_string(buffer, size))
    }
}

/// Advance width of one character in a sans-serif face, in em: Helvetica's
/// (and Arial's, which shares its metrics) widths from the Adobe font
/// metrics, in thousandths. Characters not listed count as 0.6 em; bold
/// text is measured as regular (slightly narrow).
fn char_width_em(c: char) -> f64 {
    let thousandths = match c {
        ' ' | '\u{a0}' | '!' | ',' | '.' | '/' | ':' | ';' | 'I' | 'f' | 't' => 278,
        // The narrow no-break space that groups digits in French.
        '\u{202f}' => 200,
        '\'' => 191,
        '"' => 355,
        '(' | ')' | '-' | 'r' | '[' | ']' => 333,
        '*' => 389,
        '+' | '<' | '=' | '>' | '×' | '−' | '±' => 584,
        '%' => 889,
        '&' | 'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' => 667,
        '@' => 1015,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 722,
        'F' | 'T' | 'Z' => 611,
        'G' | 'O' | 'Q' => 778,
        'J' | 'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' => 500,
        'L' => 556,
        'M' | 'm' => 833,
        'W' => 944,
        'i' | 'j' | 'l' => 222,
        'w' => 722,
        '0'..='9' | '#' | '$' | '?' | '€' | '£' | '¥' | '₹' | '_' => 556,
        c if c.is_ascii_lowercase() => 556,
        _ => 600,
    };
    f64::from(thousandths) / 1000.0
}

/// Width of `text` in em (multiply by the font size for pixels).
pub fn text_width_em(text: &str) -> f64 {
    text.chars().map(char_width_em).sum()
}

impl DrawingBackend for Svg<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_text(text, style, pos)
    }

    /// Width from [`text_width_em`] and height 1.15 em, the sizes the
    /// browser gave for the same text at the same nominal size, so charts
    /// keep the layout they had when plotters measured in the page.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let size = style.size();
        Ok((
            (text_width_em(text) * size).round() as u32,
            (1.15 * size).round() as u32,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn widths_follow_the_glyphs() {
        assert!((text_width_em("0") - 0.556).abs() < 1e-9);
        assert!(text_width_em("iiii") < text_width_em("MMMM"));
        assert!((text_width_em("$1,200") - (0.556 * 5.0 + 0.278)).abs() < 1e-9);
        assert_eq!(text_width_em(""), 0.0);
    }

    #[test]
    fn measures_without_a_page_and_draws_svg() {
        let mut svg = String::new();
        {
            let root = Svg::new(&mut svg, (200, 100)).into_drawing_area();
            let style = TextStyle::from(("sans-serif", 20.0).into_font());
            let (w, h) = root.estimate_text_size("Cost", &style).unwrap_or((0, 0));
            // C 722 + o 556 + s 500 + t 278 = 2.056 em at 20 px.
            assert_eq!((w, h), (41, 23));
            assert!(root.fill(&WHITE).is_ok());
            assert!(root.draw_text("a<b", &style, (10, 10)).is_ok());
            assert!(root.present().is_ok());
        }
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("a&lt;b"), "{svg}");
    }
}
