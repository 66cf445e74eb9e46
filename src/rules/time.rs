//! Timestamps as the API and Terraform's logs show them, without a date crate.

/// RFC 3339 UTC of `secs` since the Unix epoch, with `micros` when given
/// (`2024-08-21T14:40:11Z`, `2024-08-21T14:40:11.000123Z`).
pub(crate) fn rfc3339_utc(secs: i64, micros: Option<u32>) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let fraction = micros.map(|u| format!(".{u:06}")).unwrap_or_default();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{fraction}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339_utc(0, None), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339_utc(951_782_400, Some(12)),
            "2000-02-29T00:00:00.000012Z"
        );
        assert_eq!(rfc3339_utc(-1, None), "1969-12-31T23:59:59Z");
    }
}
