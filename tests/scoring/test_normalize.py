"""Tests for simulator.scoring.normalize (pure French text normalisation)."""

from __future__ import annotations

import random
import time

import pytest

from simulator.scoring.normalize import STOPWORDS, content_words, fold, normalize, tokens

# --------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------

NORMALIZE_CASES = [
    # case, accents, ligatures
    ("Échéance DÉPASSÉE", "echeance depassee"),
    ("Cœur, œuvre, Æsop", "coeur, oeuvre, aesop"),
    ("ça coûte très cher", "ca coute tres cher"),
    # elisions and apostrophes (straight and typographic) -> split tokens
    ("l'échéance", "l echeance"),
    ("l’échéance", "l echeance"),
    ("aujourd'hui", "aujourd hui"),
    ("qu’est-ce qui bloque ?", "qu est ce qui bloque ?"),
    ("s'il vous plaît", "s il vous plait"),
    # quotes removed, hyphens and dashes split
    ("« bon à payer »", "bon a payer"),
    ("“validée”", "validee"),
    ("rendez-vous — demain", "rendez vous demain"),
    # whitespace: no-break, narrow no-break, tabs, newlines
    ("12\u00a0000\u202f€", "12 000 €"),
    ("  bonjour \t\n madame  ", "bonjour madame"),
    # control characters removed
    ("bon\x00jour\x07 madame\x1b", "bon jour madame"),
    # Rich markup tags removed, other brackets become spaces
    ("[bold]Bonjour[/bold] [red on white]Madame[/]", "bonjour madame"),
    ("voir [F-2025-1187]", "voir f 2025 1187"),
    # digits and money signs kept
    ("12 000,50 € ou 4 000 $ ou 10 %", "12 000,50 € ou 4 000 $ ou 10 %"),
    # SMS abbreviations and typo forms
    ("Bjr Mme Leroy, svp", "bonjour madame leroy, s il vous plait"),
    ("stp rdv qd tu peux", "s il te plait rendez vous quand tu peux"),
    ("cdt", "cordialement"),
    ("Mr Durand", "monsieur durand"),
    ("M. Durand", "monsieur durand"),
    ("ok pr le vir ds 3 jrs", "d accord pour le virement dans 3 jours"),
    ("tt est ok", "tout est d accord"),
    ("la fact. de sept", "la facture. de sept"),
    ("daccord, cest noté", "d accord, c est note"),
    ("sil vous plait", "s il vous plait"),
    ("envoyez un e-mail", "envoyez un email"),
    ("facture n°1187 et nº 1188", "facture numero 1187 et numero 1188"),
    # "m." is only expanded before a word
    ("5 m.", "5 m."),
    # empty-ish inputs
    ("", ""),
    ("   ", ""),
    ("😀🙏💶", ""),
    ("ＡＢＣ full-width", "abc full width"),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text", [t for t, _ in NORMALIZE_CASES])
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_cue_phrases_match_when_normalised_the_same_way() -> None:
    # The documented contract: normalise the pattern with the same function.
    reply = "Qu’est-ce qui a empêché le règlement à l’échéance ?"
    assert normalize("qu'est-ce qui") in normalize(reply)
    assert normalize("l'échéance") in normalize(reply)


@pytest.mark.parametrize("value", [None, 123, b"bytes", ["a"]])
def test_normalize_non_str_returns_empty(value: object) -> None:
    assert normalize(value) == ""  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# fold (offset-preserving)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Échéance", "echeance"),
        ("l’échéance", "l'echeance"),
        ("12\u00a0000\u202f€", "12 000 €"),
        ("Jean–Pierre", "jean-pierre"),
        ("1ᵉʳ décembre", "1er decembre"),
        ("n° nº", "n° n°"),
        ("a😀b", "a?b"),
        ("", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Œuvre İstanbul ＡＢＣ", "x\ud800y", "😀" * 5 + "é", "\x00\x1f\x7f\x85",
     "ǅ ß ﬁ ½"],
)
def test_fold_preserves_length(text: str) -> None:
    assert len(fold(text)) == len(text)


# --------------------------------------------------------------------------
# tokens / content_words / STOPWORDS
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'échéance est de 12 000 € ?", ["l", "echeance", "est", "de", "12", "000", "€"]),
        ("Bjr, svp !", ["bonjour", "s", "il", "vous", "plait"]),
        ("10 %", ["10", "%"]),
        ("", []),
        ("😀", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Les factures sont bloquées par le directeur financier",
         {"facture", "bloquee", "directeur", "financier"}),
        ("Le virement attend la signature", {"virement", "attend", "signature"}),
        # plural folding only for words longer than 3 characters
        ("les prix, les bus et les mois", {"pri", "bus", "moi"}),
        ("12 000 € le 18", {"12", "000", "18"}),
        ("et le la de", set()),
        ("", set()),
    ],
)
def test_content_words(text: str, expected: set[str]) -> None:
    assert content_words(text) == expected


def test_content_words_overlap_for_reformulation() -> None:
    debtor = "La facture est validée mais le virement attend la signature du directeur."
    trainee = "Si je comprends bien, le virement attend la signature de votre directeur ?"
    overlap = content_words(debtor) & content_words(trainee)
    assert {"virement", "signature", "directeur"} <= overlap


def test_stopwords_are_in_normalised_form() -> None:
    for word in STOPWORDS:
        assert normalize(word) == word, word


# --------------------------------------------------------------------------
# robustness
# --------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00\x01\x02\x03",
    "😀" * 200,
    "[bold]12 000 €[/bold] [link=https://x.y]lien[/link] [/]",
    "[[[[]]]] [/ [bold",
    "a" * 10_000,
    ("Bonjour Mme Leroy, 12 000 € le 18/11 svp ! " * 300)[:10_000],
    "\u202f\u00a0\u2009" * 100,
    "x\ud800y\udfff",
    "İıǅﬁ½²ᵉʳ",
]


def _random_strings(n: int) -> list[str]:
    rng = random.Random(20261117)  # fixed seed: deterministic test data
    alphabet = ("aeiouzxnmMLD0123456789 .,;:/-'’«»€$%°ºéèàçœÉ"
                "\u00a0\u202f\t\n[]()#+😀\x00")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(n)]


@pytest.mark.parametrize("text", NASTY + _random_strings(150))
def test_never_raises(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    assert out == out.strip() and "  " not in out
    assert isinstance(tokens(text), list)
    assert isinstance(content_words(text), set)
    assert len(fold(text)) == len(text)


def test_huge_input_is_fast_enough() -> None:
    text = ("Je vous propose un virement de 12 000 € jeudi, svp. " * 200)[:10_000]
    start = time.perf_counter()
    out = normalize(text + "!")  # not cached
    assert time.perf_counter() - start < 0.5
    assert out.startswith("je vous propose un virement de 12 000 €")
