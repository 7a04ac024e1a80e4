//! Codes people read aloud, copy by hand or type on a phone: tracking numbers with a check
//! symbol, and one-time codes. Pure functions (no database, no HTTP): the fuzz targets in
//! `fuzz/` compile this file on its own.

use rand::Rng;

/// Crockford's base32: no I, L, O or U, so it survives being read aloud or copied by hand.
pub const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Crockford's check symbols (value mod 37).
const CHECK: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

fn check_symbol(chars: &[u8]) -> Option<u8> {
    let mut value: u64 = 0;
    for c in chars {
        value = value * 32 + CROCKFORD.iter().position(|x| x == c)? as u64;
    }
    Some(CHECK[(value % 37) as usize])
}

/// A tracking number like `WJ-2026-7K3M-9QX5`: year, seven random symbols, one check symbol.
/// Crockford's check (value mod 37) catches every single wrong or swapped symbol; its five
/// extra symbols (`*~$=U`) are awkward to read aloud or type on a phone, so bodies whose check
/// would need one are drawn again (about one in seven).
pub fn tracking_number(year: i32) -> String {
    let mut rng = rand::thread_rng();
    loop {
        let body: Vec<u8> = (0..7).map(|_| CROCKFORD[rng.gen_range(0..32)]).collect();
        let check = check_symbol(&body).unwrap_or(b'*');
        if !CROCKFORD.contains(&check) {
            continue;
        }
        let s = String::from_utf8_lossy(&body);
        return format!("WJ-{year}-{}-{}{}", &s[..4], &s[4..], check as char);
    }
}

/// Reads a tracking number as people type it (lower case, spaces, O for 0, I/L for 1),
/// answering the canonical form when its check symbol is right.
pub fn parse_tracking_number(raw: &str) -> Option<String> {
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "*~$=".contains(*c))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    let rest = cleaned.strip_prefix("WJ")?;
    if rest.len() != 12 {
        return None;
    }
    let (year, code) = rest.split_at(4);
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (body, check) = code.as_bytes().split_at(7);
    if check_symbol(body)? != check[0] {
        return None;
    }
    let body = std::str::from_utf8(body).ok()?;
    Some(format!("WJ-{year}-{}-{}{}", &body[..4], &body[4..], check[0] as char))
}

/// A random one-time code of `groups` groups of five Crockford symbols (25 bits a group),
/// e.g. `7K3M9-QX5AB-…`: read aloud or typed from paper without confusion.
pub fn one_time_code(groups: usize) -> String {
    use rand::RngCore;
    let mut rng = rand::rngs::OsRng;
    (0..groups)
        .map(|_| (0..5).map(|_| CROCKFORD[(rng.next_u32() % 32) as usize] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as people type it: upper case, without spaces or dashes, O read as 0, I/L as 1.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_check_themselves() {
        for _ in 0..2000 {
            let t = tracking_number(2026);
            assert_eq!(t.len(), 17, "{t}");
            // Only Crockford's 32 symbols: readable aloud, typeable on a phone keypad.
            assert!(t[8..].chars().all(|c| c == '-' || (CROCKFORD.contains(&(c as u8)))), "{t}");
            assert!(t.starts_with("WJ-2026-"));
            assert_eq!(parse_tracking_number(&t).as_deref(), Some(t.as_str()));
            assert_eq!(parse_tracking_number(&t.to_lowercase().replace('-', " ")).as_deref(), Some(t.as_str()));
            // One wrong symbol is caught.
            let mut wrong: Vec<char> = t.chars().collect();
            wrong[9] = if wrong[9] == '7' { '8' } else { '7' };
            let wrong: String = wrong.into_iter().collect();
            assert_ne!(parse_tracking_number(&wrong).as_deref(), Some(t.as_str()));
        }
        assert_eq!(parse_tracking_number("WJ-2026-0000-0000").as_deref(), Some("WJ-2026-0000-0000"));
        assert_eq!(parse_tracking_number("wj 2026 oooo ooo0").as_deref(), Some("WJ-2026-0000-0000"));
        assert_eq!(parse_tracking_number("nonsense"), None);
    }

    #[test]
    fn one_time_codes() {
        let code = one_time_code(4);
        assert_eq!(code.len(), 23);
        assert_ne!(code, one_time_code(4));
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), code.replace('-', ""));
        assert_eq!(normalise_code("o1l-i"), "0111");
    }
}
