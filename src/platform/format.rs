//! How the app writes numbers: grouping, money, percentages and p-values.
//! Every figure on screen passes through here, so the style is the same
//! everywhere. The style follows the scenario's locale and currency
//! (`Scenario::display`), set with [`set_display`] before views render.

use std::cell::Cell;

/// How one locale writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    pub tag: &'static str,
    pub label: &'static str,
    group: &'static str,
    decimal: char,
    /// Indian grouping: the last three digits, then pairs (5,00,000).
    indian: bool,
    /// Currency after the amount with a space ("1.234 €"), else before ("€1,234").
    symbol_after: bool,
    /// A space before the percent sign ("30,0 %").
    percent_space: bool,
}

/// The locales offered; the first is the default.
pub const LOCALES: [Locale; 7] = [
    Locale {
        tag: "en-US",
        label: "English (US) 1,234.5",
        group: ",",
        decimal: '.',
        indian: false,
        symbol_after: false,
        percent_space: false,
    },
    Locale {
        tag: "en-GB",
        label: "English (UK) 1,234.5",
        group: ",",
        decimal: '.',
        indian: false,
        symbol_after: false,
        percent_space: false,
    },
    Locale {
        tag: "en-IN",
        label: "English (India) 5,00,000.5",
        group: ",",
        decimal: '.',
        indian: true,
        symbol_after: false,
        percent_space: false,
    },
    Locale {
        tag: "de-DE",
        label: "Deutsch 1.234,5",
        group: ".",
        decimal: ',',
        indian: false,
        symbol_after: true,
        percent_space: true,
    },
    Locale {
        tag: "fr-FR",
        label: "Français 1 234,5",
        group: "\u{202f}",
        decimal: ',',
        indian: false,
        symbol_after: true,
        percent_space: true,
    },
    Locale {
        tag: "es-ES",
        label: "Español 1.234,5",
        group: ".",
        decimal: ',',
        indian: false,
        symbol_after: true,
        percent_space: true,
    },
    Locale {
        tag: "ja-JP",
        label: "日本語 1,234.5",
        group: ",",
        decimal: '.',
        indian: false,
        symbol_after: false,
        percent_space: false,
    },
];

/// A currency: its code, symbol and whether it has minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    symbol: &'static str,
    cents: bool,
}

/// The currencies offered; the first is the default.
pub const CURRENCIES: [Currency; 8] = [
    Currency {
        code: "USD",
        symbol: "$",
        cents: true,
    },
    Currency {
        code: "EUR",
        symbol: "€",
        cents: true,
    },
    Currency {
        code: "GBP",
        symbol: "£",
        cents: true,
    },
    Currency {
        code: "INR",
        symbol: "₹",
        cents: true,
    },
    Currency {
        code: "JPY",
        symbol: "¥",
        cents: false,
    },
    Currency {
        code: "CHF",
        symbol: "CHF",
        cents: true,
    },
    Currency {
        code: "CAD",
        symbol: "CA$",
        cents: true,
    },
    Currency {
        code: "AUD",
        symbol: "A$",
        cents: true,
    },
];

thread_local! {
    static STYLE: Cell<(Locale, Currency)> = const { Cell::new((LOCALES[0], CURRENCIES[0])) };
}

/// Use this locale and currency for every number written from now on
/// (unknown codes fall back to the defaults).
pub fn set_display(locale: &str, currency: &str) {
    let l = LOCALES
        .into_iter()
        .find(|l| l.tag == locale)
        .unwrap_or(LOCALES[0]);
    let c = CURRENCIES
        .into_iter()
        .find(|c| c.code == currency)
        .unwrap_or(CURRENCIES[0]);
    STYLE.with(|s| s.set((l, c)));
}

fn style() -> (Locale, Currency) {
    STYLE.with(Cell::get)
}

