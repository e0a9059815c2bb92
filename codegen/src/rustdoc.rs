//! Doc rendering: spec prose as rustdoc attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Makes spec prose safe for rustdoc: outside backtick code spans, `<` and
/// `>` become entities (not HTML tags) and bare URLs become autolinks.
pub fn markdown_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || matches!(ch, '<' | '>' | '`' | '"' | '\''))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', ']']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `#[doc = "..."]` attributes for a (possibly multi-line) text.
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = markdown_safe(text);
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|l| {
            let l = l.trim_end();
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote! { #(#[doc = #lines])* }
}

#[cfg(test)]
mod tests {
    use super::markdown_safe;

    #[test]
    fn prose_is_made_markdown_safe() {
        assert_eq!(
            markdown_safe("POST <path>\\n<Client-Id> and `Option<T>`"),
            "POST &lt;path&gt;\\n&lt;Client-Id&gt; and `Option<T>`"
        );
        assert_eq!(
            markdown_safe("see https://open-na.alipay.com, or `https://x.y`."),
            "see <https://open-na.alipay.com>, or `https://x.y`."
        );
        assert_eq!(markdown_safe("(https://a.b/c)."), "(<https://a.b/c>).");
    }
}
