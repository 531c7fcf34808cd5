"""Spanish news end to end: language, splitting, rules, places, the Spanish seed.

Every sentence here is the project's own.
"""
import json
import unicodedata
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsevents.cli import main
from newsevents.text.classify import (Classifier, compile_phrase, fold_accents, noun_forms_es,
                                      verb_forms_es)
from newsevents.text.language import detect_language
from newsevents.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEED_EN = ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl"
SEED_ES = ROOT / "seeds" / "001_es_frontera_20190223.jsonl"


@pytest.fixture(scope="module")
def clf():
    return Classifier()


def labels(clf, sentence: str) -> set[str]:
    return set(clf.classify(sentence, "es").labels)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")


# --- language ---------------------------------------------------------------------------

SPANISH = [
    "Hombres armados atacaron anoche un puesto de policía en las afueras del pueblo.",
    "El canciller se reunió con su homólogo para hablar de la reapertura de la frontera.",
    "Los camiones con alimentos cruzaron el puente después de varias horas de espera.",
]
ENGLISH = [
    "Armed men attacked a police post on the outskirts of the town last night.",
    "The foreign minister met his counterpart to discuss reopening the border.",
]


@pytest.mark.parametrize("text", SPANISH)
def test_spanish_is_detected_as_written_without_accents_and_in_capitals(text):
    for form in (text, strip_accents(text), text.upper(), strip_accents(text).upper()):
        assert detect_language(form) == "es", form


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_detected(text):
    assert detect_language(text) == "en"
    assert detect_language(text.upper()) == "en"


def test_text_without_letters_has_no_language():
    assert detect_language("12 345 -- 2019/02/23") == "un"


def test_detection_reads_only_the_head_of_an_article():
    # a long Spanish article with an English tail is Spanish: only its head is read
    text = " ".join(SPANISH * 20) + " " + " ".join(ENGLISH * 200)
    assert detect_language(text) == "es"


# --- sentence splitting -------------------------------------------------------------------

def test_spanish_abbreviations_and_punctuation_do_not_end_sentences():
    text = ("El Sr. Gómez y el Gral. Rojas viajaron a EE. UU. el lunes. «No habrá marcha "
            "atrás», dijo el núm. 2 del partido. ¿Quién pagará? ¡Nadie lo sabe! Fin.")
    got = [text[s:e] for s, e in split_sentences(text, "es")]
    assert got == ["El Sr. Gómez y el Gral. Rojas viajaron a EE. UU. el lunes.",
                   "«No habrá marcha atrás», dijo el núm. 2 del partido.",
                   "¿Quién pagará?", "¡Nadie lo sabe!", "Fin."]
    # the English mode cuts at "Sr." and "Gral.": the language matters
    assert len(split_sentences(text, "en")) > len(got)


# --- inflection ---------------------------------------------------------------------------

def test_spanish_verbs_inflect_regularly_and_from_the_table():
    forms = verb_forms_es("atacar", {})
    assert {"atacó", "atacaron", "atacado", "atacadas", "atacando", "ataca", "atacan"} <= forms
    assert "atacarán" not in forms          # what will happen is no event
    assert {"huyó", "huyeron", "huyendo"} <= verb_forms_es("huir", {})
    assert {"pasarse", "pasó", "pasaron"} <= verb_forms_es("pasarse", {})
    assert {"murió", "muerto"} <= verb_forms_es("morir", {"morir": ["murió", "muerto"]})


def test_a_spanish_compound_noun_inflects_its_head_and_what_agrees_with_it():
    # the head comes first: "armas de fuego", "grupos armados", not "arma de fuegos"
    arms = compile_phrase("N:arma de fuego", {}, "es")
    assert "armas" in arms[0] and arms[2] == frozenset({"fuego"})
    group = compile_phrase("N:grupo armado", {}, "es")
    assert "grupos" in group[0] and {"armados", "armadas"} <= group[1]
    assert "agresoras" in noun_forms_es("agresor")
    # English keeps its head last: "armed groups"
    assert compile_phrase("N:armed group", {}, "en")[1] == frozenset({"group", "groups"})