/// Read a number as the user typed it, in the page's Numbers setting: the
/// locale's decimal mark is the decimal point, and its grouping mark,
/// spaces, apostrophes, underscores, currency letters and signs and "%"
/// are dropped. "1,200" is 1200 in English and 1.2 in German. `None` when
/// what is left is not a number.
pub fn read_number(text: &str) -> Option<f64> {
    let (locale, _) = style();
    let kept: String = text
        .trim()
        .chars()
        .filter_map(|c| {
            if c == locale.decimal {
                Some('.')
            } else if locale.group.contains(c)
                || c.is_whitespace()
                || matches!(c, '\'' | '_' | '$' | '€' | '£' | '¥' | '%' | '\u{202f}')
                || (c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E'))
            {
                None
            } else {
                Some(c)
            }
        })
        .collect();
    uplift_engine::decimal::parse_f64(&kept)
}

/// A number for an input field, as [`read_number`] reads it back: the
/// locale's decimal mark, no grouping, at most six decimals.
pub fn input_number(v: f64) -> String {
    let text = format!("{}", (v * 1e6).round() / 1e6);
    match style().0.decimal {
        '.' => text,
        mark => text.replace('.', &mark.to_string()),
    }
}

/// Group the digits of a whole number: 1234567 → "1,234,567" (en-US),
/// "1.234.567" (de-DE), "12,34,567" (en-IN).
pub fn count(n: u64) -> String {
    let (locale, _) = style();
    let digits = n.to_string();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 2 * locale.group.len());
    for (i, ch) in digits.chars().enumerate() {
        let left = len - i;
        let boundary = if locale.indian {
            left > 3 && (left - 3) % 2 == 0 || left == 3
        } else {
            left % 3 == 0
        };
        if i > 0 && boundary {
            out.push_str(locale.group);
        }
        out.push(ch);
    }
    out
}

/// A number with `decimals` decimals and grouped thousands: 1234.5 → "1,234.50".
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Beyond a quadrillion, digits say nothing a reader can use: 1.00e300,
    // not three hundred of them.
    if x.abs() >= 1e15 {
        // Written by hand: `{:e}` would add its own float printer to the
        // first download.
        let exponent = x.abs().log10().floor();
        let mantissa = format!("{:.2}", x.abs() / 10f64.powf(exponent));
        let mantissa = mantissa.replace('.', &style().0.decimal.to_string());
        return format!("{sign}{mantissa}e{exponent}");
    }
    let fixed = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = match fixed.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (fixed.as_str(), None),
    };
    let grouped = whole
        .parse::<u64>()
        .map(count)
        .unwrap_or_else(|_| whole.to_string());
    match frac {
        Some(f) => format!("{sign}{grouped}{}{f}", style().0.decimal),
        None => format!("{sign}{grouped}"),
    }
}

/// Put the currency symbol where the locale writes it.
fn with_symbol(negative: bool, body: &str) -> String {
    let (locale, currency) = style();
    let sign = if negative { "−" } else { "" };
    if locale.symbol_after {
        format!("{sign}{body}\u{a0}{}", currency.symbol)
    } else if currency.symbol.len() > 2 && currency.symbol.bytes().all(|b| b.is_ascii_alphabetic())
    {
        format!("{sign}{}\u{a0}{body}", currency.symbol)
    } else {
        format!("{sign}{}{body}", currency.symbol)
    }
}

/// Money: whole units from 1,000 up, cents below. −1500 → "−$1,500".
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    if x == 0.0 {
        return with_symbol(false, "0");
    }
    let decimals = if x.abs() >= 1000.0 || !style().1.cents {
        0
    } else {
        2
    };
    with_symbol(x < 0.0, &number(x.abs(), decimals))
}

/// Money for chart axes: 1,500 → "$1.5k", 2,000,000 → "$2M", −300 → "−$300".
pub fn money_short(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let a = x.abs();
    let trim = |v: f64| {
        let s = number(v, 1);
        let zero = format!("{}0", style().0.decimal);
        s.strip_suffix(&zero).map(str::to_string).unwrap_or(s)
    };
    let body = if a >= 1e6 {
        format!("{}M", trim(a / 1e6))
    } else if a >= 1e3 {
        format!("{}k", trim(a / 1e3))
    } else {
        number(a, 0)
    };
    with_symbol(x < 0.0, &body)
}

/// A fraction as a percentage: 0.3 → "30.0%".
pub fn percent(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return "—".to_string();
    }
    let space = if style().0.percent_space {
        "\u{a0}"
    } else {
        ""
    };
    format!("{}{space}%", number(fraction * 100.0, decimals))
}

/// A change as a signed percentage: 0.3 → "+30.0%", −0.05 → "−5.0%".
pub fn signed_percent(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return "—".to_string();
    }
    let body = percent(fraction.abs(), decimals);
    if fraction > 0.0 {
        format!("+{body}")
    } else if fraction < 0.0 {
        format!("−{body}")
    } else {
        body
    }
}

/// A probability as a percentage that never claims certainty:
/// 0.99996 → "> 99.9%", 0.00004 → "< 0.1%", 0.9346 → "93.5%".
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        "—".to_string()
    } else if p > 0.999 {
        format!("> {}", percent(0.999, 1))
    } else if p < 0.001 {
        format!("< {}", percent(0.001, 1))
    } else {
        percent(p, 1)
    }
}

