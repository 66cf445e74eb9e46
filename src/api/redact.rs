//! Secrets out of server text. A server (or a gateway in front of it) may echo what it was
//! sent: an error page listing the request headers puts the API key into its body, a
//! validation message may quote the request body. Every piece of server text that can reach
//! a diagnostic or a log line (error messages, body excerpts, a redirect's `Location`) goes
//! through [`Secrets::redact`] first, with the secrets of the request that was answered:
//! the API key and the inline `accessKey` values of the body sent.

use serde_json::Value;

/// What replaces a secret.
pub const MASK: &str = "***";

/// JSON fields of a request body whose values are credentials sent inline.
const INLINE_SECRET_FIELDS: [&str; 1] = ["accessKey"];
/// The list of `{key, value}` headers of a webhook request, whose values are secrets.
const WEBHOOK_HEADERS_FIELD: &str = "extraHeaders";

/// The secrets of one request, in every form a server is likely to echo them in.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// Longest first, so a secret containing another is masked whole.
    forms: Vec<String>,
}

impl Secrets {
    /// The API key and the inline credentials found in `body` (JSON; anything else has
    /// none).
    pub fn new(api_key: &str, body: Option<&[u8]>) -> Secrets {
        let mut raw = vec![api_key.to_string()];
        if let Some(value) = body.and_then(|b| serde_json::from_slice::<Value>(b).ok()) {
            collect_inline(&value, &mut raw);
        }
        let mut forms = Vec::new();
        for secret in raw.into_iter().filter(|s| !s.is_empty()) {
            // As sent, as a JSON string would carry it (quotes and backslashes escaped), and
            // percent-encoded (a server echoing a URL or a form).
            let json = serde_json::to_string(&secret).unwrap_or_default();
            let json = json
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or_default()
                .to_string();
            let percent: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            forms.extend([secret, json, percent]);
        }
        forms.retain(|f| !f.is_empty());
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Secrets { forms }
    }

    /// `text` with every secret replaced by [`MASK`].
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), MASK);
            }
        }
        out
    }
}

fn collect_inline(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if INLINE_SECRET_FIELDS.contains(&k.as_str()) => {
                        out.push(s.clone())
                    }
                    // A webhook's extra header values (`har_webhook` marks them sensitive:
                    // they are often tokens).
                    Value::Array(headers) if k == WEBHOOK_HEADERS_FIELD => out.extend(
                        headers
                            .iter()
                            .filter_map(|h| h.get("value").and_then(Value::as_str))
                            .map(str::to_string),
                    ),
                    other => collect_inline(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_inline(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_and_inline_access_keys_are_masked() {
        let body = br#"{"identifier":"s3","config":{"type":"UPSTREAM","auth":{"accessKey":"AKIA-INLINE-1"}}}"#;
        let s = Secrets::new("pat.key.1", Some(body));
        let text = "x-api-key: pat.key.1\nbody: {\"accessKey\":\"AKIA-INLINE-1\"}";
        let out = s.redact(text);
        assert_eq!(out, "x-api-key: ***\nbody: {\"accessKey\":\"***\"}");
    }

    #[test]
    fn webhook_header_values_are_masked() {
        let body =
            br#"{"identifier":"w","extraHeaders":[{"key":"Authorization","value":"Bearer t0k"}]}"#;
        let s = Secrets::new("k", Some(body));
        assert_eq!(
            s.redact("bad header Authorization: Bearer t0k"),
            "bad header Authorization: ***"
        );
    }

    #[test]
    fn escaped_and_percent_encoded_echoes_are_masked() {
        let body = br#"{"auth":{"accessKey":"a\"b c/d"}}"#;
        let s = Secrets::new("k+y/1", Some(body));
        for echo in [
            "a\"b c/d",
            r#"a\"b c/d"#,
            "a%22b+c%2Fd",
            "k%2By%2F1",
            "k+y/1",
        ] {
            let out = s.redact(&format!("<{echo}>"));
            assert_eq!(out, "<***>", "{echo}");
        }
    }

    #[test]
    fn no_secrets_leaves_text_alone() {
        let s = Secrets::new("", Some(b"not json"));
        assert_eq!(s.redact("plain text"), "plain text");
    }

    #[test]
    fn a_secret_containing_another_is_masked_whole() {
        let s = Secrets::new("abc", Some(br#"{"accessKey":"abcdef"}"#));
        assert_eq!(s.redact("abcdef abc"), "*** ***");
    }
}
