//! Parsing Terraform's decimal-string number form.

use super::values::Number;

/// Parses a number sent as text (msgpack string, JSON string). Terraform writes a decimal
/// string only when the value fits neither int64 nor an exact float64; anything that does
/// fit is normalised to `Int`/`Uint`, the rest stays `Decimal` with its exact text.
/// `Inf`/`+Inf`/`-Inf` (what Go's big.Float accepts) become float infinities.
pub(crate) fn parse_number_text(s: &str) -> Option<Number> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::Int(i));
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some(Number::Uint(u));
    }
    match s {
        "Inf" | "+Inf" | "inf" | "+inf" => return Some(Number::Float(f64::INFINITY)),
        "-Inf" | "-inf" => return Some(Number::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    is_decimal(s).then(|| Number::Decimal(s.to_owned()))
}

/// The value as i64 if `f` is integral and in i64 range. cty writes such numbers as
/// ints; 2^63 itself is exactly representable as f64 but not as i64, hence `<`.
pub(crate) fn integral_i64(f: f64) -> Option<i64> {
    let limit = -(i64::MIN as f64);
    (f.fract() == 0.0 && f >= -limit && f < limit).then_some(f as i64)
}

/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
pub(crate) fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// True if the text is a valid JSON number (no `+`, no leading zeros, no bare `.`).
pub(crate) fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_fits_becomes_an_integer() {
        assert!(matches!(parse_number_text("42"), Some(Number::Int(42))));
        assert!(matches!(parse_number_text("-7"), Some(Number::Int(-7))));
        assert!(matches!(
            parse_number_text("18446744073709551615"),
            Some(Number::Uint(u64::MAX))
        ));
    }

    #[test]
    fn huge_and_fractional_text_stays_exact() {
        let huge = "123456789012345678901234567890123456789";
        assert!(matches!(parse_number_text(huge), Some(Number::Decimal(ref s)) if s == huge));
        assert!(matches!(
            parse_number_text("0.1000000000000000000001"),
            Some(Number::Decimal(_))
        ));
        assert!(matches!(
            parse_number_text("1e400"),
            Some(Number::Decimal(_))
        ));
        assert!(
            matches!(parse_number_text("-Inf"), Some(Number::Float(f)) if f == f64::NEG_INFINITY)
        );
    }

    #[test]
    fn non_numbers_are_rejected() {
        for s in [
            "", "-", ".", "1e", "abc", "1.2.3", "0x10", " 1", "1_000", "NaN",
        ] {
            assert!(parse_number_text(s).is_none(), "{s:?} accepted");
        }
    }

    #[test]
    fn json_number_syntax() {
        for s in ["0", "-0", "12", "1.5", "1e9", "-1.25E-7"] {
            assert!(is_json_number(s), "{s}");
        }
        for s in ["+1", "01", ".5", "5.", "1e", "-"] {
            assert!(!is_json_number(s), "{s}");
        }
    }
}
