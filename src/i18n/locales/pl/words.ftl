# The domain's words on family pages. In Dutch each is exactly the domain's own label().

indicator-doelrealisatie = Cele osiągnięte
indicator-zonder_hulp = Może dalej bez pomocy dla młodzieży
indicator-problemen_kleiner = Problemy się zmniejszyły
indicator-uitval = Przerwane przed czasem (rezygnacja)
indicator-terugval = W ciągu roku znów potrzebna pomoc (nawrót)
indicator-clienttevredenheid = Zadowolenie (ocena od 1 do 10)
indicator-extra-doelrealisatie = częściowo
indicator-extra-zonder_hulp = z lżejszą pomocą
indicator-extra-problemen_kleiner = częściowo
indicator-extra-clienttevredenheid = 7 lub więcej
comparison-better = lepiej niż średnio
comparison-similar = podobnie jak średnio
comparison-worse = gorzej niż średnio
setting-ambulant = Pomoc w domu, w szkole lub w gabinecie (ambulatoryjna)
setting-dagbehandeling = W ciągu dnia w grupie (leczenie dzienne)
setting-verblijf = Mieszkanie gdzieś dzień i noc (pobyt całodobowy)
weeks = { $count ->
    [0] bez czasu oczekiwania
    [one] 1 tydzień
    [few] { $count } tygodnie
   *[other] { $count } tygodni
}
