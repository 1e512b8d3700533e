# The start page.

start-title = Jakiej pomocy szukasz?
start-lead = Tutaj znajdziesz usługodawców pomocy dla młodzieży w swojej gminie. Widzisz, co robią, gdzie pracują i jak długo trzeba czekać.
start-help = Twój specjalista do spraw młodzieży albo zespół dzielnicowy pomoże ci wybrać. Tutaj możesz już się rozejrzeć. Nie musisz się logować.
start-situation = Która sytuacja pasuje najlepiej?
start-situation-hint = Nie masz pewności? Wybierz wtedy „Jeszcze nie wiem”. Twój specjalista wybierze profil razem z tobą.
start-not-sure = Jeszcze nie wiem
start-not-sure-hint = Pokaż wszystkich usługodawców.
profile-number = Profil { $number }
start-municipality = W jakiej gminie mieszka dziecko?
start-municipality-hint = Gmina organizuje pomoc dla młodzieży i za nią płaci.
start-intensity = Ile pomocy potrzeba? (nieobowiązkowe)
start-query = Szukaj po nazwie lub słowie (nieobowiązkowe)
start-query-hint = Na przykład „autyzm” albo nazwa usługodawcy.
start-submit = Szukaj usługodawców
start-good-to-know = Warto wiedzieć
start-order = Kolejność usługodawców jest przypadkowa i codziennie inna. Usługodawca nie może kupić lepszego miejsca.
start-admitted = Region dopuścił wszystkich usługodawców w katalogu.
start-profiles-link = Przeczytaj, co oznaczają profile
