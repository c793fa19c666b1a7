//! Inputs the fuzzers (fuzz/, scripts/fuzz.sh) once found a problem with,
//! kept as tests. Each file under tests/fuzz-crashers/ is named for its target.

use uplift_engine::decimal::parse_f64;

/// An integer of 873 digits, 673 of them significant (so infinite as an
/// f64): refused by an early version that counted the integer's trailing
/// zeros against the 800-digit limit.
#[test]
fn decimal_long_integer_with_trailing_zeros() {
    let text = include_str!("fuzz-crashers/decimal-0fad0737.txt");
    let want = text.parse::<f64>().ok();
    assert_eq!(want, Some(f64::INFINITY));
    assert_eq!(parse_f64(text).map(f64::to_bits), want.map(f64::to_bits));
}
