//! `diff::diff_text` and `diff::align` on two arbitrary versions (the input split at its first
//! NUL byte; without one, the first byte says where to cut). The diff rebuilds both versions,
//! merges adjacent ops, puts Delete before Insert, and is a longest common subsequence; the
//! alignment covers every index of both sides once, in order, pairing only equal keys.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wenji_fuzz::diff::{MAX_CELLS, Op, TextOp, align, diff_text};

/// Longest side diffed through the table, in chars.
const MAX_SIDE: usize = 256;
/// Inputs small enough for the reference LCS table below to be cheap.
const CHECK_LCS_UP_TO: usize = 64;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&x| x == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None if !data.is_empty() => data[1..].split_at((data[0] as usize).min(data.len() - 1)),
        None => (data, data),
    };
    // The table is quadratic: sides are cut to MAX_SIDE chars so that a run tries many inputs
    // rather than a few huge ones. The cell-limit fallback is reached through the padding below.
    let side = |x: &[u8]| String::from_utf8_lossy(x).chars().take(MAX_SIDE).collect::<String>();
    let (a, b) = (side(a), side(b));
    check_diff(&a, &b);
    check_diff(&b, &a);
    check_diff(&a, &a);
    // For one input in eight (the padding makes a run ten times slower), the same pair behind or
    // in front of 2,100 differing characters: past the cell limit, with the pair as the common
    // head or tail.
    if data.len().is_multiple_of(8) {
        check_padded(&a, &b);
    }

    let (ka, kb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    check_align(&ka, &kb);
    check_align(&kb, &ka);
    check_align(&ka, &ka);
});

fn check_padded(a: &str, b: &str) {
    let pad = |s: &str, from: u32| {
        let c = (from..).filter_map(char::from_u32).find(|&c| !a.contains(c) && !b.contains(c)).unwrap();
        (format!("{s}{}", c.to_string().repeat(2_100)), format!("{}{s}", c.to_string().repeat(2_100)))
    };
    let ((a_tail, a_head), (b_tail, b_head)) = (pad(a, 0xE000), pad(b, 0xE100));
    check_diff(&a_tail, &b_tail);
    check_diff(&a_head, &b_head);
}

fn check_diff(a: &str, b: &str) {
    let d = diff_text(a, b);
    let side = |skip: Op| d.iter().filter(|o| o.op != skip).map(|o| o.text.as_str()).collect::<String>();
    assert_eq!(side(Op::Insert), a, "Equal + Delete is not the old text: {d:?}");
    assert_eq!(side(Op::Delete), b, "Equal + Insert is not the new text: {d:?}");
    assert!(d.iter().all(|o| !o.text.is_empty()), "empty op: {d:?}");
    assert!(d.windows(2).all(|w| w[0].op != w[1].op), "adjacent ops of one kind: {d:?}");
    assert!(!d.windows(2).any(|w| w[0].op == Op::Insert && w[1].op == Op::Delete), "Insert before Delete: {d:?}");
    if a == b {
        assert!(a.is_empty() && d.is_empty() || d.len() == 1 && d[0].op == Op::Equal, "{d:?}");
    }
    // The common head and tail are stripped first and stay Equal, whatever the size; past the
    // cell limit the differing middle is one Delete and one Insert.
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let pre = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let suf = ca[pre..].iter().rev().zip(cb[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let chars = |o: Option<&TextOp>, op: Op| o.filter(|o| o.op == op).map_or(0, |o| o.text.chars().count());
    if a != b {
        assert_eq!(chars(d.first(), Op::Equal), pre, "the common head is not one Equal: {d:?}");
        assert_eq!(chars(d.last(), Op::Equal), suf, "the common tail is not one Equal: {d:?}");
    }
    let (ma, mb) = (ca.len() - pre - suf, cb.len() - pre - suf);
    if ma * mb > MAX_CELLS {
        let kinds: Vec<Op> = d.iter().map(|o| o.op).filter(|&op| op != Op::Equal).collect();
        assert_eq!(kinds, [Op::Delete, Op::Insert], "past the cell limit: {d:?}");
    }
    let equal: usize = d.iter().filter(|o| o.op == Op::Equal).map(|o| o.text.chars().count()).sum();
    if ca.len() <= CHECK_LCS_UP_TO && cb.len() <= CHECK_LCS_UP_TO {
        assert_eq!(equal, lcs_len(&ca, &cb), "not a longest common subsequence: {d:?}");
    }
}

fn lcs_len<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut t = vec![vec![0; b.len() + 1]; a.len() + 1];
    for i in 0..a.len() {
        for j in 0..b.len() {
            t[i + 1][j + 1] = if a[i] == b[j] { t[i][j] + 1 } else { t[i][j + 1].max(t[i + 1][j]) };
        }
    }
    t[a.len()][b.len()]
}

fn check_align(a: &[&str], b: &[&str]) {
    let r = align(a, b);
    let ia: Vec<usize> = r.iter().filter_map(|p| p.0).collect();
    let ib: Vec<usize> = r.iter().filter_map(|p| p.1).collect();
    // Every index of each side, exactly once and in increasing order.
    assert_eq!(ia, (0..a.len()).collect::<Vec<_>>(), "{r:?}");
    assert_eq!(ib, (0..b.len()).collect::<Vec<_>>(), "{r:?}");
    for (n, p) in r.iter().enumerate() {
        match *p {
            (Some(i), Some(j)) => assert_eq!(a[i], b[j], "pairs different keys: {r:?}"),
            (None, None) => panic!("an empty pair: {r:?}"),
            (None, Some(_)) => {
                // In each gap between matches the removals come first.
                assert!(!matches!(r.get(n + 1), Some((Some(_), None))), "addition before removal: {r:?}");
            }
            (Some(_), None) => {}
        }
    }
    // With unique keys (what callers pass) the alignment is a longest one.
    let unique = |v: &[&str]| v.iter().collect::<std::collections::HashSet<_>>().len() == v.len();
    if unique(a) && unique(b) && a.len() <= CHECK_LCS_UP_TO && b.len() <= CHECK_LCS_UP_TO {
        let matched = r.iter().filter(|p| p.0.is_some() && p.1.is_some()).count();
        assert_eq!(matched, lcs_len(a, b), "not a longest alignment: {r:?}");
    }
}
