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
    /// 部门决算 / 部门预算 and their 说明.
    FinalAccounts,
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
            DocumentKind::Unknown => "unknown",
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
