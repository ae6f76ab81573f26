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

# Hiragana (mostly particles and inflections) and Chinese function characters: the stop
# words of Chinese and Japanese lines once :func:`cleaner.lines.cjk.feature_text` has cut them.
_CJK = frozenset(chr(c) for c in range(0x3041, 0x3097)) | frozenset("的了是在和也就都而及与着或之于把被让给从对这那我你他她它们有不个为所以但")
STOPWORDS = _WORDS | _CJK
