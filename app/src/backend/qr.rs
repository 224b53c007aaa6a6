//! QR codes of tracking links (the webhook's `trackingQRCodeUrl`): SVG for
//! pages and print, PNG for mail clients that show no SVG. Medium error
//! correction, the standard four-module quiet zone.

use crate::error::AppError;
use qrcode::{Color, EcLevel, QrCode};

/// Pixels per module in the PNG: a 3-centimetre print of a typical link.
const PNG_SCALE: usize = 8;
const QUIET_ZONE: usize = 4;

fn code(text: &str) -> Result<QrCode, AppError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        tracing::error!("no QR code for a {}-byte link: {e}", text.len());
        AppError::Internal
    })
}

pub fn svg(text: &str) -> Result<String, AppError> {
    Ok(code(text)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// A greyscale PNG, black modules on white.
pub fn png(text: &str) -> Result<Vec<u8>, AppError> {
    let code = code(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * PNG_SCALE..(my + 1) * PNG_SCALE {
            pixels[y * side + mx * PNG_SCALE..y * side + (mx + 1) * PNG_SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let failed = |e: png::EncodingError| {
        tracing::error!("PNG encoding failed: {e}");
        AppError::Internal
    };
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(failed)?;
        writer.write_image_data(&pixels).map_err(failed)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_a_png_and_an_svg_of_its_qr_code() {
        let link = "https://book.example.com/t/a1gapQm1RPyXQoXPl0SGdG22";
        let png = png(link).unwrap();
        assert_eq!(&png[..8], &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a], "a PNG signature");
        let svg = svg(link).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{}", &svg[..80]);
    }
}
