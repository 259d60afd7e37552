//! What crd-gen cannot see: it reads source, so a resource written inside a macro call, in a
//! file pasted in with `include!`, or inside a `const _: () = { .. }` block is not among the
//! crate's items. Where the tokens show a `#[derive(CustomResource)]` there, that is an error at
//! the place (never a silently missing CRD); the other macro calls and includes are listed when
//! a crate has no resources at all, as the places they might be.

use crate::diag::{Diagnostic, Diagnostics, Loc, Place, SourceMap};
use crate::source::{Program, Scope};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::spanned::Spanned;

/// A place whose items crd-gen cannot read, for the "no resources" error.
#[derive(Clone, Debug)]
pub struct Hidden {
    pub loc: Loc,
    pub what: String,
}

/// What [`Scanned::scan_module`] found in a crate's modules (or a worker's share of them).
#[derive(Debug, Default)]
pub struct Scanned {
    pub hidden: Vec<Hidden>,
    /// `macro_rules!` whose body derives `CustomResource`, by name, where defined.
    pub deriving_macros: Vec<(String, Loc)>,
    /// Macro calls no macro of `deriving_macros` matched: another worker's may.
    pub other_calls: Vec<(String, Loc)>,
}

impl Scanned {
    /// Reports resources crd-gen can tell are hidden in module `scope`, and notes every place
    /// items could be hidden. A call of a deriving macro defined in a module scanned later is
    /// matched by [`Scanned::settle`]; one another worker's modules define, when the workers'
    /// findings meet ([`Scanned::other_calls`]).
    pub fn scan_module(&mut self, program: &Program, sources: &SourceMap, scope: Scope, diags: &mut Diagnostics) {
        let Some(body) = program.krate(scope.krate).loaded(scope.module) else { return };
        // `macro_rules! name { .. }` whose body derives `CustomResource`: its calls hide resources.
        for item in body.items() {
            if let syn::Item::Macro(m) = item
                && let Some(name) = &m.ident
                && derives_resource(&m.mac.tokens)
            {
                self.deriving_macros.push((name.to_string(), Loc::from_span(body.file, name.span())));
            }
        }
        let dir = sources.get(body.file).path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        let mut scan = Scan {
            file: body.file,
            dir: &dir,
            deriving_macros: &self.deriving_macros,
            diags,
            hidden: &mut self.hidden,
            other_calls: &mut self.other_calls,
        };
        for item in body.items() {
            scan.item(item);
        }
    }

    /// Reports the calls of deriving macros defined in modules scanned after the call's.
    pub fn settle(&mut self, diags: &mut Diagnostics) {
        let defs = &self.deriving_macros;
        self.other_calls.retain(|(name, loc)| match defs.iter().find(|(n, _)| n == name) {
            Some((_, defined)) => {
                diags.push(deriving_macro_call(name, *loc, *defined));
                false
            }
            None => true,
        });
    }
}

/// A call of `name!`, a macro defined at `defined` whose body derives `CustomResource`.
pub fn deriving_macro_call(name: &str, loc: Loc, defined: Loc) -> Diagnostic {
    Diagnostic::error(
        format!("`{name}!` derives `CustomResource` in its body, and crd-gen cannot see what a macro expands to"),
        Place::Source(loc),
    )
    .with_label("no CRD is generated for this call")
    .with_note(Place::Source(defined), format!("`{name}` is defined here"))
    .with_help("write the spec struct out at module level with `#[derive(CustomResource)]`")
}

struct Scan<'a> {
    file: crate::diag::FileId,
    dir: &'a std::path::Path,
    deriving_macros: &'a [(String, Loc)],
    diags: &'a mut Diagnostics,
    hidden: &'a mut Vec<Hidden>,
    other_calls: &'a mut Vec<(String, Loc)>,
}

