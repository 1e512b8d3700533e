# Mails to families, in the language the worker chose with them.

mail-regards = Z poważaniem
mail-signature = Jeugdhulpcatalogus
mail-link-fallback = Link nie działa? Skopiuj ten adres do przeglądarki:
mail-family-greeting = Drogi rodzicu lub młody człowieku,
mail-code = Twój kod: { $code }
mail-not-kept = Nie zachowaliśmy twojego adresu e-mail. Pytania? Twój specjalista to { $worker }, kontakt: { $email }.
mail-experience-subject = Jak wyglądała pomoc dla młodzieży? Powiedz nam
mail-experience-intro = Pomoc dla młodzieży się zakończyła. Chcemy wiedzieć, jak poszło. Wypełnienie zajmuje około dwóch minut.
mail-experience-anonymous = Twoje odpowiedzi są anonimowe. Usługodawca widzi tylko średnie z co najmniej 10 rodzin. Twój adres e-mail został usunięty po wysłaniu tej wiadomości.
mail-experience-link = Wypełnij ankietę
mail-link-subject = Wybierz usługodawcę pomocy dla młodzieży
mail-link-intro = Twój specjalista wysyła ci ten link. Dzięki niemu możesz porównać usługodawców pomocy dla młodzieży i sam wybrać jednego.
mail-link-until = Link działa do { $date }.
mail-link-button = Zobacz i wybierz usługodawcę
mail-corrected-subject = Twoja prośba o pomoc została zmieniona
mail-corrected-intro = Twój specjalista zmienił twoją prośbę o pomoc. Zmieniło się:
mail-corrected-link-works = Twój link nadal działa. Zobacz usługodawców jeszcze raz: lista mogła się zmienić.
mail-corrected-button = Zobacz usługodawców
