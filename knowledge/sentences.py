"""The sentences of a message and which of them ask something: "Bonjour, j'accompagne des élèves de seconde.
Quelles études … ? Et il faut quel niveau d'anglais ?" holds a context sentence and two questions.

Plain functions on the raw text (offsets kept, so the NLU can pool the word vectors of one sentence). A second
question joined by "et" ("c'est quoi X et il faut quel niveau ?") is split where "et" is followed by a question
word. Used by the intent classifier (bot/intent_classifier.py) and the answer actions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold

# Words that open a question, folded: "quel", "combien", "est-ce que", "c'est quoi", "faut-il", "on peut"...
QUESTION_OPENERS = (r"quel|quelle|quels|quelles|kel|kels|combien|comment|cmt|pourquoi|pk|d'ou|dou|ou|qui|quoi|koi|"
                    r"lequel|laquelle|est[- ]ce|esque|eske|c'est quoi|cest quoi|c quoi|c koi|c'est qui|cest qui|c qui|"
                    r"qu'est|"
                    r"faut|il faut|fo|peut|peux|on peut|je peux|jpeux|y a|ya|il y a|avec qui|avec ki|a quoi|en quoi|"
                    r"existe|doit|dois|pourriez|pourrais|pouvez|pourrait|sauriez|saurais|savez|that|what|which|how|can|do|does|is|are")
_QUESTION_START = re.compile(r"^\W*(et\s+(?:aussi\s+|puis\s+|enfin\s+|surtout\s+)?|mais\s+|alors\s+|sinon\s+|"
                             r"aussi\s+)?(" + QUESTION_OPENERS + r")\b")
# A word that makes a sentence a question wherever it stands ("pour le MO il faut QUEL niveau")
_WH_ANYWHERE = re.compile(r"\b(quel|quelle|quels|quelles|kel|kels|combien|comment|pourquoi|quoi|koi|lequel|laquelle|"
                          r"d'ou|d ou|est-ce que|est ce que|est-ce qu|est ce qu|qu'est-ce|a quoi)\b"
                          # "le back bosse avec qui", "c'est pour qui": "qui" closing the clause asks whom
                          r"|\b(?:avec|pour|a|chez|de) (?:qui|ki)\s*(?:[?,;.!]|$)")
_ASKS = re.compile(r"\b(" + QUESTION_OPENERS + r")\b|-(t-)?(il|elle|on)\b"
                   # "savoir ce que fait…" asks too
                   r"|(?<!sans )\b(?:savoir|dire|expliquer|indiquer|preciser|comprendre) ce qu")
# Sentence ends (the mark stays with its sentence), and "et" before a question word starts a new question
_END = re.compile(r"[^.!?;\n]+[.!?;\n]*")
_AND_QUESTION = re.compile(r",?\s+(?=et\s)")
# "c koi le MO et ça paye bien ?": a clause of its own (a subject and its verb) asked after "et"
_AND_CLAUSE = re.compile(r"^et\s+(?:ca|il|elle|ils|elles|on|c'est|cest)\s+\w+[^?]*\?+\s*$")
# "j'aimerais savoir si …, et si …": a second indirect question
_IF_AGAIN = re.compile(r"^\s*(?:si|s'il|s'ils|s'elle|s'elles)\b")
_AND_IF = re.compile(r"^\W*et\s+(?:si|s'il|s'ils|s'elle|s'elles)\b(?!\s+(?:possible|besoin|oui|non)\b)")
# Thanks before a comma and a question ("merci, et le middle il voyage ?"): a sentence of its own
# ("merci 🙏 et l'anglais ?", "ok merci et ça paye bien ?", "ok cool et le middle ?": before "et", no comma needed)
_ACK = r"(?:ok|okay|oki|super|d'accord|dac|top|cool|parfait|g[ée]nial|bon|ah|ah ok|nickel|parfait)"
_THANKS_LEAD = re.compile(r"^\s*(?:" + _ACK + r"\s*,?\s+)?"
                          r"merci(?:\s+(?:beaucoup|bien|bcp|encore))?\s*(?:,\s*(?=\w)|[^\w\s]*\s*(?=et\s))"
                          r"|^\s*" + _ACK + r"(?:\s*,?\s*" + _ACK + r")?\s*[,!.]?\s+(?=et\s)", re.IGNORECASE)


# A greeting before a question, with or without a comma ("wesh c koi middl ofice stp"): a sentence of its own
_GREETING_LEAD = re.compile(r"^\s*(?:slt|salut|bonjour|bjr|bonsoir|coucou|cc|hello|hey|yo|wesh|hi)\b[\s,!.]*(?=\w)",
                            re.IGNORECASE)


# A short question that only points back at the sentence before it ("Un élève me demande si le BO intervient quand
# les clients ne paient pas. Qu'en dit la fiche ?", "… une école de commerce. La fiche en fait-elle mention ?")
_REFERS_BACK = re.compile(r"(qu'en|qu en|\ben (dit|disent|parle|parlent|fait|font|pense|pensez)|\ble mentionne|"
                          r"\bla mentionne|\bles mentionne|cela|ceci|ce parcours|ces parcours|ce cas|le cas\b|"
                          r"c'est possible|est-ce possible|c'est vrai|est-ce vrai|c'est juste|est-ce juste|"
                          r"c'est exact|est-ce exact|est ce exact|est-ce correct|c'est correct|est-ce bien le cas|"
                          r"a ce sujet|sur ce sujet|a ce propos|sur ce point|la-dessus|la dessus|qui a raison|"
                          r"vrai ou faux|si oui|si c'est le cas|m'en\b|nous en\b|me les\b|nous les\b|les citer|"
                          r"les lister|les nommer|me renseigner|nous renseigner|m'eclairer|nous eclairer|"
                          # "… les termes « front-office » et « back-office ». Comment la fiche définit-elle ces deux
                          # termes ?": the things named in the sentence before
                          r"\bces (?:deux|trois|2|3) (?:termes|mots|rubriques|sigles|notions|expressions|listes)|"
                          r"\bce (?:terme|mot|sigle)\b|\bcette (?:rubrique|notion|expression)\b|"
                          # "… chaque compétence est suivie d'un chiffre de 1 à 4. À quoi correspondent ces niveaux ?"
                          r"\bces (?:niveaux|chiffres|nombres|notes|codes|sigles|termes|mots|abreviations)\b|"
                          r"\bce (?:niveau|chiffre|nombre|code)\b)")
REFERS_BACK_WORDS = 12  # longer, the question carries its own subject
REACTION_WORDS = 6  # "Cela m'étonne un peu.", "J'ai un doute.": a reaction, not the claim a question points at
_REACTION = re.compile(r"\b(?:etonne|etonnee|etonnant|surpren\w*|surpris|surprise|doute|doutes|sceptique|perplexe|"
                       r"inquiet|inquiete|incroyable|bizarre|j'y crois pas|pas sur|pas sure|pas convaincue?)\b")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    question: bool  # ends with "?" or opens with a question word


# "une matière dans laquelle elle a des difficultés", "le poste pour lequel il postule": relative pronouns after a
# preposition, not questions (unless "… lequel des deux")
_RELATIVE = re.compile(r"\b(?:dans|par|pour|sur|avec|sans|sous|vers|chez|selon|entre|parmi|a|de|durant|pendant)\s+"
                       r"(?:lequel|laquelle|lesquels|lesquelles)\b(?!\s+(?:des deux|d'entre))")


# "savoir ce que…", "comprendre concrètement ce qu'elle ferait"
_INDIRECT = re.compile(r"(?<!sans )\b(?:savoir|dire|expliquer|indiquer|preciser|comprendre)"
                       r"(?:\s+(?:concretement|exactement|precisement|vraiment|clairement|mieux|bien))? ce qu"
                       # "j'aimerais comprendre à qui il est adressé": an indirect question on a wh-word
                       r"|(?<!sans )\b(?:savoir|dire|expliquer|indiquer|preciser|comprendre)\s+(?:a qui|avec qui|"
                       r"pour qui|quand|comment|pourquoi|combien|quel|quelle|quels|quelles|lequel|laquelle)\b"
                       # "elle se demande si…", "j'aimerais savoir si…": a question asked indirectly
                       r"|\b(?:savoir|demande|demandait|demandent|demandaient|dire|indiquer|preciser|confirmer|"
                       r"comprendre)"
                       r"(?:\s+(?:aussi|egalement|donc|alors|encore|notamment))? (?:si|s'il|s'ils|s'elle|s'elles)\b"
                       # "j'aimerais avoir une idée de la rémunération…": a question, politely put
                       r"|\b(?:aimerais|voudrais|souhaiterais|souhaite|voulais|aimerions|voudrions)\s+"
                       r"(?:aussi\s+|egalement\s+|bien\s+)?(?:avoir une idee|en savoir plus|connaitre|savoir)\b"
                       # "je serais également intéressée par les diplômes…", "merci de m'indiquer…"
                       r"|\b(?:serais|serions|suis|sommes)\s+(?:aussi\s+|egalement\s+|tres\s+)?(?:interesse|"
                       r"interessee|interesses|interessees|curieux|curieuse)\s+(?:par|de)\b"
                       r"|\bmerci de (?:bien vouloir\s+)?(?:m'|me\s+|nous\s+)?"
                       r"(?:indiquer|preciser|dire|expliquer|detailler)\b"
                       r"|\bvous serais (?:tres\s+)?reconnaissante? de (?:bien vouloir\s+)?(?:m'|me\s+|nous\s+)?"
                       r"(?:indiquer|preciser|dire|expliquer|detailler)\b"
                       # "pourriez-vous me citer…", "peux-tu me dire…": a request, wherever it stands
                       r"|\b(?:pourriez|pouvez|pourrais|peux|sauriez|voudriez)[- ](?:vous|tu)\b"
                       # "son métier est-il cité", "les horaires sont-ils stables": the subject after its verb
                       r"|\b[a-z]+-(?:t-)?(?:il|elle|ils|elles|on)\b")


def _asks(folded: str) -> bool:
    """Whether a piece of a sentence asks something (an opener, an inverted subject, an indirect question)."""
    return bool(_ASKS.search(folded) or _INDIRECT.search(folded))


# "elle ne sait pas trop vers quoi se diriger", "je sais plus quel métier choisir": what the writer does not know
_NOT_KNOWING_HEAD = (r"\b(?:sai[st]|savons|savez|savent|savait|savais|hesite|hesitent|sans savoir)\s+"
                     r"(?:pas|plus|encore)?\s*"
                     r"(?:trop\s+|vraiment\s+|bien\s+|encore\s+|precisement\s+|exactement\s+|clairement\s+|"
                     r"tres bien\s+|au juste\s+)?(?:vers\s+|sur\s+|a\s+|dans\s+|de\s+|en\s+)?"
                     r"(?:quoi|quel|quelle|quels|quelles|comment|ou|lequel|laquelle|ce qu)\b")
_NOT_KNOWING = re.compile(_NOT_KNOWING_HEAD + r"[^?]*\.\s*$")
# "je sais pas trop quoi faire, c'est quoi le back office": the same statement before a comma and a question
_NOT_KNOWING_CLAUSE = re.compile(_NOT_KNOWING_HEAD + r"[^?,]*$")
_COMMA = re.compile(r",\s*")
_COLON = re.compile(r"\s*:\s+")
_POINTS_BACK = re.compile(r"^\W*(?:c'est|c est|cest|c|ca|il|elle|est-ce|est ce|esque)\b")  # "… : c'est cité ?"
# "slt jsuis en bts, c quoi le middle office": the writer's own situation before a comma and a question
_OWN_SITUATION = re.compile(r"^\W*(?:(?:slt|salut|bonjour|bjr|coucou|hello|hey|yo|moi|alors|bon|ok)\W+)*"
                            r"(?:je suis|jsuis|chui|j'suis|je fais|jfais|je prepare|j'ai|jai|je passe|je viens d'avoir|"
                            r"mon fils|ma fille)\b[^?,]*$")
# ... before a question of what something is ("c quoi le middle office", "le back office c'est quoi en gros ?")
_WHAT_IS = re.compile(r"\b(?:c'est quoi|cest quoi|c quoi|c koi|c'est koi|cest koi|qu'est-ce que c'est|"
                      r"qu'est ce que c'est|qu'est-ce qu'un|qu'est-ce qu'une|fait quoi|fait koi|fais quoi)\b")
# ... unless the question needs it: it speaks of the writer ("je peux passer au back-office ?", "ya quoi pr moi"),
# points back at it ("ce niveau", "celui que cite la fiche") or asks whether a path is open ("ça passe ?")
_NEEDS_SITUATION = re.compile(r"\b(?:je|j|jsuis|jpeux|jveux|jpourrai|jpourrais|moi|mon|ma|mes|me|m|nous|notre|nos|"
                              r"ce|cet|cette|ces|celui|celle|ceux|cela|ceci|ca|sa|ou|fiche|possible|accessible|suffit|"
                              r"suffisant|passe|peut|peux|pourra|pourrait|ok|bon|adapte|fait pour|pour qui|convient)\b"
                              r"|[jm]'")


# "je travaille en agence, …, un collègue m'a parlé du BO, il paraît que c'est plus calme, est-ce que c'est vrai ?":
# what was heard, then "is it true?" — the claim heard is the question, the writer's story before it the context
_HEARSAY = re.compile(r",\s*(?=(?:et\s+|mais\s+)?(?:il para[iî]t|on (?:m'a|m’a|nous a|me|lui a) dit|on dit|"
                      r"j'ai (?:entendu|lu)|j’ai (?:entendu|lu)|apparemment)\b)", re.IGNORECASE)
_IS_IT_TRUE = re.compile(r"(?:c'est|est-ce que c'est|est ce que c'est|est-ce|est ce|c|cest)\s+(?:vrai|juste|exact|"
                         r"correct|le cas)(?:\s+ou\s+(?:pas|faux))?\s*\?*\s*$")


# "… deux questions :", "ma question est la suivante :", "je voudrais savoir ceci :": what announces the questions
_ANNOUNCES = re.compile(r"\b(?:questions?|interrogations?|(?:la|les) suivantes?|ceci|voici|suivant)\s*$")
# "d'une part X, et d'autre part Y ?": the second question of a formal pair
_OTHER_PART = re.compile(r"(?<!\bet)(?:,\s*|\s+)(?=(?:et\s+)?d'autre part\b)", re.IGNORECASE)
_CONNECTOR_LEAD = re.compile(r"\s*(?:et\s+)?(?:ainsi que|de m[eê]me que|d'autre part)\s*,?\s*", re.IGNORECASE)
# "quelles qualités …, ainsi que les voies d'orientation après la troisième": a second thing asked, not the same
# question of another subject ("ainsi que pour le middle-office", "ainsi que celles du back-office")
_AS_WELL_AS = re.compile(r",\s*(?=(?:ainsi que|de meme que|de même que)\s+(?:les?|la|l'|leurs?|ses|son|sa|sur|"
                         r"quel|quelle|quels|quelles|si|comment|combien)\b)", re.IGNORECASE)


def _context_cuts(chunk: str) -> list[int]:
    """Where a statement of not knowing, or of the writer's own situation, ends at a comma and a question starts. The
    writer's situation stays with a question that needs it ("jsuis en bac pro GA, ya quoi comme métier pr moi" needs
    the diploma to find the job); before a question of what something is ("jsuis en 1ere stmg, le back office c quoi
    ?") it is context, still read by the answers on the student's path."""
    if _IS_IT_TRUE.search(fold(chunk)):
        heard = [m.end() for m in _HEARSAY.finditer(chunk)]
        if heard:
            return heard[-1:]
    # "Mon fils est plutôt réservé : le métier exige-t-il du contact avec la clientèle ?": what the writer tells of
    # themselves before a colon, then a question — context, still read by the answers on the student's path
    # (not a question that needs what was told: "je suis en 1ère générale spé maths : c'est cité pour le BO ?")
    told = [m.end() for m in _COLON.finditer(chunk)
            if _OWN_SITUATION.match(fold(chunk[:m.start()])) and _is_question(chunk[m.end():])
            and not _NEEDS_SITUATION.search(fold(chunk[m.end():])) and not _POINTS_BACK.match(fold(chunk[m.end():]))]
    # "Nous habitons en province et nous nous posons deux questions : sera-t-elle …": the questions announced
    told += [m.end() for m in _COLON.finditer(chunk)
             if _ANNOUNCES.search(fold(chunk[:m.start()])) and len(chunk[:m.start()].split()) >= MIN_CUT_WORDS
             and _is_question(chunk[m.end():])]
    told.sort()
    return told[:1] + [m.end() for m in _COMMA.finditer(chunk)
                       if _cuts_as_context(fold(chunk[:m.start()]), fold(chunk[m.end():]))]


# "Cordialement, M.", "Bien à vous,", "Avec mes remerciements": a sign-off; what follows it is the writer's signature
SIGN_OFF_WORDS = (r"(?:cordialement|bien a vous|salutations|respectueusement|avec mes remerciements|merci d'avance|"
                  r"merci par avance)")
_SIGN_OFF = re.compile(r"^\W*(?:bien\s+|tres\s+|sinceres\s+)?(?:a vous|" + SIGN_OFF_WORDS + r")\b")


def signature_start(parts: list[Sentence]) -> int:
    """The index of the first sentence of a message's closing sign-off ("Cordialement, M. Benali, conseiller au CIO":
    the writer's signature, no context of the question), or len(parts) when it has none."""
    return next((i for i, part in enumerate(parts) if not part.question and _SIGN_OFF.match(fold(part.text))),
                len(parts))


def situation_told_first(text: str) -> int:
    """Where the writer's own situation told first ends ("je suis en BTS MCO en alternance, est-ce que mon BTS est
    cité … ?": after the comma), or 0. Kept with its question, it still is no subject asked: "en alternance" is how
    the student studies, not a question about work-study."""
    for comma in _COMMA.finditer(text):
        if _OWN_SITUATION.match(fold(text[:comma.start()])) and _is_question(text[comma.end():]):
            return comma.end()
    return 0


def _cuts_as_context(before: str, after: str) -> bool:
    if _NOT_KNOWING_CLAUSE.search(before):
        return bool(_QUESTION_START.match(after))
    return bool(_OWN_SITUATION.match(before) and _WHAT_IS.search(after) and not _NEEDS_SITUATION.search(after))


# A comma, then a word that opens a question of its own
_COMMA_QUESTION = re.compile(r",\s*((?:et\s+)?(?:quel|quelle|quels|quelles|kel|kels|combien|comment|pourquoi|"
                             r"c'est quoi|c quoi|c koi|qu'est-ce|est-ce qu|est ce qu|avec qui|lequel|laquelle|"
                             r"faut|il faut|fo|y a|ya|il y a|(?:quoi|koi)\s+comme)\b)", re.IGNORECASE)
# ... or a clause with its own subject that ends on a question word ("on y vient de quels métiers, ça mène à quoi
# ensuite ?")
_COMMA_CLAUSE = re.compile(r",\s*((?:et\s+)?(?:ca|ça|il|elle|on|c'est|cest)\s+[^,?.;]*?"
                           r"\b(?:quoi|koi|qui|où|combien|comment)\b)", re.IGNORECASE)
_COMMA_SUBJECT = re.compile(r",\s*((?:il|elle|on|ca|ça|c'est|cest)\s+[a-z]\w*)", re.IGNORECASE)
MIN_CUT_WORDS = 3  # "quel bac, quelle licence … ?": a word or two before the comma ask nothing of their own


def _last_cut(cuts: list[int], before: int) -> int:
    return max((c for c in cuts if c <= before), default=0)


def _is_question(text: str) -> bool:
    # "on peut aller où, et …": "où" (its accent tells it from "ou") closing a clause; "back office : avec qui il
    # travaille, …": the question after what it is about
    after_colon = text.rsplit(":", 1)[-1] if ":" in text else ""
    return (_plainly_asks(text) or _wh_inside(text) or bool(_WHERE_CLOSING.search(text))
            or bool(after_colon.strip()) and bool(_QUESTION_START.match(fold(after_colon))))


_WHERE_CLOSING = re.compile(r"\boù\s*(?:[?,;.!]|$)", re.IGNORECASE)


# "J'aimerais aussi connaître le nombre de …", "Nous voudrions savoir …": a request for information, closed by a full
# stop, is a question of a formal message
_REQUEST = re.compile(r"^\W*(?:(?:et|aussi|enfin|egalement|par ailleurs|de plus)\W+)?"
                      r"(?:j'aimerais|j aimerais|jaimerais|je voudrais|je souhaiterais|je souhaite|nous aimerions|"
                      r"nous voudrions|nous souhaiterions|nous souhaitons|j'aurais aime|il me faudrait)"
                      r"(?:\s+(?:aussi|egalement|donc|encore|bien|beaucoup|vivement|pouvoir))*"
                      r"\s+(?:savoir|connaitre|avoir|obtenir|indiquer|comprendre|recevoir|mieux comprendre|"
                      r"en savoir)\b")


def _plainly_asks(text: str) -> bool:
    """A "?", a question word first, or a question asked indirectly ("pourriez-vous m'indiquer…", "j'aimerais
    connaître…")."""
    folded = fold(text)
    return bool(folded.rstrip().endswith("?") or _QUESTION_START.match(folded) or _INDIRECT.search(folded)
                or _AND_IF.match(folded) or _REQUEST.match(folded))


def asks_with_question_word(text: str) -> bool:
    """Whether a sentence asks with a question word of its own ("le back-office fait quoi,"), not only by its "?"
    ("et le middle ?")."""
    return _wh_inside(text)


def _wh_inside(text: str) -> bool:
    """A question word inside the sentence ("pour le MO il faut quel niveau"), not a relative ("dans laquelle")."""
    folded = fold(text)
    relatives = [m.end() for m in _RELATIVE.finditer(folded)]
    return any(m.end() not in relatives for m in _WH_ANYWHERE.finditer(folded))


# "1) …", "2. …", "a) …", "- …", "• …": how a list of questions numbers them (no word of the question)
_ENUMERATOR = re.compile(r"(?:\(?(?:\d{1,2}|[a-c])\s*[).]|[-•*–])\s+")


# "pardon je me suis mal exprimé : …", "ah dsl je voulais dire …", "non je parlais du …": the student corrects
# themself; what follows carries the question
_REPAIR_LEAD = re.compile(
    r"^(?:(?:ah|oh|oups|oops|non|nan|pardon|dsl|desole|desolee|excuse|excusez|excuse-moi|excusez-moi|sorry|mb|"
    r"my bad|en fait|enfait)\b[\s,!.:]*)*"
    r"(?:je me suis (?:mal exprimee?|trompee?|mal explique|mal expliquee)\b[\s,!.:]*)?"
    r"(?:je voulais dire|je voulais parler (?:du|de la|des|de l'|d')|je parlais (?:du|de la|des|de l'|d')|"
    r"je pensais (?:au|a la|aux|a l')|je demandais|ma question (?:c'etait|portait sur|concernait))\s*:?\s*")
_REPAIR_FOCUS = re.compile(r"^(?:(?:ah|oh|non|pardon|dsl|desole|desolee)\b[\s,!.:]*)*"
                           r"(?:je me suis mal exprimee?[\s,!.:]*)?"
                           r"c'est (.+?) que je (?:voulais|veux) (?:savoir|dire|demander|connaitre)\s*[.!?]*$")


def repaired(text: str) -> str:
    """The part of a self-correction that asks something ("ah dsl je voulais dire middle office pas manager" -> "middle
    office pas manager"; "pardon, c'est l'expérience demandée que je voulais savoir" -> "l'expérience demandée"); the
    text itself when it corrects nothing."""
    folded = fold(text or "")
    focus = _REPAIR_FOCUS.match(folded)
    if focus:  # what the student wanted to know: an open question about it (never a "oui" to a noun)
        return f"c'est quoi {focus.group(1)} ?"
    lead = _REPAIR_LEAD.match(folded)
    if lead and lead.end() and re.search(r"\w", folded[lead.end():]) and re.search(
            r"voulais|parlais|pensais|demandais|question|exprime|trompe", folded[:lead.end()]):
        return folded[lead.end():]
    return text


def sentences(text: str) -> list[Sentence]:
    """The message's sentences in order, with their offsets in `text`; blank pieces dropped."""
    found: list[Sentence] = []
    for match in _END.finditer(text or ""):
        pieces = [(match.start(), match.end())]
        second: list[int] = []
        chunk = match.group(0)
        # "c'est quoi X et ça évolue vers quoi ?": cut at "et" when both sides ask something of their own
        # (the part after "et" must be a question itself: "notamment les horaires et les déplacements, ainsi que la
        # rémunération à laquelle un débutant peut prétendre" is one request, its "peut" in a relative clause)
        ands = list(_AND_QUESTION.finditer(chunk))
        # what follows an "et" up to the next one: "les fiches du middle-office ET du back-office parlent de l'anglais,
        # et à quel niveau ?" is cut before the second "et" only (the question word is the next part's)
        ends = [m.start() for m in ands[1:]] + ([len(chunk)] if ands else [])
        cuts = [m.end() for m, end in zip(ands, ends, strict=True)
                if _asks(fold(chunk[:m.start()])) and ((_asks(fold(chunk[m.end() + 2:end]))
                                                        and _is_question(chunk[m.end():]))
                                                       or _AND_CLAUSE.match(fold(chunk[m.end():])) or (
                    _IF_AGAIN.match(fold(chunk[m.end() + 2:])) and _INDIRECT.search(fold(chunk[:m.start()]))
                    and not _REFERS_BACK.search(fold(chunk[m.end() + 2:]))))]  # "et si la fiche en parle": one
        # "quel bac, quelle formation après le bac et ça paye combien ?": a question word after a comma, behind a
        # question of its own, starts another question
        cuts += [m.start(1) for pattern in (_COMMA_QUESTION, _COMMA_CLAUSE) for m in pattern.finditer(chunk)
                 if _is_question(chunk[_last_cut(cuts, m.start()):m.start()])
                 and len(chunk[_last_cut(cuts, m.start()):m.start()].split()) >= MIN_CUT_WORDS]
        # "il bosse avec qui, il voyage beaucoup, et il encadre des gens ?": a clause of its own subject between two
        # questions of a list is one more
        later = max(cuts, default=0)
        listed = {m.start(1) for m in _COMMA_SUBJECT.finditer(chunk)
                  if m.start() < later and m.start(1) not in cuts
                  and _wh_inside(chunk[_last_cut(cuts, m.start()):m.start()])
                  and not _INDIRECT.search(fold(chunk[_last_cut(cuts, m.start()):m.start()]))
                  and len(chunk[_last_cut(cuts, m.start()):m.start()].split()) >= MIN_CUT_WORDS}
        cuts += sorted(listed)
        # "d'une part …, et d'autre part …", "…, ainsi que les …": a second question of a formal sentence
        second = [m.end() for pattern in (_OTHER_PART, _AS_WELL_AS) for m in pattern.finditer(chunk)
                  if m.end() not in cuts and _is_question(chunk[_last_cut(cuts, m.start()):m.start()])
                  and len(chunk[m.end():].split()) >= MIN_CUT_WORDS + 1]
        cuts += second
        listed |= set(second)  # asked as the question before it was, even without its own question word
        # (a greeting is cut only from a question: "salut jsuis en 1ere stmg, …" has its context)
        greeting = _GREETING_LEAD.match(chunk) if not _context_cuts(chunk) else None
        if greeting and cuts and not _QUESTION_START.match(fold(chunk[greeting.end():min(cuts)])):
            greeting = None  # "slt c koi le MO, faut koi comme études" is cut; "salut, le BO et …" keeps its subject
        thanks = _THANKS_LEAD.match(chunk) or greeting
        if thanks and _is_question(chunk[thanks.end():]):
            cuts = [thanks.end(), *(c for c in cuts if c > thanks.end())]
        context_ends = _context_cuts(chunk)[:1]
        cuts = sorted({*context_ends, *cuts})
        if cuts:
            bounds = [0, *cuts, len(chunk)]
            pieces = [(match.start() + a, match.start() + b) for a, b in zip(bounds, bounds[1:], strict=False)]
        for start, end in pieces:
            piece = text[start:end]
            if not re.search(r"\w", piece):
                continue
            lead = len(piece) - len(piece.lstrip())
            enumerator = _ENUMERATOR.match(piece[lead:])
            if enumerator and re.search(r"\w", piece[lead + enumerator.end():]):
                lead += enumerator.end()  # "2) quelles formations … ?": the question, without its number
            connector = _CONNECTOR_LEAD.match(piece[lead:]) if start - match.start() in second else None
            if connector and re.search(r"\w", piece[lead + connector.end():]):
                lead += connector.end()  # "ainsi que les perspectives …": the question, without what joined it
            stripped = piece[lead:].strip()
            context = end - match.start() in context_ends
            found.append(Sentence(start + lead, start + lead + len(stripped), stripped, not context and (
                _is_question(stripped) or start - match.start() in listed
                or (end == len(text.rstrip()) and len(found) == 0))))
    if any(s.question and _plainly_asks(s.text) for s in found):
        # "… elle ne sait pas vers quoi se diriger. Pourriez-vous m'indiquer … ?": beside a sentence that plainly
        # asks, a statement of not knowing closed by a full stop tells the context
        found = [Sentence(s.start, s.end, s.text, False)
                 if s.question and not _plainly_asks(s.text) and _NOT_KNOWING.search(fold(s.text)) else s
                 for s in found]
    return _joined_back(found, text or "")


def _joined_back(found: list[Sentence], text: str) -> list[Sentence]:
    """A question that only refers back ("Qu'en dit la fiche ?") is one question with the sentence it points at."""
    joined: list[Sentence] = []
    for sentence in found:
        folded = fold(sentence.text)
        previous = joined[-1] if joined else None
        # the sentence before may ask indirectly ("elle se demande si …. Qu'en dit la fiche ?"): one question still
        if (previous is not None and not previous.text.endswith("?") and sentence.question
                and len(folded.split()) <= REFERS_BACK_WORDS and _REFERS_BACK.search(folded)):
            # "… affirme qu'il passe sa vie dans les avions. Cela m'étonne un peu. Est-ce vrai ?": a short reaction
            # between the claim and the question points at the claim before it
            if (len(joined) > 1 and not joined[-2].question and not previous.question
                    and len(fold(previous.text).split()) <= REACTION_WORDS and _REACTION.search(fold(previous.text))):
                previous = joined.pop(-2)
            joined[-1] = Sentence(previous.start, sentence.end, text[previous.start:sentence.end], True)
        else:
            joined.append(sentence)
    return joined
