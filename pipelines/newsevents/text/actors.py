"""Who acted and against whom in a violence sentence: a pure function over its tokens.

The actor nouns and their ACLED types are data per language (taxonomy/<language>/actors.yaml,
`actors`), as are the words that make a verb passive (`passive`). A noun's country comes
from a demonym beside it ("Syrian troops", "policía venezolana"), from the geoparser's
demonym table (taxonomy/places.yaml and the languages' places files), not a list of its own.

The roles come from the sentence's voice around the trigger the classifier counted: in the
active voice the nearest actor before the trigger used force (actor1) and the first after it
took it (actor2); in the passive ("were killed by soldiers", "fueron asesinados por") the
actor before it took the force and the one after the agent word used it. Only the main pair
is read: one actor per role.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from newsevents.taxonomy import FOLDER, PLACES_YAML, read_yaml, with_languages
from newsevents.text.classify import Token, tokenize

UNKNOWN = "unknown"     # the key of perpetrators a sentence does not identify: a null type
REFER = "@refer"        # a pronoun that refers back ("they"): the type of the actor it
                        # stands for
_AUXILIARY = 2          # an auxiliary this many words before the trigger makes it passive
_AGENT = 3              # an agent word ("by") this many words after it does too


class Actor(NamedTuple):
    text: str
    start: int
    end: int
    role: str               # actor1 (used force or acted) or actor2 (against whom)
    type: str | None        # one of ACLED's eight; None for an unidentified perpetrator
    country_code: str | None


class _Words(NamedTuple):
    phrases: dict[str, list[tuple[tuple[str, ...], str | None]]]   # first word -> longest first
    auxiliaries: frozenset[str]
    agent: frozenset[str]
    participles: frozenset[str]     # passive where reduced_after, a mark or nothing follows
    reduced_after: frozenset[str]
    bound_words: frozenset[str]     # "at least": a figure follows, the verb is active
    particles: frozenset[str]       # "shot at", "fired on": an actor after them is the object
    victim_verbs: frozenset[str]    # their subject took the force: "died"
    victim_follows: bool            # it may follow them ("mueren dos policías")
    agent_nouns: frozenset[str]     # nouns whose complement after noun_agent is the agent
    noun_agent: frozenset[str]


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Every language's demonyms, lower case -> ISO code (the geoparser's table)."""
    merged, _ = with_languages(read_yaml(PLACES_YAML))
    return {str(form).lower(): code for form, code in merged["demonyms"].items()}


@lru_cache(maxsize=16)
def words(language: str) -> _Words | None:
    path = FOLDER / language / "actors.yaml"
    if not path.is_file():
        return None
    data = read_yaml(path) or {}
    if not data.get("actors"):
        return None
    phrases: dict[str, list[tuple[tuple[str, ...], str | None]]] = {}
    for kind, nouns in data["actors"].items():
        for noun in nouns:
            key = tuple(t[0] for t in tokenize(str(noun)))
            phrases.setdefault(key[0], []).append((key, None if kind == UNKNOWN else kind))
    for phrase in data.get("refer_back") or ():
        key = tuple(t[0] for t in tokenize(str(phrase)))
        phrases.setdefault(key[0], []).append((key, REFER))
    for options in phrases.values():
        options.sort(key=lambda p: -len(p[0]))
    passive = data.get("passive") or {}

    def listed(key: str) -> frozenset[str]:
        return frozenset(str(x).lower() for x in passive.get(key) or ())
    return _Words(phrases, listed("auxiliaries"), listed("agent"), listed("participles"),
                  listed("reduced_after"), listed("bound_words"), listed("particles"),
                  listed("victim_verbs"), bool(passive.get("victim_follows", False)),
                  listed("agent_nouns"), listed("noun_agent"))


class _Mention(NamedTuple):
    first: int      # token indices, inclusive
    last: int
    type: str | None
    country_code: str | None


