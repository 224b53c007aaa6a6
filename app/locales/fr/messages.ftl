## Messages aux clients : objet, texte et HTML des e-mails, SMS.
## Texte brut uniquement : la partie HTML échappe tout.
## Les valeurs, indicateurs (yes/no) et fonctions sont décrits dans
## ../en/messages.ftl.
## « de » s'élide devant une voyelle : « de Marc » mais « d'Alice » (INITIAL).

# À qui est le rendez-vous : au destinataire, ou au client sur la copie d'un accompagnant.
message-appointment = { $attendee ->
    [yes] le rendez-vous { INITIAL($client) ->
        [vowel] d'{ $client }
       *[other] de { $client }
    }
   *[no] votre rendez-vous
}
message-request = { $attendee ->
    [yes] la demande de rendez-vous { INITIAL($client) ->
        [vowel] d'{ $client }
       *[other] de { $client }
    }
   *[no] votre demande de rendez-vous
}
# Le lieu : le magasin, avec son adresse quand elle est connue.
message-place = { $has-address ->
    [yes] { $store }, { $address }
   *[no] { $store }
}

message-greeting = { $has-recipient ->
    [yes] Bonjour { $recipient },
   *[no] Bonjour,
}
message-attendee-note = Vous recevez ce message car vous faites partie de la réservation { INITIAL($client) ->
    [vowel] d'{ $client }
   *[other] de { $client }
}.
message-closing-see-you = À bientôt,
message-closing-regards = Bien cordialement,

## Le récapitulatif.

message-detail-service = Prestation
message-detail-when = Date et heure
message-detail-with = Avec
message-detail-where = Lieu
message-detail-join = Rejoindre en ligne
message-detail-no-preference = Sans préférence
message-detail-was = auparavant :
message-when-until = { $start } (jusqu'à { $end })
# La typographie française met une espace avant les deux-points.
message-labelled = { $label } : { $value }

## Boutons et lien en bas de message.

message-button-view-booking = Voir le rendez-vous
message-button-change = Modifier
message-button-cancel = Annuler
message-button-book-again = Reprendre rendez-vous
message-button-view-request = { $can-cancel ->
    [yes] Voir ou annuler votre demande
   *[no] Voir votre demande
}
message-button-confirm-new-time = Confirmer le nouvel horaire
message-button-reply = Répondre depuis votre page de rendez-vous
message-footer-booking-page = Votre page de rendez-vous :
message-footer-test-link = Lien de test :

## Une demande en ligne que le magasin confirmera.

message-request-received-subject = { CAPITALIZE(message-request) } chez { $store } a bien été reçue
message-request-received-intro = Merci ! Nous avons bien reçu { message-request } et nous la confirmerons rapidement. Vous recevrez un nouveau message dès qu'elle sera confirmée.
message-request-received-sms = { $store } : nous avons bien reçu { message-request } pour { $service } le { $when } et la confirmerons rapidement. { $link }

## Le rendez-vous est confirmé.

message-confirmation-subject = { CAPITALIZE(message-appointment) } chez { $store } est confirmé
message-confirmation-intro = Bonne nouvelle : { message-appointment } est confirmé. Voici le récapitulatif :
message-confirmation-sms = { $store } : { message-appointment } du { $when } est confirmé. À bientôt ! { $link }

## La date, l'heure, l'intervenant ou le lieu a changé.

message-changed-subject = { CAPITALIZE(message-appointment) } chez { $store } a été modifié
message-changed-intro = { CAPITALIZE(message-appointment) } a été modifié. Voici les nouvelles informations :
message-changed-sms = { $has-associate ->
    [yes] { $store } : { message-appointment } a été modifié. Il aura lieu le { $when } avec { $associate }. { $link }
   *[no] { $store } : { message-appointment } a été modifié. Il aura lieu le { $when }. { $link }
}

## Le magasin a modifié le rendez-vous et demande au client de confirmer.

message-please-confirm-subject = Merci de confirmer la modification de { message-appointment } chez { $store }
message-please-confirm-intro = { $can-confirm ->
    [yes] Nous avons dû modifier { message-appointment }. Merci de vérifier les nouvelles informations ci-dessous et de nous confirmer qu'elles vous conviennent.
   *[no] Nous avons dû modifier { message-appointment }. Merci de vérifier les nouvelles informations ci-dessous.
}
message-please-confirm-sms = { $can-confirm ->
    [yes] { $store } : nous avons dû modifier { message-appointment }. Nouvel horaire : le { $when }. Merci de confirmer : { $link }
   *[no] { $store } : nous avons dû modifier { message-appointment }. Nouvel horaire : le { $when }. Détails : { $link }
}

## Le magasin a annulé.

message-cancelled-by-store-subject = { CAPITALIZE(message-appointment) } chez { $store } a été annulé
message-cancelled-by-store-intro = Nous sommes désolés, mais nous avons dû annuler { message-appointment } du { $when }.
message-cancelled-by-store-reason = Motif : { $reason }
message-cancelled-by-store-apology = Veuillez nous excuser pour ce contretemps ; nous espérons vous revoir très bientôt.
message-cancelled-by-store-sms = { $has-reason ->
    [yes] { $store } : nous sommes désolés, nous avons dû annuler { message-appointment } du { $when } ({ $sms-reason }). { $link }
   *[no] { $store } : nous sommes désolés, nous avons dû annuler { message-appointment } du { $when }. { $link }
}

## Le client a annulé : confirmation de son annulation.

message-cancellation-confirmed-subject = { CAPITALIZE(message-appointment) } chez { $store } est annulé
message-cancellation-confirmed-intro = Comme demandé, { message-appointment } du { $when } a bien été annulé.
message-cancellation-confirmed-outro = Au plaisir de vous accueillir une prochaine fois.
message-cancellation-confirmed-sms = { $store } : comme demandé, { message-appointment } du { $when } est annulé. { $link }

## Le client n'est pas venu. « Vous n'avez pas pu venir » plutôt que
## « nous ne vous avons pas vu(e) » : pas de participe genré, pas de reproche.
## « à votre rendez-vous » mais « au rendez-vous de Jean » (à + le).

message-no-show-subject = Rendez-vous manqué chez { $store }
message-no-show-intro = Vous n'avez pas pu venir { $attendee ->
    [yes] au rendez-vous { INITIAL($client) ->
        [vowel] d'{ $client }
       *[other] de { $client }
    }
   *[no] à votre rendez-vous
} du { $when } : nous espérons que tout va bien ! Quand vous le souhaitez, vous pouvez reprendre rendez-vous en ligne.
message-no-show-sms = { $can-rebook ->
    [yes] { $store } : vous n'avez pas pu venir { $attendee ->
        [yes] au rendez-vous { INITIAL($client) ->
            [vowel] d'{ $client }
           *[other] de { $client }
        }
       *[no] à votre rendez-vous
    } du { $when }. Nous espérons que tout va bien ! Reprendre rendez-vous : { $booking-url } Votre rendez-vous : { $link }
   *[no] { $store } : vous n'avez pas pu venir { $attendee ->
        [yes] au rendez-vous { INITIAL($client) ->
            [vowel] d'{ $client }
           *[other] de { $client }
        }
       *[no] à votre rendez-vous
    } du { $when }. Nous espérons que tout va bien ! { $link }
}

