//! The root type `#[derive(CustomResource)]` generates beside the spec struct: `Guestbook` with
//! `metadata`, `spec` and `status`, serde as the API server writes it, `new`, `crd_yaml()`, and
//! `crd()`, and kube-rs's traits where the package depends on kube.
//!
//! Its facts (group, version, plural, scope, the CRD file) are the engine's: crd-gen's build
//! script writes them into `$OUT_DIR/crd-gen/` (see `crd_gen::roots::index`), since module docs,
//! module names and the merged CRD are out of a derive's sight. Without that build script, the
//! facts come from the struct's own markers and `crd_yaml()` says what it needs.

mod facts;
mod kube;
mod serde;

use facts::{Facts, Yaml};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;

pub use facts::facts;

/// The root type and its impls.
pub fn expand(input: &DeriveInput, facts: &Facts) -> TokenStream {
    let spec = &input.ident;
    let root = format_ident!("{}", facts.root, span = spec.span());
    let vis = &input.vis;
    let k8s = &facts.k8s_openapi;
    let meta = quote!(::#k8s::apimachinery::pkg::apis::meta::v1::ObjectMeta);
    let docs = root_docs(input, facts);
    let derives = followed_derives(input, &facts.derives);
    let status_field = facts.status.as_ref().map(|status| {
        quote! {
            /// The observed state, written by the controller (absent until it writes one).
            pub status: ::core::option::Option<#status>,
        }
    });
    let status_init = facts.status.as_ref().map(|_| quote!(status: ::core::option::Option::None,));
    let consts = constants(facts);
    let object_metadata = object_metadata(facts);
    let crd_yaml = crd_yaml(facts);
    let crd = crd_fn(facts);
    let serde = serde::impls(&root, spec, facts);
    let kube = facts.kube.as_ref().map(|kube| kube::impls(kube, &root, spec, facts));
    let tracked = facts.index_file.as_ref().map(|f| {
        let f = f.to_string_lossy().into_owned();
        // rustc rebuilds the crate when a file it included changes: the index is one.
        quote!(
            const _: &str = ::core::include_str!(#f);
        )
    });
    quote! {
        #(#[doc = #docs])*
        #derives
        #vis struct #root {
            /// The object's metadata: name, namespace, labels, annotations, ...
            pub metadata: #meta,
            /// The desired state.
            pub spec: #spec,
            #status_field
        }

        impl #root {
            #consts

            /// A `#root` named `name`, with no namespace or status.
            pub fn new(name: &str, spec: #spec) -> Self {
                Self {
                    metadata: #meta {
                        name: ::core::option::Option::Some(name.into()),
                        #object_metadata
                        ..::core::default::Default::default()
                    },
                    spec,
                    #status_init
                }
            }

            #crd_yaml
            #crd
        }

        #serde
        #kube
        #tracked
    }
}

