//! Page images as grey rasters for OCR, with what hides text from
//! Tesseract taken out.
//!
//! A page image comes decoded from the PDF (8-bit grey or RGB samples,
//! 1-bit samples, JPEG) or from a `pdftoppm` rendering (PNM), and becomes
//! one grey raster, where
//! - a red seal (公章) stamped over a table or a signature is lifted: a
//!   pixel much redder than it is green or blue is paper, so the figures
//!   under the ink read as they were printed;
//! - table rules are erased: a run of dark pixels longer than any stroke
//!   of a character (half an inch) is a ruling line, and Tesseract, which
//!   takes a rule touching a cell's text for part of it, misreads the
//!   label beside it (「一般公共预算财政拨款收入」 read as 「全大次收入」 on
//!   the seed's table, with confidence near 0, before; exactly after).

/// The most pixels one raster may hold (a 600 dpi A3 page is 70 million).
pub const MAX_PIXELS: usize = 100_000_000;

/// Darker than this is ink.
const INK: u8 = 140;

/// A grey raster, one byte per pixel, rows top to bottom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// ITU-R BT.601 luma, with a red seal's ink as paper.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    let (r16, g16, b16) = (i32::from(r), i32::from(g), i32::from(b));
    if r16 >= 120 && r16 - g16.max(b16) >= 60 {
        return 255;
    }
    ((299 * r16 + 587 * g16 + 114 * b16) / 1000) as u8
}

impl Grey {
    fn checked(width: usize, height: usize, len: usize, per_pixel: usize) -> Option<usize> {
        let n = width.checked_mul(height)?;
        (n > 0 && n <= MAX_PIXELS && len >= n.checked_mul(per_pixel)?).then_some(n)
    }

    /// From 8-bit grey samples.
    pub fn from_grey(samples: &[u8], width: usize, height: usize) -> Option<Grey> {
        let n = Grey::checked(width, height, samples.len(), 1)?;
        Some(Grey {
            width,
            height,
            pixels: samples[..n].to_vec(),
        })
    }

    /// From 8-bit RGB samples.
    pub fn from_rgb(samples: &[u8], width: usize, height: usize) -> Option<Grey> {
        let n = Grey::checked(width, height, samples.len(), 3)?;
        let pixels = samples[..n * 3]
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        Some(Grey {
            width,
            height,
            pixels,
        })
    }

