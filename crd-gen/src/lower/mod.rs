//! Lower: Rust types to OpenAPI schemas, with serde's meaning of every attribute (read by
//! `serde_derive_internals`, the parser serde_derive itself uses) and the `#[crd]` markers.
//!
//! - `mod.rs`: the walk over `syn::Type`, generics, recursion detection, what is kept between
//!   uses of a type ([`Cache`]);
//! - `known.rs`: std and well-known crate types;
//! - `structs.rs`: structs (fields, flatten, transparent, required);
//! - `enums.rs`: enums, one function per serde representation;
//! - `apply.rs`: schema markers applied to a generated schema (and checked against it).
//!
//! Items' attributes are read once (`crate::attrs`); lowering reads what they say.

pub mod apply;
pub mod enums;
pub mod flatten;
pub mod k8s;
pub mod k8s_markers;
pub mod known;
mod object;
pub mod structs;
pub mod union;
mod unresolved;

use crate::attrs::ItemAttrs;
use crate::diag::{Diagnostic, Loc, Place};
use crate::markers::MarkerError;
use crate::schema::Schema;
use crate::source::resolve::{ResolveError, Resolved, Resolver};
use crate::source::{ItemRef, Scope};
use known::Known;
use quote::ToTokens;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Where a type is written: its module, and what its generic parameters stand for.
#[derive(Clone, Debug)]
pub struct Env {
    pub scope: Scope,
    pub params: Rc<HashMap<String, Bound>>,
    /// Names this environment (0: no parameters), so the meaning of type arguments written in
    /// it can be remembered by how they are spelled.
    pub id: u64,
}

/// A generic parameter's argument, with the environment it was written in.
#[derive(Clone, Debug)]
pub struct Bound {
    pub ty: syn::Type,
    pub env: Env,
    /// The argument lowered, the first time it is needed: a parameter used by several fields is
    /// one type, lowered (and its problems reported) once.
    lowered: Rc<OnceCell<Lowered>>,
}

impl Bound {
    fn new(ty: syn::Type, env: Env) -> Bound {
        Bound { ty, env, lowered: Rc::new(OnceCell::new()) }
    }
}

impl Env {
    pub fn new(scope: Scope) -> Env {
        Env { scope, params: Rc::new(HashMap::new()), id: 0 }
    }
}

/// A lowered type: its schema, and whether it was an `Option` (which makes a field optional).
#[derive(Clone, Debug)]
pub struct Lowered {
    pub schema: Schema,
    pub optional: bool,
}

impl Lowered {
    fn of(schema: Schema) -> Lowered {
        Lowered { schema, optional: false }
    }
}

/// Types nested inside one another (fields' types, generic arguments, aliases) that lowering
/// follows. A CRD nested this deep is past what the API server decodes (Go's JSON decoder stops
/// at 10000 levels, and every Rust level is one or two of them); unoptimized, each level takes
/// up to ~57 KiB of the engine's stack, so this also keeps lowering within it.
pub const MAX_NESTING: usize = 5_000;

/// What lowering keeps for a whole run (across the crates of a workspace), so a type used many
/// times is lowered, and its problems reported, as few times as it can be.
#[derive(Default)]
pub struct Cache {
    /// Schemas of items already lowered, by item and arguments (most types are used many times).
    /// An item is copied into the cache the second time it is lowered, so a deep chain of types
    /// each used once is not copied at every level (which is quadratic in the depth); an item
    /// whose lowering reported a problem is kept the first time, so it is not reported again.
    lowered: HashMap<(ItemRef, String), Cached>,
    /// The instantiation key of `item<args>` written in an environment, so that a generic type
    /// used again is found without lowering its arguments again.
    keys: HashMap<(ItemRef, String, Scope, u64), String>,
    next_env: u64,
}

pub struct Lowerer<'a> {
    pub res: Resolver<'a>,
    /// Every item's attributes and each module's package markers, read once.
    pub attrs: &'a mut crate::attrs::Memo,
    cache: &'a mut Cache,
    /// Types being lowered inside one another, against [`MAX_NESTING`].
    depth: usize,
    too_deep: bool,
    /// Items being lowered (with what their type arguments mean), to catch recursive types.
    stack: Vec<(ItemRef, String)>,
    /// The environment each item on `stack` is lowered in (its own parameters' meaning).
    stack_envs: Vec<u64>,
}