/// kube-derive's annotations and labels on each new object.
fn object_metadata(f: &Facts) -> TokenStream {
    let map = |pairs: &[(String, String)]| {
        let (k, v): (Vec<&String>, Vec<&String>) = pairs.iter().map(|(k, v)| (k, v)).unzip();
        quote!(::core::option::Option::Some(::std::collections::BTreeMap::from([#((#k.to_string(), #v.to_string())),*])))
    };
    let annotations = (!f.object_annotations.is_empty()).then(|| {
        let m = map(&f.object_annotations);
        quote!(annotations: #m,)
    });
    let labels = (!f.object_labels.is_empty()).then(|| {
        let m = map(&f.object_labels);
        quote!(labels: #m,)
    });
    quote!(#annotations #labels)
}

fn constants(f: &Facts) -> TokenStream {
    let (group, version, kind, plural) = (&f.group, &f.version, &f.kind, &f.plural);
    let api_version = f.api_version();
    let crd_name = format!("{plural}.{group}");
    let short: Vec<&String> = f.short_names.iter().collect();
    quote! {
        /// `group/version`, as in the object's `apiVersion`.
        pub const API_VERSION: &'static str = #api_version;
        /// The API group.
        pub const GROUP: &'static str = #group;
        /// The version of the API this type is.
        pub const VERSION: &'static str = #version;
        /// The kind, as in the object's `kind`.
        pub const KIND: &'static str = #kind;
        /// The plural resource name (`kubectl get <plural>`).
        pub const PLURAL: &'static str = #plural;
        /// The CustomResourceDefinition's name, `<plural>.<group>`.
        pub const CRD_NAME: &'static str = #crd_name;
        /// The short names `kubectl` accepts.
        pub const SHORT_NAMES: &'static [&'static str] = &[#(#short),*];
    }
}

fn crd_yaml(f: &Facts) -> TokenStream {
    match &f.yaml {
        Yaml::File { yaml, .. } => {
            let yaml = yaml.to_string_lossy().into_owned();
            quote! {
                /// The whole CRD of this kind (every version), exactly as `cargo crd-gen manifests`
                /// writes it; generated by crd-gen's build script, so always current.
                pub fn crd_yaml() -> &'static str {
                    ::core::include_str!(#yaml)
                }
            }
        }
        Yaml::NoBuildScript => {
            let why = "crd_yaml() needs crd-gen in the crate's build script, which writes the CRD before the crate \
                       compiles: add `crd-gen` to [build-dependencies] and `crd_gen::Generator::from_build_env()?.run()?;` \
                       to build.rs (see crd-gen's README)";
            quote! {
                #[deprecated(note = #why)]
                /// Needs crd-gen in build.rs (see its deprecation note): without it there is no CRD to return.
                pub fn crd_yaml() -> &'static str {
                    ::core::panic!(#why)
                }
            }
        }
    }
}

fn crd_fn(f: &Facts) -> TokenStream {
    let k8s = &f.k8s_openapi;
    let crd = quote!(::#k8s::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition);
    let Yaml::File { json, .. } = &f.yaml else {
        return quote! {
            #[deprecated(note = "crd() needs crd-gen in the crate's build script (see crd_yaml())")]
            /// Needs crd-gen in build.rs (see [`Self::crd_yaml`]).
            pub fn crd() -> #crd {
                ::core::panic!("crd() needs crd-gen in the crate's build script (see crd_yaml())")
            }
        };
    };
    let json = json.to_string_lossy().into_owned();
    quote! {
        /// The CRD of [`Self::crd_yaml`] as k8s-openapi's type, to create or apply at start-up.
        pub fn crd() -> #crd {
            ::#k8s::serde_json::from_str(::core::include_str!(#json)).expect("crd-gen wrote this CRD from a value of this type")
        }
    }
}

/// The root object's own doc comment when the struct gives one, else the spec's doc comment
/// without Go marker lines, else controller-gen's root description.
fn root_docs(input: &DeriveInput, f: &Facts) -> Vec<String> {
    if let Some(text) = &f.root_doc {
        return text.lines().map(|l| format!(" {l}")).collect();
    }
    let lines: Vec<String> = input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .filter(|l| !l.trim_start().starts_with('+'))
        .collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return vec![format!(" {} is the Schema for the {} API.", f.kind, f.plural)];
    }
    lines
}

/// `Clone` and `Debug` always (a controller clones and logs objects; kube-rs's traits need
/// them, so the spec and status must have them, as with kube-derive), and `Default`/`PartialEq`
/// when asked (kube-derive's `derive = ".."`) or when a `#[derive]` after the spec's own one lists
/// them: rustc does not show a derive the other names of its own `#[derive(..)]` list.
fn followed_derives(input: &DeriveInput, asked: &[String]) -> TokenStream {
    const FOLLOWED: [&str; 2] = ["Default", "PartialEq"];
    let mut found: Vec<syn::Ident> = vec![format_ident!("Clone"), format_ident!("Debug")];
    found.extend(asked.iter().filter(|a| FOLLOWED.contains(&a.as_str())).map(|a| format_ident!("{a}")));
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|m| {
            if let Some(last) = m.path.segments.last()
                && FOLLOWED.contains(&last.ident.to_string().as_str())
                && !found.contains(&last.ident)
            {
                found.push(last.ident.clone());
            }
            Ok(())
        });
    }
    quote!(#[derive(#(#found),*)])
}
