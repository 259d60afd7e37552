//! The derive rejects misused markers at compile time, naming the marker and the fix; the
//! pass case uses the root type it generates.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
