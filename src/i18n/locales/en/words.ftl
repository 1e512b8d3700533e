# The domain's words on family pages. In Dutch each is exactly the domain's own label().

indicator-doelrealisatie = Goals reached
indicator-zonder_hulp = Can go on without youth care
indicator-problemen_kleiner = Problems became smaller
indicator-uitval = Stopped early (drop-out)
indicator-terugval = Needed help again within a year (relapse)
indicator-clienttevredenheid = Satisfaction (mark 1 to 10)
indicator-extra-doelrealisatie = partly
indicator-extra-zonder_hulp = with lighter help
indicator-extra-problemen_kleiner = partly
indicator-extra-clienttevredenheid = 7 or higher
comparison-better = better than average
comparison-similar = similar to average
comparison-worse = less good than average
setting-ambulant = Help at home, at school or at the practice (outpatient)
setting-dagbehandeling = In a group during the day (day treatment)
setting-verblijf = Living somewhere day and night (residential)
weeks = { $count ->
    [0] no waiting time
    [one] 1 week
   *[other] { $count } weeks
}