    /// From 1-bit samples, rows padded to a byte, 0 black (PDF's
    /// DeviceGray).
    pub fn from_bits(samples: &[u8], width: usize, height: usize) -> Option<Grey> {
        let row = width.div_ceil(8);
        if samples.len() < row.checked_mul(height)? {
            return None;
        }
        Grey::checked(width, height, usize::MAX / 2, 0)?;
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            let bytes = &samples[y * row..(y + 1) * row];
            pixels.extend((0..width).map(|x| {
                if bytes[x / 8] & (0x80 >> (x % 8)) != 0 {
                    255
                } else {
                    0
                }
            }));
        }
        Some(Grey {
            width,
            height,
            pixels,
        })
    }

    /// From a JPEG file (grey, RGB or YCbCr; CMYK is refused).
    pub fn from_jpeg(bytes: &[u8]) -> Option<Grey> {
        use zune_core::bytestream::ZCursor;
        use zune_core::colorspace::ColorSpace;
        use zune_core::options::DecoderOptions;
        use zune_jpeg::JpegDecoder;
        let options = DecoderOptions::default()
            .set_max_width(20_000)
            .set_max_height(20_000)
            .jpeg_set_out_colorspace(ColorSpace::RGB);
        let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
        decoder.decode_headers().ok()?;
        let info = decoder.info()?;
        let (w, h) = (usize::from(info.width), usize::from(info.height));
        Grey::checked(w, h, usize::MAX / 4, 0)?;
        let rgb = decoder.decode().ok()?;
        match decoder.output_colorspace()? {
            ColorSpace::RGB => Grey::from_rgb(&rgb, w, h),
            ColorSpace::Luma => Grey::from_grey(&rgb, w, h),
            _ => None,
        }
    }

    /// From a binary PNM file as `pdftoppm` writes it: P5 (grey) or P6
    /// (RGB), maximum value 255.
    pub fn from_pnm(bytes: &[u8]) -> Option<Grey> {
        // Magic, width, height, maximum: four tokens, then one whitespace.
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'#') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if start == i {
                return None;
            }
            fields.push(std::str::from_utf8(&bytes[start..i]).ok()?);
        }
        let data = bytes.get(i + 1..)?;
        let (w, h): (usize, usize) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
        if fields[3] != "255" {
            return None;
        }
        match fields[0] {
            "P5" => Grey::from_grey(data, w, h),
            "P6" => Grey::from_rgb(data, w, h),
            _ => None,
        }
    }

    /// Erases runs of ink at least `min_run` pixels long, across and down:
    /// table rules (no character has a stroke that long). Both directions
    /// are found on the page as it is, so that a column rule is not cut
    /// into short pieces by the row rules erased first.
    pub fn erase_rules(&mut self, min_run: usize) {
        let (w, h) = (self.width, self.height);
        let min_run = min_run.max(2);
        let mut erase = vec![false; w * h];
        // Runs of ink along a line of pixels: `at(k)` is the k-th pixel's
        // index in the raster.
        let mut mark = |len: usize, at: &dyn Fn(usize) -> usize| {
            let mut k = 0;
            while k < len {
                if self.pixels[at(k)] >= INK {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < len && self.pixels[at(k)] < INK {
                    k += 1;
                }
                if k - start >= min_run {
                    for j in start..k {
                        erase[at(j)] = true;
                    }
                }
            }
        };
        for y in 0..h {
            mark(w, &|x| y * w + x);
        }
        for x in 0..w {
            mark(h, &|y| y * w + x);
        }
        // The rule's anti-aliased edge (grey, lighter than ink) goes with
        // it: left behind, a rule beside a figure reads as one more digit
        // (「44.63%」 as 「44.639%」).
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                if erase[i] {
                    continue;
                }
                let near = (x > 0 && erase[i - 1])
                    || (x + 1 < w && erase[i + 1])
                    || (y > 0 && erase[i - w])
                    || (y + 1 < h && erase[i + w]);
                if near && self.pixels[i] >= INK / 2 {
                    self.pixels[i] = 255;
                }
            }
        }
        for (p, e) in self.pixels.iter_mut().zip(erase) {
            if e {
                *p = 255;
            }
        }
    }

    /// The box `(left, top, width, height)` (pixels, as Tesseract gives a
    /// word's) with `margin` pixels around it, within the raster.
    pub fn crop(
        &self,
        left: f64,
        top: f64,
        width: f64,
        height: f64,
        margin: usize,
    ) -> Option<Grey> {
        let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let x0 = clamp(left, self.width).saturating_sub(margin);
        let y0 = clamp(top, self.height).saturating_sub(margin);
        let x1 = (clamp(left + width, self.width) + margin).min(self.width);
        let y1 = (clamp(top + height, self.height) + margin).min(self.height);
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            pixels.extend_from_slice(&self.pixels[y * self.width + x0..y * self.width + x1]);
        }
        Some(Grey {
            width: x1 - x0,
            height: y1 - y0,
            pixels,
        })
    }

    /// Resampled to `width` × `height`: enlarged bilinearly (each new
    /// pixel the weighted mean of the four old ones around its centre),
    /// reduced by area (each new pixel the mean of the old ones it covers,
    /// so that a thin stroke or a full stop is not lost between samples).
    pub fn resample(&self, width: usize, height: usize) -> Option<Grey> {
        Grey::checked(width, height, usize::MAX / 2, 0)?;
        if width < self.width && height < self.height {
            return Some(self.reduce(width, height));
        }
        let (sx, sy) = (
            self.width as f64 / width as f64,
            self.height as f64 / height as f64,
        );
        let at = |x: usize, y: usize| f64::from(self.pixels[y * self.width + x]);
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            let fy = ((y as f64 + 0.5) * sy - 0.5).clamp(0.0, (self.height - 1) as f64);
            let (y0, ty) = (fy.floor() as usize, fy.fract());
            let y1 = (y0 + 1).min(self.height - 1);
            for x in 0..width {
                let fx = ((x as f64 + 0.5) * sx - 0.5).clamp(0.0, (self.width - 1) as f64);
                let (x0, tx) = (fx.floor() as usize, fx.fract());
                let x1 = (x0 + 1).min(self.width - 1);
                let top = at(x0, y0) * (1.0 - tx) + at(x1, y0) * tx;
                let bottom = at(x0, y1) * (1.0 - tx) + at(x1, y1) * tx;
                pixels.push((top * (1.0 - ty) + bottom * ty).round() as u8);
            }
        }
        Some(Grey {
            width,
            height,
            pixels,
        })
    }

    /// Reduced by area (see [`Grey::resample`]).
    fn reduce(&self, width: usize, height: usize) -> Grey {
        let span = |i: usize, n: usize, of: usize| {
            let a = i * of / n;
            let b = ((i + 1) * of / n).max(a + 1).min(of);
            a..b
        };
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            let ys = span(y, height, self.height);
            for x in 0..width {
                let xs = span(x, width, self.width);
                let mut sum = 0u32;
                for yy in ys.clone() {
                    let row = &self.pixels[yy * self.width..(yy + 1) * self.width];
                    sum += row[xs.clone()].iter().map(|&p| u32::from(p)).sum::<u32>();
                }
                let n = (ys.len() * xs.len()) as u32;
                pixels.push(((sum + n / 2) / n) as u8);
            }
        }
        Grey {
            width,
            height,
            pixels,
        }
    }

    /// As a binary PGM file (P5).
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_red_seal_is_paper_and_black_ink_stays() {
        let g = Grey::from_rgb(&[220, 30, 40, 0, 0, 0, 255, 255, 255, 90, 90, 90], 4, 1).unwrap();
        assert_eq!(g.pixels, [255, 0, 255, 90]);
    }

    #[test]
    fn one_bit_samples_expand_with_0_black() {
        let g = Grey::from_bits(&[0b0100_0000, 0b1000_0000], 3, 2).unwrap();
        assert_eq!(g.pixels, [0, 255, 0, 255, 0, 0]);
        assert!(Grey::from_bits(&[0], 3, 2).is_none(), "too few samples");
    }

    #[test]
    fn pnm_round_trips_and_refuses_what_it_cannot_read() {
        let g = Grey::from_grey(&[1, 2, 3, 4, 5, 6], 3, 2).unwrap();
        assert_eq!(Grey::from_pnm(&g.to_pgm()).unwrap(), g);
        assert_eq!(
            Grey::from_pnm(b"P6\n# c\n1 1\n255\n\x00\x00\x00")
                .unwrap()
                .pixels,
            [0]
        );
        assert!(Grey::from_pnm(b"P5\n2 2\n65535\n").is_none());
        assert!(Grey::from_pnm(b"P5\n2 2\n255\n\x00").is_none(), "short");
        assert!(Grey::from_grey(&[], 0, 0).is_none());
    }

    #[test]
    fn long_runs_are_erased_and_strokes_stay() {
        // A 12×4 raster: row 1 a rule across, column 10 a rule down,
        // a short stroke in row 3.
        let mut px = vec![255u8; 48];
        for x in 0..12 {
            px[12 + x] = 0;
        }
        for y in 0..4 {
            px[y * 12 + 10] = 0;
        }
        px[36] = 0;
        px[37] = 0;
        let mut g = Grey::from_grey(&px, 12, 4).unwrap();
        g.erase_rules(4);
        assert!(g
            .pixels
            .iter()
            .enumerate()
            .all(|(i, &p)| p == 255 || i == 36 || i == 37));
        assert_eq!((g.pixels[36], g.pixels[37]), (0, 0));
    }

    #[test]
    fn a_crop_keeps_its_margin_within_the_raster() {
        let g = Grey::from_grey(&(0..20).collect::<Vec<u8>>(), 5, 4).unwrap();
        let c = g.crop(1.0, 1.0, 2.0, 1.0, 1).unwrap();
        assert_eq!((c.width, c.height), (4, 3));
        assert_eq!(c.pixels, [0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13]);
        assert!(g.crop(9.0, 9.0, 1.0, 1.0, 0).is_none());
    }

    #[test]
    fn reducing_averages_the_pixels_covered() {
        let g = Grey::from_grey(&[0, 255, 255, 255, 0, 0, 0, 0, 100, 100, 100, 100], 4, 3).unwrap();
        let r = g.resample(2, 1).unwrap();
        // Left half: 0,255,0,0,100,100 → 76; right half: 255,255,0,0,100,100 → 118.
        assert_eq!(r.pixels, [76, 118]);
        // Enlarging keeps a flat image flat.
        let flat = Grey::from_grey(&[9; 4], 2, 2).unwrap();
        assert!(flat.resample(3, 3).unwrap().pixels.iter().all(|&p| p == 9));
    }

    #[test]
    fn jpeg_decodes_to_grey() {
        // Not a JPEG: refused, not a panic.
        assert!(Grey::from_jpeg(b"\xff\xd8\xff\xe0garbage").is_none());
    }
}
