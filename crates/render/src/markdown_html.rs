//! Markdown text of the report turned into safe HTML with pulldown-cmark.
//!
//! The text comes from controllers and templates, so nothing in it may reach the page as
//! markup: raw HTML is shown as text, links only keep web, mail and in-page targets, and
//! images become their alt text (the document must not load anything from outside).

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Renders Markdown as an HTML fragment. Headings keep their level (as in the Markdown
/// output) but never rise above `min_heading`, so they stay under the section's heading.
pub(crate) fn to_html(text: &str, min_heading: u8) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(text, options);
    let mut dropped_link = false;
    let events = parser.filter_map(move |event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        // A raw HTML block is shown as a paragraph of text.
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: shift(level, min_heading),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(shift(level, min_heading))))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if safe_url(&dest_url) {
                dropped_link = false;
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped_link = true;
                None
            }
        }
        Event::End(TagEnd::Link) => {
            if dropped_link {
                dropped_link = false;
                None
            } else {
                Some(Event::End(TagEnd::Link))
            }
        }
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: &CowStr<'_>) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

fn shift(level: HeadingLevel, min: u8) -> HeadingLevel {
    let n = (level as u8).max(min);
    match n {
        0 | 1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_emphasis() {
        let html = to_html("Ett *stycke*.\n\n- a\n- b\n", 0);
        assert_eq!(
            html,
            "<p>Ett <em>stycke</em>.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("<script>alert(1)</script>\n\nText <b>fet</b> & mer", 0);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;fet&lt;/b&gt; &amp; mer"), "{html}");
    }

    #[test]
    fn unsafe_links_and_images_are_dropped() {
        let html = to_html(
            "[klick](javascript:alert(1)) [webb](https://example.org) ![bild](http://x/y.png)",
            0,
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("klick"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.org\">webb</a>"),
            "{html}"
        );
        assert!(html.contains("bild"), "{html}");
    }

    #[test]
    fn headings_are_shifted() {
        assert_eq!(to_html("# Rubrik", 3), "<h3>Rubrik</h3>\n");
        assert_eq!(to_html("#### Under", 3), "<h4>Under</h4>\n");
        assert_eq!(to_html("# Rubrik", 9), "<h6>Rubrik</h6>\n");
    }
}
