"""What to do after an assessment: English msgids, translated where shown.

The lowest risk level never says "safe": a scam-centre offer can carry none of
the words we look for, so it lists the checks that remain. Sources are the ones
collected in `../shared/red-flags.md` and `../shared/hotlines.md` (by site name).
"""

from __future__ import annotations

from locales.i18n import N_

# --- one summary line per risk level ---------------------------------------------------------
# Source: the level wording follows Scamwatch / DMW advisories quoted in red-flags.md: they
# warn that recruitment scams look legitimate, so "no sign found" is never "safe".
SUMMARY_LOW = N_(
    "We found no common warning sign in this offer. That does not make it safe: "
    "fake job offers are written to look normal. Do these checks before you accept."
)
SUMMARY_MEDIUM = N_(
    "This offer has some warning signs of a fake job. Do not pay anything or travel "
    "until you have checked it."
)
SUMMARY_HIGH = N_(
    "This offer has several warning signs of recruitment into scam compounds, where "
    "people are forced to run online scams. We advise you not to accept it."
)
SUMMARY_VERY_HIGH = N_(
    "This offer matches how people are trafficked into scam compounds. Do not travel. "
    "If you or someone you know has already gone, contact a hotline now."
)

# The same levels where no rule that speaks of compounds was found ("compound" in red_flags.json:
# no compound town or country, no route across a border, no scam work, no one held): a fee for a
# seasonal job in Korea or a registration fee for New Zealand is a fake job or illegal recruitment,
# and saying "scam compounds" there would tell the person something the text does not.
# Source: DMW and BP2MI warnings on illegal recruitment (red-flags.md #7, #11: fees, no licence,
# false promises); Korea MOEL seasonal-worker warnings (red_flags.json seasonal_work_offered).
SUMMARY_HIGH_FAKE_JOB = N_(
    "This offer has several warning signs of a fake job or illegal recruitment. We advise you "
    "not to accept it."
)
SUMMARY_VERY_HIGH_FAKE_JOB = N_(
    "This offer matches how fake job offers and illegal recruiters work. Do not pay anything "
    "and do not travel for it."
)

# High because people reported a very similar ad (screening.assess.raised_by_report), where the
# text alone showed too few signs for "several": says why, and no more than that.
# Source: peers.md (reports warn others); the similar-ad line above it gives the count.
SUMMARY_REPORTED_AD = N_(
    "People reported a very similar ad to us. We advise you not to accept this offer before you "
    "have checked it."
)

# --- checks that remain whatever the level -----------------------------------------------------
# Source: DMW (pia-ncr.blogspot.com; radyopilipinas.ph) licence check; lovejustice.ngo
# (real company names are impersonated).
CHECK_LICENCE = N_(
    "Check that the recruitment agency is licensed by your government's labour or "
    "migrant-worker office, and that the agency named is the one talking to you."
)
# Source: lovejustice.ngo 7 signs; rbbinformationhub.com (unknown work address indicator).
CHECK_COMPANY = N_(
    "Look up the employer yourself: find its address, website and phone number from a "
    "source other than the recruiter, and call it."
)
# Source: DMW Sec. Cacdac (pia-ncr.blogspot.com): recruiters must process a working visa;
# India MEA advisory (hindustantimes.com) on tourist visas.
CHECK_WORK_VISA = N_(
    "Travel only with a work visa or work permit arranged before you leave, never on a "
    "tourist visa or a visa 'arranged on arrival'."
)
# Source: DMW (pia-ncr.blogspot.com); red-flags.md #7 and #11.
CHECK_CONTRACT = N_(
    "Ask for a written contract in a language you read before you travel, with the "
    "employer's name, the work address, the pay and the hours."
)
# Source: pna.gov.ph; reporma.com; dmediag.com (placement "fees" in Myawaddy cases).
CHECK_NO_FEES = N_(
    "Do not pay a fee, deposit or 'processing' cost to get a job abroad."
)
# Source: CNA commentary and bangkokpost.com (passports confiscated on arrival).
CHECK_PASSPORT = N_(
    "Do not send a copy of your passport or ID to a recruiter you have not verified, "
    "and never hand over your passport on arrival."
)
# Source: rbbinformationhub.com (unknown work address indicator); lovejustice.ngo.
CHECK_TELL_SOMEONE = N_(
    "Before you go, give someone you trust the exact workplace address, the recruiter's "
    "contacts and a copy of your documents, and agree when you will call them."
)

# --- what to do when signs are found -------------------------------------------------------------
# Source: DMW advisories (pia-ncr.blogspot.com); red-flags.md #1 and #7 (pay, free travel and quick
# visas promised to draw people in).
ACT_FALSE_PROMISES = N_(
    "Do not rely on promises of high pay, free travel or a quick visa: believe only what a "
    "written contract and a licensed agency confirm."
)
# Source: red-flags.md #9 (Bangkok, then overland to Mae Sot, Myawaddy, Poipet…).
ACT_DO_NOT_TRAVEL = N_(
    "Do not travel for this job, especially not to a border town or across a land border."
)
# Source: hotlines.md (country hotlines, each with its source); peers.md (reports warn others).
ACT_REPORT = N_(
    "Report this recruiter here so others are warned, and to your country's "
    "anti-trafficking hotline."
)
# Source: hotlines.md (1343 PH, 111 VN, 117 KH, 1300 TH…).
ACT_CALL_HOTLINE = N_(
    "If someone is already there and cannot leave, call the anti-trafficking hotline of "
    "your country or the country they are in."
)

# --- under the warning signs, when some of them complete a combination -------------------------
# Names no sign itself (each has its own line above it): only that together they weigh more, and,
# as the summary, compounds only where a rule that speaks of them was found.
TOGETHER_FAKE_JOB = N_(
    "Together, these signs weigh more than each one alone: this is how fake job offers are written."
)
TOGETHER_COMPOUND = N_(
    "Together, these signs weigh more than each one alone: this is how people are recruited into "
    "scam compounds."
)

REMAINING_CHECKS: tuple[str, ...] = (
    CHECK_LICENCE, CHECK_COMPANY, CHECK_WORK_VISA, CHECK_CONTRACT, CHECK_NO_FEES,
    CHECK_PASSPORT, CHECK_TELL_SOMEONE,
)
