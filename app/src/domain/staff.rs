//! Staff roles and the store settings that decide how bookings flow.

text_enum! {
    /// A staff member's role in one store (admins are not a store role: they see every store).
    pub enum StoreRole {
        Manager = "manager",
        Associate = "associate",
    }
}

text_enum! {
    /// Whether online requests are confirmed at once or wait for a manager.
    #[derive(Default)]
    pub enum ApprovalMode {
        Automatic = "automatic",
        #[default]
        Manual = "manual",
    }
}
