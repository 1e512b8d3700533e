# The domain's words on family pages. In Dutch each is exactly the domain's own label().

indicator-doelrealisatie = Doelen bereikt
indicator-zonder_hulp = Kan verder zonder jeugdhulp
indicator-problemen_kleiner = Problemen kleiner geworden
indicator-uitval = Voortijdig gestopt (uitval)
indicator-terugval = Binnen een jaar weer hulp nodig (terugval)
indicator-clienttevredenheid = Tevredenheid (cijfer 1 tot 10)
indicator-extra-doelrealisatie = deels
indicator-extra-zonder_hulp = met lichtere hulp
indicator-extra-problemen_kleiner = deels
indicator-extra-clienttevredenheid = 7 of hoger
comparison-better = beter dan gemiddeld
comparison-similar = vergelijkbaar met gemiddeld
comparison-worse = minder goed dan gemiddeld
setting-ambulant = Hulp thuis, op school of op de praktijk (ambulant)
setting-dagbehandeling = Overdag op een groep (dagbehandeling)
setting-verblijf = Dag en nacht ergens wonen (verblijf)
weeks = { $count ->
    [0] geen wachttijd
    [one] 1 week
   *[other] { $count } weken
}
