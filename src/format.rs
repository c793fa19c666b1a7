//! How the app writes numbers: grouping, money, percentages and p-values.
//! Every figure on screen passes through here, so the style is the same
//! everywhere.

/// Group the digits of a whole number in threes: 1234567 → "1,234,567".
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
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
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Money in dollars: whole units from 1,000 up, cents below. −1500 → "−$1,500".
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    if x == 0.0 {
        return "$0".to_string();
    }
    let decimals = if x.abs() >= 1000.0 { 0 } else { 2 };
    let body = number(x.abs(), decimals);
    if x < 0.0 {
        format!("−${body}")
    } else {
        format!("${body}")
    }
}

/// Money for chart axes: 1,500 → "$1.5k", 2,000,000 → "$2M", −300 → "−$300".
pub fn money_short(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let a = x.abs();
    let sign = if x < 0.0 { "−" } else { "" };
    let trim = |v: f64| {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    let body = if a >= 1e6 {
        format!("{}M", trim(a / 1e6))
    } else if a >= 1e3 {
        format!("{}k", trim(a / 1e3))
    } else {
        format!("{a:.0}")
    };
    format!("{sign}${body}")
}

/// A fraction as a percentage: 0.3 → "30.0%".
pub fn percent(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return "—".to_string();
    }
    format!("{}%", number(fraction * 100.0, decimals))
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
        "> 99.9%".to_string()
    } else if p < 0.001 {
        "< 0.1%".to_string()
    } else {
        percent(p, 1)
    }
}

/// A small relative loss: 0.00026 → "0.03%", below 0.005% → "< 0.01%".
pub fn small_percent(x: f64) -> String {
    if x.is_finite() && x.abs() < 0.000_05 {
        "< 0.01%".to_string()
    } else {
        percent(x, 2)
    }
}

/// A p-value to three decimals, or "< 0.001".
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "—".to_string()
    } else if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
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
    }
}
