## Emails about a staff member's own account (`commands::account_mail`).
## Plain text; the HTML copy is made from the same paragraphs.

# $inviter (a name), $place (store names, or "Frontdesk"), $days.
account-invitation-subject = You are invited to Frontdesk
account-invitation-intro = { $inviter } invited you to join { $place } on Frontdesk.
account-invitation-action = Set your name and password
account-invitation-expiry = The link works once and for { $days ->
    [one] one day
   *[other] { $days } days
}.

# The line of the text copy that carries the link: $action (one of the
# *-action messages), $link.
account-link-line = { $action }: { $link }

# $name (the person's name).
account-reset-subject = Reset your Frontdesk password
account-reset-intro = Someone (hopefully you, { $name }) asked to reset your Frontdesk password.
account-reset-action = Choose a new password
account-reset-expiry = The link works once, for an hour. If it was not you, ignore this email: your password stays as it is.