def _mentions(w: _Words, low: list[str]) -> list[_Mention]:
    found = demonyms()
    out: list[_Mention] = []
    i, n = 0, len(low)
    while i < n:
        match = None
        for key, kind in w.phrases.get(low[i], ()):
            if tuple(low[i:i + len(key)]) == key:
                match = (len(key), kind)
                break
        if match is None:
            i += 1
            continue
        first, last = i, i + match[0] - 1
        country = None
        if first > 0 and low[first - 1] in found:           # "Syrian troops"
            first -= 1
            country = found[low[first]]
        elif last + 1 < n and low[last + 1] in found:       # "policía venezolana"
            last += 1
            country = found[low[last]]
        out.append(_Mention(first, last, match[1], country))
        i = last + 1
    return out


def _roles(w: _Words, low: list[str], mentions: list[_Mention],
           trigger: int) -> dict[str, _Mention]:
    before = [m for m in mentions if m.last < trigger]
    after = [m for m in mentions if m.first > trigger]
    auxiliary = any(low[k] in w.auxiliaries for k in range(max(0, trigger - _AUXILIARY),
                                                               trigger))
    # an agent word after the trigger ("by"), or after a noun whose complement is its agent
    # ("un ataque de disidentes", not "el asesinato de un líder")
    agents = w.noun_agent | w.agent if low[trigger] in w.agent_nouns else w.agent
    agent = next((k for k in range(trigger + 1, min(len(low), trigger + 1 + _AGENT))
                  if low[k] in agents), None)
    roles: dict[str, _Mention] = {}
    if low[trigger] in w.victim_verbs:          # "two soldiers died", "mueren dos policías"
        victim = (before[-1] if before else after[0] if after and w.victim_follows
                  else None)
        if victim is not None:
            roles["actor2"] = victim
        return roles
    n = len(low)
    # a headline's passive without its auxiliary: "Two soldiers killed in ambush", "five
    # shot dead near the market"
    k = trigger + 1
    if k < n and low[k] in w.victim_verbs:
        k += 1
    reduced = low[trigger] in w.participles and (
        k == n or not low[k][:1].isalnum()
        or (low[k] in w.reduced_after and not (k + 1 < n and low[k + 1] in w.bound_words)
            # an actor right after a verb's own particle is its object: "shot at mercenaries"
            and not (low[k] in w.particles and any(k < m.first <= k + 2 for m in after))))
    if auxiliary or agent is not None or reduced:
        if before:
            roles["actor2"] = before[-1]
        if agent is not None:
            by = [m for m in after if m.first > agent]
            if by and by[0].first <= agent + 3:     # "by (the) (Syrian) soldiers"
                roles["actor1"] = by[0]
    else:
        if before:
            roles["actor1"] = before[-1]
        if after:
            roles["actor2"] = after[0]
    return roles


def find_actors(text: str, tokens: list[Token], triggers: list[int], language: str,
                context: list[Token] | None = None) -> list[Actor]:
    """The main pair of actors of a sentence from its tokens (article offsets) and the start
    offsets of the triggers that counted, in the sentence's order: the first trigger's
    roles, then later triggers' for a role still empty. A pronoun that refers back ("they")
    takes the type and country of the sentence's own actor before it ("Rebels said they
    had killed"), else of one of `context`, the previous sentence's tokens (its first actor
    for actor1, its last for actor2); without one, a pronoun is dropped (a longer phrase
    keeps its words with no type)."""
    w = words(language)
    if w is None or not tokens or not triggers:
        return []
    low = [t[0] for t in tokens]
    mentions = _mentions(w, low)
    if not mentions:
        return []
    chosen: dict[str, _Mention] = {}
    for offset in triggers:
        index = next((k for k, t in enumerate(tokens) if t[2] >= offset), None)
        if index is None:
            continue
        # the first trigger's roles; a later one only fills a role still empty, with an
        # actor not already cast ("8 civilians killed as a bomb hit": the civilians stay
        # the victims of the first)
        for role, mention in _roles(w, low, mentions, index).items():
            if role not in chosen and mention not in chosen.values():
                chosen[role] = mention
        if len(chosen) == 2:
            break
    for role, m in list(chosen.items()):
        if m.type == REFER:
            # "Rebels said they had killed": the sentence's own actor before the pronoun
            # and not cast in the other role ("soldiers fired at them" are not the soldiers),
            # else one of the previous sentence
            own = [x for x in mentions if x.last < m.first and x.type != REFER
                   and x not in chosen.values()]
            earlier = [x for x in _mentions(w, [t[0] for t in context or ()]) if x.type != REFER]
            if own or earlier:
                source = own[-1] if own else earlier[0] if role == "actor1" else earlier[-1]
                chosen[role] = _Mention(m.first, m.last, source.type, source.country_code)
            elif m.first == m.last:
                del chosen[role]            # a pronoun alone says nothing
            else:                           # "the attackers" still says someone attacked
                chosen[role] = _Mention(m.first, m.last, None, None)
    return _as_actors(text, tokens, chosen)


