//! Colour arithmetic for the modal's header: which text reads on a brand colour.

/// Whether `value` is `#RRGGBB`.
pub fn is_hex_colour(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Black or white, whichever reads better on `background` (`#RRGGBB`), by
/// WCAG relative luminance; used for text on the integration's brand colour.
///
/// ```
/// use keet_link_protocol::colour::readable_text_on;
/// assert_eq!(readable_text_on("#FF9900"), "#000000"); // Amazon orange
/// assert_eq!(readable_text_on("#0A66C2"), "#FFFFFF"); // LinkedIn blue
/// ```
pub fn readable_text_on(background: &str) -> &'static str {
    if !is_hex_colour(background) {
        return "#FFFFFF";
    }
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&background[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast against white is (1.05)/(L+0.05); against black (L+0.05)/0.05.
    if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) {
        "#000000"
    } else {
        "#FFFFFF"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_brand_colours_is_readable() {
        assert_eq!(readable_text_on("#FF9900"), "#000000");
        assert_eq!(readable_text_on("#25D366"), "#000000");
        assert_eq!(readable_text_on("#000000"), "#FFFFFF");
        assert_eq!(readable_text_on("#0A66C2"), "#FFFFFF");
        // Facebook blue: black reaches 4.95:1, white only 4.24:1.
        assert_eq!(readable_text_on("#1877F2"), "#000000");
        assert_eq!(readable_text_on("not a colour"), "#FFFFFF");
    }
}
