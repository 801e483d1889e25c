# حلقات سلسلة الأسباب التي يُبنى عليها كل استنتاج، بالعربية. المفاتيح والقيم
# المسماة نفسها كما في الفهرس الإنجليزي؛ المعرّفات بين علامتي ` تبقى كما كُتبت.

reason-list = { $items }
reason-code = `{ $id }`
reason-party = الطرف `{ $party }`
reason-no-party = بلا طرف
reason-actor = الفاعل `{ $actor }`
reason-side = { $field } «{ $names }»

## ضد من وقع الفعل
reason-target-civilian-actor = «{ $name }» ← `{ $actor }` (مدنيون)
reason-target-actor = «{ $name }» ← `{ $actor }` ({ $designation } في { $day })
reason-target-not-an-actor = «{ $name }» (ليس من الفاعلين في الاتفاق)
reason-target-civilians-by-source = مدنيون بحسب المصدر
reason-target-anyone = البند يحمي الجميع؛ الطرف الآخر: { $other }
reason-target-anyone-no-other-side = البند يحمي الجميع؛ لا يذكر المصدر طرفًا آخر
reason-target-against = ضد { $side }: { $names } ({ $requirement })
reason-protects = البند يحمي { $targets }
reason-protects-covered = الفاعلين المشمولين بالاتفاق
reason-protects-excluded = الفاعلين المستثنين من الاتفاق
reason-protects-civilians = المدنيين
reason-protects-anyone = الجميع

## من قام بالفعل
reason-initiator-first-side = لا يذكر المصدر من هاجم من؛ يعدّ الاتفاق الطرف المذكور أولًا ({ $side }) هو من قام بالفعل (`{ $setting }`)
reason-initiator-named = يذكر المصدر أن { $side } قام بالفعل
reason-initiator-only = لا يذكر المصدر إلا { $side }
reason-initiator-civilians = الطرف الآخر مدنيون، فالفاعل { $side }
reason-initiator-unknown = لا يذكر المصدر من هاجم من ({ $side } و{ $other }): نسبة الفعل إلى { $field } ممكنة لا مؤكدة

## الفاعل وطرفه
reason-match-exact = الاسم نفسه
reason-match-transliteration = الاسم نفسه باختلاف النقل الحرفي
reason-actor-chain = يذكر { $field } «{ $name }» ← الاسم البديل «{ $alias }» ({ $how }) ← الفاعل `{ $actor }` ← { $party } في { $day }
reason-alias-part-of-event = يصحّ الاسم البديل { $period } فقط، لا في كل أيام الحادثة
reason-party-changed = تغيّر طرف الفاعل خلال تواريخ الحادثة

## هل انتُهك البند، ومن المسؤول
reason-no-guarantors = {""}
reason-guarantors = ؛ بضمان { $guarantors }
reason-attribution-certain = انتهاك مؤكد؛ المسؤول: { $responsible }{ $guarantors }
reason-attribution-certain-either = انتهاك مؤكد: كل طرف ربما قام بالفعل ملتزم بالبند؛ المسؤول: { $responsible } — لا يذكر المصدر من قام بالفعل{ $guarantors }
reason-attribution-possible = انتهاك محتمل: أحد الأطراف التي ربما قامت بالفعل غير ملتزم بالبند، أو إحدى الحلقات غير مؤكدة؛ إن كان الفاعل أحد الملتزمين فالمسؤول: { $responsible }{ $guarantors }

