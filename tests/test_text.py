"""validator.law.text on real excerpts of the seeds (copied byte for byte; no-break spaces written as \\xa0)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from validator.law.text import (
    clean,
    fold_spaces,
    has_lookalikes,
    is_blank,
    join_spaced,
    join_spaced_words,
    lookalike_words,
    match_key,
    nfc,
    spaced_runs,
    strip_markup,
    vocabulary,
)

# 002_fb89d94cd7fa7297.txt l.149, l.157, l.30, l.32, l.431
L149 = (
    "23. Көрсетілген мемлекеттік қызметтің нәтижелерімен келіспеген жағдайларда тұтынушының заңнамада "
    "белгіленген тәртіппен сотқа жүгінуге қ ұ қ ы ғ ы б а р ."
)
L157 = (
    "Шағым «Жеке және заңды тұлғалардың өтініштерін қарау тәртібі туралы» Қазақстан Республикасының 2007 жылғы "
    "12 қаңтардағы Заңында белгіленген т ә р т і п п е н қ а р а л а д ы ."
)
L30, L32, L431 = "К Қ П Б)", "к ө р с е т е д і .", "Қ а б ы л д а ғ а н :"
# 001_ac9f1d7715201a7e.txt l.2512 (annex 4 title)
L2512 = "Ө Т І Н І Ш"
# 004_9b10e58c96042a57.txt l.165
L165 = (
    "Орталық көрсеткен мемлекеттік қызмет нәтижелерімен келіспеген жағдайда шағым мекенжайы мен телефоны осы "
    "стандартқа 26-тармақта көрсетілген «О р т а л ы қ» Р М К беріледі."
)
# 002 l.11 (markdown bold) and l.16 (HTML italics, a tab)
L11_TAIL = "сәйкес Қазақстан Республикасының Үкіметі **ҚАУЛЫ ЕТЕДІ:**"
L16 = "<i>Премьер-Министрі</i>\t<i>Қазақстан Республикасының</i>"
# 000_0797489497fa0c26.txt l.156 (indent and references with no-break spaces)
L156 = (
    "\xa0\xa0\xa0\xa0\xa0 8. Мемлекеттік қызметті көрсеткені үшін «Салық және бюджетке төленетін басқа да міндетті "
    "төлемдер туралы» Қазақстан Республикасы Кодексінің 540-бабы\xa08) тармақшасына сәйкес республикалық бюджет "
    "туралы\xa0заңмен белгіленген"
)
# 002 l.79 (Latin «a» at the end of «анықтамa»), 003_19c8f849c39af460.txt l.19816 (Latin «i»), 000 l.4567
L79 = "- 4) әскери есептен шығарылғаны және әскери билетін тапсырғаны туралы анықтамa ;"
L19816 = (
    "\xa0\xa0\xa0\xa0\xa0 4) өтініш берушінің (отбасы мүшелерінің) тұрғылықты тұратын жерi бойынша тiркелгенiн "
    "растайтын құжаттың көшірмесін (мекенжай анықтамасы не селолық округ әкiмдерiнің анықтамасын)."
)
L4567_PART = "үлгілері www.prоkuror.kz интернет-ресурсында"

VOCAB = vocabulary("құқығы бар тәртіппен қаралады көрсетеді")


# -- letter-spaced words ----------------------------------------------------------------------------


def test_join_spaced_rejoins_one_word() -> None:
    assert join_spaced(L30) == "КҚПБ)"
    assert clean(L32) == "көрсетеді ."  # clean() keeps the spaced-out stop as it stands
    assert clean(L2512) == "ӨТІНІШ"


def test_join_spaced_words_splits_runs_into_the_words_they_spell() -> None:
    assert join_spaced_words(L149, VOCAB).endswith("сотқа жүгінуге құқығы бар.")
    assert join_spaced_words(L157, VOCAB).endswith("Заңында белгіленген тәртіппен қаралады.")
    assert join_spaced_words(L32, VOCAB) == "көрсетеді."
    assert join_spaced_words(L431, VOCAB) == "Қабылдаған:"
    assert join_spaced_words(L165, VOCAB).endswith("көрсетілген «Орталық» РМК беріледі.")


def test_join_spaced_words_without_a_split_keeps_the_run_whole() -> None:
    # no vocabulary: like join_spaced (plus the stop)
    assert join_spaced_words(L149).endswith("жүгінуге құқығыбар.")
    assert join_spaced_words(L30, VOCAB) == "КҚПБ)"


def test_vocabulary_has_the_common_closing_words_and_leaves_spaced_runs_out() -> None:
    v = vocabulary(L149)
    assert "жүгінуге" in v
    assert "бар" in v
    assert "құқығы" in v
    assert "қ" not in v
    assert "ұ" not in v
    assert spaced_runs(L149) == ["қ ұ қ ы ғ ы б а р"]
    assert spaced_runs(L156) == []


# -- markup, no-break spaces --------------------------------------------------------------------------


def test_markup_is_removed() -> None:
    assert strip_markup(L11_TAIL).endswith("Үкіметі ҚАУЛЫ ЕТЕДІ:")
    assert clean(L16) == "Премьер-Министрі Қазақстан Республикасының"


def test_no_break_spaces_are_folded() -> None:
    out = clean(L156)
    assert "\xa0" not in out
    assert out.startswith("8. Мемлекеттік")
    assert "540-бабы 8) тармақшасына" in out
    assert "туралы заңмен" in out
    assert fold_spaces("\xa0\xa0 a\u202fb ") == "a b"
    assert is_blank("\xa0\t \xa0")
    assert not is_blank("\xa0x")


# -- look-alikes ----------------------------------------------------------------------------------------


def test_latin_lookalikes_stay_in_clean_text_and_fold_in_match_key() -> None:
    assert "анықтамa ;" in clean(L79)  # Latin a kept as written
    assert lookalike_words(L79) == ["анықтамa"]
    assert has_lookalikes("анықтамa")
    assert match_key(L79).endswith("туралы анықтама;")
    assert match_key("туралы анықтама;") in match_key(L79)
    words = lookalike_words(clean(L19816))
    assert words == ["жерi", "тiркелгенiн", "әкiмдерiнің"]
    assert "тіркелгенін растайтын" in match_key(L19816)


def test_cyrillic_inside_a_latin_word_is_reported() -> None:
    assert lookalike_words(L4567_PART) == ["prоkuror"]  # Cyrillic о in a URL
    assert clean(L4567_PART) == L4567_PART
    assert match_key("www.mod.gov.kz") == "www.mod.gov.kz"  # all-Latin words are never folded


def test_match_key_folds_dashes_quotes_case_and_spacing() -> None:
    quote = "Жеке және заңды тұлғалардың өтініштерін қарау тәртібі туралы"
    assert match_key(quote) in match_key(L157)
    assert match_key('"Жеке қосалқы шаруашылықтың болуы туралы анықтама беру"') == match_key(
        "«Жеке қосалқы шаруашылықтың болуы туралы анықтама беру»"
    )
    assert match_key("54 – 56-баптары") == match_key("54 - 56-баптары")


# -- properties -------------------------------------------------------------------------------------------

_kk = st.lists(
    st.sampled_from([*"абвгдеәіңғүұқөһжзийклмнопрстуфхцчшыэюяАӘІҚ ,.;:«»()-\xa0\t", "i", "a", "**", "<i>"]),
    max_size=60,
).map("".join)


@given(_kk)
def test_clean_is_idempotent(text: str) -> None:
    assert clean(clean(text)) == clean(text)


@given(_kk)
def test_match_key_is_stable_under_clean(text: str) -> None:
    assert match_key(clean(text)) == match_key(text)


@given(_kk)
def test_join_spaced_words_never_loses_letters(text: str) -> None:
    def letters(s: str) -> str:
        return "".join(ch for ch in s if ch.isalpha())

    t = nfc(text)
    assert letters(join_spaced_words(t, VOCAB)) == letters(t)