def test_spanish_nouns_and_accent_free_forms():
    assert noun_forms_es("camión") == {"camión", "camiones"}
    assert noun_forms_es("guerrillero") >= {"guerrilleros", "guerrillera", "guerrilleras"}
    assert noun_forms_es("cruz") == {"cruz", "cruces"}
    assert fold_accents("años") == {"años", "anos", "annos"}
    assert {"asesinó", "asesino"} <= compile_phrase("V:asesinar", {}, "es")[0]


# --- classification -----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Guerrilleros del frente 10 asesinaron a dos soldados en una vereda del municipio.",
     {"violence"}),
    ("Un grupo paramilitar ejecutó a dos jornaleros dentro de la finca.", {"violence"}),
    ("Hombres armados no identificados mataron a tiros a un comerciante.", {"violence"}),
    ("Un soldado murió tras activar una mina antipersonal junto al camino.", {"violence"}),
    ("La policía lanzó gases lacrimógenos contra los estudiantes que marchaban.",
     {"violence"}),
    ("Desconocidos secuestraron a un ingeniero cuando salía de la obra.", {"violence"}),
    ("Un carro bomba estalló frente a la estación de policía y dejó tres heridos.",
     {"violence"}),
    ("Tropas del ejército y disidentes sostuvieron combates durante toda la noche.",
     {"violence"}),
    ("Un convoy de camiones con ayuda humanitaria entró a la ciudad por la mañana.",
     {"aid_movement"}),
    ("Voluntarios repartieron alimentos y medicinas entre las familias desplazadas.",
     {"aid_movement"}),
    ("Encapuchados quemaron dos camiones cargados de medicinas en la frontera.",
     {"violence", "aid_movement"}),
    ("Venezuela rompió relaciones diplomáticas con Colombia.", {"diplomacy"}),
    ("El Gobierno expulsó al embajador y cerró su embajada.", {"diplomacy"}),
    ("Tres militares venezolanos desertaron y se pasaron al bando de la oposición.",
     {"defection"}),
    ("Dos sargentos de la Guardia Nacional cruzaron la frontera y pidieron refugio.",
     {"defection"}),
    # a reflexive verb: "pasarse" as "se pasó"
    ("La cónsul renunció a su cargo y se pasó a la oposición.", {"defection"}),
    # "presuntos" qualifies the men, not the killing
    ("Presuntos paramilitares asesinaron a un maestro en la plaza del pueblo.", {"violence"}),
    ("Un buque con 300 toneladas de arroz y leche atracó en el puerto esta mañana.",
     {"aid_movement"}),
    ("Estados Unidos impuso sanciones a tres ministros venezolanos.", {"diplomacy"}),
])
def test_spanish_events(clf, sentence, expected):
    assert labels(clf, sentence) == expected


@pytest.mark.parametrize("sentence", [
    # negation
    "No hubo disparos durante la protesta, según la policía.",
    "La marcha terminó sin heridos ni detenidos.",
    "Ningún soldado desertó durante la jornada, aseguró el ministro.",
    # irrealis: threats, appeals, conditions, the future
    "Los paramilitares amenazaron con atacar el pueblo si los campesinos no se iban.",
    "El líder opositor pidió que los militares desertaran.",
    "En caso de que los camiones crucen, la guardia podría dispararles.",
    "La guerrilla atacará la base, advirtió un desertor.",
    # background: an earlier event referred to
    "A raíz de los combates de la semana pasada, cientos de familias dejaron la vereda.",
    "Tras el atentado del año pasado, el alcalde reforzó la seguridad.",
    # false friends of Spanish news
    "El equipo bombardeó el área rival con centros durante todo el segundo tiempo.",
    "Los consumidores son bombardeados por la publicidad desde muy pequeños.",
    "El mercado se hundió tras el anuncio del banco central.",
    "Estrenan una serie de televisión sobre un agente doble que deserta a Moscú.",
    "La oposición atacó duramente la reforma tributaria en el Congreso.",
    "El gobierno prometió combatir la pobreza y la corrupción.",
    "Las ventas de bicicletas explotaron durante la pandemia.",
    "El municipio ejecutó el presupuesto de obras antes de lo previsto.",
    "Unos pescadores encontraron el cuerpo de un hombre a orillas del río.",
    "La empresa ejecutará el proyecto de ampliación del puerto.",
    "El incendio forestal consumió 300 hectáreas en la sierra.",
    "La cantante aparece en el video disparando a una diana con un arco.",
])
def test_spanish_non_events(clf, sentence):
    assert labels(clf, sentence) == set()


