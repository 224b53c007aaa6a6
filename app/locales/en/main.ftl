# English: the fallback language. Every message here must exist in every
# other locale folder (and the other way round): `cargo test -p app
# --features ssr i18n` checks it.

# This language's own name, for language pickers.
language-name = English

## Dates and times, as in "Tuesday 24 November 2026 at 14:30".
## $weekday: 1 (Monday) to 7 (Sunday); $month: 1 (January) to 12;
## $day, $year and $hour are numbers; $hour-padded and $minute-padded
## always have two digits ("09", "05").

date-weekday = { $weekday ->
    [1] Monday
    [2] Tuesday
    [3] Wednesday
    [4] Thursday
    [5] Friday
    [6] Saturday
   *[7] Sunday
}
date-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
# "14:30"
clock = { $hour-padded }:{ $minute-padded }
# "Tuesday 24 November 2026 at 14:30"
date-time = { date-weekday } { $day } { date-month } { $year } at { clock }
# "Tuesday 24 November"
date-day = { date-weekday } { $day } { date-month }
# "November 2026"
date-month-year = { date-month } { $year }
# Calendar column heads, $weekday 1 (Monday) to 7.
date-weekday-short = { $weekday ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
