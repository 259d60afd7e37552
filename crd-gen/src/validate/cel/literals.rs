//! cel-go's AST validators that the base environment enables from 1.29
//! (`cel.ValidateDurationLiterals`, `ValidateTimestampLiterals`, `ValidateRegexLiterals`): a
//! literal argument of `duration()`, `timestamp()` or `matches()` must be valid when the rule
//! is compiled, as Go's `time.ParseDuration`, `time.Parse(time.RFC3339, ..)` and RE2 read them.

use super::ast::{Expr, Kind, Literal};
use super::check::Problem;

pub fn validate(e: &Expr) -> Vec<Problem> {
    let mut out = Vec::new();
    e.walk(&mut |n| {
        let Kind::Call { target, function, args } = &n.kind else { return };
        let literal = |i: usize| match args.get(i).map(|a| &a.kind) {
            Some(Kind::Literal(Literal::String(s))) => Some(s.as_str()),
            _ => None,
        };
        let problem = match (function.as_str(), target.is_some()) {
            ("duration", false) => literal(0)
                .filter(|s| !go_duration(s))
                .map(|s| (format!("duration validation failed: invalid duration {s:?}"), "write it as Go does, e.g. `duration('1h30m')`")),
            ("timestamp", false) => literal(0).filter(|s| !rfc3339(s)).map(|s| {
                (format!("timestamp validation failed: {s:?} is not an RFC 3339 timestamp"), "e.g. `timestamp('2024-01-02T15:04:05Z')`")
            }),
            ("matches", member) => {
                literal(usize::from(!member)).and_then(|re| regex::Regex::new(re).err().map(|e| (re, e))).map(|(re, e)| {
                    (format!("invalid regex {re:?} in `matches`: {}", first_line(&e.to_string())), "fix the pattern (RE2 syntax)")
                })
            }
            _ => None,
        };
        if let Some((message, help)) = problem {
            out.push(Problem { message, offset: n.offset, help: help.into() });
        }
    });
    out
}

fn first_line(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

/// Go's `time.ParseDuration`: `[-+]` then `0`, or one or more `<number><unit>`.
pub fn go_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"].iter().find(|u| rest.starts_with(**u));
        let Some(unit) = unit else { return false };
        // `ms` before `m`, `ns`/`us` before `s`: the list order makes the longest match win.
        rest = &rest[unit.len()..];
    }
    true
}

/// `time.RFC3339` (`2006-01-02T15:04:05Z07:00`, fractional seconds allowed).
pub fn rfc3339(s: &str) -> bool {
    let re = crate::validate::regexes::compiled(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$");
    let Ok(re) = re.as_ref() else { return false };
    let Some(c) = re.captures(s) else { return false };
    let n = |i: usize| c.get(i).map_or(0, |m| m.as_str().parse::<u32>().unwrap_or(99));
    let (month, day) = (n(2), n(3));
    (1..=12).contains(&month) && (1..=31).contains(&day) && n(4) < 24 && n(5) < 60 && n(6) < 60 && n(9) < 24 && n(10) < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_timestamps_as_go_reads_them() {
        for ok in ["1h", "1h30m", "1.5s", "-2ms", "0", "300ms", "1us", "2µs"] {
            assert!(go_duration(ok), "{ok}");
        }
        for bad in ["", "1", "1x", "h", "1.2.3s", "1 h"] {
            assert!(!go_duration(bad), "{bad}");
        }
        assert!(rfc3339("2024-01-02T15:04:05Z"));
        assert!(rfc3339("2024-01-02T15:04:05.123+02:00"));
        assert!(!rfc3339("2024-13-02T15:04:05Z"));
        assert!(!rfc3339("2024-01-02 15:04:05Z"));
    }
}
