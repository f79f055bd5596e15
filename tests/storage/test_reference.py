"""Reference data for provinces, clusters and regions: counts, the current (2017) grouping, forgiving lookup."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import pytest

from storage import reference
from storage.reference import Province

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_JSON = REPO_ROOT.parent / "shared" / "reference" / "provinces.json"

GULF = "กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย"
ANDAMAN = "กลุ่มจังหวัดภาคใต้ฝั่งอันดามัน"
EASTERN_1 = "กลุ่มจังหวัดภาคตะวันออก 1"
EASTERN_2 = "กลุ่มจังหวัดภาคตะวันออก 2"
VICINITY = "กลุ่มจังหวัดภาคกลางปริมณฑล"


def cluster_name(iso: str) -> str | None:
    no = reference.province(iso).cluster
    return reference.cluster(no).name_th if no is not None else None


# --- the data ----------------------------------------------------------------------------------------------------


def test_there_are_77_units_18_clusters_and_6_regions() -> None:
    assert len(reference.provinces()) == 77
    assert [c.no for c in reference.clusters()] == list(range(1, 19))
    assert [r.name_th for r in reference.regions()] == [
        "ภาคเหนือ", "ภาคตะวันออกเฉียงเหนือ", "ภาคกลาง", "ภาคตะวันออก", "ภาคใต้", "ภาคใต้ชายแดน",
    ]


def test_codes_and_names_are_unique() -> None:
    units = reference.provinces()
    for field in ("iso", "code", "name_th", "name_en"):
        assert len({getattr(p, field) for p in units}) == 77, field


def test_pattaya_is_not_a_province() -> None:
    with pytest.raises(KeyError):
        reference.province("TH-S")


def test_project_codes_use_the_three_letter_code() -> None:
    chiang_mai = reference.province("TH-50")
    assert (chiang_mai.code, chiang_mai.name_th, chiang_mai.name_en) == ("CMI", "เชียงใหม่", "Chiang Mai")
    assert all(len(p.code) == 3 and p.code.isascii() and p.code.isupper() for p in reference.provinces())


def test_bangkok_alone_has_no_cluster_and_no_region() -> None:
    bangkok = reference.province("TH-10")
    assert (bangkok.cluster, bangkok.region_th, bangkok.region_en) == (None, None, None)
    assert [p.iso for p in reference.provinces() if p.cluster is None or p.region_th is None] == ["TH-10"]


def test_every_cluster_member_points_back_to_its_cluster() -> None:
    for c in reference.clusters():
        assert c.members, c.name_th
        for iso in c.members:
            assert reference.province(iso).cluster == c.no, (iso, c.name_th)


def test_every_province_but_bangkok_is_a_member_of_exactly_one_cluster() -> None:
    members = [iso for c in reference.clusters() for iso in c.members]
    assert len(members) == len(set(members)) == 76
    assert set(members) == {p.iso for p in reference.provinces()} - {"TH-10"}


def test_each_cluster_lies_wholly_inside_its_region() -> None:
    for c in reference.clusters():
        assert {p.region_th for p in reference.provinces_in_cluster(c.no)} == {c.region_th}, c.name_th
    listed = [no for r in reference.regions() for no in r.clusters]
    assert sorted(listed) == list(range(1, 19))
    for r in reference.regions():
        assert all(reference.cluster(no).region_th == r.name_th for no in r.clusters)


@pytest.mark.parametrize(("region", "count"), [
    ("ภาคเหนือ", 17), ("ภาคตะวันออกเฉียงเหนือ", 20), ("ภาคกลาง", 17),
    ("ภาคตะวันออก", 8), ("ภาคใต้", 11), ("ภาคใต้ชายแดน", 3),
])
def test_region_sizes_match_the_announcement(region: str, count: int) -> None:
    assert len(reference.provinces_in_region(region)) == count


def test_operations_centre_is_a_member_where_known() -> None:
    unknown = [c.no for c in reference.clusters() if c.operations_centre is None]
    assert unknown == [12, 13]  # ภาคกลางตอนล่าง 1 and 2: no source names one
    for c in reference.clusters():
        assert c.operations_centre is None or c.operations_centre in c.members


def test_records_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        reference.province("TH-50").cluster = 2  # type: ignore[misc]


@pytest.mark.skipif(not SHARED_JSON.exists(), reason="shared/ is not beside the repository")
def test_packaged_json_is_a_byte_for_byte_copy_of_the_shared_reference() -> None:
    packaged = resources.files("storage").joinpath("data/provinces.json").read_bytes()
    assert packaged == SHARED_JSON.read_bytes()


# --- the current grouping (2017), not the superseded 2009 seed data ------------------------------------------------


@pytest.mark.parametrize(("iso", "expected"), [
    ("TH-90", GULF),  # Songkhla: was in the southern border cluster until 2017
    ("TH-91", ANDAMAN),  # Satun: likewise
    ("TH-24", EASTERN_1),  # Chachoengsao: was in ภาคกลางตอนกลาง, dissolved
    ("TH-73", VICINITY),  # Nakhon Pathom: was in ภาคกลางตอนล่าง 1
    ("TH-11", VICINITY),  # Samut Prakan: was in ภาคกลางตอนกลาง
    ("TH-12", VICINITY),  # Nonthaburi: was in ภาคกลางตอนบน 1
    ("TH-20", EASTERN_1),  # Chon Buri: ภาคตะวันออก was split
    ("TH-22", EASTERN_2),  # Chanthaburi
    ("TH-25", EASTERN_2),  # Prachin Buri: from ภาคกลางตอนกลาง
    ("TH-38", "กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 1"),  # Bueng Kan, created 2011
    ("TH-67", "กลุ่มจังหวัดภาคเหนือตอนล่าง 1"),  # Phetchabun; a third-party seed says ตอนล่าง 2
    ("TH-15", "กลุ่มจังหวัดภาคกลางตอนบน"),  # Ang Thong; the same seed says ปริมณฑล
    ("TH-84", GULF),  # Surat Thani; the same seed says Andaman
])
def test_province_is_in_its_current_cluster(iso: str, expected: str) -> None:
    assert cluster_name(iso) == expected


def test_southern_clusters_have_the_current_members() -> None:
    assert {p.name_en for p in reference.provinces_in_cluster(16)} == {
        "Surat Thani", "Chumphon", "Nakhon Si Thammarat", "Phatthalung", "Songkhla"}
    assert {p.name_en for p in reference.provinces_in_cluster(17)} == {
        "Phuket", "Krabi", "Trang", "Phangnga", "Ranong", "Satun"}
    assert {p.name_en for p in reference.provinces_in_region("ภาคใต้ชายแดน")} == {"Pattani", "Yala", "Narathiwat"}


def test_central_region_has_four_clusters_of_6_4_3_4() -> None:
    central = next(r for r in reference.regions() if r.name_th == "ภาคกลาง")
    assert [len(reference.cluster(no).members) for no in central.clusters] == [6, 4, 3, 4]


def test_unknown_keys_raise_key_error() -> None:
    with pytest.raises(KeyError):
        reference.province("TH-99")
    with pytest.raises(KeyError):
        reference.cluster(19)
    with pytest.raises(KeyError):
        reference.provinces_in_cluster(0)
    with pytest.raises(KeyError):
        reference.provinces_in_region("ภาคตะวันตก")  # a geographical region, not an area-based ภาค


# --- find_province: as people type ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso"), [
    ("เชียงใหม่", "TH-50"),
    ("Chiang Mai", "TH-50"),
    ("chiang mai", "TH-50"),
    ("CHIANGMAI", "TH-50"),
    ("  Chiang   Mai  ", "TH-50"),
    ("TH-50", "TH-50"),
    ("th50", "TH-50"),
    ("CMI", "TH-50"),
    ("cmi", "TH-50"),
    ("จังหวัดเชียงใหม่", "TH-50"),
    ("จังหวัด เชียงใหม่", "TH-50"),
    ("จ.เชียงใหม่", "TH-50"),
    ("จ. เชียงใหม่", "TH-50"),
    ("จ เชียงใหม่", "TH-50"),
    ("Chiang Mai Province", "TH-50"),
    ("จันทบุรี", "TH-22"),  # starts with จ, which must not be taken for the "จ." prefix
    ("จ.จันทบุรี", "TH-22"),
    ("Chonburi", "TH-20"),
    ("Buriram", "TH-31"),
    ("Ayutthaya", "TH-14"),
    ("Phang Nga", "TH-82"),
    ("Sisaket", "TH-33"),
    ("กทม", "TH-10"),
    ("กทม.", "TH-10"),
    ("กรุงเทพ", "TH-10"),
    ("กรุงเทพฯ", "TH-10"),
    ("กรุงเทพมหานคร", "TH-10"),
    ("Bangkok", "TH-10"),
    ("Krung Thep", "TH-10"),
    ("Krung Thep Maha Nakhon", "TH-10"),
    ("BKK", "TH-10"),
    ("อยุธยา", "TH-14"),
    ("โคราช", "TH-30"),
    ("Korat", "TH-30"),
    ("หนองบัวลำภู", "TH-39"),
    ("หนองบัวลำพู", "TH-39"),  # the Debian iso-codes misspelling
    ("ร้อยเอ็ด", "TH-45"),
    ("Roi Et", "TH-45"),
    ("ตาก", "TH-63"),
    ("Nan", "TH-55"),
    ("ประจวบ", "TH-77"),
    ("อุบล", "TH-34"),
    ("นครศรีฯ", "TH-80"),
    ("สุราษฎร์", "TH-84"),
    ("เพชรบุรี", "TH-76"),
    ("เพชรบูรณ์", "TH-67"),
    ("Ｃｈｉａｎｇ Ｍａｉ", "TH-50"),  # full-width Latin from some Thai keyboards
    ("กำแพงเพชร", "TH-62"),
    ("กําแพงเพชร", "TH-62"),  # ำ typed as nikhahit + sara aa
])
def test_find_province_understands_names_codes_and_short_forms(text: str, iso: str) -> None:
    found = reference.find_province(text)
    assert found is not None and found.iso == iso


@pytest.mark.parametrize(("text", "iso"), [
    ("เชียงใหม", "TH-50"),  # tone mark missing
    ("Chaing Mai", "TH-50"),  # swapped letters
    ("Chiang Rei", "TH-57"),
    ("ชลบุลี", "TH-20"),  # ล for ร
    ("ภูเกต", "TH-83"),
    ("Phucket", "TH-83"),
    ("ศรีสะเกศ", "TH-33"),
    ("Nakhon Ratchasim", "TH-30"),
    ("นครสวรร", "TH-60"),
])
def test_find_province_forgives_small_typos(text: str, iso: str) -> None:
    found = reference.find_province(text)
    assert found is not None and found.iso == iso


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "จังหวัด",
    "Province",
    "xyz",
    "😀",
    "😀🙏🏽",
    "เชียงใหม่" * 20,
    "a" * 10_000,
    "hello",
    "help",
    "test",
    "yes",
    "trans",
    "saturn",
    "สวัสดีครับ",
    "ลงทะเบียน",
    "ขอบคุณค่ะ",
    "ประเทศไทย",
    "ภาคเหนือ",
    "Pattaya",  # a special city (TH-S), not a province
    "TH-S",
    "TH-99",
    "50",
])
def test_find_province_returns_none_for_unrelated_text(text: str) -> None:
    assert reference.find_province(text) is None


@pytest.mark.parametrize("text", [
    "เชียง",  # Chiang Mai or Chiang Rai
    "Chiang",
    "สมุทร",  # three Samut provinces
    "นคร",
    "Nakhon",
    "Phet",  # Phetchaburi or Phetchabun
    "Nong",
])
def test_find_province_refuses_to_guess_between_provinces(text: str) -> None:
    assert reference.find_province(text) is None


# --- suggest_provinces ---------------------------------------------------------------------------------------------


def names_en(found: list[Province]) -> list[str]:
    return [p.name_en for p in found]


def test_suggestions_offer_every_province_a_fragment_could_mean() -> None:
    assert set(names_en(reference.suggest_provinces("สมุทร"))) == {"Samut Prakan", "Samut Sakhon", "Samut Songkhram"}
    assert set(names_en(reference.suggest_provinces("เชียง", limit=2))) == {"Chiang Mai", "Chiang Rai"}


def test_suggestions_put_the_likely_province_first() -> None:
    assert names_en(reference.suggest_provinces("Puket"))[0] == "Phuket"
    assert names_en(reference.suggest_provinces("กทม"))[0] == "Bangkok"


def test_suggestions_respect_the_limit() -> None:
    assert len(reference.suggest_provinces("nakhon")) == 3
    assert len(reference.suggest_provinces("nakhon", limit=5)) == 5


@pytest.mark.parametrize("text", ["", "xyz", "😀", "hello", "ลงทะเบียน", "a" * 10_000])
def test_suggestions_are_empty_when_nothing_is_close(text: str) -> None:
    assert reference.suggest_provinces(text) == []


# --- clusters and regions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "no"), [
    ("1", 1),
    ("18", 18),
    ("๑๘", 18),
    ("กลุ่ม 5", 5),
    ("cluster 12", 12),
    ("กลุ่มจังหวัดภาคเหนือตอนบน 1", 1),
    ("ภาคเหนือตอนบน 1", 1),
    ("ภาคเหนือตอนบน1", 1),
    ("เหนือตอนบน 2", 2),
    ("ภาคอีสานตอนกลาง", 7),
    ("Upper Northern Provincial Cluster 1", 1),
    ("upper northern 1", 1),
    ("กลุ่มจังหวัดภาคกลางปริมณฑล", 11),
    ("ปริมณฑล", 11),
    ("ภาคกลางปริมณทล", 11),  # typo
    ("ภาคกลางตอนบน", 10),
    ("ภาคตะวันออก 1", 14),
    ("Eastern Provincial Cluster 2", 15),
    ("อ่าวไทย", 16),
    ("ภาคใต้ฝั่งอ่าวไทย", 16),
    ("Andaman", 17),
    ("ภาคใต้ชายแดน", 18),
    ("Southern Border", 18),
])
def test_find_cluster_by_number_or_name(text: str, no: int) -> None:
    found = reference.find_cluster(text)
    assert found is not None and found.no == no


@pytest.mark.parametrize("text", [
    "", "0", "19", "xyz", "hello",
    "ภาคเหนือตอนบน",  # 1 or 2
    "ภาคเหนือตอนบน 3",  # no such cluster; must not fall back to 1 or 2
    "ภาคกลางตอนล่าง",
    "ภาคตะวันออก",  # a region with two clusters
])
def test_find_cluster_returns_none_when_unsure(text: str) -> None:
    assert reference.find_cluster(text) is None


@pytest.mark.parametrize(("text", "name_th"), [
    ("ภาคเหนือ", "ภาคเหนือ"),
    ("เหนือ", "ภาคเหนือ"),
    ("Northern", "ภาคเหนือ"),
    ("north", "ภาคเหนือ"),
    ("อีสาน", "ภาคตะวันออกเฉียงเหนือ"),
    ("Northeastern", "ภาคตะวันออกเฉียงเหนือ"),
    ("ภาคกลาง", "ภาคกลาง"),
    ("ภาคตะวันออก", "ภาคตะวันออก"),
    ("Eastern", "ภาคตะวันออก"),
    ("ภาคใต้", "ภาคใต้"),
    ("South", "ภาคใต้"),
    ("ภาคใต้ชายแดน", "ภาคใต้ชายแดน"),
    ("ชายแดนใต้", "ภาคใต้ชายแดน"),
    ("ภาคเหนอ", "ภาคเหนือ"),  # typo
])
def test_find_region_by_thai_or_english_name(text: str, name_th: str) -> None:
    found = reference.find_region(text)
    assert found is not None and found.name_th == name_th


@pytest.mark.parametrize("text", ["", "xyz", "ภาคตะวันตก", "west", "เชียงใหม่"])
def test_find_region_returns_none_for_unknown_text(text: str) -> None:
    assert reference.find_region(text) is None
