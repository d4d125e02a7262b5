"""Build hook: ship the shared data (connection schema, local-stack defaults, errors, redaction) inside the package.

The sources of truth are ../shared/schema/connections.schema.json and ../shared/defaults.json. They
land in the wheel as radlab/schema/*.json. When building from an sdist (no ../shared), the copies that
the sdist carries in radlab/schema/ are used. Editable installs need nothing: radlab.config falls back
to the repository's shared/ at run time.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SHARED_FILES = {
    "schema/connections.schema.json": "radlab/schema/connections.schema.json",
    "defaults.json": "radlab/schema/defaults.json",
    # the %%drill magic's result MIME type (radlab.kernel.magics.drill.drill_result_mime)
    "mime-types.json": "radlab/schema/mime-types.json",
    # error codes, hints and the HTTP status table (radlab.errors); redaction patterns (radlab.redact)
    "errors.json": "radlab/schema/errors.json",
    "redaction.json": "radlab/schema/redaction.json",
    # the driver-side helpers and statements of a Livy DataFrame pull (radlab.kernel.magics.livy_client)
    "livy/pull.json": "radlab/schema/livy-pull.json",
    "livy/pull.py": "radlab/schema/livy-pull.py",
}


class SharedSchemaHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name not in ("wheel", "sdist") or version == "editable":
            return
        root = Path(self.root)
        shared = root.parent / "shared"
        for src_rel, dest in SHARED_FILES.items():
            src = shared / src_rel
            if src.is_file():
                build_data["force_include"][str(src)] = dest
            elif not (root / dest).is_file():
                raise FileNotFoundError(
                    f"neither {src} nor {root / dest} exists; build from the Radlab repository"
                )
