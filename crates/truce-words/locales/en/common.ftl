# truce's words in English: values that sentences place (dates, windows,
# precisions, list joiners). The English catalogue is the stable one: the check's
# JSON carries its text, so a change here is a change of the output format.

join-or = {" or "}
join-comma = {", "}
join-space = {" "}
join-semicolon = {"; "}

date-precision-day = day
date-precision-days = a few days
date-precision-week = week
date-precision-month = month
date-precision-year = year

date-span-one = { $first }
date-span-range = { $first } .. { $last } ({ $precision })

window-always = at any time
window-from = from { $start }
window-before = before { $end }
window-between = from { $start } to before { $end }

period-always = always
period-from = from { $from }
period-until = until { $until }
period-between = { $from } to { $until }

location-precision-exact = exact place
location-precision-near = near a place
location-precision-district = district only
location-precision-province = province only
location-precision-linear = along a line between places
location-precision-country = country only
location-precision-unknown = unknown

designation-covered = covered
designation-excluded = excluded
designation-outside = outside
designation-none = no designation
