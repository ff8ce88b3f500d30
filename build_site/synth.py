"""Deterministic synthetic study folders, for benchmarks and tests.

:func:`write_synthetic_study` writes a complete study folder of any size that validates, builds
publicly without a warning, and gives de-identification and the leak gate real work: every
clinician, patient, outside physician, town, practice and hospital the text mentions is an
invented name listed in ``private/identifiers.yml``, and nothing else in the text looks like an
identifier. Everything is generated from the small model, codebook and sentence banks in this
module, so it works from an installed package and downloads nothing.

The same arguments give byte-identical folders (Python's ``random.Random`` with the seed; no
clock, no set iteration). Dyads are shared out evenly among clinicians, as in the bundled
study (5 clinicians, 23 dyads). Every case study is approved and every consent field is true,
so the public build shows every case; contrastive comments are marked ``contrast: true`` and
left out of the public site by ``publication.contrastive_comments: false``, as in a real study.
``study.yml`` carries a sign-off of exactly the content the public build publishes (the
fingerprint ``build-site manifest`` prints), so the build has no "not signed off" warning.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_PEOPLE = 5000
"""Upper bound on dyads + clinicians: the number of distinct invented surnames available."""

# --- the model and codebook ------------------------------------------------------------------
# A small generic model the size of the bundled one: 9 components, 12 elements (two levels),
# 6 relations (two between whole kinds, one tentative feedback arrow).

MODEL: dict[str, Any] = {
    "version": "1",
    "components": [
        {"id": "attentiveness", "kind": "competency", "label": "Attentiveness",
         "definition": "The clinician notices small cues in what the patient says and does."},
        {"id": "clinical-judgement", "kind": "competency", "label": "Clinical judgement",
         "definition": "Sound diagnostic and therapeutic know-how, applied to this patient."},
        {"id": "steadiness", "kind": "competency", "label": "Steadiness",
         "definition": "The clinician stays calm and clear when the news is bad."},
        {"id": "listening", "kind": "process", "label": "Listening",
         "definition": "Giving the patient room to tell their story, and hearing it.",
         "elements": [
             {"id": "open-questions", "label": "Open questions",
              "definition": "Questions that invite a story rather than a yes or a no."},
             {"id": "reflecting", "label": "Reflecting",
              "definition": "Giving back what was heard so the patient knows it landed.",
              "elements": [
                  {"id": "paraphrasing", "label": "Paraphrasing",
                   "definition": "Saying back the content in other words."},
                  {"id": "naming-feelings", "label": "Naming feelings",
                   "definition": "Putting a name to the feeling behind the words."},
              ]},
             {"id": "silence", "label": "Silence",
              "definition": "Leaving pauses the patient can fill."},
         ]},
        {"id": "sharing-decisions", "kind": "process", "label": "Sharing decisions",
         "definition": "Making choices about care together.",
         "elements": [
             {"id": "explaining-options", "label": "Explaining options",
              "definition": "Setting out the choices in plain language."},
             {"id": "eliciting-preferences", "label": "Eliciting preferences",
              "definition": "Asking what the patient wants and is willing to try."},
             {"id": "agreeing-plan", "label": "Agreeing a plan",
              "definition": "Settling on a next step both can stand behind."},
         ]},
        {"id": "staying-alongside", "kind": "process", "label": "Staying alongside",
         "definition": "Remaining involved over time and through setbacks.",
         "elements": [
             {"id": "follow-up", "label": "Follow-up",
              "definition": "Calls and visits after results, admissions and changes."},
             {"id": "home-visits", "label": "Home visits",
              "definition": "Seeing the patient where they live."},
             {"id": "advocacy", "label": "Advocacy",
              "definition": "Speaking up for the patient to other services and payers."},
             {"id": "persistence", "label": "Persistence",
              "definition": "Continuing to look for options when progress stalls."},
         ]},
        {"id": "confidence-in-care", "kind": "outcome", "label": "Confidence in care",
         "definition": "The patient expects the care to hold when things go wrong."},
        {"id": "self-management", "kind": "outcome", "label": "Self-management",
         "definition": "The patient handles day-to-day care with understanding."},
        {"id": "feeling-understood", "kind": "outcome", "label": "Feeling understood",
         "definition": "The patient feels seen as a whole person."},
    ],
    "relations": [
        {"id": "competencies-enable-processes", "from": {"kind": "competency"},
         "to": {"kind": "process"}, "kind": "facilitates",
         "description": "The clinician's competencies make the processes possible."},
        {"id": "processes-produce-outcomes", "from": {"kind": "process"},
         "to": {"kind": "outcome"}, "kind": "produces",
         "description": "The processes, sustained over time, produce the outcomes."},
        {"id": "steadiness-supports-confidence", "from": "steadiness",
         "to": "confidence-in-care", "kind": "facilitates",
         "description": "Calm in a crisis lends the patient confidence in the care."},
        {"id": "listening-builds-understanding", "from": "listening",
         "to": "feeling-understood", "kind": "produces",
         "description": "Being listened to, visit after visit, grows into feeling understood."},
        {"id": "staying-builds-confidence", "from": "staying-alongside",
         "to": "confidence-in-care", "kind": "produces",
         "description": "Involvement over time grounds confidence in the care."},
        {"id": "confidence-reinforces-sharing", "from": "confidence-in-care",
         "to": "sharing-decisions", "kind": "reinforces", "tentative": True,
         "description": "A feedback loop some interviews suggest: confident patients share "
                        "decisions more readily."},
    ],
}

_PARENT_CODES = [
    ("qualities", "Clinician qualities", "What participants said about the clinician."),
    ("being-heard", "Being heard", "Talk about listening and being listened to."),
    ("deciding", "Deciding", "Talk about who decides and how."),
    ("staying", "Staying", "Talk about time, continuity and commitment."),
    ("what-changed", "What changed", "Talk about what the relationship gave the patient."),
    ("elsewhere", "Other clinicians", "Comments about clinicians outside the study."),
]
# (id, parent, label, component, element or relation it evidences or "")
_LEAF_CODES = [
    ("notices-cues", "qualities", "Notices cues", "attentiveness"),
    ("sound-judgement", "qualities", "Sound judgement", "clinical-judgement"),
    ("stays-calm", "qualities", "Stays calm", "steadiness"),
    ("asked-openly", "being-heard", "Asked openly", "open-questions"),
    ("said-it-back", "being-heard", "Said it back", "paraphrasing"),
    ("named-the-feeling", "being-heard", "Named the feeling", "naming-feelings"),
    ("reflected", "being-heard", "Reflected", "reflecting"),
    ("let-me-talk", "being-heard", "Let me talk", "silence"),
    ("was-listened-to", "being-heard", "Was listened to", "listening"),
    ("options-explained", "deciding", "Options explained", "explaining-options"),
    ("asked-what-i-wanted", "deciding", "Asked what I wanted", "eliciting-preferences"),
    ("plan-together", "deciding", "Plan together", "agreeing-plan"),
    ("decided-together", "deciding", "Decided together", "sharing-decisions"),
    ("checked-in", "staying", "Checked in", "follow-up"),
    ("came-to-the-house", "staying", "Came to the house", "home-visits"),
    ("spoke-up-for-me", "staying", "Spoke up for me", "advocacy"),
    ("did-not-give-up", "staying", "Did not give up", "persistence"),
    ("stayed-with-me", "staying", "Stayed with me", "staying-alongside"),
    ("trust-the-care", "what-changed", "Trust the care", "confidence-in-care"),
    ("manage-myself", "what-changed", "Manage myself", "self-management"),
    ("understood-me", "what-changed", "Understood me", "feeling-understood"),
    ("calm-gave-confidence", "what-changed", "Calm gave confidence",
     "steadiness-supports-confidence"),
    ("heard-so-understood", "what-changed", "Heard, so understood",
     "listening-builds-understanding"),
    ("stayed-so-trusted", "what-changed", "Stayed, so trusted", "staying-builds-confidence"),
    ("confidence-let-me-share", "what-changed", "Confidence let me share",
     "confidence-reinforces-sharing"),
]
_CONTRAST_CODES = [
    ("dismissed-elsewhere", "Dismissed elsewhere", "Another clinician did not believe them."),
    ("rushed-elsewhere", "Rushed elsewhere", "Another clinician was hurried or distracted."),
    ("judged-elsewhere", "Judged elsewhere", "Another clinician blamed the patient."),
]

CODEBOOK: dict[str, Any] = {
    "codes": [
        *({"id": i, "label": label, "definition": d} for i, label, d in _PARENT_CODES),
        *({"id": i, "parent": parent, "label": label,
           "definition": f"Evidence of {label.lower()} in the participant's account.",
           "component": target} for i, parent, label, target in _LEAF_CODES),
        *({"id": i, "parent": "elsewhere", "label": label, "definition": d}
          for i, label, d in _CONTRAST_CODES),
    ]
}

# --- invented names --------------------------------------------------------------------------
# First names are real but uncommon; surnames and place names are built from syllables so
# they are distinct from each other and from every ordinary word the text uses.

_WOMEN = ["Adaeze", "Bronwen", "Clodagh", "Delphine", "Folasade", "Gunilla", "Ingeborg",
          "Jolanta", "Kerensa", "Leocadia", "Mairead", "Oksana", "Perpetua", "Saoirse", "Ulrike",
          "Vesna", "Ximena", "Yevgenia", "Zuzanna", "Anneliese", "Beatrix", "Dagny", "Henrike",
          "Ludovica", "Marisol", "Pernille", "Sigrun", "Wilhelmina", "Rosalind", "Gwendolyn"]
_MEN = ["Bartholomew", "Casimir", "Eamonn", "Fiachra", "Hamish", "Isidore", "Jarrah",
        "Kwabena", "Lorcan", "Nnamdi", "Oluwaseun", "Radomir", "Tatsuya", "Valentin", "Wojciech",
        "Zbigniew", "Ambrose", "Cornelius", "Evander", "Thaddeus", "Leopold", "Mstislav",
        "Ignatius", "Oisin", "Torvald", "Anselm", "Barnaby", "Ewald", "Gottfried", "Lysander"]
_CLINICIAN_WOMEN = ["Ingrid", "Margarethe", "Rosamund", "Theodora", "Philippa", "Cordelia",
                    "Henrietta", "Seraphina", "Aurelia", "Winifred"]
_CLINICIAN_MEN = ["Augustin", "Benedikt", "Cuthbert", "Desmond", "Ferdinand", "Leofric",
                  "Maximilian", "Percival", "Quentin", "Reinhold"]
_PSEUDONYMS_WOMEN = ["Ruth", "Celia", "Nell", "Vera", "Edith", "Ida", "Mabel", "Opal", "Greta",
                     "Lottie"]
_PSEUDONYMS_MEN = ["Amos", "Hugh", "Otto", "Saul", "Abel", "Cyril", "Felix", "Rufus", "Silas",
                   "Jonah"]
_PREFIXES = ["Brenn", "Cald", "Dorr", "Elst", "Farr", "Gwill", "Hask", "Ingv", "Jorv", "Kett",
             "Lorr", "Mosk", "Nyb", "Orv", "Penr", "Quill", "Rask", "Stenh", "Torv", "Ulst",
             "Vann", "Wexl", "Yarr", "Zemm", "Alb", "Bjel", "Crom", "Dunst", "Egg", "Fald",
             "Grinn", "Holl"]
_MIDDLES = ["a", "e", "i", "o", "en", "er"]
_SUFFIXES = ["ane", "by", "combe", "dahl", "ell", "feld", "gaard", "holt", "ick", "ley", "mont",
             "ness", "ova", "quist", "rud", "stad", "ton", "ume", "vik", "wick", "wen", "aker",
             "ard", "ersen"]
_TOWNS, _PRACTICES, _HOSPITALS, _OUTSIDE = 12, 10, 6, 8

# --- sentence banks --------------------------------------------------------------------------
# Slots: P patient's full name, Pf how the text refers to the patient (title and surname),
# D "Dr. Surname", Dfull "Dr. First Surname", town, practice, hosp, other (an outside
# physician), cond, cond2, years; pronouns s/o/p (patient) and ds/do/dp (clinician), with
# capitalised forms S and DS.

_OPENING_FIRST = [
    "{P} first came to {Dfull} at {practice} in {town} {years} years ago, soon after {s} "
    "learned that {s} had {cond}.",
    "{P} had lived in {town} for most of {p} life and had been a patient of {Dfull} at "
    "{practice} for {years} years when we spoke.",
    "When {P} moved to {town}, a neighbour suggested {practice}, and {s} has seen {Dfull} "
    "there ever since, for {years} years in all.",
]
_OPENING = [
    "At the first visit {s} expected to be hurried, and instead {D} sat down, asked what "
    "mattered most to {o}, and waited for the answer.",
    "{Pf} described {p} earlier care as a series of short visits with whoever was on duty, "
    "none of whom seemed to remember {o} from one time to the next.",
    "By the time of the interview {Pf} was living with {cond} and {cond2}, and managing both "
    "at home.",
    "{Pf} said that {s} had not chosen {D} so much as stayed, visit after visit, because "
    "nothing ever gave {o} a reason to leave.",
    "The early visits were mostly about getting {p} {cond} under control, and {Pf} remembered "
    "them as slow, patient and a little dull.",
    "{S} arrived at the first appointment with a bag of old prescriptions and a list of "
    "complaints that {s} had stopped expecting anyone to read.",
    "{D} remembered the first visit mainly for how little {Pf} said, and for the questions "
    "{s} asked at the door on the way out.",
    "Neither of them could say exactly when the relationship changed, but both agreed that it "
    "took years rather than months.",
]
_COURSE = [
    "Over the years {D} learned the details of {p} work, {p} family and the small routines "
    "that shaped {p} days.",
    "{Pf} valued that {D} explained each change in treatment in plain words, often drawing on "
    "the back of a leaflet.",
    "When a new medicine was proposed, {D} laid out the choices and asked {Pf} what {s} was "
    "willing to try first.",
    "There were stretches when {Pf} missed appointments, and each time the practice phoned to "
    "ask how {s} was rather than to scold.",
    "{Pf} spoke of the waiting room as a place where {s} was greeted by name, which {s} "
    "linked directly to the tone {D} set.",
    "{D} described {Pf} as someone who needed time to decide and said {ds} had learned not to "
    "push before {s} was ready.",
    "Several times {D} arranged tests or referrals on the same day so that {Pf} would not "
    "have to make the long trip twice.",
    "The record shows a steady rhythm of visits every few months, with longer gaps in the "
    "good years.",
    "{Pf} kept a notebook of questions for each visit and said {D} always got through the "
    "list, even when the practice was running late.",
    "{D} admitted that {ds} had found {Pf} hard to read at first and had made a point of "
    "asking rather than guessing.",
    "The relationship was not free of friction: {Pf} twice disagreed openly with a plan, and "
    "both times the plan was changed.",
    "For {Pf}, small things mattered most, such as a call after a test result or a question "
    "about {p} garden.",
    "{D} learned to leave a pause after each question, and {Pf} said those pauses were when "
    "{s} finally said what was worrying {o}.",
    "Between visits {Pf} would sometimes leave a message for {D}, and the reply usually came "
    "the same day.",
]
_CRISIS = [
    "The hardest period came when {Pf} was admitted to {hosp} with a complication of {p} "
    "{cond}.",
    "During that admission {D} visited on {dp} own time, read the chart with {Pf} and "
    "explained what the specialists had said.",
    "{Pf} recalled an earlier encounter at {hosp} in which {other} barely looked up from the "
    "screen, and contrasted it sharply with {D}.",
    "When the news was bad, {D} stayed calm in the room, and {Pf} said that calm was what let "
    "{o} keep going.",
    "{D} said privately that {ds} had been frightened for {Pf} that week and had taken a few "
    "minutes alone before going back in.",
    "After discharge {D} arranged a home visit, and {Pf} described sitting at {p} own kitchen "
    "table while {D} went through every new medicine.",
    "There was a long stretch when nothing seemed to help, and {D} kept suggesting new things "
    "to try rather than giving up.",
    "{Pf} said the worst part of that year was feeling like a file passed between "
    "departments, until {D} took charge of the whole picture.",
    "{D} wrote letters and made calls on {Pf}'s behalf when an insurer refused a treatment, "
    "and eventually the decision was reversed.",
    "At one point {Pf} talked about stopping treatment altogether, and {D} listened for a long "
    "time before saying anything at all.",
]
_TURNING_HEADING = "### The turning point"
_TURNING = [
    "The turning point, in {Pf}'s telling, came when {D} said plainly that {ds} would not "
    "stop looking for a way through.",
    "From then on {Pf} began to take part in decisions rather than wait to be told, and {D} "
    "noticed the change within a few visits.",
    "{Pf} started to keep track of {p} own readings and bring them to each visit, something "
    "{s} had refused to do for years.",
    "{D} described this as the moment the relationship stopped being about the illness and "
    "started being about the person.",
    "A small agreement about one change at a time, written on a card that {Pf} kept on the "
    "fridge, became the pattern for later decisions.",
    "{Pf} said {s} finally believed that {D} was on {p} side, and that everything else "
    "followed from that.",
]
_OUTCOME = [
    "When we spoke, {Pf} described {p} health as steady and {p} life as fuller than {s} had "
    "expected.",
    "{Pf} said that {s} now trusts the care {s} receives, and that {s} can ask anything "
    "without feeling foolish.",
    "For {Pf}, the clearest change was being able to manage {p} {cond} without fear, knowing "
    "where to turn if things went wrong.",
    "{Pf} felt understood as a whole person, not only as a patient with {cond}.",
    "{D} put it simply: {Pf} had done the hard part, and the practice had kept the door open.",
    "{Pf} planned to stay with {D} for as long as {ds} kept working, and said {s} did not "
    "like to think about what would come after.",
    "Asked what healing meant, {Pf} talked less about {p} symptoms than about no longer "
    "dreading the next appointment.",
    "{Pf}'s family noticed the difference too, and {Pf} said they now ask after {D} as if "
    "after a neighbour.",
]
_READING = [
    "Read across the interview, this dyad shows listening preceding any use of the "
    "clinician's authority.",
    "The case illustrates how steadiness in a crisis can lend a patient confidence that the "
    "care will hold.",
    "The sequence matters here: attention and time first, shared decisions later, and "
    "confidence in the care last of all.",
    "Several of the coded excerpts sit at the boundary between advocacy and persistence, "
    "which the team discussed at length.",
    "This dyad offers one of the clearer examples of self-management growing out of shared "
    "decisions rather than instruction.",
    "The account also contains a partial counter-example, in which a decision made together "
    "still felt to the patient like pressure.",
    "Taken together, the excerpts suggest that feeling understood grew slowly and was never "
    "the result of a single visit.",
    "The patient's comparison with care elsewhere sharpened what both participants meant by "
    "being listened to.",
]
_CLINICIAN_FIRST = (
    "{Dfull} has practised {specialty} for {yip} years, most of them at {practice} in {town}. "
    "The patients {ds} named for the study were {names}."
)
_CLINICIAN = [
    "Across {dp} dyads, the most consistent feature of {D}'s practice is the time {ds} gives "
    "to listening before proposing anything.",
    "{Pf1} and {Pf2} both described {D} as unhurried, even on days when the waiting room was "
    "full.",
    "{D} was articulate about managing {dp} own reactions, and described stepping out of the "
    "room for a moment when a visit became tense.",
    "Patients differed in how much they wanted to share decisions: {Pf1} wanted to be told, "
    "while {Pf2} wanted every option laid out.",
    "{D} makes home visits more often than colleagues in the practice, a habit {ds} traces to "
    "{dp} training.",
    "Several patients said that {D} was the first doctor to whom they had told the whole "
    "story.",
    "{D} spoke of continuity as the main tool {ds} has, and of the cost to {do} of holding so "
    "many patients' stories.",
    "The account of {Pf1} and {D}'s own account agreed closely on the facts but differed on "
    "what had mattered most.",
    "{D} rarely used the word healing, preferring to talk about keeping people going and "
    "keeping the door open.",
    "The team noted that the patients of {D} often described confidence in the care rather "
    "than in any single treatment.",
    "{D} described learning much of {dp} approach from an older colleague, and from mistakes "
    "made early in {dp} career.",
    "In {town}, {D} is known well beyond the practice, which {ds} said makes a nonjudgemental "
    "stance both harder and more necessary.",
    "{D} sees patients in blocks of twenty minutes but said {ds} borrows time from the end of "
    "the day when a visit needs it.",
    "Two of {dp} patients had been judged elsewhere before coming to {do}, and both said this "
    "shaped how they read {dp} manner.",
    "{D} keeps brief notes on what matters to each patient outside the illness and reads them "
    "before every visit.",
    "{Pf2} described a disagreement about a referral that was settled only when {D} rang the "
    "specialist during the visit.",
    "Asked what {ds} would teach a younger colleague, {D} said: sit down, stop typing, and ask "
    "what the person hoped for.",
    "The dyads of {D} give some of the clearest evidence in the study for the tentative "
    "feedback between confidence in the care and sharing decisions.",
    "{D} described the hardest moments of {dp} career as the times when there was nothing "
    "left to offer but staying.",
    "The team's memo on this clinician notes how often {dp} patients used the word steady.",
    "{DS} was candid that some of {dp} patients know more about their illness than {ds} does, "
    "and said that listening to them is part of the treatment.",
    "The interviews with {dp} patients were among the longest in the study, and the most "
    "often interrupted by laughter.",
]
_PATIENT_SAYS = [
    "I walked in expecting to be told off again, and {D} just asked me how I was coping.",
    "Nobody had ever asked me what I wanted before. {D} did, every time.",
    "I'd have gone somewhere else years ago if {D} hadn't kept calling.",
    "{D} drew it out for me on a bit of paper, what the tablets do, why I couldn't skip them.",
    "When it went wrong at {hosp}, {D} came up after work and sat with me.",
    "I trust what I'm told now. I didn't used to trust anybody in a white coat.",
    "I know what to do when the numbers go up. I'm not frightened of it anymore.",
    "It was the first time I felt like a person in that building and not a problem.",
    "We'll try one thing at a time, that's what I was told, and if I hated it we'd stop. And "
    "we did.",
    "I used to leave appointments with more questions than I came in with. Not anymore.",
    "{D} remembered my daughter's name. That sounds small, but it wasn't small to me.",
    "There were weeks when nothing worked, and {D} never once made me feel it was my fault.",
    "We argued about that referral, honestly. And in the end {D} listened and changed it.",
    "I could tell {D} was worried, but it didn't show in the room, and that kept me steady.",
    "Sometimes I think {D} knows me better than my own family does.",
    "I'd sit there and just talk, and {D} would let me, even when it wasn't about my {cond}.",
    "When I said I wanted to stop the treatment, {D} didn't argue. We talked for an hour "
    "instead.",
    "Everyone in {town} knows everybody's business, but in that room I felt nobody was "
    "judging me.",
    "I keep my readings in a little book now and I bring it every time.",
    "It's not that the illness went away. It's that I stopped being scared of the next "
    "appointment.",
    "{D} told me straight what the scan showed, and then asked what I wanted to do about it.",
    "I didn't want to hear it, but {D} was right to push me, and I'm still here because of it.",
    "The phone would ring the day after a test, just to say it was fine. Who does that?",
    "I felt like I was part of the team for once, not just the thing they were working on.",
    "We made a plan together and wrote it on a card. It's still on my fridge.",
]
_CLINICIAN_SAYS = [
    "With {Pf} I learned to wait. If I filled the silence, {s} never told me what was really "
    "going on.",
    "I was angry the second time it happened, honestly. I took a minute in my office before "
    "going back in.",
    "{Pf} knows {p} own body better than I do. My job is mostly to ask the right question.",
    "I tell people on the first visit that I'm not going anywhere. I think that matters more "
    "than anything I prescribe.",
    "There's a moment, a couple of minutes in, where you can feel the real reason they came. "
    "If you're typing you miss it.",
    "I don't think I ever cured {Pf} of anything. I just kept showing up.",
    "I set out the options and then I stop talking. That's the hard part.",
    "When {Pf} said {s} wanted to stop, I had to swallow my own opinion for a while and just "
    "listen.",
    "I rang the specialist from the exam room so {Pf} could hear the whole conversation.",
    "Some weeks I was the only one who had the whole picture, so I made myself the person "
    "who held it.",
    "I was frightened for {Pf} that winter. I made sure I wasn't frightened in front of {o}.",
    "You have to earn the right to push. With {Pf} that took years.",
    "I go to the house when I can. You learn more in ten minutes in someone's kitchen than "
    "in a year of visits.",
    "We agreed on one change at a time. Every time we tried to do two, it fell apart.",
    "I think {Pf} trusts the practice now, not just me, and that's what I wanted.",
]
_OTHER_SAYS = [
    "{D} always talked to both of us, not just to the chart.",
    "I'd been the one worrying for years, and {D} was the first person who asked how I was "
    "doing.",
    "When {Pf} came home from {hosp}, {D} came round the same evening.",
    "I saw the change after that visit. Calmer. Like there was finally somebody on our side.",
    "{D} explained it to me too, so I could help at home.",
    "We both trust {D}. We'd follow that advice anywhere.",
]
_CONTRAST_SAYS = [
    "That {other} at {hosp} never looked up from the screen. Not once.",
    "{other} told me it was all in my head. I stopped going after that.",
    "At {hosp} they talked over me like I wasn't in the bed.",
    "I waited four hours to see {other}, and I was out in five minutes with nothing.",
    "{other} made it very clear what they thought of people like me.",
    "The doctor I had before never remembered who I was from one visit to the next.",
]
_MEMOS = [
    "Check that the account of the admission stays general enough; the hospital is in the "
    "identifier list.",
    "A clear example for the tentative feedback arrow; keep it in view when we revisit that "
    "relation.",
    "The contrastive comment here is sharp. Worth comparing with the other dyads of this "
    "clinician.",
    "Coded in pairs; the disagreement about advocacy versus persistence was settled in the "
    "group session.",
]
_SUMMARIES = [
    "{label} is visible from the first visit onwards.",
    "{label} shows mainly in the account of the admission.",
    "{label} grew slowly over the years the two have known each other.",
    "{label} is described by both participants in similar terms.",
]
_CONDITIONS = ["type 2 diabetes", "heart failure", "chronic obstructive pulmonary disease",
               "chronic pain", "depression", "HIV infection", "rheumatoid arthritis",
               "hypertension", "chronic kidney disease", "asthma", "multiple sclerosis",
               "cancer in remission", "substance use disorder", "epilepsy"]
_SPECIALTIES = ["family medicine", "general internal medicine", "general practice"]
_SETTINGS = ["rural group practice", "small-town solo practice", "urban community health centre",
             "academic teaching practice", "suburban group practice"]
_OTHERS_PRESENT = ["spouse", "daughter", "son", "partner", "friend"]


@dataclass
class _Person:
    """An invented participant or named entity and the forms of its name."""

    text: str
    replacement: str
    kind: str
    variants: list[str] = field(default_factory=list)

    def entry(self) -> dict[str, Any]:
        return {"text": self.text, "replacement": self.replacement, "kind": self.kind,
                "variants": self.variants}


@dataclass
class _Clinician:
    id: str
    first: str
    surname: str
    woman: bool
    town: str
    practice: str
    dyads: list[_Patient] = field(default_factory=list)


@dataclass
class _Patient:
    id: str
    first: str
    surname: str
    woman: bool
    pseudonym: str


def _surnames(rng: random.Random, count: int) -> list[str]:
    pairs = [p + s for p in _PREFIXES for s in _SUFFIXES]
    rng.shuffle(pairs)
    names = pairs[:count]
    if count > len(pairs):
        triples = [p + m + s for p in _PREFIXES for m in _MIDDLES for s in _SUFFIXES]
        rng.shuffle(triples)
        names += triples[: count - len(pairs)]
    return [n.capitalize() for n in names]


def _pronouns(woman: bool, prefix: str = "") -> dict[str, str]:
    sub, obj, pos = ("she", "her", "her") if woman else ("he", "him", "his")
    return {f"{prefix}s": sub, f"{prefix}o": obj, f"{prefix}p": pos,
            f"{prefix.upper()}S": sub.capitalize()}


def _pick(rng: random.Random, bank: Sequence[str], k: int) -> list[str]:
    return rng.sample(list(bank), min(k, len(bank)))


def _words(text: str) -> int:
    return len(text.split())


def _sentences(template: str) -> int:
    """Sentences in a bank entry (slots such as ``{D}`` hold no full stop of their own)."""
    return len(re.findall(r"[.?!](?:\s|$)", template))


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(sentences):
        n = rng.randint(3, 5)
        out.append(" ".join(sentences[i:i + n]))
        i += n
    return out


class _Writer:
    """Generates the text of one study from one random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.codes = [c[0] for c in _LEAF_CODES]
        self._code_cycle: Iterator[str] = iter(())

    def next_code(self) -> str:
        """The next evidence code: a shuffled round of every mapped code, then another, so
        codes spread evenly over the model."""
        for code in self._code_cycle:
            return code
        order = list(self.codes)
        self.rng.shuffle(order)
        self._code_cycle = iter(order)
        return next(self._code_cycle)

    def dyad_narrative(self, slots: dict[str, str]) -> str:
        rng = self.rng
        target = rng.randint(300, 500)
        sections: dict[str, list[str]] = {
            "opening": [rng.choice(_OPENING_FIRST), *_pick(rng, _OPENING, 2)],
            "course": _pick(rng, _COURSE, 4),
            "crisis": _pick(rng, _CRISIS, 3),
            "turning": _pick(rng, _TURNING, 2),
            "outcome": _pick(rng, _OUTCOME, 2),
            "reading": _pick(rng, _READING, 1),
        }
        banks = {"opening": _OPENING, "course": _COURSE, "crisis": _CRISIS, "turning": _TURNING,
                 "outcome": _OUTCOME, "reading": _READING}
        filled = {k: [s.format_map(slots) for s in v] for k, v in sections.items()}
        words = sum(_words(s) for v in filled.values() for s in v)
        growable = ["course", "course", "crisis", "outcome", "opening", "reading"]
        while words < target:
            name = rng.choice(growable)
            unused = [s for s in banks[name] if s not in sections[name]]
            if not unused:
                growable = [g for g in growable if g != name]
                if not growable:
                    break
                continue
            sentence = rng.choice(unused)
            text = sentence.format_map(slots)
            if words + _words(text) > target + 10:
                break
            sections[name].append(sentence)
            filled[name].append(text)
            words += _words(text)
        body: list[str] = []
        body += _paragraphs(rng, filled["opening"] + filled["course"])
        body += _paragraphs(rng, filled["crisis"])
        if rng.random() < 0.5:
            body.append(_TURNING_HEADING)
        body += _paragraphs(rng, filled["turning"] + filled["outcome"] + filled["reading"])
        return "\n\n".join(body) + "\n"

    def clinician_narrative(self, slots: dict[str, str]) -> str:
        rng = self.rng
        target = rng.randint(350, 550)
        sentences = [_CLINICIAN_FIRST.format_map(slots)]
        words = _words(sentences[0])
        for template in _pick(rng, _CLINICIAN, len(_CLINICIAN)):
            text = template.format_map(slots)
            if words + _words(text) > target:
                break
            sentences.append(text)
            words += _words(text)
        return "\n\n".join(_paragraphs(rng, sentences)) + "\n"

    def excerpt_text(self, bank: Sequence[str], slots: dict[str, str],
                     used: list[str] | None = None) -> str:
        """One to four sentences from ``bank``, avoiding the entries in ``used`` (the case's
        earlier excerpts) while the bank lasts; ``used`` is extended."""
        target = self.rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        fresh = [s for s in bank if used is None or s not in used]
        chosen: list[str] = []
        sentences = 0
        for candidate in _pick(self.rng, fresh if len(fresh) >= 4 else bank, len(bank)):
            count = _sentences(candidate)
            if not chosen or sentences + count <= target:
                chosen.append(candidate)
                sentences += count
            if sentences >= target:
                break
        if used is not None:
            used += chosen
        return " ".join(s.format_map(slots) for s in chosen)


