"""Chat commands, grouped by feature; each module exposes `build_commands(...) -> list[Command]`."""
