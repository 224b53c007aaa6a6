## Client messages: email subject, text and HTML parts, and SMS, for every
## kind of message (`client_rules::MessageKind`), rendered by
## `backend/templates.rs`. Plain text only: the HTML part escapes everything,
## so markup written here would show as typed.
##
## Values: $recipient (who this copy goes to), $client (whose booking it is),
## $store, $service, $associate, $address (on one line), $when (the start
## date and time), $link (the booking page), $booking-url (the store's booking
## form), $reason (the store's cancellation reason, may span lines),
## $sms-reason (the same, shortened), $reply-preview (a staff reply, shortened).
## Yes/no flags: $attendee (this copy goes to someone the client brought
## along), $has-recipient, $has-associate, $has-address, $has-reason,
## $has-link (there is a booking page to link to), $can-rebook (there is a
## booking form to link to), $can-modify, $can-cancel, $can-confirm (what the
## client may do on the booking page).
## Functions: CAPITALIZE(text) upper-cases the first letter; INITIAL(text) is
## `vowel` when the text starts with a vowel letter (a e i o u y, accented or
## not, æ œ), else `other`.

# Whose booking it is: the recipient's own, or the client's on an attendee's copy.
message-appointment = { $attendee ->
    [yes] { $client }'s appointment
   *[no] your appointment
}
message-request = { $attendee ->
    [yes] { $client }'s appointment request
   *[no] your appointment request
}
# Where it takes place: the store, with its address when known.
message-place = { $has-address ->
    [yes] { $store }, { $address }
   *[no] { $store }
}

message-greeting = { $has-recipient ->
    [yes] Hello { $recipient },
   *[no] Hello,
}
message-attendee-note = You are receiving this message because you are part of { $client }'s booking.
message-closing-see-you = See you soon,
message-closing-regards = Kind regards,

## The details block. The text part writes each row as `message-labelled`
## and a change's old value on the next line after `message-detail-was`.

message-detail-service = Service
message-detail-when = When
message-detail-with = With
message-detail-where = Where
message-detail-join = Join online
message-detail-no-preference = No preference
message-detail-was = was:
# The start with the end time: $start is a full date and time, $end a clock time.
message-when-until = { $start } (until { $end })
# A label and its value (or link) in the plain-text part.
message-labelled = { $label }: { $value }

## Buttons (in the plain-text part: "label: link"), and the link at the bottom.

message-button-view-booking = View booking
message-button-change = Change
message-button-cancel = Cancel
message-button-book-again = Book again
message-button-view-request = { $can-cancel ->
    [yes] View or cancel your request
   *[no] View your request
}
message-button-confirm-new-time = Confirm the new time
message-button-reply = Reply on your booking page
message-footer-booking-page = Your booking page:
message-footer-test-link = Test link:

## An online request the store will approve later.

message-request-received-subject = { CAPITALIZE(message-request) } at { $store } has been received
message-request-received-intro = Thank you! We have received { message-request } and will confirm it shortly. You will get another message as soon as it is confirmed.
message-request-received-sms = { $store }: we have received { message-request } for { $service } on { $when } and will confirm it shortly. { $link }

## The booking is confirmed.

message-confirmation-subject = { CAPITALIZE(message-appointment) } at { $store } is confirmed
message-confirmation-intro = Good news: { message-appointment } is confirmed. Here are the details:
message-confirmation-sms = { $store }: { message-appointment } on { $when } is confirmed. See you soon! { $link }

## The date, time, associate or place changed.

message-changed-subject = { CAPITALIZE(message-appointment) } at { $store } has changed
message-changed-intro = { CAPITALIZE(message-appointment) } has been changed. Here are the updated details:
message-changed-sms = { $has-associate ->
    [yes] { $store }: { message-appointment } has changed. It is now on { $when } with { $associate }. { $link }
   *[no] { $store }: { message-appointment } has changed. It is now on { $when }. { $link }
}

## The store changed the booking and asks the client to confirm.

message-please-confirm-subject = Please confirm the change to { message-appointment } at { $store }
message-please-confirm-intro = { $can-confirm ->
    [yes] We had to change { message-appointment }. Please check the new details below and confirm that they suit you.
   *[no] We had to change { message-appointment }. Please check the new details below.
}
message-please-confirm-sms = { $can-confirm ->
    [yes] { $store }: we had to change { message-appointment }. New time: { $when }. Please confirm: { $link }
   *[no] { $store }: we had to change { message-appointment }. New time: { $when }. Details: { $link }
}

## The store cancelled.

message-cancelled-by-store-subject = { CAPITALIZE(message-appointment) } at { $store } has been cancelled
message-cancelled-by-store-intro = We are sorry, but we had to cancel { message-appointment } on { $when }.
message-cancelled-by-store-reason = Reason: { $reason }
message-cancelled-by-store-apology = We apologise for the inconvenience and hope to see you again soon.
message-cancelled-by-store-sms = { $has-reason ->
    [yes] { $store }: we are sorry, we had to cancel { message-appointment } on { $when } ({ $sms-reason }). { $link }
   *[no] { $store }: we are sorry, we had to cancel { message-appointment } on { $when }. { $link }
}

## The client cancelled: confirmation of their own cancellation.

