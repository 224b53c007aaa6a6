## Texts the server writes for staff. The staff screens are English for now
## (rendered in the fallback language); the other locales keep them
## translated so that switching is only a matter of passing the language.

## Bell notifications (`rules::render`): a title and a body per kind.
## $client, $service, $when (in words), $associate (the new associate, with
## $has-associate), $by (who made the change: "the client", a name),
## $changes (a list of `bell-change`), $preview (the start of a message, or
## for a disabled webhook endpoint the reason).

bell-new-request-title = New appointment request
bell-new-request-body = { $client } requested { $service } on { $when }
bell-new-appointment-title = New appointment
bell-new-appointment-body = { $client } booked { $service } with you on { $when }
bell-assigned-title = Appointment assigned
bell-assigned-body = { $service } with { $client } on { $when }
bell-moved-away-title = Appointment moved to a colleague
bell-moved-away-body = { $has-associate ->
    [yes] { $service } with { $client } on { $when } is now with { $associate }
   *[no] { $service } with { $client } on { $when } is no longer yours
}
bell-updated-title = Appointment updated
bell-updated-body = { $service } with { $client }, changed by { $by }. { $changes }
# One changed field; several are joined with "; ".
bell-change = { $field }: { $from } → { $to }
bell-approved-title = Appointment approved
bell-approved-body = { $service } with { $client } on { $when } is confirmed (by { $by })
bell-cancelled-title = Appointment cancelled
bell-cancelled-body = { $service } with { $client } on { $when } was cancelled by { $by }
bell-message-received-title = New message
bell-message-received-body = { $client }: { $preview }
bell-conversation-overdue-title = Message awaiting a reply
bell-conversation-overdue-body = { $client }'s message is still unread: { $preview }
bell-awaiting-assignment-title = Appointment awaiting assignment
bell-awaiting-assignment-body = { $client }'s request for { $service } on { $when } still has no associate
bell-webhook-disabled-title = Webhook endpoint disabled
bell-webhook-disabled-body = { $preview }

## "Why am I seeing this?" (`rules::Reason::explain`). $store: the store's name.

reason-manager-all-notified = You are a manager of { $store } and the store notifies all managers of new requests.
reason-manager-selected = You are one of the managers { $store } selected to be notified of new requests.
reason-admin = You are an administrator, and administrators are told of every new request.
reason-chosen-associate = The client chose you for this appointment.
reason-assigned-associate = You are the associate assigned to this appointment.
reason-previous-associate = You were the associate assigned to this appointment before it was moved.
reason-unassigned-watcher-manager = You are a manager of { $store }, and this appointment has no associate yet.
reason-unassigned-watcher-admin = You are an administrator, and this appointment has no associate yet.
reason-conversation-associate = You are the associate of this client's conversation.
reason-unassigned-messages-manager = You are a manager of { $store }, nobody is assigned to this conversation, and the store notifies managers of such messages.
reason-admin-integrations = You are an administrator, and administrators look after the webhook endpoints.
reason-manager-payments = You manage { $store }, and its managers hear of every payment.
reason-overdue-conversations = { $store } reminds associates of client messages left unread past its threshold, and this conversation is yours.

## What each kind of client message is called on staff screens (`MessageKind::label`).

message-kind-request-received = Request received
message-kind-confirmation = Confirmation
message-kind-changed = Booking changed
message-kind-please-confirm = Please confirm the change
message-kind-cancelled-by-store = Cancelled by the store
message-kind-cancellation-confirmed = Cancellation confirmed
message-kind-no-show = Missed appointment
message-kind-thank-you = Thank you
message-kind-reminder = Reminder
message-kind-recall = Time to book again
message-kind-test = Test message
message-kind-store-reply = Reply from the store
message-kind-payment-request = Payment link
message-kind-payment-receipt = Payment receipt
message-kind-deposit-request = Deposit to pay
message-kind-hold-released = Hold released
message-kind-refund-issued = Refund

## Appointment statuses (`AppointmentStatus::label`).

status-pending-staff-approval = Awaiting approval
status-approved = Confirmed
status-pending-client-approval = Awaiting client confirmation
status-cancelled = Cancelled

## Why a start time cannot be booked (`slots::SlotProblem`).

slot-past = That time has already passed. Please choose a later time.
slot-closed = The store is closed at that time. Please choose a time within opening hours.
slot-off-grid = Please choose one of the offered times.
slot-too-far = That is further ahead than this store takes bookings. Please choose an earlier date.
slot-taken = Sorry, that time was just taken. Please choose another time.

bell-upcoming-visit-title = Upcoming visit
bell-upcoming-visit-body = { $client } is coming for { $service } on { $when }

bell-awaiting-approval-title = Appointment awaiting approval
bell-awaiting-approval-body = { $client }'s request for { $service } with { $associate } on { $when } is still not approved

bell-during-time-off-title = Appointment during time off
bell-during-time-off-body = { $associate } is off for { $client }'s { $service } on { $when }: reassign, move or cancel it
bell-payment-received-title = Payment received
bell-payment-received-body = { $amount } from { $client }
