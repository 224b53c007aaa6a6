## La page de rendez-vous du client.

tracking-title = Votre rendez-vous
tracking-loading = Chargement…
tracking-status = Statut
tracking-service = Prestation
tracking-when = Quand
tracking-with = Avec
tracking-to-be-confirmed = À confirmer
tracking-where = Où
tracking-name = Nom
tracking-status-awaiting-store = En attente de confirmation par le magasin
tracking-status-confirmed = Confirmé
tracking-status-awaiting-you = En attente de votre confirmation
tracking-status-cancelled = Annulé
tracking-status-completed = Terminé
tracking-status-missed = Manqué
tracking-proposal = Le magasin a modifié votre rendez-vous. Merci de confirmer le nouvel horaire, ou d'en choisir un autre.
tracking-was = Auparavant:
tracking-reason = Motif
tracking-add-to-calendar = Ajouter à l'agenda
tracking-confirm = Confirmer la modification
tracking-modify = Changer la date ou l'heure
tracking-cancel = Annuler le rendez-vous
tracking-confirm-question = Confirmer le rendez-vous tel qu'indiqué ci-dessus ?
tracking-confirm-button = Oui, je confirme
tracking-confirmed-ok = Merci, votre rendez-vous est confirmé.
tracking-modify-intro = Choisissez une nouvelle date et une nouvelle heure.
tracking-date = Date
tracking-no-times = Aucun créneau libre ce jour-là. Essayez une autre date.
tracking-move-button = Déplacer mon rendez-vous
tracking-moved-ok = Votre rendez-vous a été déplacé.
tracking-cancel-question = Annuler ce rendez-vous ?
tracking-cancel-reason = Motif (facultatif)
tracking-cancel-button = Annuler mon rendez-vous
tracking-cancelled-ok = Votre rendez-vous est annulé.
tracking-keep = Garder mon rendez-vous
tracking-message-title = Écrire au magasin
tracking-message-label = Votre message
tracking-message-send = Envoyer
tracking-message-sent = Envoyé. Le magasin vous répondra bientôt.
tracking-book-again = Reprendre rendez-vous
tracking-booked-by = Réservé par
tracking-leave = Je ne peux pas venir
tracking-leave-question = Quitter ce rendez-vous ? Vous n'en serez plus informé.
tracking-leave-button = Oui, quitter le rendez-vous
tracking-keep-coming = Je viens toujours
tracking-left = Vous avez quitté ce rendez-vous. Vous n'en serez plus informé.

## Pourquoi une action n'est pas proposée sur la page de rendez-vous.
## $hours : le délai du magasin avant le début, en heures.

refusal-cancelled = Ce rendez-vous est annulé.
refusal-completed = Ce rendez-vous a déjà eu lieu.
refusal-no-show = Ce rendez-vous est passé.
refusal-started = Ce rendez-vous a déjà commencé.
refusal-past-cutoff = Les modifications en ligne ferment { $hours } h avant le rendez-vous. Merci d'appeler le magasin.
refusal-awaiting-store = Le magasin n'a pas encore confirmé votre demande ; vous pourrez la modifier une fois confirmée, ou l'annuler dès maintenant.
refusal-nothing-to-confirm = Il n'y a aucune modification à confirmer.
refusal-awaiting-deposit = Votre réservation attend son acompte ; une fois réglé, vous pourrez la modifier ou l'annuler ici.
tracking-held = Votre créneau est réservé jusqu'au { $until }. Réglez l'acompte de { $amount } pour confirmer votre réservation.
tracking-status-awaiting-deposit = En attente de votre acompte

# Juste après une réservation en ligne : la page de suivi sert de confirmation.
tracking-booked-pending = Demande reçue
tracking-booked-pending-text = Le magasin va confirmer votre rendez-vous sous peu ; nous vous avons envoyé les détails.
tracking-booked-held = Dernière étape : votre acompte
tracking-booked-held-text = Votre réservation sera confirmée une fois l'acompte réglé ; nous vous avons aussi envoyé le lien.
tracking-booked-confirmed = Rendez-vous confirmé
tracking-booked-confirmed-text = Au plaisir de vous voir ; nous vous avons envoyé les détails.
tracking-keep-link = Gardez ce lien pour voir, modifier ou annuler votre réservation à tout moment :
copy-link = Copier le lien
copied = Copié.
copy-refused = Votre navigateur n'a pas permis la copie ; sélectionnez le lien et copiez-le.

tracking-payments = Paiements
tracking-pay = Payer { $amount }
tracking-paid = { $amount } payés, merci
tracking-paid-thanks = Merci ! Votre paiement est en cours de confirmation ; il apparaîtra ici comme payé dans un instant.
tracking-join-video = Rejoindre l'appel vidéo