message-cancellation-confirmed-subject = { CAPITALIZE(message-appointment) } at { $store } is cancelled
message-cancellation-confirmed-intro = As requested, { message-appointment } on { $when } has been cancelled.
message-cancellation-confirmed-outro = We hope to see you another time.
message-cancellation-confirmed-sms = { $store }: as requested, { message-appointment } on { $when } is cancelled. { $link }

## The client did not come.

message-no-show-subject = We missed you at { $store }
message-no-show-intro = We missed you at { message-appointment } on { $when }. We hope everything is all right! Whenever you are ready, you can book a new time online.
message-no-show-sms = { $can-rebook ->
    [yes] { $store }: we missed you on { $when }. We hope all is well! Book again: { $booking-url } Your booking: { $link }
   *[no] { $store }: we missed you on { $when }. We hope all is well! { $link }
}

## After the visit, when the store sends thank-yous.

message-thank-you-subject = Thank you for your visit to { $store }
message-thank-you-intro = { $has-associate ->
    [yes] Thank you for your visit to { $store } with { $associate }. We hope you enjoyed it and look forward to seeing you again.
   *[no] Thank you for your visit to { $store }. We hope you enjoyed it and look forward to seeing you again.
}
message-thank-you-sms = { $can-rebook ->
    [yes] { $store }: thank you for your visit! We hope to see you again soon. Book again: { $booking-url } Your visit: { $link }
   *[no] { $store }: thank you for your visit! We hope to see you again soon. { $link }
}

## Before the appointment.

message-reminder-subject = Reminder: { message-appointment } at { $store }
message-reminder-intro = This is a reminder of { message-appointment } on { $when } at { message-place }.
# Only sent when the client may change or cancel the booking online.
message-reminder-let-us-know = { $can-modify ->
    [yes] { $can-cancel ->
        [yes] If you can no longer make it, please let us know by changing or cancelling it below.
       *[no] If you can no longer make it, please let us know by changing it below.
    }
   *[no] If you can no longer make it, please let us know by cancelling it below.
}
message-reminder-sms = { $has-address ->
    [yes] { $store }: a reminder that { message-appointment } is on { $when }, { $address }. { $link }
   *[no] { $store }: a reminder that { message-appointment } is on { $when }. { $link }
}

## Some time after a visit: time to book again.

message-recall-subject = Time for your next visit to { $store }?
message-recall-intro = It has been a while since your last visit for { $service }. Whenever you are ready, booking your next appointment online only takes a minute.
message-recall-sms = { $can-rebook ->
    [yes] { $store }: it has been a while since your last visit for { $service }. Book again: { $booking-url } Your last visit: { $link }
   *[no] { $store }: it has been a while since your last visit for { $service }. { $link }
}

## A staff member answered the client's message (the reply itself follows the intro).

message-store-reply-subject = Reply from { $store }
message-store-reply-intro = { $store } answered your message:
message-store-reply-sms = { $store }: { $reply-preview } Reply: { $link }

## Staff ask the client to pay ($amount; $pay-link is the payment page).

message-payment-request-subject = { $store } asks for a payment of { $amount }
message-payment-request-intro = { $store } asks you to pay { $amount } for { message-appointment }. You can pay securely online:
message-payment-request-sms = { $store }: please pay { $amount } for your { $service } on { $when }. Pay from your booking page: { $link }
message-button-pay = Pay { $amount }

## An online booking waits for its deposit ($amount; $due-by is when the hold ends).

message-deposit-subject = Pay the { $amount } deposit to confirm your booking at { $store }
message-deposit-intro = { $store } is holding { message-appointment } until { $due-by }. Pay the { $amount } deposit to confirm it:
message-deposit-sms = { $store }: your { $service } on { $when } is held until { $due-by }. Pay the { $amount } deposit to confirm it: { $link }

## The deposit was not paid in time: the held booking was released.

message-hold-released-subject = Your booking at { $store } was released
message-hold-released-intro = The deposit for { message-appointment } on { $when } was not paid in time, so { $store } released the time. You are welcome to book again.
message-hold-released-sms = { $can-rebook ->
    [yes] { $store }: the deposit for your { $service } on { $when } was not paid in time, so the time was released. Book again: { $booking-url } { $link }
   *[no] { $store }: the deposit for your { $service } on { $when } was not paid in time, so the time was released. { $link }
}

## The client paid: the receipt.

message-payment-receipt-subject = Receipt from { $store }: { $amount } received
message-payment-receipt-intro = Thank you: { $store } received your payment of { $amount } for { message-appointment }.
message-payment-receipt-sms = { $store }: we received your payment of { $amount }. Thank you! { $link }
message-detail-amount-paid = Amount paid

## Money given back on a payment ($refunded of $amount).

message-refund-subject = { $store } refunded { $refunded }
message-refund-intro = { $store } refunded { $refunded } of your payment of { $amount }. It may take a few days to reach your account.
message-refund-sms = { $store }: we refunded { $refunded } of your payment of { $amount }. { $link }

## Sent by staff to check that a channel works.

message-test-subject = Test message from { $store }
message-test-intro = This is a test message from { $store }. If you can read it, messages on this channel work.
message-test-sms = { $has-link ->
    [yes] { $store }: this is a test message. Text messages work! { $link }
   *[no] { $store }: this is a test message. Text messages work!
}
