//! What the root type is: from the engine's index in OUT_DIR when crd-gen's build script ran,
//! else from the spec struct's own markers.

use crd_gen_markers::names::{kind_of, plural_of};
use crd_gen_markers::roots::{self as index, RootEntry};
use crd_gen_markers::{ArgKey, CrdAttrs, MarkerError, MarkerKey};
use quote::format_ident;
use std::path::{Path, PathBuf};
use syn::DeriveInput;

pub struct Facts {
    pub root: String,
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub status: Option<syn::Type>,
    pub short_names: Vec<String>,
    pub yaml: Yaml,
    /// The index the facts came from, so rustc rebuilds when it changes.
    pub index_file: Option<PathBuf>,
    /// k8s-openapi's name in the package (a dependency, as with kube-derive).
    pub k8s_openapi: syn::Ident,
    /// kube's name in the package, when it depends on kube: kube-rs's traits are implemented.
    pub kube: Option<syn::Ident>,
    /// Derives asked for besides `Clone` and `Debug` (kube-derive's `derive = ".."`).
    pub derives: Vec<String>,
    /// Annotations and labels `new` puts on each object: kube-derive's `#[kube(annotation(..),
    /// label(..))]` mean both the CRD's and every object's (crd-gen's own markers, the CRD's only).
    pub object_annotations: Vec<(String, String)>,
    pub object_labels: Vec<(String, String)>,
    /// The root object's doc comment when the struct gives one (`root(/// ..)`, kube-derive's
    /// `doc = ".."`): the CRD's root description, and the root type's rustdoc.
    pub root_doc: Option<String>,
}

/// The key/value pairs of `key`'s markers when the struct speaks kube-derive's dialect.
fn object_metadata(attrs: &CrdAttrs, key: MarkerKey) -> Vec<(String, String)> {
    if attrs.kube.is_none() {
        return Vec::new();
    }
    let pair = |m: &crd_gen_markers::Marker| Some((m.arg_str(ArgKey::Key)?.to_string(), m.arg_str(ArgKey::Value)?.to_string()));
    attrs.all(key).filter_map(pair).collect()
}

impl Facts {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() { self.version.clone() } else { format!("{}/{}", self.group, self.version) }
    }
}

/// Where `crd_yaml()` and `crd()` find the CRD.
pub enum Yaml {
    File { yaml: PathBuf, json: PathBuf },
    NoBuildScript,
}

/// The facts of `input`'s root type, or why there are none.
pub fn facts(input: &DeriveInput, attrs: &CrdAttrs) -> Result<Facts, MarkerError> {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(MarkerError::new(
            ident.span(),
            "a resource's spec struct cannot be generic: the API server knows one schema per version",
        )
        .help("give the spec concrete field types (a generic struct can be a field's type)"));
    }
    let Some(dir) = std::env::var_os("OUT_DIR").map(|d| PathBuf::from(d).join("crd-gen")) else { return from_markers(input, attrs) };
    let index_file = dir.join(index::FILE);
    let Ok(text) = std::fs::read_to_string(&index_file) else { return from_markers(input, attrs) };
    let entries = index::parse(&text).map_err(|e| {
        MarkerError::new(ident.span(), format!("cannot read {}: {e}", index_file.display()))
            .help("crd-gen and crd-gen-derive must be the same version: align them in Cargo.toml")
    })?;
    let crate_name = |package: &str| entries.crates.get(package).map(|name| syn::Ident::new(name, proc_macro2::Span::call_site()));
    let entry = find(&entries.roots, ident).ok_or_else(|| {
        MarkerError::new(ident.span(), format!("crd-gen's build script did not generate a CRD for `{ident}`"))
            .help("the build script generates this package's resources (a version with `skip_version` gets its root type only when another version of the kind is in the CRD); check that it runs `crd_gen::Generator::from_build_env()?.run()?` and what its `cargo::warning` lines say")
    })?;
    let status = match &entry.status {
        Some(text) => Some(syn::parse_str(text).map_err(|_| MarkerError::new(ident.span(), format!("`{text}` is not a type")))?),
        None => None,
    };
    Ok(Facts {
        root: entry.root.clone(),
        group: entry.group.clone(),
        version: entry.version.clone(),
        kind: entry.kind.clone(),
        plural: entry.plural.clone(),
        namespaced: entry.namespaced,
        status,
        short_names: entry.short_names.clone(),
        yaml: Yaml::File { yaml: dir.join(&entry.crd_file), json: dir.join(entry.crd_file.replace(".yaml", ".json")) },
        index_file: Some(index_file),
        k8s_openapi: crate_name("k8s-openapi").unwrap_or_else(|| format_ident!("k8s_openapi")),
        kube: crate_name("kube"),
        derives: attrs.kube.as_ref().map(|k| k.derives.clone()).unwrap_or_default(),
        object_annotations: object_metadata(attrs, MarkerKey::Annotation),
        object_labels: object_metadata(attrs, MarkerKey::Label),
        root_doc: attrs.root_docs().and_then(|d| d.text.clone()),
    })
}

