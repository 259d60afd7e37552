//! Patterns compiled once per thread: the validator checks every `pattern` of every schema (and
//! every default and enum value against it), and a crate's resources share most of their patterns
//! (k8s-openapi's, the operator's own), while compiling one costs more than the rest of a field's
//! checks.

use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    static COMPILED: std::cell::RefCell<HashMap<String, Rc<Result<regex::Regex, String>>>> = Default::default();
}

/// `pattern` compiled (or why it does not compile: the regex crate's message).
pub fn compiled(pattern: &str) -> Rc<Result<regex::Regex, String>> {
    COMPILED.with(|c| {
        if let Some(re) = c.borrow().get(pattern) {
            return re.clone();
        }
        let re = Rc::new(regex::Regex::new(pattern).map_err(|e| e.to_string()));
        c.borrow_mut().insert(pattern.to_string(), re.clone());
        re
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pattern_compiles_once_and_errors_are_kept() {
        let a = super::compiled("^[a-z]+$");
        assert!(std::rc::Rc::ptr_eq(&a, &super::compiled("^[a-z]+$")));
        assert!(a.as_ref().as_ref().is_ok_and(|re| re.is_match("abc")));
        assert!(super::compiled("(?=x)").is_err());
    }
}
