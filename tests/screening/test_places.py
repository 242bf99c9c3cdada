"""Places and routes: names in every language, guarded ambiguous words, journeys, stability."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening import places
from screening.places import (
    BORDER_CROSSING,
    FLIGHT_THEN_OVERLAND,
    IRREGULAR_CROSSING,
    LOCALES,
    OVERLAND_TO_COUNTRY,
    PICKUP_AT_BORDER,
    PlaceIndex,
    PlaceMention,
    PlacesError,
    countries_named,
    expand,
    find_places,
    normalise,
    read_route,
    scan,
)
from screening.textnorm import fold, lower_aligned

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "offers.jsonl"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def place_ids(text: str) -> list[str]:
    return [mention.place for mention in find_places(text)]


# --------------------------------------------------------------------------------------------
# The data file


def test_every_place_cites_known_sources_and_every_country_its_role() -> None:
    document = json.loads(places.DATA_PATH.read_text(encoding="utf-8"))
    index = places.default_index()
    assert {"KH", "MM", "LA", "PH"} == {code for code, role in index.countries.items()
                                         if role == "destination"}
    assert index.countries["TH"] == "transit"
    for entry in document["places"]:
        assert entry["sources"], entry["id"]
        assert set(entry["sources"]) <= set(document["sources"]), entry["id"]


COUNTRY_PLACES = ["cambodia", "myanmar", "laos", "philippines", "thailand", "malaysia", "vietnam"]


@pytest.mark.parametrize("place_id", COUNTRY_PLACES)
def test_countries_have_names_for_every_locale_or_share_the_latin_one(place_id: str) -> None:
    document = json.loads(places.DATA_PATH.read_text(encoding="utf-8"))
    entry = next(entry for entry in document["places"] if entry["id"] == place_id)
    # A country's names are country_names.json's, the one list countries_named reads too.
    assert entry["names_of_country"] is True and "names" not in entry
    names = json.loads(places.COUNTRY_NAMES_PATH.read_text(encoding="utf-8"))["country_names"]
    by_locale = names[entry["country"]]["names"]
    # Locales written in Latin letters may use the English name (Laos, Myanmar, Thailand):
    # every locale's names are searched in every text.
    latin = {"en", "vi", "id", "ms", "tl"}
    for locale in set(LOCALES) - latin:
        assert by_locale.get(locale), (place_id, locale)


def test_country_names_are_one_list_read_alike_by_both_readers() -> None:
    document = json.loads(places.COUNTRY_NAMES_PATH.read_text(encoding="utf-8"))
    places_document = json.loads(places.DATA_PATH.read_text(encoding="utf-8"))
    with_names = {entry["country"] for entry in places_document["places"] if entry.get("names_of_country")}
    assert with_names == set(document["country_names"])
    # Each name once: not twice in a country's list, nor again among the other lists of the file.
    others = {name.lower() for names in [*document["countries"].values(), *document["transit"].values()]
              for name in names}
    for code, entry in document["country_names"].items():
        assert set(entry["sources"]) <= set(document["sources"]), code
        for locale, items in entry["names"].items():
            names = [item if isinstance(item, str) else item["name"] for item in items]
            assert len(names) == len({normalise(name) for name in names}), (code, locale)
            assert not {name.lower() for name in names} & others, (code, locale)
            # Alone (no guard to satisfy), a name with no guard is its country for both readers.
            for name in names:
                if name in items:
                    assert countries_named(name) == (code,), (code, name)
                    assert code in {mention.country for mention in find_places(name)}, (code, name)


@pytest.mark.parametrize(("text", "country"), [
    ("Kerja di Malaysia, gaji tinggi", "MY"),
    ("Tuyển lao động đi Việt Nam", "VN"),
    ("Cần người đi Mã Lai làm việc", "MY"),
    ("ໄປລາວ ເຮັດວຽກ", "LA"),
    ("ไปทำงานพม่า", "MM"),
])
def test_both_readers_name_the_country(text: str, country: str) -> None:
    assert countries_named(text) == (country,)
    assert {mention.country for mention in find_places(text)} == {country}


@pytest.mark.parametrize("text", [
    "Tuyển giáo viên tiếng Mã Lai",    # the Malay language, not Malaysia
    "người Mã Lai",                      # the Malay people
    "แรงงานพม่า",                        # Burmese workers (a people, not where the job is)
    "bunga kamboja",                     # the frangipani flower
    "Lào Cai",                           # a Vietnamese province
])
def test_a_guarded_country_name_is_no_place_for_either_reader(text: str) -> None:
    assert countries_named(text) == ()
    assert [mention for mention in find_places(text) if mention.kind == "country"] == []


def test_names_of_country_needs_the_country_in_country_names() -> None:
    document = {"sources": {"s": "a source"}, "countries": {"XX": {"role": "other", "sources": ["s"]}},
                "places": [{"id": "nowhere", "country": "XX", "kind": "country", "sources": ["s"],
                            "names_of_country": True}],
                "route_categories": {}, "route_cues": {}}
    names: dict[str, Any] = {"sources": {"s": "a source"},
                             "country_names": {"YY": {"sources": ["s"], "names": {"en": ["Y"]}}}}
    with pytest.raises(PlacesError, match="country_names has no 'XX'"):
        PlaceIndex(document, names)
    names["country_names"]["XX"] = {"sources": ["unknown"], "names": {"en": ["X"]}}
    with pytest.raises(PlacesError, match="unknown sources"):
        PlaceIndex(document, names)
    names["country_names"]["XX"] = {"sources": ["s"], "names": {"en": ["Xland"]}}
    index = PlaceIndex(document, names)
    assert [mention.place for mention in find_places("jobs in Xland", index)] == ["nowhere"]


def test_cue_phrases_expand() -> None:
    assert expand("{pick|picks} {you|u} up") == ["pick you up", "pick u up", "picks you up", "picks u up"]
    assert expand("avoid {the |}checkpoint") == ["avoid the checkpoint", "avoid checkpoint"]


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(places.DATA_PATH.read_text(encoding="utf-8"))
    return loaded


def _named(document: dict[str, Any]) -> dict[str, Any]:
    """The first place with names of its own (a country's are country_names.json's)."""
    return next(place for place in document["places"] if "names_of_country" not in place)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["places"][0].update(sources=["nowhere"]), "unknown sources"),
    (lambda d: _named(d)["names"].update(xx=["Cambodia"]), "unknown locale"),
    (lambda d: d["places"][0].update(kind="city"), "kind must be"),
    (lambda d: d["places"].append(dict(d["places"][0])), "duplicate place id"),
    (lambda d: d["route_cues"]["en"].update(teleport=["beam me"]), "unknown category"),
    (lambda d: d["route_categories"].update(teleport=["warp"]), "features must be"),
    (lambda d: _named(d)["names"]["en"].append({"name": "X", "near": ["y"]}), "unknown keys"),
])
def test_malformed_files_are_refused(change: Any, message: str) -> None:
    document = _document()
    change(document)
    with pytest.raises(PlacesError, match=message):
        PlaceIndex(document)


# --------------------------------------------------------------------------------------------
# Country names in every language (the spellings job seekers and recruiters use)


@pytest.mark.parametrize(("text", "place_id"), [
    # Cambodia
    ("Urgent hiring in Cambodia, salary 1500", "cambodia"),
    ("Trabalho no Cambodge", "cambodia"),
    ("招聘客服，工作地点柬埔寨", "cambodia"),
    ("柬國高薪工作", "cambodia"),
    ("Tuyển nhân viên làm việc tại Campuchia", "cambodia"),
    ("sang bên Miên làm online", "cambodia"),
    ("รับสมัครงานที่กัมพูชา", "cambodia"),
    ("ไปทำงานเขมร รายได้ดี", "cambodia"),
    ("Lowongan kerja di Kamboja", "cambodia"),
    ("Kerja di Kemboja gaji tinggi", "cambodia"),
    ("Trabaho sa Kambodya", "cambodia"),
    ("ការងារនៅកម្ពុជា", "cambodia"),
    ("ວຽກຢູ່ກຳປູເຈຍ", "cambodia"),
    ("ကမ္ဘောဒီးယားမှာ အလုပ်", "cambodia"),
    ("캄보디아에서 근무", "cambodia"),
    ("कंबोडिया में नौकरी", "cambodia"),
    ("कम्बोडिया में काम", "cambodia"),
    # Myanmar
    ("Job in Myanmar", "myanmar"),
    ("Office in Burma", "myanmar"),
    ("缅甸高薪", "myanmar"),
    ("緬甸工作", "myanmar"),
    ("Việc làm ở Miến Điện", "myanmar"),
    ("ทำงานที่เมียนมา", "myanmar"),
    ("ไปพม่า เงินดี", "myanmar"),
    ("Kerja di Myanmar", "myanmar"),
    ("ការងារនៅមីយ៉ាន់ម៉ា", "myanmar"),
    ("ວຽກຢູ່ມຽນມາ", "myanmar"),
    ("မြန်မာနိုင်ငံ", "myanmar"),
    ("미얀마 근무", "myanmar"),
    ("म्यांमार में नौकरी", "myanmar"),
    # Laos
    ("Work in Laos", "laos"),
    ("Work in Lao PDR", "laos"),
    ("老挝工作", "laos"),
    ("寮國工作", "laos"),
    ("Việc làm tại Lào lương cao", "laos"),
    ("ไปทำงานที่ลาว", "laos"),
    ("ทำงาน สปป.ลาว", "laos"),
    ("📍 ลาว", "laos"),
    ("ការងារនៅឡាវ", "laos"),
    ("ວຽກຢູ່ປະເທດລາວ", "laos"),
    ("ວຽກຢູ່ ສປປ ລາວ", "laos"),
    ("လာအိုမှာ အလုပ်", "laos"),
    ("라오스 근무", "laos"),
    ("लाओस में नौकरी", "laos"),
    # Philippines
    ("Work in the Philippines", "philippines"),
    ("菲律宾工作", "philippines"),
    ("菲律賓工作", "philippines"),
    ("Việc làm ở Philippines", "philippines"),
    ("งานที่ฟิลิปปินส์", "philippines"),
    ("Kerja di Filipina", "philippines"),
    ("Trabaho sa Pilipinas", "philippines"),
    ("ការងារនៅហ្វីលីពីន", "philippines"),
    ("ວຽກຢູ່ຟີລິບປິນ", "philippines"),
    ("ဖိလစ်ပိုင်မှာ အလုပ်", "philippines"),
    ("필리핀 근무", "philippines"),
    ("फिलीपींस में नौकरी", "philippines"),
    # Thailand, the usual transit country
    ("Fly to Thailand", "thailand"),
    ("泰国", "thailand"),
    ("泰國", "thailand"),
    ("Bay sang Thái Lan", "thailand"),
    ("sang Thái làm việc", "thailand"),
    ("ไปประเทศไทย", "thailand"),
    ("pergi ke Siam", "thailand"),
    ("ទៅប្រទេសថៃ", "thailand"),
    ("ໄປປະເທດໄທ", "thailand"),
    ("ထိုင်းကို သွားမယ်", "thailand"),
    ("태국으로", "thailand"),
    ("थाईलैंड जाना है", "thailand"),
])
def test_country_names(text: str, place_id: str) -> None:
    mentions = find_places(text)
    assert place_id in [mention.place for mention in mentions], text
    mention = next(mention for mention in mentions if mention.place == place_id)
    assert mention.kind == "country"
    assert mention.destination == (place_id != "thailand")


@pytest.mark.parametrize(("text", "place_id", "kind"), [
    ("Sihanoukville casino", "sihanoukville", "zone"),
    ("Preah Sihanouk province", "sihanoukville", "zone"),
    ("西港招聘", "sihanoukville", "zone"),
    ("시아누크빌 근무", "sihanoukville", "zone"),
    ("ក្រុងព្រះសីហនុ", "sihanoukville", "zone"),
    ("Bavet", "bavet", "zone"),
    ("ปอยเปต", "poipet", "zone"),
    ("Myawaddy", "myawaddy", "zone"),
    ("妙瓦底", "myawaddy", "zone"),
    ("เมียวดี", "myawaddy", "zone"),
    ("KK Park", "kk_park", "zone"),
    ("Shwe Kokko", "shwe_kokko", "zone"),
    ("亚太新城", "shwe_kokko", "zone"),
    ("Tachileik", "tachileik", "zone"),
    ("大其力", "tachileik", "zone"),
    ("Golden Triangle SEZ", "golden_triangle", "zone"),
    ("金三角特区", "golden_triangle", "zone"),
    ("Tonpheung", "golden_triangle", "zone"),
    ("Bokeo", "bokeo", "zone"),
    ("Laukkaing", "laukkaing", "zone"),
    ("缅甸果敢老街", "kokang", "zone"),
    ("Mong La", "mong_la", "zone"),
    ("O'Smach", "osmach", "zone"),
    ("O’Smach", "osmach", "zone"),
    ("缅北", "northern_myanmar", "zone"),
    ("Mae Sot", "mae_sot", "crossing"),
    ("湄索", "mae_sot", "crossing"),
    ("แม่สอด", "mae_sot", "crossing"),
    ("the Moei river", "moei_river", "crossing"),
    ("Sungai Golok", "sungai_golok", "crossing"),
    ("Aranyaprathet", "aranyaprathet", "crossing"),
    ("Mae Sai", "mae_sai", "crossing"),
    ("Chiang Saen", "chiang_saen", "crossing"),
    ("Chiang Khong", "chiang_khong", "crossing"),
    ("Mộc Bài", "moc_bai", "crossing"),
    ("Bangkok", "bangkok", "transit"),
    ("Don Mueang", "don_mueang", "transit"),
    ("Kuala Lumpur", "kuala_lumpur", "transit"),
])
def test_zones_crossings_and_hubs(text: str, place_id: str, kind: str) -> None:
    mention = next(mention for mention in find_places(text) if mention.place == place_id)
    assert mention.kind == kind
    assert mention.border == (kind == "crossing" or place_id in {
        "bavet", "poipet", "myawaddy", "kk_park", "shwe_kokko", "tachileik", "golden_triangle",
        "bokeo", "laukkaing", "kokang", "mong_la", "osmach"})


def test_spans_point_at_the_words_as_written() -> None:
    text = "Ｗｅ  pick you up\n\nby car from   MAE SOT tomorrow"
    (mention,) = find_places(text)
    assert text[mention.span[0]:mention.span[1]] == "MAE SOT"
    thai = "ไปทำงาน\u200bที่ลาว"
    (mention,) = find_places(thai)
    assert thai[mention.span[0]:mention.span[1]] == "ลาว"


def test_latin_names_next_to_other_scripts() -> None:
    assert place_ids("在Poipet工作") == ["poipet"]
    assert place_ids("ทำงานที่Myawaddyค่ะ") == ["myawaddy"]


def test_longer_names_win() -> None:
    assert place_ids("Northern Myanmar") == ["northern_myanmar"]
    assert place_ids("สีหนุวิลล์") == ["sihanoukville"]


# --------------------------------------------------------------------------------------------
# Ambiguous words: each one's matching is explicit in the data file


@pytest.mark.parametrize("text", [
    "บริการคลาวด์ของเรา",          # cloud: contains ลาว
    "ปลาวาฬตัวใหญ่",               # whale
    "ภูเขาไฟพ่นลาวา",              # lava
    "สาวลาวน่ารัก",                # a Lao girl: the people, not a destination
    "รับสมัครแรงงานพม่า",           # Burmese workers in Thailand
    "พูดภาษาเขมรได้",               # speaks Khmer
    "ภาพยนตร์เรื่องเขมรแดง",        # the Khmer Rouge
    "อำเภอแม่ลาว เชียงราย",         # Mae Lao district
    "ລາວເວົ້າວ່າຈະມາມື້ອື່ນ",        # Lao: "he said he'd come tomorrow"
    "Tôi đi Lào Cai",               # a Vietnamese province
    "hút thuốc lào",               # Vietnamese pipe tobacco
    "quê ở Thái Bình",             # a Vietnamese province
    "为人果敢，工作认真",            # resolute (a job requirement)
    "老街小吃很好吃",                # an old street
    "包罗万象",                     # all-embracing
    "bunga kamboja putih",         # frangipani
    "King Norodom Sihanouk",       # the late king
    "rice from the Mekong Delta",  # Vietnam, not the Thai-Lao border river
])
def test_ambiguous_words_are_not_places(text: str) -> None:
    found = set(place_ids(text))
    assert not found & {"laos", "myanmar", "cambodia", "kokang", "laukkaing", "vientiane",
                        "sihanoukville", "mekong", "mong_la", "thailand"}, (text, found)


def test_mueang_lao_is_laos_not_mong_la() -> None:
    assert place_ids("เมืองลาวสวยงาม") == ["laos"]
    assert place_ids("ไปเมืองลา") == ["mong_la"]


@pytest.mark.parametrize(("text", "place_id"), [
    ("ทำงานในลาว", "laos"),
    ("ชายแดนไทย-ลาว", "laos"),
    ("ไปเขมร", "cambodia"),
    ("ข้ามไปฝั่งพม่า", "myanmar"),
    ("ຊາຍແດນລາວ", "laos"),
])
def test_ambiguous_words_with_a_destination_word_are_places(text: str, place_id: str) -> None:
    assert place_id in place_ids(text)


# --------------------------------------------------------------------------------------------
# Routes


@pytest.mark.parametrize(("text", "reason"), [
    ("We pick you up by car from Mae Sot", PICKUP_AT_BORDER),
    ("You will cross the river", BORDER_CROSSING),
    ("A flight to Bangkok then overland", FLIGHT_THEN_OVERLAND),
    ("Fly to Bangkok, then our driver takes you to the border", FLIGHT_THEN_OVERLAND),
    ("Fly to Bangkok, then our driver takes you to the border", PICKUP_AT_BORDER),
    ("Then take the boat across the Moei", BORDER_CROSSING),
    ("Go to Sungai Golok then by boat into Thailand", BORDER_CROSSING),
    ("Go to Sungai Golok then by boat into Thailand", OVERLAND_TO_COUNTRY),
    ("You enter through Poipet", BORDER_CROSSING),
    ("We go via Tachileik", BORDER_CROSSING),
    ("Travel via the Golden Triangle", BORDER_CROSSING),
    ("Walk across the border at night", IRREGULAR_CROSSING),
    ("flight to Bangkok on Friday, driver will take you the rest of the way", FLIGHT_THEN_OVERLAND),
    ("No need to go through immigration, our people handle it", IRREGULAR_CROSSING),
    ("Land in Bangkok, the company van drives you to Myawaddy", FLIGHT_THEN_OVERLAND),
])
def test_english_routes(text: str, reason: str) -> None:
    route = read_route(text)
    assert route is not None, text
    assert reason in route.reasons, (text, route.describe())


ROUTES_BY_LANGUAGE: list[tuple[str, str, set[str]]] = [
    ("zh_Hans", "先飞到曼谷，然后坐车去妙瓦底", {FLIGHT_THEN_OVERLAND, BORDER_CROSSING}),
    ("zh_Hans", "晚上坐船过河，不走口岸", {IRREGULAR_CROSSING}),
    ("zh_Hans", "到了湄索有人接你", {PICKUP_AT_BORDER}),
    ("zh_Hant", "先飛到曼谷，再坐車到邊境，有人接你過河", {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("zh_Hant", "護照不用蓋章，偷渡過去", {IRREGULAR_CROSSING}),
    ("vi", "Bay sang Bangkok rồi đi xe qua biên giới", {FLIGHT_THEN_OVERLAND, BORDER_CROSSING}),
    ("vi", "Đến Mộc Bài sẽ có người đón, đi đường mòn qua luôn", {IRREGULAR_CROSSING, PICKUP_AT_BORDER}),
    ("vi", "Đi xe sang Campuchia làm việc", {OVERLAND_TO_COUNTRY}),
    ("th", "บินไปกรุงเทพ แล้วนั่งรถตู้ไปแม่สอด มีคนมารับข้ามแม่น้ำเมย", {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("th", "ข้ามช่องทางธรรมชาติตอนกลางคืน", {IRREGULAR_CROSSING}),
    ("id", "Terbang ke Bangkok, lalu jalan darat ke perbatasan, nanti dijemput sopir",
     {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("id", "Lewat jalur tikus, menyeberang sungai naik perahu malam hari", {IRREGULAR_CROSSING}),
    ("ms", "Pergi ke Sungai Golok dulu, lepas itu naik bot masuk Thailand",
     {BORDER_CROSSING, OVERLAND_TO_COUNTRY}),
    ("ms", "Bawa IC je, kami ambil di Rantau Panjang", {PICKUP_AT_BORDER}),
    ("tl", "Lilipad ka sa Bangkok tapos sasakay ng van papunta sa border, may susundo sa iyo doon",
     {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("tl", "Backdoor tayo, tatawid ng ilog sa gabi", {IRREGULAR_CROSSING}),
    ("km", "ជិះយន្តហោះទៅបាងកក បន្ទាប់មកជិះឡានទៅព្រំដែន មានគេទៅទទួល", {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("km", "ឆ្លងព្រំដែនពេលយប់ មិនឆ្លងតាមច្រក", {IRREGULAR_CROSSING}),
    ("lo", "ບິນໄປບາງກອກ ແລ້ວນັ່ງລົດໄປຊາຍແດນ ມີຄົນມາຮັບ", {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("lo", "ນັ່ງເຮືອຂ້າມນ້ຳຂອງໄປຕົ້ນເຜິ້ງ ຕອນກາງຄືນ", {IRREGULAR_CROSSING, BORDER_CROSSING}),
    ("my", "ဘန်ကောက်ကို လေယာဉ်နဲ့သွား ပြီးရင် ကားနဲ့ မြဝတီကို ဆက်သွား", {FLIGHT_THEN_OVERLAND, BORDER_CROSSING}),
    ("my", "ညဘက် လှေနဲ့ မြစ်ကူးမယ်", {IRREGULAR_CROSSING}),
    ("ko", "방콕으로 비행기 타고 가서 차로 국경까지 이동, 거기서 기사가 픽업",
     {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("ko", "밤에 배를 타고 강을 건너요", {IRREGULAR_CROSSING}),
    ("hi", "बैंकॉक की फ्लाइट लो, फिर गाड़ी से बॉर्डर पार, वहाँ ड्राइवर लेने आएगा",
     {FLIGHT_THEN_OVERLAND, PICKUP_AT_BORDER}),
    ("hi", "रात में नाव से नदी पार करनी होगी", {IRREGULAR_CROSSING}),
]


@pytest.mark.parametrize(("language", "text", "reasons"), ROUTES_BY_LANGUAGE)
def test_routes_in_every_language(language: str, text: str, reasons: set[str]) -> None:
    route = read_route(text)
    assert route is not None, (language, text)
    assert reasons <= set(route.reasons), (language, text, route.describe())
    assert language in route.languages or language in {"zh_Hant"}, route.languages


def test_every_locale_has_routes() -> None:
    assert {language for language, _text, _reasons in ROUTES_BY_LANGUAGE} | {"en"} == set(LOCALES)


def test_a_mae_sot_pick_up_reads_as_a_pick_up_at_the_border() -> None:
    text = "We pick you up by car from Mae Sot"
    route = read_route(text)
    assert route is not None
    assert route.reasons[0] == PICKUP_AT_BORDER
    (leg,) = route.legs
    assert (leg.mode, leg.pickup, leg.crosses_border) == ("road", True, True)
    assert [place.place for place in leg.places] == ["mae_sot"]
    assert text[route.span[0]:route.span[1]] == "pick you up by car from Mae Sot"


def test_legs_follow_the_journey() -> None:
    route = read_route("Fly to Bangkok, then our driver takes you to the border")
    assert route is not None
    assert [leg.mode for leg in route.legs] == ["air", "road"]
    assert [place.place for place in route.legs[0].places] == ["bangkok"]
    assert route.legs[1].pickup and route.legs[1].crosses_border
    assert "bangkok" in route.describe()


@pytest.mark.parametrize("text", [
    "Bangkok",
    "Poipet",
    "Job in Cambodia, salary $1500",
    "Myawaddy has become a hub for scam compounds, the UN says.",
    "Authorities raided compounds in Sihanoukville and Bavet.",
    "Day 1: fly to Bangkok. Day 2: take a bus to Pattaya. Day 3: temples.",
    "Is there a bus from Bangkok to Siem Reap via Poipet?",
    "We took the bus from Bangkok to Siem Reap via Poipet, easy crossing.",
    "Slow boat from Huay Xai to Luang Prabang, then fly to Hanoi",
    "We are hiring cross-border logistics drivers in Kuala Lumpur",
    "Our office is near the river, free parking",
    "Free flight ticket and accommodation, work in Sihanoukville",
    "นั่งรถไปเที่ยวพัทยา",
    "ผ่านการสัมภาษณ์แล้ว ยินดีด้วย",
    "妙瓦底电诈园区被查处",
    "Tin tức: nhiều người bị lừa sang Campuchia làm việc",
    "មិនរក្សាលិខិតឆ្លងដែនរបស់អ្នក",
    "ភាពយន្តឯកសារយប់នេះ៖ មជ្ឈមណ្ឌលបោកប្រាស់នៅត្រីកោណមាស",
    "Hubungi bot Telegram kami via WhatsApp",
    "Night shift, we pick you up from the dormitory",
])
def test_ordinary_sentences_are_not_routes(text: str) -> None:
    route = read_route(text)
    assert route is None, (text, route.describe() if route else None)


@pytest.mark.parametrize("text", [
    # "Illegal" alone is not a crossing (r-legit3, issue 14): lawful notices name illegal workers or
    # warn against going abroad illegally. As "illegally" in English, "ilegal", ผิดกฎหมาย, 非法 and
    # "trái phép" already did, the word needs a crossing or border word beside it.
    "ពលករខុសច្បាប់ មិនអាចដាក់ពាក្យបានទេ",
    "ແຮງງານຜິດກົດໝາຍ ບໍ່ສາມາດສະໝັກໄດ້",
    "တရားမဝင် အလုပ်သမားများ လျှောက်ထား၍မရပါ",
    "Jangan bekerja ke luar negeri secara ilegal, daftar lewat BP2MI.",
    "Majikan yang mengambil pendatang haram akan didenda.",
    "अवैध रूप से विदेश जाने से बचें, ई-माइग्रेट पर पंजीकरण करें।",
])
def test_illegal_alone_is_not_a_crossing(text: str) -> None:
    route = read_route(text)
    assert route is None, (text, route.describe() if route else None)


@pytest.mark.parametrize("text", [
    "ឆ្លងព្រំដែនខុសច្បាប់ទៅថៃ",
    "ຂ້າມຊາຍແດນຜິດກົດໝາຍ",
    "နယ်စပ်ကို တရားမဝင် ဖြတ်ကျော်",
    "Kami bawa kamu menyeberang perbatasan secara ilegal",
    "सीमा पार अवैध रूप से कराएंगे",
])
def test_illegal_beside_a_crossing_is_an_irregular_crossing(text: str) -> None:
    route = read_route(text)
    assert route is not None and IRREGULAR_CROSSING in route.reasons, text


# --------------------------------------------------------------------------------------------
# Stability: invisible characters, case, whitespace


SAMPLES = [text for _language, text, _reasons in ROUTES_BY_LANGUAGE] + [
    "We pick you up by car from Mae Sot",
    "Fly to Bangkok, then our driver takes you to the border",
    "Work in Cambodia: Sihanoukville, Bavet or Poipet",
    "ไปทำงานที่ลาว สามเหลี่ยมทองคำ",
    "Tuyển gấp đi Campuchia, bay sang Thái Lan",
]


def _reading(text: str) -> tuple[list[tuple[str, str]], tuple[str, ...] | None]:
    reading = scan(text)
    return ([(mention.place, mention.kind) for mention in reading.places],
            reading.route.reasons if reading.route else None)


def _insert_invisible(text: str, positions: list[int], chars: str) -> str:
    pieces = list(text)
    for position, char in sorted(zip(positions, chars, strict=False), reverse=True):
        pieces.insert(position % (len(text) + 1), char)
    return "".join(pieces)


@settings(max_examples=200, deadline=None)
@given(sample=st.sampled_from(SAMPLES),
       positions=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8),
       chars=st.text(alphabet=ZERO_WIDTH, min_size=8, max_size=8))
def test_stable_under_zero_width_characters(sample: str, positions: list[int], chars: str) -> None:
    noisy = _insert_invisible(sample, positions, chars)
    assert _reading(noisy) == _reading(sample)
    invisible = str.maketrans("", "", ZERO_WIDTH)
    clean_spans = [sample[m.span[0]:m.span[1]] for m in find_places(sample)]
    noisy_spans = [noisy[m.span[0]:m.span[1]].translate(invisible) for m in find_places(noisy)]
    assert noisy_spans == clean_spans


@settings(max_examples=200, deadline=None)
@given(sample=st.sampled_from(SAMPLES), seed=st.integers(min_value=0, max_value=2**32))
def test_stable_under_case_and_whitespace(sample: str, seed: int) -> None:
    rng = random.Random(seed)
    varied = "".join(
        (char.upper() if rng.random() < 0.5 else char.lower()) if len(char.upper()) == 1 else char
        for char in sample)
    varied = varied.replace(" ", rng.choice([" ", "  ", "\n", " \t "]))
    assert _reading(varied) == _reading(sample)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_read_without_error_and_spans_are_in_bounds(text: str) -> None:
    reading = scan(text)
    for mention in reading.places:
        start, end = mention.span
        assert 0 <= start < end <= len(text)
    if reading.route is not None:
        start, end = reading.route.span
        assert 0 <= start <= end <= len(text)


@settings(max_examples=100, deadline=None)
@given(prefix=st.text(max_size=40), suffix=st.text(max_size=40))
def test_names_are_found_inside_any_text(prefix: str, suffix: str) -> None:
    text = f"{prefix} Mae Sot {suffix}"
    assert any(m.place == "mae_sot" and normalise(text[m.span[0]:m.span[1]]) == "mae sot"
               for m in find_places(text))


def test_normalise() -> None:
    assert normalise("  ＭＡＥ\u200b SOT\n\n") == "mae sot"
    assert normalise("กําปงโสม") == normalise("กำปงโสม")  # decomposed and composed SARA AM
    assert normalise("Le\u0300 Thi\u0323") == normalise("Lè Thị")  # decomposed Vietnamese
    assert normalise("𝐂𝐚𝐦𝐛𝐨𝐝𝐢𝐚") == "cambodia"


# --------------------------------------------------------------------------------------------
# Without the Aho-Corasick extension the reading is the same (only slower)


def test_fallback_without_the_extension_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    with_extension = places.default_index()
    monkeypatch.setattr(places, "ahocorasick_rs", None)
    without = places.load_places()
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()[::7]]
    texts += SAMPLES
    for text in texts:
        a, b = scan(text, with_extension), scan(text, without)
        assert a.places == b.places, text
        assert (a.route.reasons if a.route else None) == (b.route.reasons if b.route else None), text


def test_has_route_is_whether_read_route_reads_one() -> None:
    # has_route stops where the reading decides there is a route, before its legs and places.
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts += SAMPLES
    texts += [text.upper() for text in texts[::5]]
    answers = [(places.has_route(text), read_route(text) is not None) for text in texts]
    assert all(fast == full for fast, full in answers)
    assert any(fast for fast, _ in answers) and not all(fast for fast, _ in answers)


def test_place_mentions_are_frozen() -> None:
    mention = PlaceMention("KH", "poipet", "zone", (0, 6))
    with pytest.raises(AttributeError):
        mention.kind = "country"  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "ｗ", "\u0301", "\u200b", "ํา", "ำ", "𝐀", "🅰", "ဥ", "ီ",
                                 "\u2028", "İ", "ก", "\n"]), max_size=16).map("".join))
def test_special_runs_are_the_runs_finditer_finds(text: str) -> None:
    assert [match.span() for match in places._special_runs(text)] == \
        [match.span() for match in places._SPECIAL_RE.finditer(text)]


# --------------------------------------------------------------------------------------------
# Recruitment licences that make their country the origin (data/origin_licences.json)


def test_a_printed_licence_makes_its_country_the_origin_only_where_its_places_are_named() -> None:
    text = "ABC Manpower (POEA License No. 123-LB-031221), office in Ermita, Manila: jobs in Japan"
    assert places.licensed_origins(text, frozenset({"PH", "KH"})) == frozenset({"PH"})
    # Read only for the countries whose places the caller found named.
    assert places.licensed_origins(text, frozenset({"KH"})) == frozenset()
    unlicensed = "Office in Ermita, Manila: jobs in Japan"
    assert places.licensed_origins(unlicensed, frozenset({"PH"})) == frozenset()


def _write_licences(tmp_path: Path, change: Any) -> Path:
    document = json.loads(places.LICENCES_PATH.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "origin_licences.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["licences"][0].update(sources=["nowhere"]), "unknown sources"),
    (lambda d: d["licences"][0].update(country="Philippines"), "alpha-2"),
    (lambda d: d["licences"].append(dict(d["licences"][0])), "alpha-2 code, once"),
    (lambda d: d["licences"][0].update(patterns=[]), "non-empty list"),
    (lambda d: d["licences"][0].update(patterns=["(unclosed"]), "licence PH"),
])
def test_malformed_licence_files_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(PlacesError, match=message):
        places.load_origin_licences(_write_licences(tmp_path, change))


def test_every_shipped_licence_cites_a_source_and_loads() -> None:
    loaded = places.load_origin_licences()
    assert "PH" in loaded
    assert loaded["PH"].search("DMW-licensed agency") is not None


# --------------------------------------------------------------------------------------------
# Country names (countries_named: the job abroad, the pay's market, the model's country classes)


def test_countries_named() -> None:
    assert countries_named("Customer Service, Cambodia – Sihanoukville") == ("KH",)
    assert countries_named("Fly to Bangkok, our driver takes you to Myawaddy") == ("MM",)
    assert countries_named("Fly to Bangkok, then Mae Sot") == ("TH",)  # transit only
    assert countries_named("Cần người biết tiếng Thái làm ở Campuchia") == ("KH",)
    assert countries_named("태국어 가능자, 캄보디아 근무") == ("KH",)
    assert countries_named("Nurse for the UK, London hospital") == ("GB",)
    assert countries_named("no place at all") == ()
    assert countries_named("We help Europeans find flats") == ()  # a people, not the region


@pytest.mark.parametrize(("text", "country"), [
    # The United States and Canada in the languages that lacked them (train lures th-scam-035,
    # hi-scam-049 named them and were not read as jobs abroad).
    ("ไปทำงานก่อสร้างกับนายจ้างที่เกาะกวม ประเทศสหรัฐอเมริกา", "US"),
    ("Lowongan kerja di Amerika Serikat", "US"),
    ("Tuyển lao động đi Hoa Kỳ", "US"),
    ("वर्क परमिट पर कनाडा भेजने का वादा", "CA"),
    ("รับสมัครงานที่แคนาดา", "CA"),
    # Regions named instead of a country (issue 14, q-rules: dev lure hi-scam-021, "a European company")
    ("यूरोपीय कंपनी से नौकरी का ऑफर", "EU"),
    ("Job offer from a European company, processing fee required", "EU"),
    ("Lowongan kerja di Timur Tengah", "ME"),
    ("खाड़ी देशों में नौकरी", "ME"),
    ("中东高薪招聘", "ME"),
])
def test_countries_named_in_more_languages(text: str, country: str) -> None:
    assert countries_named(text) == (country,)


# Every country CLDR names, in each of the 13 languages (issue 14 item 3, branch r-places:
# screening/data/cldr_countries.json, scripts/build_cldr_countries.py). None of these was read
# before: a job there was not a job abroad.
@pytest.mark.parametrize(("text", "country"), [
    ("Factory workers wanted in Romania, free visa", "RO"),
    ("招聘赴罗马尼亚工厂普工，包吃住", "RO"),
    ("誠徵赴阿聯酋飯店服務生，月薪優", "AE"),
    ("Tuyển lao động đi Ba Lan, lương cao", "PL"),
    ("รับสมัครแม่บ้านไปทำงานประเทศโอมาน", "OM"),
    ("Lowongan kerja di Inggris, gaji besar", "GB"),
    ("Kerja kilang di Rumania, gaji lumayan", "RO"),
    ("Hiring caregivers for Malta, no placement fee", "MT"),
    ("ជ្រើសរើសកម្មករទៅធ្វើការនៅប្រទេសរូម៉ានី", "RO"),
    ("ຮັບສະໝັກແມ່ບ້ານໄປເຮັດວຽກຢູ່ໂອມານ", "OM"),
    ("ရိုမေးနီးယားနိုင်ငံတွင် စက်ရုံအလုပ်", "RO"),
    ("루마니아에서 일할 공장 근무자 모집", "RO"),
    ("ओमान में ड्राइवर की नौकरी", "OM"),
    ("Trabaho sa Libya, malaki ang sahod", "LY"),
])
def test_countries_named_from_cldr(text: str, country: str) -> None:
    assert countries_named(text) == (country,)


@pytest.mark.parametrize("text", [
    # Country names that are ordinary words, given names or parts of longer words: no place.
    "Jordan and Chad will meet you at the office",
    "Guinea pigs and turkey for dinner in Georgia",  # Georgia: a US state as often as a country
    "Mali ang sagot mo, pakiulit",  # Tagalog "wrong"
    "월급 오만 원 인상, 인도 날짜 확인",  # 50,000 won; delivery
    "수단과 방법을 가리지 않고",  # means
    "프랑스어 가능자 우대",  # the French language
    "湖南非法集资案",  # Hunan + illegal
    "非法国际汇款",  # illegal + international
    "内蒙古分公司招聘",  # Inner Mongolia
    "Ai cập nhật thông tin này?",  # "who updates"
    "Anh ơi, hợp pháp không?",  # anh "you", pháp in "legal"
    "คุณมาลีเป็นผู้จัดการ",  # a given name
    "माली और ड्राइवर चाहिए",  # a gardener
    "पैसे गिनी और दे दिए",  # counted
    "Butuh penerjemah Mandarin-Inggris, bisa bahasa Inggris",  # the English language
    "Biết tiếng Ba Lan là lợi thế",  # the Polish language
    "โปรดเช็กยอดเงินในบัตร",  # Thai "check", not Czechia
    "沿海地区工厂招工",  # coastal areas (海地, Haiti)
])
def test_country_false_friends_are_no_place(text: str) -> None:
    assert countries_named(text) == ()


def test_a_country_only_cldr_names_is_a_place_only_where_the_job_is() -> None:
    # Named as the workers' nationality or origin, or in a list or headline, it says nothing of
    # where the job is (a lawful notice for work in Korea names the sending countries).
    assert countries_named("E-9 외국인 근로자 모집 (네팔, 우즈베키스탄 국적) 기숙사 제공") == ()
    assert countries_named("Workers from Nepal and Sri Lanka wanted for our Dubai hotel") == ("AE",)
    assert countries_named("Kenyan nationals and Ugandan citizens may apply") == ()
    assert countries_named("Tuyển người Ba Lan làm phiên dịch") == ()
    assert countries_named("Romania, Poland and Serbia sign a labour agreement") == ()
    assert countries_named("尼泊尔籍工人") == ()
    # Where the job is or the journey goes, it counts.
    assert countries_named("Jobs in Poland for Nepal nationals") == ("PL",)
    assert countries_named("Kerja ke Inggris tanpa biaya") == ("GB",)
    assert countries_named("去罗马尼亚务工") == ("RO",)
    assert countries_named("रोमानिया में नौकरी, रोमानिया जाने के लिए") == ("RO",)


def test_countries_named_in_order_of_first_whole_mention() -> None:
    # A name glued to a longer word is no mention; the country's next, whole mention counts
    # where it stands (only the first whole mention of each country is checked).
    assert countries_named("Cambodiaaa job, then Thailand, then Cambodia") == ("TH", "KH")
    assert countries_named("Bangkok, Bangkok, then Cambodia, Cambodia") == ("KH",)
    assert countries_named("เรียนภาษาไทย ไปกัมพูชา") == ("KH",)  # the Thai language, not Thailand


@pytest.mark.parametrize("text", [
    "Cambodiaaa job, then Thailand, then Cambodia",
    "เรียนภาษาไทย ไปกัมพูชา",
    "E-9 외국인 근로자 모집 (네팔, 우즈베키스탄 국적) 기숙사 제공",
    "Workers from Nepal and Sri Lanka wanted for our Dubai hotel",
    "Jobs in Poland for Nepal nationals",
    "Romania, Poland and Serbia sign a labour agreement",
    "去罗马尼亚务工",
    "沿海地区工厂招工",
    "Biết tiếng Ba Lan là lợi thế",
])
def test_countries_named_without_the_automaton_reads_the_same(text: str) -> None:
    # The fallback (no ahocorasick_rs) takes the same leftmost-longest matches and the same
    # guards, so it is slower, not different.
    lowered = lower_aligned(fold(text))
    assert places._countries_without_automaton(lowered) == countries_named(text)


@pytest.mark.parametrize(("text", "country"), [
    ("ဒူဘိုင်း ဟိုတယ်အလုပ်ခေါ်သည်", "AE"),       # Dubai in Burmese (the q-walk walk: read as no place)
    ("ယူအေအီး တွင် အလုပ်", "AE"),                # the UAE in Burmese
    ("ជ្រើសរើសពលករទៅធ្វើការនៅថៃ", "TH"),          # Thailand in Khmer without "ប្រទេស" (country)
    ("ធ្វើការនៅឌូបៃ", "AE"),
    ("ဆော်ဒီ တွင် အလုပ်", "SA"),
])
def test_gulf_and_thailand_in_burmese_and_khmer(text: str, country: str) -> None:
    assert country in countries_named(text)


def test_khmer_thai_language_is_not_thailand() -> None:
    assert "TH" not in countries_named("ត្រូវចេះភាសាថៃ")


def test_the_hand_written_country_names_are_those_the_pay_is_priced_at() -> None:
    document = json.loads(places.COUNTRY_NAMES_PATH.read_text(encoding="utf-8"))
    assert (frozenset(document["countries"]) | frozenset(document["transit"])
            | frozenset(document["country_names"])) == places.NAMED_BY_HAND
    # A name of the file wins over CLDR's, and a word that is no place names none.
    assert countries_named("Jobs in Dubai") == ("AE",)
    assert all(countries_named(word) == () for word in document["not_places"])