def _study_yml(dyads: int, clinicians: int, seed: int, interviews: int) -> dict[str, Any]:
    return {
        "title": f"Synthetic study: {dyads} dyads",
        "subtitle": f"Generated by build-site synth (seed {seed}); every name is invented",
        "demonstration": True,
        "overview": (
            f"A synthetic study of {clinicians} clinicians and {dyads} of their patients, "
            "generated to measure and test build-site. The text is assembled from a small bank "
            "of sentences; every person, place and institution named in it is invented and "
            "listed in the study's private identifier list."
        ),
        "team": [
            {"name": "A. Author", "role": "Principal investigator and interviewer",
             "background": "Family physician"},
            {"name": "B. Analyst", "role": "Analyst", "background": "Medical anthropologist"},
            {"name": "C. Coder", "role": "Analyst", "background": "Nurse"},
        ],
        "citation": {"text": f"Author A, Analyst B, Coder C. Synthetic study (seed {seed}). "
                             "build-site benchmark data."},
        "license": "CC0 1.0 (synthetic data)",
        "version": "1.0",
        "keywords": ["synthetic data", "benchmark", "primary care"],
        "methods": {
            "problem": "How do relationships between clinicians and patients support care over "
                       "time? (Synthetic.)",
            "question": "What do clinicians do that patients experience as listening, shared "
                        "decisions and staying alongside?",
            "approach": "Grounded theory, with analysis alongside sampling.",
            "sampling": "Purposive: clinicians nominated by peers named patients with long "
                        "relationships.",
            "recruitment": "Clinicians by letter; patients through their clinician, then by the "
                           "interviewer.",
            "non_participation": "None recorded in this synthetic study.",
            "setting": "Primary care practices in several towns.",
            "interviews": "One interviewer; patients and clinicians interviewed separately.",
            "recording": "Audio-recorded and transcribed verbatim.",
            "field_notes": "Reflective notes after every interview.",
            "repeat_interviews": "None.",
            "transcripts_returned": "Not returned.",
            "reflexivity": "The interviewer is a clinician and kept a journal of assumptions.",
            "coders": "Three team members, coding in pairs.",
            "analysis": "Excerpts coded, then case studies of dyads and clinicians, then "
                        "comparison across clinicians.",
            "software": "None (synthetic).",
            "ethics": "Not applicable: synthetic data.",
            "prior_work": "Extends work on continuity and shared decisions.",
            "limitations": "Synthetic text: counts and patterns carry no meaning.",
            "conflicts": "None.",
            "funding": "None.",
        },
        "interviewer": {
            "name": "A. Author", "credentials": "MD", "occupation": "Family physician",
            "gender": "Woman", "experience": "Trained in qualitative interviewing.",
            "relationship": "None with any participant before the study.",
            "participant_knowledge": "Participants knew she was a physician.",
            "characteristics": "A clinician's view of care, kept in view by a journal.",
        },
        "analysis_steps": [
            {"title": "Open coding", "description": "Telling excerpts tagged with open codes."},
            {"title": "Case studies", "description": "A case study per dyad and clinician."},
            {"title": "Comparison", "description": "Cases compared across clinicians."},
        ],
        "interview_guide": "1. Tell me about your doctor.\n2. Tell me about a time your "
                           "doctor made a difference.\n3. What would healing mean for you?\n",
        "member_checking": {
            "description": "The model was shown to two clinicians.",
            "feedback": [{"participant": "D1", "summary": "Recognised the processes."}],
        },
        "saturation": {"after_interview": max(1, interviews - 1),
                       "statement": "The last interviews added detail but no new component."},
        "reporting": {"coreq": {"13": "methods/index.md#non-participation"}},
        "publication": {
            "contrastive_comments": False,
            "dyad_demographics": ["age", "gender", "conditions"],
            "min_cell_size": 3,
            "age_band_width": 10,
        },
    }


