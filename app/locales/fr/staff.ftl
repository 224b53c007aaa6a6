## Textes écrits par le serveur pour l'équipe (affichés en anglais pour
## l'instant ; traduits ici pour que le passage au français ne demande que
## de passer la langue).

## Notifications (cloche).

bell-new-request-title = Nouvelle demande de rendez-vous
bell-new-request-body = { $client } a demandé { $service } le { $when }
bell-new-appointment-title = Nouveau rendez-vous
bell-new-appointment-body = { $client } a réservé { $service } avec vous le { $when }
bell-assigned-title = Rendez-vous attribué
bell-assigned-body = { $service } avec { $client } le { $when }
bell-moved-away-title = Rendez-vous confié à un collègue
bell-moved-away-body = { $has-associate ->
    [yes] { $service } avec { $client } le { $when } est désormais confié à { $associate }
   *[no] { $service } avec { $client } le { $when } ne vous est plus attribué
}
bell-updated-title = Rendez-vous modifié
bell-updated-body = { $service } avec { $client }, modifié par { $by }. { $changes }
bell-change = { $field } : { $from } → { $to }
bell-approved-title = Rendez-vous approuvé
bell-approved-body = { $service } avec { $client } le { $when } est confirmé (par { $by })
bell-cancelled-title = Rendez-vous annulé
bell-cancelled-body = { $service } avec { $client } le { $when } a été annulé par { $by }
bell-message-received-title = Nouveau message
bell-message-received-body = { $client } : { $preview }
bell-conversation-overdue-title = Message en attente de réponse
bell-conversation-overdue-body = Le message { INITIAL($client) ->
    [vowel] d'{ $client }
   *[other] de { $client }
} n'a toujours pas été lu : { $preview }
bell-awaiting-assignment-title = Rendez-vous en attente d'attribution
bell-awaiting-assignment-body = La demande { INITIAL($client) ->
    [vowel] d'{ $client }
   *[other] de { $client }
} pour { $service } le { $when } n'a toujours pas d'intervenant
bell-webhook-disabled-title = Webhook désactivé
bell-webhook-disabled-body = { $preview }

## « Pourquoi est-ce que je vois ceci ? »

reason-manager-all-notified = Vous êtes responsable de { $store }, et le magasin prévient tous ses responsables des nouvelles demandes.
reason-manager-selected = Vous faites partie des responsables que { $store } a choisis pour être prévenus des nouvelles demandes.
reason-admin = Vous êtes administrateur, et les administrateurs sont prévenus de chaque nouvelle demande.
reason-chosen-associate = Le client vous a choisi pour ce rendez-vous.
reason-assigned-associate = Ce rendez-vous vous est attribué.
reason-previous-associate = Ce rendez-vous vous était attribué avant d'être confié à un collègue.
reason-unassigned-watcher-manager = Vous êtes responsable de { $store }, et ce rendez-vous n'a pas encore d'intervenant.
reason-unassigned-watcher-admin = Vous êtes administrateur, et ce rendez-vous n'a pas encore d'intervenant.
reason-conversation-associate = Vous êtes l'intervenant de la conversation de ce client.
reason-unassigned-messages-manager = Vous êtes responsable de { $store }, personne n'est attribué à cette conversation, et le magasin prévient ses responsables de ces messages.
reason-admin-integrations = Vous êtes administrateur, et les administrateurs s'occupent des webhooks.
reason-manager-payments = Vous gérez { $store }, et ses responsables sont avertis de chaque paiement.
reason-overdue-conversations = { $store } rappelle aux intervenants les messages de clients restés non lus au-delà de son délai, et cette conversation est la vôtre.

## Les types de messages aux clients.

message-kind-request-received = Demande reçue
message-kind-confirmation = Confirmation
message-kind-changed = Rendez-vous modifié
message-kind-please-confirm = Modification à confirmer
message-kind-cancelled-by-store = Annulé par le magasin
message-kind-cancellation-confirmed = Annulation confirmée
message-kind-no-show = Rendez-vous manqué
message-kind-thank-you = Remerciement
message-kind-reminder = Rappel
message-kind-recall = Invitation à reprendre rendez-vous
message-kind-test = Message de test
message-kind-store-reply = Réponse du magasin
message-kind-payment-request = Lien de paiement
message-kind-payment-receipt = Reçu de paiement
message-kind-deposit-request = Acompte à régler
message-kind-hold-released = Réservation libérée
message-kind-refund-issued = Remboursement

## Statuts des rendez-vous.

status-pending-staff-approval = En attente d'approbation
status-approved = Confirmé
status-pending-client-approval = En attente de confirmation du client
status-cancelled = Annulé

## Pourquoi un horaire ne peut pas être réservé.

slot-past = Cet horaire est déjà passé. Merci de choisir un horaire plus tardif.
slot-closed = Le magasin est fermé à cette heure-là. Merci de choisir un horaire pendant les heures d'ouverture.
slot-off-grid = Merci de choisir l'un des horaires proposés.
slot-too-far = Cette date est trop lointaine pour ce magasin. Veuillez choisir une date plus proche.
slot-taken = Désolé, cet horaire vient d'être réservé. Merci d'en choisir un autre.

bell-upcoming-visit-title = Visite à venir
bell-upcoming-visit-body = { $client } vient pour { $service } le { $when }

bell-awaiting-approval-title = Rendez-vous en attente d’approbation
bell-awaiting-approval-body = La demande de { $client } pour { $service } avec { $associate } le { $when } n’est toujours pas approuvée

bell-during-time-off-title = Rendez-vous pendant un congé
bell-during-time-off-body = { $associate } est absent(e) pour { $service } de { $client } le { $when } : réattribuez, déplacez ou annulez-le
bell-payment-received-title = Paiement reçu
bell-payment-received-body = { $amount } de { $client }
