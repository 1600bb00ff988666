//! Character classes of Chinese report text: Han ideographs, the radical
//! forms that stand for an ideograph, and the punctuation that bounds
//! labels and clauses. Every stage asks these questions the same way.

/// A Han ideograph (the CJK blocks a report's text uses, radicals included).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'    // CJK and Kangxi radicals
        | '\u{3400}'..='\u{4DBF}'  // extension A
        | '\u{4E00}'..='\u{9FFF}'  // unified ideographs
        | '\u{F900}'..='\u{FAFF}'  // compatibility ideographs
        | '\u{20000}'..='\u{3134F}')
}

/// CJK Radicals Supplement characters that stand for a whole ideograph.
/// They have no Unicode decomposition, so NFKC leaves them alone; fonts
/// (Chromium's Type 3 subsets of Noto Sans CJK) map ideographs to them
/// because the glyphs are shared. Component-only forms (⺅, ⻏, …) are not
/// listed: they never stand for a character of running text.
pub fn radical_supplement(c: char) -> Option<char> {
    Some(match c {
        '⺁' => '厂',
        '⺎' => '兀',
        '⺛' => '旡',
        '⺜' => '日',
        '⺝' => '月',
        '⺟' => '母',
        '⺠' => '民',
        '⺩' => '王',
        '⻁' => '虎',
        '⻄' => '西',
        '⻅' => '见',
        '⻆' | '⻇' => '角',
        '⻉' => '贝',
        '⻋' => '车',
        '⻑' => '長',
        '⻓' => '长',
        '⻔' => '门',
        '⻘' => '青',
        '⻙' => '韦',
        '⻚' => '页',
        '⻛' => '风',
        '⻜' => '飞',
        '⻝' => '食',
        '⻡' => '首',
        '⻢' => '马',
        '⻣' => '骨',
        '⻤' => '鬼',
        '⻥' => '鱼',
        '⻦' => '鸟',
        '⻧' => '卤',
        '⻨' => '麦',
        '⻩' => '黄',
        '⻪' => '黾',
        '⻫' => '斉',
        '⻬' => '齐',
        '⻭' => '歯',
        '⻮' => '齿',
        '⻯' => '竜',
        '⻰' => '龙',
        '⻱' => '龜',
        '⻲' => '亀',
        '⻳' => '龟',
        _ => return None,
    })
}

/// Punctuation that ends a label or a clause (full- and half-width), and
/// the ideographic space.
pub fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '、'
            | '（'
            | '）'
            | '('
            | ')'
            | ','
            | ';'
            | ':'
            | '！'
            | '？'
            | '“'
            | '”'
            | '《'
            | '》'
            | ' '
    )
}