def _yaml(data: Any) -> str:
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100,
                               default_flow_style=False)
    return text


def _front_matter(data: dict[str, Any], body: str) -> str:
    return f"---\n{_yaml(data)}---\n{body}"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_synthetic_study(out: Path, dyads: int, clinicians: int, excerpts_per_dyad: int,
                          seed: int) -> None:
    """Write a deterministic synthetic study folder into ``out``.

    Args:
        out: the folder to create; it must not exist or be empty.
        dyads: number of dyad case studies (at least 1).
        clinicians: number of clinicians (1 to ``dyads``); dyads are shared out evenly.
        excerpts_per_dyad: coded excerpts in each dyad (at least 1).
        seed: seed of the random stream; the same arguments give byte-identical folders.

    Returns:
        None. The folder holds ``study.yml`` (signed off: its ``sign_off.manifest`` is the
        fingerprint of the public content, computed with this version of build-site),
        ``model.yml``, ``codebook.yml``, ``clinicians/D<i>.md``, ``dyads/D<i>-P<j>.md``,
        ``docs/about.md`` and ``private/identifiers.yml``.

    Raises:
        ValueError: a count out of range.
        FileExistsError: ``out`` exists and is not an empty folder.
        StudyError: the folder written does not validate (a bug in this module or a change
            of the study format).
    """
    if dyads < 1 or excerpts_per_dyad < 1:
        raise ValueError("dyads and excerpts_per_dyad must be at least 1")
    if not 1 <= clinicians <= dyads:
        raise ValueError(f"clinicians must be between 1 and the number of dyads ({dyads})")
    if dyads + clinicians > MAX_PEOPLE:
        raise ValueError(f"at most {MAX_PEOPLE} dyads and clinicians together")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not an empty folder")

    w = _Writer(seed)
    rng = w.rng
    places = _TOWNS + _PRACTICES + _HOSPITALS + _OUTSIDE
    surnames = iter(_surnames(rng, dyads + clinicians + places))
    towns = [next(surnames) for _ in range(_TOWNS)]
    practices = [f"{next(surnames)} Family Practice" for _ in range(_PRACTICES)]
    hospitals = [f"{next(surnames)} Memorial Hospital" for _ in range(_HOSPITALS)]
    outside = [f"Dr. {next(surnames)}" for _ in range(_OUTSIDE)]

    docs: list[_Clinician] = []
    base, extra = divmod(dyads, clinicians)
    for i in range(1, clinicians + 1):
        woman = rng.random() < 0.5
        first = rng.choice(_CLINICIAN_WOMEN if woman else _CLINICIAN_MEN)
        doc = _Clinician(f"D{i}", first, next(surnames), woman, rng.choice(towns),
                         rng.choice(practices))
        for j in range(1, base + (1 if i <= extra else 0) + 1):
            pw = rng.random() < 0.55
            doc.dyads.append(_Patient(
                f"D{i}-P{j}", rng.choice(_WOMEN if pw else _MEN), next(surnames), pw,
                rng.choice(_PSEUDONYMS_WOMEN if pw else _PSEUDONYMS_MEN)))
        docs.append(doc)

    meta = _study_yml(dyads, clinicians, seed, dyads + clinicians)
    files: dict[str, str] = {
        "study.yml": _yaml(meta),
        "model.yml": "# A generic model for synthetic studies (build_site.synth).\n"
                     + _yaml(MODEL),
        "codebook.yml": _yaml(CODEBOOK),
        "docs/about.md": (
            "# About this study\n\nThis site was built from a synthetic study folder written "
            f"by `build-site synth` with seed {seed}: {clinicians} clinicians, {dyads} dyads "
            f"and {excerpts_per_dyad} excerpts per dyad. Nothing in it describes real people.\n"
        ),
    }
    order = 0
    for doc in docs:
        order += 1
        files[f"clinicians/{doc.id}.md"] = _clinician_file(w, doc, order)
        for patient in doc.dyads:
            order += 1
            files[f"dyads/{patient.id}.md"] = _dyad_file(
                w, doc, patient, order, excerpts_per_dyad, hospitals, outside)

    raw = "\n".join(v for k, v in files.items() if k.startswith(("clinicians/", "dyads/")))
    # Participants are always named; list the shared places and outside physicians only
    # where the text really mentions them.
    pool = [p for p in _pool(towns, practices, hospitals, outside)
            if any(re.search(rf"\b{re.escape(form)}\b", raw) for form in (p.text, *p.variants))]
    used = [*_participants(docs), *pool]
    files["private/identifiers.yml"] = (
        "# Every invented name the synthetic case studies contain, with its replacement.\n"
        + _yaml({"identifiers": [p.entry() for p in used]})
    )
    out.mkdir(parents=True, exist_ok=True)
    for rel in sorted(files):
        _write(out / rel, files[rel])
    _sign_off(out, meta)


