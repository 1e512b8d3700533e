# /profielen and /profielen/N: the profiles, their intensities and tariffs.

profiles-crumb = Profiller
profiles-title = Profiller: hangi yardım hangi duruma uyar?
profiles-lead = Gençlik yardımı profillere ayrılmıştır. Bir profil çocuğunuzun ve ailenizin durumunu anlatır. Gençlik uzmanınız veya mahalle ekibi en iyi uyan profili sizinle birlikte seçer.
profiles-in-dutch = Bölge profilleri Felemenkçe anlatır.
profiles-none = Henüz profil girilmedi.
profiles-intensity = Yardım ne kadar yoğun?
profiles-intensity-lead = Her profilin bir yoğunluğu da vardır: ne kadar yardım gerektiği.
profile-search = Profil { $number } için kuruluş ara
tariffs-title = Ücretler
tariffs-lead = Belediye bu yardım için kuruluşa bu kadar öder. Siz hiçbir şey ödemezsiniz. Paranın nereye gittiğini herkes görebilsin diye ücretleri gösteriyoruz.
tariffs-none = Bu bölge bu profil için katalogda ücret belirlemedi.
tariffs-fictional-note = Dikkat: bu tutarlar deneme için uydurulmuştur. Bu bölgenin gerçek ücretleri katalogda yok.
tariffs-region = { $region } bölgesinde ücretler
tariffs-caption = { $region } bölgesinde profil { $number } ücretleri
tariffs-now = Şimdiki ücret
tariffs-from = { $date } tarihinden itibaren
tariffs-paid = Ödeme
tariffs-fictional = uydurma (deneme)
tariffs-not-yet = henüz yok
tariffs-not-known = henüz bilinmiyor
paid-per-traject = yardım süreci başına
paid-per-vier_weken = 4 haftada bir
paid-per-uur = saat başına
paid-per-dag = gün başına
