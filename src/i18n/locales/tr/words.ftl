# The domain's words on family pages. In Dutch each is exactly the domain's own label().

indicator-doelrealisatie = Hedeflere ulaşıldı
indicator-zonder_hulp = Gençlik yardımı olmadan devam edebiliyor
indicator-problemen_kleiner = Sorunlar azaldı
indicator-uitval = Erken bıraktı (ayrılma)
indicator-terugval = Bir yıl içinde yeniden yardım gerekti (geri dönüş)
indicator-clienttevredenheid = Memnuniyet (1 ile 10 arası not)
indicator-extra-doelrealisatie = kısmen
indicator-extra-zonder_hulp = daha hafif yardımla
indicator-extra-problemen_kleiner = kısmen
indicator-extra-clienttevredenheid = 7 veya üstü
comparison-better = ortalamadan daha iyi
comparison-similar = ortalamaya benzer
comparison-worse = ortalamadan daha az iyi
setting-ambulant = Evde, okulda veya muayenehanede yardım (ayakta)
setting-dagbehandeling = Gündüz bir grupta (gündüz tedavisi)
setting-verblijf = Gece gündüz bir yerde kalmak (yatılı)
weeks = { $count ->
    [0] bekleme süresi yok
   *[other] { $count } hafta
}
