//! Setup → Staff: invite people (a single-use link by email that expires),
//! give them roles per store, make admins, deactivate people. Admins manage
//! everyone; managers the people of the stores they manage.

use super::account_mail;
use super::record::{self, Change};
use crate::backend::auth::{self, hash_password, Password};
use crate::backend::store::{self, Tx};
use crate::backend::AppState;
use crate::domain::appointment::ChangedField;
use crate::domain::event::{Actor, FieldChange, Happening};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::messages::AccountEmailKind;
use crate::domain::parse::{EmailAddress, PersonName};
use crate::domain::staff::StoreRole;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::i18n::Language;
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

/// Where an invitation leads: the names of its stores and the language of
/// the first (the store's own language is the best guess for its people).
struct Place {
    stores: Vec<String>,
    language: Language,
}

impl Place {
    async fn of(conn: &mut store::Conn, roles: &[(StoreId, StoreRole)]) -> Result<Place, AppError> {
        let mut place = Place {
            stores: Vec::new(),
            language: Language::fallback(),
        };
        for (i, (id, _)) in roles.iter().enumerate() {
            let s = store::stores::by_id(conn, *id)
                .await?
                .ok_or_else(|| AppError::NotFound("No such store.".into()))?;
            if i == 0 {
                place.language = s.default_language;
            }
            place.stores.push(s.name);
        }
        Ok(place)
    }
}

/// Queues the invitation email with the link, if email can be sent.
async fn queue_invitation(
    tx: &mut Tx,
    can_email: bool,
    inviter: &str,
    to: &str,
    link: &str,
    place: &Place,
    now: UnixTime,
) -> Result<(), AppError> {
    if !can_email {
        return Ok(());
    }
    let names = if place.stores.is_empty() {
        "Frontdesk".to_string()
    } else {
        place.stores.join(", ")
    };
    let days = INVITATION_LIFETIME.0 / Seconds::days(1).0;
    let written = account_mail::invitation(place.language, inviter, &names, link, days);
    account_mail::queue(tx, AccountEmailKind::Invitation, to, place.language, &written, now).await
}

/// What the inviter is told: emailed (queued for the sender), or, with no
/// mail server, the link to hand over themselves.
fn invited(state: &AppState, id: i64, link: String) -> Invited {
    let emailed = state.messaging.outbound.email_configured();
    if emailed {
        state.messaging.queued.notify_one();
    }
    Invited {
        id,
        emailed,
        link: (!emailed).then_some(link),
    }
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
    let place = Place::of(&mut *state.db.reader().await?, &f.roles).await?;
    let (token, hash) = auth::new_token();
    let now = state.clock.now();
    let (invited_by, roles, is_admin, address) = (me.id, f.roles.clone(), f.is_admin, email.clone());
    let link = invitation_link(state, &token);
    let (mail, inviter, to) = (state.messaging.outbound.email_configured(), me.name.clone(), link.clone());
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
                let id = store::people::invite(tx, invitation, now).await?;
                queue_invitation(tx, mail, &inviter, &address, &to, &place, now).await?;
                Ok(id)
            })
        })
        .await?;
    Ok(invited(state, id, link))
}

/// Who may act on an open invitation: its email and where it leads.
async fn open_invitation(state: &AppState, me: &Me, id: i64) -> Result<(String, Place), AppError> {
    let mut conn = state.db.reader().await?;
    let inv = store::people::invitation(&mut conn, id)
        .await?
        .filter(|i| i.accepted_at.is_none() && i.revoked_at.is_none())
        .ok_or_else(|| AppError::NotFound("No such open invitation.".into()))?;
    let roles = store::people::invitation_roles(&mut conn, id).await?;
    may_manage(me, inv.is_admin, &roles)?;
    Ok((inv.email, Place::of(&mut conn, &roles).await?))
}

/// A new link (the old one stops working), for another seven days.
pub async fn resend(state: &AppState, me: &Me, id: i64) -> Result<Invited, AppError> {
    let (email, place) = open_invitation(state, me, id).await?;
    let (token, hash) = auth::new_token();
    let now = state.clock.now();
    let link = invitation_link(state, &token);
    let (mail, inviter, to) = (state.messaging.outbound.email_configured(), me.name.clone(), link.clone());
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if !store::people::renew(tx, id, &hash, now, now + INVITATION_LIFETIME).await? {
                    return Err(AppError::NotFound("No such open invitation.".into()));
                }
                queue_invitation(tx, mail, &inviter, &email, &to, &place, now).await
            })
        })
        .await?;
    Ok(invited(state, id, link))
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
    // An unknown or used link is refused before anything is hashed.
    invitation_info(state, token).await?;
    let token_hash = auth::token_hash(token);
    let hash = auth::hashing(move || hash_password(&password)).await??;
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