def test_negated_and_hypothetical_triggers_are_flagged_not_dropped(clf):
    kinds = {f.kind for f in clf.classify("No hubo disparos en la plaza.", "es").flags}
    assert kinds == {"negated"}
    flags = clf.classify("Los rebeldes amenazaron con atacar la base.", "es").flags
    assert {f.kind for f in flags if f.label == "violence"} == {"hypothetical"}


def test_accent_free_and_capitals_text_is_classified_too(clf):
    sentence = "Guerrilleros asesinaron a un campesino de 40 años en la vereda El Carmen."
    for form in (strip_accents(sentence), sentence.replace("ñ", "nn"), sentence.upper(),
                 strip_accents(sentence).upper()):
        assert labels(clf, form) == {"violence"}, form


def test_one_taxonomy_for_all_languages(clf):
    en, es = clf.taxonomies["en"], clf.taxonomies["es"]
    assert es.version == en.version
    assert es.definitions == en.definitions
    assert {r.label for r in es.rules} == {r.label for r in en.rules}


def test_a_language_without_rules_gets_no_labels(clf):
    assert not clf.has_rules("de")
    assert clf.classify("Soldaten griffen das Dorf an und töteten drei Menschen.", "de").labels == ()


def test_english_rules_do_not_read_spanish(clf):
    # the language picks the rules: Spanish words are no English triggers
    assert clf.classify("Guerrilleros asesinaron a dos soldados.", "en").labels == ()


# --- places -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def geoparser():
    from newsevents.text.geoparse import Geoparser
    return Geoparser()


def places(geoparser, text):
    return {m.surface: (m.place.country_code, m.place.feature) for m in geoparser.find_places(text)}


def test_spanish_country_names_and_the_regions_forms(geoparser):
    found = places(geoparser, "Brasil, los Países Bajos y EEUU enviaron ayuda a Curazao.")
    assert found == {"Brasil": ("BR", "country"), "Países Bajos": ("NL", "country"),
                     "EEUU": ("US", "country"), "Curazao": ("CW", "country")}


def test_spanish_containers_and_subdivisions(geoparser):
    found = places(geoparser, "Los hechos ocurrieron en el municipio de Saravena, Arauca, "
                              "y en Ureña, estado Táchira, cerca de Norte de Santander.")
    assert found["Saravena"] == ("CO", "city")
    assert found["Arauca"] == ("CO", "admin1")
    assert found["Ureña"] == ("VE", "city")
    assert found["Táchira"] == ("VE", "admin1")
    assert found["Norte de Santander"] == ("CO", "admin1")


def test_spanish_titles_and_facilities_are_not_places(geoparser):
    assert places(geoparser, "El Gral. Vladimir Padrino habló con el presidente.") == {}
    found = places(geoparser, "Los manifestantes cruzaron el puente Simón Bolívar hacia Cúcuta.")
    assert found == {"Cúcuta": ("CO", "city")}
    assert places(geoparser, "Las tropas llegaron al estado Bolívar.")["Bolívar"] == ("VE", "admin1")


def test_spanish_demonyms_make_states_for_the_classifier(clf):
    # "colombiano" after a state's agent is Colombia acting
    r = clf.classify("El Gobierno colombiano rechazó la propuesta del Gobierno venezolano.", "es")
    assert r.labels == ("diplomacy",)


def es_places(geoparser, text):
    """Places as the geoparser reads them in a Spanish article (demonyms too)."""
    return {m.surface: (m.place.country_code, m.place.feature, m.kind)
            for m in geoparser._mentions(text, None, "es")}


