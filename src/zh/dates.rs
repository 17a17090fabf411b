//! Temporal expressions in Chinese text and their normalized values.
//!
//! Normalized values follow the gold schema: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`
//! or an interval `A/B`. Expressions that need a reference year (7月3日, 今年4月,
//! 建交32年来) are resolved against the year passed in, usually the document's.

use regex::{Captures, Regex};
use std::sync::LazyLock;

use super::numerals::parse_number;

/// What shape of expression a date mention has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateForm {
    /// Year, month and/or day written out (2024年7月3日, 二〇二四年七月三日).
    Absolute,
    /// A range (2024年至2025年, 2024年7月2日至4日, 2026—2027年).
    Range,
    /// Month and day without a year (7月3日).
    MonthDay,
    /// Relative to the reference year (今年4月, 明年, 去年).
    Relative,
    /// A span up to the reference year (建交32年来).
    SpanSince,
    /// An anniversary in the reference year (成立75周年).
    Anniversary,
    /// ISO form as in web page stamps (2019-09-12).
    Iso,
}

/// One date expression found in text. Offsets are byte offsets of the text searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    pub start: usize,
    pub end: usize,
    pub form: DateForm,
    /// Normalized value, or `None` when it needs a reference year that is unknown.
    pub value: Option<String>,
}

const Y: &str = r"(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4})";
const M: &str = r"(?:1[0-2]|0?[1-9]|１[０-２]|０?[１-９]|十[一二]?|[一二三四五六七八九])";
const D: &str = r"(?:3[01]|[12][0-9]|0?[1-9]|[１２３][０-９]|０?[１-９]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])";
const SEP: &str = r"(?:至|到|—|―|–|－|-|~|～)";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let full = format!(
        r"(?P<y1>{Y})年(?:(?P<m1>{M})月(?:(?P<d1>{D})日)?)?(?:{SEP}(?:(?P<y2>{Y})年(?:(?P<m2>{M})月(?:(?P<d2>{D})日)?)?|(?P<m3>{M})月(?:(?P<d3>{D})日)?|(?P<d4>{D})日))?"
    );
    let year_range = format!(r"(?P<ya>{Y}){SEP}(?P<yb>{Y})年?");
    let iso = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})";
    let relative = format!(r"(?P<rel>今年|明年|去年|前年|后年|同年)(?:(?P<rm>{M})月(?:(?P<rd>{D})日)?)?");
    let span = r"(?P<base>建交|独立|成立|建立外交关系|建立战略伙伴关系)(?P<n>[0-9]{1,3}|[一二三四五六七八九十百零]{1,4})(?P<unit>年来|周年)";
    let month_day = format!(r"(?P<mm>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?P<dd>{D})日(?:{SEP}(?P<dd2>{D})日)?");
    // The turn of two months: 2026年4月底5月初.
    let turn = format!(r"(?P<ty>{Y})年(?P<tm1>{M})月[底末](?P<tm2>{M})月初");
    // A month alone (5月中巴政党论坛): the document's year.
    let month = r"(?P<bm>1[0-2]|[1-9])月";
    // A year without 年 at the head of a name (2026减贫与发展高层论坛).
    let bare_year = r"(?P<by>(?:19|20)[0-9]{2})";
    Regex::new(&format!("{year_range}|{turn}|{full}|{iso}|{relative}|{span}|{month_day}|{month}|{bare_year}")).unwrap()
});

/// Finds every date expression in `text`; `reference_year` resolves the relative ones.
pub fn find_dates(text: &str, reference_year: Option<i32>) -> Vec<DateMatch> {
    DATE.captures_iter(text).filter_map(|c| interpret(&c, reference_year, text)).collect()
}

fn num(c: &Captures, name: &str) -> Option<u32> {
    c.name(name).and_then(|m| parse_number(m.as_str()))
}

