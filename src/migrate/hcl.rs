//! The HCL tfhar writes: `import` and `removed` blocks, `terraform fmt` clean.

use std::fmt::Write;

/// A string literal: JSON-style escapes, and `${`/`%{` doubled so that a value is never read
/// as a template.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `import { to = TYPE.NAME  id = "ID" }`, under a comment naming the old address.
pub fn import_block(old_address: &str, resource_type: &str, name: &str, id: &str) -> String {
    format!(
        "# {}\nimport {{\n  to = {resource_type}.{name}\n  id = {}\n}}\n",
        old_address.replace('\n', " "),
        quote(id)
    )
}

/// `removed { from = ADDRESS  lifecycle { destroy = false } }`: forget, never destroy.
pub fn removed_block(from: &str) -> String {
    format!("removed {{\n  from = {from}\n\n  lifecycle {{\n    destroy = false\n  }}\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escapes_and_templates() {
        assert_eq!(quote("acct/o/r"), r#""acct/o/r""#);
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("${x} %{y} $z"), r#""$${x} %%{y} $z""#);
        assert_eq!(quote("a\nb\u{1}"), r#""a\nb\u0001""#);
    }

    #[test]
    fn blocks() {
        assert_eq!(
            import_block(
                "module.m.harness_platform_har_registry.r[0]",
                "har_registry",
                "m_r_0",
                "acct/r"
            ),
            "# module.m.harness_platform_har_registry.r[0]\nimport {\n  to = har_registry.m_r_0\n  id = \"acct/r\"\n}\n"
        );
        assert_eq!(
            removed_block("module.m.harness_platform_har_registry.r"),
            "removed {\n  from = module.m.harness_platform_har_registry.r\n\n  lifecycle {\n    destroy = false\n  }\n}\n"
        );
    }
}
