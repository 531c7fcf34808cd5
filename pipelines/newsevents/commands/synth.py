"""`newsevents synth`: realistic, reproducible articles for benchmarks and soak tests.

Sentences are the project's own templates, filled with real place names, with a mix of
event and non-event sentences close to wire news (about a third carry an event). Articles
are 2 to 3.5 KB (2.6 KB on average). The same --seed gives the same file, byte for byte.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

PLACES = [  # (city, region, country, demonym)
    ("Cúcuta", "Norte de Santander", "Colombia", "Colombian"),
    ("Ureña", "Táchira", "Venezuela", "Venezuelan"),
    ("Aleppo", "Aleppo Governorate", "Syria", "Syrian"),
    ("Mosul", "Nineveh", "Iraq", "Iraqi"),
    ("Kharkiv", "Kharkiv Oblast", "Ukraine", "Ukrainian"),
    ("Goma", "North Kivu", "Democratic Republic of the Congo", "Congolese"),
    ("Maiduguri", "Borno", "Nigeria", "Nigerian"),
    ("Kandahar", "Kandahar", "Afghanistan", "Afghan"),
    ("Rafah", "Gaza", "Palestine", "Palestinian"),
    ("Mogadishu", "Banaadir", "Somalia", "Somali"),
    ("Juba", "Central Equatoria", "South Sudan", "South Sudanese"),
    ("Tripoli", "Tripoli", "Libya", "Libyan"),
    ("Mandalay", "Mandalay", "Myanmar", "Burmese"),
    ("Port-au-Prince", "Ouest", "Haiti", "Haitian"),
    ("Bamako", "Bamako", "Mali", "Malian"),
]
CAPITALS = ["Washington", "Moscow", "Beijing", "Brussels", "Geneva", "Ankara", "Cairo",
            "Nairobi", "Bogotá", "Brasília", "Paris", "Berlin", "Tokyo", "Doha"]

EVENTS = [
    "Gunmen attacked a police post in {city} on {day}, killing {n} officers, officials said.",
    "Security forces fired tear gas at protesters in {city} as clashes spread to {region}.",
    "An air strike hit a market on the outskirts of {city}, wounding at least {n} people.",
    "Rebels shelled government positions near {city} overnight, the army said.",
    "A convoy of {n} trucks carrying food and medicine crossed into {country} from the {demonym} side of the border.",
    "Aid workers distributed emergency supplies to families in {city} after the first convoy arrived.",
    "A cargo plane loaded with humanitarian aid landed in {city} on {day}.",
    "The foreign ministers of {country} and its neighbour met in {capital} to discuss the border.",
    "{country} expelled the ambassador of a neighbouring state and recalled its own envoy.",
    "Leaders signed a trade and security agreement during a state visit to {capital}.",
    "{country} broke off diplomatic relations with its neighbour on {day}.",
    "Dozens of soldiers defected to the opposition in {region}, a military source said.",
    "A senior police commander in {city} switched sides and pledged loyalty to the rebels.",
    "Two {demonym} diplomats defected and sought asylum abroad.",
]
CALM = [
    "The central bank left interest rates unchanged at its meeting in {capital}.",
    "Shares in the {demonym} telecoms group rose after it reported higher quarterly profits.",
    "The ministry said the new school year in {region} would begin in September.",
    "Officials in {city} announced plans to repair the main road before the rainy season.",
    "A local football club from {city} won the regional cup final on {day}.",
    "Analysts expect inflation in {country} to ease slowly over the coming months.",
    "The government has not said whether the talks will continue next year.",
    "Opposition leaders called on soldiers to defect, but no defections were reported.",
    "The company fired its chief executive after the audit, a spokesman said.",
    "Heavy rain is expected across {region} this week, the weather service said.",
    "The museum in {city} reopened after a two-year renovation.",
    "Farmers in {region} said the harvest was larger than expected.",
    "Residents described long queues at petrol stations in {city}.",
    "A spokesman would not comment on the reports.",
    "The report did not give figures for the previous year.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Spanish news of the same kinds, written for the project (the places as its press names them)
PLACES_ES = [
    ("Cúcuta", "Norte de Santander", "Colombia", "colombiano"),
    ("Ureña", "Táchira", "Venezuela", "venezolano"),
    ("San Cristóbal", "Táchira", "Venezuela", "venezolano"),
    ("Saravena", "Arauca", "Colombia", "colombiano"),
    ("Tumaco", "Nariño", "Colombia", "colombiano"),
    ("Maracaibo", "Zulia", "Venezuela", "venezolano"),
    ("Pacaraima", "Roraima", "Brasil", "brasileño"),
    ("Quibdó", "Chocó", "Colombia", "colombiano"),
    ("Culiacán", "Sinaloa", "México", "mexicano"),
    ("Tegucigalpa", "Francisco Morazán", "Honduras", "hondureño"),
]
CAPITALS_ES = ["Bogotá", "Caracas", "Brasilia", "Lima", "Quito", "Ciudad de México",
               "Washington", "Madrid", "La Habana", "Buenos Aires"]
EVENTS_ES = [
    "Hombres armados atacaron un puesto de policía en {city} el {day} y mataron a {n} agentes.",
    "La policía lanzó gases lacrimógenos contra los manifestantes en {city} mientras los disturbios se extendían a {region}.",
    "Un bombardeo del ejército contra un campamento guerrillero cerca de {city} dejó {n} muertos.",
    "Guerrilleros y soldados sostuvieron combates durante la noche en zona rural de {city}.",
    "Un convoy de {n} camiones con alimentos y medicinas cruzó la frontera hacia {country}.",
    "Voluntarios repartieron ayuda humanitaria a las familias de {city} tras la llegada del primer cargamento.",
    "Un avión con {n} toneladas de ayuda humanitaria aterrizó en {city} el {day}.",
    "Los cancilleres de {country} y de su vecino se reunieron en {capital} para hablar de la frontera.",
    "{country} expulsó al embajador de un país vecino y retiró a su propio embajador.",
    "{country} rompió relaciones diplomáticas con su vecino el {day}.",
    "Decenas de soldados desertaron y se pasaron al bando de la oposición en {region}.",
    "Dos guardias nacionales cruzaron la frontera y pidieron refugio en {city}.",
    "Desconocidos asesinaron a un líder social en una vereda de {city}, informó la Defensoría.",
    "Encapuchados quemaron dos camiones cargados de medicinas en las afueras de {city}.",
]
CALM_ES = [
    "El banco central mantuvo sin cambios la tasa de interés en su reunión de {capital}.",
    "Las acciones de la empresa {demonym} de telecomunicaciones subieron tras presentar sus resultados.",
    "El ministerio anunció que el año escolar en {region} comenzará en septiembre.",
    "Las autoridades de {city} anunciaron que repararán la vía principal antes de las lluvias.",
    "Un club de fútbol de {city} ganó la final de la copa regional el {day}.",
    "Los analistas esperan que la inflación en {country} baje lentamente en los próximos meses.",
    "El gobierno no ha dicho si las conversaciones seguirán el próximo año.",
    "La oposición pidió a los militares que desertaran, pero no se registraron deserciones.",
    "La empresa despidió a su director ejecutivo después de la auditoría, dijo un vocero.",
    "Se esperan fuertes lluvias en {region} esta semana, según el servicio meteorológico.",
    "El museo de {city} reabrió sus puertas tras dos años de obras.",
    "Los agricultores de {region} dijeron que la cosecha fue mayor de lo esperado.",
    "Los vecinos describieron largas filas en las estaciones de gasolina de {city}.",
    "Un vocero declinó comentar las informaciones.",
    "El informe no dio cifras del año anterior.",
]
DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
LANGUAGES = {"en": (PLACES, CAPITALS, EVENTS, CALM, DAYS),
             "es": (PLACES_ES, CAPITALS_ES, EVENTS_ES, CALM_ES, DAYS_ES)}


def _fill(template: str, rng: random.Random, language: str = "en") -> str:
    places, capitals, _, _, days = LANGUAGES[language]
    city, region, country, demonym = rng.choice(places)
    return template.format(city=city, region=region, country=country, demonym=demonym,
                           capital=rng.choice(capitals), day=rng.choice(days),
                           n=rng.randint(2, 40))


def calm_sentences(n: int, rng: random.Random, language: str = "en") -> list[str]:
    """n of the non-event sentences, filled: what the classifier must leave unlabelled."""
    calm = LANGUAGES[language][3]
    return [_fill(rng.choice(calm), rng, language) for _ in range(n)]


def make_article(i: int, rng: random.Random, start: datetime, days: int,
                 language: str = "en") -> dict:
    _, _, events, calm, _ = LANGUAGES[language]
    size = rng.randint(1800, 3200)
    paragraphs, length = [], 0
    while length < size:
        k = rng.randint(1, 3)
        para = " ".join(_fill(rng.choice(events if rng.random() < 0.33 else calm), rng,
                              language) for _ in range(k))
        paragraphs.append(para)
        length += len(para) + 1
    when = start + timedelta(seconds=rng.randrange(days * 86400))
    return {"id": f"synth-{i:08d}", "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "title": f"Report {i}", "source": "newsevents-synth", "text": "\n".join(paragraphs)}


def write_synthetic(path: str, articles: int, seed: int = 1, days: int = 7,
                    language: str = "en") -> int:
    """Write `articles` JSON Lines records to path, in English or Spanish; returns bytes
    written."""
    rng = random.Random(seed)
    start = datetime(2019, 2, 18, tzinfo=timezone.utc)
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(articles):
            line = json.dumps(make_article(i, rng, start, days, language),
                              ensure_ascii=False) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
    return written


def add_arguments(parser) -> None:
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--out", required=True, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--days", type=int, default=7, help="spread over this many days")
    parser.add_argument("--language", choices=sorted(LANGUAGES), default="en",
                        help="the articles' language (default en)")


def run(args) -> int:
    if args.articles <= 0 or args.days <= 0:
        print("newsevents: error: --articles and --days must be positive", file=__import__("sys").stderr)
        return 2
    n = write_synthetic(args.out, args.articles, args.seed, args.days, args.language)
    print(f"wrote {args.articles} articles ({n / 1e6:.1f} MB) to {args.out}")
    return 0
