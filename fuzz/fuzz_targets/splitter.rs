//! `splitter::split` on arbitrary text: never panics, and what it returns is a well-formed
//! outline that loses no text; `parse_chinese_number` accepts only canonical numerals.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use wenji_fuzz::splitter::{
    MAX_CHARS, MAX_SECTIONS, ParsedSection, SectionKind, SplitError, parse_chinese_number, split,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = split(&text);
    match &result {
        Ok(sections) => check_sections(&text, sections),
        Err(e) => check_error(&text, e),
    }

    // Line endings, a leading byte-order mark and trailing blank lines change nothing, not even
    // the line an error points at.
    if !text.contains('\r') && text.chars().count() + 8 < MAX_CHARS {
        assert_eq!(split(&text.replace('\n', "\r\n")), result, "CRLF changed the result");
        assert_eq!(split(&format!("{text}\n \u{3000}\n\t")), result, "trailing blank lines changed the result");
        if !text.starts_with('\u{feff}') {
            assert_eq!(split(&format!("\u{feff}{text}")), result, "a byte-order mark changed the result");
        }
    }

    check_number(&text);
    for token in text.split(|c: char| !(c.is_ascii_digit() || is_chinese_numeral(c) || is_full_width_digit(c))) {
        check_number(token);
    }
    // Every number the tests render must come back, in all three spellings.
    if data.len() >= 4 {
        let n = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        check_renderings(n);
        check_renderings(n % 10_000);
    }
});

fn check_sections(text: &str, s: &[ParsedSection]) {
    assert!(!s.is_empty() && s.len() <= MAX_SECTIONS, "{} sections", s.len());
    let mut keys = HashSet::new();
    for (i, x) in s.iter().enumerate() {
        assert!(keys.insert(x.key.as_str()), "duplicate key {:?}", x.key);
        assert_eq!(x.heading.trim(), x.heading, "untrimmed heading {x:?}");
        // Text is made of trimmed, non-empty lines.
        assert!(x.text.is_empty() || x.text.split('\n').all(|l| !l.is_empty() && l.trim() == l), "text {x:?}");
        if x.kind == SectionKind::Preamble {
            assert_eq!(i, 0, "a preamble only comes first");
            assert!(x.number.is_none() && x.label.is_empty() && x.parent.is_none() && x.key == "preamble", "{x:?}");
            assert!(!x.text.is_empty() && x.heading.is_empty(), "{x:?}");
            continue;
        }
        let n = x.number.expect("a numbered section has a number");
        assert!(n >= 1, "{x:?}");
        assert!(!x.label.is_empty() && !x.label.contains(char::is_whitespace), "label {x:?}");
        // The parent is the nearest earlier section of a lower rank (a preamble is nobody's parent).
        let nearest = (0..i).rev().find(|&p| s[p].kind != SectionKind::Preamble && s[p].kind.rank() < x.kind.rank());
        assert_eq!(x.parent, nearest, "parent of {x:?}");
        match x.parent {
            Some(p) => {
                assert!(p < i, "parent {p} of {i} comes later");
                let parent = &s[p];
                assert_ne!(parent.kind, SectionKind::Preamble, "a preamble is a parent: {x:?}");
                assert!(parent.kind.rank() < x.kind.rank(), "{:?} under {:?}", x.kind, parent.kind);
                assert_eq!(x.key, format!("{}/{}", parent.key, x.label));
            }
            None => assert_eq!(x.key, x.label),
        }
        // A chapter or part has a heading (the rest of its line) and possibly text (the lines
        // after it); other sections only text.
        if !matches!(x.kind, SectionKind::Chapter | SectionKind::Part) {
            assert!(x.heading.is_empty(), "{x:?}");
            // Empty sections are refused unless they have children.
            assert!(!x.text.is_empty() || s.iter().any(|c| c.parent == Some(i)), "empty section {x:?}");
        }
    }

    // Chapters and articles are numbered 1, 2, 3… through the document; everything else restarts
    // under each parent.
    let numbers = |pred: &dyn Fn(&ParsedSection) -> bool| {
        s.iter().filter(|x| pred(x)).map(|x| x.number.unwrap()).collect::<Vec<_>>()
    };
    let consecutive = |v: Vec<u32>| assert!(v.iter().enumerate().all(|(i, &n)| n as usize == i + 1), "numbering {v:?}");
    consecutive(numbers(&|x| x.kind == SectionKind::Chapter));
    consecutive(numbers(&|x| x.kind == SectionKind::Article));
    for parent in std::iter::once(None).chain((0..s.len()).map(Some)) {
        for kind in [SectionKind::Part, SectionKind::Item, SectionKind::SubItem, SectionKind::Point] {
            consecutive(numbers(&|x| x.kind == kind && x.parent == parent));
        }
        // Siblings are all of one kind: a chapter or part among other sections, an article after
        // loose （一） entries, a （一） after 1. points are all refused.
        let kinds: HashSet<SectionKind> =
            s.iter().filter(|x| x.parent == parent && x.kind != SectionKind::Preamble).map(|x| x.kind).collect();
        assert!(kinds.len() <= 1, "siblings of several kinds under {parent:?}: {kinds:?}");
    }
    let has = |k| s.iter().any(|x| x.kind == k);
    assert!(!(has(SectionKind::Article) && has(SectionKind::Item)), "articles and items mixed");

    // Nothing is lost or reordered: only whitespace (and a leading byte-order mark) goes.
    let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let input = visible(text.strip_prefix('\u{feff}').unwrap_or(text));
    let output: String = s.iter().map(|x| visible(&format!("{}{}{}", x.label, x.heading, x.text))).collect();
    assert_eq!(output, input, "the sections do not add up to the text");
}