def located(clf, geoparser, text):
    """(location_name, country_code, location_precision) of the first event sentence of a
    Spanish article, else of its first sentence."""
    from datetime import datetime, timezone

    from newsevents.events import extract_events
    from newsevents.schemas import Article
    article = Article(id="x", text=text, published_at=datetime(2019, 2, 23, tzinfo=timezone.utc),
                      language="es")
    rows = extract_events(article, clf, geoparser, keep_all=True).rows
    row = next((r for r in rows if r["labels"]), rows[0])
    return row["location_name"], row["country_code"], row["location_precision"]


@pytest.mark.parametrize("written", ["EE. UU.", "EE.UU.", "EEUU"])
def test_the_united_states_as_spanish_writes_them(geoparser, written):
    found = es_places(geoparser, f"La Casa Blanca dijo que {written} no enviará tropas.")
    assert found[written.rstrip(".")] == ("US", "country", "toponym")


def test_a_sentence_may_begin_with_en_before_a_town(geoparser):
    # "En" is a preposition here, not the Arabic article the gazetteer files names under
    found = es_places(geoparser, "En San Antonio del Táchira hubo saqueos durante la noche.")
    assert found == {"San Antonio del Táchira": ("VE", "city", "toponym")}
    # a capitalised preposition before a name leaves it a place, not a person's surname
    assert es_places(geoparser, "Desde Tumbes, el ministro habló por radio.")["Tumbes"][0] == "PE"


def test_lower_case_demonyms_are_context_in_spanish_only(geoparser):
    text = "El Ejército colombiano bombardeó un campamento en el sur de Bolívar."
    found = es_places(geoparser, text)
    assert found["colombiano"] == ("CO", "country", "demonym")
    assert found["Bolívar"][:2] == ("CO", "admin1")      # not Venezuela's state of that name
    # English text is not searched for them: recognition there starts at capitals only
    assert "colombiano" not in {m.surface for m in geoparser._mentions(text)}
    # "el peso colombiano" is a currency
    assert "colombiano" not in es_places(geoparser, "El peso colombiano cayó en Bogotá.")


def test_a_capital_named_through_its_country_in_spanish_order(clf, geoparser):
    assert located(clf, geoparser, "Encapuchados incendiaron dos autobuses en el centro de la "
                                   "capital venezolana.")[:2] == ("Caracas", "VE")
    assert located(clf, geoparser, "Una bomba estalló frente a un cuartel en la capital de "
                                   "Colombia.")[:2] == ("Bogotá", "CO")


def test_a_demonym_alone_locates_a_state_agent_not_a_nationality(clf, geoparser):
    assert located(clf, geoparser, "La policía boliviana dispersó con gases una marcha de "
                                   "maestros.")[1] == "BO"
    assert located(clf, geoparser, "Un periodista italiano fue amenazado de muerte por "
                                   "paramilitares.") == (None, None, None)


def test_an_origin_is_not_where_the_event_happened(clf, geoparser):
    # sent from Brazil, it entered Venezuela; Pacaraima lies on the Brazilian side
    assert located(clf, geoparser, "Un convoy con medicinas enviado desde Brasil entró a "
                                   "Venezuela por Pacaraima.")[1] == "VE"
    assert located(clf, geoparser, "Cajas de alimentos procedentes del Perú ingresaron a Bolivia "
                                   "por Desaguadero.")[:2] == ("Desaguadero", "BO")
    # but a town named after "desde", with no other country, is where it happened
    assert located(clf, geoparser, "Un camión con ayuda humanitaria enviado desde Brasil fue "
                                   "incendiado en Pacaraima.")[:2] == ("Pacaraima", "BR")
    assert located(clf, geoparser, "El canciller colombiano condenó desde Cúcuta el ataque "
                                   "contra la caravana.")[:2] == ("Cúcuta", "CO")


def test_regions_the_regions_press_names(clf, geoparser):
    assert located(clf, geoparser, "Disidentes atacaron con explosivos una base militar en el "
                                   "Catatumbo.") == ("Catatumbo", "CO", "admin2")
    # a town of the region is the place; the region its context
    assert located(clf, geoparser, "Guerrilleros asesinaron a dos soldados en Tibú, en el "
                                   "Catatumbo.")[:2] == ("Tibú", "CO")
    assert located(clf, geoparser, "Paramilitares asesinaron a un campesino en los Montes de "
                                   "María.")[:2] == ("Montes de María", "CO")