impl Scan<'_> {
    fn item(&mut self, item: &syn::Item) {
        match item {
            syn::Item::Macro(m) if m.ident.is_none() => self.macro_call(&m.mac),
            syn::Item::Const(c) if c.ident == "_" => self.const_block(c),
            _ => {}
        }
    }

    fn macro_call(&mut self, mac: &syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let loc = Loc::from_span(self.file, mac.path.span());
        if name == "include" {
            return self.include(mac, loc);
        }
        if derives_resource(&mac.tokens) {
            self.diags.push(
                Diagnostic::error(format!("this `{name}!` call derives `CustomResource`, and crd-gen cannot see what a macro expands to"), Place::Source(loc))
                    .with_label("no CRD is generated for it")
                    .with_help("write the spec struct out at module level with `#[derive(CustomResource)]` (its field types may still come from anywhere crd-gen can read)"),
            );
        } else if let Some((_, defined)) = self.deriving_macros.iter().find(|(n, _)| *n == name) {
            self.diags.push(deriving_macro_call(&name, loc, *defined));
        } else {
            self.other_calls.push((name.clone(), loc));
        }
        self.hidden.push(Hidden { loc, what: format!("`{name}!` expands to items crd-gen cannot see") });
    }

    /// `include!("file.rs")`: the file's items are pasted here, and crd-gen does not read them.
    fn include(&mut self, mac: &syn::Macro, loc: Loc) {
        let text = match mac.parse_body::<syn::LitStr>() {
            // Only a regular file is read (a FIFO would block the run).
            Ok(path) => {
                let path = self.dir.join(path.value());
                std::fs::metadata(&path).is_ok_and(|m| m.is_file()).then(|| std::fs::read_to_string(&path).ok()).flatten()
            }
            Err(_) => None,
        };
        if text.as_deref().and_then(|t| t.parse::<TokenStream>().ok()).is_some_and(|t| derives_resource(&t)) {
            self.diags.push(
                Diagnostic::error("the file this `include!` pastes in derives `CustomResource`, and crd-gen does not read included files", Place::Source(loc))
                    .with_label("no CRD is generated for its resources")
                    .with_help("make it a module instead: `#[path = \"file.rs\"] mod name; pub use name::*;` reads the same items, and crd-gen follows modules"),
            );
        }
        self.hidden.push(Hidden { loc, what: "`include!` pastes in items crd-gen does not read".into() });
    }

    /// `const _: () = { .. };`: items there are compiled, but are not the module's.
    fn const_block(&mut self, c: &syn::ItemConst) {
        let syn::Expr::Block(block) = &*c.expr else { return };
        for stmt in &block.block.stmts {
            let syn::Stmt::Item(item) = stmt else { continue };
            match item {
                syn::Item::Struct(s) if crate::attrs::derives(&s.attrs, "CustomResource") => {
                    let loc = Loc::from_span(self.file, s.ident.span());
                    self.diags.push(
                        Diagnostic::error(format!("resource `{}` is inside a `const _: () = {{ .. }}` block, where crd-gen does not look for resources", s.ident), Place::Source(loc))
                            .with_label("no CRD is generated for it")
                            .with_help("move the struct out of the block to module level (derives may keep their impls in such a block; the type itself belongs beside the others)"),
                    );
                }
                other => self.item(other),
            }
        }
        self.hidden.push(Hidden {
            loc: Loc::from_span(self.file, c.ident.span()),
            what: "`const _` block: its items are not the module's".into(),
        });
    }
}

/// Whether `tokens` hold an attribute `#[derive(.., CustomResource, ..)]` (also inside
/// `cfg_attr`), at any depth.
pub fn derives_resource(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Group(g)
            if g.delimiter() == Delimiter::Bracket && i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '#') =>
        {
            has_ident(&g.stream(), "derive") && has_ident(&g.stream(), "CustomResource")
        }
        TokenTree::Group(g) => derives_resource(&g.stream()),
        _ => false,
    })
}

fn has_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => has_ident(&g.stream(), name),
        _ => false,
    })
}

