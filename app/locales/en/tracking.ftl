## The client's booking page (`/t/...`, `pages/tracking.rs`).

tracking-title = Your booking
tracking-loading = Loading…
tracking-status = Status
tracking-service = Service
tracking-when = When
tracking-with = With
tracking-to-be-confirmed = To be confirmed
tracking-where = Where
tracking-name = Name
tracking-status-awaiting-store = Awaiting the store's confirmation
tracking-status-confirmed = Confirmed
tracking-status-awaiting-you = Awaiting your confirmation
tracking-status-cancelled = Cancelled
tracking-status-completed = Completed
tracking-status-missed = Missed
tracking-proposal = The store has changed your booking. Please confirm the new time, or pick another one.
# Before the old time, struck out.
tracking-was = Previously:
tracking-reason = Reason
tracking-add-to-calendar = Add to calendar
tracking-confirm = Confirm the change
tracking-modify = Change date or time
tracking-cancel = Cancel booking
tracking-confirm-question = Confirm the booking as shown above?
tracking-confirm-button = Yes, confirm
tracking-confirmed-ok = Thank you, your booking is confirmed.
tracking-modify-intro = Pick a new date and time.
tracking-date = Date
tracking-no-times = No free times on this day. Please try another date.
tracking-move-button = Move my booking
tracking-moved-ok = Your booking has been moved.
tracking-cancel-question = Cancel this booking?
tracking-cancel-reason = Reason (optional)
tracking-cancel-button = Cancel my booking
tracking-cancelled-ok = Your booking is cancelled.
tracking-keep = Keep my booking
tracking-message-title = Message the store
tracking-message-label = Your message
tracking-message-send = Send message
tracking-message-sent = Sent. The store will reply soon.
tracking-book-again = Book again
tracking-booked-by = Booked by
tracking-leave = I can't come
tracking-leave-question = Leave this booking? You will not hear about it again.
tracking-leave-button = Yes, leave the booking
tracking-keep-coming = I'm still coming
tracking-left = You have left this booking. You will not hear about it again.

## Why an action on the booking page is not offered (`client_rules::Refusal`).
## $hours: the store's cut-off before the start, in hours.

refusal-cancelled = This booking is cancelled.
refusal-completed = This appointment has already taken place.
refusal-no-show = This appointment has passed.
refusal-started = This appointment has already started.
refusal-past-cutoff = Online changes close { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
} before the appointment. Please call the store.
refusal-awaiting-store = The store has not confirmed your request yet; you can change it once it is confirmed, or cancel it now.
refusal-nothing-to-confirm = There is no change waiting for your confirmation.
refusal-awaiting-deposit = Your booking waits for its deposit; once it is paid you can change or cancel it here.
tracking-held = Your time is held until { $until }. Pay the { $amount } deposit to confirm your booking.
tracking-status-awaiting-deposit = Waiting for your deposit

# Right after booking online: the tracking page is the confirmation.
tracking-booked-pending = Request received
tracking-booked-pending-text = The store will confirm your appointment shortly; we have sent you the details.
tracking-booked-held = One step left: your deposit
tracking-booked-held-text = Your booking counts once the deposit is paid; we have sent you the link too.
tracking-booked-confirmed = Appointment confirmed
tracking-booked-confirmed-text = We look forward to seeing you; we have sent you the details.
tracking-keep-link = Keep this link to view, change or cancel your booking at any time:
copy-link = Copy the link
copied = Copied.
copy-refused = Your browser did not allow copying; select the link and copy it instead.

tracking-payments = Payments
tracking-pay = Pay { $amount }
tracking-paid = { $amount } paid, thank you
tracking-paid-thanks = Thank you! Your payment is being confirmed; it shows here as paid in a moment.
tracking-join-video = Join the video call
