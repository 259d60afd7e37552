//! kube-rs's traits (where the package depends on kube): `Resource` (so `Api<Guestbook>`, `Controller` and
//! `watcher` take it), `HasSpec`, `HasStatus`, and `CustomResourceExt`, as kube-derive gives them.

use super::facts::Facts;
use proc_macro2::TokenStream;
use quote::quote;

pub fn impls(kube: &syn::Ident, root: &syn::Ident, spec: &syn::Ident, f: &Facts) -> TokenStream {
    let core = quote!(::#kube::core);
    let k8s = &f.k8s_openapi;
    let meta = quote!(::#k8s::apimachinery::pkg::apis::meta::v1::ObjectMeta);
    let scope = if f.namespaced { quote!(#core::NamespaceResourceScope) } else { quote!(#core::ClusterResourceScope) };
    let cow = quote!(::std::borrow::Cow<'_, str>);
    let has_status = f.status.as_ref().map(|status| {
        quote! {
            impl #core::object::HasStatus for #root {
                type Status = #status;
                fn status(&self) -> ::core::option::Option<&#status> {
                    self.status.as_ref()
                }
                fn status_mut(&mut self) -> &mut ::core::option::Option<#status> {
                    &mut self.status
                }
            }
        }
    });
    quote! {
        impl #core::Resource for #root {
            type DynamicType = ();
            type Scope = #scope;
            fn kind(_: &()) -> #cow {
                Self::KIND.into()
            }
            fn group(_: &()) -> #cow {
                Self::GROUP.into()
            }
            fn version(_: &()) -> #cow {
                Self::VERSION.into()
            }
            fn api_version(_: &()) -> #cow {
                Self::API_VERSION.into()
            }
            fn plural(_: &()) -> #cow {
                Self::PLURAL.into()
            }
            fn meta(&self) -> &#meta {
                &self.metadata
            }
            fn meta_mut(&mut self) -> &mut #meta {
                &mut self.metadata
            }
        }

        impl #core::object::HasSpec for #root {
            type Spec = #spec;
            fn spec(&self) -> &#spec {
                &self.spec
            }
            fn spec_mut(&mut self) -> &mut #spec {
                &mut self.spec
            }
        }

        #has_status

        impl #core::CustomResourceExt for #root {
            fn crd() -> ::#k8s::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition {
                #[allow(deprecated)]
                let crd = #root::crd();
                crd
            }
            fn crd_name() -> &'static str {
                Self::CRD_NAME
            }
            fn api_resource() -> #core::dynamic::ApiResource {
                #core::dynamic::ApiResource::erase::<Self>(&())
            }
            fn shortnames() -> &'static [&'static str] {
                Self::SHORT_NAMES
            }
        }
    }
}
