# Français.

# This language's own name, for language pickers.
language-name = Français

## Dates et heures : « mardi 24 novembre 2026 à 14h30 ».
## $weekday : 1 (lundi) à 7 (dimanche) ; $month : 1 (janvier) à 12 ;
## $day, $year et $hour sont des nombres ; $hour-padded et $minute-padded
## ont toujours deux chiffres (« 09 », « 05 »).

date-weekday = { $weekday ->
    [1] lundi
    [2] mardi
    [3] mercredi
    [4] jeudi
    [5] vendredi
    [6] samedi
   *[7] dimanche
}
date-month = { $month ->
    [1] janvier
    [2] février
    [3] mars
    [4] avril
    [5] mai
    [6] juin
    [7] juillet
    [8] août
    [9] septembre
    [10] octobre
    [11] novembre
   *[12] décembre
}
# « 9h05 » : pas de zéro devant l'heure.
clock = { $hour }h{ $minute-padded }
# « mardi 24 novembre 2026 à 14h30 », et « 1er » pour le premier du mois.
date-time = { date-weekday } { $day ->
    [1] 1er
   *[other] { $day }
} { date-month } { $year } à { clock }
# « mardi 24 novembre », et « 1er » pour le premier du mois.
date-day = { date-weekday } { $day ->
    [1] 1er
   *[other] { $day }
} { date-month }
# « novembre 2026 »
date-month-year = { date-month } { $year }
# En-têtes du calendrier, $weekday de 1 (lundi) à 7.
date-weekday-short = { $weekday ->
    [1] lun.
    [2] mar.
    [3] mer.
    [4] jeu.
    [5] ven.
    [6] sam.
   *[7] dim.
}
