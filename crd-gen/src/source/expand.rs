//! What rustc does to a parsed file before it resolves names, as far as source can tell:
//! `#[cfg(..)]` removes items, fields and variants that are not compiled, `#[cfg_attr(p, a, b)]`
//! becomes `#[a] #[b]` where `p` holds (nested ones too), and `#[doc = include_str!("..")]` /
//! `#[doc = concat!(..)]` become the text they stand for (the file read relative to the
//! including file, as rustc does). Every later stage sees the attributes rustc would see.
//!
//! `impl` blocks are kept whatever their `cfg`: they are read as data (k8s-openapi's schemas sit
//! in `#[cfg(feature = "schemars")]` impls), never as part of the type namespace.

use super::cfg::{self, Eval};
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Place, SourceMap};
use std::path::Path;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

pub struct Expander<'a> {
    pub eval: Eval<'a>,
    /// A crate resources are generated for: what crd-gen cannot tell is reported (in a
    /// dependency, it would only be noise).
    pub report: bool,
    pub file: FileId,
    pub file_dir: &'a Path,
    pub sources: &'a mut SourceMap,
    pub diags: &'a mut Diagnostics,
    /// Whether a `#[doc = include_str!(..)]` read another file (the module's text alone then
    /// does not give its items).
    pub included: bool,
}

