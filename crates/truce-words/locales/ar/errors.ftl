# رسائل أخطاء الواجهة البرمجية بالعربية: حقل `message` في جواب الخطأ. لا يُترجم
# حقل `code` أبدًا. القيمة الآتية من مصدر آخر (نص مكتبة بالإنجليزية، اسم ملف)
# توضع كما كُتبت.

## المستخدمون والرموز

api-field-name-length = الحقل { $field }: المتوقع من ١ إلى ١٠٠ حرف، ليس بينها حرف تحكّم
api-liaison-needs-party = الحقل { $field }: على ضابط ارتباط الطرف أن يسمّي الطرف (معرّفه في الاتفاق)
api-not-a-party = الحقل { $field }: { $party } ليس طرفًا في الاتفاق (أطرافه: { $parties })
api-party-only-for-liaison = الحقل { $field }: لا يرتبط بطرف إلا ضابط ارتباط الطرف
api-password-length = الحقل { $field }: المتوقع ١٢ حرفًا على الأقل
api-user-exists = يوجد من قبل مستخدم باسم { $name }
api-user-disabled = المستخدم { $name } معطَّل
api-no-such-user = لا يوجد مستخدم باسم { $name }
api-no-token-in-force = لا رمز نافذًا رقمه { $id } (فهو غير موجود أو أُلغي من قبل)

## من يطلب

api-needs-token = يحتاج هذا المسار إلى رمز وصول ({ $header }) أو جلسة
api-role-may-not = لا يحق للدور { $role } استخدام هذا المسار
api-token-not-issued = هذا الرمز ليس من الرموز التي أصدرها هذا الخادم
api-token-revoked = أُلغي هذا الرمز
api-token-user-disabled = مستخدم هذا الرمز معطَّل
api-csrf-missing = الطلب المرسل بملف تعريف الجلسة والذي يغيّر شيئًا يجب أن يحمل ترويسة الجلسة { $header }
api-session-ended = انتهت الجلسة؛ سجّل الدخول من جديد
api-authorization-form = يجب أن تكون ترويسة التفويض على الصورة { $form }
api-token-backing-off = أسرار خاطئة كثيرة لهذا الرمز؛ أعد المحاولة لاحقًا
api-too-many-logins = محاولات دخول كثيرة من هذا العنوان أو بهذا الاسم؛ أعد المحاولة لاحقًا
api-login-refused = الاسم أو كلمة المرور غير صحيحة
api-logout-needs-cookie = يحتاج تسجيل الخروج إلى ملف تعريف الجلسة
api-logout-needs-csrf = يحتاج تسجيل الخروج إلى ترويسة الجلسة { $header }

## السجل والاستحقاقات

api-no-checkpoint = لم تُوقَّع أي نقطة تحقق بعد (يوقّعها الأمر { $command })
api-no-mission-key = لا تسمّي إعدادات الخادم مفتاحًا للبعثة ({ $setting }): وقّع بالأمر { $command }
api-not-a-mission-key = المفتاح { $name } ليس من مفاتيح البعثة التي يسردها الاتفاق في { $list }؛ لم يُوقَّع شيء
api-inclusion-out-of-range = المتوقع { $index } < { $size } ≤ { $log } (حجم السجل)؛ الموجود: الفهرس { $found_index } والحجم { $found_size }
api-consistency-out-of-range = المتوقع ٠ < { $from } ≤ { $to } ≤ { $log } (حجم السجل)؛ الموجود: البداية { $found_from } والنهاية { $found_to }
api-entries-limit = المتوقع أن يكون { $parameter } من ١ إلى ١٠٠٠؛ الموجود { $limit }
api-bundle-empty = السجل فارغ: لا شيء يُصدَّر («{ $detail }»)
api-no-entitlement = لا استحقاق { $id } يحق لك الاطلاع عليه
api-already-released = الاستحقاق { $entitlement } ممنوح من قبل
api-nothing-to-suspend = الاستحقاق { $entitlement } غير ممنوح: لا شيء يُعلَّق
api-refused-release = لا يجوز منح الاستحقاق { $entitlement }: «{ $reason }»
api-may-not-be-released = لا يجوز منح الاستحقاق { $entitlement }: { $reason }
api-reason-length = يجب أن يذكر الحقل { $field } السبب، في ١ إلى ٢٠٠٠ حرف
api-not-handed-over = لا يُسلَّم ملف الاستحقاق { $entitlement } إلا وهو ممنوح: «{ $why }»
api-no-payload = لا ملف للاستحقاق { $entitlement }
api-no-payload-file = لا ملف رقمه { $file } للاستحقاق { $entitlement }

## كل المسارات

