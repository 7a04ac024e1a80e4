//! Read models of decisions: what the services answer, built from stored rows. Plain Rust
//! types; only the HTTP layer (`dto.rs`) knows their wire shapes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::diff::{self, Op, TextOp};
use super::model::{DecisionStatus, DecisionStep, Link, Moderation, length_days};
use super::splitter::SectionKind;
use super::store;
use crate::authz::Actor;
use crate::db::Db;
use crate::entities::{attachments, audit_log, decisions, draft_versions, sections};
use crate::error::AppResult;

/// The status of a stored decision at `now`: the clock opens and closes windows.
pub fn status_now(d: &decisions::Model, now: DateTime<Utc>) -> DecisionStatus {
    d.status.effective(d.window_opens_at, d.window_closes_at, now)
}

/// A decision in a list.
#[derive(Clone, Debug)]
pub struct DecisionSummary {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub status: DecisionStatus,
    pub catalogue_year: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub window_opens_at: Option<DateTime<Utc>>,
    pub window_closes_at: Option<DateTime<Utc>>,
}

pub fn summary(d: decisions::Model, names: &HashMap<Uuid, String>, now: DateTime<Utc>) -> DecisionSummary {
    DecisionSummary {
        status: status_now(&d, now),
        agency_name: names.get(&d.agency_id).cloned().unwrap_or_default(),
        id: d.id,
        title: d.title,
        summary: d.summary,
        agency_id: d.agency_id,
        policy_area_id: d.policy_area_id,
        catalogue_year: d.catalogue_year,
        published_at: d.published_at,
        window_opens_at: d.window_opens_at,
        window_closes_at: d.window_closes_at,
    }
}

#[derive(Clone, Debug)]
pub struct VersionSummary {
    pub number: i32,
    pub note: String,
    pub section_count: i32,
    pub published: bool,
    pub created_at: DateTime<Utc>,
}

pub fn version_summary(v: &draft_versions::Model) -> VersionSummary {
    VersionSummary {
        number: v.number,
        note: v.note.clone(),
        section_count: v.section_count,
        published: v.published,
        created_at: v.created_at,
    }
}

