//! Who may do what. Every handler asks here; this is the only place that knows that agency
//! staff act only within their own agency.

use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::t;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Resident,
    AgencyStaff,
    AgencyAdmin,
    PlatformAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::AgencyStaff => "agency_staff",
            Role::AgencyAdmin => "agency_admin",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "resident" => Role::Resident,
            "agency_staff" => Role::AgencyStaff,
            "agency_admin" => Role::AgencyAdmin,
            "platform_admin" => Role::PlatformAdmin,
            _ => return None,
        })
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
}

impl Actor {
    pub fn principal(&self) -> AppResult<&Principal> {
        match self {
            Actor::SignedIn(p) => Ok(p),
            Actor::Anonymous => Err(AppError::Unauthenticated(t!("请先登录。", "Please sign in first."))),
        }
    }

    /// May this actor see what `agency` has not published (drafts, moderation queues)?
    /// Those who may not are told such things do not exist (404), not that they are hidden.
    pub fn sees_unpublished_of(&self, agency: Uuid) -> bool {
        self.authorize(Action::ActFor(agency)).is_ok()
    }

    /// The agency this actor works for, if any.
    pub fn agency_id(&self) -> Option<Uuid> {
        match self {
            Actor::SignedIn(p) => p.agency_id,
            Actor::Anonymous => None,
        }
    }

    pub fn is_platform_admin(&self) -> bool {
        matches!(self, Actor::SignedIn(p) if p.role == Role::PlatformAdmin)
    }

    /// The one rule book: `Ok(())` when this actor may do `action`, 401 when signing in
    /// could help, 403 when it could not.
    pub fn authorize(&self, action: Action) -> AppResult<()> {
        let p = self.principal()?;
        let allowed = match (p.role, action) {
            (Role::PlatformAdmin, _) => true,
            (Role::AgencyAdmin, Action::ManageStaffOf(agency) | Action::ActFor(agency)) => p.agency_id == Some(agency),
            (Role::AgencyStaff, Action::ActFor(agency)) => p.agency_id == Some(agency),
            _ => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden(t!("您的账号无权进行此操作。", "Your account is not allowed to do this.")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, agency: Option<Uuid>) -> Actor {
        Actor::SignedIn(Principal { account_id: Uuid::nil(), session_id: Uuid::nil(), role, agency_id: agency })
    }

    /// The full matrix of roles × actions, on an agency `a` and another agency `b`.
    #[test]
    fn matrix() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let actions = [Action::ManageAgencies, Action::ManagePolicyAreas, Action::ManageStaffOf(a), Action::ActFor(a)];
        // (actor, expected outcome per action: 'y' allowed, 'u' 401, 'f' 403)
        let cases: Vec<(Actor, &str)> = vec![
            (Actor::Anonymous, "uuuuu"),
            (actor(Role::Resident, None), "fffff"),
            (actor(Role::AgencyStaff, Some(a)), "fffyf"),
            (actor(Role::AgencyStaff, Some(b)), "fffff"),
            (actor(Role::AgencyAdmin, Some(a)), "ffyyf"),
            (actor(Role::AgencyAdmin, Some(b)), "fffff"),
            (actor(Role::PlatformAdmin, None), "yyyyy"),
        ];
        for (who, expected) in cases {
            for (action, want) in actions.iter().zip(expected.chars()) {
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

    #[test]
    fn roles_round_trip() {
        for r in [Role::Resident, Role::AgencyStaff, Role::AgencyAdmin, Role::PlatformAdmin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
