//! Compares two versions of a draft: `align` pairs sections across versions by key, `diff_text`
//! shows what changed inside a section. Both work on `char`s/keys, never bytes, because a byte
//! diff would cut Chinese characters in half.

use std::collections::HashMap;

/// Above this many cells the quadratic table would cost too much time and memory per request.
pub const MAX_CELLS: usize = 4_000_000;

crate::vocabulary! {
    /// One step of a text difference.
    pub enum TextOpKind {
        Equal = "equal",
        Insert = "insert",
        Delete = "delete",
    }
}

pub type Op = TextOpKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextOp {
    pub op: Op,
    pub text: String,
}

/// Merging here means callers never see two adjacent ops of the same kind.
fn push(ops: &mut Vec<TextOp>, op: Op, chars: &[char]) {
    if chars.is_empty() {
        return;
    }
    match ops.last_mut() {
        Some(last) if last.op == op => last.text.extend(chars),
        _ => ops.push(TextOp { op, text: chars.iter().collect() }),
    }
}

/// Character-level LCS diff with adjacent ops of the same kind merged.
///
/// The common prefix and suffix are stripped first (linear cost), so a small edit in a long
/// article still gets a precise diff. The 4,000,000 chars² bound applies to the differing middle
/// that remains: beyond it the middle is shown as one Delete + Insert, which keeps the cost of a
/// request bounded while the unchanged head and tail stay Equal. Within a replaced stretch the
/// Delete comes before the Insert, the order readers expect. Two empty texts give no ops.
pub fn diff_text(a: &str, b: &str) -> Vec<TextOp> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops = Vec::new();
    push(&mut ops, Op::Equal, &a[..pre]);
    if ma.len().saturating_mul(mb.len()) > MAX_CELLS {
        push(&mut ops, Op::Delete, ma);
        push(&mut ops, Op::Insert, mb);
    } else {
        lcs_ops(ma, mb, &mut ops);
    }
    push(&mut ops, Op::Equal, &a[a.len() - suf..]);
    ops
}