/// A small relative loss: 0.00026 → "0.03%", below 0.005% → "< 0.01%".
pub fn small_percent(x: f64) -> String {
    if x.is_finite() && x.abs() < 0.000_05 {
        format!("< {}", percent(0.0001, 2))
    } else {
        percent(x, 2)
    }
}

/// A p-value to three decimals, or "< 0.001".
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "—".to_string()
    } else if p < 0.001 {
        format!("< 0{}001", style().0.decimal)
    } else {
        number(p, 3)
    }
}

/// "p = 0.042", or "p < 0.001" for a tiny p-value: said as a sentence.
pub fn p_is(p: f64) -> String {
    let text = p_value(p);
    if text.starts_with('<') {
        format!("p {text}")
    } else {
        format!("p = {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(number(1234.5, 2), "1,234.50");
        assert_eq!(number(-1234.5, 0), "-1,234");
    }

    #[test]
    fn money_and_percentages() {
        assert_eq!(money(114_000.0), "$114,000");
        assert_eq!(money(-1500.0), "−$1,500");
        assert_eq!(money(80.0), "$80.00");
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(f64::NAN), "—");
        assert_eq!(percent(0.3, 1), "30.0%");
        assert_eq!(percent(0.026, 2), "2.60%");
        assert_eq!(signed_percent(0.3, 1), "+30.0%");
        assert_eq!(signed_percent(-0.05, 1), "−5.0%");
        assert_eq!(p_value(0.0131), "0.013");
        assert_eq!(money_short(1500.0), "$1.5k");
        assert_eq!(money_short(2_000_000.0), "$2M");
        assert_eq!(money_short(-300.0), "−$300");
        assert_eq!(probability(0.999_96), "> 99.9%");
        assert_eq!(probability(0.934_6), "93.5%");
        assert_eq!(probability(0.000_01), "< 0.1%");
        assert_eq!(small_percent(0.000_256), "0.03%");
        assert_eq!(small_percent(0.000_001), "< 0.01%");
        assert_eq!(p_value(0.0001), "< 0.001");
        assert_eq!(p_is(0.0001), "p < 0.001");
        assert_eq!(p_is(0.0131), "p = 0.013");
    }

    #[test]
    fn locales_and_currencies() {
        set_display("en-IN", "INR");
        assert_eq!(count(500_000), "5,00,000");
        assert_eq!(count(12_345_678), "1,23,45,678");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(money(500_000.0), "₹5,00,000");
        set_display("de-DE", "EUR");
        assert_eq!(number(1234.5, 2), "1.234,50");
        assert_eq!(money(-1500.0), "−1.500\u{a0}€");
        assert_eq!(money(80.0), "80,00\u{a0}€");
        assert_eq!(percent(0.3, 1), "30,0\u{a0}%");
        assert_eq!(p_value(0.0131), "0,013");
        assert_eq!(money_short(1500.0), "1,5k\u{a0}€");
        assert_eq!(money_short(2_000_000.0), "2M\u{a0}€");
        set_display("fr-FR", "CHF");
        assert_eq!(count(1_234_567), "1\u{202f}234\u{202f}567");
        set_display("en-GB", "CHF");
        assert_eq!(money(12.5), "CHF\u{a0}12.50");
        set_display("ja-JP", "JPY");
        assert_eq!(money(80.0), "¥80");
        set_display("xx", "???");
        assert_eq!(money(1500.0), "$1,500");
    }

    #[test]
    fn typed_numbers_follow_the_numbers_setting() {
        set_display("en-US", "USD");
        assert_eq!(number(1e300, 0), "1.00e300");
        assert_eq!(number(-2.5e15, 2), "-2.50e15");
        assert_eq!(number(999_999_999_999_999.0, 0), "999,999,999,999,999");
        assert_eq!(read_number("1,200"), Some(1200.0));
        assert_eq!(read_number(" $1,200.50 "), Some(1200.5));
        assert_eq!(read_number("8 %"), Some(8.0));
        assert_eq!(read_number("1e3"), Some(1000.0));
        assert_eq!(read_number("-2.5"), Some(-2.5));
        assert_eq!(read_number("abc"), None);
        assert_eq!(input_number(0.25), "0.25");
        set_display("de-DE", "EUR");
        assert_eq!(read_number("1,200"), Some(1.2));
        assert_eq!(read_number("1.200,5 €"), Some(1200.5));
        assert_eq!(input_number(0.25), "0,25");
        assert_eq!(read_number(&input_number(1234.5)), Some(1234.5));
        set_display("fr-FR", "CHF");
        assert_eq!(read_number("CHF 1\u{202f}234,5"), Some(1234.5));
        set_display("en-US", "USD");
    }
}
