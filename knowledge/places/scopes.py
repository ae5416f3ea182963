"""Where a vacancy or training is, as codes of the region gazetteer, and the search scopes of a place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from knowledge.places.gazetteer import Region, get_gazetteer

UNRESOLVED_SCOPE = "?"
OVERSEAS_PREFIX = "LN:"


def overseas_scope(country: str) -> str:
    """The search scope of an overseas job order to this country."""
    return f"{OVERSEAS_PREFIX}{country}"


@dataclass(frozen=True)
class Place:
    """A place as written, resolved to a kabupaten/kota and/or province when possible."""

    region_code: str | None
    province_code: str | None

    @property
    def resolved(self) -> bool:
        """True when at least the kabupaten/kota is known."""
        return self.region_code is not None

    @property
    def scope(self) -> str:
        """The search scope: the kabupaten/kota code, 'P:<province>' or '?'."""
        if self.region_code:
            return self.region_code
        if self.province_code:
            return f"P:{self.province_code}"
        return UNRESOLVED_SCOPE


@lru_cache(maxsize=16384)
def resolve_place(city: str, province: str = "") -> Place:
    """Resolve a city/regency as written (with the province, when given, to choose between namesakes)."""
    gaz = get_gazetteer()
    prov_match = gaz.resolve(province) if province.strip() else None
    prov_codes = {r.province_code for r in prov_match.regions} if prov_match else set()
    match = gaz.resolve(city) if city.strip() else None
    if match:
        regencies = [r for r in match.regions if r.kind != "provinsi"]
        if prov_codes:
            regencies = [r for r in regencies if r.province_code in prov_codes] or regencies
        if regencies:
            # "Bekasi" alone is both the city and the regency; the first (the gazetteer's order) is kept.
            return Place(region_code=regencies[0].code, province_code=regencies[0].province_code)
        provinces = {r.province_code for r in match.regions}
        if len(provinces) == 1:
            return Place(region_code=None, province_code=provinces.pop())
    if len(prov_codes) == 1:
        return Place(region_code=None, province_code=next(iter(prov_codes)))
    return Place(region_code=None, province_code=None)


def scopes_for(regions: tuple[Region, ...] | list[Region]) -> set[str]:
    """Search scopes covering these regions: every kabupaten/kota code, plus 'P:<province>' entries for
    vacancies whose source only named the province."""
    gaz = get_gazetteer()
    codes = gaz.expand(regions)
    provinces = {r.province_code for r in regions}
    return codes | {f"P:{p}" for p in provinces}


def place_label(region_code: str | None, province_code: str | None, city: str = "") -> str:
    """A readable place: 'Kota Batam, Kepulauan Riau', or what the source wrote."""
    gaz = get_gazetteer()
    if region_code:
        region = gaz.get(region_code)
        return f"{region.name}, {region.province_name}"
    if province_code:
        province = gaz.get(province_code)
        return f"{city}, {province.name}" if city else province.name
    return city