SIGN_OFF = {"role": "Principal investigator", "by": "A. Author", "date": "2026-01-01"}


def _sign_off(out: Path, meta: dict[str, Any]) -> None:
    """Record in ``study.yml`` the sign-off of exactly what the public build will publish: the
    fingerprint ``build-site manifest`` prints, computed by the same stages as a build."""
    from build_site.signoff import fingerprint

    digest = fingerprint(out)
    _write(out / "study.yml", _yaml({**meta, "sign_off": {**SIGN_OFF, "manifest": digest}}))


def _participants(docs: list[_Clinician]) -> list[_Person]:
    people: list[_Person] = []
    for doc in docs:
        people.append(_Person(f"Dr. {doc.first} {doc.surname}", doc.id, "person",
                              [f"{doc.first} {doc.surname}", f"Dr. {doc.surname}", doc.surname]))
        for patient in doc.dyads:
            title = "Ms." if patient.woman else "Mr."
            people.append(_Person(f"{patient.first} {patient.surname}", patient.pseudonym,
                                  "person", [f"{title} {patient.surname}", patient.surname]))
    return people


def _pool(towns: list[str], practices: list[str], hospitals: list[str],
          outside: list[str]) -> list[_Person]:
    people = [_Person(t, "[a small town]", "place") for t in towns]
    people += [_Person(p, "[a family practice]", "institution", [p.split()[0]])
               for p in practices]
    people += [_Person(h, "[a regional hospital]", "institution",
                       [h.rsplit(" ", 1)[0], h.split()[0]]) for h in hospitals]
    people += [_Person(o, "[another physician]", "person", [o.split()[1]]) for o in outside]
    return people


