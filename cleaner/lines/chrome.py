"""Words of site chrome in the languages most common on the web, for the ``chrome_share`` feature.

What a scraper adds to a page is worded much the same on every site of a language:
navigation (home, menu, search, next), accounts (log in, register, cart), calls to action
(share, subscribe, follow, download), comment-form and legal chrome (reply, privacy, cookies,
terms). The feature is the share of a line's words found here: a menu entry or a share bar
is almost all chrome words, a sentence of content almost none. Written for this project,
lower-case and compared with case-folded words like :mod:`cleaner.lines.stopwords`;
the compiled core gets the same list in ``core/src/tables.rs`` (``python core/gen_tables.py``).
"""

_CHROME = {
    "en": "home homepage menu navigation nav search login logout signin signup register account "
          "cart basket checkout wishlist share tweet retweet pin email print subscribe subscribers "
          "newsletter follow followers like likes comment comments reply replies permalink next "
          "previous prev skip sitemap contact faq help privacy policy cookie cookies terms "
          "conditions copyright rights reserved advertisement advertising sponsored related popular "
          "trending tags tag categories category archives archive posted views rss feed login "
          "password username forgot profile settings download app facebook twitter instagram "
          "linkedin pinterest youtube whatsapp reddit tumblr telegram",
    "de": "startseite menü suche anmelden abmelden registrieren konto warenkorb merkliste teilen "
          "drucken abonnieren abonnement newsletter folgen kommentar kommentare kommentieren "
          "antworten weiter zurück nächste vorherige kontakt impressum datenschutz "
          "datenschutzerklärung nutzungsbedingungen agb werbung anzeige verwandte beliebt schlagwörter "
          "kategorien kategorie archiv passwort benutzername profil einstellungen herunterladen",
    "fr": "accueil menu recherche rechercher connexion connecter déconnexion inscription inscrire "
          "compte panier partager imprimer abonner abonnement newsletter suivre commentaire "
          "commentaires répondre suivant précédent contact confidentialité cookies mentions "
          "légales conditions publicité sponsorisé populaires catégories catégorie archives "
          "identifiant profil paramètres télécharger",
    "es": "inicio menú buscar búsqueda iniciar sesión registrarse registro cuenta carrito compartir "
          "imprimir suscribirse suscríbete boletín seguir comentario comentarios responder "
          "siguiente anterior contacto privacidad cookies aviso legal condiciones publicidad "
          "patrocinado relacionados populares etiquetas categorías categoría archivo contraseña "
          "usuario perfil configuración descargar",
    "it": "home menu cerca ricerca accedi registrati account carrello condividi stampa iscriviti "
          "newsletter segui commento commenti rispondi successivo precedente contatti privacy "
          "cookie termini condizioni pubblicità sponsorizzato correlati popolari tag categorie "
          "categoria archivio password profilo impostazioni scarica",
    "pt": "início menu pesquisar buscar entrar sair cadastro cadastre registrar conta carrinho "
          "compartilhar partilhar imprimir assinar inscrever newsletter seguir comentário "
          "comentários responder próximo anterior contato contacto privacidade cookies termos "
          "condições publicidade patrocinado relacionados populares categorias categoria arquivo "
          "senha perfil configurações baixar",
    "nl": "home menu zoeken inloggen uitloggen registreren account winkelwagen delen afdrukken "
          "abonneren nieuwsbrief volgen reactie reacties reageren beantwoorden volgende vorige "
          "contact privacy cookies voorwaarden advertentie gesponsord gerelateerd populair "
          "categorieën categorie archief wachtwoord profiel instellingen downloaden",
    "pl": "strona główna menu szukaj wyszukaj zaloguj wyloguj zarejestruj konto koszyk udostępnij "
          "drukuj subskrybuj newsletter obserwuj komentarz komentarze odpowiedz następny następna "
          "poprzedni poprzednia kontakt prywatności cookies regulamin reklama sponsorowane "
          "powiązane popularne tagi kategorie kategoria archiwum hasło profil ustawienia pobierz",
    "ru": "главная меню поиск войти выйти вход регистрация зарегистрироваться аккаунт корзина "
          "поделиться печать подписаться рассылка комментарий комментарии ответить далее назад "
          "следующая предыдущая контакты конфиденциальности cookie условия реклама похожие "
          "популярные теги категории категория архив пароль профиль настройки скачать",
    "uk": "головна меню пошук увійти вийти реєстрація кошик поділитися друк підписатися коментар "
          "коментарі відповісти далі назад наступна попередня контакти конфіденційності реклама "
          "схожі популярні теги категорії архів пароль профіль налаштування завантажити",
    "sv": "hem meny sök sökning logga registrera konto varukorg kundvagn dela skriv prenumerera "
          "nyhetsbrev följ kommentar kommentarer svara nästa föregående kontakt integritetspolicy "
          "kakor villkor annons sponsrad relaterade populära taggar kategorier kategori arkiv "
          "lösenord profil inställningar ladda",
    "da": "hjem forside menu søg søgning log registrer konto kurv indkøbskurv del udskriv abonner "
          "nyhedsbrev følg kommentar kommentarer svar næste forrige kontakt privatlivspolitik "
          "cookies vilkår annonce sponsoreret relaterede populære tags kategorier arkiv "
          "adgangskode profil indstillinger hent",
    "no": "hjem forside meny søk logg registrer konto handlekurv del skriv abonner nyhetsbrev følg "
          "kommentar kommentarer svar neste forrige kontakt personvern informasjonskapsler vilkår "
          "annonse sponset relaterte populære stikkord kategorier arkiv passord profil "
          "innstillinger last",
    "fi": "etusivu valikko haku hae kirjaudu kirjautuminen rekisteröidy tili ostoskori jaa tulosta "
          "tilaa uutiskirje seuraa kommentti kommentit kommentoi vastaa seuraava edellinen "
          "yhteystiedot tietosuoja evästeet evästeitä käyttöehdot mainos sponsoroitu aiheeseen "
          "liittyvät suositut tagit kategoriat kategoria arkisto salasana profiili asetukset lataa",
    "cs": "domů úvod menu hledat vyhledávání přihlásit odhlásit registrace účet košík sdílet tisk "
          "odebírat newsletter sledovat komentář komentáře odpovědět další předchozí kontakt "
          "soukromí cookies podmínky reklama související populární štítky kategorie archiv heslo "
          "profil nastavení stáhnout",
    "tr": "anasayfa menü ara arama giriş çıkış kayıt üye hesap sepet paylaş yazdır abone bülten "
          "takip yorum yorumlar yanıtla cevapla sonraki önceki iletişim gizlilik çerez çerezler "
          "koşullar reklam sponsorlu ilgili popüler etiketler kategoriler kategori arşiv şifre "
          "profil ayarlar indir",
    "id": "beranda menu cari pencarian masuk keluar daftar akun keranjang bagikan cetak "
          "berlangganan buletin ikuti komentar balas selanjutnya sebelumnya kontak privasi "
          "kebijakan ketentuan iklan disponsori terkait populer tag kategori arsip kata sandi "
          "profil pengaturan unduh",
    "vi": "trang chủ tìm kiếm đăng nhập xuất ký tài khoản giỏ hàng chia sẻ bình luận trả lời "
          "tiếp theo trước liên hệ bảo mật điều khoản quảng cáo liên quan phổ biến danh mục "
          "lưu trữ mật khẩu cài đặt tải",
    "hu": "kezdőlap főoldal menü keresés belépés bejelentkezés kilépés regisztráció fiók kosár "
          "megosztás nyomtatás feliratkozás hírlevél követés hozzászólás hozzászólások válasz "
          "következő előző kapcsolat adatvédelem sütik feltételek hirdetés szponzorált kapcsolódó "
          "népszerű címkék kategóriák kategória archívum jelszó profil beállítások letöltés",
    "ro": "acasă meniu căutare caută autentificare conectare deconectare înregistrare cont coș "
          "distribuie tipărește abonează newsletter urmărește comentariu comentarii răspunde "
          "următorul următoarea anterior anterioara contact confidențialitate cookie-uri termeni "
          "condiții publicitate sponsorizat similare populare etichete categorii categorie arhivă "
          "parolă profil setări descarcă",
}
CHROME = frozenset(w.casefold() for words in _CHROME.values() for w in words.split())
