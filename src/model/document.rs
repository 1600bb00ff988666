//! What a document is: its kind, the organization it reports for and the
//! year.

use serde::{Deserialize, Serialize};

/// The kind of report a document is, as its title (or, without one, its
/// structure) says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 部门整体支出绩效自评报告.
    DepartmentOverall,
    /// 项目支出绩效自评报告 / 自评表.
    Project,
    /// 部门决算 / 单位决算 and their 说明.
    FinalAccounts,
    /// 部门预算 / 单位预算 and their 说明.
    Budget,
    /// A government's report: 财政决算（草案）, 决算草案, 预算执行情况的报告.
    GovernmentReport,
    /// None of these.
    #[default]
    Unknown,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::DepartmentOverall => "department_overall",
            DocumentKind::Project => "project",
            DocumentKind::FinalAccounts => "final_accounts",
            DocumentKind::Budget => "budget",
            DocumentKind::GovernmentReport => "government_report",
            DocumentKind::Unknown => "unknown",
        }
    }

    /// The kind as a reviewer calls it.
    pub fn chinese(self) -> &'static str {
        match self {
            DocumentKind::DepartmentOverall => "部门整体支出绩效自评",
            DocumentKind::Project => "项目支出绩效自评",
            DocumentKind::FinalAccounts => "部门决算",
            DocumentKind::Budget => "部门预算",
            DocumentKind::GovernmentReport => "政府预决算报告",
            DocumentKind::Unknown => "未识别",
        }
    }
}

/// Kind, organization and year, as far as they were read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub organization: Option<String>,
    pub year: Option<u32>,
}