def test_bolivar_the_man_the_state_and_the_square(geoparser):
    assert es_places(geoparser, "Pintaron consignas en la estatua de Simón Bolívar.") == {}
    assert es_places(geoparser, "Hubo una protesta en la plaza Bolívar de Barquisimeto.") == {
        "Barquisimeto": ("VE", "city", "toponym")}
    # the man, then his surname alone, then the state a type word names
    found = es_places(geoparser, "Frente al busto de Simón Bolívar, los mineros recordaron a "
                                 "Bolívar y marcharon hacia el estado Bolívar.")
    assert list(found.values()) == [("VE", "admin1", "toponym")]


def test_an_ombudsman_is_not_a_town(geoparser):
    assert es_places(geoparser, "La Defensoría del Pueblo contó tres muertos en Tumaco.") == {
        "Tumaco": ("CO", "city", "toponym")}
    # a frequent word after an organisation's is no hamlet; a department's name is a place
    assert es_places(geoparser, "El Departamento de Justicia de EE.UU. abrió una causa.") == {
        "EE.UU": ("US", "country", "toponym")}
    assert es_places(geoparser, "Llovió en todo el departamento de Antioquia.") == {
        "Antioquia": ("CO", "admin1", "toponym")}


def test_a_purpose_clause_leaves_the_main_event_real(clf, geoparser):
    r = clf.classify("Los militares dispararon perdigones contra la multitud para dispersarla.",
                     "es")
    assert r.labels == ("violence",)
    r = clf.classify("El canciller ecuatoriano viajó a Lima para reunirse con su homólogo "
                     "peruano.", "es")
    assert r.labels == ("diplomacy",) and not [f for f in r.flags if f.kind == "hypothetical"]
    assert located(clf, geoparser, "El canciller ecuatoriano viajó a Lima para reunirse con su "
                                   "homólogo peruano.")[:2] == ("Lima", "PE")


# --- the pipeline -------------------------------------------------------------------------

def run_rows(inp, out, *extra):
    assert main(["run", "--input", str(inp), "--output", str(out), *extra]) == 0
    manifest = json.loads((out / "_manifest.json").read_text())
    if not (out / "events").is_dir():       # no event sentence, no partition
        return [], manifest
    table = ds.dataset(out / "events", format="parquet", partitioning="hive").to_table()
    return table.to_pylist(), manifest


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds")
    return {name: run_rows(path, root / name) for name, path in
            (("en", SEED_EN), ("es", SEED_ES))}


def test_the_spanish_seed_runs_with_no_flag_and_is_spanish(seeds_out):
    rows, manifest = seeds_out["es"]
    assert rows and {r["language"] for r in rows} == {"es"}
    assert manifest["counts"]["articles_per_language"] == {"es": 1}
    assert manifest["counts"]["articles_without_rules"] == {}
    assert manifest["versions"]["taxonomy_languages"] == ["en", "es"]
    assert {r["language"] for r in seeds_out["en"][0]} == {"en"}


def test_the_spanish_seed_gives_the_english_seeds_kinds_of_events_at_its_places(seeds_out):
    def kinds_and_places(rows):
        kinds = {label for r in rows for label in r["labels"]}
        # for each kind, the countries and the towns it happened in
        where = {(label, r["country_code"]) for r in rows for label in r["labels"]}
        towns = {(label, r["location_name"]) for r in rows for label in r["labels"]
                 if r["location_precision"] == "city"}
        return kinds, where, towns
    en_kinds, en_where, en_towns = kinds_and_places(seeds_out["en"][0])
    es_kinds, es_where, es_towns = kinds_and_places(seeds_out["es"][0])
    assert es_kinds == en_kinds == {"violence", "diplomacy", "defection", "aid_movement"}
    assert {c for _, c in es_where} <= {"VE", "CO", "BR", "US"}
    for label in en_kinds:      # each kind in one of the English seed's countries for it
        assert {c for lab, c in es_where if lab == label} & \
            {c for lab, c in en_where if lab == label}, label
    # the trucks burned at Ureña: violence and aid movement, at the same town in both
    assert {("violence", "Ureña"), ("aid_movement", "Ureña")} <= es_towns & en_towns


