//! Text as the platform compares it: folded (width, case, punctuation) for search and for
//! spotting near-identical comments, and cut into the terms Chinese search indexes.

/// Text folded for search: full-width letters and digits to half-width, lower case,
/// whitespace and punctuation dropped, so "养老 服务" and "养老服务" match.
pub fn fold(text: &str) -> Vec<char> {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// [`fold`] as a string: the key two spellings of one name share ("养老 服务", "养老服务").
pub fn folded(text: &str) -> String {
    fold(text).into_iter().collect()
}

/// The terms a text is indexed under: every character and every pair of adjacent characters.
pub fn index_terms(text: &str) -> std::collections::BTreeSet<String> {
    let chars = fold(text);
    let mut terms: std::collections::BTreeSet<String> = chars.iter().map(|c| c.to_string()).collect();
    terms.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
    terms
}

/// The terms a query needs: its pairs of adjacent characters (or its single character).
/// Matching all of them narrows candidates through the index; a substring check confirms.
pub fn query_terms(query: &str) -> Vec<String> {
    let chars = fold(query);
    match chars.len() {
        0 => vec![],
        1 => vec![chars[0].to_string()],
        _ => {
            let mut terms: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
            terms.sort();
            terms.dedup();
            terms.truncate(32);
            terms
        }
    }
}

/// Characters that change how text is shown without being seen: zero-width spaces and
/// joiners, bidirectional overrides and isolates (which can make a name or comment read
/// differently from what it is), the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Text people wrote, without the invisible characters above (removed, not refused: a
/// comment pasted from a word processor often carries them by accident).
pub fn without_invisible(text: &str) -> String {
    text.chars().filter(|c| !invisible(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(without_invisible("张\u{200B}三\u{202E}cba\u{2066}x\u{FEFF}"), "张三cbax");
        assert_eq!(without_invisible("第三条（一）: 100%"), "第三条（一）: 100%");
    }

    #[test]
    fn search_terms_find_two_character_words_anywhere() {
        let terms = index_terms("示范区养老服务设施建设管理办法");
        for q in ["养老", "设施", "管理办法", "示", "ＡＢ"] {
            let needed = query_terms(q);
            let found = needed.iter().all(|t| terms.contains(t));
            assert_eq!(found, q != "ＡＢ", "{q}");
        }
        assert_eq!(query_terms("养老 服务，"), ["养老", "服务", "老服"].map(String::from));
        assert_eq!(fold("Ｗｅｎｊｉ 问计"), "wenji问计".chars().collect::<Vec<_>>());
        assert!(query_terms(" ，。").is_empty());
    }
}
