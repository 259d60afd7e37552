use crd_gen_derive::{CrdSchema, CustomResource};

#[derive(CustomResource)]
#[crd(group = "webapp.my.domain", version = "v1")]
pub struct WidgetSpec {
    #[crd(max_length = 10)]
    pub replicas: i32,
    #[crd(min_items = 1)]
    pub name: String,
    #[crd(list_map_key = "name")]
    pub items: Vec<Item>,
    #[crd(validation(rule = "self > 0", reason = "FieldValueWrong"))]
    pub count: i32,
    #[crd(required, optional)]
    pub size: Option<i32>,
}

/// Rules on a type's own markers are checked as a field's are.
#[derive(CrdSchema)]
#[crd(min_length = 3, max_length = 1, default = "abc", default_json = "\"abc\"")]
pub struct Name(String);

pub struct Item {
    pub name: String,
}

fn main() {}