fn interpret(c: &Captures, year: Option<i32>, text: &str) -> Option<DateMatch> {
    let whole = c.get(0)?;
    let (start, mut end) = (whole.start(), whole.end());
    let (form, value) = if let (Some(a), Some(b)) = (num(c, "ya"), num(c, "yb")) {
        (DateForm::Range, Some(format!("{a:04}/{b:04}")))
    } else if let Some(y) = num(c, "ty") {
        let (a, b) = (Ymd { y: y as i32, m: num(c, "tm1"), d: None }, Ymd { y: y as i32, m: num(c, "tm2"), d: None });
        (DateForm::Range, (a.valid() && b.valid()).then(|| format!("{}/{}", a.render(), b.render())))
    } else if let Some(y1) = num(c, "y1") {
        let first = Ymd { y: y1 as i32, m: num(c, "m1"), d: num(c, "d1") };
        let second = if let Some(y2) = num(c, "y2") {
            Some(Ymd { y: y2 as i32, m: num(c, "m2"), d: num(c, "d2") })
        } else if let Some(m3) = num(c, "m3") {
            Some(Ymd { y: first.y, m: Some(m3), d: num(c, "d3") })
        } else {
            num(c, "d4").map(|d4| Ymd { y: first.y, m: first.m, d: Some(d4) })
        };
        match second {
            Some(second) if first.valid() && second.valid() => {
                (DateForm::Range, Some(format!("{}/{}", first.render(), second.render())))
            }
            _ => {
                // No usable second half: the expression ends with the first date.
                end = start + first_date_len(whole.as_str());
                (DateForm::Absolute, first.valid().then(|| first.render()))
            }
        }
    } else if let Some(iy) = num(c, "iy") {
        let d = Ymd { y: iy as i32, m: num(c, "im"), d: num(c, "id") };
        (DateForm::Iso, d.valid().then(|| d.render()))
    } else if let Some(rel) = c.name("rel") {
        let offset = match rel.as_str() {
            "明年" => 1,
            "去年" => -1,
            "前年" => -2,
            "后年" => 2,
            _ => 0,
        };
        let value = year.map(|y| Ymd { y: y + offset, m: num(c, "rm"), d: num(c, "rd") }).filter(Ymd::valid).map(|d| d.render());
        (DateForm::Relative, value)
    } else if let Some(n) = num(c, "n") {
        let since = c.name("unit").map(|u| u.as_str()) == Some("年来");
        if since {
            (DateForm::SpanSince, year.map(|y| format!("{:04}/{:04}", y - n as i32, y)))
        } else {
            (DateForm::Anniversary, year.map(|y| format!("{y:04}")))
        }
    } else if let Some(m) = num(c, "mm") {
        // A bare month-day preceded by a digit belongs to something else (e.g. "12月").
        if text[..start].chars().next_back().is_some_and(|p| p.is_ascii_digit()) {
            return None;
        }
        let first = year.map(|y| Ymd { y, m: Some(m), d: num(c, "dd") });
        let value = match (first, num(c, "dd2")) {
            (Some(f), Some(d2)) if f.valid() => Some(format!("{}/{}", f.render(), Ymd { d: Some(d2), ..f }.render())),
            (Some(f), _) if f.valid() => Some(f.render()),
            _ => None,
        };
        let form = if c.name("dd2").is_some() { DateForm::Range } else { DateForm::MonthDay };
        (form, value)
    } else if let Some(y) = num(c, "by") {
        // Only before a word, and never a count (2000多, 2025项) or part of a longer number.
        let before = text[..start].chars().next_back();
        let after = text[whole.end()..].chars().next();
        let counted = after.is_some_and(|a| "年月日号个名多余万亿元项次届位人家".contains(a));
        if before.is_some_and(|p| p.is_ascii_digit() || p == '.') || !after.is_some_and(crate::zh::is_han) || counted {
            return None;
        }
        (DateForm::Absolute, Some(format!("{y:04}")))
    } else if let Some(m) = num(c, "bm") {
        // Not a month when glued to a number (12月 inside 112月).
        if text[..start].chars().next_back().is_some_and(|p| p.is_ascii_digit()) {
            return None;
        }
        (DateForm::Relative, year.map(|y| Ymd { y, m: Some(m), d: None }).filter(Ymd::valid).map(|d| d.render()))
    } else {
        return None;
    };
    Some(DateMatch { start, end, form, value })
}

/// Byte length of the leading `Y年M月D日` of a matched expression.
fn first_date_len(s: &str) -> usize {
    static FIRST: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^{Y}年(?:{M}月(?:{D}日)?)?")).unwrap());
    FIRST.find(s).map(|m| m.end()).unwrap_or(s.len())
}

#[derive(Debug, Clone, Copy)]
struct Ymd {
    y: i32,
    m: Option<u32>,
    d: Option<u32>,
}

impl Ymd {
    fn valid(&self) -> bool {
        (1000..=2999).contains(&self.y)
            && self.m.is_none_or(|m| (1..=12).contains(&m))
            && self.d.is_none_or(|d| (1..=31).contains(&d) && self.m.is_some())
    }

    fn render(&self) -> String {
        match (self.m, self.d) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.y),
            (Some(m), None) => format!("{:04}-{m:02}", self.y),
            _ => format!("{:04}", self.y),
        }
    }
}

