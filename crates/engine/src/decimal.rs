//! Decimal numbers read from text, such as the cells of a CSV file and what
//! a user types into a field.
//!
//! The standard library's `str::parse::<f64>` carries a 10 KB table of
//! powers of five (its Eisel–Lemire step), which does not compress and was
//! the largest single item of the web page's first download.
//! `minimal-lexical` (by the author of the standard library's parser, with
//! its `compact` feature) rounds just as correctly from far smaller tables;
//! this module only splits the text into the digits and exponent it takes.

/// Significant digits beyond this are not a number anyone types or exports;
/// such text is refused rather than handed to the big-number fallback.
const MAX_DIGITS: usize = 800;

/// With at most 800 significant digits, a power of ten beyond this makes
/// the number infinite or zero whatever the digits are.
const MAX_POWER: i64 = 10_000;

/// Parse `[+-]digits[.digits][(e|E)[+-]digits]` (at least one digit before
/// the exponent) to the nearest `f64`, as `str::parse::<f64>` does for the
/// same text. Unlike it, `inf`, `infinity` and `nan` are refused (callers
/// want finite numbers), and so are more than 800 significant digits
/// (leading and trailing zeros are not significant). Too large a number
/// gives an infinity, as it does there.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = sign(bytes);
    let (integer, rest) = split_digits(rest);
    let (fraction, rest) = match rest.split_first() {
        Some((b'.', after)) => split_digits(after),
        _ => (&[][..], rest),
    };
    if integer.is_empty() && fraction.is_empty() {
        return None;
    }
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', after)) => exponent(after)?,
        Some(_) => return None,
    };
    // Clinger's fast path (Clinger 1990): up to 15 digits and a power of
    // ten up to 10^22 are exact in an f64, so one multiplication or
    // division rounds correctly. Nearly every cell of an export takes it.
    let shift = exponent - len_i64(fraction.len());
    if integer.len() + fraction.len() <= 15 && shift.abs() <= 22 {
        let mut m = 0u64;
        for &d in integer.iter().chain(fraction) {
            m = m * 10 + u64::from(d - b'0');
        }
        // Powers of ten up to 10^22 are exact however they are multiplied.
        let scale = 10f64.powi(shift.unsigned_abs() as i32);
        let value = if shift < 0 {
            m as f64 / scale
        } else {
            m as f64 * scale
        };
        return Some(if negative { -value } else { value });
    }
    // The digits as one integer times a power of ten, without its leading
    // and trailing zeros: minimal-lexical wants no leading zeros, and the
    // zeros must not count against the limit.
    let digits = || integer.iter().chain(fraction.iter());
    let total = integer.len() + fraction.len();
    let leading = digits().take_while(|&&d| d == b'0').count();
    let trailing = fraction
        .iter()
        .rev()
        .chain(integer.iter().rev())
        .take(total - leading)
        .take_while(|&&d| d == b'0')
        .count();
    let significant = total - leading - trailing;
    let zero = if negative { -0.0 } else { 0.0 };
    if significant == 0 {
        return Some(zero);
    }
    if significant > MAX_DIGITS {
        return None;
    }
    let power = exponent - len_i64(fraction.len()) + len_i64(trailing);
    let power = i32::try_from(power.clamp(-MAX_POWER, MAX_POWER)).unwrap_or_default();
    let mantissa = digits().skip(leading).take(significant);
    let value: f64 = minimal_lexical::parse_float(mantissa, [].iter(), power);
    Some(if negative { -value } else { value })
}

/// An optional `+` or `-`, and what follows it.
fn sign(bytes: &[u8]) -> (bool, &[u8]) {
    match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    }
}

/// The leading ASCII digits of `bytes`, and what follows them.
fn split_digits(bytes: &[u8]) -> (&[u8], &[u8]) {
    let n = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    bytes.split_at(n)
}

