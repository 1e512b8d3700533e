# The catalogue: its search form, the cards, the search's refusals.

all-municipalities = كل البلديات
all-intensities = كل درجات الشدة
all-profiles = كل الملفات
region-name = منطقة { $name }
filters-title = البحث والتصفية
filter-profile = الملف
filter-municipality = البلدية
filter-intensity = شدة المساعدة
filter-age = عمر طفلك
filter-query = كلمة البحث
filter-order = الترتيب
order-daily = عشوائي (مختلف كل يوم)
order-name = حسب الاسم (من A إلى Z)
order-doelrealisatie = تحققت الأهداف (الأعلى أولًا)
order-zonder_hulp = الاستمرار بدون رعاية الشباب (الأعلى أولًا)
order-problemen_kleiner = أصبحت المشاكل أصغر (الأعلى أولًا)
order-uitval = توقف مبكرًا (الأقل أولًا)
order-terugval = احتاج إلى المساعدة مرة أخرى (الأقل أولًا)
order-tevredenheid = الرضا (الأعلى أولًا)
order-needs-profile = اختر ملفًا
filters-submit = اعرض مقدمي الخدمات
chip-profile = الملف { $number }
chip-municipality = البلدية { $name }
chip-intensity = الشدة { $name }
chip-query = كلمة البحث '{ $query }'
chips-title = عوامل التصفية المختارة
chip-remove = إزالة عامل التصفية { $filter }
catalogue-title-past-end = مقدمو الخدمات: هذه الصفحة غير موجودة
catalogue-title-page = مقدمو الخدمات، الصفحة { $page } من { $pages }
catalogue-crumb = مقدمو الخدمات
catalogue-title-refused = مقدمو الخدمات: تحقق من بحثك
catalogue-title = مقدمو رعاية الشباب
results-title = النتائج
results-refused = غيّر بحثك. بعد ذلك سترى مقدمي الخدمات.
results-found = { $count ->
    [0] لم يتم العثور على مقدمي خدمات
    [one] تم العثور على مقدم خدمة واحد
    [two] تم العثور على مقدمَي خدمة
    [few] تم العثور على { $count } مقدمي خدمات
   *[other] تم العثور على { $count } مقدم خدمة
}
order-note-daily = الترتيب عشوائي ومختلف كل يوم. لا يستطيع أي مقدم خدمة أن يشتري مكانًا أفضل.
order-to-name = رتّب حسب الاسم
order-note-name = حسب الاسم، من A إلى Z.
order-to-daily = رتّب عشوائيًا
order-note-score = الترتيب حسب: { $indicator }، وفق آخر الأرقام المنشورة لهذا الملف. نأخذ في الحساب عدد مسارات المساعدة وراء كل رقم: مقدم الخدمة الذي لديه مسارات قليلة لا يصل إلى الأعلى بالصدفة. مقدمو الخدمات بدون أرقام أو ببيانات قليلة جدًا يأتون بعد ذلك، بترتيب عشوائي.
results-none = لا يوجد مقدمو خدمات يناسبون كل اختياراتك.
results-none-advice = جرّب بعوامل تصفية أقل، أو
results-all = اعرض كل مقدمي الخدمات
results-past-end = هذه الصفحة غير موجودة: عدد الصفحات { $pages }.
results-first-page = انتقل إلى الصفحة الأولى
compare-hint = ضع علامة على 2 إلى 4 من مقدمي الخدمات واختر "قارن" لتراهم جنبًا إلى جنب.
compare-submit = قارن مقدمي الخدمات المختارين
card-compare = قارن
card-profiles = الملفات
card-intensity = شدة المساعدة
card-setting = شكل المساعدة
card-age = العمر
age-range = من { $low } إلى { $high } سنة
card-waiting = وقت الانتظار
waiting-from-none = من 0 إلى { $to }
waiting-range = من { $from } إلى { $to }
waiting-no-place = لا يوجد مكان الآن
updated-on = حُدّث في { $date }
badge-accepts = يقبل عملاء جددًا
badge-full = لا يقبل عملاء جددًا الآن
badge-18-23 = أيضًا من 18 إلى 23 سنة
card-no-scores = نتائج الملف { $number }: لا توجد أرقام منشورة بعد.
card-scores = نتائج الملف { $number }
trajectories = { $count ->
    [one] مسار واحد
    [two] مساران
    [few] { $count } مسارات
   *[other] { $count } مسارًا
}
too-few = بيانات قليلة جدًا ({ $count })
query-unreadable = لا يمكن قراءة عنوان الصفحة. ابدأ من جديد من صفحة البحث.
query-unknown = لا نعرف خيار البحث '{ $name }'.
search-unknown-municipality = البلدية '{ $name }' ليست في الدليل. اختر بلدية من القائمة.
search-not-a-profile = '{ $value }' ليس رقم ملف. اختر ملفًا من القائمة.
search-profile-not-in-region = الملف { $number } غير مستخدم في منطقة { $region }. اختر ملفًا آخر.
search-no-such-profile = الملف { $number } غير موجود. اختر ملفًا من { $first } إلى { $last }.
search-no-profiles = لا توجد ملفات بعد. ابحث بدون ملف.
search-not-an-intensity = '{ $value }' ليست درجة شدة. اختر من: { $choices }.
search-age = اكتب عمر طفلك كرقم من 0 إلى { $max }، مثلًا 12.
search-query-too-long = استخدم { $max } حرفًا على الأكثر للبحث.
search-page = رقم الصفحة '{ $value }' غير ممكن. استخدم عددًا صحيحًا من 1 إلى { $max }.
search-order-needs-profile = اختر ملفًا أولًا. الأرقام تخص كل ملف.
search-unknown-order = لا نعرف الترتيب '{ $value }'. اختر willekeurig أو naam أو doelrealisatie أو zonder_hulp أو problemen_kleiner أو uitval أو terugval أو tevredenheid.
provider-written-in-dutch = يكتب مقدم الخدمة بنفسه عن مساعدته، باللغة الهولندية.
provider-approach = هكذا نعمل
provider-18-23 = يساعد أيضًا الشباب من 18 إلى 23 سنة (رعاية الشباب الممتدة)
provider-until-18 = يساعد الشباب حتى سن 18. لا يقدم مقدم الخدمة هذا رعاية الشباب الممتدة (من 18 إلى 23 سنة).
provider-results = النتائج
provider-families = وقت الانتظار وتجربة العائلات
provider-offers = ماذا يقدم { $name }؟
provider-in-region = في منطقة { $name }
provider-admitted = مقبول.
provider-admitted-since = مقبول منذ { $since }.
provider-admitted-until = مقبول. تسري الاتفاقات حتى { $until }.
provider-admitted-since-until = مقبول منذ { $since }. تسري الاتفاقات حتى { $until }.
provider-contact = التواصل
provider-address = العنوان
provider-email = البريد الإلكتروني
provider-phone = الهاتف
provider-website = الموقع الإلكتروني
provider-kvk = رقم غرفة التجارة (KvK)
provider-agb = رمز AGB
offers-none = لم يملأ مقدم الخدمة عرضه في هذه المنطقة بعد.
offers-in-region = العرض للملف { $number } في منطقة { $region }
offers-caption = العرض للملف { $number }
offers-new-clients = عملاء جدد
offers-languages = اللغات
offers-municipalities = البلديات
offers-not-now = ليس الآن
offers-all-municipalities = كل البلديات في المنطقة
yes = نعم
no = لا
families = { $count ->
    [one] عائلة واحدة
    [two] عائلتان
    [few] { $count } عائلات
   *[other] { $count } عائلة
}
days = { $count ->
    [one] يوم واحد
    [two] يومان
    [few] { $count } أيام
   *[other] { $count } يومًا
}
weeks-and-days = { $weeks } أسابيع ({ $days })
range = من { $from } إلى { $to }
waiting-actual = وقت الانتظار في الواقع
waiting-actual-value = { $weeks } من الاختيار حتى البدء.
waiting-actual-hint = قيس عند { $families } في آخر 12 شهرًا. هذا هو وقت الانتظار الأوسط: نصفهم انتظر أقل، ونصفهم انتظر أكثر.
waiting-actual-too-few = عدد البدايات قليل جدًا ({ $count }) في آخر 12 شهرًا للحصول على رقم موثوق.
waiting-actual-min = نعرض رقمًا ابتداءً من { $min } بدايات.
waiting-actual-none = غير معروف بعد: لم تبدأ أي مساعدة عن طريق هذا الموقع في آخر 12 شهرًا.
waiting-stated = وقت الانتظار حسب مقدم الخدمة
waiting-stated-none = لا يوجد وقت انتظار
waiting-stated-range = { $range }، حسب نوع المساعدة: انظر العرض في هذه الصفحة.
waiting-stated-no-place = لا يوجد مكان الآن
experience-none = لا توجد بعد إجابات من العائلات على الاستبيان بعد انتهاء المساعدة.
experience-title = تجربة العائلات
experience-caption = الدرجات التي أعطتها العائلات بعد انتهاء المساعدة، في آخر 12 شهرًا. المصدر: قاستها البلدية. نعرض رقمًا ابتداءً من { $min } إجابات.
experience-kader = الإطار
experience-mean = متوسط الدرجة
experience-based-on = مبني على
experience-interval = الرقم الحقيقي يقع على الأرجح بين
experience-per-question = حسب السؤال
experience-seven-or-more = { $share } أعطوا 7 أو أعلى
experience-too-few = الإجابات قليلة جدًا ({ $count }) للحصول على رقم موثوق. نعرض رقمًا ابتداءً من { $min } عائلات.
kader-vrijwillig = طوعي
kader-gedwongen = إطار إلزامي (بقرار من المحكمة)
compare-no-scores = لا توجد أرقام منشورة بعد
based-on-trajectories = { $count ->
    [one] مبني على مسار واحد
    [two] مبني على مسارين
    [few] مبني على { $count } مسارات
   *[other] مبني على { $count } مسارًا
}
interval = الرقم الحقيقي يقع على الأرجح بين { $low } و{ $high }
reference-name = متوسط المنطقة
too-few-trajectories = المسارات قليلة جدًا ({ $count }) للحصول على رقم موثوق
compare-no-answers = لا توجد إجابات من العائلات بعد
based-on = مبني على { $what }
too-few-answers = إجابات قليلة جدًا ({ $count }) للحصول على رقم موثوق
compare-no-offer = لا يوجد عرض لهذا الملف
compare-full = لا يقبل عملاء جددًا الآن
compare-waiting-measured = قيس عند { $families }. نصفهم انتظر أقل.
compare-too-few-starts = عدد البدايات قليل جدًا ({ $count }) للحصول على رقم موثوق
compare-not-known = غير معروف بعد
compare-stated = حسب مقدم الخدمة:
compare-no-story = لا يوجد شرح
compare-published-on = نُشرت الأرقام في { $date }
compare-row-experience = تجربة العائلات (درجة من 1 إلى 10، قاستها البلدية)
compare-row-place = المكان
compare-row-offer = ماذا يقدمون
compare-row-18-23 = من 18 إلى 23 سنة
compare-row-approach = هكذا يعملون
compare-row-story = القصة وراء الأرقام
compare-caption = المقارنة للملف { $number }
compare-region = مقارنة مقدمي الخدمات
compare-choose = اختر
compare-print = اطبع أو احفظ كملف pdf
compare-print-hint = هل تريد الاحتفاظ بالمقارنة؟ اختر في قائمة المتصفح "طباعة" ثم "حفظ كملف PDF". على الورق تأتي الأرقام أولًا.
how-to-read = هكذا تقرأ هذه المقارنة
how-to-read-topics = ترى في كل موضوع ما يقدمه كل مقدم خدمة. على الشاشة الكبيرة وعلى الورق يكون مقدمو الخدمات جنبًا إلى جنب.
how-to-read-n = بجانب كل رقم مكتوب على كم عائلة يعتمد. كلما زاد عدد العائلات كان الرقم أكثر يقينًا.
how-to-read-min = إذا كان عدد العملاء أقل من { $min } لا نعرض رقمًا. هكذا لا يمكن التعرف على أحد.
how-to-read-chance = الرقم المبني على عائلات قليلة قد يكون أعلى أو أقل بالصدفة. لذلك نكتب بين أي قيمتين يقع الرقم الحقيقي على الأرجح.
how-to-read-verdict = لا نكتب "أفضل" أو "أقل من المتوسط" إلا إذا كان الفرق عن متوسط المنطقة واضحًا.
how-to-read-kader = في المساعدة ضمن الإطار الإلزامي تكون العائلات غالبًا أقل رضا. لذلك نعرض التجربة حسب الإطار.
how-to-read-link = اقرأ كيف نحسب الأرقام
compare-crumb = المقارنة
compare-title = قارن مقدمي الخدمات
compare-title-profile = قارن مقدمي الخدمات للملف { $number }
compare-back = العودة إلى مقدمي الخدمات
compare-back-to-choose = لتختار من جديد.
compare-none-chosen = لم تختر أي مقدم خدمة بعد. ابحث عن مقدمي الخدمات في الدليل وضع علامة على { $min } إلى { $max } منهم عند "قارن".
compare-choose-profile = الأرقام تخص كل ملف. اختر الملف الذي تريد المقارنة له.
compare-pick-profile = اختر ملفًا
compare-unknown-municipality = لا نعرف هذه البلدية. اختر مقدمي الخدمات من جديد في الدليل.
compare-profile-needed = اختر الملف الذي تريد المقارنة له: الأرقام تخص كل ملف.
compare-how-many = اختر من { $min } إلى { $max } من مقدمي الخدمات للمقارنة. لقد اخترت { $count }.
compare-unknown-provider = واحد أو أكثر من مقدمي الخدمات ليس في الدليل (لم يعد موجودًا). اختر من جديد.
compare-unknown-profile = هذا الملف غير موجود. اختر ملفًا من القائمة.
compare-unreadable = لا يمكن قراءة عنوان صفحة المقارنة. اختر مقدمي الخدمات من جديد في الدليل.
legend-outcome = النتيجة
legend-margin = الهامش (الرقم الحقيقي يقع على الأرجح بينهما)
legend-reference = متوسط المنطقة
scores-none-in-period = لا توجد أرقام بعد: لم ينتهِ أي مسار في هذه الفترة.
scores-heading = الملف { $number }، منطقة { $region }
scores-caption = الملف { $number }، منطقة { $region }: المسارات التي انتهت في 12 شهرًا حتى { $until }. المصدر: { $source }.
source-gemeente = قاستها البلدية
source-both = قاسها مقدم الخدمة والبلدية
source-aanbieder = قاسها مقدم الخدمة
source-ijw = رسائل iJw
source-ijw-mixed = رسائل iJw، أكملها مقدم الخدمة أو البلدية
scores-what = ماذا
scores-outcome = النتيجة
scores-n = عدد المسارات
scores-forced-share = نسبة الإطار الإلزامي
scores-compared = المقارنة
scores-expected = المتوقع مع هذه النسبة من الإطار الإلزامي: { $value }
scores-too-few = بيانات قليلة جدًا (أقل من { $min } مسارات: { $count })
scores-voluntary-only = الطوعي فقط: { $value }
hint-forced-share = الإطار الإلزامي: { $share } من المسارات
hint-voluntary = المساعدة الطوعية فقط: { $value }
hint-expected = المتوقع مع هذه النسبة من الإطار الإلزامي: { $value }
scores-none-published = لا توجد أرقام منشورة بعد.
scores-about = عن الأرقام
scores-published = نُشر في { $date }، النسخة { $version }.
scores-how = هكذا نقرأ الأرقام ونحسبها
scores-official-name = الاسم الرسمي:
listing-checked-on = تم التحقق في { $date }
listing-stale = لم يتم التحقق منذ مدة طويلة: آخر مرة في { $date }
listing-stale-advice = لم يتحقق مقدم الخدمة من هذه البيانات منذ أكثر من 7 أشهر. اسأل مقدم الخدمة هل ما زالت صحيحة.
