//! Doc comments: the description text (as controller-gen extracts it from Go comments) and the
//! `+kubebuilder:` style marker lines hidden in them.

use proc_macro2::Span;
use syn::spanned::Spanned;

/// What a doc comment holds.
#[derive(Clone, Debug, Default)]
pub struct Docs {
    /// The description: line breaks kept, one blank line between paragraphs, no marker lines.
    pub text: Option<String>,
    /// `+...` lines (without the `+`), each with the span of its `///` line.
    pub go_markers: Vec<(String, Span)>,
}

pub fn docs(attrs: &[syn::Attribute]) -> Docs {
    let mut lines: Vec<String> = Vec::new();
    let mut go_markers = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(nv) = &attr.meta else { continue };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value else { continue };
        for raw in s.value().split('\n') {
            // `/// text` gives " text"; like Go's comment text, drop that one space only, so
            // indented continuation lines keep their indentation.
            let line = raw.strip_prefix(' ').unwrap_or(raw).trim_end();
            if let Some(marker) = line.trim_start().strip_prefix('+') {
                go_markers.push((marker.to_string(), attr.span()));
                continue;
            }
            lines.push(line.to_string());
        }
    }
    Docs { text: join_paragraphs(&lines), go_markers }
}

/// Trims blank lines at both ends and collapses runs of blank lines into one.
fn join_paragraphs(lines: &[String]) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    if out.is_empty() { None } else { Some(out.join("\n")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_breaks_drops_markers_and_extra_blank_lines() {
        let item: syn::ItemStruct = syn::parse_quote! {
            ///
            /// Specifies how to treat concurrent executions.
            /// Valid values are:
            ///
            ///
            /// - "Allow": allows
            ///   continuation
            /// +kubebuilder:validation:Enum=Allow;Forbid
            /// +optional
            ///
            struct A;
        };
        let d = docs(&item.attrs);
        assert_eq!(
            d.text.as_deref(),
            Some("Specifies how to treat concurrent executions.\nValid values are:\n\n- \"Allow\": allows\n  continuation")
        );
        let markers: Vec<_> = d.go_markers.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(markers, ["kubebuilder:validation:Enum=Allow;Forbid", "optional"]);
    }

    #[test]
    fn no_docs_is_none() {
        let item: syn::ItemStruct = syn::parse_quote!(
            struct A;
        );
        assert!(docs(&item.attrs).text.is_none());
    }
}