impl<'a> Lowerer<'a> {
    pub fn new(res: Resolver<'a>, attrs: &'a mut crate::attrs::Memo, cache: &'a mut Cache) -> Self {
        Lowerer { res, attrs, cache, depth: 0, too_deep: false, stack: Vec::new(), stack_envs: Vec::new() }
    }

    /// The attributes of a struct, enum or alias (read, and reported, the first time).
    pub fn item_attrs(&mut self, item: ItemRef) -> Option<Rc<ItemAttrs>> {
        self.attrs.item(self.res.program, item, self.res.diags)
    }

    /// Whether the module docs around `scope` make fields optional by default.
    pub fn fields_optional_in(&mut self, scope: Scope) -> bool {
        self.attrs.packages.inherited(self.res.program, scope, self.res.diags).fields_optional
    }

    pub fn loc(&self, scope: Scope, span: proc_macro2::Span) -> Loc {
        Loc::from_span(self.res.program.file_of(scope), span)
    }

    pub fn error(&mut self, scope: Scope, span: proc_macro2::Span, message: impl Into<String>, help: impl Into<String>) {
        let loc = self.loc(scope, span);
        self.res.diags.push(Diagnostic::error(message, Place::Source(loc)).with_help(help));
    }

    pub fn marker_errors(&mut self, scope: Scope, errors: Vec<MarkerError>) {
        let file = self.res.program.file_of(scope);
        for e in errors {
            self.res.diags.push(Diagnostic::from_marker(file, e));
        }
    }

    /// The schema of `ty` as written in `env`.
    pub fn lower_type(&mut self, ty: &syn::Type, env: &Env) -> Lowered {
        if self.depth >= MAX_NESTING {
            if !self.too_deep {
                self.too_deep = true;
                use syn::spanned::Spanned;
                self.error(
                    env.scope,
                    ty.span(),
                    format!("types nest more than {MAX_NESTING} levels deep here: the API server cannot decode a CRD this deep (its JSON decoder stops at 10000 levels)"),
                    "cut the nesting with a field of type `serde_json::Value` marked `#[crd(schemaless, preserve_unknown_fields)]`",
                );
            }
            return Lowered::of(Schema::default());
        }
        self.depth += 1;
        let lowered = self.lower_type_here(ty, env);
        self.depth -= 1;
        lowered
    }

