//! The marker parsers on arbitrary text: `#[crd(<text>)]` (token parser and attribute reader)
//! and Go comment markers `/// +<text>`. They must report errors, never panic.

#![no_main]

use crd_gen::markers::{AttrSite, Attrs, parse::parse_tokens};
use libfuzzer_sys::fuzz_target;
use std::str::FromStr;

const SITES: [AttrSite; 4] = [AttrSite::ResourceStruct, AttrSite::Type, AttrSite::Field, AttrSite::Variant];

fn read_all_sites(src: &str) {
    let Ok(file) = syn::parse_file(src) else { return };
    for item in &file.items {
        let attrs = match item {
            syn::Item::Struct(s) => &s.attrs,
            _ => continue,
        };
        for site in SITES {
            let mut errors = Vec::new();
            let attrs = Attrs::read(attrs, site, &mut errors);
            // Accessors on whatever was parsed.
            for m in &attrs.markers {
                let _ = (m.name(), m.as_str(), m.as_bool(), m.as_json(), m.inner().len());
            }
            for e in &errors {
                let _ = e.to_syn().to_compile_error();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    // The token parser on the inside of one `#[crd(...)]`.
    if let Ok(tokens) = proc_macro2::TokenStream::from_str(text) {
        let mut errors = Vec::new();
        let _ = parse_tokens(tokens, &mut errors);
    }

    // `#[crd(<text>)]` on a struct, read at every site.
    read_all_sites(&format!("#[crd({text})]\nstruct A;\n"));

    // Go markers: every line of the text as a `/// +` doc comment line...
    let mut doc = String::new();
    for line in text.lines() {
        doc.push_str("/// +");
        doc.push_str(line);
        doc.push('\n');
    }
    doc.push_str("struct A;\n");
    read_all_sites(&doc);
    // ...and the whole text in one `#[doc = "..."]` (line breaks inside one attribute).
    let lit = proc_macro2::Literal::string(&format!(" +{text}"));
    read_all_sites(&format!("#[doc = {lit}]\nstruct A;\n"));
});
