# Mails to families, in the language the worker chose with them.

mail-regards = مع أطيب التحيات،
mail-signature = دليل رعاية الشباب (jeugdhulpcatalogus)
mail-link-fallback = الرابط لا يعمل؟ انسخ هذا العنوان في متصفحك:
mail-family-greeting = عزيزي الوالد أو الشاب،
mail-code = رمزك هو: { $code }
mail-not-kept = لم نحفظ عنوان بريدك الإلكتروني. أسئلة؟ العامل المختص هو { $worker }، ويمكن التواصل معه عبر { $email }.
mail-experience-subject = كيف كانت رعاية الشباب؟ أخبرنا
mail-experience-intro = انتهت رعاية الشباب. نود أن نعرف كيف سارت. التعبئة تستغرق دقيقتين تقريبًا.
mail-experience-anonymous = إجاباتك بدون اسم. لا يرى مقدم الخدمة إلا متوسطات 10 عائلات على الأقل. حُذف عنوان بريدك الإلكتروني بعد إرسال هذه الرسالة.
mail-experience-link = املأ الاستبيان
mail-link-subject = اختر مقدم رعاية الشباب
mail-link-intro = يرسل لك العامل المختص هذا الرابط. به يمكنك مقارنة مقدمي رعاية الشباب واختيار واحد منهم بنفسك.
mail-link-until = يعمل الرابط حتى { $date }.
mail-link-button = اطّلع واختر مقدم خدمة
mail-corrected-subject = تم تغيير طلب المساعدة الخاص بك
mail-corrected-intro = غيّر العامل المختص طلب المساعدة الخاص بك. هذا ما تغيّر:
mail-corrected-link-works = رابطك ما زال يعمل. انظر إلى مقدمي الخدمات مرة أخرى: قد تكون القائمة تغيّرت.
mail-corrected-button = اطّلع على مقدمي الخدمات
