//! Who may do what, and who may see what. Every service asks here; this is the only place
//! that knows that agency staff act only within their own agency, that unpublished things
//! exist only for their agency, and which lists show what to whom.

use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::t;

crate::vocabulary! {
    /// What an account is.
    pub enum Role {
        /// 公众: comments, registrations.
        Resident = "resident",
        /// 工作人员: an agency's work (drafts, moderation, reports, meetings).
        AgencyStaff = "agency_staff",
        /// 单位管理员: the above, plus the agency's staff accounts.
        AgencyAdmin = "agency_admin",
        /// 平台管理员 (区政务公开办): the agency tree, policy areas, audit logs, every agency.
        PlatformAdmin = "platform_admin",
    }
}

/// A signed-in account as authorization sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub account_id: Uuid,
    pub session_id: Uuid,
    pub role: Role,
    /// Set for agency staff and agency admins; `None` for everyone else.
    pub agency_id: Option<Uuid>,
}

/// Whoever is making the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    SignedIn(Principal),
}

/// Things an actor may ask to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create agencies, change the tree.
    ManageAgencies,
    /// Add policy areas.
    ManagePolicyAreas,
    /// Create and list the staff accounts of one agency.
    ManageStaffOf(Uuid),
    /// Do an agency's work: drafts, moderation, reports, meetings.
    ActFor(Uuid),
    /// Read the audit log.
    ReadAuditLog,
    /// See which agencies have disclosure catalogues for which areas (the platform admin).
    ReadCatalogueCoverage,
    /// Keep the list of disclosure channels (the platform admin).
    ManageDisclosureChannels,
    /// Try how a draft text splits into articles (nothing is saved): any agency's staff.
    PreviewDrafts,
    /// Disable, enable or reset the password of an account of `agency` (`None`: a resident
    /// or the platform admin's own kind): the agency's admins for its staff, the platform
    /// admin for everyone.
    ManageAccount { agency: Option<Uuid> },
}

/// Which decisions a list may show an actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionScope {
    /// Published decisions only.
    Public,
    /// Published decisions, and everything of this agency.
    PublicAndAgency(Uuid),
    /// Everything (the platform admin).
    Everything,
}

impl Actor {
    pub fn principal(&self) -> AppResult<&Principal> {
        match self {
            Actor::SignedIn(p) => Ok(p),
            Actor::Anonymous => Err(AppError::Unauthenticated(t!("请先登录。", "Please sign in first."))),
        }
    }

    /// The signed-in account, if any.
    pub fn account_id(&self) -> Option<Uuid> {
        match self {
            Actor::SignedIn(p) => Some(p.account_id),
            Actor::Anonymous => None,
        }
    }

    /// The agency this actor works for, if any.
    pub fn agency_id(&self) -> Option<Uuid> {
        match self {
            Actor::SignedIn(p) => p.agency_id,
            Actor::Anonymous => None,
        }
    }

