# ما يقوله الخادم بدل سبب لا يحق للسائل قراءته كاملًا (سياسة الإفصاح لدى البعثة)، بالعربية.

-withheld = محجوب بموجب سياسة الإفصاح لدى البعثة

disclosed-withheld = { -withheld }
disclosed-place-withheld = المكان: { -withheld }
disclosed-site-withheld = قرب موقع محمي: اسمه والمسافة إليه { -withheld }
disclosed-evidence-withheld = التقارير التي يستند إليها: { -withheld }
disclosed-a-protected-site = موقع محمي
disclosed-actor = تذكر التقارير الفاعل `{ $actor }`{ $party }{ $doubt }
disclosed-actor-party = {" ← "}الطرف `{ $party }`
disclosed-actor-no-party = {""}
disclosed-actor-sure = {""}
disclosed-actor-doubt = ؛ قد لا يصحّ الاسم، أو طرف الفاعل، في كل أيام الحادثة
disclosed-initiator-certain = تقول التقارير إن هذا الطرف قام بالفعل
disclosed-initiator-possible = لا تقول التقارير بيقين أي طرف قام بالفعل
disclosed-target-certain = وقع الفعل على هدف يحميه البند
disclosed-target-possible = ربما وقع الفعل على هدف يحميه البند
disclosed-kind-certain = الحادثة من نوع يشمله البند
disclosed-kind-possible = ربما كانت الحادثة من نوع يشمله البند

# Why a ledger entry is withheld from its reader (the disclosure policy's words)
disclosed-record-accounts = حسابات البعثة لموظفيها وحدهم
disclosed-record-monitor = تقرير مراقب: محجوب حمايةً للمراقب
disclosed-record-other-party = استحقاق لطرف آخر
disclosed-record-not-public = تحجبه سياسة الإفصاح عن عامة الناس
disclosed-record-unknown = نوع سجل لا يعرفه هذا البرنامج، فهو لموظفي البعثة وحدهم
disclosed-record-as-written = { $why }
