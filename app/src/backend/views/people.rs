//! Setup → Staff: who works where, and the open invitations, as far as the
//! viewer manages them.

use crate::backend::store;
use crate::backend::AppState;
use crate::domain::ids::StoreId;
use crate::error::AppError;
use crate::model::{InvitationView, Me, PeopleView, PersonView, StoreChoice, StoreRoleView};
use crate::rules::access::managed_stores;
use std::collections::HashMap;

pub async fn page(state: &AppState, me: &Me) -> Result<PeopleView, AppError> {
    let managed = managed_stores(me);
    if managed.is_empty() && !me.is_admin {
        return Err(AppError::Forbidden("Only managers and admins manage staff.".into()));
    }
    let mut conn = state.db.reader().await?;
    let names: HashMap<StoreId, String> = store::stores::all(&mut conn).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let role_view = |(store_id, role): (StoreId, crate::domain::staff::StoreRole)| StoreRoleView {
        store_id,
        store_name: names.get(&store_id).cloned().unwrap_or_default(),
        role,
    };
    let mut roles: HashMap<_, Vec<StoreRoleView>> = HashMap::new();
    for (staff, store, role) in store::people::all_roles(&mut conn).await? {
        roles.entry(staff).or_default().push(role_view((store, role)));
    }
    let reach = store::push::reach(&mut conn).await?;
    let people = store::people::active(&mut conn)
        .await?
        .into_iter()
        .map(|p| PersonView {
            devices: reach.get(&p.id).map_or(0, |r| r.0),
            last_push_at: reach.get(&p.id).and_then(|r| r.1),
            roles: roles.remove(&p.id).unwrap_or_default(),
            id: p.id,
            name: p.name,
            email: p.email,
            is_admin: p.is_admin,
        })
        // Managers see the people of their stores; admins everyone.
        .filter(|p| me.is_admin || p.roles.iter().any(|r| managed.contains(&r.store_id)))
        .collect();
    let mut invitations = Vec::new();
    for inv in store::people::open_invitations(&mut conn, state.clock.now()).await? {
        let inv_roles: Vec<StoreRoleView> = store::people::invitation_roles(&mut conn, inv.id)
            .await?
            .into_iter()
            .map(role_view)
            .collect();
        if me.is_admin || (!inv.is_admin && inv_roles.iter().any(|r| managed.contains(&r.store_id))) {
            invitations.push(InvitationView {
                id: inv.id,
                email: inv.email,
                is_admin: inv.is_admin,
                roles: inv_roles,
                expires_at: inv.expires_at,
            });
        }
    }
    let stores = managed
        .iter()
        .map(|id| StoreChoice {
            id: *id,
            name: names.get(id).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(PeopleView {
        people,
        invitations,
        stores,
        viewer_is_admin: me.is_admin,
    })
}
