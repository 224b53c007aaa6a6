//! Setup → Staff: invite people (a single-use link by email that expires),
//! give them roles per store, make admins, deactivate people. Admins manage
//! everyone; managers the people of the stores they manage.

use super::record::{self, Change};
use crate::backend::auth::{self, hash_password, Password};
use crate::backend::store::{self, Tx};
use crate::backend::AppState;
use crate::domain::appointment::ChangedField;
use crate::domain::event::{Actor, FieldChange, Happening};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::parse::{EmailAddress, PersonName};
use crate::domain::staff::StoreRole;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::model::{InviteForm, Invited, LiveMsg, Me};
use crate::rules::access::{decide, Action, Decision};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Seconds = Seconds::days(7);

fn allow(me: &Me, action: Action) -> Result<(), AppError> {
    super::allow(me, action, "No such store.")
}

/// Whether `me` may manage someone with these roles (every store of theirs is
/// one `me` manages; admins only by admins).
fn may_manage(me: &Me, is_admin: bool, roles: &[(StoreId, StoreRole)]) -> Result<(), AppError> {
    if is_admin || roles.is_empty() {
        return allow(me, Action::Admins);
    }
    for (store, _) in roles {
        if decide(me, Action::People { store: *store }) != Decision::Allowed {
            return Err(AppError::Forbidden(
                "They also work in a store you do not manage: an administrator can do this.".into(),
            ));
        }
    }
    Ok(())
}

/// The link in an invitation email.
pub fn invitation_link(state: &AppState, token: &str) -> String {
    format!("{}/invite/{token}", state.config.public_url.trim_end_matches('/'))
}

async fn send_invitation(state: &AppState, me: &Me, email: &str, token: &str, stores: &[String]) -> Invited {
    let link = invitation_link(state, token);
    let outbound = &state.messaging.outbound;
    let place = if stores.is_empty() {
        "Frontdesk".to_string()
    } else {
        stores.join(", ")
    };
    let text = format!(
        "{} invited you to join {place} on Frontdesk.\n\nSet your name and password here: {link}\n\nThe link works once and for 7 days.\n",
        me.name
    );
    let html = format!(
        "<p>{} invited you to join {} on Frontdesk.</p><p><a href=\"{link}\">Set your name and password</a></p><p>The link works once and for 7 days.</p>",
        html_escape(&me.name),
        html_escape(&place)
    );
    let emailed = outbound.email_configured()
        && match outbound.send_email("", email, "You are invited to Frontdesk", &text, &html).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("invitation email to {email} failed: {e:?}");
                false
            }
        };
    Invited {
        id: 0,
        emailed,
        link: (!emailed).then_some(link),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub async fn invite(state: &AppState, me: &Me, f: InviteForm) -> Result<Invited, AppError> {
    may_manage(me, f.is_admin, &f.roles)?;
    let email = EmailAddress::parse(&f.email)
        .map_err(|m| AppError::field("email", m))?
        .as_str()
        .to_lowercase();
    if !f.is_admin && f.roles.is_empty() {
        return Err(AppError::field("roles", "Give them a role in at least one store."));
    }
    let mut stores = Vec::new();
    {
        let mut conn = state.db.reader().await?;
        for (store, _) in &f.roles {
            let s = store::stores::by_id(&mut conn, *store)
                .await?
                .ok_or_else(|| AppError::NotFound("No such store.".into()))?;
            stores.push(s.name);
        }
    }
    let (token, hash) = auth::new_token();
    let now = state.clock.now();
    let (invited_by, roles, is_admin, address) = (me.id, f.roles.clone(), f.is_admin, email.clone());
    let id = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::people::email_taken(tx.conn(), &address).await? {
                    return Err(AppError::field("email", "Someone already has an account with this email."));
                }
                let invitation = store::people::NewInvitation {
                    email: &address,
                    is_admin,
                    roles: &roles,
                    token_hash: &hash,
                    invited_by,
                    expires_at: now + INVITATION_LIFETIME,
                };
                store::people::invite(tx, invitation, now).await
            })
        })
        .await?;
    let sent = send_invitation(state, me, &email, &token, &stores).await;
    Ok(Invited { id, ..sent })
}

