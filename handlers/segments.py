"""Who an announcement (or a workshop's invitation list) is for: the segment vocabulary, read and described.

`role=`, `province=`, `cluster=`, `region=`, `platform=`, `workshop=ID attending|silent`, `window=ID`: read by
`parse_segment` (unknown names are refused, not guessed) and shown by `describe` in the reader's language.
"""

from __future__ import annotations

import dataclasses

from bot.errors import DomainError, UnknownProvince, UsageError
from bot.i18n import Text
from bot.vocab import PLATFORM_WORDS, ROLE_WORDS, ROLES
from storage import reference
from storage.broadcast import Segment
from storage.db import whole_number
from storage.models import Role

ANSWERS = ("attending", "silent")
EVERYONE = Text("ทุกคน", "everyone")
ROLE_SEG = Text("บทบาท {v}", "role {v}")
PLACE_SEG = Text("จังหวัด {v}", "provinces {v}")
CLUSTER_SEG = Text("กลุ่มจังหวัด {v}", "clusters {v}")
REGION_SEG = Text("ภาค {v}", "region {v}")
PLATFORM_SEG = Text("แพลตฟอร์ม {v}", "platform {v}")
ATTENDING_SEG = Text("ผู้ตอบรับสัมมนา #{v}", "attending workshop #{v}")
SILENT_SEG = Text("ผู้ยังไม่ตอบสัมมนา #{v}", "not yet answered workshop #{v}")
UNSUBMITTED_SEG = Text("จังหวัดที่ยังไม่ส่งรอบ #{v}", "provinces not yet submitted to window #{v}")

class UnknownRole(DomainError):
    text = Text("ไม่รู้จักบทบาท \"{query}\" (admin, deputy_governor, coordinator, guest)",
                "Unknown role \"{query}\" (admin, deputy_governor, coordinator, guest).")


class UnknownPlace(DomainError):
    text = Text("ไม่พบ \"{query}\"", "Nothing matches \"{query}\".")


class NoAnswerKind(DomainError):
    text = Text("ระบุ \"ตอบรับ\" หรือ \"ยังไม่ตอบ\" ต่อจาก สัมมนา=ID",
                "Follow workshop=ID with \"attending\" or \"silent\".")


def parse_segment(options: dict[str, list[str]]) -> Segment:
    """Option values (comma lists) as a segment; unknown names are refused, not guessed.

    `workshop` ids need `answer` (attending or silent); `window` ids mean the provinces it still waits for."""
    roles, provinces, clusters, regions, platforms = [], [], [], [], []
    for value in options.get("role", []):
        role = ROLE_WORDS.get(value.lower())
        if role is None:
            raise UnknownRole(query=value)
        roles.append(role.value)
    for value in options.get("province", []):
        province = reference.find_province(value)
        if province is None:
            hint = ", ".join(p.name_th for p in reference.suggest_provinces(value))
            raise UnknownProvince(query=value, hint=f" ({hint}?)" if hint else "")
        provinces.append(province.iso)
    for value in options.get("cluster", []):
        cluster = reference.find_cluster(value)
        if cluster is None:
            raise UnknownPlace(query=value)
        clusters.append(cluster.no)
    for value in options.get("region", []):
        region = reference.find_region(value)
        if region is None:
            raise UnknownPlace(query=value)
        regions.append(region.name_th)
    for value in options.get("platform", []):
        if value.lower() not in PLATFORM_WORDS:
            raise UnknownPlace(query=value)
        platforms.append(PLATFORM_WORDS[value.lower()])
    workshops = ids(options.get("workshop", []))
    answer = (options.get("answer") or [""])[-1]
    if workshops and answer not in ANSWERS:
        raise NoAnswerKind()
    return Segment(roles=tuple(dict.fromkeys(roles)), provinces=tuple(dict.fromkeys(provinces)),
                   clusters=tuple(dict.fromkeys(clusters)), regions=tuple(dict.fromkeys(regions)),
                   platforms=tuple(dict.fromkeys(platforms)),
                   attending=workshops if answer == "attending" else (),
                   silent=workshops if answer == "silent" else (),
                   unsubmitted=ids(options.get("window", [])))


def combine(first: Segment, second: Segment) -> Segment:
    """Both segments' conditions at once (as if typed together): each kind's values joined, kinds still AND."""
    return Segment(**{f.name: tuple(dict.fromkeys(getattr(first, f.name) + getattr(second, f.name)))
                      for f in dataclasses.fields(Segment)})


def ids(values: list[str]) -> tuple[int, ...]:
    """Broadcast, workshop or window ids as typed (`3`, `#3`); anything else is a usage error."""
    ids = []
    for value in values:
        number = whole_number(value)
        if number is None:
            raise UsageError(usage="")
        ids.append(number)
    return tuple(dict.fromkeys(ids))


def describe(segment: Segment, lang: str) -> str:
    parts = []
    if segment.roles:
        parts.append(ROLE_SEG.render(lang, v=", ".join(ROLES[Role(r)].render(lang) for r in segment.roles)))
    if segment.provinces:
        names = [reference.province(iso) for iso in segment.provinces]
        parts.append(PLACE_SEG.render(lang, v=", ".join(p.name(lang) for p in names)))
    if segment.clusters:
        parts.append(CLUSTER_SEG.render(lang, v=", ".join(str(no) for no in segment.clusters)))
    if segment.regions:
        parts.append(REGION_SEG.render(lang, v=", ".join(segment.regions)))
    if segment.platforms:
        parts.append(PLATFORM_SEG.render(lang, v=", ".join(segment.platforms)))
    for ids, text in ((segment.attending, ATTENDING_SEG), (segment.silent, SILENT_SEG),
                      (segment.unsubmitted, UNSUBMITTED_SEG)):
        if ids:
            parts.append(text.render(lang, v=", #".join(str(i) for i in ids)))
    return " + ".join(parts) or EVERYONE.render(lang)
