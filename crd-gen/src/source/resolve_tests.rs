//! Name resolution as rustc does it, on crates written to a temp directory.

use super::*;

use crate::source::fixture::{Fixture, crate_of};

impl Fixture {
    /// `path` as written in `module`: `demo::a::X` for an item, `mod demo::a`, `std::..`.
    fn resolve(&mut self, module: &str, path: &str) -> Result<String, ResolveError> {
        let scope = self.scope(module);
        let path: syn::Path = syn::parse_str(path).unwrap();
        let mut r = Resolver { program: &mut self.program, sources: &mut self.sources, diags: &mut self.diags };
        Ok(match r.resolve_path(scope, &path)? {
            Res::Item(item) => {
                let name = crate::lower::item_ident(self.program.item(item));
                format!("{}::{name}", self.program.krate(item.scope.krate).module_path(item.scope.module))
            }
            Res::Module(m) => format!("mod {}", self.program.krate(m.krate).module_path(m.module)),
            Res::External { krate, path } => format!("{krate}::{}", path.join("::")),
        })
    }

    fn ok(&mut self, module: &str, path: &str) -> String {
        self.resolve(module, path).unwrap_or_else(|e| panic!("`{path}` in `{module}`: {e:?}"))
    }

    fn work(&self) -> u64 {
        self.program.lookups.work
    }
}

#[test]
fn sibling_modules_that_glob_import_each_other_through_their_parent() {
    let mut f = crate_of(&[
        ("lib.rs", "pub mod api;\npub use api::*;\n"),
        ("api/mod.rs", "mod a;\nmod b;\npub use a::*;\npub use b::*;\n"),
        ("api/a.rs", "use super::*;\npub struct A { pub b: B }\n"),
        ("api/b.rs", "use super::*;\npub struct B { pub a: Option<Box<A>> }\npub struct Only;\n"),
    ]);
    assert_eq!(f.ok("demo::api::a", "B"), "demo::api::b::B");
    assert_eq!(f.ok("demo::api::b", "A"), "demo::api::a::A");
    assert_eq!(f.ok("demo::api::a", "Only"), "demo::api::b::Only");
    assert_eq!(f.ok("demo", "A"), "demo::api::a::A");
    assert_eq!(f.ok("demo", "api::B"), "demo::api::b::B");
    assert_eq!(f.ok("demo", "crate::B"), "demo::api::b::B");
    // The prelude still works under the globs.
    assert_eq!(f.ok("demo::api::a", "Option"), "std::Option");
}

#[test]
fn fifty_modules_that_all_glob_import_each_other_resolve_in_linear_work() {
    let n = 50;
    let mut lib = String::new();
    for i in 0..n {
        lib.push_str(&format!("pub mod m{i} {{\n"));
        for j in 0..n {
            lib.push_str(&format!("    pub use crate::m{j}::*;\n"));
        }
        lib.push_str(&format!("    pub struct T{i};\n}}\n"));
    }
    let mut f = crate_of(&[("lib.rs", &lib)]);
    for i in 0..n {
        for j in 0..n {
            assert_eq!(f.ok(&format!("demo::m{i}"), &format!("T{j}")), format!("demo::m{j}::T{j}"));
        }
    }
    // Every module sees every name: n*n bindings, each computed in a round or two (and each
    // round checks n globs). The old recursion through globs took time exponential in n.
    let keys = (n * n) as u64;
    assert!(f.work() <= 3 * keys, "{} lookups computed for {keys} bindings", f.work());
    // A name that is nowhere is a plain "not found", found out as cheaply.
    let before = f.work();
    assert!(matches!(f.resolve("demo::m7", "Missing"), Err(ResolveError::NotFound { .. })));
    assert!(f.work() - before <= 3 * n as u64, "{} lookups for one missing name", f.work() - before);
}

#[test]
fn a_chain_of_a_thousand_reexports_in_any_order() {
    crate::pipeline::on_engine_stack(chain_of_reexports);
}

fn chain_of_reexports() {
    let n = 1000;
    let mut lib = String::from("pub mod m0 { pub struct X; }\n");
    for i in 1..n {
        lib.push_str(&format!("pub mod m{i} {{ pub use crate::m{}::X; }}\n", i - 1));
    }
    let mut f = crate_of(&[("lib.rs", &lib)]);
    assert_eq!(f.ok("demo", &format!("m{}::X", n - 1)), "demo::m0::X");
    assert!(f.work() <= 2 * n as u64, "{} lookups", f.work());

    // The same chain through globs, declared last-first.
    let mut lib = String::new();
    for i in (1..n).rev() {
        lib.push_str(&format!("pub mod g{i} {{ pub use crate::g{}::*; }}\n", i - 1));
    }
    lib.push_str("pub mod g0 { pub struct Y; }\n");
    let mut f = crate_of(&[("lib.rs", &lib)]);
    assert_eq!(f.ok("demo", &format!("g{}::Y", n - 1)), "demo::g0::Y");
    assert!(f.work() <= 2 * n as u64, "{} lookups", f.work());
}

