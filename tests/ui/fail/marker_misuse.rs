use crd_gen_derive::CustomResource;

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
}

pub struct Item {
    pub name: String,
}

fn main() {}
