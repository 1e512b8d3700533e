# The domain's words on family pages. In Dutch each is exactly the domain's own label().

indicator-doelrealisatie = تحققت الأهداف
indicator-zonder_hulp = يستطيع الاستمرار بدون رعاية الشباب
indicator-problemen_kleiner = أصبحت المشاكل أصغر
indicator-uitval = توقف مبكرًا (انقطاع)
indicator-terugval = احتاج إلى المساعدة مرة أخرى خلال سنة (انتكاس)
indicator-clienttevredenheid = الرضا (درجة من 1 إلى 10)
indicator-extra-doelrealisatie = جزئيًا
indicator-extra-zonder_hulp = بمساعدة أخف
indicator-extra-problemen_kleiner = جزئيًا
indicator-extra-clienttevredenheid = 7 أو أعلى
comparison-better = أفضل من المتوسط
comparison-similar = مشابه للمتوسط
comparison-worse = أقل من المتوسط
setting-ambulant = مساعدة في البيت أو المدرسة أو العيادة (خارجية)
setting-dagbehandeling = في مجموعة خلال النهار (علاج نهاري)
setting-verblijf = الإقامة في مكان ليلًا ونهارًا (إقامة)
weeks = { $count ->
    [0] لا يوجد وقت انتظار
    [one] أسبوع واحد
    [two] أسبوعان
    [few] { $count } أسابيع
   *[other] { $count } أسبوعًا
}