/// The error for a run that found no resource at all, with the places they might hide.
pub fn no_resources(targets: &[std::sync::Arc<crate::source::CrateSource>], hidden: &[Hidden]) -> Diagnostic {
    let names: Vec<String> = targets.iter().map(|k| format!("`{}`", k.package)).collect();
    let root = targets.first().map(|k| k.root_file.clone()).unwrap_or_default();
    let mut d = Diagnostic::error(format!("no resources found in {}", names.join(", ")), Place::File(root))
        .with_help("derive `CustomResource` on a spec struct: `#[derive(CustomResource)] #[crd(group = \"example.com\", version = \"v1\")] pub struct WidgetSpec { .. }`")
        // A run that finds nothing may have missed everything, so it removes no CRD file a
        // previous run wrote; skipping resources on purpose is the way to retire their files.
        .with_help("nothing is written or removed: to retire CRDs written before, keep their resources in a module marked `//! +kubebuilder:skip` and run again, or delete the files and `.crd-gen-owned`");
    for h in hidden {
        d = d.with_note(Place::Source(h.loc), format!("{} (a resource there is not seen)", h.what));
    }
    d
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{run_files, run_source};

    const SPEC: &str =
        "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec { pub a: String }\n";

    #[test]
    fn a_resource_inside_a_macro_call_is_an_error_there() {
        let g = run_source(&format!("{SPEC}some_macro! {{\n    #[derive(Clone, CustomResource)]\n    pub struct HiddenSpec {{}}\n}}\n"));
        let d = g.render_diagnostics(false);
        assert!(d.contains("this `some_macro!` call derives `CustomResource`") && d.contains("lib.rs:4:1"), "{d}");
    }

    #[test]
    fn calls_of_a_macro_whose_body_derives_a_resource_are_errors() {
        let g = run_source(&format!(
            "{SPEC}macro_rules! resource {{\n    ($n:ident) => {{\n        #[derive(CustomResource)]\n        #[crd(group = \"a.example.com\", version = \"v1\")]\n        pub struct $n {{}}\n    }};\n}}\nresource!(GadgetSpec);\n"
        ));
        let d = g.render_diagnostics(false);
        assert!(d.contains("`resource!` derives `CustomResource` in its body") && d.contains("lib.rs:11:1"), "{d}");
        assert!(d.contains("`resource` is defined here"), "{d}");
    }

    /// Modules are scanned one at a time: a call in a module read before the one defining the
    /// macro (and one after it) is matched all the same, and reported once.
    #[test]
    fn a_deriving_macro_defined_in_a_later_module_is_matched() {
        let def = "#[macro_export]\nmacro_rules! resource {\n    ($n:ident) => {\n        #[derive(CustomResource)]\n        pub struct $n {}\n    };\n}\n";
        let g = run_files(&[
            ("lib.rs", &format!("{SPEC}mod early;\nmod defs;\nmod late;\n")),
            ("early.rs", "crate::resource!(GadgetSpec);\n"),
            ("defs.rs", def),
            ("late.rs", "crate::resource!(GizmoSpec);\n"),
        ]);
        let d = g.render_diagnostics(false);
        for file in ["early.rs:1:1", "late.rs:1:1"] {
            assert!(d.contains(file), "no error at {file}: {d}");
        }
        assert_eq!(d.matches("`resource!` derives `CustomResource` in its body").count(), 2, "{d}");
    }

    #[test]
    fn a_resource_in_a_const_block_is_an_error_there() {
        let g = run_source(&format!("{SPEC}const _: () = {{\n    #[derive(CustomResource)]\n    pub struct GadgetSpec {{}}\n}};\n"));
        let d = g.render_diagnostics(false);
        assert!(d.contains("resource `GadgetSpec` is inside a `const _: () = { .. }` block") && d.contains("lib.rs:6:16"), "{d}");
    }

    #[test]
    fn an_included_file_with_a_resource_is_an_error_at_the_include() {
        let g = run_files(&[
            ("lib.rs", &format!("{SPEC}include!(\"gen.rs\");\n")),
            ("gen.rs", "#[derive(CustomResource)]\npub struct GadgetSpec {}\n"),
        ]);
        let d = g.render_diagnostics(false);
        assert!(d.contains("the file this `include!` pastes in derives `CustomResource`") && d.contains("lib.rs:4:1"), "{d}");
        // An include with no resource in it is fine.
        let g = run_files(&[("lib.rs", &format!("{SPEC}include!(\"gen.rs\");\n")), ("gen.rs", "pub struct Plain;\n")]);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
    }

    #[test]
    fn no_resources_at_all_is_an_error_listing_where_they_might_hide() {
        let g = run_source("pub struct NotAResource;\ninclude!(concat!(env!(\"OUT_DIR\"), \"/api.rs\"));\n");
        let d = g.render_diagnostics(false);
        assert!(g.has_errors(), "{d}");
        assert!(d.contains("error: no resources found in `unit`"), "{d}");
        assert!(d.contains("`include!` pastes in items crd-gen does not read") && d.contains("lib.rs:2:1"), "{d}");
    }
}
