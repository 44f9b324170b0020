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
    let channel = |i: usize| linear(u8::from_str_radix(&background[i..i + 2], 16).unwrap_or(0));
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    if black_reads_better(luminance) {
        "#000000"
    } else {
        "#FFFFFF"
    }
}

/// Contrast against white is (1.05)/(L+0.05); against black (L+0.05)/0.05.
fn black_reads_better(luminance: f64) -> bool {
    (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05)
}

/// An sRGB channel's linear value (WCAG's formula).
fn linear(channel: u8) -> f64 {
    let c = f64::from(channel) / 255.0;
    if c <= 0.039_28 {
        c / 12.92
    } else {
        to_the_2_4((c + 0.055) / 1.055)
    }
}

/// `x`^2.4 for `x` in (0, 1], without libm's `pow` (2 KB of wasm, used
/// nowhere else): x² times the fifth root of x², by Newton's method, which
/// from 1 (above the root, since x² ≤ 1) falls to it monotonically.
fn to_the_2_4(x: f64) -> f64 {
    let square = x * x;
    let mut root = 1.0_f64;
    for _ in 0..40 {
        let fourth = root * root * root * root;
        root -= (fourth * root - square) / (5.0 * fourth);
    }
    square * root
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

    /// The linearisation without `powf` agrees with it to 1e-12, and for
    /// every one of the 16,777,216 colours the choice of text is WCAG's.
    #[test]
    fn every_colour_gets_the_text_the_exact_formula_gives() {
        let exact = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let ours: Vec<f64> = (0..=255).map(linear).collect();
        let theirs: Vec<f64> = (0..=255).map(exact).collect();
        for (value, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert!((a - b).abs() < 1e-12, "channel {value}: {a} against {b}");
        }
        let weights = [0.2126, 0.7152, 0.0722];
        let luminance = |table: &[f64], (r, g, b): (usize, usize, usize)| {
            weights[0] * table[r] + weights[1] * table[g] + weights[2] * table[b]
        };
        for r in 0..256 {
            for g in 0..256 {
                for b in 0..256 {
                    assert_eq!(
                        black_reads_better(luminance(&ours, (r, g, b))),
                        black_reads_better(luminance(&theirs, (r, g, b))),
                        "#{r:02X}{g:02X}{b:02X}"
                    );
                }
            }
        }
    }
}
