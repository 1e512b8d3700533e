# /profielen and /profielen/N: the profiles, their intensities and tariffs.

profiles-crumb = Профілі
profiles-title = Профілі: яка допомога підходить до якої ситуації?
profiles-lead = Допомогу для молоді поділено на профілі. Профіль описує ситуацію вашої дитини та сім’ї. Ваш фахівець або команда району разом з вами вибирає профіль, який підходить найкраще.
profiles-in-dutch = Регіон описує профілі нідерландською мовою.
profiles-none = Профілі ще не внесено.
profiles-intensity = Наскільки інтенсивна допомога?
profiles-intensity-lead = Кожен профіль має також інтенсивність: скільки допомоги потрібно.
profile-search = Шукати постачальників для профілю { $number }
tariffs-title = Тарифи
tariffs-lead = Стільки громада платить постачальнику за цю допомогу. Ви самі нічого не платите. Ми показуємо тарифи, щоб кожен бачив, куди йдуть гроші.
tariffs-none = Цей регіон не вказав у каталозі тарифів для цього профілю.
tariffs-fictional-note = Увага: ці суми вигадані для демоверсії. Справжніх тарифів цього регіону в каталозі немає.
tariffs-region = Тарифи в регіоні { $region }
tariffs-caption = Тарифи профілю { $number } у регіоні { $region }
tariffs-now = Тариф зараз
tariffs-from = З { $date }
tariffs-paid = Оплата
tariffs-fictional = вигадано (демо)
tariffs-not-yet = ще немає
tariffs-not-known = ще невідомо
paid-per-traject = за випадок
paid-per-vier_weken = за 4 тижні
paid-per-uur = за годину
paid-per-dag = за день
