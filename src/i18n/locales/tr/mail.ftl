# Mails to families, in the language the worker chose with them.

mail-regards = Saygılarımızla,
mail-signature = Jeugdhulpcatalogus
mail-link-fallback = Bağlantı çalışmıyor mu? Bu adresi tarayıcınıza kopyalayın:
mail-family-greeting = Sayın ebeveyn veya genç,
mail-code = Kodunuz: { $code }
mail-not-kept = E-posta adresinizi saklamadık. Sorunuz mu var? Gençlik uzmanınız { $worker }, ulaşmak için: { $email }.
mail-experience-subject = Gençlik yardımı nasıldı? Bize anlatın
mail-experience-intro = Gençlik yardımı sona erdi. Nasıl geçtiğini bilmek istiyoruz. Doldurmak yaklaşık iki dakika sürer.
mail-experience-anonymous = Cevaplarınız anonimdir. Kuruluş sadece en az 10 ailenin ortalamasını görür. E-posta adresiniz bu e-posta gönderildikten sonra silindi.
mail-experience-link = Anketi doldurun
mail-link-subject = Gençlik yardımı kuruluşunuzu seçin
mail-link-intro = Gençlik uzmanınız size bu bağlantıyı gönderiyor. Bununla gençlik yardımı kuruluşlarını karşılaştırabilir ve kendiniz birini seçebilirsiniz.
mail-link-until = Bağlantı { $date } tarihine kadar çalışır.
mail-link-button = Kuruluşlara bakın ve birini seçin
mail-corrected-subject = Yardım talebiniz değiştirildi
mail-corrected-intro = Gençlik uzmanınız yardım talebinizi değiştirdi. Şunlar değişti:
mail-corrected-link-works = Bağlantınız hâlâ çalışıyor. Kuruluşlara yeniden bakın: liste değişmiş olabilir.
mail-corrected-button = Kuruluşlara bakın