/// A length as a power-of-ten offset (no text is 2^63 bytes long).
fn len_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The exponent after `e`: `[+-]digits`, held within ±10^15, far beyond
/// any text's length, so adding the fraction's length stays exact.
fn exponent(bytes: &[u8]) -> Option<i64> {
    let (negative, rest) = sign(bytes);
    let (digits, after) = split_digits(rest);
    if digits.is_empty() || !after.is_empty() {
        return None;
    }
    let magnitude = digits.iter().fold(0i64, |acc, d| {
        (acc * 10 + i64::from(d - b'0')).min(1_000_000_000_000_000)
    });
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the standard library gives, with this module's documented
    /// differences: no words (inf, nan) and at most 800 significant digits.
    fn expected(text: &str) -> Option<f64> {
        let significant = text
            .split(['e', 'E'])
            .next()
            .unwrap_or_default()
            .trim_start_matches(['+', '-'])
            .replace('.', "")
            .trim_matches('0')
            .len();
        if text
            .chars()
            .any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E'))
            || significant > MAX_DIGITS
        {
            return None;
        }
        text.parse::<f64>().ok()
    }

    fn same(text: &str) {
        let got = parse_f64(text);
        let want = expected(text);
        assert_eq!(
            got.map(f64::to_bits),
            want.map(f64::to_bits),
            "{text:?}: got {got:?}, the standard library {want:?}"
        );
    }

    #[test]
    fn agrees_with_the_standard_library_on_edge_cases() {
        for text in [
            "0",
            "-0",
            "+0",
            "1",
            "-1",
            "+1.5",
            "1.",
            ".5",
            "-.5",
            "1.e5",
            "1e5",
            "1E+05",
            "1e-5",
            "00001.5000",
            "0.000",
            "0e999999999",
            "1e400",
            "-1e400",
            "1e-400",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "9007199254740993",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "2.2250738585072011e-308",
            "7.038531e-26",
            // Either side of the fast path's limits (15 digits, 10^±22).
            "123456789012345",
            "1234567890123456",
            "999999999999999e22",
            "999999999999999e23",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "0.1234567890123456789",
            "12.5e-21",
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "1_000",
            "--1",
            "0x10",
            "inf",
            "-infinity",
            "NaN",
            "1e5x",
            "١",
        ] {
            same(text);
        }
    }

    #[test]
    fn refuses_absurdly_long_numbers() {
        let long = "1".repeat(MAX_DIGITS + 1);
        assert_eq!(parse_f64(&long), None);
        // Zeros are not significant: a long run of them still reads.
        let padded = format!("{}1.5{}", "0".repeat(5000), "0".repeat(5000));
        assert_eq!(parse_f64(&padded), Some(1.5));
        let at_limit = "9".repeat(MAX_DIGITS);
        same(&at_limit);
        // Zeros on either side of the significant digits, however many, with
        // an exponent that brings the number back into range.
        same(&format!("12{}", "0".repeat(2000)));
        same(&format!("12{}e-2000", "0".repeat(2000)));
        same(&format!("0.{}15e3000", "0".repeat(3000)));
        same(&format!("0.{}15e300000", "0".repeat(299_990)));
        same(&format!(
            "{}.5{}e-{}",
            "7".repeat(700),
            "0".repeat(900),
            1000
        ));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]

            #[test]
            fn every_float_reads_back_exactly(bits in any::<u64>()) {
                let x = f64::from_bits(bits);
                prop_assume!(x.is_finite());
                for text in [format!("{x}"), format!("{x:e}"), format!("{x:.3}"), format!("{x:.20e}")] {
                    same(&text);
                }
            }

            #[test]
            fn decimal_text_agrees(
                sign in "[+-]?",
                integer in "[0-9]{0,30}",
                fraction in proptest::option::of("[0-9]{0,30}"),
                exponent in proptest::option::of("[eE][+-]?[0-9]{0,4}"),
            ) {
                let text = format!(
                    "{sign}{integer}{}{}",
                    fraction.map(|f| format!(".{f}")).unwrap_or_default(),
                    exponent.unwrap_or_default()
                );
                same(&text);
            }

            #[test]
            fn any_text_agrees(text in "[0-9eE.+\\-a-z ]{0,12}") {
                same(&text);
            }

            #[test]
            fn long_mantissas_round_correctly(digits in "[1-9][0-9]{15,780}", exponent in -400i32..400) {
                same(&format!("{digits}e{exponent}"));
                same(&format!("0.{digits}e{exponent}"));
            }
        }
    }
}
