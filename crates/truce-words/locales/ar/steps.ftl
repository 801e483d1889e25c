# ما تقوله نتائج الخطوات والشروط، وما يطلبه كل شرط، والتسلسل الزمني للاتفاق،
# وسبب إتاحة الاستحقاق أو حجبه، بالعربية.

status-met = مستوفاة
status-not-met = غير مستوفاة
status-pending = قيد الانتظار
status-insufficient-evidence = الأدلة غير كافية
status-locked = مقفلة

-rests-on-nothing = لا يمكن احتساب أي تقرير في هذه المدة بيقين: الحد المؤكد لا يقول شيئًا هنا

## نتيجة الخطوة
step-waits-for-one = `{ $step }` ({ $status })
step-locked-waits = مقفلة: تنتظر { $steps }
step-locked-start = مقفلة: بدايتها تتوقف على خطوة غير مستوفاة
step-condition-rests-on-nothing = { -rests-on-nothing } ({ $possible } محتملة)؛ { $detail }
step-rests-on-nothing = { $explanation }؛ { -rests-on-nothing }
step-met-on = مستوفاة في { $day }
step-pending = قيد الانتظار: { $explanation }
step-upper-unmet-lower-rests-on-nothing = غير مستوفاة على الحد الأعلى، الذي يحتسب المحتمل أيضًا: { $upper }؛ مستوفاة على الأدلة المؤكدة فقط لأن { -rests-on-nothing }
step-lower-met-upper-unmet = مستوفاة على الأدلة المؤكدة ({ $day })؛ غير مستوفاة على الحد الأعلى، الذي يحتسب المحتمل أيضًا: { $upper }
step-lower-unmet-upper-met = غير مستوفاة على الأدلة المؤكدة ({ $lower })؛ مستوفاة فقط إذا احتُسبت الأحداث المحتملة
step-no-condition = لا شرط للاختبار
step-not-met = غير مستوفاة: { $detail }
step-no-evidence = لا أدلة على الإطلاق
step-evidence-ends = تنتهي الأدلة في { $day }
step-insufficient-evidence = الأدلة غير كافية: { $until }؛ { $waiting }
step-waiting = { $waiting }

## نتيجة الشرط
period-unit-day = يوم
period-unit-week = أسبوع
period-unit-days = فترة من { $days } أيام
condition-window-not-started = تبدأ المدة في { $first }؛ لم يُرصد شيء بعد
condition-window-starts = تبدأ المدة في { $first }
condition-longest-run = أطول سلسلة { $periods } من فترات «{ $unit }» ابتداءً من { $from }
condition-no-whole-period = لا { $unit } كاملًا ضمن الحد
condition-run-pending = { $nothing }{ $best } من أصل { $needed } مطلوبة (رُصد حتى { $observed }){ $worst }{ $unknown }
condition-violations-met = { $needed } من فترات «{ $unit }» المتتالية بما لا يزيد على { $max } انتهاك في كل { $unit }، من { $from } إلى { $to }
condition-violations-worst = ؛ أسوأ { $unit } ابتداءً من { $from } بعدد { $count } انتهاك
condition-violations-never = لم تتحقق أبدًا { $needed } من فترات «{ $unit }» المتتالية بما لا يزيد على { $max } انتهاك في كل { $unit }: { $best }{ $worst }
condition-person = شخص
condition-people = أشخاص
condition-killed-at-least = قُتل { $count } { $people } على الأقل
condition-killed-up-to = قُتل حتى { $count } { $people }
condition-deaths-met = { $needed } من فترات «{ $unit }» المتتالية بما لا يزيد على { $max } { $people } قُتلوا في انتهاكات في كل { $unit }، من { $from } إلى { $to } ({ $worst } في أسوئها){ $unknown }
condition-deaths-unknown-add-nothing = ؛ { $count } انتهاك بلا عدد للقتلى لا تضيف شيئًا إلى هذا العدد
condition-deaths-rest-on-nothing = { $count } انتهاك بلا عدد للقتلى في { $periods } من فترات «{ $unit }»، أولها ابتداءً من { $first }: العدد الأعلى لا يستند إلى شيء هناك، ولا تُحتسب تلك الفترات في أي سلسلة؛{" "}
condition-deaths-worst = ؛ أسوأ { $unit } ابتداءً من { $from }: { $killed }
condition-deaths-never = { $nothing }لم تتحقق أبدًا { $needed } من فترات «{ $unit }» المتتالية بما لا يزيد على { $max } { $people } قُتلوا في انتهاكات في كل { $unit }: { $best }{ $worst }{ $unknown }
condition-no-event-needed = لا حاجة إلى أي حدث
condition-events-met = { $count } حدث حتى { $by }؛ المطلوب { $needed }
condition-events-pending = { $count } حدث من أصل { $needed } مطلوبة (رُصد حتى { $observed })
condition-sites-broken = { $count } انتهاك في مواقع محمية، أولها في { $first }
condition-sites-met = لا انتهاك في أي موقع محمي خلال المدة
condition-sites-pending = لا انتهاك في أي موقع محمي حتى الآن (رُصد حتى { $observed })
condition-trend-met = انخفضت الانتهاكات بنسبة { $percent }٪ على الأقل أسبوعًا بعد أسبوع { $needed } مرة متتالية (الأعداد الأسبوعية { $counts })
condition-trend-too-few-weeks = رُصد أقل من أسبوعين كاملين
condition-trend-counts = الأعداد الأسبوعية { $counts }
condition-trend-unmet = لم تنخفض الانتهاكات بنسبة { $percent }٪ خلال { $needed } أسبوع متتالٍ: { $counts }
condition-baseline = خط الأساس من { $first } إلى { $last }: { $events } حدث، بمعدل { $average } في الأسبوع؛ الحد { $limit } في الأسبوع
condition-baseline-not-started = تبدأ المدة في { $first }؛ { $baseline }
condition-baseline-met = { $needed } أسبوع متتالٍ عند { $limit } انتهاك أو أقل ({ $baseline })؛ الأعداد الأسبوعية { $counts }
condition-baseline-unmet = لم تتحقق { $needed } أسابيع متتالية عند { $limit } انتهاك أو أقل ({ $baseline })؛ الأعداد الأسبوعية { $counts }
condition-no-whole-week = لا أسبوع كاملًا بعد