    fn lower_type_here(&mut self, ty: &syn::Type, env: &Env) -> Lowered {
        match ty {
            syn::Type::Path(p) => self.lower_path(p, env),
            syn::Type::Reference(r) => self.lower_type(&r.elem, env),
            syn::Type::Paren(p) => self.lower_type(&p.elem, env),
            syn::Type::Group(g) => self.lower_type(&g.elem, env),
            syn::Type::Slice(s) => Lowered::of(Schema::array(self.lower_type(&s.elem, env).schema)),
            syn::Type::Array(a) => {
                let mut s = Schema::array(self.lower_type(&a.elem, env).schema);
                if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. }) = &a.len
                    && let Ok(n) = n.base10_parse::<u64>()
                {
                    s.min_items = Some(n);
                    s.max_items = Some(n);
                }
                Lowered::of(s)
            }
            syn::Type::Tuple(t) if t.elems.is_empty() => self.unsupported(
                env.scope,
                ty,
                "`()` serializes as null, which a Kubernetes schema cannot require",
                "remove the field, or use `bool`/`Option<...>`",
            ),
            syn::Type::Tuple(_) => self.unsupported(
                env.scope,
                ty,
                "tuples serialize as mixed-type arrays, which a structural schema cannot describe",
                "use a struct with named fields",
            ),
            _ => self.unsupported(
                env.scope,
                ty,
                "this kind of type has no JSON form crd-gen can describe",
                "use a struct, enum, String, number, Vec or map",
            ),
        }
    }

    fn unsupported(&mut self, scope: Scope, ty: &syn::Type, msg: &str, help: &str) -> Lowered {
        use syn::spanned::Spanned;
        let text = ty.to_token_stream().to_string();
        self.error(scope, ty.span(), format!("unsupported type `{text}`: {msg}"), help);
        Lowered::of(Schema::default())
    }

    fn lower_path(&mut self, p: &syn::TypePath, env: &Env) -> Lowered {
        use syn::spanned::Spanned;
        if p.qself.is_some() {
            return self.unsupported(
                env.scope,
                &syn::Type::Path(p.clone()),
                "associated types cannot be read from source",
                "name the concrete type",
            );
        }
        let path = &p.path;
        let last = path.segments.last().expect("a path has a segment");
        let name = last.ident.to_string();
        // A generic parameter stands for the type given where the generic type is used.
        if path.segments.len() == 1
            && path.leading_colon.is_none()
            && let Some(bound) = env.params.get(&name).cloned()
        {
            return self.lower_bound(&bound);
        }
        let args = type_args(last);
        // Primitives cannot be shadowed by a `use`, and `i32` is not a path to resolve.
        if path.segments.len() == 1
            && let Some(k) = known::primitive(&name)
        {
            return self.lower_known(k, &args, env, p);
        }
        let resolved = self.res.resolve_path(env.scope, path);
        match resolved {
            Ok(Resolved::External { krate, path: segs }) => {
                let last = segs.last().cloned().unwrap_or_else(|| name.clone());
                match known::crate_type(&krate, &last) {
                    Some(k) => self.lower_known(k, &args, env, p),
                    None => {
                        let text = path.to_token_stream().to_string().replace(' ', "");
                        self.error(
                            env.scope,
                            path.span(),
                            format!("cannot read type `{text}`: crate `{krate}` has no source crd-gen can see"),
                            format!("`{krate}` must be a dependency in Cargo.toml (crd-gen reads dependencies' source), or mark the field `#[crd(schema_type = \"..\")]` / `#[crd(schemaless, preserve_unknown_fields)]`"),
                        );
                        Lowered::of(Schema::default())
                    }
                }
            }
            Ok(Resolved::Item(item)) => {
                let krate_name = self.res.program.krate(item.scope.krate).source.name.clone();
                let item_name = item_ident(self.res.program.item(item));
                if let Some(k) = known::crate_type(&krate_name, &item_name) {
                    return self.lower_known(k, &args, env, p);
                }
                if krate_name == "k8s_openapi" {
                    return self.lower_k8s(item, path, env);
                }
                self.lower_item(item, &args, env, path.span())
            }
            Ok(Resolved::Module(_)) => {
                self.error(env.scope, path.span(), format!("`{name}` is a module, not a type"), "name a struct, enum or type alias");
                Lowered::of(Schema::default())
            }
            Err(ResolveError::Unreadable) => Lowered::of(Schema::default()),
            Err(e) => {
                self.report_unresolved(e, path, env);
                Lowered::of(Schema::default())
            }
        }
    }

    fn lower_known(&mut self, k: Known, args: &[&syn::Type], env: &Env, p: &syn::TypePath) -> Lowered {
        use syn::spanned::Spanned;
        let arg = |i: usize| args.get(i).copied();
        let text = || p.to_token_stream().to_string().replace(' ', "");
        match k {
            Known::Fixed(s) => Lowered::of(*s),
            Known::Seq | Known::Set | Known::Transparent | Known::Option => {
                let Some(inner) = arg(0) else {
                    self.error(
                        env.scope,
                        p.span(),
                        format!("`{}` needs a type argument", text()),
                        "write the element type, e.g. `Vec<String>`",
                    );
                    return Lowered::of(Schema::default());
                };
                let inner = self.lower_type(inner, env);
                match k {
                    Known::Seq => Lowered::of(Schema::array(inner.schema)),
                    Known::Set => Lowered::of(Schema { unique_items: false, ..Schema::array(inner.schema) }),
                    Known::Option => Lowered { schema: inner.schema, optional: true },
                    _ => inner,
                }
            }
            Known::Map => {
                let (Some(key), Some(value)) = (arg(0), args.last().copied()) else {
                    self.error(env.scope, p.span(), format!("`{}` needs key and value types", text()), "e.g. `BTreeMap<String, String>`");
                    return Lowered::of(Schema::default());
                };
                let key_schema = self.lower_type(key, env).schema;
                if !key_schema.is_type("string") {
                    self.error(
                        env.scope,
                        key.span(),
                        format!("map keys must serialize as strings, but `{}` does not", key.to_token_stream().to_string().replace(' ', "")),
                        "JSON object keys are strings: use `String` (or a unit-variant enum) as the key type, or a Vec of structs with a key field and `list_type = \"map\"`",
                    );
                }
                let value = self.lower_type(value, env).schema;
                let mut map = Schema::map(value);
                // Keys from a unit-variant enum: serde accepts only its names. A map cannot have
                // more keys than there are names, which also bounds the rule's cost.
                if let Some(names) = &key_schema.enum_ {
                    let list: Vec<String> = names
                        .iter()
                        .filter_map(|n| n.as_str())
                        .map(|n| format!("'{}'", n.replace('\\', "\\\\").replace('\'', "\\'")))
                        .collect();
                    map.max_properties = Some(names.len() as u64);
                    map.validations.push(crate::schema::ValidationRule {
                        rule: format!("self.all(k, k in [{}])", list.join(", ")),
                        message: Some(format!("keys must be one of {}", list.join(", "))),
                        ..Default::default()
                    });
                }
                Lowered::of(map)
            }
            Known::Unsupported(help) => {
                self.error(env.scope, p.span(), format!("unsupported type `{}`", text()), help);
                Lowered::of(Schema::default())
            }
        }
    }

    /// A generic parameter's argument, lowered once.
    fn lower_bound(&mut self, bound: &Bound) -> Lowered {
        if let Some(done) = bound.lowered.get() {
            return done.clone();
        }
        let lowered = self.lower_type(&bound.ty, &bound.env);
        let _ = bound.lowered.set(lowered.clone());
        lowered
    }

    /// The spec struct of a resource: lowered with itself on the stack, so a spec that contains
    /// itself is reported as recursion once.
    pub fn lower_resource_spec(&mut self, item: ItemRef) -> Schema {
        let Some(attrs) = self.item_attrs(item) else { return Schema::default() };
        self.push_frame((item, String::new()), 0);
        let schema = structs::lower_struct(self, &attrs, &Env::new(item.scope), true);
        self.pop_frame();
        schema
    }

    /// A k8s-openapi type, from its generated `JsonSchema` impl (see `k8s.rs`).
    fn lower_k8s(&mut self, item: ItemRef, path: &syn::Path, env: &Env) -> Lowered {
        use syn::spanned::Spanned;
        let key = (item, String::new());
        if let Some(Cached::Done(done)) = self.cache.lowered.get(&key) {
            return (**done).clone();
        }
        if self.stack.contains(&key) {
            let name = item_ident(self.res.program.item(item));
            self.error(
                env.scope,
                path.span(),
                format!("k8s-openapi type `{name}` is recursive and cannot be inlined"),
                "use `serde_json::Value` with `#[crd(preserve_unknown_fields)]` for this field",
            );
            return Lowered::of(Schema::default());
        }
        self.push_frame(key.clone(), 0);
        let schema = k8s::lower_k8s_type(self, item);
        self.pop_frame();
        match schema {
            Some(s) => {
                // Kept at once: k8s-openapi types are few, shallow and used often.
                let lowered = Lowered::of(s);
                self.cache.lowered.insert(key, Cached::Done(Box::new(lowered.clone())));
                lowered
            }
            None => {
                let name = item_ident(self.res.program.item(item));
                self.error(
                    env.scope,
                    path.span(),
                    format!("cannot read the schema of k8s-openapi type `{name}`"),
                    "crd-gen reads k8s-openapi's generated JsonSchema impls; this version of k8s-openapi may lay them out differently — please report it",
                );
                Lowered::of(Schema::default())
            }
        }
    }

    /// A struct, enum or alias of a loaded crate, with `args` for its generic parameters.
    fn lower_item(&mut self, item: ItemRef, args: &[&syn::Type], env: &Env, use_span: proc_macro2::Span) -> Lowered {
        // The module body is shared (Rc), so the item is borrowed from it, not copied.
        let body = self.res.program.body(item.scope).clone();
        let syn_item = &body.items()[item.index];
        let params = generic_params(syn_item);
        // Missing arguments take the parameter's default (`struct Page<T = String>`), written in
        // the item's own module.
        let spelled = (item, args.iter().map(|a| a.to_token_stream().to_string()).collect::<Vec<_>>().join("|"), env.scope, env.id);
        let known_key = self.cache.keys.get(&spelled).cloned();
        if let Some(k) = &known_key
            && let Some(Cached::Done(done)) = self.cache.lowered.get(&(item, k.clone()))
        {
            return (**done).clone();
        }
        let mut bound = HashMap::new();
        let mut key_parts = Vec::new();
        for (i, (param, default)) in params.iter().enumerate() {
            let b = match (args.get(i), default) {
                (Some(arg), _) => Bound::new((*arg).clone(), env.clone()),
                (None, Some(d)) => Bound::new(d.clone(), Env { scope: item.scope, params: Rc::new(bound.clone()), id: self.new_env_id() }),
                (None, None) => {
                    let name = item_ident(syn_item);
                    let needed = params.iter().filter(|(_, d)| d.is_none()).count();
                    self.error(
                        env.scope,
                        use_span,
                        format!("`{name}` takes {needed} type argument(s), {} given", args.len()),
                        "crd-gen needs the concrete types a generic struct is used with",
                    );
                    return Lowered::of(Schema::default());
                }
            };
            // An instantiation is identified by what its arguments mean, not how they are
            // spelled: `Wrapper<Wrapper<Foo>>` is two different instantiations of Wrapper.
            if known_key.is_none() {
                key_parts.push(self.lower_bound(&b).schema.to_json().to_string());
            }
            bound.insert(param.clone(), b);
        }
        let key = (item, known_key.unwrap_or_else(|| key_parts.join("|")));
        if !params.is_empty() {
            self.cache.keys.insert(spelled, key.1.clone());
        }
        if let Some(Cached::Done(done)) = self.cache.lowered.get(&key) {
            return (**done).clone();
        }
        // The same item again with other type arguments, written inside its own definition (or
        // that of a type it contains): `Node<T>` holding `Node<Vec<T>>`. Its instantiations grow
        // without end. (`Wrap<Wrap<i32>>` meets `Wrap<i32>` inside `Wrap`, but written where
        // `Wrap` is used: that one ends.)
        let polymorphic =
            self.stack.iter().position(|(i, k)| *i == item && *k != key.1).filter(|at| self.stack_envs[*at..].contains(&env.id));
        if let Some(at) = polymorphic {
            let name = item_ident(syn_item);
            let chain: Vec<String> = self.stack[at..].iter().map(|i| item_ident(self.res.program.item(i.0))).collect();
            self.error(
                env.scope,
                use_span,
                format!("recursive type `{name}` cannot be described by a Kubernetes schema ({} -> {name}, each time with other type arguments)", chain.join(" -> ")),
                "a generic type that contains itself with other type arguments nests without end: cut the cycle with a field of type `serde_json::Value` marked `#[crd(schemaless, preserve_unknown_fields)]`",
            );
            return Lowered::of(Schema::default());
        }
        if self.stack.contains(&key) {
            let name = item_ident(syn_item);
            let chain: Vec<String> = self.stack.iter().skip_while(|i| **i != key).map(|i| item_ident(self.res.program.item(i.0))).collect();
            self.error(
                env.scope,
                use_span,
                format!("recursive type `{name}` cannot be described by a Kubernetes schema ({} -> {name})", chain.join(" -> ")),
                "structural schemas cannot refer to themselves: cut the cycle with a field of type `serde_json::Value` marked `#[crd(preserve_unknown_fields)]`, or limit the nesting depth with separate types",
            );
            return Lowered::of(Schema::default());
        }
        if args.len() > params.len() {
            let name = item_ident(syn_item);
            self.error(
                env.scope,
                use_span,
                format!("`{name}` takes {} type argument(s), {} given", params.len(), args.len()),
                "remove the extra type arguments",
            );
            return Lowered::of(Schema::default());
        }
        let item_env = Env { scope: item.scope, params: Rc::new(bound), id: self.new_env_id() };
        let Some(attrs) = self.item_attrs(item) else {
            self.error(env.scope, use_span, "this names something that is not a struct, enum or type alias", "use a data type");
            return Lowered::of(Schema::default());
        };
        let reported = self.res.diags.len();
        let again = matches!(self.cache.lowered.get(&key), Some(Cached::Reported));
        self.push_frame(key.clone(), item_env.id);
        let lowered = match syn_item {
            syn::Item::Struct(_) => Lowered::of(structs::lower_struct(self, &attrs, &item_env, false)),
            syn::Item::Enum(_) => Lowered::of(enums::lower_enum(self, &attrs, &item_env)),
            _ => self.lower_alias(&attrs, syn_item, &item_env),
        };
        self.pop_frame();
        if again {
            // The same item with the same arguments reports the same problems: once is enough.
            self.res.diags.truncate(reported);
        }
        self.remember(key, &lowered, self.res.diags.len() > reported);
        lowered
    }

    /// Notes that `key` was lowered: the second time, the result is kept (see [`Cache`]). The
    /// first result is never copied, even when it reported a problem: every type around a
    /// problem reports it too, and copying each of them is quadratic in the depth (a chain of
    /// 6000 structs, cut at the nesting limit, grew to 24 GB so). A type that reported a
    /// problem is lowered again when it is used again, and what it reports then is dropped.
    fn remember(&mut self, key: (ItemRef, String), lowered: &Lowered, reported: bool) {
        match self.cache.lowered.get(&key) {
            None => {
                self.cache.lowered.insert(key, if reported { Cached::Reported } else { Cached::SeenOnce });
            }
            Some(Cached::SeenOnce | Cached::Reported) => {
                self.cache.lowered.insert(key, Cached::Done(Box::new(lowered.clone())));
            }
            Some(Cached::Done(_)) => {}
        }
    }

    fn push_frame(&mut self, key: (ItemRef, String), env: u64) {
        self.stack.push(key);
        self.stack_envs.push(env);
    }

    fn pop_frame(&mut self) {
        self.stack.pop();
        self.stack_envs.pop();
    }

    fn new_env_id(&mut self) -> u64 {
        self.cache.next_env += 1;
        self.cache.next_env
    }
}