api-internal = فشل الخادم؛ السبب مدوَّن في سجله
api-store-busy = المخزن مشغول؛ أعد المحاولة
api-timeout = استغرق الطلب أكثر من المهلة التي يسمح بها الخادم
api-too-many-requests = أكثر من { $limit } طلب في الدقيقة من هذا العنوان؛ أعد المحاولة لاحقًا
api-no-route = لا مسار { $path }
api-rejected-not-found = لا شيء بهذا العنوان: «{ $detail }»
api-rejected-method-not-allowed = هذا المسار موجود لكنه لا يقبل طريقة الطلب هذه: «{ $detail }»
api-rejected-timeout = استغرق الطلب أكثر من المهلة التي يسمح بها الخادم: «{ $detail }»
api-rejected-payload-too-large = متن الطلب أكبر من الحد الذي يسمح به الخادم: «{ $detail }»
api-rejected-unsupported-media-type = نوع متن الطلب ليس ما يقرؤه هذا المسار: «{ $detail }»
api-rejected-invalid-body = متن الطلب سليم البناء لكن فيه حقل ناقص أو من نوع غير متوقع: «{ $detail }»
api-rejected-bad-request = الطلب غير سليم: معامل أو ترويسة أو حقل ناقص أو ليس كما يتوقع المسار: «{ $detail }»
api-rejected-internal = فشل الخادم؛ السبب مدوَّن في سجله («{ $detail }»)

## تقارير المراقبين

api-idempotency-key-missing = الترويسة { $header } غير موجودة: المتوقع مفتاح خاص بهذا التقرير (معرّف فريد عالميًا مثلًا)، هو نفسه في كل إعادة محاولة
api-idempotency-key-form = يجب أن تكون الترويسة { $header } من ١ إلى ٢٠٠ محرف مرئي من محارف الآسكي
api-report-as-json = يُرسَل التقرير بصيغة جيسون: { $header }
api-report-not-json = التقرير غير صالح: «{ $detail }»
api-idempotency-key-reused = استُخدم مفتاح عدم التكرار هذا من قبل لتقرير آخر؛ استخدم مفتاحًا جديدًا لكل تقرير جديد
api-limit-thousand = قيمة المعامل { $parameter } هي { $limit }: المتوقع من ١ إلى ١٠٠٠
api-no-unpublished-submission = لا تقرير مرسَل غير منشور رقمه { $submission } (فهو غير موجود أو منشور من قبل)
api-submission-rejected = رُفض التقرير المرسَل رقم { $submission }: لم يعد من الأدلة ولا يمكن نشره
api-submission-gone = رُفض التقرير المرسَل رقم { $submission } أو سُحب من قبل
api-report-field = الحقل { $field }: المتوقع { $expected }
api-expected-date = تاريخ موجود فعلًا ({ $form })، والموجود { $found }
api-expected-after-date = يوم يوافق { $date } أو يليه
api-expected-lat-lon-range = خط عرض بين -٩٠ و٩٠ وخط طول بين -١٨٠ و١٨٠
api-expected-lat-lon-both = خط العرض وخط الطول معًا، أو لا شيء منهما
api-expected-one-of = واحد مما يلي: { $values }
api-expected-point-or-place = نقطة أو اسم مكان (أو { $field } = { $unknown })
api-expected-kind = نوع من تصنيف الأنواع في البرنامج
api-expected-kind-hint = نوع من تصنيف الأنواع في البرنامج (هل تقصد { $closest }؟)
api-expected-name = اسم
api-expected-role = { $initiator } أو { $target } أو { $unknown }
api-expected-casualties = { $low } ≤ { $best } ≤ { $high }
api-expected-at-most = ما لا يزيد على { $high }
api-expected-sha256 = بصمة { $hash } بالنظام الست عشري بأحرف صغيرة (٦٤ محرفًا)
api-expected-url = عنوان { $http } أو { $https }

## الاتفاق والفحص والخريطة

api-parameter-one-of = قيمة المعامل { $parameter } هي { $value }: المتوقع واحد مما يلي: { $allowed }
api-parameter-date = قيمة المعامل { $parameter } هي { $value }: المتوقع تاريخ ({ $form })
api-bad-cursor = المؤشر ليس من المؤشرات التي أعطاها هذا الخادم
api-no-incident = لا حادثة { $id }
api-limit-million = قيمة المعامل { $parameter } هي { $limit }: المتوقع من ١ إلى ١٠٠٠٠٠٠

## الرفع

api-agreement-not-utf8 = الاتفاق ليس نصًا بترميز { $encoding } (بايت غير صالح عند الموضع { $offset })
api-agreement-has-errors = في الاتفاق أخطاء عددها { $errors }؛ لم يتغيّر شيء
api-agreement-other-id = معرّف الاتفاق المرفوع { $uploaded }، لكن هذا الخادم يتحقق من { $current }: النسخة الجديدة تحتفظ بالمعرّف نفسه
api-upload-too-large = الملف أكبر من الحد الذي يسمح به الخادم للرفع ({ $limit } بايت)؛ استورده بالأمر { $command }
api-upload-cut-off = انقطع الرفع قبل اكتماله: «{ $detail }»
api-upload-name = المعامل { $parameter }: المتوقع اسم الملف (من ١ إلى ٣٠٠ حرف)
api-unknown-format = قيمة المعامل { $parameter } هي { $value }، وليست صيغة معروفة: «{ $detail }»
api-evidence-unreadable = تعذّرت قراءة ملف الأدلة كاملًا، ولم يُخزَّن منه شيء: «{ $detail }»
