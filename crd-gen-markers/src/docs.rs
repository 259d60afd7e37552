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

/// Equal text and marker lines (spans are where, not what).
impl PartialEq for Docs {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.go_markers.iter().map(|(m, _)| m).eq(other.go_markers.iter().map(|(m, _)| m))
    }
}

pub fn docs(attrs: &[syn::Attribute]) -> Docs {
    let mut lines: Vec<String> = Vec::new();
    let mut go_markers = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(nv) = &attr.meta else { continue };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value else { continue };
        for raw in s.value().split('\n') {
            if is_go_directive(raw) {
                continue;
            }
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

/// The description controller-gen extracts from these lines (controller-tools' `extractDoc`):
/// Go's comment text (blank lines trimmed at both ends, runs of blank lines made one), then,
/// outside Markdown code fences, lines starting with `TODO` dropped and everything from a line
/// starting with `---` on cut off (Kubernetes' convention for comments that are not API docs).
/// As in controller-gen, a cut after a blank line leaves that line: the text ends in `\n`.
fn join_paragraphs(lines: &[String]) -> Option<String> {
    let mut text: Vec<&str> = Vec::new();
    for line in lines {
        if line.is_empty() && text.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        text.push(line);
    }
    while text.last().is_some_and(|l| l.is_empty()) {
        text.pop();
    }
    let mut out: Vec<&str> = Vec::new();
    let mut in_code = false;
    for line in text {
        if line.starts_with("```") || line.starts_with("~~~") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with("TODO") {
            continue;
        }
        if !in_code && line.starts_with("---") {
            break;
        }
        out.push(line);
    }
    let joined = out.join("\n");
    if joined.is_empty() { None } else { Some(joined) }
}

/// A Go comment directive (`//go:generate`, `//nolint:lll`, `//line ..`): Go's comment text
/// leaves these out, so a port's `///nolint:lll` is left out of the description too. Only
/// directly after the comment marker, without a space, as in Go.
fn is_go_directive(raw: &str) -> bool {
    if ["line ", "extern ", "export "].iter().any(|p| raw.starts_with(p)) {
        return true;
    }
    let Some((word, rest)) = raw.split_once(':') else { return false };
    let lower_alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !word.is_empty() && word.chars().all(lower_alnum) && rest.starts_with(lower_alnum)
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

    fn text_of(item: syn::ItemStruct) -> Option<String> {
        docs(&item.attrs).text
    }

    #[test]
    fn triple_dash_ends_the_description_and_todo_lines_are_dropped() {
        let t = text_of(syn::parse_quote! {
            /// Foo is the thing.
            /// TODO: make it better.
            /// It has two lines.
            /// ---
            /// Implementation notes nobody should see.
            struct A;
        });
        assert_eq!(t.as_deref(), Some("Foo is the thing.\nIt has two lines."));
        // The blank line before `---` stays, as controller-gen leaves it.
        let t = text_of(syn::parse_quote! {
            /// Foo.
            ///
            /// ---
            /// hidden
            struct A;
        });
        assert_eq!(t.as_deref(), Some("Foo.\n"));
        // Only at the start of a line, and not inside code fences.
        let t = text_of(syn::parse_quote! {
            /// Use it like this:
            /// ```yaml
            /// ---
            /// TODO: kept inside the fence
            /// ```
            /// Not a TODO, not a --- either.
            ///  TODO indented is text.
            struct A;
        });
        assert_eq!(
            t.as_deref(),
            Some(
                "Use it like this:\n```yaml\n---\nTODO: kept inside the fence\n```\nNot a TODO, not a --- either.\n TODO indented is text."
            )
        );
        // Dropping a TODO between paragraphs does not merge the blank lines (as in controller-gen).
        let t = text_of(syn::parse_quote! {
            /// A.
            ///
            /// TODO: x
            ///
            /// B.
            struct A;
        });
        assert_eq!(t.as_deref(), Some("A.\n\n\nB."));
        let t = text_of(syn::parse_quote! {
            /// ---
            /// Nothing above the line.
            struct A;
        });
        assert_eq!(t, None);
    }

    #[test]
    fn go_directives_are_not_text() {
        let t = text_of(syn::parse_quote! {
            ///nolint:lll
            /// Name of the thing: a DNS label.
            ///go:generate stringer
            /// note: kept (a space before it)
            struct A;
        });
        assert_eq!(t.as_deref(), Some("Name of the thing: a DNS label.\nnote: kept (a space before it)"));
    }
}