/// The entry of the spec struct `ident`, by its file (as rustc read it) and name; by name alone
/// where rustc does not say the file (an IDE's macro server) and the name is unique.
fn find<'e>(entries: &'e [RootEntry], ident: &syn::Ident) -> Option<&'e RootEntry> {
    let named: Vec<&RootEntry> = entries.iter().filter(|e| ident == &e.spec).collect();
    let file = source_file(ident);
    match file {
        Some(file) => named.into_iter().find(|e| e.file == file),
        None if named.len() == 1 => named.into_iter().next(),
        None => None,
    }
}

fn source_file(ident: &syn::Ident) -> Option<PathBuf> {
    let file = ident.span().unwrap().local_file()?;
    Some(Path::new(&file).canonicalize().unwrap_or(file))
}

/// Without crd-gen's build script: the struct's own markers must name the group and version.
fn from_markers(input: &DeriveInput, attrs: &CrdAttrs) -> Result<Facts, MarkerError> {
    let ident = &input.ident;
    let kind = kind_of(&ident.to_string(), attrs.str(MarkerKey::Kind)).unwrap_or_default();
    let needs = |what: &str, example: &str| {
        MarkerError::new(ident.span(), format!("the root type `{kind}` needs the {what}, which this struct's markers do not give"))
            .help(format!("add `#[crd({what} = \"{example}\")]`, or run crd-gen in build.rs (`crd_gen::Generator::from_build_env()?.run()?`), which reads the module docs (`//! +groupName=..`) and module names too"))
    };
    let group = attrs.str(MarkerKey::Group).ok_or_else(|| needs("group", "example.com"))?.to_string();
    let version = attrs.str(MarkerKey::Version).ok_or_else(|| needs("version", "v1"))?.to_string();
    let status = match attrs.get(MarkerKey::Status) {
        Some(m) => {
            let text = m.as_str().unwrap_or_default();
            Some(syn::parse_str(text).map_err(|_| MarkerError::new(m.span, format!("`status = \"{text}\"` is not a Rust type")))?)
        }
        None => None,
    };
    let root = match attrs.get(MarkerKey::RootType) {
        Some(m) => {
            let name = m.as_str().unwrap_or_default();
            syn::parse_str::<syn::Ident>(name)
                .ok()
                .filter(|i| i != ident)
                .ok_or_else(|| {
                    MarkerError::new(m.span, format!("`{name}` cannot be the root type's name"))
                        .help("`root_type` names a Rust type other than the spec struct, e.g. `root_type = \"GuestbookResource\"`")
                })?
                .to_string()
        }
        None => kind.clone(),
    };
    // kube-derive's `#[kube(crates(..))]`; a kube-derive user depends on kube.
    let kube_root = attrs.kube.as_ref();
    Ok(Facts {
        root,
        plural: plural_of(&kind, attrs.str(MarkerKey::Plural)),
        namespaced: attrs.str(MarkerKey::Scope) != Some("Cluster"),
        short_names: attrs.all(MarkerKey::ShortName).filter_map(|m| m.as_str().map(str::to_string)).collect(),
        group,
        version,
        kind,
        status,
        yaml: Yaml::NoBuildScript,
        index_file: None,
        k8s_openapi: kube_root.and_then(|k| k.k8s_openapi.clone()).unwrap_or_else(|| format_ident!("k8s_openapi")),
        kube: kube_root.map(|k| k.kube.clone().unwrap_or_else(|| format_ident!("kube"))),
        derives: kube_root.map(|k| k.derives.clone()).unwrap_or_default(),
        object_annotations: object_metadata(attrs, MarkerKey::Annotation),
        object_labels: object_metadata(attrs, MarkerKey::Label),
        root_doc: attrs.root_docs().and_then(|d| d.text.clone()),
    })
}
