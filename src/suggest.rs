//! "Did you mean": the one suggestion algorithm, for values wrong in case or by a letter
//! (the HAR enums in `rules/` and the framework's `one_of` validator).

/// The candidate closest to `value`, if it is close enough to be what the user meant: equal
/// ignoring case, or within a small edit distance (case-insensitive) of a candidate.
pub(crate) fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = value.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = strsim::levenshtein(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    // Up to 2 edits, but never more than a third of the word: `GO` must not suggest `NPM`.
    let (d, c) = best?;
    let limit = 2.min(c.len() / 3).max(usize::from(c.len() >= 3));
    (d <= limit && c != value).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_case_and_letter_fixes() {
        let c = ["Dockerhub", "Custom", "AwsEcr"];
        assert_eq!(did_you_mean("DockerHub", c), Some("Dockerhub"));
        assert_eq!(did_you_mean("dockerhb", c), Some("Dockerhub"));
        assert_eq!(did_you_mean("custom", c), Some("Custom"));
        assert_eq!(did_you_mean("Quay", c), None);
        assert_eq!(did_you_mean("Custom", c), None);
        assert_eq!(did_you_mean("docker", ["DOCKER", "GO"]), Some("DOCKER"));
        assert_eq!(did_you_mean("NP", ["GO"]), None);
    }
}
