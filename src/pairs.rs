//! Cross-document checks: a 预算 or 决算 published as two files — its
//! narrative (情况说明) in one, its tables (公开表) in the other — is
//! checked as one document once the batch holds both.
//!
//! This runs after a batch, over its records:
//! 1. [`plan`] pairs the files. A narrative is a 预算/决算 record whose
//!    report lists no standard table; a table file is one that lists some
//!    and states no change against last year (a document that does has a
//!    narrative of its own: a whole document, not the other half of one).
//!    The two pair when they name the same body (the organization read
//!    from each, compared by [`organization_key`]: 「中国共产党江苏省委员会
//!    办公厅」, 「中共江苏省委办公厅」 and 「江苏省委办公厅」 are one body) and
//!    the same year (the document's, else the one year its file name
//!    gives: table files often state none), and are of one kind (预算 or
//!    决算). Only a group of exactly one narrative and one table file is
//!    paired; a group with several of either is ambiguous, and each of its
//!    narratives gets a diagnostic saying so instead of a guess.
//! 2. [`check_pair`] reads both files again (through the same
//!    [`Ingester`], so the same limits apply), puts the table file's pages
//!    after the narrative's, analyses the whole, and keeps the findings of
//!    the rules that compare a narrative with its tables ([`CROSS_RULES`])
//!    whose evidence lies in both files: each file alone has already been
//!    audited, so what is new is exactly what needed both. A statement in
//!    the other file is named by its path (`evidence[].source`) and its
//!    own page.
//! 3. [`Amendment::apply`] adds them to the record of the file that holds
//!    the primary evidence, and to both records the partner used
//!    (`partners`). Applying is idempotent: what an earlier pass added is
//!    taken out first, so a resumed run pairs again from the records.

use crate::analyze::{analyze, with_report};
use crate::ingest::{Ingester, Pages};
use crate::model::{Code, Diagnostic, DiagnosticKind, DocumentKind, Finding, OcrPage};
use crate::ordered_json::OrderedJson;
use crate::output::Stored;
use crate::record::{Partner, Record, Relation, Status};
use crate::rules::previous_year_mismatch::{self, LastYear};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// The rules whose relation is between a narrative and its tables: a 科目
/// amount (TBL003), a “三公” amount (TBL005), a total (TBL007).
pub const CROSS_RULES: [Code; 3] = [Code::TBL003, Code::TBL005, Code::TBL007];

/// What the pairing needs to know of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub path: String,
    pub kind: DocumentKind,
    pub organization: Option<String>,
    pub year: Option<u32>,
    /// The standard tables its report lists (`report.tables`).
    pub tables: usize,
    /// The changes against last year its report lists (`report.changes`).
    pub changes: usize,
    /// Whether its tables are a 单位's (「2026年预算单位财务收支预算总表」,
    /// 「单位预算」) rather than a 部门's: the two differ in scope, so a
    /// 部门's year is not checked against a 单位's.
    pub unit_scope: bool,
    /// Its bytes' sha256, to notice a file changed since it was audited.
    pub sha256: String,
}

impl Candidate {
    /// The candidate a record is, when it is a 预算 or 决算 that was read;
    /// `report` is the record's report model (the record in memory may
    /// have left it in the journal).
    pub fn of(record: &Record, report: Option<&OrderedJson>) -> Option<Candidate> {
        let document = record.document.as_ref()?;
        if record.status != Status::Ok
            || !matches!(
                document.kind,
                DocumentKind::Budget | DocumentKind::FinalAccounts
            )
        {
            return None;
        }
        let count = |key: &str| {
            report.and_then(|r| r.get(key)).map_or(0, |t| match t {
                OrderedJson::Array(items) => items.len(),
                _ => 0,
            })
        };
        Some(Candidate {
            path: record.source.path.clone(),
            kind: document.kind,
            organization: document.organization.clone(),
            year: document
                .year
                .or_else(|| year_of_file_name(&record.source.path)),
            tables: count("tables"),
            changes: count("changes"),
            unit_scope: report
                .and_then(|r| r.get("tables"))
                .is_some_and(|t| match t {
                    OrderedJson::Array(items) => items.iter().any(|t| {
                        t.get("title").is_some_and(|title| match title {
                            OrderedJson::String(s) => is_unit_title(s),
                            _ => false,
                        })
                    }),
                    _ => false,
                }),
            sha256: record.source.sha256.clone(),
        })
    }
}

