# كلمات truce بالعربية: القيم التي تضعها الجمل (التواريخ، النوافذ الزمنية،
# درجات الدقة، أدوات الربط بين عناصر القائمة).

join-or = {" أو "}
join-comma = {"، "}
join-space = {" "}
join-semicolon = {"؛ "}

date-precision-day = باليوم
date-precision-days = ببضعة أيام
date-precision-week = بالأسبوع
date-precision-month = بالشهر
date-precision-year = بالسنة

date-span-one = { $first }
date-span-range = من { $first } إلى { $last } (الدقة { $precision })

window-always = في أي وقت
window-from = ابتداءً من { $start }
window-before = قبل { $end }
window-between = من { $start } إلى ما قبل { $end }

period-always = دائمًا
period-from = ابتداءً من { $from }
period-until = حتى { $until }
period-between = من { $from } إلى { $until }

location-precision-exact = مكان محدد
location-precision-near = قرب مكان
location-precision-district = المنطقة فقط
location-precision-province = المحافظة فقط
location-precision-linear = على خط بين أماكن
location-precision-country = البلد فقط
location-precision-unknown = غير معروف

designation-covered = مشمول بالاتفاق
designation-excluded = مستثنى من الاتفاق
designation-outside = خارج الاتفاق
designation-none = بلا تصنيف
