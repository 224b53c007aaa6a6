//! The durable scheduler's vocabulary.

text_enum! {
    /// What a row of `jobs` does when it falls due.
    pub enum JobKind {
        /// Tell the managers again that a request is still unassigned.
        Escalate = "escalate",
        /// The client's reminder, the store's lead time before the start.
        Remind = "remind",
        /// "Time to book again", the store's delay after a completed appointment.
        Recall = "recall",
        /// Tell the associate a client's message is still unread.
        ConversationOverdue = "conversation_overdue",
        /// An online booking's deposit was not paid in time: release its time.
        ReleaseHold = "release_hold",
    }
}
