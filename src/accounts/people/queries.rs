//! The list of accounts a beheerder manages, and the history of one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::model::{Role, User};
use crate::db::DbConnection;
use crate::db::schema::{audit_log, municipalities, providers, users};
use crate::domain::principal::RegionScope;

pub const PAGE_SIZE: i64 = 25;

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Active,
    /// Invited; no password set yet.
    Invited,
    Inactive,
}

impl Standing {
    pub fn parse(text: &str) -> Option<Standing> {
        match text {
            "actief" => Some(Standing::Active),
            "uitgenodigd" => Some(Standing::Invited),
            "gedeactiveerd" => Some(Standing::Inactive),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Standing::Active => "actief",
            Standing::Invited => "uitgenodigd",
            Standing::Inactive => "gedeactiveerd",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Active => "Actief",
            Standing::Invited => "Uitgenodigd",
            Standing::Inactive => "Gedeactiveerd",
        }
    }

    pub fn of(user: &User) -> Standing {
        if !user.active {
            Standing::Inactive
        } else if user.is_invited() {
            Standing::Invited
        } else {
            Standing::Active
        }
    }
}

/// What the list is filtered on; every field may be empty.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub words: String,
    pub role: Option<Role>,
    pub region: Option<i64>,
    pub municipality: Option<i64>,
    pub standing: Option<Standing>,
}

/// One line of the list: the account and the provider it works for, if any.
pub struct Row {
    pub user: User,
    pub provider: Option<String>,
}

type Boxed<'a> = users::BoxedQuery<'a, crate::db::MultiBackend>;

/// The accounts in the actor's region scope: all for the installation's beheerder; for a
/// regional one its region's staff (never provider accounts, never the installation's own).
fn in_scope<'a>(scope: RegionScope, filter: &Filter) -> Boxed<'a> {
    let mut query = users::table.into_boxed();
    if let Some(region) = scope.filter() {
        query = query.filter(users::role.ne(Role::Aanbieder)).filter(
            users::region_id
                .eq(region)
                .or(users::municipality_id.eq_any(
                    municipalities::table
                        .filter(municipalities::region_id.eq(region))
                        .select(municipalities::id)
                        .nullable(),
                )),
        );
    }
    let words = filter.words.trim().to_lowercase();
    for word in words.split_whitespace() {
        let pattern = crate::db::like_pattern(word);
        query = query.filter(
            crate::db::lower(users::name)
                .like(pattern.clone())
                .escape('\\')
                .or(users::email.like(pattern).escape('\\')),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(region) = filter.region {
        query = query.filter(
            users::region_id
                .eq(region)
                .or(users::municipality_id.eq_any(
                    municipalities::table
                        .filter(municipalities::region_id.eq(region))
                        .select(municipalities::id)
                        .nullable(),
                )),
        );
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(users::municipality_id.eq(municipality));
    }
    match filter.standing {
        Some(Standing::Active) => {
            query = query
                .filter(users::active.eq(true))
                .filter(users::password_hash.ne(""));
        }
        Some(Standing::Invited) => {
            query = query
                .filter(users::active.eq(true))
                .filter(users::password_hash.eq(""));
        }
        Some(Standing::Inactive) => query = query.filter(users::active.eq(false)),
        None => {}
    }
    query
}

/// One page of the accounts that match, by name, and how many match in all.
pub fn list(
    conn: &mut DbConnection,
    scope: RegionScope,
    filter: &Filter,
    page: u32,
) -> QueryResult<(Vec<Row>, i64)> {
    let total: i64 = in_scope(scope, filter).count().get_result(conn)?;
    let users: Vec<User> = in_scope(scope, filter)
        .order((users::name, users::id))
        .limit(PAGE_SIZE)
        .offset(i64::from(page.max(1) - 1) * PAGE_SIZE)
        .select(User::as_select())
        .load(conn)?;
    let provider_ids: Vec<i64> = users.iter().filter_map(|u| u.provider_id).collect();
    let names: std::collections::HashMap<i64, String> = providers::table
        .filter(providers::id.eq_any(&provider_ids))
        .select((providers::id, providers::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let rows = users
        .into_iter()
        .map(|user| Row {
            provider: user.provider_id.and_then(|id| names.get(&id).cloned()),
            user,
        })
        .collect();
    Ok((rows, total))
}

/// One line of an account's history: who did what, when.
pub struct Event {
    pub at: NaiveDateTime,
    pub by: Option<String>,
    pub action: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// What was done to an account, newest first (the audit log's lines on it).
pub fn history(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<Event>> {
    type Line = (
        NaiveDateTime,
        Option<i64>,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let lines: Vec<Line> = audit_log::table
        .filter(audit_log::entity.eq("user"))
        .filter(audit_log::entity_id.eq(user_id))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(50)
        .select((
            audit_log::at,
            audit_log::user_id,
            audit_log::action,
            audit_log::field,
            audit_log::old_value,
            audit_log::new_value,
        ))
        .load(conn)?;
    let by_ids: Vec<i64> = lines.iter().filter_map(|l| l.1).collect();
    let names: std::collections::HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&by_ids))
        .select((users::id, users::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(lines
        .into_iter()
        .map(|(at, by, action, field, old_value, new_value)| Event {
            at,
            by: by.and_then(|id| names.get(&id).cloned()),
            action,
            field,
            old_value,
            new_value,
        })
        .collect())
}

/// Who sent the newest invitation to this account: the person an expired link names.
pub fn inviter(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<(String, String)>> {
    let by: Option<Option<i64>> = audit_log::table
        .filter(audit_log::entity.eq("user"))
        .filter(audit_log::entity_id.eq(user_id))
        .filter(audit_log::action.eq_any(["uitgenodigd", "uitnodiging opnieuw verstuurd"]))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .select(audit_log::user_id)
        .first(conn)
        .optional()?;
    let Some(Some(by)) = by else {
        return Ok(None);
    };
    users::table
        .find(by)
        .filter(users::active.eq(true))
        .select((users::name, users::email))
        .first(conn)
        .optional()
}

/// How many beheerders of the whole installation can sign in: active, with a password and
/// a confirmed address (an open invitation does not count).
pub fn installation_beheerders(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Beheerder))
        .filter(users::region_id.is_null())
        .filter(users::active.eq(true))
        .filter(users::password_hash.ne(""))
        .filter(users::email_verified_at.is_not_null())
        .count()
        .get_result(conn)
}

/// The name of the provider a provider account works for.
pub fn provider_name(conn: &mut DbConnection, id: i64) -> QueryResult<Option<String>> {
    providers::table
        .find(id)
        .select(providers::name)
        .first(conn)
        .optional()
}