enum Cached {
    SeenOnce,
    /// Lowered once, and that reported a problem.
    Reported,
    Done(Box<Lowered>),
}

impl Lowerer<'_> {
    /// `type Name = T;`: T's schema, with the alias's doc comment and markers on top (as a
    /// named Go type carries its own).
    fn lower_alias(&mut self, attrs: &ItemAttrs, item: &syn::Item, env: &Env) -> Lowered {
        let syn::Item::Type(alias) = item else { return Lowered::of(Schema::default()) };
        let mut lowered = self.lower_type(&alias.ty, env);
        if let Some(doc) = &attrs.crd.docs.text {
            lowered.schema.description = Some(doc.clone());
        }
        apply::apply(self, env.scope, &mut lowered.schema, &attrs.crd.markers, &|| attrs.ident.to_string());
        lowered
    }
}

/// The type arguments of a path segment (`Vec<T>` -> [T]); lifetimes and consts are skipped.
pub fn type_args(seg: &syn::PathSegment) -> Vec<&syn::Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn generic_params(item: &syn::Item) -> Vec<(String, Option<syn::Type>)> {
    let generics = match item {
        syn::Item::Struct(s) => &s.generics,
        syn::Item::Enum(e) => &e.generics,
        syn::Item::Type(t) => &t.generics,
        _ => return Vec::new(),
    };
    generics.type_params().map(|p| (p.ident.to_string(), p.default.as_ref().map(|(_, t)| t.clone()))).collect()
}

pub fn item_ident(item: &syn::Item) -> String {
    use syn::ext::IdentExt;
    match item {
        syn::Item::Struct(s) => s.ident.unraw().to_string(),
        syn::Item::Enum(e) => e.ident.unraw().to_string(),
        syn::Item::Type(t) => t.ident.unraw().to_string(),
        _ => String::new(),
    }
}
