//! The derive rejects misused markers at compile time, naming the marker and the fix; the
//! pass case uses the root type it generates.

#[test]
fn ui() {
    // trybuild passes when a glob matches nothing: make sure the cases are there.
    let cases = |dir: &str| std::fs::read_dir(dir).map(|d| d.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "rs")).count());
    assert!(cases("tests/ui/pass").unwrap_or(0) >= 1 && cases("tests/ui/fail").unwrap_or(0) >= 3, "the trybuild cases are missing");
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