/// Normalizes one whole date expression (`"二〇二四年七月三日"` → `2024-07-03`).
pub fn normalize_date(expr: &str, reference_year: Option<i32>) -> Option<String> {
    let found = find_dates(expr, reference_year);
    match found.as_slice() {
        [one] if one.start == 0 && one.end == expr.len() => one.value.clone(),
        _ => None,
    }
}

/// The year of a normalized value (`2024-07-03` → 2024; intervals give the first year).
pub fn year_of(value: &str) -> Option<i32> {
    value.get(..4)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, year: Option<i32>) -> Vec<(String, Option<String>)> {
        find_dates(text, year).into_iter().map(|d| (text[d.start..d.end].to_owned(), d.value)).collect()
    }

    fn one(text: &str, year: Option<i32>) -> String {
        let v = values(text, year);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v[0].1.clone().unwrap_or_default()
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(one("2002年12月23日签订的", None), "2002-12-23");
        assert_eq!(one("2024年3月建立的", None), "2024-03");
        assert_eq!(one("于2025年在", None), "2025");
        assert_eq!(one("本声明于二〇二四年七月三日在阿斯塔纳签署", None), "2024-07-03");
        assert_eq!(one("二〇二三年五月十八日于西安", None), "2023-05-18");
        assert_eq!(one("二零一九年十二月三十一日", None), "2019-12-31");
        assert_eq!(one("２０２３年５月１７日", None), "2023-05-17");
    }

    #[test]
    fn ranges() {
        assert_eq!(one("于2024年7月2日至4日对", None), "2024-07-02/2024-07-04");
        assert_eq!(one("2019年9月10日至12日", None), "2019-09-10/2019-09-12");
        assert_eq!(one("担任2024年至2025年上海合作组织", None), "2024/2025");
        assert_eq!(one("作为2022年至2024年亚信主席国", None), "2022/2024");
        assert_eq!(one("2026—2027年合作计划", None), "2026/2027");
        // The horizontal bar (U+2015) joins a range too.
        assert_eq!(one("银行联合体理事会2019―2020年轮值主席", None), "2019/2020");
        assert_eq!(one("2023年12月至2024年1月", None), "2023-12/2024-01");
    }

    #[test]
    fn relative_and_partial_dates_use_the_reference_year() {
        assert_eq!(one("今年4月在北京举办", Some(2019)), "2019-04");
        assert_eq!(one("明年将举办", Some(2024)), "2025");
        assert_eq!(one("去年11月", Some(2024)), "2023-11");
        assert_eq!(one("（新华社阿斯塔纳7月3日电）", Some(2024)), "2024-07-03");
        assert_eq!(one("建交32年来", Some(2024)), "1992/2024");
        assert_eq!(one("独立二十八年来", Some(2019)), "1991/2019");
        assert_eq!(one("成立75周年", Some(2024)), "2024");
        // Without a reference year the mention is kept but has no value.
        assert_eq!(values("今年4月", None), vec![("今年4月".to_owned(), None)]);
    }

    #[test]
    fn the_turn_of_two_months_and_a_month_alone() {
        assert_eq!(one("于2019年3月底4月初访问", None), "2019-03/2019-04");
        assert_eq!(one("将于10月举行", Some(2021)), "2021-10");
        assert!(values("为期3个月", Some(2021)).is_empty());
    }

    #[test]
    fn a_year_without_its_character_heads_a_name() {
        assert_eq!(one("成功召开2021亚洲文明论坛", None), "2021");
        assert_eq!(one("“水促进可持续发展”2018—2028十年行动", None), "2018/2028");
        assert!(values("派出2000多名", None).is_empty());
        assert!(values("编号12019号", None).is_empty());
    }

    #[test]
    fn web_stamps() {
        assert_eq!(one("联合声明（全文）2019-09-12[字体", None), "2019-09-12");
    }

    #[test]
    fn non_dates_do_not_match() {
        assert!(values("为期一年的免签政策", Some(2024)).is_empty());
        assert!(values("每年举办的交易会", Some(2024)).is_empty());
        assert!(values("第二十四次会议", Some(2024)).is_empty());
        assert!(values("32年", Some(2024)).is_empty());
        assert!(values("13月45日", Some(2024)).is_empty());
    }

    #[test]
    fn a_dangling_range_separator_is_not_swallowed() {
        assert_eq!(values("2024年-", None), vec![("2024年".to_owned(), Some("2024".to_owned()))]);
    }
}
