# The domain's words on family pages. In Dutch each is exactly the domain's own label().

indicator-doelrealisatie = Цілі досягнуто
indicator-zonder_hulp = Може далі без допомоги для молоді
indicator-problemen_kleiner = Проблеми зменшилися
indicator-uitval = Припинено достроково (вибуття)
indicator-terugval = Протягом року знову потрібна допомога (рецидив)
indicator-clienttevredenheid = Задоволеність (оцінка від 1 до 10)
indicator-extra-doelrealisatie = частково
indicator-extra-zonder_hulp = з легшою допомогою
indicator-extra-problemen_kleiner = частково
indicator-extra-clienttevredenheid = 7 або вище
comparison-better = краще за середнє
comparison-similar = подібно до середнього
comparison-worse = гірше за середнє
setting-ambulant = Допомога вдома, у школі або в кабінеті (амбулаторно)
setting-dagbehandeling = Вдень у групі (денне лікування)
setting-verblijf = Жити десь удень і вночі (проживання)
weeks = { $count ->
    [0] без очікування
    [one] { $count } тиждень
    [few] { $count } тижні
   *[many] { $count } тижнів
}
