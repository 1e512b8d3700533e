# /profielen and /profielen/N: the profiles, their intensities and tariffs.

profiles-crumb = الملفات
profiles-title = الملفات: أي مساعدة تناسب أي وضع؟
profiles-lead = رعاية الشباب مقسمة إلى ملفات. يصف الملف وضع طفلك وعائلتك. يختار العامل المختص أو فريق الحي معك الملف الأنسب.
profiles-in-dutch = تصف المنطقة الملفات باللغة الهولندية.
profiles-none = لم يتم إدخال أي ملفات بعد.
profiles-intensity = ما مدى شدة المساعدة؟
profiles-intensity-lead = لكل ملف أيضًا درجة شدة: كم من المساعدة مطلوب.
profile-search = ابحث عن مقدمي الخدمات للملف { $number }
tariffs-title = الأسعار
tariffs-lead = هذا ما تدفعه البلدية لمقدم الخدمة مقابل هذه المساعدة. أنت لا تدفع شيئًا. نعرض الأسعار حتى يرى الجميع أين يذهب المال.
tariffs-none = لم تسجل هذه المنطقة أسعارًا لهذا الملف في الدليل.
tariffs-fictional-note = انتبه: هذه المبالغ غير حقيقية ومخصصة للنسخة التجريبية. الأسعار الحقيقية لهذه المنطقة ليست في الدليل.
tariffs-region = الأسعار في منطقة { $region }
tariffs-caption = أسعار الملف { $number } في منطقة { $region }
tariffs-now = السعر الآن
tariffs-from = ابتداءً من { $date }
tariffs-paid = طريقة الدفع
tariffs-fictional = غير حقيقي (تجريبي)
tariffs-not-yet = لا يوجد بعد
tariffs-not-known = غير معروف بعد
paid-per-traject = لكل مسار
paid-per-vier_weken = لكل 4 أسابيع
paid-per-uur = لكل ساعة
paid-per-dag = لكل يوم
