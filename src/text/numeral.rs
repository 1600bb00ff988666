//! Chinese numerals as counts are written.

/// Reads a Chinese numeral as counts are written ("二十三" → 23, "两" → 2,
/// "十二" → 12, "一百零五" → 105, "两千零一十" → 2010). Strict: what is
/// not one exact number is None — an estimate ("三四个"), units out of
/// order ("十百"), or a colloquial abbreviation ("一百五", 150 or 105?).
pub fn chinese_numeral(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
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
    };
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    // The last multiplier used: each must be smaller than the one before.
    let mut last_unit = u32::MAX;
    // A 零 was read since the last multiplier: only units or 十 follow.
    let mut after_zero = false;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            if current.is_some() {
                return None;
            }
            current = Some(d);
            continue;
        }
        match c {
            '零' => {
                if current.is_some() || last_unit == u32::MAX {
                    return (s == "零").then_some(0);
                }
                after_zero = true;
            }
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                if unit >= last_unit || (after_zero && unit != 10) {
                    return None;
                }
                // "十二" is 12, but "百" alone is not a count.
                let k = match current {
                    Some(k) => k,
                    None if unit == 10 => 1,
                    None => return None,
                };
                total += k * unit;
                current = None;
                last_unit = unit;
                after_zero = false;
            }
            _ => return None,
        }
    }
    // "一百零" says nothing after its 零; "一百五" leaves its digit's
    // place unsaid.
    if after_zero && current.is_none()
        || current.is_some() && (100..u32::MAX).contains(&last_unit) && !after_zero
    {
        return None;
    }
    any.then_some(total + current.unwrap_or(0))
}
