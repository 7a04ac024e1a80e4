//! Agencies: kinds, the rules of a new agency, and the tree order lists are shown in.

use std::collections::HashMap;

use uuid::Uuid;

use chrono::{DateTime, Utc};

use crate::authz::Role;
use crate::error::FieldIssue;
use crate::t;

crate::vocabulary! {
    /// What kind of government body an agency is.
    pub enum AgencyKind {
        /// 区人民政府 (district government)
        District = "district",
        /// 政府工作部门 (department)
        Department = "department",
        /// 街道办事处 (sub-district office)
        SubDistrict = "sub_district",
        /// 乡镇人民政府 (township government)
        Township = "township",
    }
}

crate::vocabulary! {
    /// The roles a staff account of an agency can have (a subset of the account roles).
    pub enum StaffRole {
        /// 工作人员: the agency's work (drafts, moderation, reports, meetings).
        AgencyStaff = "agency_staff",
        /// 单位管理员: the above, plus the agency's staff accounts.
        AgencyAdmin = "agency_admin",
    }
}

impl StaffRole {
    pub fn role(self) -> Role {
        match self {
            StaffRole::AgencyStaff => Role::AgencyStaff,
            StaffRole::AgencyAdmin => Role::AgencyAdmin,
        }
    }

    /// The staff role of an account's role; `None` for residents and the platform admin.
    pub fn of(role: Role) -> Option<StaffRole> {
        match role {
            Role::AgencyStaff => Some(StaffRole::AgencyStaff),
            Role::AgencyAdmin => Some(StaffRole::AgencyAdmin),
            Role::Resident | Role::PlatformAdmin => None,
        }
    }
}

/// A government body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub kind: AgencyKind,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
}

/// A valid new agency; whether its parent exists is checked against the store.
#[derive(Debug)]
pub struct NewAgency {
    pub name: String,
    pub kind: AgencyKind,
    pub parent_id: Option<Uuid>,
    pub sort_order: i32,
}

impl NewAgency {
    pub fn parse(
        name: &str,
        kind: AgencyKind,
        parent_id: Option<Uuid>,
        sort_order: Option<i32>,
    ) -> Result<Self, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let name = name.trim();
        let n = name.chars().count();
        if n == 0 || n > 100 || name.chars().any(char::is_control) {
            issues.push(FieldIssue::new(
                "name",
                "invalid_name",
                t!("机关名称须为 1 至 100 个字符。", "The agency name must have 1 to 100 characters."),
            ));
        }
        if kind != AgencyKind::District && parent_id.is_none() {
            issues.push(FieldIssue::new(
                "parent_id",
                "required",
                t!("部门、街道和乡镇须有上级机关。", "Departments, sub-districts and townships need a parent agency."),
            ));
        }
        if issues.is_empty() {
            Ok(NewAgency { name: name.to_string(), kind, parent_id, sort_order: sort_order.unwrap_or(0) })
        } else {
            Err(issues)
        }
    }
}

/// Orders agencies parent-first (depth-first, siblings by sort order then name) and gives
/// each its depth, so a flat list reads as the tree.
pub fn tree_order(all: Vec<Agency>) -> Vec<(Agency, u32)> {
    let ids: std::collections::HashSet<Uuid> = all.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<Agency>> = HashMap::new();
    for a in all {
        // An agency whose parent is missing is shown as a root rather than lost.
        let parent = a.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(a);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(Agency, u32)> =
        children.remove(&None).unwrap_or_default().into_iter().rev().map(|a| (a, 0)).collect();
    while let Some((a, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(a.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
        }
        out.push((a, depth));
    }
    out
}

/// `root` and every agency below it, for filters that roll up along the tree.
pub fn subtree(all: &[Agency], root: Uuid) -> Vec<Uuid> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(all.iter().filter(|a| a.parent_id == Some(parent) && a.id != root).map(|a| a.id));
        i += 1;
        if out.len() > all.len() + 1 {
            break; // a cycle would otherwise never end
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(id: u128, parent: Option<u128>, name: &str, sort: i32) -> Agency {
        Agency {
            id: Uuid::from_u128(id),
            parent_id: parent.map(Uuid::from_u128),
            name: name.into(),
            kind: AgencyKind::Department,
            sort_order: sort,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn tree_is_depth_first_with_siblings_sorted() {
        let list = vec![
            agency(4, Some(1), "区教育局", 2),
            agency(2, Some(1), "区发展和改革委员会", 1),
            agency(1, None, "某某区人民政府", 0),
            agency(5, Some(2), "价格监测中心", 0),
            agency(3, Some(1), "城关街道办事处", 3),
        ];
        let names: Vec<(String, u32)> = tree_order(list).into_iter().map(|(a, d)| (a.name, d)).collect();
        assert_eq!(
            names,
            vec![
                ("某某区人民政府".to_string(), 0),
                ("区发展和改革委员会".to_string(), 1),
                ("价格监测中心".to_string(), 2),
                ("区教育局".to_string(), 1),
                ("城关街道办事处".to_string(), 1),
            ]
        );
    }

    #[test]
    fn subtrees() {
        let list = vec![
            agency(1, None, "区", 0),
            agency(2, Some(1), "局", 0),
            agency(3, Some(2), "中心", 0),
            agency(4, None, "别区", 0),
        ];
        let mut ids = subtree(&list, Uuid::from_u128(1));
        ids.sort();
        assert_eq!(ids, [1, 2, 3].map(Uuid::from_u128));
        assert_eq!(subtree(&list, Uuid::from_u128(3)), vec![Uuid::from_u128(3)]);
    }

    #[test]
    fn staff_roles_are_roles() {
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::of(r.role()), Some(*r));
        }
        assert_eq!(StaffRole::of(Role::Resident), None);
        assert_eq!(StaffRole::of(Role::PlatformAdmin), None);
    }

    #[test]
    fn new_agency_rules() {
        assert!(NewAgency::parse("某某区人民政府", AgencyKind::District, None, None).is_ok());
        let issues = NewAgency::parse("  ", AgencyKind::Department, None, None).unwrap_err();
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "parent_id"]);
    }
}
