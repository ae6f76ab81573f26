"""Function words of the languages most common on the web, for stop-word density."""

# Written for this project; lower-case, compared with case-folded words.
_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your said says also been its
der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind war waren
wird werden wurde hat haben hatte ich du er sie es wir ihr mit von zu zur zum im in am an auf aus
bei nach vor für über unter durch auch noch nur schon wie als wenn dass so sich man mehr sehr
le la les un une des du de et ou mais ne pas est sont était été a ont avait je tu il elle nous
vous ils elles avec pour par sur dans en au aux ce cette ces qui que quoi dont où plus très aussi
el los las uno una unos unas y o pero no es son era fue ha han había yo él ella nosotros con para
por sobre en del al este esta estos estas que como más muy también se su sus lo le
il lo gli uno una e o ma non è sono era stato ha hanno io lui lei noi voi loro con per su nel
della dello delle degli dei che come più molto anche si suo sua
o os as um uma e ou mas não é são foi tem têm eu ele ela nós com para por sobre em do da dos das
no na nos nas que como mais muito também se seu sua
de het een en of maar niet is zijn was waren wordt worden werd heeft hebben had ik jij hij zij
wij met van voor naar op uit bij aan ook nog dan als dat zo zich
i w na z do nie się że jest są to jak ale od po za o dla przez
и в не на что с по как это он она они мы вы я из за от для но же так у к о
""".split())

# More of the twenty largest languages of the web (W3Techs' content languages): the most
# frequent function words of each, chosen to avoid words that are common menu items in
# English ("men", "man", "var", "care", "pro", "end"). Compared case-folded, as the words of a line are.
_MORE = {
    "sv": "och att det som en på är av för med till den har de inte om ett han hon jag vi ni sig "
          "från kan eller när så vid efter också under än hade skulle detta dessa vara mot",
    "da": "og at det som en på er af for med til den har de ikke om et han hun jeg vi sig fra kan "
          "eller når så ved efter også under havde skulle denne disse være mod blev",
    "no": "og å det som en på er av for med til den har de ikke om et han hun jeg vi seg fra kan "
          "eller når så ved etter også under enn hadde skulle denne disse være mot ble",
    "fi": "ja on ei että se hän oli olla ovat kun mutta tai myös joka jotka kuin niin jos vain "
          "sen tämä mitä mutta siitä sekä koska vaan voi ole olen olisi tämän nämä hänen ne",
    "cs": "a je se na v že to z o do jak ale jsou by byl jako tak jeho nebo už když jen "
          "také ve ze být bylo této jsem jsme",
    "sk": "a je sa na v že to z o do ako ale pre sú by bol tak jeho alebo už keď len tiež "
          "vo zo byť bolo tejto som sme",
    "hu": "a az és hogy nem is egy de meg van volt csak már mint ez azt ami aki ha még el fel "
          "vagy kell lesz lett után között",
    "ro": "și în de la cu pe nu este sunt să că din o un mai pentru ce fost sau dar ca "
          "acest această al ale lui cel",
    "tr": "ve bir bu da de için ile çok ne gibi daha olarak ama kadar olan sonra değil ise "
          "her veya ancak şu en göre",
    "id": "yang dan di ke dari ini itu dengan untuk tidak ada akan pada juga dalam adalah "
          "oleh karena bisa atau sudah saya kami mereka",
    "vi": "của và là có được trong cho với các những một này không người đã để khi từ như "
          "thì cũng về đến ra nhưng nên",
    "uk": "і й та в у на не що з до як це він вона вони ми ви я від за для але же так же "
          "також її його які який",
    "bg": "и в на не че с по как това той тя те ние вие аз от за да се но са е към",
    "el": "και το η ο να της του των με σε για από που είναι τα οι τη την τον στο στη στην "
          "δεν θα αλλά ή",
    "ar": "في من على إلى عن أن هذا هذه التي الذي مع كان لا ما هو هي و أو ثم قد كل بعد",
    "fa": "و در به از که این را با است برای آن یک تا می ها شد بود هم نیز اما یا",
    "he": "של את על הוא היא זה לא עם כי גם אם או אבל כל מה יש היה אני הם",
    "hi": "के का की है में और को से पर यह एक हैं था थी ने भी कि तो लिए",
    # Korean: the particles feature_text cuts off words, and free-standing function words
    "ko": "은 는 이 가 을 를 의 에 도 로 와 과 만 에서 으로 에게 까지 부터 처럼 보다 그 이 저 및 등 "
          "또는 그리고 하지만 그러나 또 더 수 것 있다 없다 있는 없는 하는 한 했다 있습니다 합니다",
}
_MORE_WORDS = frozenset(w.casefold() for words in _MORE.values() for w in words.split())

# Hiragana (mostly particles and inflections) and Chinese function characters: the stop
# words of Chinese and Japanese lines once :func:`cleaner.lines.cjk.feature_text` has cut them.
_CJK = frozenset(chr(c) for c in range(0x3041, 0x3097)) | frozenset("的了是在和也就都而及与着或之于把被让给从对这那我你他她它们有不个为所以但")
STOPWORDS = _WORDS | _MORE_WORDS | _CJK
