macro_rules! versioned {
    ($name:ident, $version:literal) => {
        #[derive(CustomResource)]
        #[crd(group = "example.com", version = $version)]
        pub struct $name {
            pub replicas: i32,
        }
    };
}

versioned!(WidgetSpec, "v1");
