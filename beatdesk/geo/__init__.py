"""Ward geometry: reading ONS ward files and checking the beat plan against them.

Used by the services only. geopandas and pyogrio are imported inside the functions that read files,
never at module import, so starting BeatDesk stays fast.
"""