## Après la visite, quand le magasin envoie des remerciements.

message-thank-you-subject = Merci pour votre visite chez { $store }
message-thank-you-intro = { $has-associate ->
    [yes] Merci pour votre visite chez { $store } avec { $associate }. Nous espérons que tout vous a plu et serons ravis de vous accueillir à nouveau.
   *[no] Merci pour votre visite chez { $store }. Nous espérons que tout vous a plu et serons ravis de vous accueillir à nouveau.
}
message-thank-you-sms = { $can-rebook ->
    [yes] { $store } : merci pour votre visite ! Au plaisir de vous revoir bientôt. Reprendre rendez-vous : { $booking-url } Votre visite : { $link }
   *[no] { $store } : merci pour votre visite ! Au plaisir de vous revoir bientôt. { $link }
}

## Avant le rendez-vous.

message-reminder-subject = Rappel : { message-appointment } chez { $store }
message-reminder-intro = Petit rappel : { message-appointment } aura lieu le { $when } chez { message-place }.
# Envoyé seulement quand le client peut modifier ou annuler en ligne.
message-reminder-let-us-know = { $can-modify ->
    [yes] { $can-cancel ->
        [yes] En cas d'empêchement, merci de nous prévenir en le modifiant ou en l'annulant ci-dessous.
       *[no] En cas d'empêchement, merci de nous prévenir en le modifiant ci-dessous.
    }
   *[no] En cas d'empêchement, merci de nous prévenir en l'annulant ci-dessous.
}
message-reminder-sms = { $has-address ->
    [yes] { $store } : petit rappel, { message-appointment } aura lieu le { $when }, { $address }. { $link }
   *[no] { $store } : petit rappel, { message-appointment } aura lieu le { $when }. { $link }
}