/// Who may act on an open invitation, and its store names.
async fn open_invitation(state: &AppState, me: &Me, id: i64) -> Result<(String, Vec<String>), AppError> {
    let mut conn = state.db.reader().await?;
    let inv = store::people::invitation(&mut conn, id)
        .await?
        .filter(|i| i.accepted_at.is_none() && i.revoked_at.is_none())
        .ok_or_else(|| AppError::NotFound("No such open invitation.".into()))?;
    let roles = store::people::invitation_roles(&mut conn, id).await?;
    may_manage(me, inv.is_admin, &roles)?;
    let mut stores = Vec::new();
    for (store, _) in roles {
        if let Some(s) = store::stores::by_id(&mut conn, store).await? {
            stores.push(s.name);
        }
    }
    Ok((inv.email, stores))
}

/// A new link (the old one stops working), for another seven days.
pub async fn resend(state: &AppState, me: &Me, id: i64) -> Result<Invited, AppError> {
    let (email, stores) = open_invitation(state, me, id).await?;
    let (token, hash) = auth::new_token();
    let now = state.clock.now();
    let renewed = state
        .db
        .write(move |tx| Box::pin(async move { store::people::renew(tx, id, &hash, now, now + INVITATION_LIFETIME).await }))
        .await?;
    if !renewed {
        return Err(AppError::NotFound("No such open invitation.".into()));
    }
    let sent = send_invitation(state, me, &email, &token, &stores).await;
    Ok(Invited { id, ..sent })
}

pub async fn revoke(state: &AppState, me: &Me, id: i64) -> Result<(), AppError> {
    open_invitation(state, me, id).await?;
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::people::revoke(tx, id, now).await? {
                    Ok(())
                } else {
                    Err(AppError::NotFound("No such open invitation.".into()))
                }
            })
        })
        .await
}

fn invalid_link() -> AppError {
    AppError::NotFound("This invitation link has expired, was replaced or was already used. Ask for a new one.".into())
}

/// What the invitation page shows, if the link is still good.
pub async fn invitation_info(state: &AppState, token: &str) -> Result<crate::model::InvitationInfo, AppError> {
    let mut conn = state.db.reader().await?;
    let inv = store::people::by_token(&mut conn, &auth::token_hash(token))
        .await?
        .ok_or_else(invalid_link)?;
    if inv.accepted_at.is_some() || inv.revoked_at.is_some() || inv.expires_at <= state.clock.now() {
        return Err(invalid_link());
    }
    let mut stores = Vec::new();
    for (store, _) in store::people::invitation_roles(&mut conn, inv.id).await? {
        if let Some(s) = store::stores::by_id(&mut conn, store).await? {
            stores.push(s.name);
        }
    }
    Ok(crate::model::InvitationInfo { email: inv.email, stores })
}

/// The invited person sets their name and password: their account exists
/// from now, with the invitation's roles, and they are signed in (the
/// session token is returned for the cookie). The link works once.
pub async fn accept(state: &AppState, token: &str, name: &str, password: Password) -> Result<(String, StaffId), AppError> {
    let name = PersonName::parse(name).map_err(|m| AppError::field("name", m))?;
    auth::check_new_password(&password).map_err(|_| AppError::field("password", "Use at least 10 characters."))?;
    let token_hash = auth::token_hash(token);
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::Internal)??;
    let (session, session_hash) = auth::new_token();
    let now = state.clock.now();
    let id = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let inv = store::people::by_token(tx.conn(), &token_hash).await?.ok_or_else(invalid_link)?;
                if inv.accepted_at.is_some() || inv.revoked_at.is_some() || inv.expires_at <= now {
                    return Err(invalid_link());
                }
                if store::people::email_taken(tx.conn(), &inv.email).await? {
                    return Err(AppError::Conflict(
                        "Someone already has an account with this email. Please sign in.".into(),
                    ));
                }
                let id = store::staff::insert(tx, &inv.email, name.as_str(), &hash, inv.is_admin, now).await?;
                for (store, role) in store::people::invitation_roles(tx.conn(), inv.id).await? {
                    store::people::set_role(tx, id, store, Some(role)).await?;
                }
                store::people::mark_accepted(tx, inv.id, now).await?;
                auth::open_session_in(tx, &session_hash, id, now).await?;
                Ok(id)
            })
        })
        .await?;
    Ok((session, id))
}