## الاستثناءات
reason-exception-site = {" "}`{ $site }` ({ $name })
reason-exception-no-site = {""}
reason-exception-applies = الاستثناء «{ $exception }» ينطبق: الهدف ممن يشملهم
reason-exception-does-not-apply = الاستثناء «{ $exception }» لا ينطبق: { $why }
reason-exception-void-at-site = الاستثناء «{ $exception }» لا يسري هنا: وقعت الحادثة في الموقع المحمي{ $site }
reason-exception-maybe-void-at-site = الاستثناء «{ $exception }» كان لينطبق، لكن الحادثة ربما وقعت في الموقع المحمي{ $site }، حيث لا يسري
reason-exception-may-apply = الاستثناء «{ $exception }» قد ينطبق: { $why }
reason-exception-miss-target = الهدف ليس ممن يذكرهم
reason-exception-miss-kind = الحادثة ليست من نوع يذكره
reason-exception-miss-zone = الحادثة ليست في منطقة يذكرها
reason-exception-miss-conditions = شروطه غير مستوفاة
reason-exception-partial-target = بعض الطرف الآخر فقط هدف يشمله
reason-exception-partial-kind = قد لا تكون الحادثة من نوع يذكره
reason-exception-partial-zone = قد لا تكون الحادثة في منطقة يذكرها
reason-exception-partial-other = قد يصحّ

## نوع الحادثة
reason-kind-no-source-label = {""}
reason-kind-source-label = { $label }{" ← "}
reason-kind-known = {""}
reason-kind-unknown = {" "}(النوع `{ $kind }` ليس في التصنيف؛ يُقرأ كأي حادثة)
reason-kind-forbidden = { $source }`{ $kind }`{ $unknown }، وهو من نوع `{ $forbidden }` الذي يحظره البند
reason-kind-any = { $source }`{ $kind }`{ $unknown }؛ البند يشمل كل الأنواع
reason-kind-maybe-forbidden = { $source }`{ $kind }`{ $unknown }: لا يقول المصدر أكثر من هذا، فقد يكون أو لا يكون من `{ $forbidden }` الذي يحظره البند
reason-kind-plain = { $source }`{ $kind }`{ $unknown }

## التاريخ
reason-date-within = { $span } ضمن المدة الزمنية للبند ({ $window })
reason-date-partly-within = { $span } ضمن المدة الزمنية للبند جزئيًا فقط ({ $window }): ربما وقعت الحادثة خارجها

## المكان
reason-unnamed-place = مكان بلا اسم
reason-location-point = { $place } ({ $point }، { $precision }، ±{ $radius } كم)
reason-location-no-point = { $place } (بلا إحداثيات، { $precision })
reason-place-named-unit = { $place } ← يذكر المصدر الوحدة الإدارية «{ $unit }»، وهي المنطقة `{ $zone }` ({ $name }): الحادثة فيها مهما كان عدم اليقين في الموقع
reason-place-inside = { $place } ← داخل المنطقة `{ $zone }` ({ $name })
reason-place-inside-by = { $place } ← داخل المنطقة `{ $zone }` ({ $name })، على بعد { $distance } كم من حدّها
reason-place-too-coarse = { $place } ← ربما في المنطقة `{ $zone }` ({ $name }): الموقع أعمّ من أن يُحسم
reason-place-inside-near-edge = { $place } ← النقطة في المنطقة `{ $zone }` ({ $name }) لكن على بعد { $distance } كم فقط من حدّها، وهو أقل من عدم اليقين في الموقع: ربما في المنطقة
reason-place-outside-near-edge = { $place } ← النقطة على بعد { $distance } كم خارج المنطقة `{ $zone }` ({ $name })، ضمن عدم اليقين في الموقع: ربما في المنطقة

## المواقع المحمية
reason-site-exact = موقع المنشأة
reason-site-by-town = معروف ببلدته فقط، ±{ $radius } كم
reason-distance-km = { $distance } كم
reason-distance-unknown = مسافة غير معروفة
reason-site-within = { $place } ← على بعد { $distance } من الموقع المحمي `{ $site }` ({ $name }، { $precision })، ضمن نطاق حمايته البالغ { $radius } كم
reason-site-maybe-within = { $place } ← على بعد { $distance } من الموقع المحمي `{ $site }` ({ $name }، { $precision })؛ مع عدم اليقين في الموقعين ربما يقع ضمن نطاق الحماية البالغ { $radius } كم

## التقارير التي يستند إليها الاستنتاج
reason-evidence-pooled = حادثة واحدة وردت في { $times } تقارير ({ $reports }؛ المصادر: { $sources })؛ يستند هذا الاستنتاج إلى أقواها
