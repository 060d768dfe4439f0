"""Reader 10's findings on the directorates' order (issue #17)."""

from __future__ import annotations

from domain.summary.model import DirectorateCompleteness, DirectorateInfo, completeness_order

DIRECTORATES = {
    "DCP": "Direction de la commande publique",
    "DRC": "Direction de la restauration collective",
    "DMOB": "Direction de la mobilité",
    "DRH": "Direction des ressources humaines",
    "DSI": "Direction des systèmes d’information",
    "DPB": "Direction du patrimoine bâti",
    "DEE": "Direction de l’eau et de l’environnement",
}


def test_c10_the_directorates_are_sorted_by_what_they_do_not_by_their_article():
    """« Saisies attendues »: DCP, DRC, DMOB, DRH, DSI, DPB read as unsorted (sorted on « de la / des /
    du »); by the name without « Direction » and its article, as a French index collates it."""
    rows = [DirectorateCompleteness(DirectorateInfo(code, name), 1, 1, ()) for code, name in DIRECTORATES.items()]
    assert [row.directorate.code for row in completeness_order(rows)] == ["DCP", "DEE", "DMOB", "DPB", "DRH", "DRC", "DSI"]
    # Those still to enter first, each group in the same order.
    late = [DirectorateCompleteness(DirectorateInfo(code, name), 2, 1, ()) if code in ("DSI", "DMOB") else
            DirectorateCompleteness(DirectorateInfo(code, name), 1, 1, ()) for code, name in DIRECTORATES.items()]
    assert [row.directorate.code for row in completeness_order(late)][:2] == ["DMOB", "DSI"]
