//! Building the wire shapes from stored rows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::diff::{self, Op};
use super::dto::*;
use super::model::Link;
use super::service::status_now;
use super::store;
use crate::authz::{Action, Actor};
use crate::db::Db;
use crate::entities::{agencies, decisions, draft_versions, sections};
use crate::error::AppResult;

pub async fn agency_names(db: &Db) -> AppResult<HashMap<Uuid, String>> {
    Ok(crate::agencies::store::all(db.conn()).await?.into_iter().map(|a: agencies::Model| (a.id, a.name)).collect())
}

pub fn summary(d: decisions::Model, names: &HashMap<Uuid, String>, now: DateTime<Utc>) -> DecisionSummary {
    DecisionSummary {
        status: status_now(&d, now).into(),
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

pub fn version_summary(v: &draft_versions::Model) -> VersionSummary {
    VersionSummary {
        number: v.number,
        note: v.note.clone(),
        section_count: v.section_count,
        published: v.published,
        created_at: v.created_at,
    }
}

/// Versions an actor may see: the published ones, or all of them for the agency's staff.
pub fn visible_versions(
    actor: &Actor,
    d: &decisions::Model,
    all: Vec<draft_versions::Model>,
) -> Vec<draft_versions::Model> {
    let staff = actor.sees_unpublished_of(d.agency_id);
    all.into_iter().filter(|v| staff || v.published).collect()
}

pub async fn detail(db: &Db, actor: &Actor, d: decisions::Model, now: DateTime<Utc>) -> AppResult<Decision> {
    let agency_name = crate::agencies::store::find(db.conn(), d.agency_id).await?.map(|a| a.name).unwrap_or_default();
    let versions = visible_versions(actor, &d, store::versions(db.conn(), d.id).await?);
    let consultation = match store::consultation(db.conn(), d.id).await? {
        None => None,
        Some(c) => {
            // Only an extended window has extensions to read.
            let extensions =
                if c.closes_at == c.original_closes_at { vec![] } else { store::extensions(db.conn(), c.id).await? };
            let extensions = extensions
                .into_iter()
                .map(|e| Extension {
                    previous_closes_at: e.previous_closes_at,
                    new_closes_at: e.new_closes_at,
                    note: e.note,
                    created_at: e.created_at,
                })
                .collect();
            Some(Consultation {
                version: c.version_number,
                opens_at: c.opens_at,
                closes_at: c.closes_at,
                original_closes_at: c.original_closes_at,
                length_days: super::model::length_days(c.opens_at, c.closes_at),
                short_window_reason: c.short_window_reason,
                anonymous_allowed: c.anonymous_allowed,
                comments_public: c.comments_public,
                moderation: if c.moderation == "pre" { Moderation::Pre } else { Moderation::Post },
                extensions,
            })
        }
    };
    let status = status_now(&d, now);
    let allowed_steps = if actor.authorize(Action::ActFor(d.agency_id)).is_ok() {
        status.allowed_steps().into_iter().map(String::from).collect()
    } else {
        vec![]
    };
    let outcome = match (d.final_version, &d.decided_on, &d.interpretation) {
        (Some(final_version), Some(decided_on), Some(interpretation)) => Some(DecisionOutcome {
            decided_on: decided_on.clone(),
            final_version,
            interpretation: interpretation.clone(),
            links: d
                .interpretation_links
                .as_deref()
                .and_then(|l| serde_json::from_str::<Vec<Link>>(l).ok())
                .unwrap_or_default()
                .into_iter()
                .map(|l| LinkDto { title: l.title, url: l.url })
                .collect(),
        }),
        _ => None,
    };
    Ok(Decision {
        agency_name,
        status: status.into(),
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
    let flush = |removed: &mut Vec<usize>, added: &mut Vec<usize>, pairs: &mut Vec<(Option<usize>, Option<usize>)>| {
        let mut used = vec![false; added.len()];
        for &i in removed.iter() {
            let candidate = added.iter().enumerate().find(|(k, j)| {
                !used[*k]
                    && a[i].kind == b[**j].kind
                    && similarity(&diff::diff_text(&ta[i], &tb[**j]), &ta[i], &tb[**j]) >= 0.5
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

    let op = |o: Op| match o {
        Op::Equal => TextOpKind::Equal,
        Op::Insert => TextOpKind::Insert,
        Op::Delete => TextOpKind::Delete,
    };
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
        let text_diff = diff::diff_text(xa, xb)
            .into_iter()
            .filter(|t| !t.text.is_empty())
            .map(|t| TextOpDto { op: op(t.op), text: t.text })
            .collect();
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
