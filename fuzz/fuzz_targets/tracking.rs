//! `codes::parse_tracking_number` on arbitrary text, and on numbers built from the input: what it
//! accepts is canonical and reads back as itself, it accepts a number exactly when its check
//! symbol is right, and it catches any one wrong symbol or swap of two adjacent ones.
//! `normalise_code` is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wenji_fuzz::codes::{CROCKFORD, normalise_code, one_time_code, parse_tracking_number, tracking_number};

/// Crockford's check symbols: the 32 symbols, then `*~$=U` (value mod 37). A reference for the
/// private `codes::CHECK`.
const CHECK: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

fn check_symbol(body: &[u8]) -> u8 {
    let value = body.iter().fold(0u64, |v, c| v * 32 + CROCKFORD.iter().position(|x| x == c).unwrap() as u64);
    CHECK[(value % 37) as usize]
}

/// `WJ-dddd-XXXX-XXXY`: four digits, seven Crockford symbols, a check symbol that matches.
fn assert_canonical(t: &str) {
    let b = t.as_bytes();
    assert!(b.len() == 17 && t.starts_with("WJ-") && b[7] == b'-' && b[12] == b'-', "{t:?}");
    assert!(b[3..7].iter().all(u8::is_ascii_digit), "{t:?}");
    let body: Vec<u8> = b[8..12].iter().chain(&b[13..16]).copied().collect();
    assert!(body.iter().all(|c| CROCKFORD.contains(c)), "{t:?}");
    assert_eq!(check_symbol(&body), b[16], "{t:?}");
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    if let Some(t) = parse_tracking_number(&raw) {
        assert_canonical(&t);
        assert_eq!(parse_tracking_number(&t).as_deref(), Some(t.as_str()), "from {raw:?}");
        assert_reads_as_typed(&t, data);
    }
    let n = normalise_code(&raw);
    assert_eq!(normalise_code(&n), n, "from {raw:?}");
    assert!(n.bytes().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() && !b"OIL".contains(&c)), "{n:?}");

    if data.len() < 13 {
        return;
    }
    // A number built from the input: year, seven symbols, and a check symbol that may be wrong.
    let year = 1000 + u16::from_le_bytes([data[0], data[1]]) % 9000;
    let body: Vec<u8> = data[2..9].iter().map(|&x| CROCKFORD[x as usize % 32]).collect();
    let right = check_symbol(&body);
    let given = CHECK[data[9] as usize % 37];
    let s = |body: &[u8], check: u8| format!("WJ-{year}-{}-{}{}", bytes(&body[..4]), bytes(&body[4..]), check as char);
    let number = s(&body, given);
    let parsed = parse_tracking_number(&number);
    assert_eq!(parsed.is_some(), given == right, "{number:?} gives {parsed:?}, the check symbol is {}", right as char);
    let valid = s(&body, right);
    assert_reads_as_typed(&valid, &data[..13]);
    assert_single_errors_caught(&valid, data[10], data[11]);

    // An issued number (random body) reads back, in any spelling, and catches the same errors.
    let year = i32::from(u16::from_le_bytes([data[0], data[1]])) - 2000;
    let t = tracking_number(year);
    let four_digits = (1000..=9999).contains(&year);
    assert_eq!(parse_tracking_number(&t).as_deref() == Some(t.as_str()), four_digits, "issued for {year}: {t:?}");
    if four_digits {
        assert_canonical(&t);
        assert_reads_as_typed(&t, &data[..13]);
        // An issued number avoids the check symbols that are awkward to read aloud.
        assert!(CROCKFORD.contains(&t.as_bytes()[16]), "{t:?}");
        assert_single_errors_caught(&t, data[10], data[11]);
    }

    let groups = data[12] as usize % 8;
    let code = one_time_code(groups);
    assert_eq!(code.len(), (groups * 6).saturating_sub(1), "{code:?}");
    let typed = code.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
    assert_eq!(normalise_code(&typed), code.replace('-', ""), "{code:?} typed as {typed:?}");
});

/// `t` as someone might type it, varied by `seed`: lower case, spaces or nothing for the dashes,
/// O for 0, I or L for 1, surrounding spaces. It reads back as `t`.
fn assert_reads_as_typed(t: &str, seed: &[u8]) {
    assert_eq!(parse_tracking_number(t).as_deref(), Some(t), "a valid number is refused");
    let mut bits = seed.iter().flat_map(|b| (0..8).map(move |i| b >> i & 1 == 1)).cycle();
    let mut bit = || bits.next().unwrap_or(false);
    let mut typed = String::from(if bit() { " " } else { "" });
    for c in t.chars() {
        match (c, bit(), bit()) {
            ('-', true, _) => typed.push(' '),
            ('-', false, true) => {}
            ('0', true, lower) => typed.push(if lower { 'o' } else { 'O' }),
            ('1', true, lower) => typed.push(match (lower, bit()) {
                (true, true) => 'l',
                (true, false) => 'i',
                (false, true) => 'L',
                (false, false) => 'I',
            }),
            (c, true, _) => typed.push(c.to_ascii_lowercase()),
            (c, ..) => typed.push(c),
        }
    }
    assert_eq!(parse_tracking_number(&typed).as_deref(), Some(t), "{t:?} typed as {typed:?}");
}

fn bytes(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap()
}

/// Replacing the code symbol at `at` (of eight: seven body symbols and the check) by another
/// Crockford symbol, or swapping two different adjacent code symbols, makes the number invalid.
fn assert_single_errors_caught(t: &str, at: u8, with: u8) {
    let positions = [8, 9, 10, 11, 13, 14, 15, 16];
    let mut wrong = t.as_bytes().to_vec();
    let (k, c) = (positions[at as usize % 8], CROCKFORD[with as usize % 32]);
    if wrong[k] != c {
        wrong[k] = c;
        let wrong = bytes(&wrong);
        assert_eq!(parse_tracking_number(wrong), None, "{wrong:?} passes for {t:?}");
    }
    let mut swapped = t.as_bytes().to_vec();
    let (k, l) = (positions[at as usize % 7], positions[at as usize % 7 + 1]);
    if swapped[k] != swapped[l] {
        swapped.swap(k, l);
        let swapped = bytes(&swapped);
        assert_eq!(parse_tracking_number(swapped), None, "{swapped:?} passes for {t:?}");
    }
}