def _clinician_slots(doc: _Clinician) -> dict[str, str]:
    return {"D": f"Dr. {doc.surname}", "Dfull": f"Dr. {doc.first} {doc.surname}",
            "town": doc.town, "practice": doc.practice, **_pronouns(doc.woman, "d")}


def _patient_ref(patient: _Patient) -> str:
    return f"{'Ms.' if patient.woman else 'Mr.'} {patient.surname}"


def _clinician_file(w: _Writer, doc: _Clinician, order: int) -> str:
    rng = w.rng
    names = [f"{p.first} {p.surname}" for p in doc.dyads]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    refs = [_patient_ref(p) for p in doc.dyads]
    slots = {**_clinician_slots(doc), "names": listed, "Pf1": refs[0], "Pf2": refs[-1],
             "specialty": rng.choice(_SPECIALTIES), "yip": str(rng.randint(8, 35))}
    if len(refs) > 1:
        slots["Pf2"] = refs[1]
    first_patient = doc.dyads[0]
    say = {**slots, "Pf": _patient_ref(first_patient), **_pronouns(first_patient.woman)}
    excerpts = []
    said: list[str] = []
    for k in range(1, 4):
        excerpts.append({
            "id": f"{doc.id}-E{k}", "speaker": "clinician",
            "codes": sorted({w.next_code() for _ in range(rng.randint(1, 2))}),
            "text": w.excerpt_text(_CLINICIAN_SAYS, say, said), "contrast": False,
            "disconfirming": False, "publish": True,
        })
    data = {
        "id": doc.id,
        "status": "approved",
        "demographics": {
            "gender": "woman" if doc.woman else "man",
            "age": rng.randint(34, 70),
            "years_in_practice": int(slots["yip"]),
            "specialty": slots["specialty"],
            "practice_setting": rng.choice(_SETTINGS),
        },
        "interview": {"order": order, "duration_minutes": rng.randint(60, 120),
                      "others_present": []},
        "consent": {"quote": True, "public_site": True, "archive": True,
                    "share_with_clinician": True},
        "memos": [{"author": "BA", "text": rng.choice(_MEMOS)}],
        "excerpts": excerpts,
    }
    return _front_matter(data, w.clinician_narrative(slots))


