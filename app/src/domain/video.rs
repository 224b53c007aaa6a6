//! Appointments held by video: a store's meeting link template and the
//! links it makes for staff (host) and for the client and attendees (guest).

/// Who joins through a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Staff: the meeting's host.
    Host,
    /// The client and the people they bring.
    Guest,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Guest => "guest",
        }
    }
}

/// A store's meeting link: `https://` with `{room}` (the appointment's own
/// room, unguessable) and optionally `{role}` (host or guest), e.g.
/// `https://meet.example.com/{room}?role={role}`. Empty: the store holds no
/// video appointments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeetingTemplate(String);

impl MeetingTemplate {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let t = raw.trim();
        if t.is_empty() {
            return Ok(Self::default());
        }
        if t.len() > 300 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("Use a link of at most 300 characters, without spaces.".into());
        }
        if !t.starts_with("https://") || t.len() <= "https://".len() {
            return Err("The meeting link must start with https://.".into());
        }
        if !t.contains("{room}") {
            return Err("Put {room} where each appointment's own room goes, e.g. https://meet.example.com/{room}.".into());
        }
        let unknown = t
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .find(|name| !matches!(*name, "room" | "role"));
        if let Some(name) = unknown {
            return Err(format!(
                "{{{name}}} is not a placeholder Frontdesk fills in; use {{room}} and {{role}}."
            ));
        }
        Ok(Self(t.to_string()))
    }

    /// As stored (empty when none).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }

    /// The link for `room` and `role`; `None` when the store has no template.
    pub fn join(&self, room: &str, role: Role) -> Option<String> {
        self.is_set()
            .then(|| self.0.replace("{room}", room).replace("{role}", role.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_link_names_the_room_and_perhaps_the_role() {
        let t = MeetingTemplate::parse(" https://meet.example.com/{room}?role={role} ").unwrap();
        assert_eq!(
            t.join("r00m", Role::Host).as_deref(),
            Some("https://meet.example.com/r00m?role=host")
        );
        assert_eq!(
            t.join("r00m", Role::Guest).as_deref(),
            Some("https://meet.example.com/r00m?role=guest")
        );
        assert_eq!(MeetingTemplate::parse("").unwrap().join("r", Role::Host), None);
        for bad in [
            "http://meet.example.com/{room}",
            "https://meet.example.com/fixed",
            "https://meet.example.com/{room}/{name}",
            "https://meet example.com/{room}",
            "https://",
            "javascript:alert(1)//{room}",
        ] {
            assert!(MeetingTemplate::parse(bad).is_err(), "{bad}");
        }
    }
}