#[test]
fn glob_reexport_cycle() {
    // Three modules whose globs form a cycle, each seeing what the others define.
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod a { pub use crate::b::*; pub struct A; }\n\
         pub mod b { pub use crate::a::*; pub use crate::c::*; pub struct B; }\n\
         pub mod c { pub use crate::b::*; pub struct C; }\n",
    )]);
    assert_eq!(f.ok("demo", "b::A"), "demo::a::A");
    assert_eq!(f.ok("demo", "c::A"), "demo::a::A");
    assert_eq!(f.ok("demo", "c::B"), "demo::b::B");
    assert_eq!(f.ok("demo", "a::C"), "demo::c::C");
    assert!(matches!(f.resolve("demo", "a::D"), Err(ResolveError::NotFound { .. })));
}

#[test]
fn late_names_reach_every_module_of_a_cycle() {
    // `a` meets `b` (which globs `a` back) before it meets `c`, where the name is: `b` must
    // still see it through `a`.
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod a { pub use crate::b::*; pub use crate::c::*; }\n\
         pub mod b { pub use crate::a::*; }\n\
         pub mod c { pub struct Late; }\n",
    )]);
    assert_eq!(f.ok("demo", "a::Late"), "demo::c::Late");
    assert_eq!(f.ok("demo", "b::Late"), "demo::c::Late");
}

#[test]
fn own_items_and_single_imports_shadow_globs() {
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod a { pub struct X; pub struct Y; pub struct Z; }\n\
         pub mod b { pub struct X; pub struct Y; }\n\
         pub mod user {\n    use crate::a::*;\n    use crate::b::*;\n    use crate::b::Y;\n    pub struct X;\n}\n",
    )]);
    assert_eq!(f.ok("demo::user", "X"), "demo::user::X", "an item shadows both globs");
    assert_eq!(f.ok("demo::user", "Y"), "demo::b::Y", "an import shadows both globs");
    assert_eq!(f.ok("demo::user", "Z"), "demo::a::Z");
}

#[test]
fn two_globs_with_one_name_are_ambiguous_only_when_it_is_used_and_differs() {
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod c { pub struct Same; }\n\
         pub mod a { pub struct X; pub use crate::c::Same; pub struct OnlyA; }\n\
         pub mod b { pub struct X; pub use crate::c::Same; }\n\
         pub mod user { use crate::a::*; use crate::b::*; }\n",
    )]);
    assert_eq!(f.ok("demo::user", "OnlyA"), "demo::a::OnlyA");
    assert_eq!(f.ok("demo::user", "Same"), "demo::c::Same", "the same item through two globs is no conflict");
    match f.resolve("demo::user", "X") {
        Err(ResolveError::Ambiguous { name, both }) => {
            let (first, second) = (both.first, both.second);
            assert_eq!(name, "X");
            assert_ne!(first.0, second.0);
            assert_eq!((first.1.line, second.1.line), (4, 4), "both globs are named");
            assert!(first.1.col < second.1.col);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn globs_bring_only_what_the_importer_may_see() {
    let mut f = crate_of(&[(
        "lib.rs",
        "mod x {\n    struct Hidden;\n    pub struct Shown;\n    pub(super) struct ToParent;\n    pub(crate) struct ToCrate;\n    pub(in crate::x) struct ToSelf;\n    pub mod inner { use super::*; }\n}\n\
         pub use x::*;\n\
         pub mod user { use crate::*; }\n",
    )]);
    assert_eq!(f.ok("demo", "Shown"), "demo::x::Shown");
    assert_eq!(f.ok("demo", "ToParent"), "demo::x::ToParent");
    assert_eq!(f.ok("demo", "ToCrate"), "demo::x::ToCrate");
    assert!(matches!(f.resolve("demo", "Hidden"), Err(ResolveError::NotFound { .. })), "private items do not leak through `pub use x::*`");
    assert!(matches!(f.resolve("demo", "ToSelf"), Err(ResolveError::NotFound { .. })));
    // `use super::*` in a child sees the parent's private items.
    assert_eq!(f.ok("demo::x::inner", "Hidden"), "demo::x::Hidden");
    assert_eq!(f.ok("demo::x::inner", "ToSelf"), "demo::x::ToSelf");
    // Re-exported through the root: `pub(super)` items of `x` are the root's private names, so
    // they reach `user` (a child of the root), as does what `x` made public.
    assert_eq!(f.ok("demo::user", "Shown"), "demo::x::Shown");
    assert_eq!(f.ok("demo::user", "ToParent"), "demo::x::ToParent");
    assert!(matches!(f.resolve("demo::user", "Hidden"), Err(ResolveError::NotFound { .. })));
}

#[test]
fn private_imports_reach_children_through_use_super() {
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod models { pub struct Model; }\nuse models::Model;\npub mod child { use super::*; }\npub mod other { use crate::*; }\n",
    )]);
    assert_eq!(f.ok("demo::child", "Model"), "demo::models::Model");
    assert_eq!(f.ok("demo::other", "Model"), "demo::models::Model");
}