    /// The one rule book: `Ok(())` when this actor may do `action`, 401 when signing in
    /// could help, 403 when it could not.
    pub fn authorize(&self, action: Action) -> AppResult<()> {
        let p = self.principal()?;
        let allowed = match (p.role, action) {
            (Role::PlatformAdmin, _) => true,
            (Role::AgencyAdmin, Action::ManageStaffOf(agency) | Action::ActFor(agency)) => p.agency_id == Some(agency),
            (Role::AgencyStaff, Action::ActFor(agency)) => p.agency_id == Some(agency),
            (Role::AgencyAdmin | Role::AgencyStaff, Action::PreviewDrafts) => p.agency_id.is_some(),
            (Role::AgencyAdmin, Action::ManageAccount { agency }) => agency.is_some() && p.agency_id == agency,
            _ => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden(t!("您的账号无权进行此操作。", "Your account is not allowed to do this.")))
        }
    }

    /// The agency an actor works for in a request: the one given (the platform admin names
    /// one; staff may name only their own), else their own; 422 when there is none.
    pub fn acting_agency(&self, given: Option<Uuid>) -> AppResult<Uuid> {
        self.principal()?;
        let agency = given
            .or(self.agency_id())
            .ok_or_else(|| AppError::invalid("agency_id", "required", t!("请选择单位。", "Choose the agency.")))?;
        self.authorize(Action::ActFor(agency))?;
        Ok(agency)
    }

    /// May this actor see what `agency` has not published (drafts, unpublished versions,
    /// moderation queues)? Those who may not are told such things do not exist (404), not
    /// that they are hidden.
    pub fn sees_unpublished_of(&self, agency: Uuid) -> bool {
        self.authorize(Action::ActFor(agency)).is_ok()
    }

    /// May this actor know that a decision of `agency` exists? Published ones are
    /// everyone's; the others exist only for their agency.
    pub fn may_see_decision(&self, agency: Uuid, published: bool) -> bool {
        published || self.sees_unpublished_of(agency)
    }

    /// May this actor read a draft version of a decision of `agency`?
    pub fn may_see_version(&self, agency: Uuid, version_published: bool) -> bool {
        version_published || self.sees_unpublished_of(agency)
    }

    /// Which decisions lists show this actor; the same rule as [`Actor::may_see_decision`].
    pub fn decision_scope(&self) -> DecisionScope {
        match self {
            Actor::SignedIn(p) if p.role == Role::PlatformAdmin => DecisionScope::Everything,
            Actor::SignedIn(Principal { agency_id: Some(agency), .. }) => DecisionScope::PublicAndAgency(*agency),
            _ => DecisionScope::Public,
        }
    }

    /// Does the public list of a consultation's comments show its published comments to
    /// this actor? Only when the consultation publishes comments — for everyone alike, staff
    /// included: the agency reads its comments in the moderation inbox, not here.
    pub fn may_list_published_comments(&self, comments_public: bool) -> bool {
        comments_public
    }

    /// Is this the account a comment (or registration) was sent from? Only its author may
    /// act on it through the account; anyone may through its receipt.
    pub fn is_author(&self, account_id: Option<Uuid>) -> bool {
        account_id.is_some() && self.account_id() == account_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, agency: Option<Uuid>) -> Actor {
        Actor::SignedIn(Principal { account_id: Uuid::from_u128(9), session_id: Uuid::nil(), role, agency_id: agency })
    }

    const A: Uuid = Uuid::from_u128(1);
    const B: Uuid = Uuid::from_u128(2);

    fn everyone() -> Vec<Actor> {
        vec![
            Actor::Anonymous,
            actor(Role::Resident, None),
            actor(Role::AgencyStaff, Some(A)),
            actor(Role::AgencyStaff, Some(B)),
            actor(Role::AgencyAdmin, Some(A)),
            actor(Role::AgencyAdmin, Some(B)),
            actor(Role::PlatformAdmin, None),
        ]
    }

    /// The full matrix of roles × actions, on an agency `A` and another agency `B`:
    /// 'y' allowed, 'u' 401, 'f' 403.
    #[test]
    fn matrix() {
        let actions = [
            Action::ManageAgencies,
            Action::ManagePolicyAreas,
            Action::ManageStaffOf(A),
            Action::ActFor(A),
            Action::ReadAuditLog,
            Action::PreviewDrafts,
            Action::ManageAccount { agency: Some(A) },
            Action::ManageAccount { agency: None },
        ];
        // In the order of `everyone()`; staff and admins of B may preview drafts too, but
        // act for and manage only their own agency; residents' accounts are the platform
        // admin's alone.
        let expected = ["uuuuuuuu", "ffffffff", "fffyfyff", "fffffyff", "ffyyfyyf", "fffffyff", "yyyyyyyy"];
        let who = everyone();
        assert_eq!(who.len(), expected.len());
        for (who, row) in who.iter().zip(expected) {
            assert_eq!(row.len(), actions.len(), "one column per action for {who:?}");
            for (action, want) in actions.iter().zip(row.chars()) {
                let got = match who.authorize(*action) {
                    Ok(()) => 'y',
                    Err(AppError::Unauthenticated(_)) => 'u',
                    Err(AppError::Forbidden(_)) => 'f',
                    Err(e) => panic!("unexpected {e:?}"),
                };
                assert_eq!(got, want, "{who:?} {action:?}");
            }
        }
    }

    /// Staff of an agency without an agency (a broken account) may do nothing of an agency's.
    #[test]
    fn staff_without_an_agency_act_for_none() {
        for role in [Role::AgencyStaff, Role::AgencyAdmin] {
            let a = actor(role, None);
            assert!(a.authorize(Action::PreviewDrafts).is_err());
            assert!(a.authorize(Action::ActFor(A)).is_err());
            assert_eq!(a.decision_scope(), DecisionScope::Public);
        }
    }

    /// Who sees what is unpublished, and which decisions lists show: the two must agree.
    #[test]
    fn visibility() {
        // (sees A's unpublished, sees B's unpublished, scope)
        let expected = [
            (false, false, DecisionScope::Public),
            (false, false, DecisionScope::Public),
            (true, false, DecisionScope::PublicAndAgency(A)),
            (false, true, DecisionScope::PublicAndAgency(B)),
            (true, false, DecisionScope::PublicAndAgency(A)),
            (false, true, DecisionScope::PublicAndAgency(B)),
            (true, true, DecisionScope::Everything),
        ];
        for (who, (a, b, scope)) in everyone().iter().zip(expected) {
            assert_eq!(who.sees_unpublished_of(A), a, "{who:?}");
            assert_eq!(who.sees_unpublished_of(B), b, "{who:?}");
            assert_eq!(who.decision_scope(), scope, "{who:?}");
            for agency in [A, B] {
                assert!(who.may_see_decision(agency, true) && who.may_see_version(agency, true));
                let sees = who.sees_unpublished_of(agency);
                assert_eq!(who.may_see_decision(agency, false), sees, "{who:?}");
                assert_eq!(who.may_see_version(agency, false), sees, "{who:?}");
                let listed = match scope {
                    DecisionScope::Public => false,
                    DecisionScope::PublicAndAgency(x) => x == agency,
                    DecisionScope::Everything => true,
                };
                assert_eq!(listed, sees, "lists and pages agree for {who:?}");
            }
            assert!(who.may_list_published_comments(true));
            assert!(!who.may_list_published_comments(false), "{who:?}");
        }
    }

    #[test]
    fn authors() {
        let me = actor(Role::Resident, None);
        assert!(me.is_author(Some(Uuid::from_u128(9))));
        assert!(!me.is_author(Some(Uuid::from_u128(8))));
        assert!(!me.is_author(None));
        assert!(!Actor::Anonymous.is_author(None));
    }
}
