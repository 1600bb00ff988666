//! How the totals a report breaks into parts are composed (基本支出 =
//! 人员经费 + 公用经费, “三公”经费 = its three parts…): data, so a new
//! breakdown is a row, not code.

pub type PartMatch = fn(&str, &str) -> bool;

/// How a total is composed: which labels name it, which name its parts,
/// and which parts must be stated (a bit per part) before the sum is
/// checked — a report may leave out a part that is zero, but not one of
/// these.
pub struct Composition {
    pub total: fn(&str) -> bool,
    pub parts: &'static [(&'static str, PartMatch)],
    pub required: u8,
}

fn direction(label: &str) -> Option<&'static str> {
    if label.ends_with("收入") {
        Some("收入")
    } else if label.contains("支出") {
        Some("支出")
    } else {
        None
    }
}

pub static COMPOSITIONS: &[Composition] = &[
    Composition {
        total: |l| l.ends_with("基本支出") && !l.contains("项目"),
        parts: &[
            ("人员经费", |l, _| l.ends_with("人员经费")),
            ("公用经费", |l, _| l.ends_with("公用经费")),
        ],
        required: 0b11,
    },
    Composition {
        total: |l| l.contains("三公") && !l.contains("其中"),
        parts: &[
            ("因公出国（境）费", |l, _| l.contains("出国")),
            ("公务用车购置及运行费", |l, _| {
                l.contains("公务用车") && (l.contains("购置及运行") || l.contains("购置和运行"))
            }),
            ("公务接待费", |l, _| l.contains("接待")),
        ],
        required: 0b111,
    },
    Composition {
        total: |l| l.contains("公务用车") && (l.contains("购置及运行") || l.contains("购置和运行")),
        parts: &[
            ("公务用车购置费", |l, _| {
                l.contains("购置") && !l.contains("运行")
            }),
            ("公务用车运行维护费", |l, _| {
                l.contains("运行") && !l.contains("购置")
            }),
        ],
        required: 0b11,
    },
    Composition {
        total: |l| {
            (l.ends_with("财政拨款收入") || l.ends_with("财政拨款支出"))
                && !["一般公共预算", "政府性基金", "国有资本"]
                    .iter()
                    .any(|k| l.contains(k))
        },
        parts: &[
            ("一般公共预算财政拨款", |l, t| {
                l.contains("一般公共预算") && direction(l) == direction(t)
            }),
            ("政府性基金预算财政拨款", |l, t| {
                l.contains("政府性基金") && direction(l) == direction(t)
            }),
            ("国有资本经营预算财政拨款", |l, t| {
                l.contains("国有资本经营") && direction(l) == direction(t)
            }),
        ],
        required: 0b011,
    },
];