impl Expander<'_> {
    /// The items rustc compiles, with their attributes (and their fields' and variants')
    /// expanded.
    pub fn items(&mut self, items: Vec<syn::Item>) -> Vec<syn::Item> {
        items.into_iter().filter_map(|item| self.item(item)).collect()
    }

    fn item(&mut self, mut item: syn::Item) -> Option<syn::Item> {
        if matches!(item, syn::Item::Impl(_)) {
            return Some(item);
        }
        if let Some(attrs) = item_attrs_mut(&mut item) {
            *attrs = self.attrs(std::mem::take(attrs))?;
        }
        match &mut item {
            syn::Item::Struct(s) => self.fields(&mut s.fields),
            syn::Item::Union(u) => u.fields.named = self.field_list(std::mem::take(&mut u.fields.named)),
            syn::Item::Enum(e) if !e.variants.iter().any(|v| v.attrs.iter().any(needs_expanding)) => {
                e.variants.iter_mut().for_each(|v| self.fields(&mut v.fields));
            }
            syn::Item::Enum(e) => {
                let variants = std::mem::take(&mut e.variants);
                e.variants = variants
                    .into_iter()
                    .filter_map(|mut v| {
                        v.attrs = self.attrs(std::mem::take(&mut v.attrs))?;
                        self.fields(&mut v.fields);
                        Some(v)
                    })
                    .collect();
            }
            syn::Item::Mod(m) => {
                if let Some((_, content)) = &mut m.content {
                    *content = self.items(std::mem::take(content));
                }
            }
            // `const _: () = { .. };`: its items are compiled (derives put their impls there);
            // expanded so the collect stage can see what they hold.
            syn::Item::Const(c) if c.ident == "_" => {
                if let syn::Expr::Block(block) = &mut *c.expr {
                    let stmts = std::mem::take(&mut block.block.stmts);
                    block.block.stmts = stmts
                        .into_iter()
                        .filter_map(|s| match s {
                            syn::Stmt::Item(i) => self.item(i).map(syn::Stmt::Item),
                            other => Some(other),
                        })
                        .collect();
                }
            }
            _ => {}
        }
        Some(item)
    }

    fn fields(&mut self, fields: &mut syn::Fields) {
        match fields {
            syn::Fields::Named(n) => n.named = self.field_list(std::mem::take(&mut n.named)),
            syn::Fields::Unnamed(u) => u.unnamed = self.field_list(std::mem::take(&mut u.unnamed)),
            syn::Fields::Unit => {}
        }
    }

    fn field_list(&mut self, fields: Punctuated<syn::Field, syn::Token![,]>) -> Punctuated<syn::Field, syn::Token![,]> {
        if !fields.iter().any(|f| f.attrs.iter().any(needs_expanding)) {
            return fields;
        }
        fields
            .into_iter()
            .filter_map(|mut f| {
                f.attrs = self.attrs(std::mem::take(&mut f.attrs))?;
                Some(f)
            })
            .collect()
    }

    /// The attributes rustc sees, or None when a `cfg` among them is off.
    pub fn attrs(&mut self, attrs: Vec<syn::Attribute>) -> Option<Vec<syn::Attribute>> {
        // Nearly every list has nothing to expand: it is kept as it is, nothing moved.
        if !attrs.iter().any(needs_expanding) {
            return Some(attrs);
        }
        let mut queue: std::collections::VecDeque<syn::Attribute> = attrs.into();
        let mut out = Vec::with_capacity(queue.len());
        let mut on = true;
        while let Some(attr) = queue.pop_front() {
            if attr.path().is_ident("cfg") {
                on &= self.cfg(&attr);
            } else if attr.path().is_ident("cfg_attr") {
                // The attributes it gives are expanded in turn, in place.
                for expanded in self.cfg_attr(&attr).into_iter().rev() {
                    queue.push_front(expanded);
                }
            } else if attr.path().is_ident("doc") {
                out.extend(self.doc(attr));
            } else {
                out.push(attr);
            }
        }
        on.then_some(out)
    }

    fn cfg(&mut self, attr: &syn::Attribute) -> bool {
        let parsed = match &attr.meta {
            syn::Meta::List(l) => cfg::parse_cfg(l.tokens.clone()),
            _ => Err(syn::Error::new(attr.span(), "expected `#[cfg(predicate)]`")),
        };
        match parsed {
            Ok(pred) => self.decide(&pred, attr),
            Err(e) => {
                self.malformed(attr, &e);
                true
            }
        }
    }

    /// `cfg_attr(pred, a, b)`: `[a, b]` when `pred` holds.
    fn cfg_attr(&mut self, attr: &syn::Attribute) -> Vec<syn::Attribute> {
        let parsed = attr.parse_args_with(|input: syn::parse::ParseStream| {
            let pred = cfg::parse_pred(input)?;
            input.parse::<syn::Token![,]>()?;
            let metas = Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated(input)?;
            Ok((pred, metas))
        });
        match parsed {
            Ok((pred, metas)) if self.decide(&pred, attr) => {
                metas.into_iter().map(|meta| syn::Attribute { meta, ..attr.clone() }).collect()
            }
            Ok(_) => Vec::new(),
            Err(e) => {
                self.malformed(attr, &e);
                Vec::new()
            }
        }
    }

    fn decide(&mut self, pred: &cfg::Pred, attr: &syn::Attribute) -> bool {
        let on = self.eval.eval(pred);
        let unknown = std::mem::take(&mut self.eval.unknown);
        if self.report {
            for name in unknown {
                let place = Place::Source(Loc::from_span(self.file, attr.span()));
                self.diags.push(
                    Diagnostic::warning(format!("crd-gen takes `cfg({name})` as not set, as rustc does unless the build sets it"), place)
                        .with_label(if on { "so this is included" } else { "so this is left out" })
                        .with_help(format!("if your build sets it (`--cfg {name}` in RUSTFLAGS, or a build script's `cargo::rustc-cfg={name}`), pass `--cfg {name}` to crd-gen")),
                );
            }
        }
        on
    }

    fn malformed(&mut self, attr: &syn::Attribute, e: &syn::Error) {
        let place = Place::Source(Loc::from_span(self.file, e.span()));
        let _ = attr;
        self.diags.push(
            Diagnostic::error(format!("malformed `cfg` predicate: {e}"), place)
                .with_help("write `#[cfg(feature = \"name\")]`, `#[cfg(all(a, not(b)))]`, ... (rustc rejects this too)"),
        );
    }

    /// `#[doc = ..]` with its text as a literal, or nothing (reported) when it cannot be read.
    fn doc(&mut self, attr: syn::Attribute) -> Option<syn::Attribute> {
        let syn::Meta::NameValue(nv) = &attr.meta else { return Some(attr) };
        if matches!(&nv.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(_), .. })) {
            return Some(attr);
        }
        match self.doc_text(&nv.value) {
            Ok(text) => {
                let mut nv = nv.clone();
                let lit = syn::LitStr::new(&text, nv.value.span());
                nv.value = syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(lit) });
                Some(syn::Attribute { meta: syn::Meta::NameValue(nv), ..attr })
            }
            Err((span, why)) => {
                if self.report {
                    self.diags.push(
                        Diagnostic::error(format!("cannot read this doc comment: {why}"), Place::Source(Loc::from_span(self.file, span)))
                            .with_help("crd-gen reads `#[doc = \"..\"]`, `#[doc = include_str!(\"file.md\")]` and `concat!` of those; write the text in one of these forms"),
                    );
                }
                None
            }
        }
    }

    /// The text of a doc expression: a literal, `include_str!(".."), `concat!(..)` of those.
    fn doc_text(&mut self, expr: &syn::Expr) -> Result<String, (proc_macro2::Span, String)> {
        match expr {
            syn::Expr::Lit(l) => literal_text(&l.lit).ok_or_else(|| (l.span(), "this literal has no text".into())),
            syn::Expr::Group(g) => self.doc_text(&g.expr),
            syn::Expr::Macro(m) => {
                let name = m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                let args = m
                    .mac
                    .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
                    .map_err(|e| (m.span(), format!("`{name}!` arguments: {e}")))?;
                match name.as_str() {
                    "include_str" => match args.iter().collect::<Vec<_>>().as_slice() {
                        [syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(path), .. })] => self.include(&path.value(), m.span()),
                        _ => Err((m.span(), "`include_str!` needs one string literal path".into())),
                    },
                    "concat" => args.iter().map(|a| self.doc_text(a)).collect::<Result<Vec<_>, _>>().map(|parts| parts.concat()),
                    other => Err((m.span(), format!("`{other}!` is expanded by the compiler, and crd-gen does not run it"))),
                }
            }
            other => Err((other.span(), "this expression is computed by the compiler".into())),
        }
    }

    /// The text of a file named by `include_str!`, relative to the including file.
    fn include(&mut self, rel: &str, span: proc_macro2::Span) -> Result<String, (proc_macro2::Span, String)> {
        let path = self.file_dir.join(rel);
        // Only a regular file is read: a FIFO would block the run, a directory has no text.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err((span, format!("`{}` is not a regular file (a directory, FIFO, socket or device)", path.display())));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| (span, format!("cannot read `{}`: {e}", path.display())))?;
        self.included = true;
        let known = (0..).map_while(|i| self.sources.try_get(FileId(i))).any(|f| f.path == path);
        if !known {
            // Listed with the sources, so build.rs reruns when the included file changes.
            self.sources.add(path, text.clone());
        }
        Ok(text)
    }
}