#[derive(Clone, Debug)]
pub struct Extension {
    pub previous_closes_at: DateTime<Utc>,
    pub new_closes_at: DateTime<Utc>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct Consultation {
    pub version: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub original_closes_at: DateTime<Utc>,
    pub length_days: i64,
    pub short_window_reason: Option<String>,
    pub anonymous_allowed: bool,
    pub comments_public: bool,
    pub moderation: Moderation,
    pub extensions: Vec<Extension>,
}

#[derive(Clone, Debug)]
pub struct DecisionOutcome {
    pub decided_on: String,
    pub final_version: i32,
    pub interpretation: String,
    pub links: Vec<Link>,
}

/// A decision with everything the actor may know of it.
#[derive(Clone, Debug)]
pub struct Decision {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub basis: String,
    pub explanation: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub catalogue_year: i32,
    pub planned_timing: Option<String>,
    pub listed_in_catalogue: bool,
    pub status: DecisionStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub consultation: Option<Consultation>,
    pub versions: Vec<VersionSummary>,
    pub withdrawn_reason: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub outcome: Option<DecisionOutcome>,
    /// What the actor may do next (empty for everyone but the agency's staff).
    pub allowed_steps: Vec<DecisionStep>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Versions an actor may see: the published ones, or all of them for the agency's staff.
pub fn visible_versions(
    actor: &Actor,
    d: &decisions::Model,
    all: Vec<draft_versions::Model>,
) -> Vec<draft_versions::Model> {
    all.into_iter().filter(|v| actor.may_see_version(d.agency_id, v.published)).collect()
}

async fn consultation(db: &Db, decision_id: Uuid) -> AppResult<Option<Consultation>> {
    let Some(c) = store::consultation(db.conn(), decision_id).await? else { return Ok(None) };
    // Only an extended window has extensions to read.
    let extensions =
        if c.closes_at == c.original_closes_at { vec![] } else { store::extensions(db.conn(), c.id).await? };
    Ok(Some(Consultation {
        version: c.version_number,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        original_closes_at: c.original_closes_at,
        length_days: length_days(c.opens_at, c.closes_at),
        short_window_reason: c.short_window_reason,
        anonymous_allowed: c.anonymous_allowed,
        comments_public: c.comments_public,
        moderation: c.moderation,
        extensions: extensions
            .into_iter()
            .map(|e| Extension {
                previous_closes_at: e.previous_closes_at,
                new_closes_at: e.new_closes_at,
                note: e.note,
                created_at: e.created_at,
            })
            .collect(),
    }))
}

/// The outcome as recorded; links that no longer parse are an error, not an empty list.
fn outcome(d: &decisions::Model) -> AppResult<Option<DecisionOutcome>> {
    let (Some(final_version), Some(decided_on), Some(interpretation)) =
        (d.final_version, &d.decided_on, &d.interpretation)
    else {
        return Ok(None);
    };
    let links = match d.interpretation_links.as_deref() {
        None => vec![],
        Some(l) => serde_json::from_str::<Vec<Link>>(l)
            .map_err(|e| anyhow::anyhow!("decision {}: stored interpretation links unreadable: {e}", d.id))?,
    };
    Ok(Some(DecisionOutcome {
        decided_on: decided_on.clone(),
        final_version,
        interpretation: interpretation.clone(),
        links,
    }))
}

pub async fn detail(db: &Db, actor: &Actor, d: decisions::Model, now: DateTime<Utc>) -> AppResult<Decision> {
    let agency_name = crate::agencies::store::find(db.conn(), d.agency_id).await?.map(|a| a.name).unwrap_or_default();
    let versions = visible_versions(actor, &d, store::versions(db.conn(), d.id).await?);
    let consultation = consultation(db, d.id).await?;
    let status = status_now(&d, now);
    let allowed_steps = if actor.sees_unpublished_of(d.agency_id) { status.allowed_steps() } else { vec![] };
    let outcome = outcome(&d)?;
    Ok(Decision {
        agency_name,
        status,
        consultation,
        versions: versions.iter().map(version_summary).collect(),
        outcome,
        allowed_steps,
        id: d.id,
        title: d.title,
        summary: d.summary,
        basis: d.basis,
        explanation: d.explanation,
        agency_id: d.agency_id,
        policy_area_id: d.policy_area_id,
        catalogue_year: d.catalogue_year,
        planned_timing: d.planned_timing,
        listed_in_catalogue: d.listed_in_catalogue,
        published_at: d.published_at,
        withdrawn_reason: d.withdrawn_reason,
        withdrawn_at: d.withdrawn_at,
        created_at: d.created_at,
        updated_at: d.updated_at,
    })
}

/// A section of a draft version. Its id is stable: comments point at it.
#[derive(Clone, Debug)]
pub struct Section {
    pub id: Uuid,
    pub position: i32,
    pub kind: SectionKind,
    pub number: Option<i32>,
    pub label: String,
    pub heading: String,
    pub text: String,
    pub parent_id: Option<Uuid>,
    pub key: String,
}

pub fn section(s: sections::Model) -> Section {
    Section {
        id: s.id,
        position: s.position,
        kind: s.kind,
        number: s.number,
        label: s.label,
        heading: s.heading,
        text: s.body,
        parent_id: s.parent_id,
        key: s.key,
    }
}

#[derive(Clone, Debug)]
pub struct Version {
    pub number: i32,
    pub note: String,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub sections: Vec<Section>,
}

pub fn version(v: draft_versions::Model, sections: Vec<sections::Model>) -> Version {
    Version {
        number: v.number,
        note: v.note,
        published: v.published,
        created_at: v.created_at,
        sections: sections.into_iter().map(section).collect(),
    }
}

crate::vocabulary! {
    /// How one section differs between two versions.
    pub enum SectionChangeKind {
        Added = "added",
        Removed = "removed",
        Changed = "changed",
        Unchanged = "unchanged",
    }
}

#[derive(Clone, Debug)]
pub struct SectionChange {
    pub key: String,
    pub from_key: Option<String>,
    pub to_key: Option<String>,
    pub change: SectionChangeKind,
    pub from_section_id: Option<Uuid>,
    pub to_section_id: Option<Uuid>,
    pub text_diff: Vec<TextOp>,
}

#[derive(Clone, Debug)]
pub struct VersionDiff {
    pub from: i32,
    pub to: i32,
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub changes: Vec<SectionChange>,
}

/// An entry of the yearly catalogue of major decisions (重大决策事项目录).
#[derive(Clone, Debug)]
pub struct CatalogueEntry {
    pub id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub planned_timing: Option<String>,
    pub status: DecisionStatus,
    pub published: bool,
}

pub fn catalogue_entry(d: decisions::Model, names: &HashMap<Uuid, String>, now: DateTime<Utc>) -> CatalogueEntry {
    CatalogueEntry {
        status: status_now(&d, now),
        published: d.published_at.is_some(),
        agency_name: names.get(&d.agency_id).cloned().unwrap_or_default(),
        id: d.id,
        title: d.title,
        agency_id: d.agency_id,
        policy_area_id: d.policy_area_id,
        planned_timing: d.planned_timing,
    }
}

/// One recorded action.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

pub fn audit_entry(e: audit_log::Model) -> AppResult<AuditEntry> {
    let details = serde_json::from_str(&e.details)
        .map_err(|err| anyhow::anyhow!("audit entry {}: details unreadable: {err}", e.id))?;
    Ok(AuditEntry { id: e.id, actor_id: e.actor_id, action: e.action, details, created_at: e.created_at })
}

/// A file attached to a decision.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

pub fn attachment(a: attachments::Model) -> Attachment {
    Attachment {
        id: a.id,
        file_name: a.file_name,
        content_type: a.content_type,
        size_bytes: a.size_bytes,
        sha256: a.sha256,
        created_at: a.created_at,
    }
}

fn comparable(s: &sections::Model) -> String {
    if s.heading.is_empty() {
        s.body.clone()
    } else if s.body.is_empty() {
        s.heading.clone()
    } else {
        format!("{}\n{}", s.heading, s.body)
    }
}

/// How alike two texts are: the share of characters a diff keeps (0 to 1).
fn similarity(ops: &[diff::TextOp], a: &str, b: &str) -> f64 {
    let total = a.chars().count() + b.chars().count();
    if total == 0 {
        return 1.0;
    }
    let kept: usize = ops.iter().filter(|o| o.op == Op::Equal).map(|o| o.text.chars().count()).sum();
    2.0 * kept as f64 / total as f64
}

/// Most removed/added section pairs compared for similarity in one diff.
pub const MAX_PAIRINGS: usize = 300;

/// Section-by-section difference. Sections are matched by their content, not their
/// numbers: deleting 第二条 renumbers every later article, and those articles are unchanged.
/// Between matched sections, a removed and an added section of the same kind that are
/// mostly alike are shown as one changed section with a character-level diff.
pub fn diff(from: i32, to: i32, a: &[sections::Model], b: &[sections::Model]) -> VersionDiff {
    let ta: Vec<String> = a.iter().map(comparable).collect();
    let tb: Vec<String> = b.iter().map(comparable).collect();
    let ka: Vec<&str> = ta.iter().map(String::as_str).collect();
    let kb: Vec<&str> = tb.iter().map(String::as_str).collect();
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    // Pairing removed with added sections compares texts pairwise; a rewrite of a whole draft
    // would make that quadratic in sections, so the comparisons are capped (past the cap,
    // sections show as removed and added, which is still true).
    let mut comparisons = 0usize;
    let mut flush =
        |removed: &mut Vec<usize>, added: &mut Vec<usize>, pairs: &mut Vec<(Option<usize>, Option<usize>)>| {
            let mut used = vec![false; added.len()];
            for &i in removed.iter() {
                let candidate = added.iter().enumerate().find(|(k, j)| {
                    if used[*k] || a[i].kind != b[**j].kind || comparisons >= MAX_PAIRINGS {
                        return false;
                    }
                    comparisons += 1;
                    similarity(&diff::diff_text(&ta[i], &tb[**j]), &ta[i], &tb[**j]) >= 0.5
                });
                match candidate {
                    Some((k, &j)) => {
                        used[k] = true;
                        pairs.push((Some(i), Some(j)));
                    }
                    None => pairs.push((Some(i), None)),
                }
            }
            for (k, &j) in added.iter().enumerate() {
                if !used[k] {
                    pairs.push((None, Some(j)));
                }
            }
            removed.clear();
            added.clear();
        };
    for pair in diff::align(&ka, &kb) {
        match pair {
            (Some(i), None) => removed.push(i),
            (None, Some(j)) => added.push(j),
            matched => {
                flush(&mut removed, &mut added, &mut pairs);
                pairs.push(matched);
            }
        }
    }
    flush(&mut removed, &mut added, &mut pairs);

    let mut out = VersionDiff { from, to, added: 0, removed: 0, changed: 0, unchanged: 0, changes: vec![] };
    for (i, j) in pairs {
        let (sa, sb) = (i.map(|i| &a[i]), j.map(|j| &b[j]));
        let (xa, xb) = (i.map(|i| ta[i].as_str()).unwrap_or(""), j.map(|j| tb[j].as_str()).unwrap_or(""));
        let change = match (sa, sb) {
            (Some(_), None) => SectionChangeKind::Removed,
            (None, Some(_)) => SectionChangeKind::Added,
            _ if xa == xb => SectionChangeKind::Unchanged,
            _ => SectionChangeKind::Changed,
        };
        match change {
            SectionChangeKind::Removed => out.removed += 1,
            SectionChangeKind::Added => out.added += 1,
            SectionChangeKind::Unchanged => out.unchanged += 1,
            SectionChangeKind::Changed => out.changed += 1,
        }
        let text_diff = diff::diff_text(xa, xb).into_iter().filter(|t| !t.text.is_empty()).collect();
        out.changes.push(SectionChange {
            key: sb.or(sa).map(|s| s.key.clone()).unwrap_or_default(),
            from_key: sa.map(|s| s.key.clone()),
            to_key: sb.map(|s| s.key.clone()),
            change,
            from_section_id: sa.map(|s| s.id),
            to_section_id: sb.map(|s| s.id),
            text_diff,
        });
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').fold(
        String::with_capacity(s.len()),
        |mut out, c| {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                c => out.push(c),
            }
            out
        },
    )
}

/// An Atom feed of newly published consultations.
pub fn atom_feed(public_url: &str, items: &[decisions::Model], names: &HashMap<Uuid, String>) -> String {
    let updated = items.iter().filter_map(|d| d.published_at).max().unwrap_or_else(Utc::now);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("  <title>问计 · 征求意见</title>\n");
    out.push_str(&format!("  <id>{}/api/v1/feeds/consultations.atom</id>\n", xml_escape(public_url)));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}/api/v1/feeds/consultations.atom\"/>\n",
        xml_escape(public_url)
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", updated.to_rfc3339()));
    for d in items {
        let link = format!("{}/consultations/{}", public_url, d.id);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&d.title)));
        out.push_str(&format!("    <id>urn:uuid:{}</id>\n", d.id));
        out.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&link)));
        out.push_str(&format!("    <updated>{}</updated>\n", d.published_at.unwrap_or(d.updated_at).to_rfc3339()));
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(names.get(&d.agency_id).map(String::as_str).unwrap_or("问计"))
        ));
        out.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&d.summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
