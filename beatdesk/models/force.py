"""The force structure: Local Policing Areas, sectors, beats and the wards they are made of.

Geometry is kept as WKB in British National Grid (EPSG:27700) so areas and distances are in metres;
``display_wkb`` is the simplified copy the map draws, made once at import.
"""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class Lpa(SQLModel, table=True):
    __tablename__ = "lpa"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=8)
    name: str = Field(max_length=80)


class Sector(SQLModel, table=True):
    __tablename__ = "sector"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=8)
    name: str = Field(max_length=80)
    lpa_id: int = Field(foreign_key="lpa.id", index=True)


class Beat(SQLModel, table=True):
    __tablename__ = "beat"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=8)
    name: str = Field(max_length=120)
    sector_id: int = Field(foreign_key="sector.id", index=True)
    centroid_easting: float
    centroid_northing: float
    geometry_wkb: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    display_wkb: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class Ward(SQLModel, table=True):
    __tablename__ = "ward"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=9, description="ONS ward code, e.g. E05013246")
    name: str = Field(max_length=120)
    council_code: str = Field(max_length=9)
    council_name: str = Field(max_length=120)
    beat_id: int = Field(foreign_key="beat.id", index=True)
    area_km2: float | None = None
    geometry_wkb: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    display_wkb: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