/// A table title of a 单位's document: 「2026年预算单位财务收支预算总表」,
/// 「2026年单位“三公”经费…」, 「单位预算…」, 「单位决算…」.
fn is_unit_title(title: &str) -> bool {
    ["预算单位", "单位预算", "单位决算", "决算单位", "年单位"]
        .iter()
        .any(|w| title.contains(w))
}

/// A narrative and the file of its tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub narrative: Candidate,
    pub tables: Candidate,
}

/// A document and the same body's document of the year before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearPair {
    /// A document that states changes against last year.
    pub current: Candidate,
    /// The one document of the year before, of the same kind, with tables.
    pub previous: Candidate,
}

/// What [`plan`] decided.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub pairs: Vec<Pair>,
    pub years: Vec<YearPair>,
    /// Narratives left alone because their group is ambiguous, with why.
    pub unpaired: Vec<(String, Diagnostic)>,
}

/// Pairs narratives with the files of their tables (see the module doc).
pub fn plan(candidates: &[Candidate]) -> Plan {
    // (body, year, kind) → (narratives, table files).
    type Group<'a> = (Vec<&'a Candidate>, Vec<&'a Candidate>);
    let mut groups: BTreeMap<(String, u32, &str), Group> = BTreeMap::new();
    for c in candidates {
        let (Some(org), Some(year)) = (c.organization.as_deref(), c.year) else {
            continue;
        };
        let key = organization_key(org);
        if key.chars().count() < 2 {
            continue;
        }
        let group = groups.entry((key, year, c.kind.as_str())).or_default();
        if c.tables == 0 {
            group.0.push(c);
        } else {
            group.1.push(c);
        }
    }
    let mut plan = Plan::default();
    // Each document stating changes, with the year before's table file
    // (or whole document) of its body and kind, where there is one only.
    for ((org, year, kind), (narratives, tables)) in &groups {
        let Some((_, before)) = groups.get(&(org.clone(), year - 1, kind)) else {
            continue;
        };
        for current in narratives.iter().chain(tables).filter(|c| c.changes > 0) {
            // Of the same scope: a 部门's year against a 部门's (a
            // narrative, whose tables are elsewhere, is taken as a 部门's).
            let before: Vec<&Candidate> = before
                .iter()
                .copied()
                .filter(|p| p.unit_scope == current.unit_scope)
                .collect();
            match before.as_slice() {
                [previous] => plan.years.push(YearPair {
                    current: (*current).clone(),
                    previous: (*previous).clone(),
                }),
                [] => {}
                _ => plan.unpaired.push((
                    current.path.clone(),
                    Diagnostic {
                        kind: DiagnosticKind::UnpairedDocument,
                        page: None,
                        message: format!(
                            "本批次中{org}{}年度有 {} 份含公开表的文件，无法确定哪一份是上年文件，未与上年核对",
                            year - 1,
                            before.len()
                        ),
                    },
                )),
            }
        }
    }
    for ((org, year, _), (narratives, with_tables)) in groups {
        // A narrative's partner is a file of tables only: a document that
        // states changes against last year has a narrative of its own (a
        // whole 部门 or 单位 document, not the other half of this one).
        let tables: Vec<&Candidate> = with_tables.into_iter().filter(|t| t.changes == 0).collect();
        match (narratives.as_slice(), tables.as_slice()) {
            ([n], [t]) => plan.pairs.push(Pair {
                narrative: (*n).clone(),
                tables: (*t).clone(),
            }),
            ([], _) | (_, []) => {}
            _ => {
                for n in &narratives {
                    let message = format!(
                        "本批次中{org}{year}年度有 {} 份情况说明、{} 份含公开表的文件，无法确定哪一份是本说明的表格，未做跨文件核对",
                        narratives.len(),
                        tables.len()
                    );
                    plan.unpaired.push((
                        n.path.clone(),
                        Diagnostic {
                            kind: DiagnosticKind::UnpairedDocument,
                            page: None,
                            message,
                        },
                    ));
                }
            }
        }
    }
    plan
}