def _dyad_file(w: _Writer, doc: _Clinician, patient: _Patient, order: int, count: int,
               hospitals: list[str], outside: list[str]) -> str:
    rng = w.rng
    conditions = rng.sample(_CONDITIONS, rng.randint(1, 3))
    others = [rng.choice(_OTHERS_PRESENT)] if rng.random() < 0.2 else []
    years = rng.randint(2, 30)
    age = rng.randint(max(22, years + 18), 94)  # over 89 shows as "90 or older"
    slots = {
        **_clinician_slots(doc), **_pronouns(patient.woman),
        "P": f"{patient.first} {patient.surname}", "Pf": _patient_ref(patient),
        "hosp": rng.choice(hospitals), "other": rng.choice(outside),
        "cond": conditions[0], "cond2": conditions[-1] if len(conditions) > 1 else "arthritis",
        "years": str(years),
    }
    excerpts = []
    said: list[str] = []
    for k in range(1, count + 1):
        roll = rng.random()
        contrast = roll < 0.06
        if contrast:
            speaker, bank = "patient", _CONTRAST_SAYS
            codes = [rng.choice(_CONTRAST_CODES)[0]]
        else:
            if others and roll > 0.88:
                speaker, bank = "other", _OTHER_SAYS
            elif roll > 0.7:
                speaker, bank = "clinician", _CLINICIAN_SAYS
            else:
                speaker, bank = "patient", _PATIENT_SAYS
            codes = sorted({w.next_code() for _ in range(rng.choice([1, 2, 2, 3]))})
        excerpt: dict[str, Any] = {"id": f"{patient.id}-E{k}", "speaker": speaker}
        if speaker == "other":
            excerpt["role"] = others[0]
        excerpt |= {"codes": codes, "text": w.excerpt_text(bank, slots, said),
                    "contrast": contrast,
                    "disconfirming": not contrast and rng.random() < 0.05,
                    "publish": rng.random() >= 0.03}
        excerpts.append(excerpt)
    components = [c["id"] for c in MODEL["components"]]
    labels = {c["id"]: c["label"] for c in MODEL["components"]}
    summaries = {
        c: rng.choice(_SUMMARIES).format(label=labels[c])
        for c in sorted(rng.sample(components, rng.randint(2, 4)), key=components.index)
    }
    everyone = {"quote": True, "public_site": True, "archive": True, "share_with_clinician": True}
    consent: dict[str, Any] = {"patient": dict(everyone)}
    if others:
        consent["others"] = {others[0]: dict(everyone)}
    data = {
        "id": patient.id,
        "clinician": doc.id,
        "status": "approved",
        "demographics": {
            "age": age,
            "gender": "woman" if patient.woman else "man",
            "conditions": conditions,
            "years_with_clinician": years,
        },
        "interview": {"order": order, "duration_minutes": rng.randint(45, 120),
                      "others_present": others},
        "consent": consent,
        "summaries": summaries,
        "memos": [{"author": rng.choice(["AA", "BA", "CC"]), "text": rng.choice(_MEMOS)}],
        "excerpts": excerpts,
    }
    return _front_matter(data, w.dyad_narrative(slots))


def default_clinicians(dyads: int) -> int:
    """The bundled study's ratio of clinicians to dyads (5 to 23), at least 1.

    Args:
        dyads: number of dyads.

    Returns:
        The number of clinicians.
    """
    return max(1, min(dyads, round(dyads * 5 / 23)))