## ما يطلبه الشرط
condition-bracket-param = [{ $value }] (الصيغة المعلّقة `{ $bracket }`)
condition-filter = {" "}{ $parts }
condition-filter-by = من قِبل { $ids }
condition-filter-in = في { $ids }
condition-filter-of-kind = من نوع { $ids }
condition-filter-under = بموجب { $ids }
condition-any-party = أي طرف
condition-bound-by = {" "}من قِبل { $names }
condition-in-zones = {" "}في { $zones }
condition-counting = {" "}(تُحتسب { $parts })
condition-counting-span = التقارير المؤرخة بما لا يزيد على { $days } يوم
condition-counting-location = المحددة الموقع بدقة { $precision } أو أفضل
condition-counting-aggregates = بما فيها التقارير المجمّعة
condition-counting-sources = من { $sources }
condition-max-violations-daily = ما لا يزيد على { $max } انتهاك{ $filter } في اليوم لمدة { $periods } أيام متتالية{ $counting }
condition-max-violations-per-period = ما لا يزيد على { $max } انتهاك{ $filter } في كل { $unit } لمدة { $periods } من فترات «{ $unit }» المتتالية{ $counting }
condition-run-one = لمدة { $periods } { $unit }
condition-run-many = { $periods } من فترات «{ $unit }» المتتالية
condition-max-deaths = ما لا يزيد على { $max } { $people } يُقتلون في انتهاكات{ $filter } في كل { $unit }، { $run }{ $counting }
condition-any-protected-site = أي موقع محمي
condition-site-kind = «{ $kind }»
condition-no-violation-at-sites = لا انتهاك{ $filter } في { $sites }{ $counting }
condition-min-events = { $min } حدث على الأقل من نوع { $kinds }{ $by }{ $zones }{ $counting }
condition-falling-trend = انخفاض الانتهاكات{ $filter } بنسبة { $percent }٪ على الأقل أسبوعًا بعد أسبوع، { $weeks } مرة متتالية{ $counting }
condition-falling-trend-baseline = الانتهاكات{ $filter } أقل بنسبة { $percent }٪ على الأقل من المعدل الأسبوعي بين { $first } و{ $last } (قبل سريان الشروط)، لمدة { $weeks } أسبوع متتالٍ{ $counting }

## التسلسل الزمني للاتفاق
chronology-clause-in-force = البند `{ $clause }` ساري المفعول ابتداءً من { $start }
chronology-clause-ends = ينتهي البند `{ $clause }` قبل { $end }
chronology-step-window = الخطوة `{ $step }` ({ $name }): تبدأ مدتها
chronology-step-met = الخطوة `{ $step }` مستوفاة
chronology-step-ends = تنتهي مدة الخطوة `{ $step }`: { $status } — { $summary }
chronology-incident = { $incident } في { $place }: انتهاك مؤكد من قِبل { $parties }{ $killed }
chronology-incident-killed = ، قُتل { $best } ({ $low }–{ $high })

## هل يجوز الإفراج عن الاستحقاق
entitlement-step-met = الخطوة `{ $step }` مستوفاة في { $day }
entitlement-step-met-on-certain = الخطوة `{ $step }` مستوفاة في { $day } على الأدلة المؤكدة (الانتهاكات المحتملة لا تمنع هذا الإفراج)
entitlement-withheld-possible = محجوب: الخطوة `{ $step }` مستوفاة على الأدلة المؤكدة لكن لا عند احتساب الانتهاكات المحتملة، وهي تمنع هذا الإفراج ({ $explanation })
entitlement-withheld = محجوب: الخطوة `{ $step }` { $status } ({ $summary })

## A record of the ledger, as recorded

## The agreement's life, from the ledger's records
chronology-agreement-version = سُجّلت نسخة الاتفاق { $sha256 } (`{ $name }`)
chronology-bracket-resolution = حُسمت الصيغة المعلّقة `{ $bracket }`: { $alternative }، بتوقيع { $signers }
chronology-entitlement-release = مُنح الاستحقاق `{ $entitlement }` إلى { $to }{ $by }: { $reason }
chronology-entitlement-suspension = عُلّق الاستحقاق `{ $entitlement }`{ $by }: { $reason }
chronology-entitlement-handover = الاستحقاق `{ $entitlement }`: سُلّم { $files } من ملفات الحمولة إلى { $to }{ $by }
chronology-by = {" من قِبل "}{ $who }
chronology-by-no-one = {""}
chronology-by-pseudonym = { $role } { $pseudonym }
chronology-and = { $left } و{ $right }
chronology-no-one = لا أحد
