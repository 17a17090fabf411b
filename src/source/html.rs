//! HTML to text, keeping each character's source offset.
//!
//! A DOM parser would lose the source positions the rest of the pipeline
//! reports, so this is a small tag scanner: block-level tags become paragraph
//! breaks, `script`/`style`/`head` content is dropped, and character references
//! are decoded with `html-escape`.

use super::mapped::{MappedBuilder, MappedText};

/// Tags that start a new line of text.
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "title", "center",
];
/// Tags whose content is not text of the page.
const SKIPPED_TAGS: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object"];

/// Whether `text` looks like HTML (a saved page or a fragment of tagged paragraphs).
pub fn looks_like_html(text: &str) -> bool {
    let head_bytes = &text.as_bytes()[..text.len().min(4096)];
    if !head_bytes.contains(&b'<') {
        return false;
    }
    let head: String = text.chars().take(2048).collect::<String>().to_ascii_lowercase();
    if head.trim_start().starts_with("<!doctype html") || head.contains("<html") {
        return true;
    }
    let tags = ["<p", "<div", "<br", "<span", "<td", "<table", "<font"]
        .iter()
        .map(|t| head.matches(t).count())
        .sum::<usize>();
    tags >= 2
}

/// Converts HTML source into text. Offsets are code points of `html`.
pub fn html_to_text(html: &str) -> MappedText {
    let chars: Vec<char> = html.chars().collect();
    let mut out = MappedBuilder::with_capacity(html.len() / 2);
    let mut i = 0usize;
    let mut in_head = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            if let Some(tag) = parse_tag(&chars, i) {
                let name = tag.name.as_str();
                if tag.is_comment {
                    i = tag.end;
                    continue;
                }
                if name == "head" {
                    in_head = !tag.closing;
                } else if !tag.closing && SKIPPED_TAGS.contains(&name) {
                    i = skip_element(&chars, tag.end, name);
                    continue;
                } else if BLOCK_TAGS.contains(&name) {
                    out.push('\n', i as u32, i as u32 + 1);
                }
                i = tag.end;
                continue;
            }
        }
        if in_head {
            i += 1;
            continue;
        }
        if c == '&' {
            if let Some((decoded, end)) = parse_entity(&chars, i) {
                for d in decoded.chars() {
                    out.push(d, i as u32, end as u32);
                }
                i = end;
                continue;
            }
        }
        out.push(c, i as u32, i as u32 + 1);
        i += 1;
    }
    out.finish(chars.len() as u32)
}

struct Tag {
    name: String,
    closing: bool,
    is_comment: bool,
    end: usize,
}

fn parse_tag(chars: &[char], start: usize) -> Option<Tag> {
    let rest = &chars[start + 1..];
    if rest.starts_with(&['!', '-', '-']) {
        let end = find_seq(chars, start + 4, &['-', '-', '>']).map(|e| e + 3).unwrap_or(chars.len());
        return Some(Tag { name: String::new(), closing: false, is_comment: true, end });
    }
    let mut j = start + 1;
    let closing = chars.get(j) == Some(&'/');
    if closing {
        j += 1;
    }
    let name_start = j;
    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '!' || chars[j] == '?') {
        j += 1;
    }
    if j == name_start {
        return None; // a bare '<' in text
    }
    let name: String = chars[name_start..j].iter().collect::<String>().to_ascii_lowercase();
    // Find the closing '>' outside quotes.
    let mut quote: Option<char> = None;
    while j < chars.len() {
        match (quote, chars[j]) {
            (None, '>') => break,
            (None, q @ ('"' | '\'')) => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        j += 1;
    }
    Some(Tag { name: name.trim_start_matches(['!', '?']).to_owned(), closing, is_comment: false, end: (j + 1).min(chars.len()) })
}

fn skip_element(chars: &[char], from: usize, name: &str) -> usize {
    let close: Vec<char> = format!("</{name}").chars().collect();
    let mut j = from;
    while j + close.len() <= chars.len() {
        if chars[j..j + close.len()].iter().zip(&close).all(|(a, b)| a.to_ascii_lowercase() == *b) {
            return parse_tag(chars, j).map(|t| t.end).unwrap_or(chars.len());
        }
        j += 1;
    }
    chars.len()
}

fn find_seq(chars: &[char], from: usize, seq: &[char]) -> Option<usize> {
    (from..chars.len().saturating_sub(seq.len() - 1)).find(|&j| chars[j..].starts_with(seq))
}

/// Decodes one character reference (`&nbsp;`, `&#20013;`, `&#x4e2d;`) at `start`.
fn parse_entity(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut j = start + 1;
    while j < chars.len() && j - start <= 32 && (chars[j].is_ascii_alphanumeric() || chars[j] == '#') {
        j += 1;
    }
    if chars.get(j) != Some(&';') || j == start + 1 {
        return None;
    }
    let raw: String = chars[start..=j].iter().collect();
    let decoded = html_escape::decode_html_entities(&raw);
    if decoded == raw {
        return None;
    }
    // A no-break space is layout, like a plain space.
    Some((decoded.replace('\u{a0}', " "), j + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_entities_and_offsets() {
        let html = "<P style=\"x\">双方&nbsp;同意</P><p>中&amp;哈</p>";
        let m = html_to_text(html);
        let lines: Vec<&str> = m.as_str().lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["双方 同意", "中&哈"]);
        let at = m.as_str().find('&').unwrap();
        let (s, e) = m.source_range(at, at + 1);
        assert_eq!(&html.chars().collect::<Vec<_>>()[s as usize..e as usize].iter().collect::<String>(), "&amp;");
        let at = m.as_str().find("同意").unwrap();
        let (s, e) = m.source_range(at, at + "同意".len());
        assert_eq!(html.chars().skip(s as usize).take((e - s) as usize).collect::<String>(), "同意");
    }

    #[test]
    fn scripts_styles_and_head_are_dropped() {
        let html = "<html><head><title>t</title><style>p{}</style></head><body><script>var a='<p>';</script><div>正文</div></body></html>";
        assert_eq!(html_to_text(html).as_str().trim(), "正文");
    }

    #[test]
    fn detects_fragments_and_pages() {
        assert!(looks_like_html("<!DOCTYPE html><html>"));
        assert!(looks_like_html("<P style=\"a\">一</P><P>二</P>"));
        assert!(!looks_like_html("双方认为，a<b 时"));
    }
}
