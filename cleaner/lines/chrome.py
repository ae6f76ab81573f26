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
          "linkedin pinterest youtube whatsapp reddit tumblr telegram careers advertise affiliates accessibility "
          "disclaimer unsubscribe feedback newsroom",
    "de": "startseite menü suche anmelden abmelden registrieren konto warenkorb merkliste teilen "
          "drucken abonnieren abonnement newsletter folgen kommentar kommentare kommentieren "
          "antworten weiter zurück nächste vorherige kontakt impressum datenschutz "
          "datenschutzerklärung nutzungsbedingungen agb werbung anzeige verwandte beliebt schlagwörter "
          "kategorien kategorie archiv passwort benutzername profil einstellungen herunterladen karriere "
          "barrierefreiheit mediadaten",
    "fr": "accueil menu recherche rechercher connexion connecter déconnexion inscription inscrire "
          "compte panier partager imprimer abonner abonnement newsletter suivre commentaire "
          "commentaires répondre suivant précédent contact confidentialité cookies mentions "
          "légales conditions publicité sponsorisé populaires catégories catégorie archives "
          "identifiant profil paramètres télécharger recrutement accessibilité",
    "es": "inicio menú buscar búsqueda iniciar sesión registrarse registro cuenta carrito compartir "
          "imprimir suscribirse suscríbete boletín seguir comentario comentarios responder "
          "siguiente anterior contacto privacidad cookies aviso legal condiciones publicidad "
          "patrocinado relacionados populares etiquetas categorías categoría archivo contraseña "
          "usuario perfil configuración descargar accesibilidad",
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
    # Chinese and Japanese as :func:`cleaner.lines.cjk.feature_text` cuts them: kanji and hanzi
    # runs in two-character words (登录, 首页; 上一篇 -> 上一 篇), a katakana run one word
    "zh": "首页 尾页 登录 登陆 注册 注销 搜索 账号 账户 密码 分享 收藏 打印 订阅 评论 留言 回复 点赞 转发 举报 "
          "纠错 上一 下一 更多 导航 菜单 频道 栏目 顶部 热门 点击 二维 微信 微博 版权 隐私 免责 广告 标签 下载",
    "zh-hant": "首頁 登入 登錄 註冊 搜尋 帳號 密碼 分享 收藏 列印 訂閱 評論 留言 回覆 轉發 檢舉 上一 下一 "
               "更多 導航 選單 頻道 欄目 熱門 點擊 版權 隱私 廣告 標籤 下載",
    "ja": "ホーム トップ トップページ メニュー サイトマップ ログイン ログアウト マイページ カート シェア "
          "ツイート コメント フォロー ブックマーク ランキング カテゴリー カテゴリ タグ アーカイブ "
          "ダウンロード プライバシー プライバシーポリシー メルマガ メールマガジン ヘルプ ページトップ "
          "検索 会員 登録 新規 規約 著作 関連 一覧 人気 投稿 共有 印刷 広告",
    # Korean: words as written (a particle glued to a word is cut off by feature_text)
    "ko": "홈 메뉴 검색 로그인 로그아웃 회원가입 마이페이지 장바구니 공유 공유하기 인쇄 인쇄하기 구독 "
          "뉴스레터 댓글 답글 이전글 다음글 목록 뒤로가기 문의 고객센터 개인정보처리방침 개인정보취급방침 "
          "이용약관 저작권 광고 광고문의 관련기사 인기기사 태그 카테고리 더보기 바로가기 페이스북 트위터 "
          "카카오톡 카카오스토리 무단전재 재배포 재배포금지 기사입력",
    "ar": "الرئيسية القائمة بحث تسجيل الدخول دخول خروج حساب السلة مشاركة شارك طباعة اشترك النشرة تابعنا "
          "تعليق تعليقات التعليقات التالي السابق الخصوصية الشروط الأحكام إعلان إعلانات الوسوم التصنيفات "
          "تحميل محفوظة",
    "fa": "خانه منو جستجو ورود خروج حساب سبد اشتراک چاپ عضویت خبرنامه نظرات پاسخ بعدی قبلی تماس حریم "
          "قوانین تبلیغات دانلود",
    "he": "תפריט חיפוש התחברות הרשמה התנתק חשבון עגלה שתף שיתוף הדפס הירשמו ניוזלטר עקבו תגובה תגובות "
          "הגב הבא הקודם פרטיות תקנון פרסומת תגיות קטגוריות הורדה",
    "el": "αρχική μενού αναζήτηση σύνδεση αποσύνδεση εγγραφή λογαριασμός καλάθι κοινοποίηση εκτύπωση "
          "εγγραφείτε ακολουθήστε σχόλιο σχόλια απάντηση επόμενο προηγούμενο επικοινωνία απορρήτου όροι "
          "διαφήμιση δημοφιλή ετικέτες κατηγορίες κατηγορία αρχείο κωδικός προφίλ ρυθμίσεις λήψη",
    "hi": "मुखपृष्ठ होम मेनू खोज लॉगिन पंजीकरण खाता शेयर प्रिंट सदस्यता फॉलो टिप्पणी टिप्पणियां जवाब अगला "
          "पिछला संपर्क गोपनीयता विज्ञापन लोकप्रिय टैग श्रेणी डाउनलोड",
}
CHROME = frozenset(w.casefold() for words in _CHROME.values() for w in words.split())
