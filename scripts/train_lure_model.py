"""Train the "reads like known lures" model (screening/lure_model.py) on the corpus's train split.

Run (scikit-learn is in the dev lock; the bot itself does not need it):
  .venv/bin/python scripts/train_lure_model.py                    write screening/data/lure_model.json
  .venv/bin/python scripts/train_lure_model.py --check            fail if the shipped file differs
  .venv/bin/python scripts/train_lure_model.py --cross-validate   the chosen settings, out of fold
  .venv/bin/python scripts/train_lure_model.py --search           every setting tried, out of fold

Reads only the `train` rows of `tests/corpus/real/<lang>.jsonl` (real lures and real legitimate ads,
each with its source; the split was frozen before any tuning, see tests/corpus/real/README.md),
fits scikit-learn's TF-IDF character n-grams and a logistic regression, and writes the vocabulary,
weights, thresholds and a digest of the rows trained on to `screening/data/lure_model.json`. Then it
checks that the plain-Python reader gives scikit-learn's probabilities on every training text.

Beside them, the synthetic corpus's `tuning` part (tests/corpus/offers.jsonl, written by this
project: lures in all 13 languages, and legitimate ads as hard cases, real-looking ads with free
housing, flights and good pay), at a quarter of a real row's weight since 2026-12-07 (until then
its legitimate ads only, at full weight; see the last round below). They never count in a
figure; the synthetic `holdout` part stays unseen. `tests/corpus/real/ordinary.jsonl` is not
trained on by the shipped settings: it measures false alarms (`--search` tries half of it).

How the settings were chosen (`--search` prints every one tried): five-fold cross-validation on
the real train split, folds grouped by source address (rows of one article never sit on both sides),
measuring the whole screening outcome: each held-out text is assessed by the rules as the bot does,
and the model's flags are added under their gates when its out-of-fold probability reaches their
thresholds. Three gates (`screening.assess`): `second_opinion_counts`, the rules' medium band, where
the flag (reads_like_known_lures, weight 3) at `THRESHOLD` lifts the offer to high;
`strong_opinion_counts`, a job offer the rules rate low but not zero, where the strong flag
(reads_very_like_known_lures, weight 5, the same message) at `STRONG_THRESHOLD` lifts it to high;
and, since session 13, `alone_opinion_counts`, a job offer of at least `assess.ALONE_MIN_CHARS`
characters the rules score 0, where the alone flag (reads_alone_like_known_lures, weight 6, the
same message) at `ALONE_THRESHOLD` lifts it to high: the model alone. Kept (`acceptable`): the most
lures rated high, on average over the script's folds and the four more splits, among the settings
that on every one of them rate no legitimate ad high that the rules alone do not, and whose model
alone flags at most 1 in 50 legitimate ads out of fold at the lowest threshold it speaks at; with
no ordinary message rated medium or above (all 251: the shipped settings never train on them) and
no short line of chat lifted so by the alone gate. The model-alone bar matters because the rules
were tuned on these same rows: out of fold they rate few legitimate ads medium or low (19 and 8 of
130), fewer than on unseen text, so the screening figure alone would not show what the model does
to legitimate ads. (An earlier setting,
C=100 at p >= 0.5 beside any warning sign, flagged 7 of 83 legitimate ads alone and lost
specificity on the test split.) The synthetic negatives are always used (without them the model
learnt "perks = lure").

History. Chosen on the train split of 2026-12-06 (146 lures, 83 legitimate ads), medium gate only,
p >= 0.7, out of fold: rules alone 110 of 146 lures high, 0 of 83 legitimate ads high; with the model
116 of 146 and 0 of 83; the model alone flags 93 of 146 lures and 1 of 83 legitimate ads. On the
grown split (162 lures, 105 legitimate ads; the same settings won): rules alone 113 of 162 and 0 of
105; with the model 124 of 162 and 0 of 105; the model alone 104 of 162 and 2 of 105.

On the split grown again (180 lures, 130 legitimate ads, 2026-12-07), out of fold (lures high of
180 / legitimate ads high of 130 / legitimate ads the model alone flags at its lowest threshold):
  rules alone                                           123 / 0
  medium gate at p >= 0.7 (the settings shipped till then) 137 / 0 / 3: fails the model-alone bar
  medium gate at p >= 0.75, or 0.8                      136 / 0 / 2, 135 / 0 / 2
  CHOSEN: medium at p >= 0.75 (+3), low > 0 at p >= 0.9 (+5)   142 / 0 / 2 (1 at p >= 0.9);
    by language: en 30/34, hi 11/15, id 21/25, ko 13/17, ms 10/12, th 13/16, tl 16/18, vi 11/16,
    zh_Hans 7/10, zh_Hant 6/10 (rules alone: 27, 9, 18, 9, 9, 12, 16, 9, 5, 5)
  the same with weight 4 on the low band                140 / 0 / 2 (a score of 1 + 4 stays medium)
  low > 0 at p >= 0.8 or 0.85 (+5)                      145, 144 / 1 / 2: a legitimate ad the rules
    rate low reads at p = 0.88, the nearest to the chosen 0.9 (so that margin is thin)
  low > 0 at p >= 0.95 (+5)                             139 / 0 / 2
  also a score of 0 in a job offer at p >= 0.95 (+6, the model alone), beside the chosen gates:
    +2 lures, 0 legitimate ads out of fold, but ordinary messages about a job read like lures to
    the model ("Its not the same here. Still looking for a job. How much do Ta's earn there",
    p = 0.97, in tests/corpus/real/ordinary.jsonl) and would be rated high: not kept
  With the chosen gates the shipped model reads 1 of the 251 ordinary messages (none is lifted:
  0 rated medium or above).
Other features, each with the best gates the rule keeps (one-off scripts, not kept; the same
folds and gates): char_wb (1, 4) 3,000 n-grams 143 (medium 0.8, low 0.85): one row ahead, within
noise, not kept; (1, 3) 6,000 n-grams 140; (1, 5) 8,000 135; (1, 3) C=10 135; (1, 4) and (2, 4)
with 6,000 n-grams: no setting passes the bars. Word n-grams beside the character ones (word
(1, 1) 1,000 or (1, 2) 2,000 TF-IDF stacked with char_wb (1, 3) 3,000; C=100 or 30) 140-141:
not better, and the plain reader would need scikit-learn's word tokeniser. What the rules and
readers found, stacked beside the character n-grams (one feature per rule or signal found, and the
rules' score and band; the readers' destination/route/pay/abroad are rules there): 139 at best under
the gates, and 131-139 as a lone verdict (high when the rules say so or p >= 0.8-0.95): not better,
and its out-of-fold figures on legitimate ads would be flattered by rules tuned on these rows.
When train rows are added, running this script without a flag retrains on them with the same
settings and thresholds (deterministic: GroupKFold does not shuffle, the solver has no randomness);
`--cross-validate` then gives the new out-of-fold figures and `--search` says whether the rule above
still keeps them (if not, change SETTINGS/THRESHOLD/STRONG_THRESHOLD and the weights in
red_flags.json by what it prints, and record it here).
On the split grown again (194 lures, 140 legitimate ads, 2026-12-07, with the negations, legal
channels and pay at market of branch n-rules), `--search`, out of fold: rules alone 128 / 0; the
settings chosen above (C=100, medium p >= 0.75 +3, low > 0 p >= 0.9 +5) 149 / 0, but their model
alone flags 3 of 140 legitimate ads at p >= 0.75 (and at 0.8): over the 1-in-50 bar. The rule keeps
CHOSEN THEN: C=10, medium at p >= 0.7 (+3), low > 0 at p >= 0.85 (+5)   146 / 0 / 2
(+4 ties at 146; +5 kept, as shipped: any low score above zero plus the strong flag reaches high).
C=10 with medium 0.75 and low 0.9 gives 143 / 0 / 2.
(Before this round, `--search` on the later rules of branch m-rules, not kept, put C=100 at
p >= 0.8 one lure ahead of the 0.7 setting then shipped: within one row, so it was kept.)

More training text (2026-12-07, round 2, branch p-model; the same 194 lures and 140 legitimate
ads). `--search` now also tries, on the training side of every fold only (never held out, never
counted): the synthetic lures of offers.jsonl's `tuning` part (its `holdout` part stays unseen),
sample weights below 1 for the synthetic text, and the ordinary messages (ordinary.jsonl) as
negatives, but only the half `ordinary_held_out` leaves out; the other half (120 messages) is
where every setting's false alarms are now measured (the model trained on every train row reads
them; the selection rule gained: none rated medium or above that the rules alone do not rate so).
It also prints a third gate screening.assess does not have, the model alone on a job offer the
rules score 0 (+6), which the rule never keeps. Out of fold, the best setting each keeps (lures
high of 194 / legitimate ads high of 140 / model-alone legitimate flags at its lowest threshold /
ordinary messages rated medium or above of 120):
  shipped: C=10, synthetic legitimate ads at weight 1; medium 0.7, low > 0 0.85   146 / 0 / 2 / 0
  + synthetic lures at weight 1 (medium 0.75), or 0.5 (medium 0.75, low 0.95)    138, 141 / 0 / 1 / 0
  all synthetic text at weight 0.25 (medium 0.6)                                 149 / 0 / 2 / 0
  C=30, synthetic legitimate 0.25, lures 0.1 (medium 0.65, low 0.95 +4)          150 / 0 / 1 / 0
  + ordinary half at weight 1 (medium 0.8, low 0.8), or with lures 0.5            143, 141 / 0 / 1 / 0
  C=100, synthetic legitimate 0.25, lures 0.1, ordinary 1 (medium 0.75)          146 / 0 / 1 / 0
    the same with the model alone at score 0 and p >= 0.9 (+6)                   153 / 0 / 1 / 0
The best with more text is C=30 (150), four lures ahead: at the edge of noise, after trying 13
settings and ~60 gates each. Four more grouped five-fold splits (sources shuffled with seeds 0-3; a
one-off script, the same settings and gates) put it at 150, 149, 146, 150 against the shipped 146,
146, 145, 146 (+3.0 on average), and on one of them its model alone flags 4 of 140 legitimate ads at
0.65 (over the bar). All synthetic text at 0.25: 149, 147, 146, 147. Not kept: the shipped file
stays as it was. (Learning from the synthetic lures also makes ordinary messages read like lures: 12
of 120 at p >= 0.9 for the C=30 setting, 4 for the shipped one; harmless under today's gates.)
The model alone at score 0, p >= 0.9, with the ordinary half as negatives (C=100 above), is the one
steady gain: 153, 154, 152, 153 on the four other splits (+7), no legitimate ad rated high (though
its model alone flags 3 and 4 of 140 at the medium gate's 0.8 on two of them; 1 at 0.9), 0 of 120
ordinary messages (by language, against the shipped: hi 12 / 10 of 16, ms 11 / 9 of 12, en 30 / 32
of 37, id, th, tl, vi, zh_Hans one more each). It is not shipped: it would make the model speak
alone (a new gate in screening.assess and a rule in red_flags.json), and on unseen text it rates
high 1 of 18 synthetic `holdout` legitimate ads the rules score 0 (a teacher's ad in Hanoi, p =
0.91) and 2 of 44 such job-related short messages (tests/corpus/short_messages.jsonl: "check this
job offer for me", in Hindi, 0.94); at p >= 0.95 none of those, but out of fold only +3 (149). Were
a setting with `ordinary_weight` ever shipped, tests/screening/test_real_corpus.py's
ordinary-messages check must measure only the `ordinary_held_out` half, and the digest must cover
the ordinary half too (`train` refuses such settings until then). `--search` prints what the rule keeps
among the settings that ship today ("kept by the rule") and, apart, the best with more training
text.

On the corpus and rules merged next (2026-12-07: branches p-corpus-b and p-rules; 248 lures, 176
legitimate ads; the rules alone 148 / 1), the settings chosen above fail the rule: C=10 at
medium 0.7, low > 0 0.85 gives 175 / 3 / 5 (two legitimate ads rated high that the rules alone do
not, and its model alone flags 5 of 176 at 0.7). With the synthetic text as it was (weight 1, no
synthetic lures) the rule keeps only medium at p >= 0.85: 159 / 1 / 1. More training text does
better here; the selection rule now also asks that the choice hold (no legitimate ad rated high
that the rules alone do not, the model alone at most 1 in 50) on the four more grouped splits
`--cross-validate` prints (EXTRA_SPLITS), since the most lures on the script's folds alone is the
maximum over many tries. Out of fold, the script's folds / the four more splits (lures high of
248; legitimate ads high of 176 in brackets where not 1 on some split; model alone legitimate at
its lowest threshold):
  weights 1, medium 0.85 (the rule's pick without more text)   159 / 159 160 159 157; 1 3 1 0 1
  weights 1, medium 0.85, low > 0 0.85                         162 / 164 165 163 160 [2 2 1 1 1]; 1 3 1 0 1
  synthetic legitimate and lures at weight 0.25:
    medium 0.7, low > 0 0.85 (the most on the script's folds)  175 / 173 175 174 173 [2 on two]; 3 5 4 4 3
    medium 0.75, low > 0 0.85                                  171 / 173 170 171 173 [2 on two]; 2 2 3 3 2
    CHOSEN: medium 0.8 (+3), low > 0 0.9 (+5)                  166 / 166 165 167 164; 2 2 2 3 2
    medium 0.8, low > 0 0.85                                   167 / 166 167 168 166 [2 on two]; 2 2 2 3 2
The chosen setting holds on every split, +7 lures on the rule's pick without more text (+5 to +8
on each split). By language on the script's folds (with the model / the rules alone): see
`--cross-validate`. The model alone flags 2 of 176 legitimate ads at 0.8 and none at 0.9; the
ordinary messages: 0 of 251 rated medium or above (23 read at p >= 0.8, none gated; "Still
looking for a job. How much do Ta's earn there" now reads 0.73). It trains on the synthetic
lures of the tuning part too, so the synthetic corpus's tuning figures (never reported) are
flattered a little more; its holdout part stays unseen.

Retrained on the fifth corpus batch and the q-rules round (2026-12-07, 287 lures, 206 legitimate
ads; the rules alone 189 / 1, the one a Tagalog legitimate row the rules rate high) with the same
settings, which still pass the rule: out of fold 211 / 1; the four more splits 208 208 208 206,
legitimate ads high 1 on each; the model alone flags 2 1 2 3 of 206 legitimate ads at 0.8 (at most
1 in 50 on every split) and 1 on the script's folds, none at 0.9. `--search` was not run again.

Retrained on the sixth corpus batch and branch u-fp's false-alarm classes (2026-12-07, tenth
session; 328 lures, 230 legitimate ads; the rules alone 204 / 4). The settings shipped till then
(synthetic text at 0.25, medium 0.8, low > 0 0.9) fail the rule on one of the four more splits:
232 / 4 on the script's folds, but 231 / 4 with the model alone flagging 6 of 230 legitimate ads
at 0.8 on split 0 (over 1 in 50). `--search` keeps C=10 with the synthetic legitimate ads at weight
1 and no synthetic lures at medium 0.8 (232 / 4 / 4), which fails on two extra splits too (6 and 5).
Checked on all five splits (a one-off script; lures high / legitimate high / model alone at its
lowest threshold):
  synthetic 0.25 / 0.25, medium 0.8, low > 0 0.9     232/4/3  231/4/6!  233/4/3  229/4/2  227/4/1
  CHOSEN: the same, medium 0.85                       227/4/1  224/4/0  226/4/0  223/4/1  225/4/0
  synthetic 1 / 0, medium 0.8                         232/4/4  231/4/6!  235/4/5!  230/4/4  227/4/4
  synthetic 1 / 0, medium 0.85                        227/4/2  224/4/3  227/4/1  224/4/2  224/4/2
The chosen one holds on every split (the 4 legitimate ads high are the rules' own, see u-fp in
screening/data/SOURCES.md); five lures fewer than 0.8 on the script's folds, the price of the
model alone never flagging more than 1 of 230 legitimate ads.

Checked again after the eleventh session's rules (branches w-rules-a/b/c and w-walk: the lure
told as bait or as a promise, held-person phrasings; the same 328 lures and 230 legitimate ads, so
the model file is unchanged, only what its gates see): `--cross-validate`, out of fold, rules alone
209 / 4, with the model 231 / 4; the four more splits 228 230 228 228, legitimate ads high 4 on
each (the rules' own); the model alone flags 1 of 230 at 0.85 on the script's folds and 0 1 0 0 on
the four more splits. The settings still pass the rule; `--search` was not run again.

Session 13 (branch m-model; 334 lures, 232 legitimate ads; the rules alone 220 / 5, the 5 their
own): a bigger vocabulary and the model alone on a long job offer the rules score 0 (a third of
the lures missed on unseen text score 0: out of fold 35 of 334 lures are job offers the rules
score 0, beside 173 legitimate ads). `--search` now scores each setting on all five grouped
splits (the script's folds, then seeds 0-3) and keeps the best mean among those the rule keeps on
every one; the rule lost its "at most 1 in 50 legitimate ads high" clause (the rules' own 5 of 232
fail it whatever the model does; the model may still add none) and gained the lines of chat. Out
of fold, lures high of 334 on the five splits (mean) / legitimate ads high of 232 / the model
alone's legitimate flags at its lowest threshold / ordinary messages medium or above of 251:
  shipped till now: (1, 3), 3,000 n-grams; medium 0.85, low > 0 0.9
                                      240 233 238 236 238 (237.0) / 5 / 1 0 0 0 1 / 0
  the same model, medium 0.8, low > 0 0.9, alone 0.85
                                      250 249 250 251 251 (250.2) / 5 / 3 2 3 2 2 / 0
  CHOSEN: (1, 3), 10,000 n-grams; medium 0.75 (+3), low > 0 0.9 (+5), alone at 0.85 (+6)
                                      253 251 256 254 254 (253.6) / 5 / 2 3 3 2 2 / 0
  the same without the alone gate     (248.8); with the alone gate at 0.9 (250.8)
  12,000 n-grams: 253.6 (ties; the smaller kept); 15,000: 252.8; all 22,203: 254.4 under the
  grid of the one-off script (low > 0 0.85, see below); 8,000: 250.6; 5,000: 245.0
  (1, 4) 3,000 / 6,000 / 10,000 / 20,000 n-grams: 242.8 / 252.0 / 247.4 / 256.0 (20,000 with low
    > 0 at 0.85, which the rule no longer tries); (2, 5) 6,000 / 10,000 / 20,000: 233.8 / 243.0 /
    248.2; (2, 3) 10,000: 247.8
  word unigrams (1,000) or uni+bigrams (2,000) beside char (1, 3) 3,000 (FeatureUnion): 252.8,
    249.0; word unigrams beside 10,000 char n-grams: 257.8 (+1.4 on the chosen at low > 0 0.85:
    within noise, and the reader would need scikit-learn's word tokeniser)
  sublinear tf off: 232.8; min_df 1 or 3: 250.4, 250.2 (10,000 with min_df 3: 256.8 vs 256.4 at
    low > 0 0.85: the same); C=1, 3, 30, 100 (3,000): 225.4, 243.2, 240.8, none passes the bar
    (the model alone flags 7-13 legitimate ads); 10,000 with C=3 or 30: 239.8, 252.2;
    class_weight None: 248.0
  synthetic text (legitimate / lure weight), 3,000 n-grams: 1/0 233.8, 0.5/0.5 249.8, 0.1/0.1
    244.6, 0.25/0 244.0, 1/1 247.6 (chosen 0.25/0.25: 250.2); 10,000: 1/0 239.6, 0.5/0.5 251.0,
    0.1/0.1 247.6
(The rows above without a gate named were measured by a one-off script with the same folds and
acceptance, with low > 0 at 0.85 allowed, and its alone gate at >= 60 characters; the settings
in MODELS are what `--search` prints.) By language on the script's folds, the chosen against the
shipped till now (rules alone in brackets): en 50/48 (45) of 65, hi 25/25 (22) of 31, id 27/26
(24) of 36, ko 31/28 (23) of 40, ms 11/10 (10) of 12, th 19/18 (17) of 26, tl 26/23 (22) of 39,
vi 38/35 (32) of 45, zh_Hans 11/11 (11) of 20, zh_Hant 9/10 (8) of 13. Bars beside the OOF ones:
the 251 ordinary messages (none rated medium or above; the highest a score-0 job offer of 60
characters or more among them reads is 0.75, against the alone gate's 0.85), the 390 lines of chat
of tests/corpus/short_messages.jsonl (the alone gate lifts none: "they said the visa is arranged
on arrival" reads 0.89 at 41 characters, a Hindi "check this job offer for me" 0.87: hence
ALONE_MIN_CHARS = 60; out of fold it lifts lures of 83 characters and more, and leaves two of 25
and 47 it reads above 0.85), the synthetic holdout's
legitimate ads (none more rated high) and the ordinary ads of tests/screening/test_plain_lures.py
(low > 0 at 0.85 rates one high, an Indonesian customer-service ad at p = 0.86: the strong gate
stays at 0.9). The highest out-of-fold reading of a legitimate job offer of 60 characters or more
the rules score 0 is 0.76. Cost:
the alone gate reads the model on most legitimate job offers (on the train rows and ordinary
messages, 320 reads of 817 texts against 117), so the reader now keeps each word's n-grams
(screening.lure_model, `known_words`): 1,074 -> 346 µs per 2 KB offer with the 10,000 n-grams
(885 µs with the 3,000 before); screening CPU per real text 275 -> 300 µs (bench/screening_bench.py
reads no model on its 2 KB offers, all rated very high: 1,418 -> 1,405 per CPU second, unchanged).
The file is 308 KB (92 KB before).

Session 13, second round (branch m-model2; the train split grown to 389 lures and 255 legitimate
ads, with fake overseas jobs to ordinary destinations and lawful work-abroad notices, and the rules
of pay_to_be_sent and cost_paid_to_official_body; the rules alone 244 / 6). The settings chosen just
above fail the rule now: (1, 3) 10,000 n-grams at medium 0.75, low > 0 0.9, alone 0.85 gives
286 283 281 284 282 (283.2) but rates 7 legitimate ads high on two splits (one more than the rules)
and its model alone flags 6 of 255 at 0.75 on one. `--search` with (1, 4) 10,000-20,000 n-grams and
the alone gate at 0.8 added, and a one-off script (the same folds and rule, vectorised; also the
alone gate's minimum length 40/60/80/100, the strong gate at 0.85, class_weight None, and the
ordinary ads of tests/screening/test_plain_lures.py, none of which may be rated high). Out of fold,
lures high of 389 on the five splits (mean) / legitimate ads high of 255 / the model alone's
legitimate flags at its lowest threshold (ordinary messages 0 of 251 and lines of chat 0 of 390 on
every row kept):
  (1, 3) 10,000, the best gates the rule keeps: medium 0.8, low > 0 0.9, alone 0.85
                                      278 277 276 279 278 (277.6) / 6 / 2 2 3 2 1
  (1, 3) 10,000 C=30, what `--search` kept before the (1, 4) 15,000 and 20,000 settings and the
    alone gate at 0.8 joined it: medium 0.85, low > 0 0.95, alone 0.93  280.6 / 6 / 3 4 3 3 3
  (1, 3) 15,000 / 20,000, the same gates: 277.0 / 275.8 (at medium 0.75 both fail: 7 high)
  (1, 3) 20,000 C=30: 277.8 at best (medium 0.85, low 0.95, alone 0.93); medium 0.75 fails
    (8 high, the model alone 9); class_weight None, 10,000: 272.0 at best (and the Indonesian
    ordinary ad of test_plain_lures.py rated high), 0.75 fails
  (1, 4) 15,000, medium 0.75, low > 0 0.9, alone 0.8  290 291 289 295 288 (290.6) / 6 / 3 5 5 2 4
  CHOSEN: (1, 4) 20,000 n-grams, C=10; medium 0.75 (+3), low > 0 0.9 (+5), alone 0.8 (+6)
                                      290 294 288 293 290 (291.0) / 6 / 3 3 3 3 3
  the same with the alone gate at 0.85: 284.0; with low > 0 at 0.85: 293.2, but one of the
    ordinary ads of test_plain_lures.py (score 2) reads 0.83, too near: the strong gate stays 0.9
  the alone gate's minimum length: 60, 80 or 100 the same out of fold; 50 rates a legitimate ad
    high on one split, 40 also lifts a line of chat
  (1, 4) 20,000 with C=30: 287.0 at best (medium 0.85, low 0.9, alone 0.9), at the chosen gates
    304.8 but 7 legitimate ads high and the model alone 9; class_weight None: 285.6 at best
    (medium 0.8, low 0.9, alone 0.85), at the chosen gates 297.6 but 7 high, the model alone 8
`--search` as written now (its MODELS and POLICIES with these) keeps the chosen one: 291.0.
+13.4 lures on the best (1, 3) setting the rule keeps at C=10 (+10.4 on C=30's 280.6), +12 to +17
on every split, no legitimate ad rated high beyond the rules' own 6. By language on the script's
folds (rules alone in brackets):
en 61 (50) of 77, hi 28 (25) of 35, id 33 (27) of 44, ko 28 (23) of 42, ms 11 (10) of 12, th 20 (18)
of 27, tl 36 (27) of 49, vi 45 (37) of 56, zh_Hant 9 (8) of 15, zh_Hans 13 (13) of 25, km 5/5, lo
1/1, my 0/1. Margins: the highest out-of-fold reading of a legitimate job offer of 60 characters or
more the rules score 0 is 0.71-0.78 on the five splits (184 such ads; the alone gate is at 0.8);
of such ordinary messages 0.73; lines of chat of 60 characters or more the rules score 0 as job
offers: none; the model alone flags 3 of 255 legitimate ads at 0.75, none at 0.8. Cost (bench/
lure_model_bench.py, old and new alternately): the reader 343 -> 451 µs per 2 KB offer with the
words known (530 -> 683 µs by a fresh model); assess_text 307 -> 324 µs CPU per real text; the
file 308 -> 626 KB.

At the merge (2026-12-07, thirteenth session), the train split grown again by g-corpus4 and the rules
by r-money (402 lures, 258 legitimate ads): the chosen setting above fails the rule on one split
(`--cross-validate`: split 0 rates a 7th legitimate ad high, its model alone flags 6), and `--search`
keeps (1, 4) 15,000 n-grams, C=10; medium 0.8 (+3), low > 0 0.9 (+5), alone 0.85 (+6):
282 283 287 280 285 (284.0) / 6 / 1 3 0 0 1, ordinary messages 0. Shipped.

Session 14 (branch m-model3; the same 402 lures and 258 legitimate ads; the rules alone 241 / 6):
learning classes rather than strings. On unseen text a third of the lures still read low or
nothing, mostly fake overseas jobs worded plainly, and character n-grams learn strings: a lure to
Korea paying 3,000 USD and one to Japan paying ¥300,000 share few of them. `Settings.abstraction`
has the text read through screening.lure_model.abstract before its n-grams are made, at training
and at read time (the screening gives the reader the text's language): "entities" replaces what
the project's readers find by a token of its class (screening.places' places with their span:
the countries where compounds operate, home, abroad; screening.money.read_money's amounts: the
monthly pay's band in US dollars below 400 / 1,000 / 2,000 / 4,000 / above, per task, a fee;
screening.contacts' phones, handles and links), adds the class of every country
screening.places.countries_named names (it gives no span: the name stays), and reads the other
digits as 0; "entities+" keeps the words and adds every class at the end. Out of fold on the five
splits, by a one-off script calling this script's folds, gates (POLICIES) and rule (`acceptable`),
the best gates the rule keeps (lures high of 402, mean / legitimate ads high of 258 / the model
alone's legitimate flags at its lowest threshold; ordinary messages 0 of 251 and lines of chat 0 of
390 on every row):
  shipped: (1, 4) 15,000, C=10; medium 0.8, low > 0 0.9, alone 0.85
                                      282 285 286 282 285 (284.0) / 6 / 1 3 0 0 1
  digits read as 0 only, the same     282 282 288 281 284 (283.4) / 6 / 3 3 0 0 1
  (1, 4) 15,000, C=30, no abstraction: medium 0.85, low > 0 0.9, alone 0.93
                                      288 290 289 288 293 (289.6) / 6 / 4 5 1 2 2
  "entities", C=10: 10,000 / 15,000 / 20,000 n-grams   288.8 / 294.0 / 291.6 (15,000 at medium
    0.75, alone 0.85, its model alone 2 3 5 3 2: at the 1-in-50 bar; at the shipped gates 287.6)
  "entities", (1, 3) 10,000, C=10     285.6;  15,000 with C=3: 280.2 (medium 0.7, alone 0.8)
  "entities+", C=10: 15,000 / 20,000  295.2 / 294.4, both only with the alone gate at 0.8 (the model
    alone 4 4 3 5 1 and 4 5 2 4 1); C=30, 15,000: 293.8 (alone 0.9)
  "entities" and every word that names a country (places.countries_named of the word, 12
    characters at most) read as its class, C=30: 295.4
  "entities", 20,000, C=30            293.2
  (the chosen one at the shipped gates fails the rule: a 7th legitimate ad high on one split)
  the rule's pick: "entities", (1, 4) 15,000 n-grams, C=30; medium 0.85, low > 0 0.9, alone 0.93
                                      296 297 295 294 300 (296.4) / 6 / 2 3 3 2 1
  CHOSEN: the same model; medium 0.87 (+3), low > 0 0.9 (+5), alone 0.93 (+6)
                                      293 295 293 290 296 (293.4) / 6 / 2 3 2 1 1
  the same, medium 0.9                286.8 / 6 / 1 1 2 1 0
The medium gate stays above the rule's 0.85 as the strong gate stays at 0.9: at 0.85 it lifts to
high the offer tests/screening/test_negation_mitigation.py keeps medium ("Now hiring caregivers for
Japan. Free airfare and free housing. Salary 200,000 yen a month.", p = 0.851; with the licence
named, 0.28). `--cross-validate` gives the figures above. +9.4 lures on the shipped (+7 to +11 on
every split), +3.8 on the same C without the abstraction at its best gates (+2 to +5 on every
split; at the same gates as chosen, 0.87 / 0.9 / 0.93, C=30 without it reads at most 289.6), no
legitimate ad rated high beyond the rules' own 6; the model alone flags 2 of 258 legitimate ads at
0.87, 1 at 0.9 and at 0.93. By language on the script's folds, chosen / shipped (rules alone): en
56/55 (49) of 78, hi 28/26 (24) of 36, id 32/31 (25) of 44, ko 36/33 (23) of 48, ms 10/10 (10) of
13, th 21/20 (18) of 27, tl 34/33 (27) of 49, vi 44/43 (36) of 56, zh_Hans 16/16 (15) of 28,
zh_Hant 10/9 (8) of 16, km 5/5, lo 1/1, my 0/1: Korean gains most (+3, 13 over the rules). Margins:
the ordinary ads of tests/screening/test_plain_lures.py read at most 0.875 (a Tagalog notice of a
job in Japan with its fees exempted, score 0, so under the alone gate's 0.93; 0.841 by the shipped
model, an Indonesian one, against its strong gate's 0.9). Cost (bench/lure_model_bench.py, old and
new alternately): the reader 412 -> 1,300 µs per 2 KB offer with the words known (the abstraction
reads the amounts, ~380 µs, and the places, ~160 µs, of the 1,000 characters read); assess_text
345-352 -> 413-430 µs CPU per real text (the model read for 378 of 911); the file 465 KB (464
before). Unseen text: the synthetic holdout 40 of 52 lures high and 2 of 52 legitimate ads, as
before; of the 390 lines of chat (the rule counts only the alone gate's, none), not low 51 (50
before): by the medium gate "เพื่อนได้งานที่กัมพูชา" (p = 0.91) now high and "yung kaibigan ko may job
offer sa Cambodia" (0.85) no longer, by the strong gate "perekrut tu hanya guna Telegram je" (0.93)
low -> high. Not tried for want of time: the rules' flags beside the n-grams again (history above: not
better), a word/character union with script-aware tokenisation for th/zh/km/lo/my.

Session 14, the merged train split (498 lures, 297 legitimate ads: 138 rows from new sources
joined, and the rules of five rule branches), a restricted `--search` (/tmp script calling this
script's `search` with five settings; the whole list takes over an hour on the shared machine).
Rules alone 285 of 498 lures high, 8 of 297 legitimate ads. Kept by the rule, best gates:
  (1, 4) 15,000, C=10, the text as written: medium 0.9, low > 0 0.9, alone 0.85
                                      326 328 331 322 325 (326.4) / 8 / 1 1 1 0 1   <- CHOSEN
  the same, low > 0 0.95              322.8;  no strong gate: 320.0;  alone 0.9: 317.0
  "entities", C=30 and C=10, 15,000; "entities", 20,000, C=30; "entities+", C=10: no gate kept.
    One legitimate ad of the new rows (a lawful notice the rules score 3, in the medium band)
    reads p = 0.92-0.94 out of fold and is lifted to high on four of the five splits under every
    medium gate tried (0.9 the highest); at the chosen gates "entities", C=10 reads 317-321.
So m-model3's abstraction, the better model on the old split, is not the better one on the grown
split out of fold, and the shipped model reads the text as written again (`abstraction` stays a
setting). The choice was made by this rule on the train split only; the note of session 14 gives
what each candidate read on the test split afterwards.
Tried after the test split's reading, so not a clean choice, and not shipped: the medium gate's list
widened to 0.93 and 0.95. The rule then keeps "entities", C=10: medium 0.95, low > 0 0.9, alone 0.8,
330 334 336 339 338 (335.4) / 8 / 1 3 4 3 2 (the text as written at its best gates stays 326.4). On
the test split it read 19 lures more than the shipped model and one more legitimate ad high; issue 14
keeps a model only where that split shows no loss of specificity, and widening a grid because a
candidate read well there would make the split a tuning set.

Session 15, the train split grown to 625 lures and 360 legitimate ads (190 rows from new sources:
g-corpus7/8, with 37 more lawful notices in train, the hard negatives the abstraction lacked) and the
rules of r-told, r-fee4, r-legit5, r-vocab, r-num2, r-band and r-places (r-places gives
`countries_named` every country CLDR names, which "entities+" reads). A restricted `--search`
(this script's `search` with MODELS cut to the two (1, 4) 15,000, C=10 settings below; the grid of
POLICIES unchanged, chosen before any reading of the test split) on the merged rules and rows.
Rules alone 396 of 625 lures high, 13 of 360 legitimate ads. Kept by the rule, best gates:
  "entities+": medium 0.8, low > 0 0.9, alone 0.85
                                      475 475 468 471 474 (472.6) / 13 / 1 1 1 2 0
  "entities+", low > 0 0.95           474 474 467 469 471 (471.0) / 13 / 1 1 1 2 0   <- CHOSEN
  "entities+", medium 0.85: 463.0
The best of them rates high one of the ordinary ads of tests/screening/test_plain_lures.py that
must stay below it (as in session 13, a check beside the rule): "고객 상담원 모집 월 250만 원 보장
주5일", which the rules score 2 (low), reads p = 0.908, so the strong gate at 0.9 lifts it. The
next best, the strong gate at 0.95, lifts none of them (the highest such ad the rules rate low
reads 0.908; the English gambling-staff ad 0.861): chosen, 1.6 lures fewer out of fold.
  the text as written: medium 0.8, low > 0 0.9, alone 0.9
                                      463 462 454 455 464 (459.6) / 13 / 3 2 4 3 0
With the 37 lawful notices more, the lawful notice that kept "entities" out in session 14 no longer
decides: +13.0 lures out of fold, every split +10 to +16, no legitimate ad high beyond the rules'.
(A first run of the same search before r-legit5, r-vocab, r-num2, r-band and r-places merged kept
"entities+" too: 467.6 against 454.0.) After that search one rule changed (easy_job_with_perks
needs a job abroad: 2 train lures fewer per half, rules alone). On the final rules
`--cross-validate` reads, for the chosen settings: rules alone 392 of 625 lures high, 13 of 360
legitimate ads; with the model 471 on the script's folds and 471 463 466 468 on the four more splits,
13 legitimate ads high on each, the model alone flagging 1 1 2 0 legitimate ads; by language on the
script's folds (rules alone in brackets) en 114 (86) of 149, hi 48 (40) of 61, id 65 (54) of 83, ko 47
(37) of 68, tl 50 (40) of 65, vi 69 (61) of 87, th 22 (21) of 30, zh_Hans 25 (22) of 41, zh_Hant 14
(14) of 20, ms 11 (11) of 14. Ordinary messages rated medium or above 0 of 251; lines of chat lifted
by the alone gate 0 of 390.
Then m-model4's best candidate (below: "entities+", max_df 0.3, SGD elastic net at alpha 3e-5, the
best by 30 lures on its own run at be901b2) against the chosen one, the same restricted search on
the final rows and rules: its best gates the rule keeps, medium 0.9, low > 0 0.9, alone 0.9,
467 466 464 460 464 (464.2) / 13 / 0 0 0 0 0; the chosen settings 471 471 463 466 468 (467.8) at
their gates (469.4 with the strong gate at 0.9, which test_plain_lures rules out). Its model alone
flags 3-8 of 360 legitimate ads at 0.8, so its gates stay at 0.9. Not shipped: the rule keeps the
chosen settings.

Session 15 (branch m-model4; the train split at main be901b2, 598 lures and 351 legitimate ads; the
rules alone 356 / 14): what no round had tried, by `--search` restricted to a few MODELS (one-off
wrappers, the same folds, gates and rule; all rows in one run, text as written and "entities+" as
references). Out of fold, the best gates the rule keeps, lures high of 598 on the five splits
(mean) / legitimate ads high / the model alone's legitimate flags at its lowest threshold (of 351,
the bar 7; ordinary messages 0 of 251 and lines of chat 0 on every row):
  (1, 4) 15,000, C=10, text as written: medium 0.87, low > 0 0.9, alone 0.9   401.6 / 14 / 0 0 0 0 0
  the same, "entities+": medium 0.8, low > 0 0.9, alone 0.9                   421.8 / 14 / 0 1 3 2 2
  text as written, SGD (log loss, elastic net, alpha 1e-4, l1_ratio 0.15)      406.0
  text as written, `char` n-grams across words (not char_wb)                  409.0
  text as written, max_df 0.5 / 0.3 (medium 0.85, low > 0 0.9, alone 0.85)    418.2 / 419.2
  text as written, SGD, max_df 0.5                                            414.6
  "entities+", max_df 0.5 / 0.4 / 0.3 / 0.2                   434.0 / 432.4 / 445.6 / 444.0
    (0.3 and 0.2 at medium 0.75, low > 0 0.9, alone 0.85; the model alone 4 2 5 2 4 at 0.3)
  "entities+", max_df 0.3, min_df 3 / (1, 4) 20,000 / (1, 5) 20,000         445.2 / 442.6 / 446.0
  "entities", max_df 0.3                                                      426.2
  "entities+", `char`, max_df 0.5                                            431.2 (char_wb 434.0)
  "entities+", SGD, max_df 0.5: alpha 1e-4 / 3e-5 / 3e-4; l1_ratio 0.5  445.8 / 444.6 / 407.4; 435.8
  "entities+", SGD alpha 3e-5, max_df 0.3: medium 0.8, low > 0 0.9, alone 0.9
                                                    455 452 451 452 453 (452.6) / 14 / 4 4 7 4 6
  LinearSVC calibrated by a sigmoid (CalibratedClassifierCV, not grouped): no probability reaches
    0.8, so only medium at 0.7 counts (361.8); dropped, with the classifier option.
Most of max_df's gain is the gates it lets the rule keep, not a better ranking: at the same gates
(medium / low > 0 / alone; one-off script, the same folds and rule), means of the five splits:
                                     0.8/0.9/0.9   0.85/0.95/0.9   0.87/0.95/0.9   0.9/0.95/0.93
  text as written                    fails         fails           400.6           389.6
  "entities+"                        421.8         410.8           407.4           390.0
  "entities+", max_df 0.5            423.0         413.2           408.4           393.0
  "entities+", max_df 0.3            424.2         413.8           407.6           390.8
  "entities+", SGD 1e-4, max_df 0.5  415.0         399.4           391.8           374.0
  "entities+", SGD 3e-5, max_df 0.3  452.6         440.4           436.2           420.6
  "entities+", SGD 3e-5, max_df 0.5  fails         441.0           435.2           420.2
  "entities+", SGD 3e-5, no max_df   fails         fails           fails           421.2
  text as written, max_df 0.3        fails         407.4           402.8           389.0
  text as written, SGD 3e-5, max_df 0.3  fails     fails           429.8           416.8
  without the low band's gate (strong None): medium/alone 0.8/0.9, 0.85/0.9, 0.87/0.93
  "entities+", SGD 3e-5, max_df 0.3  444.6 (the model alone 4 4 7 4 6), 436.4, 425.6
  "entities+", SGD 3e-5, max_df 0.5  fails, 437.4, 424.8
The SGD at alpha 3e-5 (less regularised than C=10) ranks better at every gate: +30 on "entities+"
at the same gates (+29 as written), and at 0.9/0.95/0.93 its model alone flags none of 351
legitimate ads (420.6, +10 on the best "entities+" gate with none, 410.8); at 0.8/0.9/0.9 it is at
the bar (7 on one split). max_df is what keeps it within the rule (without it a 15th legitimate ad
is rated high and an ordinary message medium at the lower gates). Its probabilities are sharper:
the Korean ordinary ad of tests/screening/test_plain_lures.py ("고객 상담원 모집 월 250만 원 보장
주5일", score 2) reads 0.967 (0.909 by "entities+", 0.822 as written), so any strong gate lifts it to
high: with it the low band's gate must go (POLICIES' strong None, the last rows above) or that test
fails; the rule does not see that test. The offer test_negation_mitigation keeps medium reads 0.64.
The candidates added to MODELS: text as written at max_df 0.3, alone and with SGD 3e-5 (should
"entities+" fail again on the final rows, as in session 14), "entities+" at max_df 0.5 and 0.3, SGD
1e-4 and 3e-5 at max_df 0.5, SGD 3e-5 at max_df 0.3 (the best). Not tried: bagging the folds'
models, per-script features, sublinear tf (tried in session 13), class weights other than balanced.
The reader needs no change for any of them (max_df changes the vocabulary, SGD the weights;
tests/screening/test_lure_model.py checks it against scikit-learn); `char` n-grams would need one
(drafted, dropped as it did not win).

Session 16 (the train split grown to 704 lures and 396 legitimate ads; the rules of branches r-fee5,
r-fee6, r-perks2, r-wage3, r-asia, h-places; the rules alone 457 / 17). The restricted search (the
shipped logistic "entities+" and m-model4's SGD 3e-5 at max_df 0.3), out of fold, lures high on the
five splits (mean) / legitimate ads high / the model alone's legitimate flags:
  logistic, medium 0.75, low > 0 0.9, alone 0.9        537 534 534 539 532 (535.2) / 17 / 5 4 2 6 4
  logistic, medium 0.75, low > 0 0.95, alone 0.9       (531.4) / 17 / the same
  SGD, medium 0.8, low > 0 0.9, alone 0.9 (the rule's)  550 554 548 556 552 (552.0) / 17 / 7 5 6 7 6
  SGD, medium 0.8, low > 0 0.95, alone 0.9              (548.6) / 17 / the same
  SGD, medium 0.8, no low band, alone 0.9               541 543 540 547 544 (543.0) / 17 / the same
The rule keeps SGD with a strong gate, but the SGD's probabilities are sharp (as m-model4 found):
the Korean ordinary ad of tests/screening/test_plain_lures.py reads 0.959, so any strong gate in
the grid lifts it to high (the logistic reads it 0.899, a hair under its 0.9). Shipped: the SGD
with no low band's gate (STRONG_THRESHOLD None; screening.lure_model reads a null threshold as
"never"), the best setting that test passes, 11.8 lures above the logistic's best that does
(531.4). `--cross-validate` on the shipped file: 541 of 704 lures high (rules alone 457), 17 of
396 legitimate ads (the rules' own); the model alone flags 7 of 396 legitimate ads at 0.8 and
none at 0.9; ordinary messages medium or above 0 of 251, lines of chat 0 of 390. A lawful line
of tests/screening/test_lawful_cost_named.py (a Canada direct hire naming the IRCC visa fee) reads
0.975 and is rated high by the alone gate, as the logistic (0.96) also does: recorded there as a
known false alarm (a strict xfail).

Session 17 (branch m-model5, issue 14; the same 704 lures and 396 legitimate ads, the rules alone
457 / 17): the misses on unseen text are mostly lures where several weak signs fire, each below
high, or none; the n-gram model does not see what the rules found. Candidates in MODELS, each the
session-16 model with one change (`Settings.rule_tokens`, `stacked`, `word_ngrams`, `class_weight`,
the synthetic weights), by a one-off driver calling this script's `out_of_fold`, POLICIES and
`acceptable` on the five splits. Out of fold, lures high of 704 on the five splits (mean) at the
best gates the rule keeps without the low band's gate (the SGD's probabilities are too sharp for
it: test_plain_lures' Korean ordinary ad reads 0.96-0.995 by every candidate) / legitimate ads high
of 396 / the model alone's legitimate flags at its lowest threshold (ordinary messages 0 of 251,
lines of chat 0 of 390 on every row):
  shipped (session 16): medium 0.8, alone 0.9    541 543 540 547 544 (543.0) / 17 / 7 5 6 7 6
  a token per rule found appended to the text the n-grams are read from (`rule_tokens` "rules";
    the rule's id hashed to a word of letters between two § no text holds): 536.8 (medium 0.8,
    alone 0.85); with the combinations they complete ("rules+combinations"): 545.2 (medium 0.75,
    alone 0.8), but at those gates a model trained so rates high an ordinary Penang factory ad of
    test_plain_lures (score 4, medium) and, with a low band's gate, its Korean ad. (Measured with
    three-letter words, two ids sharing one; the script now draws four letters.)
  word n-grams beside the character ones (FeatureUnion, 2,000 words, scikit-learn's tokens): (1, 1)
    no gate kept (the model alone flags 10-17 legitimate ads at 0.8, 7 at 0.9); (1, 2) 500.6
  class_weight None: 541.2 at best, with a low band's gate (none without it in the four best)
  synthetic text at weight 0.5 / 0.5: 536.8 at best (with a low band's gate); 0.1 / 0.1: 543.8
  CHOSEN: `stacked`: the n-gram model unchanged, read through a second logistic regression
    (scikit-learn's, C=1, balanced) over one feature per rule and per combination the rules found
    (the model's own rules taken out, so it never sees its flags) and the n-gram model's logit,
    fitted on that model's out-of-fold readings of the training side (grouped five-fold inside
    each fold): medium 0.85 (+3), no low band's gate, alone 0.9 (+6)
                                                 547 554 558 556 556 (554.2) / 17 / 5 4 5 6 5
  the same, medium 0.87                          552.2 / 17 / 3 3 4 6 4
  the same with a low band's gate at 0.9         565.8, but test_plain_lures' ordinary ads the rules
    rate low read up to 0.995 (Korean) and 0.967 (a casino job in Chinese): not possible
+11.2 lures on the shipped (+6 to +18 on each split), no legitimate ad rated high beyond the rules'
own 17 on any split, the model alone at most 6 of 396 (the bar 7). By language on the script's
folds, stacked / shipped (rules alone): en 157/159 (118) of 206, hi 57/51 (49) of 63, id 70/69
(56) of 85, ko 55/54 (44) of 73, th 27/26 (25) of 31, tl 53/54 (44) of 68, vi 71/71 (64) of 94,
ms, zh_Hans, zh_Hant, km, lo, my unchanged. `--cross-validate` prints these. The second stage
learns the rules' weights again on the rows they were tuned on, so its out-of-fold figures on
legitimate ads are flattered (as the docstring said of the findings stacked beside the n-grams
in session 12): the test split says whether it holds. It passes test_plain_lures,
test_negation_mitigation and test_lawful_cost_named (the IRCC line still reads as a lure: the
strict xfail stays). Cost: the reader's second stage and the ids of the rules found (a
memoised look-up) add ~16 µs per reading on the loaded machine (micro-benchmark), about 1% of a
2 KB offer's reading and of assess_text per real text (the model read for 496 of 1,351).
bench/lure_model_bench.py, old and new alternately, four rounds under a load of 6-8 (noise of
several per cent): the reader 1,354 1,356 1,324 1,284 -> 1,423 1,363 1,286 1,323 µs per 2 KB offer
with the words known; assess_text 561 631 532 493 -> 534 534 548 496 µs CPU per real text.
bench/screening_bench.py's 2 KB offers never read the model (all very high): 983 1,116 -> 971
1,005 per CPU second, noise. The file 448 KB (446 before).

Session 17, after every branch merged (722 lures, 403 legitimate ads; the rules alone 473 / 16:
r-legit6 took one legitimate ad below high, r-fee7 made a fee asked medium on its own), `--search`
over session 16's model and the stacked one: the stacked model's best gates rate 570.0 (medium
0.9, alone 0.9) to 575.8 (medium 0.85) lures high, but 17 legitimate ads high on four of the five
splits (one beyond the rules' own 16) and an ordinary message medium, so the rule refuses it at
every gate (medium 0.9 with alone 0.95: 559.4, still 17 on three splits). Session 16's model keeps
medium 0.9, low > 0 0.9, alone 0.9 (552.6); its low band's gate rates test_plain_lures' Korean
ordinary ad high again, so it ships without it: medium 0.9, alone 0.9, 546 548 545 552 542 (546.6)
lures high, 16 legitimate ads (the rules' own), the model alone 0 legitimate ads at 0.9. The
stacked setting stays in MODELS and its reader in screening/lure_model.py for a later round.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from sklearn.pipeline import FeatureUnion  # noqa: E402

from screening import assess  # noqa: E402
from screening.language import detect_language  # noqa: E402
from screening.lure_model import MAX_READ_CHARS, MODEL_PATH, abstract, parse_model, training_digest  # noqa: E402
from screening.rules import RULES_PATH, Rule, RuleSet, parse_rules  # noqa: E402
from tests.corpus.real.measure import load_rows  # noqa: E402

SYNTHETIC_OFFERS = REPO / "tests" / "corpus" / "offers.jsonl"
ORDINARY = REPO / "tests" / "corpus" / "real" / "ordinary.jsonl"
SHORT_MESSAGES = REPO / "tests" / "corpus" / "short_messages.jsonl"
MODEL_RULE_ID = "reads_like_known_lures"
STRONG_RULE_ID = "reads_very_like_known_lures"
ALONE_RULE_ID = "reads_alone_like_known_lures"
FOLDS = 5
EXTRA_SPLITS = (0, 1, 2, 3)  # seeds of the four more grouped splits a choice must hold on


@dataclass(frozen=True)
class Settings:
    analyzer: str = "char_wb"
    ngram_range: tuple[int, int] = (1, 3)
    max_features: int = 3000
    min_df: int = 2
    c: float = 100.0
    synthetic_negatives: bool = True
    # Sample weights of the extra training text (0: not read), tried by `--search` (see the
    # module's docstring, 2026-12-07 round 2): the synthetic legitimate ads (`synthetic_negatives`),
    # the synthetic lures of the same `tuning` part, and the training half of the ordinary
    # messages (`ordinary_held_out`) as negatives.
    synthetic_legit_weight: float = 1.0
    synthetic_lure_weight: float = 0.0
    ordinary_weight: float = 0.0
    # The entities the readers find read as their class's token (screening.lure_model.abstract's
    # mode), or None: the text as written.
    abstraction: str | None = None
    # Session 15 (branch m-model4): n-grams in more than this share of the texts are dropped
    # (scikit-learn's max_df; the vocabulary only, the reader is unchanged), and the linear
    # classifier: "logistic" (LogisticRegression, C) or "sgd" (SGDClassifier, log loss, elastic net:
    # `alpha`, `l1_ratio`), each a weight per n-gram and an intercept, as the reader reads them.
    max_df: float = 1.0
    classifier: str = "logistic"
    alpha: float = 1e-4
    l1_ratio: float = 0.15
    # Session 17 (branch m-model5, issue 14; see the docstring): what the rules found, given to the
    # model. `rule_tokens`: a token per rule the rules (the model's own taken out) find in the text,
    # and in "rules+combinations" per combination they complete, appended to the text it reads
    # (`rule_token`); `stacked`: a second logistic model over the rules' findings (one feature per
    # rule and combination) and the n-gram model's logit, fitted on that model's out-of-fold
    # readings of the training side; `word_ngrams`: word n-grams (scikit-learn's tokens, at most
    # `word_features`) beside the character ones; `class_weight`: the classifier's ("balanced" or
    # None).
    rule_tokens: str | None = None
    stacked: bool = False
    word_ngrams: tuple[int, int] | None = None
    word_features: int = 2000
    class_weight: str | None = "balanced"


# The chosen settings (see the module's docstring); the thresholds, and the flags' weights (3 and
# 5) in red_flags.json, were chosen with them.
# Session 14's merged train split (498 lures, 297 legitimate ads, the rules after every branch of the
# session): `--search` keeps the text as written; every "entities" setting rates a legitimate ad high
# beyond the rules' own on some split under every gate tried (see the docstring's last round).
# Session 15's merged train split (625 lures, 360 legitimate ads): `--search` keeps "entities+" at
# medium 0.8, low > 0 0.9, alone 0.85; the strong gate at 0.95 keeps test_plain_lures' ordinary
# ads below high (the docstring's last round).
# Session 17 (branch m-model5): the same n-gram model, read through a second stage over the rules'
# findings (`stacked`), won on its branch; on the session's merged rules and rows it rates a
# legitimate ad high beyond the rules' own on most splits, so the rule keeps session 16's model,
# with medium at 0.9 (the docstring's last round).
SETTINGS = Settings(ngram_range=(1, 4), max_features=15_000, c=10.0, synthetic_legit_weight=0.25,
                    synthetic_lure_weight=0.25, abstraction="entities+", max_df=0.3, classifier="sgd",
                    alpha=3e-5, stacked=False)
THRESHOLD = 0.9  # the flag on an offer the rules rate medium
# The settings shipped in session 16, which session 17's candidates change one at a time.
SESSION_16 = dataclasses.replace(SETTINGS, stacked=False)
# The strong flag on one they rate low but not zero; None: never (the SGD model's probabilities are
# too sharp for that band: see the docstring, session 16).
STRONG_THRESHOLD: float | None = None
ALONE_THRESHOLD = 0.9  # the alone flag on a job offer they score 0 (screening.assess.alone_opinion_counts)


# The language of each text trained on or measured, as the screening detects it (the row's
# language the hint, as `base_ratings` reads it): screening.lure_model.abstract reads the home
# country and the currency of bare amounts from it, and screening.assess gives it to the model.
LANGUAGES: dict[str, str] = {}


def remember_languages(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        text = row["text"]
        for read in (text, text[:MAX_READ_CHARS]):
            if read not in LANGUAGES:
                LANGUAGES[read] = detect_language(read, hint=row.get("lang")) or row.get("lang") or ""


def language_of(text: str) -> str | None:
    if text not in LANGUAGES:
        LANGUAGES[text] = detect_language(text) or ""
    return LANGUAGES[text] or None


@dataclass(frozen=True)
class Abstracted:
    """scikit-learn's preprocessor for a model that reads entities as their class: what
    screening.lure_model.LureModel.prepared reads, lower-cased as `char_wb` would, with the tokens
    of the rules found when `tokens` says so (`Settings.rule_tokens`)."""
    mode: str | None
    tokens: str | None = None

    def __call__(self, text: str) -> str:
        read = _abstracted(self.mode, text) if self.mode else text.lower()
        if self.tokens:
            read += " " + " ".join(rule_token(found) for found in findings(text, self.tokens))
        return read


# What the rules (the model's own taken out) find in each text trained on or measured: the ids of
# the rules found, and of the combinations they complete (`remember_findings`).
FINDINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def remember_findings(rows: Iterable[dict[str, Any]]) -> None:
    """The rules' findings in each row's text (the first MAX_READ_CHARS characters, which the
    model reads, stand for the whole text: the findings are the whole text's, as at read time)."""
    for row in rows:
        text = row["text"]
        if text not in FINDINGS:
            language = detect_language(text, hint=row.get("lang")) or row.get("lang")
            FINDINGS[text] = FINDINGS.setdefault(text[:MAX_READ_CHARS],
                                                 _found(text, language, row.get("lang")))


def _found(text: str, language: str | None,
           hint: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found, _ = assess.match_rules(text, RULES, lang=language, hint=hint)
    combined = tuple(combination.id for combination in RULES.conclusions(found).combinations)
    return tuple(rule.id for rule in found), combined


def findings(text: str, which: str) -> tuple[str, ...]:
    if text not in FINDINGS:
        FINDINGS[text] = _found(text, language_of(text))
    rules_found, combinations = FINDINGS[text]
    return rules_found + combinations if which == "rules+combinations" else rules_found


def found_by_rules(text: str, settings: Settings | None = None) -> tuple[str, ...]:
    """What the screening gives a model trained with `settings` (the shipped ones by default)
    about `text`: the ids the rules found, when it reads them (`Settings.rule_tokens`)."""
    settings = settings or SETTINGS
    if settings.stacked:
        return findings(text, "rules+combinations")
    return findings(text, settings.rule_tokens) if settings.rule_tokens else ()


def rule_tokens(which: str) -> dict[str, str]:
    """The model file's `rule_tokens`: the word of every rule (and combination, if `which` says
    so) the screening may give the model."""
    ids = [rule.id for rule in RULES.rules] + (
        [combination.id for combination in RULES.combinations] if which == "rules+combinations" else [])
    tokens = {rule_id: rule_token(rule_id) for rule_id in ids}
    if len(set(tokens.values())) != len(tokens):
        raise ValueError("lure model: two rules share a token")
    return tokens


def rule_token(rule_id: str) -> str:
    """The word that stands for a rule or combination in the text the model reads: letters drawn
    from a digest of its id between two characters no text holds (its n-grams share nothing with
    the text's, and the abstraction's tokens start otherwise)."""
    digest = int(hashlib.sha256(rule_id.encode()).hexdigest()[:12], 16)
    letters = "".join("abcdefghijklmnopqrstuvwxyz"[digest // 26 ** i % 26] for i in range(4))
    return f"§r{letters}§"


_ABSTRACTED: dict[tuple[str, str], str] = {}


def _abstracted(mode: str, text: str) -> str:
    key = (mode, text)
    if key not in _ABSTRACTED:  # the folds read each text many times
        _ABSTRACTED[key] = abstract(text, language_of(text), mode).lower()
    return _ABSTRACTED[key]


def _vectorizer(settings: Settings) -> Any:
    preprocessor = (Abstracted(settings.abstraction, settings.rule_tokens)
                    if settings.abstraction or settings.rule_tokens else None)
    characters = TfidfVectorizer(analyzer=settings.analyzer, ngram_range=settings.ngram_range,
                                 min_df=settings.min_df, max_df=settings.max_df,
                                 max_features=settings.max_features, sublinear_tf=True,
                                 preprocessor=preprocessor)
    if settings.word_ngrams is None:
        return characters
    words = TfidfVectorizer(analyzer="word", ngram_range=settings.word_ngrams, min_df=settings.min_df,
                            max_df=settings.max_df, max_features=settings.word_features,
                            sublinear_tf=True, preprocessor=preprocessor)
    return FeatureUnion([("characters", characters), ("words", words)])


def _classifier(settings: Settings) -> Any:
    if settings.classifier == "sgd":
        return SGDClassifier(loss="log_loss", penalty="elasticnet", alpha=settings.alpha,
                             l1_ratio=settings.l1_ratio, class_weight=settings.class_weight, max_iter=1000,
                             tol=1e-5, random_state=0)
    return LogisticRegression(C=settings.c, max_iter=5000, class_weight=settings.class_weight)


def _synthetic(label: str) -> list[str]:
    rows = [json.loads(line) for line in SYNTHETIC_OFFERS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [row["text"] for row in rows if row["label"] == label and row.get("split") == "tuning"]


def synthetic_negatives() -> list[str]:
    """The synthetic corpus's legitimate ads of its `tuning` part (see the module's docstring)."""
    return _synthetic("legit")


def synthetic_training_texts(extra: Extra, settings: Settings) -> list[str]:
    """The synthetic texts a shipped model is trained on, as its digest covers them: the
    legitimate ads, then the lures when their weight is above 0 (tests/screening/test_lure_model.py
    recomputes this list from offers.jsonl without scikit-learn)."""
    return extra.synthetic_legit + (extra.synthetic_lures if settings.synthetic_lure_weight else [])


def ordinary_held_out(text: str) -> bool:
    """The half of tests/corpus/real/ordinary.jsonl a setting with `ordinary_weight` never trains
    on (by a digest of the text, so it does not move when rows are added): its false alarms are
    measured there. If such a setting is ever shipped, tests/screening/test_real_corpus.py's
    ordinary-messages check must measure this half only."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[0] in "01234567"


def ordinary_messages() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ORDINARY.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Extra:
    """Training text beside the real train rows: it never counts in a figure."""
    synthetic_legit: list[str]
    synthetic_lures: list[str]
    ordinary: list[str]  # the training half only

    @staticmethod
    def load() -> Extra:
        remember_languages(json.loads(line) for line in
                           SYNTHETIC_OFFERS.read_text(encoding="utf-8").splitlines() if line.strip())
        remember_languages(ordinary_messages())
        return Extra(synthetic_negatives(), _synthetic("scam"),
                     [row["text"] for row in ordinary_messages() if not ordinary_held_out(row["text"])])

    def used(self, settings: Settings) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The extra texts `settings` trains on, their labels (lure or not) and sample weights."""
        parts = [(self.synthetic_legit, False,
                  settings.synthetic_legit_weight if settings.synthetic_negatives else 0.0),
                 (self.synthetic_lures, True, settings.synthetic_lure_weight),
                 (self.ordinary, False, settings.ordinary_weight)]
        texts = [text for part, _, weight in parts if weight > 0 for text in part]
        labels = np.array([label for part, label, weight in parts if weight > 0 for _ in part], dtype=bool)
        weights = np.array([weight for part, _, weight in parts if weight > 0 for _ in part], dtype=float)
        return texts, labels, weights


# Each real train text's source address (grouped folds inside a fold, for `Settings.stacked`).
SOURCES: dict[str, str] = {}


def remember_sources(rows: Iterable[dict[str, Any]]) -> None:
    SOURCES.update((row["text"], row["source_url"]) for row in rows)


class StackedVectorizer:
    """The n-gram vectoriser of a stacked model (`Settings.stacked`): the texts go on with their
    vectors, for the second stage's features."""

    def __init__(self, vectorizer: Any) -> None:
        self.vectorizer = vectorizer

    def transform(self, texts: list[str]) -> tuple[Any, list[str]]:
        return self.vectorizer.transform(texts), list(texts)


class StackedClassifier:
    """The n-gram model, then a logistic model over the rules' findings and its logit."""

    def __init__(self, first: Any, second: LogisticRegression) -> None:
        self.first, self.second = first, second

    def predict_proba(self, read: tuple[Any, list[str]]) -> np.ndarray:
        features, texts = read
        return self.second.predict_proba(stack_features(texts, self.first.predict_proba(features)[:, 1]))


def stack_ids() -> list[str]:
    return [rule.id for rule in RULES.rules] + [combination.id for combination in RULES.combinations]


def second_stage(model: LogisticRegression) -> dict[str, Any]:
    """The model file's `second_stage` (screening.lure_model.SecondStage)."""
    weights = model.coef_[0]
    return {"intercept": round(float(model.intercept_[0]), 6), "logit_weight": round(float(weights[-1]), 6),
            "weights": {rule_id: round(float(weight), 6)
                        for rule_id, weight in zip(stack_ids(), weights[:-1], strict=True)}}


def stack_features(texts: list[str], probability: np.ndarray) -> np.ndarray:
    ids = stack_ids()
    columns = {rule_id: index for index, rule_id in enumerate(ids)}
    matrix = np.zeros((len(texts), len(ids) + 1))
    for row, text in enumerate(texts):
        for found in findings(text, "rules+combinations"):
            matrix[row, columns[found]] = 1.0
    clipped = np.clip(probability, 1e-6, 1 - 1e-6)
    matrix[:, -1] = np.log(clipped / (1 - clipped))
    return matrix


def _fit(texts: list[str], labels: np.ndarray, extra: Extra, settings: Settings,
         ) -> tuple[Any, Any]:
    if settings.stacked:
        return _fit_stacked(texts, labels, extra, dataclasses.replace(settings, stacked=False))
    return _fit_one(texts, labels, extra, settings)


def _fit_stacked(texts: list[str], labels: np.ndarray, extra: Extra, settings: Settings,
                 ) -> tuple[StackedVectorizer, StackedClassifier]:
    inner = np.zeros(len(texts))
    groups = [SOURCES[text] for text in texts]
    for fit_part, held_out in GroupKFold(FOLDS).split(texts, labels, groups):
        vectorizer, classifier = _fit_one([texts[i] for i in fit_part], labels[fit_part], extra, settings)
        inner[held_out] = classifier.predict_proba(vectorizer.transform([texts[i] for i in held_out]))[:, 1]
    vectorizer, classifier = _fit_one(texts, labels, extra, settings)
    second = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(
        stack_features(texts, inner), labels)
    return StackedVectorizer(vectorizer), StackedClassifier(classifier, second)


def _fit_one(texts: list[str], labels: np.ndarray, extra: Extra, settings: Settings,
             ) -> tuple[TfidfVectorizer, LogisticRegression]:
    extra_texts, extra_labels, extra_weights = extra.used(settings)
    vectorizer = _vectorizer(settings)
    features = vectorizer.fit_transform(texts + extra_texts)
    targets = np.concatenate([labels, extra_labels])
    if not (extra_weights != 1.0).any():  # as shipped: no sample weights at all
        return vectorizer, _classifier(settings).fit(features, targets)
    weights = np.concatenate([np.ones(len(texts)), extra_weights])
    return vectorizer, _classifier(settings).fit(features, targets, sample_weight=weights)


def train(rows: list[dict[str, Any]], extra: Extra, settings: Settings = SETTINGS,
          threshold: float = THRESHOLD, strong_threshold: float | None = STRONG_THRESHOLD,
          alone_threshold: float = ALONE_THRESHOLD,
          ) -> tuple[dict[str, Any], TfidfVectorizer, LogisticRegression]:
    if settings.ordinary_weight or not settings.synthetic_negatives:
        # The file's digest (and the test that recomputes it) and the ordinary-messages test know
        # only the synthetic texts of the tuning part: teach them the rest first.
        raise ValueError("lure model: only the synthetic texts of the tuning part can be shipped")
    if settings.word_ngrams:
        raise ValueError("lure model: screening.lure_model reads no word n-grams")
    labels = np.array([row["label"] == "scam" for row in rows])
    remember_sources(rows)
    remember_findings(rows)
    vectorizer, classifier = _fit([row["text"] for row in rows], labels, extra, settings)
    ngrams, first = ((vectorizer.vectorizer, classifier.first) if isinstance(classifier, StackedClassifier)
                     else (vectorizer, classifier))
    coefficients = first.coef_[0]
    vocabulary = {
        ngram: [round(float(ngrams.idf_[index]), 5), round(float(coefficients[index]), 5)]
        for ngram, index in sorted(ngrams.vocabulary_.items())
    }
    synthetic = synthetic_training_texts(extra, settings)
    document = {
        "about": "Character n-gram logistic regression: does a job offer read like real recruitment "
                 "lures? Made by scripts/train_lure_model.py; read by screening/lure_model.py."
                 + (" A second stage reads its logit beside the rules found." if settings.stacked else ""),
        "sources": ["tests/corpus/real/*.jsonl, train split only (every row cites the news, NGO or "
                    "government page it was read from; see tests/corpus/real/README.md)",
                    "tests/corpus/offers.jsonl, the tuning part (written by this project, never "
                    "counted in a figure): legitimate ads and lures, at the weights of settings"],
        "trained_on": {"lures": int(labels.sum()), "legitimate": int((~labels).sum()),
                       "synthetic_legitimate": len(extra.synthetic_legit),
                       "synthetic_lures": len(extra.synthetic_lures) if settings.synthetic_lure_weight else 0,
                       "languages": sorted({row["lang"] for row in rows}),
                       "sha256": training_digest(rows, synthetic)},
        "settings": {"analyzer": settings.analyzer, "max_features": settings.max_features,
                     "min_df": settings.min_df, "C": settings.c,
                     "synthetic_legit_weight": settings.synthetic_legit_weight,
                     "synthetic_lure_weight": settings.synthetic_lure_weight,
                     # Recorded only when not the default, so files made before them still compare.
                     **({"max_df": settings.max_df} if settings.max_df != 1.0 else {}),
                     **({"classifier": settings.classifier, "alpha": settings.alpha,
                         "l1_ratio": settings.l1_ratio} if settings.classifier != "logistic" else {}),
                     **({"rule_tokens": settings.rule_tokens} if settings.rule_tokens else {}),
                     **({"stacked": True} if settings.stacked else {})},
        "analyzer": settings.analyzer,
        **({"abstraction": settings.abstraction} if settings.abstraction else {}),
        **({"rule_tokens": rule_tokens(settings.rule_tokens)} if settings.rule_tokens else {}),
        "ngram_range": list(settings.ngram_range),
        "intercept": round(float(first.intercept_[0]), 5),
        **({"second_stage": second_stage(classifier.second)}
           if isinstance(classifier, StackedClassifier) else {}),
        "threshold": threshold,
        "strong_threshold": strong_threshold,
        "alone_threshold": alone_threshold,
        "vocabulary": vocabulary,
    }
    return document, vectorizer, classifier


def dumps(document: dict[str, Any]) -> str:
    """The file's text: the header as indented JSON, then one n-gram per line (small, diffable)."""
    head = {key: value for key, value in document.items() if key != "vocabulary"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2].splitlines()
    lines[-1] += ","
    lines.append(' "vocabulary": {')
    entries = [f"  {json.dumps(ngram, ensure_ascii=False)}: {json.dumps(values)}"
               for ngram, values in document["vocabulary"].items()]
    lines.append(",\n".join(entries))
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- cross-validation of the whole screening outcome -------------------------------------------

@dataclass
class Base:
    """How the rules alone rate one text (the model's rule taken out)."""
    row: dict[str, Any]
    found: list[Rule]
    score: int
    job_context: bool


def rules_without_model() -> RuleSet:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    document["rules"] = [rule for rule in document["rules"]
                         if rule["id"] not in (MODEL_RULE_ID, STRONG_RULE_ID, ALONE_RULE_ID)]
    return parse_rules(document)


RULES = rules_without_model()


def base_ratings(rows: Iterable[dict[str, Any]], rules: RuleSet) -> list[Base]:
    bases: list[Base] = []
    for row in rows:
        language = detect_language(row["text"], hint=row["lang"])
        found, job_context = assess.match_rules(row["text"], rules, lang=language or row["lang"],
                                                hint=row["lang"])
        score = sum(flag.weight for flag in assess._hits(found, rules))
        bases.append(Base(row, found, score, job_context))
    return bases


def grouped_folds(rows: list[dict[str, Any]], seed: int | None = None,
                  ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Five folds grouped by source address: scikit-learn's GroupKFold (seed None, the folds every
    figure above is measured on), or the sources shuffled by `seed` and dealt round (the extra
    splits `--cross-validate` checks a choice on)."""
    labels = np.array([row["label"] == "scam" for row in rows])
    groups = [row["source_url"] for row in rows]
    if seed is None:
        return [(fit, held) for fit, held in GroupKFold(FOLDS).split(rows, labels, groups)]
    sources = sorted(set(groups))
    random.Random(seed).shuffle(sources)
    fold_of = {source: index % FOLDS for index, source in enumerate(sources)}
    return [(np.array([i for i, group in enumerate(groups) if fold_of[group] != fold]),
             np.array([i for i, group in enumerate(groups) if fold_of[group] == fold]))
            for fold in range(FOLDS)]


def out_of_fold(rows: list[dict[str, Any]], extra: Extra, settings: Settings,
                seed: int | None = None) -> np.ndarray:
    """Each row's probability from a model fitted without its source's rows (the extra text is on
    the training side of every fold, never held out: it never counts in a figure)."""
    labels = np.array([row["label"] == "scam" for row in rows])
    remember_sources(rows)
    probability = np.zeros(len(rows))
    for fit_part, held_out in grouped_folds(rows, seed):
        vectorizer, classifier = _fit([rows[i]["text"] for i in fit_part], labels[fit_part],
                                      extra, settings)
        probability[held_out] = classifier.predict_proba(
            vectorizer.transform([rows[i]["text"] for i in held_out]))[:, 1]
    return probability


@dataclass(frozen=True)
class Policy:
    """Where the model's flags count (the shipped one is screening.assess's): at `threshold`, with
    `weight`, on a job offer the rules rate medium; at `strong_threshold` (None: never), with
    `strong_weight`, on one they rate low but not zero; at `zero_threshold` (None: never), with
    `zero_weight`, on a job offer they find nothing in, of at least assess.ALONE_MIN_CHARS
    characters: the model alone (screening.assess.alone_opinion_counts, since session 13)."""
    threshold: float
    weight: int = 3
    strong_threshold: float | None = None
    strong_weight: int = 5
    zero_threshold: float | None = None
    zero_weight: int = 6

    def lowest_threshold(self) -> float:
        return min(self.threshold, self.strong_threshold or 1.0, self.zero_threshold or 1.0)

    def __str__(self) -> str:
        strong = (f", low>0 at p>={self.strong_threshold} +{self.strong_weight}"
                  if self.strong_threshold is not None else "")
        zero = (f", 0 at p>={self.zero_threshold} +{self.zero_weight}"
                if self.zero_threshold is not None else "")
        return f"medium at p>={self.threshold} +{self.weight}{strong}{zero}"


def shipped_policy() -> Policy:
    weights = {rule.id: rule.weight for rule in parse_rules(json.loads(
        RULES_PATH.read_text(encoding="utf-8"))).rules}
    return Policy(THRESHOLD, weights[MODEL_RULE_ID], STRONG_THRESHOLD, weights[STRONG_RULE_ID],
                  ALONE_THRESHOLD, weights[ALONE_RULE_ID])


@dataclass
class Outcome:
    lures: int = 0
    lures_high: int = 0
    legit: int = 0
    legit_high: int = 0

    def line(self) -> str:
        return (f"lures high {self.lures_high:3}/{self.lures} = {self.lures_high / max(1, self.lures):.2f}  "
                f"legit high {self.legit_high:2}/{self.legit} = {self.legit_high / max(1, self.legit):.3f}")


def scored(base: Base, p: float, policy: Policy | None, rules: RuleSet) -> int:
    """The score of a text the rules score `base.score` and the model reads at `p`, under `policy`."""
    score = base.score
    if policy is not None and base.job_context:
        if assess.second_opinion_counts(score, rules):
            score += policy.weight if p >= policy.threshold else 0
        elif (policy.strong_threshold is not None and assess.strong_opinion_counts(score, rules)
              and p >= policy.strong_threshold):
            score += policy.strong_weight
        elif (policy.zero_threshold is not None and assess.alone_opinion_counts(score, base.row["text"])
              and p >= policy.zero_threshold):
            score += policy.zero_weight
    return score


def outcome(bases: list[Base], probability: np.ndarray, policy: Policy | None, rules: RuleSet,
            by_lang: dict[str, Outcome] | None = None) -> Outcome:
    """The screening's outcome with the model's flags under `policy` (None: without the model),
    gated as screening.assess.match_rules gates them."""
    total = Outcome()
    for base, p in zip(bases, probability, strict=True):
        score = scored(base, p, policy, rules)
        languages = [by_lang.setdefault(base.row["lang"], Outcome())] if by_lang is not None else []
        for figures in (total, *languages):
            if base.row["label"] == "scam":
                figures.lures += 1
                figures.lures_high += score >= rules.thresholds.high
            else:
                figures.legit += 1
                figures.legit_high += score >= rules.thresholds.high
    return total


def model_alone(labels: np.ndarray, probability: np.ndarray, threshold: float) -> tuple[int, int]:
    """Lures and legitimate ads the model alone flags at `threshold`, out of fold."""
    return int((probability[labels] >= threshold).sum()), int((probability[~labels] >= threshold).sum())


def acceptable(result: Outcome, rules_alone: Outcome, alone_legit: int, ordinary_flagged: int,
               ordinary_flagged_by_rules: int, chat_lifted_alone: int = 0) -> bool:
    """The selection rule (see the module's docstring): no legitimate ad rated high that the rules
    alone do not rate high, the model alone flags at most 1 in 50 legitimate ads at the lowest
    threshold it speaks at, no ordinary message never trained on is rated medium or above that the
    rules alone do not rate so, and the alone gate rates no short line of chat
    (tests/corpus/short_messages.jsonl) medium or above. (Until session 13 it also asked that at
    most 1 in 50 legitimate ads be rated high: the rules alone now rate 5 of 232 so, rows of
    other sessions' false-alarm classes, and no setting could pass; the model may add none.)"""
    return (result.legit_high <= rules_alone.legit_high and 50 * alone_legit <= result.legit
            and ordinary_flagged <= ordinary_flagged_by_rules and chat_lifted_alone == 0)


# The strong flag stays at 0.9 or above: at 0.85 it rates high one of the ordinary ads
# tests/screening/test_plain_lures.py keeps below high (an Indonesian customer-service ad the rules
# rate low, p = 0.86 by the model shipped in session 13 and 0.87 by the one before; 0.83 by the
# (1, 4) model of its second round: too near to lower the gate).
POLICIES = [Policy(threshold, 3, strong, 5, zero)
            for threshold in (0.7, 0.75, 0.8, 0.85, 0.87, 0.9)
            for strong in (None, 0.9, 0.95)
            for zero in (None, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)]
# The settings `--search` tries (see the module's docstring for what each round tried before).
MODELS = [Settings(c=10.0, synthetic_legit_weight=0.25, synthetic_lure_weight=0.25),  # till session 13
          *(Settings(c=10.0, max_features=features, synthetic_legit_weight=0.25, synthetic_lure_weight=0.25)
            for features in (5000, 8000, 10000, 12000, 15000)),
          *(Settings(c=c, max_features=10000, synthetic_legit_weight=0.25, synthetic_lure_weight=0.25)
            for c in (3.0, 30.0)),
          *(Settings(c=10.0, max_features=10000, synthetic_legit_weight=legit, synthetic_lure_weight=lures)
            for legit, lures in ((1.0, 0.0), (0.5, 0.5), (0.1, 0.1))),
          *(Settings(ngram_range=(1, 4), max_features=features, c=10.0, synthetic_legit_weight=0.25,
                     synthetic_lure_weight=0.25) for features in (10000, 15000, 20000)),
          # Session 14: the entities the readers find read as their class (screening.lure_model.abstract).
          *(Settings(ngram_range=(1, 4), max_features=features, c=c, synthetic_legit_weight=0.25,
                     synthetic_lure_weight=0.25, abstraction=abstraction)
            for abstraction in ("entities", "entities+") for features in (15000, 20000)
            for c in (10.0, 30.0)),
          # Session 15 (branch m-model4, see the docstring): the common n-grams dropped (max_df), and
          # an SGD logistic regression with an elastic net; the plain reader reads all of them.
          *(Settings(ngram_range=(1, 4), max_features=15000, c=10.0, synthetic_legit_weight=0.25,
                     synthetic_lure_weight=0.25, abstraction=abstraction, max_df=max_df,
                     classifier=classifier, alpha=alpha)
            for abstraction, max_df, classifier, alpha in (
                (None, 0.3, "logistic", 1e-4), (None, 0.3, "sgd", 3e-5),
                ("entities+", 0.5, "logistic", 1e-4),
                ("entities+", 0.3, "logistic", 1e-4), ("entities+", 0.5, "sgd", 1e-4),
                ("entities+", 0.5, "sgd", 3e-5), ("entities+", 0.3, "sgd", 3e-5))),
          # Session 17 (branch m-model5, see the docstring): what the rules found, given to the model
          # shipped in session 16 (a token per finding in its text, or a second stage), word n-grams
          # beside the character ones, no class weights, other weights of the synthetic text.
          *(dataclasses.replace(SESSION_16, **changes) for changes in (
              {"rule_tokens": "rules"}, {"rule_tokens": "rules+combinations"}, {"stacked": True},
              {"word_ngrams": (1, 1)}, {"word_ngrams": (1, 2)}, {"class_weight": None},
              {"synthetic_legit_weight": 0.5, "synthetic_lure_weight": 0.5},
              {"synthetic_legit_weight": 0.1, "synthetic_lure_weight": 0.1}))]


@dataclass
class Unseen:
    """Texts never trained on that a setting must not rate higher than the rules alone do: the
    ordinary messages (all 251, or the half never trained on when a setting trains on the other),
    and the short lines of chat about a job (tests/corpus/short_messages.jsonl, written here)."""
    ordinary: list[Base]
    chat: list[Base]

    @staticmethod
    def load(rules: RuleSet, half: bool) -> Unseen:
        ordinary = [dict(row, label="legit") for row in ordinary_messages()
                    if not half or ordinary_held_out(row["text"])]
        chat = [dict(json.loads(line), label="legit") for line in SHORT_MESSAGES.read_text(
            encoding="utf-8").splitlines() if line.strip()]
        remember_languages(ordinary + chat)
        return Unseen(base_ratings(ordinary, rules), base_ratings(chat, rules))

    def read(self, vectorizer: TfidfVectorizer, classifier: LogisticRegression,
             ) -> tuple[np.ndarray, np.ndarray]:
        """Their probabilities by the model trained on every train row, as shipped."""
        ordinary, chat = (classifier.predict_proba(vectorizer.transform(
            [base.row["text"][:MAX_READ_CHARS] for base in bases]))[:, 1]
            for bases in (self.ordinary, self.chat))
        return ordinary, chat

    def flagged(self, probabilities: tuple[np.ndarray, np.ndarray], policy: Policy | None,
                rules: RuleSet) -> tuple[int, int]:
        """Ordinary messages rated medium or above, and lines of chat the alone gate lifts so."""
        medium = rules.thresholds.medium
        ordinary = sum(scored(base, p, policy, rules) >= medium
                       for base, p in zip(self.ordinary, probabilities[0], strict=True))
        chat = sum(scored(base, p, policy, rules) >= medium > scored(
            base, p, dataclasses.replace(policy, zero_threshold=None), rules)
            for base, p in zip(self.chat, probabilities[1], strict=True)) if policy is not None else 0
        return ordinary, chat


def search(rows: list[dict[str, Any]], extra: Extra) -> None:
    """Every setting of MODELS under every gate of POLICIES, on the script's folds and the four
    more splits: kept, the most lures rated high on average over the five among those the rule
    (`acceptable`) keeps on every one of them."""
    rules = rules_without_model()
    bases = base_ratings(rows, rules)
    labels = np.array([row["label"] == "scam" for row in rows])
    rules_alone = outcome(bases, np.zeros(len(rows)), None, rules)
    print("rules alone:", rules_alone.line())
    for name, low, high in (("zero", 0, 1), ("low but not zero", 1, rules.thresholds.medium),
                            ("medium", rules.thresholds.medium, rules.thresholds.high)):
        window = [base for base in bases if base.job_context and low <= base.score < high]
        print(f"job offers rated {name} by the rules: {sum(b.row['label'] == 'scam' for b in window)} "
              f"lures, {sum(b.row['label'] != 'scam' for b in window)} legitimate ads")
    unseen = {half: Unseen.load(rules, half) for half in (False, True)}
    for half, texts in unseen.items():
        print(f"ordinary messages never trained on: {len(texts.ordinary)}, "
              f"{texts.flagged((np.zeros(len(texts.ordinary)), np.zeros(len(texts.chat))), None, rules)[0]} "
              f"rated medium or above by the rules{' (the half)' if half else ''}")
    best: dict[bool, tuple[float, Settings, Policy]] = {}
    for settings in MODELS:
        splits = [out_of_fold(rows, extra, settings, seed) for seed in (None, *EXTRA_SPLITS)]
        texts = unseen[bool(settings.ordinary_weight)]
        read = texts.read(*_fit([row["text"] for row in rows], labels, extra, settings))
        print(f"\n{settings}")
        for threshold in (0.8, 0.85, 0.9, 0.95):
            print(f"  model alone at p>={threshold}: lures "
                  f"{' '.join(str(model_alone(labels, p, threshold)[0]) for p in splits)}, legit "
                  f"{' '.join(str(model_alone(labels, p, threshold)[1]) for p in splits)}, "
                  f"ordinary {int((read[0] >= threshold).sum())}")
        kept: list[tuple[float, str]] = []
        for policy in POLICIES:
            results = [outcome(bases, p, policy, rules) for p in splits]
            alone = [model_alone(labels, p, policy.lowest_threshold())[1] for p in splits]
            flagged, chat = texts.flagged(read, policy, rules)
            if not all(acceptable(result, rules_alone, legit, flagged, 0, chat)
                       for result, legit in zip(results, alone, strict=True)):
                continue
            mean = sum(result.lures_high for result in results) / len(results)
            lures = " ".join(str(result.lures_high) for result in results)
            legit = " ".join(str(result.legit_high) for result in results)
            kept.append((mean, f"  {policy!s:58} lures high {lures} (mean {mean:.1f}), legit high "
                               f"{legit}, model alone legit {' '.join(map(str, alone))}, ordinary {flagged}"))
            shippable = not settings.ordinary_weight
            if shippable not in best or mean > best[shippable][0]:
                best[shippable] = (mean, settings, policy)
        for _, line in sorted(kept, key=lambda item: -item[0])[:4]:  # the best gates the rule keeps
            print(line)
        sys.stdout.flush()
    if True in best:
        print(f"\nkept by the rule: {best[True][1]}, {best[True][2]}: {best[True][0]:.1f} lures high")
    if False in best:
        print(f"best with the ordinary messages as training text (not shippable yet): {best[False][1]}, "
              f"{best[False][2]}: {best[False][0]:.1f} lures high")


def cross_validate(rows: list[dict[str, Any]], extra: Extra) -> None:
    rules = rules_without_model()
    bases = base_ratings(rows, rules)
    labels = np.array([row["label"] == "scam" for row in rows])
    policy = shipped_policy()
    probability = out_of_fold(rows, extra, SETTINGS)
    before: dict[str, Outcome] = {}
    after: dict[str, Outcome] = {}
    total_before = outcome(bases, probability, None, rules, by_lang=before)
    total_after = outcome(bases, probability, policy, rules, by_lang=after)
    print(f"{SETTINGS}, {policy}, {FOLDS} folds grouped by source")
    for lang in sorted(after):
        print(f"  {lang:8} rules alone: {before[lang].line()}\n  {'':8} with model:  {after[lang].line()}")
    print(f"  {'all':8} rules alone: {total_before.line()}\n  {'':8} with model:  {total_after.line()}")
    for threshold in sorted({policy.threshold, policy.strong_threshold or 1.0,
                             policy.zero_threshold or 1.0} - {1.0}):
        lures, legit = model_alone(labels, probability, threshold)
        print(f"  model alone at p>={threshold}: lures {lures}/{int(labels.sum())}, "
              f"legit {legit}/{int((~labels).sum())}")
    unseen = Unseen.load(rules, half=False)
    flagged, chat = unseen.flagged(unseen.read(*_fit([row["text"] for row in rows], labels, extra, SETTINGS)),
                                   policy, rules)
    print(f"  ordinary messages rated medium or above: {flagged}/{len(unseen.ordinary)}; "
          f"lines of chat the alone gate lifts to medium or above: {chat}/{len(unseen.chat)}")
    # The choice must hold on other splits too (see the module's docstring).
    for seed in EXTRA_SPLITS:
        probability = out_of_fold(rows, extra, SETTINGS, seed)
        result = outcome(bases, probability, policy, rules)
        alone = model_alone(labels, probability, policy.lowest_threshold())[1]
        print(f"  split {seed}: {result.line()}  model alone legit {alone}"
              f"{'' if acceptable(result, total_before, alone, flagged, 0, chat) else '  (fails the rule)'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the shipped model differs")
    parser.add_argument("--cross-validate", action="store_true", help="print out-of-fold figures")
    parser.add_argument("--search", action="store_true", help="out-of-fold figures of every setting")
    args = parser.parse_args(argv)
    rows = load_rows(split="train")
    remember_languages(rows)
    remember_findings(rows)
    extra = Extra.load()
    if args.search:
        search(rows, extra)
        return 0
    if args.cross_validate:
        cross_validate(rows, extra)
        return 0
    document, vectorizer, classifier = train(rows, extra)
    model = parse_model(document)
    # The reader looks at a text's first MAX_READ_CHARS characters only (a bound on its cost), so
    # scikit-learn is given the same characters: a longer training text would differ otherwise.
    read = [row["text"][:MAX_READ_CHARS] for row in rows]
    expected = classifier.predict_proba(vectorizer.transform(read))[:, 1]
    worst = max(abs(model.probability(text, language_of(text), found_by_rules(text)) - float(p))
                for text, p in zip(read, expected, strict=True))
    if worst > 1e-3:
        print(f"lure model: the plain reader differs from scikit-learn by {worst:.6f}", file=sys.stderr)
        return 1
    text = dumps(document)
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        return 0 if same_model(shipped, document, [row["text"] for row in rows]) else 1
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"lure model: {len(document['vocabulary'])} n-grams, {len(text.encode()) // 1024} KB, trained on "
          f"{document['trained_on']['lures']} lures and {document['trained_on']['legitimate']} "
          f"legitimate ads; plain reader within {worst:.1e} of scikit-learn")
    return 0


def same_model(shipped: dict[str, Any], made: dict[str, Any], texts: list[str],
               tolerance: float = 1e-3) -> bool:
    """Whether the shipped file is what training makes now: the same settings and vocabulary, and
    the same probabilities on the training texts up to `tolerance` (another BLAS or CPU may end
    the solver's iterations a little elsewhere, so the weights are not compared digit by digit)."""
    problems: list[str] = []
    for key in made:
        if key not in ("vocabulary", "intercept", "second_stage") and shipped.get(key) != made[key]:
            problems.append(f"{key} differs")
    if ("second_stage" in shipped) != ("second_stage" in made):
        problems.append("second_stage differs")
    if set(shipped["vocabulary"]) != set(made["vocabulary"]):
        problems.append("vocabulary differs")
    else:
        ours, theirs = parse_model(shipped), parse_model(made)
        worst = max(abs(ours.probability(text, None, found) - theirs.probability(text, None, found))
                    for text in texts for found in [found_by_rules(text)])
        if worst > tolerance:
            problems.append(f"probabilities differ by up to {worst:.4f}")
    for problem in problems:
        print(f"lure model: {problem}: screening/data/lure_model.json is not what "
              "scripts/train_lure_model.py makes; run it", file=sys.stderr)
    return not problems


if __name__ == "__main__":
    sys.exit(main())
