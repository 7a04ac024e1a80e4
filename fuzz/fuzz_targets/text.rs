//! `text::fold` and friends on arbitrary text: folding is idempotent and keeps only letters and
//! digits, the search index never misses a query that occurs in the text, and stripping
//! invisible characters is idempotent and removes nothing else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wenji_fuzz::text::{fold, folded, index_terms, query_terms, without_invisible};

/// The characters `text::invisible` names in its documentation: zero-width spaces and joiners,
/// bidirectional overrides and isolates, the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fuzz_target!(|data: &[u8]| {
    // "text\0query"; without a NUL the query is the middle third of the text.
    let (text, query) = match data.iter().position(|&x| x == 0) {
        Some(at) => (String::from_utf8_lossy(&data[..at]), String::from_utf8_lossy(&data[at + 1..])),
        None => {
            let text = String::from_utf8_lossy(data);
            let chars: Vec<char> = text.chars().collect();
            let query = chars[chars.len() / 3..chars.len() * 2 / 3].iter().collect::<String>();
            (text, query.into())
        }
    };

    for t in [&text, &query] {
        let f = folded(t);
        assert_eq!(fold(t), f.chars().collect::<Vec<_>>());
        assert_eq!(folded(&f), f, "fold is not idempotent on {t:?}");
        assert!(f.chars().all(char::is_alphanumeric), "{f:?} from {t:?}");
        assert!(!f.chars().any(|c| c.is_whitespace() || c.is_ascii_punctuation()), "{f:?}");
        // Full-width letters and digits are folded to half-width.
        assert!(!f.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c)), "{f:?} from {t:?}");
        // Upper case goes (where the lower case of the lower case is stable, i.e. everywhere
        // outside a few exotic scripts, which the idempotence check above covers).
        assert!(!f.chars().any(|c| c.is_uppercase() && !c.to_lowercase().eq(std::iter::once(c))), "{f:?}");

        let w = without_invisible(t);
        assert_eq!(without_invisible(&w), w);
        assert!(!w.chars().any(invisible), "{w:?}");
        assert_eq!(w, t.chars().filter(|&c| !invisible(c)).collect::<String>(), "removed a visible character");
        // Invisible characters are neither letters nor digits, so search never saw them.
        assert_eq!(folded(&w), f);
    }

    let index = index_terms(&text);
    let n = fold(&text).len();
    assert!(index.len() <= 2 * n, "{} terms for {n} chars", index.len());
    assert!(index.iter().all(|t| (1..=2).contains(&t.chars().count())));
    let q = query_terms(&query);
    assert!(q.len() <= 32 && q.windows(2).all(|w| w[0] < w[1]), "{q:?}");
    match fold(&query).len() {
        0 => assert!(q.is_empty()),
        1 => assert_eq!(q, [folded(&query)]),
        _ => assert!(q.iter().all(|t| t.chars().count() == 2), "{q:?}"),
    }
    // A text's own query terms are among its index terms, and so are those of any query found
    // in it once folded: the index never rules out a real match.
    assert!(
        query_terms(&text).iter().all(|t| index.contains(t)),
        "a query term of {text:?} is not among its index terms"
    );
    if folded(&text).contains(&folded(&query)) {
        assert!(q.iter().all(|t| index.contains(t)), "{query:?} in {text:?} but {q:?} not all indexed");
    }
});