#[test]
fn types_and_values_have_separate_namespaces() {
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod foo { pub struct S; }\npub fn foo() {}\n\
         pub mod other { pub mod bar { pub struct T; } pub fn bar() {} pub fn X() {} }\n\
         pub mod a { pub struct X; }\n\
         pub mod user { use crate::other::bar; use crate::a::*; use crate::other::X; }\n",
    )]);
    assert_eq!(f.ok("demo", "foo::S"), "demo::foo::S", "`fn foo` and `mod foo` coexist");
    assert_eq!(f.ok("demo::user", "bar::T"), "demo::other::bar::T", "a `use` imports the module of the name");
    assert_eq!(f.ok("demo::user", "X"), "demo::a::X", "an import of a function does not hide a glob's type");
}

#[test]
fn use_cycle_without_a_definition_is_not_found() {
    let mut f = crate_of(&[("lib.rs", "pub mod a { pub use crate::b::X; }\npub mod b { pub use crate::a::X; }\n")]);
    assert!(matches!(f.resolve("demo", "a::X"), Err(ResolveError::NotFound { .. })));
    assert!(matches!(f.resolve("demo", "b::X"), Err(ResolveError::NotFound { .. })));
    assert!(f.work() < 10, "{}", f.work());
}

#[test]
fn renames_groups_self_and_super() {
    let mut f = crate_of(&[(
        "lib.rs",
        "pub mod deep { pub mod inner { pub struct Thing; pub struct Other; } }\n\
         pub mod user {\n    use crate::deep::{inner::{self, Thing as Renamed}, inner::Other};\n    pub mod kid { use super::super::deep::inner as i; pub use self::i::Thing; }\n}\n",
    )]);
    assert_eq!(f.ok("demo::user", "Renamed"), "demo::deep::inner::Thing");
    assert_eq!(f.ok("demo::user", "inner::Other"), "demo::deep::inner::Other");
    assert_eq!(f.ok("demo::user", "Other"), "demo::deep::inner::Other");
    assert_eq!(f.ok("demo::user::kid", "Thing"), "demo::deep::inner::Thing");
    assert_eq!(f.ok("demo", "user::kid::Thing"), "demo::deep::inner::Thing");
    assert!(matches!(f.resolve("demo::user", "Thing"), Err(ResolveError::NotFound { .. })), "renamed away");
}

#[test]
fn globs_into_std_bring_the_std_types_crd_gen_knows() {
    let mut f = crate_of(&[("lib.rs", "use std::collections::*;\nuse std::collections::BTreeSet as Set;\n")]);
    assert_eq!(f.ok("demo", "BTreeMap"), "std::collections::BTreeMap");
    assert_eq!(f.ok("demo", "Set"), "std::collections::BTreeSet");
}

#[test]
fn module_inner_attributes_are_kept_after_cfg_attr() {
    let f = crate_of(&[
        (
            "lib.rs",
            "//! Root docs.\n#![cfg_attr(all(), doc = \"+groupName=example.com\")]\npub mod inline { //! Inline docs.\n}\npub mod file;\n",
        ),
        ("file.rs", "//! File docs.\n#![cfg_attr(any(), doc = \"never\")]\n"),
    ]);
    let docs = |module: &str| -> Vec<String> {
        let body = f.program.krate(f.krate).loaded(f.scope(module).module).unwrap();
        crate::markers::docs::docs(&body.attrs)
            .text
            .into_iter()
            .chain(crate::markers::docs::docs(&body.attrs).go_markers.into_iter().map(|m| m.0))
            .collect()
    };
    assert_eq!(docs("demo"), ["Root docs.", "groupName=example.com"]);
    assert_eq!(docs("demo::inline"), ["Inline docs."]);
    assert_eq!(docs("demo::file"), ["File docs."]);
}
