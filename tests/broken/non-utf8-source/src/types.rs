// café
pub struct Settings {
    pub level: String,
}