def test_languages_without_rules_pass_through_and_are_counted(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "de.txt").write_text("Soldaten griffen das Dorf an und töteten drei Menschen.\n",
                                encoding="utf-8")
    (src / "es.txt").write_text("Hombres armados asesinaron a dos agentes en Cúcuta.\n",
                                encoding="utf-8")
    when = ["--published-at", "2019-02-23T00:00:00Z"]
    rows, manifest = run_rows(src, tmp_path / "out", *when)
    assert {r["article_id"] for r in rows} == {"es"}         # only event sentences
    assert manifest["counts"]["articles_per_language"] == {"de": 1, "es": 1}
    assert manifest["counts"]["articles_without_rules"] == {"de": 1}
    rows, _ = run_rows(src, tmp_path / "all", *when, "--keep-all-sentences")
    german = [r for r in rows if r["article_id"] == "de"]
    assert german and all(r["labels"] == [] and r["language"] == "de" for r in german)
    # --language overrides detection for .txt articles
    rows, manifest = run_rows(src, tmp_path / "forced", *when, "--language", "es")
    assert manifest["counts"]["articles_per_language"] == {"es": 2}


def test_the_input_field_language_overrides_detection(tmp_path):
    record = {"id": "a", "published_at": "2019-02-23T00:00:00Z", "language": "ES",
              "text": "Armed men attacked a police post near Cúcuta and killed two officers."}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    rows, manifest = run_rows(src, tmp_path / "out", "--keep-all-sentences")
    assert manifest["counts"]["articles_per_language"] == {"es": 1}
    assert {r["language"] for r in rows} == {"es"}
    assert all(r["labels"] == [] for r in rows)             # Spanish rules, English words


def test_a_bad_language_is_a_dead_letter_or_a_usage_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "published_at": "2019-02-23T00:00:00Z",
                               "language": "spanish!", "text": "Hola."}) + "\n"
                   + json.dumps({"id": "b", "published_at": "2019-02-23T00:00:00Z",
                                 "text": "Hola a todos."}) + "\n", encoding="utf-8")
    _, manifest = run_rows(src, tmp_path / "out")
    assert manifest["counts"]["dead_letters"] == 1
    assert "invalid_field" in manifest["dead_letter_kinds"]
    assert main(["run", "--input", str(src), "--output", str(tmp_path / "o2"),
                 "--language", "Spanish"]) == 2


# --- every rule of every language with its own examples -----------------------------------

def _rule_examples():
    from newsevents.taxonomy import language_files, read_yaml
    return [(language, f"{label}.{spec['id']}", spec.get("examples"))
            for language, files in language_files().items()
            for label, specs in read_yaml(files["events"])["rules"].items() for spec in specs]


@pytest.mark.parametrize("language, rule, examples", _rule_examples(),
                         ids=lambda x: x if isinstance(x, str) else "")
def test_each_rule_fires_on_its_examples_and_not_on_its_traps(clf, language, rule, examples):
    assert examples and examples.get("match") and examples.get("no_match"), \
        f"{language} {rule}: a rule needs examples it must fire on (match) and must not (no_match)"
    for sentence in examples["match"]:
        fired = {e.rule for e in clf.classify(sentence, language).evidence}
        assert rule in fired, f"{language} {rule} missed: {sentence}"
    for sentence in examples["no_match"]:
        fired = {e.rule for e in clf.classify(sentence, language).evidence}
        assert rule not in fired, f"{language} {rule} fired on: {sentence}"


def test_a_spanish_event_happens_where_a_locative_puts_it(clf, geoparser):
    from datetime import datetime, timezone

    from newsevents.events import extract_events
    from newsevents.schemas import Article
    # "en Ureña" puts it there; "los bomberos de Cúcuta", nearer the casualties, do not
    text = ("Agentes lanzaron gases lacrimógenos contra los vecinos que esperaban a los "
            "camiones en Ureña, y decenas de personas resultaron heridas, según los bomberos "
            "de Cúcuta.")
    article = Article(id="x", text=text, published_at=datetime(2019, 2, 23, tzinfo=timezone.utc))
    (row,) = extract_events(article, clf, geoparser).rows
    assert (row["language"], row["labels"]) == ("es", ["violence"])
    assert (row["location_name"], row["country_code"]) == ("Ureña", "VE")