## Quelque temps après une visite : l'occasion de reprendre rendez-vous.

message-recall-subject = Et si vous repreniez rendez-vous chez { $store } ?
message-recall-intro = Votre dernière visite pour { $service } remonte déjà à un moment. Quand vous le souhaitez, il suffit d'une minute pour reprendre rendez-vous en ligne.
message-recall-sms = { $can-rebook ->
    [yes] { $store } : votre dernière visite pour { $service } remonte à un moment. Reprendre rendez-vous : { $booking-url } Votre dernière visite : { $link }
   *[no] { $store } : votre dernière visite pour { $service } remonte à un moment. { $link }
}

## Un membre du magasin a répondu au message du client (la réponse suit).

message-store-reply-subject = Réponse { INITIAL($store) ->
    [vowel] d'{ $store }
   *[other] de { $store }
}
message-store-reply-intro = { CAPITALIZE($store) } a répondu à votre message :
message-store-reply-sms = { $store } : { $reply-preview } Répondre : { $link }

## Le magasin demande un paiement au client ($amount ; $pay-link est la page de paiement).

message-payment-request-subject = { CAPITALIZE($store) } vous demande un paiement de { $amount }
message-payment-request-intro = { CAPITALIZE($store) } vous demande de régler { $amount } pour { message-appointment }. Vous pouvez payer en ligne en toute sécurité :
message-payment-request-sms = { $store } : merci de régler { $amount } pour { $service } le { $when }. Payer depuis votre réservation : { $link }
message-button-pay = Payer { $amount }

## Une réservation en ligne attend son acompte ($amount ; $due-by : la fin de la réservation provisoire).

message-deposit-subject = Réglez l'acompte de { $amount } pour confirmer votre réservation chez { $store }
message-deposit-intro = { CAPITALIZE($store) } vous réserve { message-appointment } jusqu'au { $due-by }. Réglez l'acompte de { $amount } pour le confirmer :
message-deposit-sms = { $store } : votre { $service } du { $when } est réservé jusqu'au { $due-by }. Réglez l'acompte de { $amount } pour le confirmer : { $link }

## L'acompte n'a pas été réglé à temps : la réservation provisoire est libérée.

message-hold-released-subject = Votre réservation chez { $store } a été libérée
message-hold-released-intro = L'acompte pour { message-appointment } du { $when } n'a pas été réglé à temps : { $store } a libéré le créneau. Vous pouvez réserver à nouveau.
message-hold-released-sms = { $can-rebook ->
    [yes] { $store } : l'acompte pour votre { $service } du { $when } n'a pas été réglé à temps, le créneau est libéré. Réserver : { $booking-url } { $link }
   *[no] { $store } : l'acompte pour votre { $service } du { $when } n'a pas été réglé à temps, le créneau est libéré. { $link }
}

## Le client a payé : le reçu.

message-payment-receipt-subject = Reçu { INITIAL($store) ->
    [vowel] d'{ $store }
   *[other] de { $store }
} : { $amount } reçus
message-payment-receipt-intro = Merci : { $store } a bien reçu votre paiement de { $amount } pour { message-appointment }.
message-payment-receipt-sms = { $store } : nous avons reçu votre paiement de { $amount }. Merci ! { $link }
message-detail-amount-paid = Montant payé

## Un remboursement sur un paiement ($refunded sur $amount).

message-refund-subject = { CAPITALIZE($store) } vous a remboursé { $refunded }
message-refund-intro = { CAPITALIZE($store) } vous a remboursé { $refunded } sur votre paiement de { $amount }. Le montant peut mettre quelques jours à apparaître sur votre compte.
message-refund-sms = { $store } : nous vous avons remboursé { $refunded } sur votre paiement de { $amount }. { $link }

## Envoyé par le magasin pour vérifier qu'un canal fonctionne.

message-test-subject = Message de test { INITIAL($store) ->
    [vowel] d'{ $store }
   *[other] de { $store }
}
message-test-intro = Ceci est un message de test { INITIAL($store) ->
    [vowel] d'{ $store }
   *[other] de { $store }
}. Si vous pouvez le lire, les messages sur ce canal fonctionnent.
message-test-sms = { $has-link ->
    [yes] { $store } : ceci est un message de test. Les SMS fonctionnent ! { $link }
   *[no] { $store } : ceci est un message de test. Les SMS fonctionnent !
}