/// One body's name, however it is written: 「中国共产党」 is 「中共」,
/// 「委员会」 before 「办公厅」 etc. is 「委」, a leading 「中共」 is dropped (the
/// party's provincial committee is 「江苏省委」 as often as 「中共江苏省委」),
/// and spaces and quotes are not part of it.
pub fn organization_key(org: &str) -> String {
    let mut key: String = org
        .chars()
        .filter(|c| !c.is_whitespace() && !"“”\"《》".contains(*c))
        .collect();
    key = key.replace("中国共产党", "中共").replace("委员会", "委");
    if let Some(rest) = key.strip_prefix("中共") {
        key = rest.to_string();
    }
    key
}

/// The one year a file name gives (「2017年部门预算公开表.pdf」,
/// 「js_zx_2017_tables.pdf」), if it gives exactly one.
pub fn year_of_file_name(path: &str) -> Option<u32> {
    let name = Path::new(path).file_name()?.to_string_lossy().into_owned();
    let bytes = name.as_bytes();
    let mut years: Vec<u32> = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let digits = bytes[i..i + 4].iter().all(u8::is_ascii_digit);
        let before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after = i + 4 == bytes.len() || !bytes[i + 4].is_ascii_digit();
        if digits && before && after && (bytes[i] == b'2' && bytes[i + 1] == b'0') {
            let y: u32 = name[i..i + 4].parse().ok()?;
            if !years.contains(&y) {
                years.push(y);
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    match years.as_slice() {
        [y] => Some(*y),
        _ => None,
    }
}

/// What a pair adds to one record.
#[derive(Clone, Debug)]
pub struct Amendment {
    pub path: String,
    pub partners: Vec<Partner>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Amendment {
    fn new(path: &str) -> Amendment {
        Amendment {
            path: path.to_string(),
            partners: Vec::new(),
            findings: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Puts the amendment into `record`, after taking out what an earlier
    /// pass put there (findings with evidence in another file, partners,
    /// pairing diagnostics).
    pub fn apply(&self, record: &mut Record) {
        strip(record);
        record.partners.extend(self.partners.iter().cloned());
        record.findings.extend(self.findings.iter().cloned());
        record.diagnostics.extend(self.diagnostics.iter().cloned());
    }
}

/// Whether a pairing pass added anything to `record`.
pub fn is_amended(record: &Record) -> bool {
    !record.partners.is_empty()
        || record
            .findings
            .iter()
            .any(|f| f.evidence.iter().any(|e| e.source.is_some()))
        || record
            .diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::UnpairedDocument)
}

/// Takes out of `record` what a pairing pass added to it.
pub fn strip(record: &mut Record) {
    record.partners.clear();
    record
        .findings
        .retain(|f| f.evidence.iter().all(|e| e.source.is_none()));
    record
        .diagnostics
        .retain(|d| d.kind != DiagnosticKind::UnpairedDocument);
}

/// The amendments of a batch: each pair checked (in parallel, on `jobs`
/// threads, 0 for one per core) and each ambiguous group's diagnostic.
/// At most one amendment per path, in path order.
pub fn check_all(plan: &Plan, ingester: &Ingester, jobs: usize) -> Vec<Amendment> {
    enum Job<'a> {
        Tables(&'a Pair),
        Years(&'a YearPair),
    }
    let work: Vec<Job> = (plan.pairs.iter().map(Job::Tables))
        .chain(plan.years.iter().map(Job::Years))
        .collect();
    let one = |job: &Job| match job {
        Job::Tables(p) => check_pair(p, ingester),
        Job::Years(y) => check_years(y, ingester),
    };
    let (checked, _) = crate::batch::map_on_threads(jobs, "jixiao-pairs", &work, one);
    let mut by_path: BTreeMap<String, Amendment> = BTreeMap::new();
    for a in checked.into_iter().flatten() {
        let entry = by_path
            .entry(a.path.clone())
            .or_insert_with(|| Amendment::new(&a.path));
        entry.partners.extend(a.partners);
        entry.findings.extend(a.findings);
        entry.diagnostics.extend(a.diagnostics);
    }
    for (path, d) in &plan.unpaired {
        by_path
            .entry(path.clone())
            .or_insert_with(|| Amendment::new(path))
            .diagnostics
            .push(d.clone());
    }
    by_path.into_values().collect()
}

/// A candidate's pages, read again through `ingester`; an error (the
/// file gone or changed since it was audited, or unreadable now) in
/// Chinese.
fn read_again(c: &Candidate, ingester: &Ingester) -> Result<Pages, String> {
    let bytes = std::fs::read(&c.path).map_err(|e| format!("{}：无法再次读取（{e}）", c.path))?;
    if crate::batch::hex_sha256(&bytes) != c.sha256 {
        return Err(format!("{}：文件在检查后已被改动", c.path));
    }
    ingester
        .ingest(Path::new(&c.path), &bytes)
        .map_err(|e| format!("{}：{}", c.path, e.message))
}

/// The start of a pair's check: the amendments of `a` and `b`, each naming
/// the other (`relations`: what `b` is to `a`, what `a` is to `b`), and
/// both read again; or, where one cannot be read, the amendments with
/// `a`'s diagnostic saying why.
fn read_both(
    a: &Candidate,
    b: &Candidate,
    relations: (Relation, Relation),
    ingester: &Ingester,
) -> Result<(Amendment, Amendment, Pages, Pages), Box<[Amendment; 2]>> {
    let mut for_a = Amendment::new(&a.path);
    let mut for_b = Amendment::new(&b.path);
    for_a.partners.push(Partner {
        path: b.path.clone(),
        relation: relations.0,
    });
    for_b.partners.push(Partner {
        path: a.path.clone(),
        relation: relations.1,
    });
    let pages = read_again(a, ingester).and_then(|pa| read_again(b, ingester).map(|pb| (pa, pb)));
    match pages {
        Ok((pa, pb)) => Ok((for_a, for_b, pa, pb)),
        Err(why) => {
            for_a.diagnostics.push(unchecked(&b.path, &why));
            Err(Box::new([for_a, for_b]))
        }
    }
}

/// Checks a document against the same body's document of the year before
/// (TBL008): the amendment of each one's record.
pub fn check_years(pair: &YearPair, ingester: &Ingester) -> [Amendment; 2] {
    let (cur, prev) = (&pair.current, &pair.previous);
    let relations = (Relation::PreviousYear, Relation::NextYear);
    let (mut for_cur, for_prev, cur_pages, prev_pages) =
        match read_both(cur, prev, relations, ingester) {
            Ok(read) => read,
            Err(amended) => return *amended,
        };
    let checked = catch_unwind(AssertUnwindSafe(|| {
        with_report(&prev_pages, |last_report, last_cx| {
            let last = LastYear {
                report: last_report,
                cx: last_cx,
                path: &prev.path,
            };
            with_report(&cur_pages, |report, cx| {
                let mut out = Vec::new();
                previous_year_mismatch::check_pair(report, cx, &last, &mut out);
                out
            })
        })
    }));
    match checked {
        Ok(mut findings) => {
            findings.sort_by_key(|f| (f.evidence.first().and_then(|e| e.page), f.rule));
            for_cur.findings = findings;
        }
        Err(_) => for_cur.diagnostics.push(unchecked(
            &prev.path,
            "与上年文件核对时程序崩溃，请将这两个文件反馈给开发者",
        )),
    }
    [for_cur, for_prev]
}

/// Checks one pair: the amendment of the narrative's record and of the
/// table file's record (see the module doc).
pub fn check_pair(pair: &Pair, ingester: &Ingester) -> [Amendment; 2] {
    let (n, t) = (&pair.narrative, &pair.tables);
    let relations = (Relation::Tables, Relation::Narrative);
    let (mut for_n, mut for_t, np, tp) = match read_both(n, t, relations, ingester) {
        Ok(read) => read,
        Err(amended) => return *amended,
    };
    let split = np.pages.len() as u32;
    let whole = Pages {
        pages: np.pages.into_iter().chain(tp.pages).collect(),
        text_layer: np.text_layer,
        rows: np.rows.into_iter().chain(tp.rows).collect(),
        diagnostics: Vec::new(),
        // The table file's pages come after the narrative's.
        ocr: np
            .ocr
            .into_iter()
            .chain(tp.ocr.into_iter().map(|p| OcrPage {
                page: p.page + split,
                ..p
            }))
            .collect(),
    };
    let analysis = match catch_unwind(AssertUnwindSafe(|| analyze(&whole))) {
        Ok(a) => a,
        Err(_) => {
            for_n.diagnostics.push(unchecked(
                &t.path,
                "合并分析时程序崩溃，请将这两个文件反馈给开发者",
            ));
            return [for_n, for_t];
        }
    };
    for mut f in analysis.findings {
        if !CROSS_RULES.contains(&f.rule) {
            continue;
        }
        let in_tables = |e: &crate::model::Evidence| e.page.is_some_and(|p| p > split);
        let both = f.evidence.iter().any(in_tables) && f.evidence.iter().any(|e| !in_tables(e));
        if !both {
            continue;
        }
        let primary_in_tables = f.evidence.first().is_some_and(in_tables);
        for e in &mut f.evidence {
            match (in_tables(e), primary_in_tables) {
                (true, true) => e.page = e.page.map(|p| p - split),
                (true, false) => {
                    e.page = e.page.map(|p| p - split);
                    e.source = Some(t.path.clone());
                }
                (false, true) => e.source = Some(n.path.clone()),
                (false, false) => {}
            }
        }
        if primary_in_tables {
            for_t.findings.push(f);
        } else {
            for_n.findings.push(f);
        }
    }
    [for_n, for_t]
}

/// Pairs the records of a batch held in memory, reports included (the
/// terminal run), and amends them.
pub fn pair_records(records: &mut [Record], ingester: &Ingester, jobs: usize) {
    let candidates: Vec<Candidate> = records
        .iter()
        .filter_map(|r| Candidate::of(r, r.report.as_ref()))
        .collect();
    let amendments = check_all(&plan(&candidates), ingester, jobs);
    for a in &amendments {
        if let Some(r) = records.iter_mut().find(|r| r.source.path == a.path) {
            a.apply(r);
        }
    }
}

/// Pairs the records of a run written into its journal (`journal`: the
/// journal file, needed for the lines kept there) and amends them: an
/// amended record's line is made again and held in memory.
pub fn pair_stored(
    entries: &mut [Stored],
    journal: Option<&std::fs::File>,
    ingester: &Ingester,
    jobs: usize,
) -> std::io::Result<()> {
    let mut candidates = Vec::new();
    for stored in entries.iter() {
        if Candidate::of(&stored.record, None).is_none() {
            continue;
        }
        let report = stored.report(journal)?;
        candidates.extend(Candidate::of(&stored.record, report.as_ref()));
    }
    let mut amendments = check_all(&plan(&candidates), ingester, jobs);
    // A record of an earlier run (`--resume`) may carry what a pairing
    // added then: taken out where no pair adds it again now.
    for stored in entries.iter() {
        let path = stored.path();
        if is_amended(&stored.record) && !amendments.iter().any(|a| a.path == path) {
            amendments.push(Amendment::new(path));
        }
    }
    for a in &amendments {
        let Some(stored) = entries.iter_mut().find(|s| s.path() == a.path) else {
            continue;
        };
        stored.amend(journal, |record| a.apply(record))?;
    }
    Ok(())
}

fn unchecked(partner: &str, why: &str) -> Diagnostic {
    Diagnostic {
        kind: DiagnosticKind::UnpairedDocument,
        page: None,
        message: format!("与 {partner} 的跨文件核对未能进行：{why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(path: &str, org: &str, year: Option<u32>, tables: usize) -> Candidate {
        // A narrative states changes; a file of tables does not.
        Candidate {
            path: path.into(),
            kind: DocumentKind::Budget,
            organization: Some(org.into()),
            year: year.or_else(|| year_of_file_name(path)),
            tables,
            changes: usize::from(tables == 0),
            unit_scope: false,
            sha256: String::new(),
        }
    }

    #[test]
    fn one_body_however_its_name_is_written() {
        let key = organization_key("江苏省委办公厅");
        assert_eq!(organization_key("中国共产党江苏省委员会办公厅"), key);
        assert_eq!(organization_key("中共江苏省委办公厅"), key);
        assert_ne!(organization_key("江苏省政协办公厅"), key);
    }

    #[test]
    fn the_year_of_a_file_name_when_it_gives_one() {
        assert_eq!(year_of_file_name("in/js_zx_2017_tables.pdf"), Some(2017));
        assert_eq!(year_of_file_name("2019年部门预算公开表.pdf"), Some(2019));
        assert_eq!(year_of_file_name("2018-2019对比.pdf"), None);
        assert_eq!(year_of_file_name("20170.pdf"), None);
        assert_eq!(year_of_file_name("2017/tables.pdf"), None);
    }

    #[test]
    fn a_narrative_pairs_with_the_one_table_file_of_its_body_and_year() {
        let cands = [
            cand("a/说明2017.pdf", "江苏省委办公厅", Some(2017), 0),
            cand(
                "a/tables_2017.pdf",
                "中国共产党江苏省委员会办公厅",
                None,
                12,
            ),
            // Another year of the same body: no partner.
            cand("a/tables_2018.pdf", "中共江苏省委办公厅", Some(2018), 12),
            cand("a/说明2019.pdf", "江苏省委办公厅", Some(2019), 0),
            // A complete document (narrative and tables) of another body.
            cand("b/full_2017.pdf", "江苏省政协办公厅", Some(2017), 12),
        ];
        let plan = plan(&cands);
        assert_eq!(plan.pairs.len(), 1);
        assert_eq!(plan.pairs[0].narrative.path, "a/说明2017.pdf");
        assert_eq!(plan.pairs[0].tables.path, "a/tables_2017.pdf");
        assert!(plan.unpaired.is_empty());
    }

    #[test]
    fn a_year_is_checked_against_the_year_before_of_the_same_scope() {
        let now = cand("b/2021.pdf", "某厅", Some(2021), 9);
        let mut now = now;
        now.changes = 10;
        let mut unit = cand("b/单位2020.pdf", "某厅", Some(2020), 9);
        unit.unit_scope = true;
        assert!(plan(&[now.clone(), unit.clone()]).years.is_empty());
        let dept = cand("b/部门2020.pdf", "某厅", Some(2020), 9);
        let p = plan(&[now, unit, dept]);
        assert_eq!(p.years.len(), 1);
        assert_eq!(p.years[0].previous.path, "b/部门2020.pdf");
        assert!(super::is_unit_title("2026年预算单位财务收支预算总表"));
        assert!(!super::is_unit_title("2026年部门财务收支预算总表"));
    }

    #[test]
    fn an_ambiguous_group_is_not_guessed() {
        let cands = [
            cand("n.pdf", "某厅", Some(2020), 0),
            cand("t1.pdf", "某厅", Some(2020), 9),
            cand("t2.pdf", "某厅", Some(2020), 9),
        ];
        let plan = plan(&cands);
        assert!(plan.pairs.is_empty());
        assert_eq!(plan.unpaired.len(), 1);
        assert!(plan.unpaired[0].1.message.contains("2 份含公开表的文件"));
        // A whole document of the same body and year (a 单位's, with its
        // own narrative) is no narrative's table file.
        let mut whole = cand("u.pdf", "某厅", Some(2020), 9);
        whole.changes = 12;
        assert!(super::plan(&[cand("n.pdf", "某厅", Some(2020), 0), whole])
            .pairs
            .is_empty());
        // A 决算 does not pair with a 预算.
        let mut fin = cand("f.pdf", "某厅", Some(2020), 9);
        fin.kind = DocumentKind::FinalAccounts;
        assert!(super::plan(&[cand("n.pdf", "某厅", Some(2020), 0), fin])
            .pairs
            .is_empty());
    }
}
