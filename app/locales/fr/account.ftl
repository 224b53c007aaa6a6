## Emails about a staff member's own account (`commands::account_mail`).
## Plain text; the HTML copy is made from the same paragraphs.

# $inviter (a name), $place (store names, or "Frontdesk"), $days.
account-invitation-subject = Vous êtes invité·e sur Frontdesk
account-invitation-intro = { $inviter } vous invite à rejoindre { $place } sur Frontdesk.
account-invitation-action = Choisir votre nom et votre mot de passe
account-invitation-expiry = Le lien fonctionne une seule fois, pendant { $days ->
    [one] un jour
   *[other] { $days } jours
}.

# The line of the text copy that carries the link: $action (one of the
# *-action messages), $link.
account-link-line = { $action } : { $link }

# $name (the person's name).
account-reset-subject = Réinitialisez votre mot de passe Frontdesk
account-reset-intro = Quelqu'un (vous, espérons-le, { $name }) a demandé à réinitialiser votre mot de passe Frontdesk.
account-reset-action = Choisir un nouveau mot de passe
account-reset-expiry = Le lien fonctionne une seule fois, pendant une heure. Si ce n'était pas vous, ignorez cet e-mail : votre mot de passe ne change pas.