# --- senses decided at the trigger (issue #23) ----------------------------------------------

@pytest.mark.parametrize("sentence, kind, cue", [
    # weather: the gusts' own phrase
    ("Las ráfagas del temporal voltearon un cartel publicitario en la costanera.", "sense",
     "temporal"),
    # goods seized by the police: the verb's object
    ("Agentes de Gendarmería secuestraron cuatro camionetas cargadas con neumáticos de "
     "contrabando.", "sense", "camionetas"),
    # words, not shots: the speaker as subject
    ("El concejal disparó contra la gestión municipal por la suba del boleto.", "sense",
     "concejal"),
    # a price that rose, beside the people it hurt
    ("Tras el anuncio, el dólar se disparó y arrastró a los comerciantes.", "sense", "se"),
    # play: the home side's attack
    ("El equipo local atacó con sus jugadores más rápidos en el complemento.", "sense",
     "equipo local"),
    # a pupil leaving school
    ("La deserción escolar creció en los barrios del sur de la ciudad.", "sense", "escolar"),
    # a review of a video game: the work frames the trigger
    ("En el videojuego, un desertor del imperio recorre planetas en ruinas.", "sense",
     "En el videojuego"),
    # nothing physical beside the trigger: the rule's needs are missing
    ("El dólar oficial se disparó a 1.500 pesos en una semana.", "context", ""),
    ("El delantero probó con un disparo de media distancia que salió desviado.", "context",
     ""),
    # a car that caught fire: no one set it
    ("Se incendió una camioneta estacionada frente a la escuela.", "context", ""),
])
def test_local_press_false_friends_are_vetoed_at_the_trigger_and_say_why(clf, sentence, kind,
                                                                         cue):
    result = clf.classify(sentence, "es")
    assert result.labels == (), sentence
    # every veto on the record: the trigger is flagged, a sense flag with the deciding word
    flagged = {(f.kind, f.cue) for f in result.flags}
    assert (kind, cue) in flagged, [(f.trigger, f.rule, f.kind, f.cue) for f in result.flags]


@pytest.mark.parametrize("sentence", [
    # the case of the local press: a dismissal, works and budgets
    "El cabo fue dado de baja de la fuerza por abandono de servicio.",
    "La Provincia informó que la ejecución de la obra de la ruta 18 avanza a buen ritmo.",
    "Una ambulancia y un auto chocaron en la rotonda y dos enfermeros resultaron heridos.",
    "Un incendio destruyó un galpón con fardos de alfalfa en la zona rural.",
    "Un perro atacó a un cartero en la puerta de una casa del barrio Sur.",
    "El agua invadió las casas más bajas del barrio tras la lluvia de la noche.",
    "Un joven de 19 años que desapareció el viernes fue encontrado con vida en la terminal.",
    "La banda de cumbia hizo explotar la plaza en el cierre de los carnavales.",
])
def test_ordinary_local_notes_are_not_violence(clf, sentence):
    assert labels(clf, sentence) == set()


@pytest.mark.parametrize("sentence", [
    # force-only triggers: a topic word elsewhere in the sentence changes nothing
    "Un hombre abrió fuego contra los hinchas que salían del estadio tras el partido.",
    "Sicarios asesinaron a un actor de telenovelas frente a la productora.",
    "Durante la cuarentena de la pandemia, un agente mató a tiros a un joven en un control.",
    "Un tiroteo frente al estadio dejó dos heridos después del clásico.",
    "La aviación bombardeó un mercado de frutas y mató a seis personas.",
    # clashes with police, whatever the protest was about
    "Comerciantes que protestaban por la devaluación se enfrentaron con la policía.",
    "Obreros que reclamaban salarios atrasados chocaron con agentes antimotines.",
    # the same words as the false friends, in their other sense
    "Dos hombres armados secuestraron a un productor rural en su estancia.",
    "Un sicario disparó contra un concejal a la salida de su casa y lo hirió en un brazo.",
    "Paramilitares ejecutaron en una vereda del sur a tres jornaleros.",
    "Tropas del Ejército dieron de baja a dos disidentes durante un combate en el Guaviare.",
])
def test_violence_with_topic_words_around_it(clf, sentence):
    assert "violence" in labels(clf, sentence)


