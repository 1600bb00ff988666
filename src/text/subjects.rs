//! The 类 of the 支出功能分类 (201 一般公共服务支出 … 232 债务付息支出), by
//! the names the 收支总表 print on their 支出 side, current and earlier
//! (「医疗卫生与计划生育支出」 became 「卫生健康支出」 in 2018).

/// The 类 names, without their numbering.
pub const FUNCTION_CLASSES: &[&str] = &[
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "文化体育与传媒支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "医疗卫生与计划生育支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "资源勘探信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "国土海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "国有资本经营预算支出",
    "灾害防治及应急管理支出",
    "其他支出",
    "债务还本支出",
    "债务付息支出",
    "债务发行费用支出",
    "抗疫特别国债安排的支出",
];

/// Whether `name` is a 类 of the 支出功能分类.
pub fn is_function_class(name: &str) -> bool {
    FUNCTION_CLASSES.contains(&name)
}