/// Plain dynamic programming rather than Myers: its time is bounded by the n·m cell limit above
/// (a few megabytes of directions), whereas Myers' O((n+m)·d) blows up on lopsided inputs such as
/// a 2-char text against a 2,000,000-char one, which the limit allows.
fn lcs_ops(a: &[char], b: &[char], ops: &mut Vec<TextOp>) {
    const MATCH: u8 = 0;
    const DOWN: u8 = 1; // skip a[i]: Delete
    const RIGHT: u8 = 2; // skip b[j]: Insert
    let (n, m) = (a.len(), b.len());
    // Suffix lengths, so a forward walk can emit ops in document order without reversing.
    let mut dir = vec![MATCH; n * m];
    let mut next = vec![0u32; m + 1];
    let mut cur = vec![0u32; m + 1];
    for i in (0..n).rev() {
        cur[m] = 0;
        for j in (0..m).rev() {
            let (len, d) = if a[i] == b[j] {
                (next[j + 1] + 1, MATCH)
            } else if next[j] >= cur[j + 1] {
                // Ties prefer Delete so that a replacement reads "old, then new".
                (next[j], DOWN)
            } else {
                (cur[j + 1], RIGHT)
            };
            cur[j] = len;
            dir[i * m + j] = d;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        match dir[i * m + j] {
            MATCH => {
                push(ops, Op::Equal, &a[i..=i]);
                i += 1;
                j += 1;
            }
            DOWN => {
                push(ops, Op::Delete, &a[i..=i]);
                i += 1;
            }
            _ => {
                push(ops, Op::Insert, &b[j..=j]);
                j += 1;
            }
        }
    }
    push(ops, Op::Delete, &a[i..]);
    push(ops, Op::Insert, &b[j..]);
}

/// Order-preserving alignment of two key sequences: a longest common subsequence of keys.
///
/// Keys are expected to be unique, which makes the LCS a longest increasing subsequence of the
/// matched positions: O(n log n) with no quadratic table, whatever the document size. If a key
/// does repeat, its k-th occurrence in `a` is paired with its k-th occurrence in `b`, which is
/// sensible and never panics, though not guaranteed to be the longest alignment.
///
/// A moved key cannot be kept in order on both sides, so one side of a reordering appears as a
/// removal `(Some(i), None)` plus an addition `(None, Some(j))`; callers that want to show it
/// as a move can pair those two by key. In each gap between matches the removals come first.
pub fn align(a: &[&str], b: &[&str]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut in_b: HashMap<(&str, usize), usize> = HashMap::new();
    for (j, &k) in b.iter().enumerate() {
        let occ = seen.entry(k).or_default();
        in_b.insert((k, *occ), j);
        *occ += 1;
    }
    seen.clear();
    let mut candidates = Vec::new();
    for (i, &k) in a.iter().enumerate() {
        let occ = seen.entry(k).or_default();
        if let Some(&j) = in_b.get(&(k, *occ)) {
            candidates.push((i, j));
        }
        *occ += 1;
    }
    let matched = longest_increasing(&candidates, &mut 0);

    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    for &(mi, mj) in matched.iter().chain(std::iter::once(&(a.len(), b.len()))) {
        out.extend((i..mi).map(|x| (Some(x), None)));
        out.extend((j..mj).map(|y| (None, Some(y))));
        if mi < a.len() {
            out.push((Some(mi), Some(mj)));
        }
        (i, j) = (mi + 1, mj + 1);
    }
    out
}

/// Patience-style LIS on the second coordinate; the first is already increasing. Adds the
/// comparisons it makes to `probes`, so tests can hold it to O(n log n) without a clock.
fn longest_increasing(pairs: &[(usize, usize)], probes: &mut usize) -> Vec<(usize, usize)> {
    // tails[l] = index in `pairs` of the smallest tail of an increasing run of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(_, j)) in pairs.iter().enumerate() {
        let l = tails.partition_point(|&t| {
            *probes += 1;
            pairs[t].1 < j
        });
        prev[p] = l.checked_sub(1).map(|l| tails[l]);
        if l == tails.len() {
            tails.push(p);
        } else {
            tails[l] = p;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(p) = cur {
        out.push(pairs[p]);
        cur = prev[p];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(v: &[(Op, &str)]) -> Vec<TextOp> {
        v.iter().map(|&(op, text)| TextOp { op, text: text.to_string() }).collect()
    }

    /// Every diff must rebuild both inputs exactly and never repeat an op kind.
    fn check(a: &str, b: &str) -> Vec<TextOp> {
        let d = diff_text(a, b);
        let side = |skip: Op| d.iter().filter(|o| o.op != skip).map(|o| o.text.as_str()).collect::<String>();
        assert_eq!(side(Op::Insert), a);
        assert_eq!(side(Op::Delete), b);
        assert!(d.windows(2).all(|w| w[0].op != w[1].op), "{d:?}");
        assert!(d.iter().all(|o| !o.text.is_empty()));
        d
    }

    fn lcs_len(a: &[char], b: &[char]) -> usize {
        let mut t = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in 0..a.len() {
            for j in 0..b.len() {
                t[i + 1][j + 1] = if a[i] == b[j] { t[i][j] + 1 } else { t[i][j + 1].max(t[i + 1][j]) };
            }
        }
        t[a.len()][b.len()]
    }

    /// Small deterministic generator, so the property tests need no crates and never flake.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize % bound
        }
        fn text(&mut self, alphabet: &[char], max_len: usize) -> String {
            let len = self.next(max_len + 1);
            (0..len).map(|_| alphabet[self.next(alphabet.len())]).collect()
        }
    }

    #[test]
    fn identical_texts_are_one_equal() {
        let t = "第一条　为了规范本区养老服务设施的建设，制定本办法。";
        assert_eq!(check(t, t), ops(&[(Op::Equal, t)]));
        assert_eq!(check("", ""), vec![]);
    }

    #[test]
    fn insertion_in_a_chinese_sentence() {
        let d = check("区民政部门负责统筹管理。", "区民政部门会同财政部门负责统筹管理。");
        assert_eq!(d, ops(&[(Op::Equal, "区民政部门"), (Op::Insert, "会同财政部门"), (Op::Equal, "负责统筹管理。")]));
    }

    #[test]
    fn deletion() {
        let d = check("应当按照每百户不少于二十平方米的标准配套建设", "应当按照标准配套建设");
        assert_eq!(
            d,
            ops(&[(Op::Equal, "应当按照"), (Op::Delete, "每百户不少于二十平方米的"), (Op::Equal, "标准配套建设")])
        );
    }

    #[test]
    fn replacement_puts_delete_before_insert() {
        let d = check("不少于二十平方米", "不少于三十平方米");
        assert_eq!(d, ops(&[(Op::Equal, "不少于"), (Op::Delete, "二"), (Op::Insert, "三"), (Op::Equal, "十平方米")]));
        assert_eq!(check("甲乙", "丙丁"), ops(&[(Op::Delete, "甲乙"), (Op::Insert, "丙丁")]));
    }

    #[test]
    fn empty_sides() {
        assert_eq!(check("", "新增条文。"), ops(&[(Op::Insert, "新增条文。")]));
        assert_eq!(check("删除条文。", ""), ops(&[(Op::Delete, "删除条文。")]));
    }

    #[test]
    fn size_fallback_is_bounded() {
        // 2,001 × 2,001 differing chars exceeds the bound: one Delete and one Insert.
        let a = "甲".repeat(2001);
        let b = "乙".repeat(2001);
        assert_eq!(check(&a, &b), ops(&[(Op::Delete, &a), (Op::Insert, &b)]));
        // 2,000 × 2,000 is still diffed precisely.
        let (a, b) = (format!("{}丙", "甲".repeat(1999)), format!("丙{}", "乙".repeat(1999)));
        assert_eq!(check(&a, &b).iter().map(|o| o.op).collect::<Vec<_>>(), vec![Op::Delete, Op::Equal, Op::Insert]);
        // The unchanged head and tail of a long text stay Equal around the fallback.
        let head = "条".repeat(50_000);
        let (a, b) = (format!("{head}{}尾", "甲".repeat(3000)), format!("{head}{}尾", "乙".repeat(3000)));
        let d = check(&a, &b);
        assert_eq!(d.iter().map(|o| o.op).collect::<Vec<_>>(), vec![Op::Equal, Op::Delete, Op::Insert, Op::Equal]);
        // A one-char edit in a very long text is precise because prefix and suffix are stripped.
        let (a, b) = (format!("{head}甲{head}"), format!("{head}乙{head}"));
        assert_eq!(check(&a, &b).len(), 4);
    }

    #[test]
    fn diff_is_a_longest_common_subsequence() {
        let mut rng = Lcg(7);
        for _ in 0..2000 {
            let (a, b) = (rng.text(&['甲', '乙', '丙', 'a'], 12), rng.text(&['甲', '乙', '丙', 'a'], 12));
            let d = check(&a, &b);
            let equal: usize = d.iter().filter(|o| o.op == Op::Equal).map(|o| o.text.chars().count()).sum();
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(equal, lcs_len(&ca, &cb), "{a} / {b}");
        }
    }

    fn check_align(a: &[&str], b: &[&str]) -> Vec<(Option<usize>, Option<usize>)> {
        let r = align(a, b);
        let ia: Vec<usize> = r.iter().filter_map(|p| p.0).collect();
        let ib: Vec<usize> = r.iter().filter_map(|p| p.1).collect();
        assert_eq!(ia, (0..a.len()).collect::<Vec<_>>());
        assert_eq!(ib, (0..b.len()).collect::<Vec<_>>());
        assert!(r.iter().all(|p| match p {
            (Some(i), Some(j)) => a[*i] == b[*j],
            (None, None) => false,
            _ => true,
        }));
        r
    }

    #[test]
    fn align_insertions_and_removals() {
        let a = ["preamble", "第一章", "第一章/第一条", "第一章/第二条", "第一章/第三条"];
        let b = ["preamble", "第一章", "第一章/第一条", "第一章/第一条/（一）", "第一章/第三条", "第二章"];
        assert_eq!(
            check_align(&a, &b),
            vec![
                (Some(0), Some(0)),
                (Some(1), Some(1)),
                (Some(2), Some(2)),
                (Some(3), None),
                (None, Some(3)),
                (Some(4), Some(4)),
                (None, Some(5)),
            ]
        );
        assert_eq!(check_align(&[], &["x"]), vec![(None, Some(0))]);
        assert_eq!(check_align(&["x"], &[]), vec![(Some(0), None)]);
        assert_eq!(check_align(&[], &[]), vec![]);
    }

    #[test]
    fn align_reordering_is_a_removal_plus_an_addition() {
        assert_eq!(
            check_align(&["甲", "乙", "丙"], &["丙", "甲", "乙"]),
            vec![(None, Some(0)), (Some(0), Some(1)), (Some(1), Some(2)), (Some(2), None)]
        );
        assert_eq!(
            check_align(&["甲", "乙"], &["乙", "甲"]),
            vec![(Some(0), None), (Some(1), Some(0)), (None, Some(1))]
        );
    }

    #[test]
    fn align_repeated_keys_do_not_panic() {
        let r = check_align(&["x", "x", "y", "x"], &["x", "y", "x", "x", "x"]);
        assert_eq!(r.iter().filter(|p| p.0.is_some() && p.1.is_some()).count(), 3);
        check_align(&["x"; 50], &["x"; 3]);
    }

    #[test]
    fn align_is_a_longest_common_subsequence_for_unique_keys() {
        let mut rng = Lcg(11);
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
        for _ in 0..2000 {
            let pick = |rng: &mut Lcg| -> Vec<&str> { keys.iter().copied().filter(|_| rng.next(3) > 0).collect() };
            let mut a = pick(&mut rng);
            let b = pick(&mut rng);
            if rng.next(2) == 0 {
                let (x, y) = (rng.next(a.len().max(1)), rng.next(a.len().max(1)));
                if x < a.len() && y < a.len() {
                    a.swap(x, y);
                }
            }
            let r = check_align(&a, &b);
            let matched = r.iter().filter(|p| p.0.is_some() && p.1.is_some()).count();
            let to_chars = |v: &[&str]| v.iter().map(|k| k.chars().next().unwrap()).collect::<Vec<_>>();
            assert_eq!(matched, lcs_len(&to_chars(&a), &to_chars(&b)), "{a:?} / {b:?}");
        }
    }

    /// Large inputs stay cheap: counted in comparisons, not seconds (a timed test would be at
    /// the mercy of a noisy machine). A quadratic alignment would make 10^10 of them here.
    #[test]
    fn align_large_inputs_stay_n_log_n() {
        let n = 100_000usize;
        let a: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
        let b: Vec<String> = (0..n).rev().map(|i| format!("k{i}")).collect();
        let (a, b): (Vec<&str>, Vec<&str>) =
            (a.iter().map(String::as_str).collect(), b.iter().map(String::as_str).collect());
        assert_eq!(check_align(&a, &b).len(), 2 * n - 1);
        let log2 = (usize::BITS - n.leading_zeros()) as usize;
        for pairs in [(0..n).map(|i| (i, n - 1 - i)).collect::<Vec<_>>(), (0..n).map(|i| (i, i)).collect()] {
            let mut probes = 0;
            longest_increasing(&pairs, &mut probes);
            assert!(probes <= n * log2, "{probes} comparisons for {n} pairs");
        }
    }

    /// Past the cell limit, the differing middle becomes one deletion and one insertion
    /// instead of a table of n·m cells.
    #[test]
    fn diff_past_the_cell_limit_is_one_replacement() {
        // The middles share every other character, which a full table would keep as Equal.
        let a = format!("头{}尾", "甲乙".repeat(1_500));
        let b = format!("头{}尾", "乙丙".repeat(1_000));
        const { assert!(3_000 * 2_000 > MAX_CELLS) };
        let d = check(&a, &b);
        assert_eq!(d.iter().map(|o| o.op).collect::<Vec<_>>(), [Op::Equal, Op::Delete, Op::Insert, Op::Equal]);
        let small = check(&"甲乙".repeat(100), &"乙丙".repeat(100));
        assert!(small.len() > 100, "within the limit the shared characters are kept: {}", small.len());
    }
}
