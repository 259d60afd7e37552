//! serde for the root type as the API server reads and writes objects: `apiVersion` and `kind`
//! first, `status` only when there is one; reading checks both against this type.

use super::facts::Facts;
use proc_macro2::TokenStream;
use quote::quote;

pub fn impls(root: &syn::Ident, spec: &syn::Ident, f: &Facts) -> TokenStream {
    let k8s = &f.k8s_openapi;
    let meta = quote!(::#k8s::apimachinery::pkg::apis::meta::v1::ObjectMeta);
    let name = root.to_string();
    let (status_ser, status_wire, status_take, status_count) = match &f.status {
        Some(status) => (
            quote! {
                if let ::core::option::Option::Some(status) = &self.status {
                    state.serialize_field("status", status)?;
                }
            },
            quote! {
                #[serde(default)]
                status: ::core::option::Option<#status>,
            },
            quote!(status: wire.status,),
            quote!(+ usize::from(self.status.is_some())),
        ),
        None => (quote!(), quote!(), quote!(), quote!()),
    };
    quote! {
        const _: () = {
            impl ::serde::Serialize for #root {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeStruct as _;
                    let mut state = serializer.serialize_struct(#name, 4 #status_count)?;
                    state.serialize_field("apiVersion", Self::API_VERSION)?;
                    state.serialize_field("kind", Self::KIND)?;
                    state.serialize_field("metadata", &self.metadata)?;
                    state.serialize_field("spec", &self.spec)?;
                    #status_ser
                    state.end()
                }
            }

            #[derive(::serde::Deserialize)]
            #[serde(rename = #name)]
            struct Wire {
                #[serde(rename = "apiVersion")]
                api_version: ::std::string::String,
                kind: ::std::string::String,
                #[serde(default)]
                metadata: #meta,
                spec: #spec,
                #status_wire
            }

            impl<'de> ::serde::Deserialize<'de> for #root {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    let wire = <Wire as ::serde::Deserialize>::deserialize(deserializer)?;
                    if wire.api_version != Self::API_VERSION || wire.kind != Self::KIND {
                        return ::core::result::Result::Err(<D::Error as ::serde::de::Error>::custom(::std::format!(
                            "expected a {} of apiVersion `{}`, found kind `{}` of apiVersion `{}`",
                            Self::KIND, Self::API_VERSION, wire.kind, wire.api_version
                        )));
                    }
                    ::core::result::Result::Ok(Self { metadata: wire.metadata, spec: wire.spec, #status_take })
                }
            }
        };
    }
}
