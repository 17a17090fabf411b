//! The frame every page shares (header with the search box, navigation,
//! stylesheet and script) and the pieces pages are built of: escaped text,
//! links to documents and entities, sections, tables. A new page is a
//! function that fills sections with these and hands them to [`page`].

use std::fmt::Write;

use crate::serve::{HttpResponse, Status};

/// Text made safe for HTML, in element content and in quoted attributes
/// alike. Everything read from documents goes through here.
pub fn esc(s: &str) -> String {
    crate::analysis::export::xml_text(s)
}

/// Percent-encodes a path, keeping `/` and unreserved ASCII characters.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes of a URL path (invalid UTF-8 is replaced).
pub fn decode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A query-string value, encoded.
pub fn encode_query(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

pub fn doc_href(id: &str) -> String {
    format!("/doc/{}", encode_path(id))
}

pub fn entity_href(id: &str) -> String {
    format!("/entity/{}", encode_path(id))
}

/// `<a href="…">text</a>`, both escaped.
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

/// A page section with a heading; `content` is markup.
pub fn section(id: &str, heading: &str, content: &str) -> String {
    format!("<section id=\"{}\"><h2>{}</h2>\n{content}\n</section>\n", esc(id), esc(heading))
}

/// A table whose rows are markup; a click on a heading sorts it (workbench.js).
pub fn table(headings: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table class=\"sortable\"><thead><tr>");
    for h in headings {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>");
    out
}

/// A list of label–value pairs (values are markup), the empty ones left out.
pub fn facts(pairs: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"facts\">");
    for (label, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        let _ = write!(out, "<dt>{}</dt><dd>{value}</dd>", esc(label));
    }
    out.push_str("</dl>");
    out
}

/// "showing 100 of 2,345" when a list was cut short.
pub fn shown_of(shown: usize, total: usize) -> String {
    if shown < total {
        format!("<p class=\"note\">Showing {shown} of {total}.</p>")
    } else {
        String::new()
    }
}

/// The whole page: `body` is markup, `search` fills the search box.
pub fn page(status: Status, title: &str, search: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · diplograph</title><link rel=\"stylesheet\" href=\"/assets/workbench.css\"><script src=\"/assets/workbench.js\" defer></script></head>\n\
         <body><header><a class=\"brand\" href=\"/\">diplograph</a>\
         <form class=\"search\" action=\"/search\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" value=\"{search}\" \
         placeholder=\"Documents and entities: any name, English label or Wikidata id\" aria-label=\"search\"><button>Search</button></form>\
         <nav><a href=\"/query\">SPARQL</a></nav></header>\n<main><h1>{title}</h1>\n{body}</main></body></html>\n",
        title = esc(title),
        search = esc(search),
    );
    HttpResponse { status, content_type: Some("text/html; charset=utf-8".into()), headers: Vec::new(), body: html.into_bytes() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(esc("<script>alert('x')</script> & \"y\""), "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;y&quot;");
    }

    #[test]
    fn paths_round_trip_through_percent_encoding() {
        for id in ["party/中华人民共和国", "org/a b&c?d#e", "treaty/《x》%"] {
            let encoded = encode_path(id);
            assert!(encoded.is_ascii() && !encoded.contains(['?', '#', ' ', '&']), "{encoded}");
            assert_eq!(decode_path(&encoded), id);
        }
        assert_eq!(decode_path("%zz%4"), "%zz%4");
    }
}