/// Gives `person` a role in `store`, or (`None`) removes them from it.
pub async fn set_role(state: &AppState, me: &Me, person: StaffId, store_id: StoreId, role: Option<StoreRole>) -> Result<(), AppError> {
    allow(me, Action::People { store: store_id })?;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                active_person(tx, person).await?;
                if !store::stores::exists(tx.conn(), store_id).await? {
                    return Err(AppError::NotFound("No such store.".into()));
                }
                store::people::set_role(tx, person, store_id, role).await
            })
        })
        .await
}

async fn active_person(tx: &mut Tx, person: StaffId) -> Result<store::people::PersonRow, AppError> {
    store::people::active(tx.conn())
        .await?
        .into_iter()
        .find(|p| p.id == person)
        .ok_or_else(|| AppError::NotFound("No such person.".into()))
}

/// Makes or unmakes an admin; nobody can remove the last admin.
pub async fn set_admin(state: &AppState, me: &Me, person: StaffId, is_admin: bool) -> Result<(), AppError> {
    allow(me, Action::Admins)?;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let p = active_person(tx, person).await?;
                if p.is_admin && !is_admin && store::people::admin_count(tx.conn()).await? <= 1 {
                    return Err(AppError::Conflict(
                        "Nobody can remove the last admin: make someone else an admin first.".into(),
                    ));
                }
                store::people::set_admin(tx, person, is_admin).await?;
                // Their pages and rights change with it: their open tabs reload what they may see.
                tx.publish(person, LiveMsg::SessionsChanged);
                Ok(())
            })
        })
        .await
}

/// Deactivates `person`: they cannot sign in, their sessions end at once
/// (open tabs close), and each of their future appointments goes back to its
/// store's queue, the managers told as for any reassignment.
pub async fn deactivate(state: &AppState, me: &Me, person: StaffId) -> Result<(), AppError> {
    if person == me.id {
        return Err(AppError::Conflict("You cannot deactivate yourself.".into()));
    }
    let (is_admin, roles) = {
        let mut conn = state.db.reader().await?;
        let p = store::people::active(&mut conn)
            .await?
            .into_iter()
            .find(|p| p.id == person)
            .ok_or_else(|| AppError::NotFound("No such person.".into()))?;
        (p.is_admin, store::people::roles_of(&mut conn, person).await?)
    };
    may_manage(me, is_admin, &roles)?;
    let now = state.clock.now();
    let actor = me.id;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let p = active_person(tx, person).await?;
                if p.is_admin && store::people::admin_count(tx.conn()).await? <= 1 {
                    return Err(AppError::Conflict("Nobody can remove the last admin.".into()));
                }
                for id in store::people::future_appointments(tx.conn(), person, now).await? {
                    back_to_queue(tx, id, &p.name, actor, now).await?;
                }
                store::people::deactivate(tx, person, now).await?;
                tx.publish(person, LiveMsg::SessionsChanged);
                Ok(())
            })
        })
        .await
}

async fn back_to_queue(
    tx: &mut Tx,
    id: crate::domain::ids::AppointmentId,
    name: &str,
    actor: StaffId,
    now: UnixTime,
) -> Result<(), AppError> {
    let cur = record::load(tx.conn(), id).await?;
    store::appointments::clear_associate(tx, id).await?;
    let change = Change {
        actor: Actor::Staff(actor),
        happening: Happening::Updated {
            associate_id: None,
            changes: vec![FieldChange {
                field: "Associate".into(),
                from: name.to_string(),
                to: "nobody (back in the queue)".into(),
            }],
        },
        changed_fields: vec![ChangedField::Staff],
        changes: vec![FieldChange {
            field: "Associate".into(),
            from: name.to_string(),
            to: "nobody (back in the queue)".into(),
        }],
    };
    record::finish(tx, id, change, &cur, now).await
}
