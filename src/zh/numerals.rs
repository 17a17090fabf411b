//! Chinese and full-width numerals.

/// Value of one digit character: ASCII, full-width, or Chinese (〇/零 through 九).
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '零' | 'Ｏ' | 'О' | 'o' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Parses a number written with digits (2024, 二〇二四, ２０２４) or with the
/// Chinese positional words (十二, 二十四, 一百零五, 三十一). Returns `None`
/// for anything else.
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| digit_value(c).is_some() && c != '两') {
        return s.chars().try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(digit_value(c)?));
    }
    // Positional: 千 百 十 with optional 零 placeholders.
    let mut total = 0u32;
    let mut current = 0u32;
    let mut seen_any = false;
    for c in s.chars() {
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                let n = if current == 0 { 1 } else { current };
                total += n * unit;
                current = 0;
                seen_any = true;
            }
            _ => {
                current = digit_value(c)?;
                seen_any = true;
            }
        }
    }
    seen_any.then_some(total + current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_every_script() {
        assert_eq!(parse_number("2024"), Some(2024));
        assert_eq!(parse_number("二〇二四"), Some(2024));
        assert_eq!(parse_number("二零一九"), Some(2019));
        assert_eq!(parse_number("２０２３"), Some(2023));
    }

    #[test]
    fn positional_numbers() {
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("二十四"), Some(24));
        assert_eq!(parse_number("三十一"), Some(31));
        assert_eq!(parse_number("一百零五"), Some(105));
        assert_eq!(parse_number("七"), Some(7));
    }

    #[test]
    fn rejects_other_text() {
        assert_eq!(parse_number("年"), None);
        assert_eq!(parse_number(""), None);
    }
}
