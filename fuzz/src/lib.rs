//! Helpers shared by the fuzz targets.

use serde_json::Value;

/// JSON equality where numbers compare by value: the emitter writes the float `2.0` as `2`, which
/// every YAML reader (and the API server) reads back as the integer 2.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(p), Some(q), _, _) => p == q,
            (_, _, Some(p), Some(q)) => p == q,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

/// Parses `yaml` (one document) back into JSON and asserts it is `expected`.
pub fn assert_round_trip(yaml: &str, expected: &Value) {
    let parsed: Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => panic!("emitted YAML does not parse: {e}\n--- expected JSON:\n{expected:#}\n--- YAML:\n{yaml}"),
    };
    assert!(
        same_json(&parsed, expected),
        "YAML does not read back as the JSON it was emitted from\n--- expected JSON:\n{expected:#}\n--- read back:\n{parsed:#}\n--- YAML:\n{yaml}"
    );
}
