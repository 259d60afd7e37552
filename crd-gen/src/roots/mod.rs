//! Root types: the `Guestbook` that `#[derive(CustomResource)]` on `GuestbookSpec` generates.
//!
//! The derive writes the type; the engine decides its facts (group, version, plural, scope, the
//! CRD file) and checks that it can exist (no other item of that name in the module, one root
//! type per module and kind), then hands the facts to the derive through [`index`].

/// The index format, shared with the derive.
pub use crd_gen_markers::roots as index;

use crate::assemble::AssembledCrd;
use crate::collect::ResourceDecl;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place, SourceMap};
use crate::source::{Program, Scope};
use crd_gen_markers::MarkerKey;
use index::RootEntry;

/// The root type's name for a spec struct the derive is on.
pub fn root_name(decl: &ResourceDecl) -> String {
    decl.str(MarkerKey::RootType).map(str::to_string).unwrap_or_else(|| decl.kind.clone())
}

/// Whether the derive generates a root type for `decl`.
fn has_root(decl: &ResourceDecl) -> bool {
    decl.derives_custom_resource && !decl.crd().flag(MarkerKey::NoRootType)
}

/// One entry per derived spec struct of `decls` whose kind has a CRD in `crds` (a version left
/// out with `skip_version` gets its root type too: it is the controller's hub type).
pub fn entries(decls: &[ResourceDecl], crds: &[AssembledCrd], sources: &SourceMap) -> Vec<RootEntry> {
    let mut out = Vec::new();
    // Found by group and kind, not by a walk over all CRDs per resource (quadratic in N).
    let mut by_kind = std::collections::HashMap::new();
    for c in crds.iter().map(|c| &c.crd) {
        by_kind.entry((c.spec.group.as_str(), c.spec.names.kind.as_str())).or_insert(c);
    }
    // A file holds many resources: each file is resolved once.
    let mut files = std::collections::HashMap::new();
    for decl in decls.iter().filter(|d| has_root(d)) {
        let Some(crd) = by_kind.get(&(decl.group.as_str(), decl.kind.as_str())) else { continue };
        let file = files.entry(decl.loc.file).or_insert_with(|| {
            let path = &sources.get(decl.loc.file).path;
            path.canonicalize().unwrap_or_else(|_| path.clone())
        });
        out.push(RootEntry {
            file: file.clone(),
            spec: decl.ident.clone(),
            root: root_name(decl),
            group: crd.spec.group.clone(),
            version: decl.version.clone(),
            kind: crd.spec.names.kind.clone(),
            plural: crd.spec.names.plural.clone(),
            namespaced: crd.spec.scope == "Namespaced",
            crd_file: crd.file_name(),
            status: decl.status.as_ref().map(|(ty, _)| quote::ToTokens::to_token_stream(ty).to_string()),
            short_names: crd.spec.names.short_names.clone(),
        });
    }
    out
}

/// A root type the derive would generate where the module already has that name (rustc would
/// say "defined multiple times" at the derive, with no word of why), or two spec structs of one
/// module that would generate the same root type.
pub fn check_collisions(program: &Program, decls: &[ResourceDecl], diags: &mut Diagnostics) {
    let derived: Vec<&ResourceDecl> = decls.iter().filter(|d| has_root(d)).collect();
    for (i, decl) in derived.iter().enumerate() {
        let root = root_name(decl);
        let named = decl.marker(MarkerKey::RootType).is_some();
        // A kind that is no Rust name is the validator's to report (kinds are CamelCase).
        let valid = syn::parse_str::<syn::Ident>(&root).is_ok() && root != decl.ident;
        if !valid && !named {
            continue;
        }
        if !valid {
            let place = Place::Source(decl.marker(MarkerKey::RootType).map_or(decl.loc, |m| Loc::from_span(decl.loc.file, m.span)));
            diags.push(
                Diagnostic::error(format!("`{root}` cannot be the root type's name"), place)
                    .with_help("`root_type` names a Rust type other than the spec struct, e.g. `root_type = \"GuestbookResource\"`"),
            );
            continue;
        }
        let scope = decl.item.scope;
        if let Some(first) = derived[..i].iter().find(|d| d.item.scope == scope && root_name(d) == root) {
            diags.push(
                Diagnostic::error(
                    format!("`{}` and `{}` would both generate the root type `{root}` in this module", first.ident, decl.ident),
                    Place::Source(decl.loc),
                )
                .with_help("put each version of a kind in its own module (`mod v1 { .. }`, `mod v2 { .. }`), as the API's Go packages are, or name one root type with `#[crd(root_type = \"..\")]`"),
            );
            continue;
        }
        if let Some(loc) = type_named(program, scope, &root) {
            diags.push(
                Diagnostic::error(
                    format!("`#[derive(CustomResource)]` on `{}` generates a root type `{root}`, which this module already has", decl.ident),
                    Place::Source(decl.loc),
                )
                .with_note(Place::Source(loc), format!("`{root}` is defined or imported here"))
                .with_help(format!(
                    "name the root type with `#[crd(root_type = \"{root}Resource\")]`, or generate none with `#[crd(no_root_type)]`, or rename the other `{root}`"
                )),
            );
        }
    }
}

/// Where `scope`'s module defines or imports a type-namespace item called `name`.
fn type_named(program: &Program, scope: Scope, name: &str) -> Option<Loc> {
    let body = program.krate(scope.krate).loaded(scope.module)?;
    let at = |ident: &syn::Ident| Some(Loc::from_span(body.file, ident.span()));
    body.items().iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name => at(&s.ident),
        syn::Item::Enum(e) if e.ident == name => at(&e.ident),
        syn::Item::Union(u) if u.ident == name => at(&u.ident),
        syn::Item::Type(t) if t.ident == name => at(&t.ident),
        syn::Item::Trait(t) if t.ident == name => at(&t.ident),
        syn::Item::Mod(m) if m.ident == name => at(&m.ident),
        syn::Item::Use(u) => use_named(&u.tree, name).map(|i| Loc::from_span(body.file, i.span())),
        _ => None,
    })
}

fn use_named<'t>(tree: &'t syn::UseTree, name: &str) -> Option<&'t syn::Ident> {
    match tree {
        syn::UseTree::Path(p) => use_named(&p.tree, name),
        syn::UseTree::Name(n) if n.ident == name => Some(&n.ident),
        syn::UseTree::Rename(r) if r.rename == name => Some(&r.rename),
        syn::UseTree::Group(g) => g.items.iter().find_map(|t| use_named(t, name)),
        _ => None,
    }
}
