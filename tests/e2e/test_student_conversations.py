"""Six sets of student conversations, written apart from the training data (tests/e2e/student_conversations*.yml),
asked of the running bot over REST with fresh senders. Sets A and B (whole topics, follow-ups, gaps): at least
95 % right. Sets C and D (precise questions: yes/no, one attribute, filters, two topics), each written by a
helper who saw only the job sheets: C was seen once while building the answer planner; D was measured before
and after it and never looked into (its bar sits a few points under its measured score). Set E (189 conversations
over every topic and kind of question, by a helper who saw only the sheets) was measured before and after the
performance work of issue 10 (85.7 % both times with ../shared/eval's runner, 86.2 % with these macros) and
never looked into.

A reply passes when, folded (lowercase, no accents), it contains the expected concepts (any alternative of
a list counts; `min` of them when given) and none of the `must_not` strings. Macros: HONEST (the bot says
the sheet doesn't give it), SCOPE (it says what it can help with), FACTS (words of the sheets' facts).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.chat import Chat, fold

HERE = Path(__file__).resolve().parent
MACROS = {
    "HONEST": ["ne donne pas", "ne donnent pas", "ne precise pas", "pas d'information", "n'en parle pas",
               "ne parle pas", "ne cite pas", "ne cite rien", "ne le cite pas", "ne classe pas"],
    "SCOPE": ["middle-office", "back-office", "je ne peux pas", "je ne connais que"],
    "FACTS": ["valorisation", "monetique", "reclamation", "echeance", "reporting", "succession",
              "reglement-livraison", "bts banque", "licence professionnelle", "tableau de bord"],
}


def _alternatives(concept, macros: dict | None = None) -> list[str]:
    options = concept if isinstance(concept, list) else [concept]
    macros = {**MACROS, **(macros or {})}
    return [fold(x) for option in options for x in macros.get(str(option), [str(option)])]


def _forbidden(turn: dict, reply: str, macros: dict | None = None) -> list[str]:
    return [alt for c in turn.get("must_not", []) for alt in _alternatives(c, macros) if alt in reply]


def _turn_ok(turn: dict, reply: str, macros: dict | None = None) -> bool:
    concepts = turn.get("must", [])
    hits = sum(any(alt in reply for alt in _alternatives(c, macros)) for c in concepts)
    return hits >= turn.get("min", len(concepts)) and not _forbidden(turn, reply, macros)


BARS = {"student_conversations.yml": 0.95, "student_conversations_b.yml": 0.95, "student_conversations_c.yml": 0.78,
        "student_conversations_d.yml": 0.80, "student_conversations_e.yml": 0.82, "student_conversations_f.yml": 0.84,
        "student_conversations_i.yml": 0.74, "student_conversations_j.yml": 0.79, "student_conversations_k.yml": 0.73,
        "student_conversations_l.yml": 0.79, "student_conversations_q.yml": 0.85, "student_conversations_r.yml": 0.74,
        "student_conversations_s.yml": 0.68, "student_conversations_u.yml": 0.88, "student_conversations_v.yml": 0.66,
        "student_conversations_w.yml": 0.60, "student_conversations_x.yml": 0.92, "student_conversations_y.yml": 0.60,
        "student_conversations_z.yml": 0.82, "student_conversations_z2.yml": 0.68,
        "student_conversations_aa.yml": 0.80, "student_conversations_ab.yml": 0.88,
        "student_conversations_ac.yml": 0.80, "student_conversations_ad.yml": 0.92,
        "student_conversations_ae.yml": 0.83, "student_conversations_af.yml": 0.93,
        "student_conversations_ag.yml": 0.95, "student_conversations_ah.yml": 0.90,
        "student_conversations_ai.yml": 0.88, "student_conversations_aj.yml": 0.80,
        "student_conversations_ak.yml": 0.70, "student_conversations_al.yml": 0.88,
        "student_conversations_am.yml": 0.88, "student_conversations_an.yml": 0.56,
        "student_conversations_ao.yml": 0.88, "student_conversations_ap.yml": 0.90,
        "student_conversations_aq.yml": 0.82, "student_conversations_ar.yml": 0.66,
        "student_conversations_as.yml": 0.92, "student_conversations_at.yml": 0.92,
        "student_conversations_au.yml": 0.45, "student_conversations_av.yml": 0.80,
        "student_conversations_aw.yml": 0.90, "student_conversations_ax.yml": 0.80,
        "student_conversations_ay.yml": 0.90, "student_conversations_az.yml": 0.95,
        "student_conversations_ba.yml": 0.88, "student_conversations_bb.yml": 0.88,
        # set BC: written apart on 2026-12-07 (night), measured blind at 84.7 % with 2 wrong "oui" (the session's
        # start and after its first answer commits alike), then 85.9 % and 0 once those two turns were looked at
        "student_conversations_bc.yml": 0.84}
# Set F (200 conversations of issue 19's kinds, 61 closed questions whose true answer is not yes) was written against
# ../shared/eval/run_eval.py's macros: its HONEST list, copied here so that CI needs no folder beside the clone.
# Measured with that runner: 52.5 % and 17 wrong "oui" before issue 19's gate, 66.5 % and 6 after it, 82.0 % and 6 at
# the end of that session (comparisons, counts, several questions, dialogue state); 85.0 % and 1 the next session;
# 87.0 % and 0 after the student's remembered path, refer-backs and minimums ("au moins 5 ans"). Its bar sits under.
RUNNER_HONEST = [
    "pas d'information", "pas d'informations", "aucune information", "ne dispose pas", "ne precise pas",
    "ne mentionne pas", "n'indique pas", "ne dit pas", "ne donne pas", "ne contient pas", "ne parle pas",
    "n'en parle pas", "n'aborde pas", "ne le precise pas", "je ne sais pas", "je n'ai pas", "pas mentionne",
    "pas precise", "pas indique", "ne figure pas", "ne figurent pas", "pas dans", "n'ai pas cette",
    "pas cette information", "ne couvre pas", "ne traite pas", "ne renseigne pas", "pas renseigne", "malheureusement",
    "non disponible", "pas disponible", "ne cite pas", "ne le cite pas", "ne la cite pas", "ne les cite pas",
    "pas d'apres sa fiche", "n'a pas de fiche"]
# Set I (178 conversations, 55 closed questions whose true answer is not yes; issue 19's kinds and the student's own
# path, follow-ups, terms, formal, SMS, gaps) was written by a helper who saw only the sheets and the runner, after
# this session's answer changes were made and before they were measured: 71.3 % and 6 wrong "oui" with the previous
# session's code and model, 73.6 % and 5 after; 77.0 % and 2 after the next session's gate on things named
# (reporting "pour les clients"), hedged facts and "uniquement". Never looked into; its bars sit under the measure.
# Set J (151 conversations, 40 closed questions whose true answer is not yes; comparisons, the student's path,
# terms, sessions, formal, SMS) was written the same way at the start of that next session, before its changes:
# 78.1 % and 2 wrong "oui" at its start, 81.5 % and 1 after the gate and training batch j. Never looked into.
# Set K (181 conversations, 62 closed questions whose true answer is not yes; sessions, formal, SMS, two questions in
# one, comparisons, the student's path, terms) was written the same way at the start of the session after: 74.6 % and
# 3 wrong "oui" at its start, 75.7 % and 2 at its end (formal 58.8 -> 76.5 %). Never looked into.
# Set L (183 conversations, 61 closed questions whose true answer is not yes among 85 turns that forbid "oui";
# closed questions, own path, comparisons, terms, sessions, formal, SMS, counts, two in one) was written the same way
# at the start of the session after K: 79.2 % and 1 wrong "oui" at its start, 80.9 % and 1 at its end (sessions 47 %,
# formal 58 %, comparisons 64 %: the kinds still to learn). Never looked into.
# Set Q (160 conversations: sessions, formal, comparisons, closed questions, own path, SMS) was written the same way at
# the start of the session after L, then looked into as that session's development set: 70.6 % and 4 turns forbidding
# "oui" answered "oui" at its start, 88.1 % and 0 at its end. Its bar sits under.
# Set R (140 conversations: 60 whole sessions of short follow-ups, 40 formal, 20 SMS, 20 closed questions) was written
# the same way in that session, after half of its changes: 75.0 % and 1 turn answered "oui" against its expectations
# when first measured, 77.1 % and 1 at the session's end (sessions 53 -> 58 %). Never looked into.
# Set S (120 conversations: 45 sessions, 20 formal, 25 closed questions whose true answer is not yes, 15 SMS, 15
# comparisons; 45 turns forbid "oui") was written the same way at the start of the session after R, and measured
# before any of its changes: 63.3 % and no turn answered "oui" against its expectations; 71.7 % and none at the
# session's end (sessions 42 -> 60 %, formal 50 -> 60 %). Never looked into.
# Sets U (90 conversations: sessions, formal, closed questions, own path, terms) and V (70: long phone sessions of
# 5-9 turns, formal) were written the same way in that session as its development sets and looked into: U 72.2 ->
# 91.1 %, V 47.1 -> 70.0 % (turns answered "oui" against their expectations: V 7 -> 3, none of them closed questions).
# Set W (120 conversations: 40 sessions, 15 own path, 25 closed questions whose true answer is not yes, 15 long formal
# messages, 15 SMS and the sheets' terms, 10 others; 81 turns forbid "oui") was written the same way at the start of
# the session after S, and measured before any of its changes: 58.3 % and 1 turn answered "oui" against its
# expectations; 63.3 % and 1 at the session's end (formal 13 -> 33 %, sessions 45 -> 50 %); 64.2 % at the end of the
# session after it. Never looked into.
# Set X (40 conversations: 25 long formal messages of one to three questions, 15 sessions) was written the same way
# in that session as its development set and looked into: 72.5 -> 97.5 %.
# Set Y (120 conversations: 30 closed questions whose true answer is mostly not yes, 35 sessions, 20 long formal
# messages, 15 own path, 10 SMS and the sheets' terms, 10 comparisons; 83 turns forbid "oui") was written the same way
# at the start of the session after W and measured before any of its changes: 61.7 % and 1 turn answered "oui"
# against its expectations (none a closed question); 63.3 % and 1 at the session's end. Never looked into.
# Sets Z (80: closed questions, sessions, formal, own path) and Z2 (70: formal, SMS and terms, sessions) were written
# the same way in that session as its development sets and looked into: Z 68.8 -> 86.2 %, Z2 61.4 -> 72.9 %.
# Set AA (110 conversations: 25 closed questions whose true answer is not yes, 8 whose answer is yes, 25 sessions,
# 15 long formal messages, 12 own path, 15 SMS and the sheets' terms, 10 comparisons; 50 turns forbid "oui") was
# written the same way at the start of the session after Z and measured before any of its changes: 80.0 % and 1 turn
# answered "oui" against its expectations; 84.5 % and 0 at the session's end. Never looked into.
# Set AB (90: closed questions, sessions, formal, own path, SMS and terms, comparisons) was written the same way in
# that session as its development set and looked into: 76.7 -> 92.2 %.
# Set AC (100: 22 closed questions whose true answer is not yes, sessions, formal, own path, SMS and terms,
# comparisons; 55 turns forbid "oui") was written the same way at the start of the next session and measured before
# any of its changes: 84.0 % and 3 turns answered "oui" against its expectations; 83.0 % and 3 at the session's end
# (formal 83.3 -> 75.0 %, the rest unchanged); this test counts its closed-question turns only: 1 wrong "oui".
# Never looked into.
# Set AD (90: 45 closed questions whose true answer is not yes, 15 yes, 30 follow-ups) was written the same way in that
# session as its development set and looked into: 84.4 % and 2 wrong "oui" when first measured, 95.6 % and 0 at the end.
# Set AV (120 conversations: closed questions not yes, comparisons, own paths, formal, noisy, sessions, two or three
# questions at once; 59 closed turns not yes) was written on 2026-12-07 from the two sheets only, measured before and
# after that session's changes (85.8 % and 1 wrong "oui" both times) and never looked into. Set AW (70 conversations of
# the same kinds, by another helper) was that session's development set: 81.4 % and 1 wrong "oui" at first, 95.7 % and
# 0 after.
# Set AY (110 conversations in ten kinds: closed questions not yes and yes, comparisons, own paths, the sheets' terms,
# sessions, formal, noisy, two or three questions at once, edge cases; 30 closed turns not yes) was written on
# 2026-12-07 (afternoon) from the two sheets and the runner's README only, measured before and after that session's
# changes (94.5 % and 0 wrong "oui" both times, no case changed) and never looked into.
# Set AZ (165 conversations in eleven kinds, counts added to AY's; 59 closed turns not yes, spread over the kinds) was
# written on 2026-12-07 (evening) from the two sheets and the runner's README only, measured before that session's
# changes (88.5 %, 1 wrong "oui": an SMS "fo" not read as "faut") and after (89.7 %, 0), never looked into beyond that
# then; it was the development set of the session after (2026-12-07, night): 91.5 -> 99.4 %.
# Set BA (177 conversations in eleven kinds, more sessions and two-in-one; 48 closed turns not yes) was written at the
# start of that night session from the two sheets and the runner only, measured before and after its first changes
# (89.8 % both times, the same cases, 0 wrong "oui"), then looked into: 95.5 % at the end.
# Set BB (172 conversations: 42 sessions, 32 two or three questions at once, 21 formal — 10 over 500 characters —,
# closed questions, own path, comparisons, SMS, terms, edge; 55 closed turns not yes) was written in that session
# from the sheets and the runner only, measured on the session's starting code (90.1 %, 0 wrong "oui") and at its
# end (91.9 %, 0), never looked into.
RUNNER_SCOPE = ["middle-office", "middle office", "back-office", "back office", "pas compris", "ne comprends pas",
                "reformuler", "je peux t'aider", "je peux vous aider", "je ne peux pas", "hors de mon", "ne sais pas",
                "que sur", "uniquement"]
MACROS_BY_SET = {"student_conversations_f.yml": {"HONEST": RUNNER_HONEST},
                 "student_conversations_i.yml": {"HONEST": RUNNER_HONEST},
                 "student_conversations_j.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_k.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_l.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_q.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_r.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_s.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_u.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_v.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_w.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_x.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_y.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_z.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_z2.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_aa.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ab.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ac.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ad.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ae.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_af.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ag.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ah.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ai.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_aj.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ak.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_al.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_am.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_an.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ao.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ap.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_aq.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ar.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_as.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_at.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_au.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_av.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_aw.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ax.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ay.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_az.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_ba.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_bb.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE},
                 "student_conversations_bc.yml": {"HONEST": RUNNER_HONEST, "SCOPE": RUNNER_SCOPE}}
# closed questions whose true answer is not yes, answered "oui": none allowed on any set (the last 8, on sets I, J, K,
# AC and AH, fixed in the session of 2026-12-07 afternoon; L, W and AI had reached 0 before)
MAX_WRONG_YES = {"student_conversations_f.yml": 0, "student_conversations_i.yml": 0, "student_conversations_j.yml": 0,
                 "student_conversations_k.yml": 0, "student_conversations_l.yml": 0, "student_conversations_q.yml": 0,
                 "student_conversations_r.yml": 0, "student_conversations_s.yml": 0, "student_conversations_u.yml": 0,
                 "student_conversations_w.yml": 0, "student_conversations_x.yml": 0, "student_conversations_y.yml": 0,
                 "student_conversations_z.yml": 0, "student_conversations_z2.yml": 0,
                 "student_conversations_aa.yml": 0, "student_conversations_ab.yml": 0,
                 "student_conversations_ac.yml": 0, "student_conversations_ad.yml": 0,
                 "student_conversations_ae.yml": 0, "student_conversations_af.yml": 0,
                 "student_conversations_ag.yml": 0, "student_conversations_ah.yml": 0,
                 "student_conversations_ai.yml": 0, "student_conversations_aj.yml": 0,
                 "student_conversations_ak.yml": 0, "student_conversations_al.yml": 0,
                 "student_conversations_am.yml": 0, "student_conversations_an.yml": 0,
                 "student_conversations_ao.yml": 0, "student_conversations_ap.yml": 0,
                 "student_conversations_aq.yml": 0, "student_conversations_ar.yml": 0,
                 "student_conversations_as.yml": 0, "student_conversations_at.yml": 0,
                 "student_conversations_au.yml": 0, "student_conversations_av.yml": 0,
                 "student_conversations_aw.yml": 0, "student_conversations_ax.yml": 0,
                 "student_conversations_ay.yml": 0, "student_conversations_az.yml": 0,
                 "student_conversations_ba.yml": 0, "student_conversations_bb.yml": 0,
                 "student_conversations_bc.yml": 0}
# sets whose closed questions not-yes are spread over every category: every turn forbidding "oui" counts
EVERY_TURN_COUNTS = {"student_conversations_aj.yml", "student_conversations_ak.yml", "student_conversations_al.yml",
                     "student_conversations_am.yml", "student_conversations_an.yml", "student_conversations_ao.yml",
                     "student_conversations_ap.yml", "student_conversations_aq.yml", "student_conversations_ar.yml",
                     "student_conversations_as.yml", "student_conversations_at.yml", "student_conversations_au.yml",
                     "student_conversations_av.yml", "student_conversations_aw.yml", "student_conversations_ax.yml",
                     "student_conversations_ay.yml", "student_conversations_az.yml",
                     "student_conversations_ba.yml", "student_conversations_bb.yml", "student_conversations_bc.yml"}
# the categories of closed questions whose true answer is not yes (sets AG and AH name them by the trap they set)
CLOSED_NOT_YES = {"closed_no", "closed_not_yes", "near_item", "other_job", "stronger", "two_claims", "numbers",
                  "direction", "negated", "silent", "tag_question", "trap", "followup_trap", "formal_trap",
                  "sms_closed", "list_plus_one", "quantifier", "synonym_shift", "followup_closed", "formal_closed",
                  "own_situation", "scope"}


@pytest.mark.parametrize("name", list(BARS))
def test_student_conversations(stack, name):
    cases = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["cases"]
    macros = MACROS_BY_SET.get(name)
    failures, wrong_yes = [], []
    for case in cases:
        chat = Chat(stack.settings.rasa_url)
        for turn in case["turns"]:
            reply = chat.ask(turn["user"])
            closed_no = case.get("cat") in CLOSED_NOT_YES or name in EVERY_TURN_COUNTS
            if closed_no and any(f.startswith("oui") for f in _forbidden(turn, reply, macros)):
                wrong_yes.append(f"{case['id']}: {turn['user']!r} -> {reply[:200]!r}")
            if not _turn_ok(turn, reply, macros):
                failures.append(f"{case['id']}: {turn['user']!r} -> {reply[:200]!r}")
                break
    score = 1 - len(failures) / len(cases)
    print(f"{name}: {score:.1%} ({len(cases) - len(failures)}/{len(cases)}), wrong oui: {len(wrong_yes)}")
    assert score >= BARS[name], "\n".join(failures)
    assert len(wrong_yes) <= MAX_WRONG_YES.get(name, len(cases)), "\n".join(wrong_yes)