@pytest.mark.parametrize("sentence, expected", [
    # headlines: counts of the dead, present tense, capitals
    ("Ocho muertos en enfrentamientos entre pandillas en el puerto", {"violence"}),
    ("Decenas de heridos tras choques entre manifestantes y policías", {"violence"}),
    ("ASESINAN A UN LÍDER SOCIAL EN EL NORTE DEL CAUCA", {"violence"}),
    ("El Ejército hace retroceder a los yihadistas de dos aldeas", {"violence"}),
    # riots and road blocks with burning tyres or stones
    ("Vecinos quemaron cubiertas y bloquearon el acceso al parque industrial.", {"violence"}),
    ("Manifestantes cortaron la carretera con piedras y neumáticos en llamas.", {"violence"}),
    # bodies found with marks of torture or binding; not a body found alone
    ("Pescadores hallaron el cuerpo de un hombre amordazado y con las manos atadas.",
     {"violence"}),
    ("Un cuerpo sin vida fue hallado en un canal de riego, informó la fiscalía.", set()),
    # the fighting a duration makes this event's
    ("Los insurgentes tomaron el puerto tras cuatro días de combates con el ejército.",
     {"violence"}),
    # diplomacy: recognition refused is a diplomatic act; so is a call
    ("Ecuador no reconoce la victoria de Ortega, dijo su cancillería en un comunicado.",
     {"diplomacy"}),
    ("El presidente de Chile habló por teléfono con su par de Argentina.", {"diplomacy"}),
    ("De acuerdo con la consultora, el turismo desde Chile creció en enero.", set()),
    # aid supplied across a border
    ("Desde Desaguadero, Perú suministra harina y vacunas a las comunidades del altiplano.",
     {"aid_movement"}),
    # defection: party members crossing the floor; fighters surrendering
    ("Tres diputados de la coalición de gobierno se pasaron al bloque opositor.",
     {"defection"}),
    ("Doce milicianos del frente 18 se entregaron a la Infantería de Marina con sus armas.",
     {"defection"}),
    ("El futbolista se pasó al equipo rival por una cifra récord.", set()),
])
def test_the_kinds_spanish_reporting_uses(clf, sentence, expected):
    assert labels(clf, sentence) == expected


def test_the_spanish_development_set_is_well_formed_and_scored():
    """tests/data/events_es_dev.jsonl: the project's own Spanish sentences (see its README)."""
    from newsevents.commands.evaluate import classification
    from newsevents.commands.evaluate.common import read_gold
    from newsevents.commands.evaluate.rate import rates
    records = list(read_gold(ROOT / "tests" / "data" / "events_es_dev.jsonl"))
    assert len(records) >= 250 and len({r["id"] for r in records}) == len(records)
    assert all(r["section"] and r["batch"].isalpha() and r["lang"] == "es" for r in records)
    classifier = Classifier()
    report = classification.evaluate(records, classifier)
    assert report.micro["f1"] >= 0.95
    # ordinary notes (the local press, sport, culture, economy) that report no violence
    calm = [r["text"] for r in records if "violence" not in r["labels"]
            and r["section"] in ("local", "sport", "entertainment", "business", "technology")]
    assert len(calm) >= 100
    assert rates(calm, classifier)["per_1000"]["violence"] <= 10


def test_explain_names_the_word_that_vetoed_a_spanish_trigger(capsys):
    # goods seized by the police: `newsevents explain` shows the trigger, its rule and the
    # word of its own phrase that gave it another sense
    assert main(["explain", "La Aduana secuestró dos camiones con ropa de contrabando.",
                 "--language", "es"]) == 0
    out = capsys.readouterr().out
    assert "violence.kidnap" in out and "'camiones'" in out and "sense" in out