def find_parties(text: str, tokens: list[Token], states: list[tuple[int, int, str]],
                 triggers: list[int], language: str, agents: frozenset[str] = frozenset(),
                 agents_before: bool = False) -> list[Actor]:
    """The two parties of a diplomacy or aid sentence: the states and international bodies it
    names (`states`, the classifier's reading: first token, end token, country code or
    INT:body), by their place around the trigger, as find_actors reads actor nouns; two
    named before it and none after are its joint subject ("Chile and Peru signed").
    Parties have no type; a state has its country code, a body none. A state's words take
    in the agent nouns beside it ("the Peruvian government"; before it where the language
    puts them first, `agents_before`: "el Gobierno peruano")."""
    w = words(language)
    if w is None or not states or not triggers:
        return []
    low = [t[0] for t in tokens]
    parties: list[_Mention] = []
    codes: dict[int, str] = {}              # a party's first token -> its code
    for start, end, code in states:
        first, last = start, end - 1
        while agents_before and first > max(0, start - 2) and low[first - 1] in agents:
            first -= 1
        while not agents_before and last < min(len(low) - 1, end + 1) and low[last + 1] in agents:
            last += 1
        parties.append(_Mention(first, last, None, None if code.startswith("INT:") else code))
        codes[first] = code
    chosen: dict[str, _Mention] = {}
    for offset in triggers:
        index = next((k for k, t in enumerate(tokens) if t[2] >= offset), None)
        if index is None:
            continue
        roles = _roles(w, low, parties, index)
        if "actor1" in roles and "actor2" not in roles:
            # a joint subject: the first party before the trigger with the next other one
            before = [m for m in parties if m.last < index]
            other = [m for m in before if codes[m.first] != codes[before[0].first]]
            if other:
                roles = {"actor1": before[0], "actor2": other[0]}
        one, two = roles.get("actor1"), roles.get("actor2")
        if one is not None and two is not None and codes[one.first] == codes[two.first]:
            del roles["actor2"]         # one state named twice is one party
        if not chosen or len(roles) == 2:
            chosen = roles
        if len(chosen) == 2:
            break
    return _as_actors(text, tokens, chosen)


def _as_actors(text: str, tokens: list[Token], chosen: dict[str, _Mention]) -> list[Actor]:
    out = []
    for role in ("actor1", "actor2"):
        m = chosen.get(role)
        if m is not None:
            start, end = tokens[m.first][2], tokens[m.last][3]
            out.append(Actor(text[start:end], start, end, role, m.type, m.country_code))
    return out


def actors_of_text(text: str, trigger: str, language: str) -> list[Actor]:
    """find_actors on a sentence's text with its trigger's words (for tests and evaluate)."""
    at = text.lower().find(trigger.lower())
    return find_actors(text, tokenize(text), [at] if at >= 0 else [], language)