/// A `cfg`, a `cfg_attr`, or a doc comment that is not a string literal (`include_str!`,
/// `concat!`): what [`Expander::attrs`] changes.
fn needs_expanding(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    if path.is_ident("doc") {
        return matches!(&attr.meta, syn::Meta::NameValue(nv)
            if !matches!(&nv.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(_), .. })));
    }
    path.is_ident("cfg") || path.is_ident("cfg_attr")
}

fn literal_text(lit: &syn::Lit) -> Option<String> {
    Some(match lit {
        syn::Lit::Str(s) => s.value(),
        syn::Lit::Char(c) => c.value().to_string(),
        syn::Lit::Int(i) => i.base10_digits().to_string(),
        syn::Lit::Float(f) => f.base10_digits().to_string(),
        syn::Lit::Bool(b) => b.value.to_string(),
        _ => return None,
    })
}

fn item_attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::TraitAlias(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        syn::Item::ExternCrate(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::ForeignMod(i) => &mut i.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{Generated, run_files, run_source};

    fn yaml(g: &Generated) -> String {
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        g.crates.iter().flat_map(|c| &c.files).map(|f| &*f.contents).collect()
    }

    const HEAD: &str = "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n";

    #[test]
    fn cfg_on_fields_and_variants_is_what_rustc_compiles() {
        let g = run_source(&format!(
            "{HEAD}pub struct WidgetSpec {{\n    pub kept: String,\n    #[cfg(feature = \"extra\")]\n    pub gated: String,\n    #[cfg(not(feature = \"extra\"))]\n    pub plain: String,\n    #[cfg(unix)]\n    pub on_unix: String,\n    #[cfg(windows)]\n    pub on_windows: String,\n    pub mode: Mode,\n}}\npub enum Mode {{ A, #[cfg(feature = \"extra\")] B, #[cfg(any())] C, #[cfg(all())] D }}\n"
        ));
        let y = yaml(&g);
        assert!(y.contains("kept:") && y.contains("plain:"), "{y}");
        assert!(!y.contains("gated:"), "no features enabled: a feature-gated field is off\n{y}");
        assert_eq!(y.contains("on_unix:"), cfg!(unix), "{y}");
        assert_eq!(y.contains("on_windows:"), cfg!(windows), "{y}");
        assert!(y.contains("- A\n") && y.contains("- D\n") && !y.contains("- B\n") && !y.contains("- C\n"), "{y}");
    }

    #[test]
    fn cfg_attr_gives_markers_serde_and_derive_attributes() {
        let g = run_source(
            "#[cfg_attr(all(), derive(CustomResource))]\n#[cfg_attr(any(), derive(Nothing))]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n\
             #[cfg_attr(not(test), crd(short_name = \"wg\"), serde(rename_all = \"camelCase\"))]\n\
             pub struct WidgetSpec {\n    #[cfg_attr(unix, cfg_attr(not(windows), crd(max_length = 9)))]\n    #[cfg_attr(feature = \"x\", crd(min_length = 100))]\n    pub some_name: String,\n    #[cfg_attr(all(), serde(rename = \"other\"))]\n    pub renamed: i32,\n}\n",
        );
        let y = yaml(&g);
        assert!(y.contains("shortNames:\n    - wg"), "{y}");
        assert!(y.contains("someName:") && y.contains("other:"), "{y}");
        assert_eq!(y.contains("maxLength: 9"), cfg!(unix), "nested cfg_attr\n{y}");
        assert!(!y.contains("minLength: 100"), "{y}");
    }

    #[test]
    fn a_resource_behind_a_feature_is_off_without_it() {
        let g = run_source(&format!(
            "{HEAD}pub struct WidgetSpec {{ pub a: String }}\n#[cfg(feature = \"experimental\")]\n{HEAD}pub struct GadgetSpec {{ pub b: String }}\n"
        ));
        let y = yaml(&g);
        assert!(y.contains("kind: Widget") && !y.contains("kind: Gadget"), "{y}");
    }

    #[test]
    fn cfg_attr_path_on_a_module() {
        let g = run_files(&[
            ("lib.rs", "#[cfg_attr(unix, path = \"unix_api.rs\")]\n#[cfg_attr(not(unix), path = \"other_api.rs\")]\nmod api;\n"),
            ("unix_api.rs", &format!("{HEAD}pub struct UnixSpec {{ pub a: String }}\n")),
            ("other_api.rs", &format!("{HEAD}pub struct OtherSpec {{ pub a: String }}\n")),
        ]);
        let y = yaml(&g);
        assert_eq!(y.contains("kind: Unix"), cfg!(unix), "{y}");
        assert_eq!(y.contains("kind: Other"), !cfg!(unix), "{y}");
    }

    #[test]
    fn custom_cfgs_are_off_with_a_warning_at_the_line() {
        let g = run_source(&format!(
            "{HEAD}pub struct WidgetSpec {{\n    pub a: String,\n    #[cfg(tokio_unstable)]\n    pub b: String,\n}}\n"
        ));
        let y = yaml(&g);
        assert!(!y.contains(" b:"), "{y}");
        let d = g.render_diagnostics(false);
        assert!(d.contains("warning: crd-gen takes `cfg(tokio_unstable)` as not set"), "{d}");
        assert!(
            d.contains("lib.rs:5:5") && d.contains("so this is left out") && d.contains("pass `--cfg tokio_unstable` to crd-gen"),
            "{d}"
        );
        // Tool cfgs that no build sets say nothing.
        let g = run_source(&format!("{HEAD}#[cfg_attr(docsrs, doc(cfg(feature = \"x\")))]\npub struct WidgetSpec {{ pub a: String }}\n"));
        assert!(g.diagnostics.is_empty(), "{}", g.render_diagnostics(false));
    }

    #[test]
    fn malformed_cfg_is_an_error() {
        let g = run_source(&format!(
            "{HEAD}pub struct WidgetSpec {{\n    #[cfg(feature)]\n    pub a: String,\n    #[cfg(whatever(x))]\n    pub b: String,\n}}\n"
        ));
        let d = g.render_diagnostics(false);
        assert!(d.contains("malformed `cfg` predicate") && d.contains("`whatever(..)` is not a cfg predicate"), "{d}");
    }

    #[test]
    fn include_str_and_concat_docs_are_read_with_their_markers() {
        let g = run_files(&[
            ("lib.rs", "mod api;\n"),
            (
                "api.rs",
                &format!(
                    "#[doc = include_str!(\"docs/spec.md\")]\n{HEAD}pub struct WidgetSpec {{\n    #[doc = concat!(\"Replicas, at most \", 5, \".\")]\n    #[doc = include_str!(\"docs/replicas.md\")]\n    pub replicas: i32,\n}}\n"
                ),
            ),
            ("docs/spec.md", "The widget.\n\nIt has parts.\n"),
            ("docs/replicas.md", "+kubebuilder:validation:Maximum=5\n"),
        ]);
        let y = yaml(&g);
        assert!(y.contains("The widget.\n"), "{y}");
        assert!(y.contains("description: Replicas, at most 5."), "{y}");
        assert!(y.contains("maximum: 5"), "a marker inside an included doc counts\n{y}");
        let files: Vec<String> = g.source_files().map(|p| p.display().to_string()).collect();
        assert!(files.iter().any(|f| f.ends_with("docs/spec.md")) && files.iter().any(|f| f.ends_with("docs/replicas.md")), "{files:?}");
    }

    #[test]
    fn docs_crd_gen_cannot_read_are_errors_at_the_attribute() {
        let g = run_source(&format!(
            "{HEAD}pub struct WidgetSpec {{\n    #[doc = env!(\"DOCS\")]\n    pub a: String,\n    #[doc = include_str!(\"missing.md\")]\n    pub b: String,\n}}\n"
        ));
        let d = g.render_diagnostics(false);
        assert!(d.contains("cannot read this doc comment: `env!` is expanded by the compiler") && d.contains("lib.rs:4:13"), "{d}");
        assert!(d.contains("cannot read this doc comment: cannot read `") && d.contains("missing.md"), "{d}");
    }
}