fn check_error(text: &str, e: &SplitError) {
    const WHOLE: [&str; 4] = ["empty", "no_structure", "too_long", "too_many_sections"];
    const AT_LINE: [&str; 6] =
        ["bad_number", "numbering_start", "numbering_gap", "numbering_repeat", "mixed_structure", "empty_section"];
    assert!(WHOLE.contains(&e.code) || AT_LINE.contains(&e.code), "unknown code {e:?}");
    assert!(!e.zh.contains('{') && !e.en.contains('{'), "unfilled message {e:?}");
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalised = body.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalised.split('\n').collect();
    if WHOLE.contains(&e.code) {
        assert_eq!(e.line, 0, "{e:?}");
        assert!(!e.zh.starts_with("第0行"), "{e:?}");
        assert!(e.code == "too_long" || (e.code == "empty") == body.chars().all(char::is_whitespace), "{e:?}");
    } else {
        // The line named is a real, non-blank line of the text, and the message says which.
        assert!(e.line >= 1 && e.line <= lines.len(), "{e:?} for {} lines", lines.len());
        assert!(!lines[e.line - 1].trim().is_empty(), "{e:?} names a blank line");
        assert!(e.zh.starts_with(&format!("第{}行：", e.line)) && e.en.starts_with(&format!("Line {}: ", e.line)));
    }
}

fn is_chinese_numeral(c: char) -> bool {
    "一二三四五六七八九两〇零十百千".contains(c)
}

fn is_full_width_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// An accepted numeral is the canonical spelling of its value, up to 两 for 二, 〇 for 零 and a
/// leading 一十 for 十; digit strings are plain decimal, leading zeros allowed.
fn check_number(s: &str) {
    let Some(n) = parse_chinese_number(s) else { return };
    if s.chars().all(|c| c.is_ascii_digit() || is_full_width_digit(c)) {
        let ascii: String = s
            .chars()
            .map(|c| if is_full_width_digit(c) { char::from_u32(c as u32 - 0xFEE0).unwrap() } else { c })
            .collect();
        let trimmed = ascii.trim_start_matches('0');
        assert_eq!(if trimmed.is_empty() { "0" } else { trimmed }, n.to_string(), "{s:?}");
        return;
    }
    assert!(s.chars().all(is_chinese_numeral), "{s:?} parsed as {n}");
    let mut canonical = s.replace('两', "二").replace('〇', "零");
    if canonical.starts_with("一十") {
        canonical.remove(0);
    }
    assert_eq!(canonical, render(n), "{s:?} parsed as {n}");
}

fn check_renderings(n: u32) {
    assert_eq!(parse_chinese_number(&n.to_string()), Some(n));
    assert_eq!(parse_chinese_number(&format!("00{n}")), Some(n));
    let full: String = n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
    assert_eq!(parse_chinese_number(&full), Some(n), "{full}");
    if n < 10_000 {
        assert_eq!(parse_chinese_number(&render(n)), Some(n), "{}", render(n));
    }
}

/// 0..=9999 as legal texts write it: 十一 (not 一十一), 一百零五, 一千零一十.
fn render(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return "零".into();
    }
    let places = [(n / 1000, "千"), (n / 100 % 10, "百"), (n / 10 % 10, "十"), (n % 10, "")];
    let mut out = String::new();
    let (mut started, mut gap) = (false, false);
    for (d, unit) in places {
        if d == 0 {
            gap |= started;
            continue;
        }
        if std::mem::take(&mut gap) {
            out.push('零');
        }
        if !(unit == "十" && d == 1 && !started) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(unit);
        started = true;
    }
    out
}
