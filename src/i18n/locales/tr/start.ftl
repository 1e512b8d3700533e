# The start page.

start-title = Nasıl bir yardım arıyorsunuz?
start-lead = Burada belediyenizdeki gençlik yardımı kuruluşlarını bulursunuz. Ne yaptıklarını, nerede çalıştıklarını ve ne kadar beklemeniz gerektiğini görürsünüz.
start-help = Gençlik uzmanınız veya mahalle ekibi seçmenize yardım eder. Burada şimdiden göz atabilirsiniz. Giriş yapmanız gerekmez.
start-situation = Hangi durum en iyi uyuyor?
start-situation-hint = Emin değil misiniz? O zaman 'Henüz bilmiyorum' seçin. Gençlik uzmanınız profili sizinle birlikte seçer.
start-not-sure = Henüz bilmiyorum
start-not-sure-hint = Tüm kuruluşları göster.
profile-number = Profil { $number }
start-municipality = Çocuk hangi belediyede yaşıyor?
start-municipality-hint = Gençlik yardımını belediye düzenler ve öder.
start-intensity = Ne kadar yardım gerekiyor? (zorunlu değil)
start-query = Ad veya kelimeyle arayın (zorunlu değil)
start-query-hint = Örneğin 'otizm' veya bir kuruluşun adı.
start-submit = Kuruluş ara
start-good-to-know = Bilmeniz iyi olur
start-order = Kuruluşların sırası rastgeledir ve her gün değişir. Bir kuruluş daha iyi bir yer satın alamaz.
start-admitted = Katalogdaki tüm kuruluşlar bölge tarafından kabul edilmiştir.
start-profiles-link = Profillerin ne anlama geldiğini okuyun
