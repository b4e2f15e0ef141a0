"""Invented multi-report collections for the cross-article layer (stories, copies, incidents)."""

from __future__ import annotations

from eventwire.model import Article
from eventwire.testing import make_article

# (title, published, url, text): three outlets on one ferry sinking at Port Halvard, a wire copy of one of
# them, a second ferry sinking elsewhere (same kind, other names and day: another story), two reports of a
# chess final.
REPORTS: tuple[tuple[str, str, str, str], ...] = (
    ("Ferry Marisol sinks off Port Halvard, 30 dead", "2031-03-04T08:00:00", "https://harbourpost.example/a1",
     "The passenger ferry Marisol capsized off Port Halvard on Tuesday night, killing 30 people, the coast "
     "guard said. Captain Ilse Brandvik had reported engine trouble before the vessel listed in heavy swell. "
     "Rescue boats from Port Halvard pulled 112 survivors from the water overnight, and divers searched the "
     "hull at first light. The Marisol operator, Norrsund Lines, said it was cooperating with "
     "investigators."),
    ("Death toll rises to 34 in Marisol ferry disaster", "2031-03-05T09:00:00", "https://tidewire.example/b7",
     "Rescuers said 34 people died when the ferry Marisol overturned near Port Halvard late on Tuesday. "
     "Survivors described waves breaking over the deck as Captain Ilse Brandvik ordered passengers to the "
     "lifeboats. Norrsund Lines denied that the Marisol was overloaded. Divers returned to the wreck at Port "
     "Halvard on Wednesday while families gathered at the harbour."),
    ("Marisol survivors recall night at sea", "2031-03-05T12:00:00", "https://coastalherald.example/c2",
     "Survivors of the Marisol ferry disaster off Port Halvard spoke of clinging to debris for hours. The "
     "coast guard said 30 bodies had been recovered and Captain Ilse Brandvik was among those rescued. "
     "Norrsund Lines said the ferry had passed its last inspection in January."),
    ("Ferry Marisol sinks off Port Halvard, 30 dead", "2031-03-04T10:00:00", "https://reprints.example/w1",
     "The passenger ferry Marisol capsized off Port Halvard on Tuesday night, killing 30 people, the coast "
     "guard said. Captain Ilse Brandvik had reported engine trouble before the vessel listed in heavy swell. "
     "Rescue boats from Port Halvard pulled 112 survivors from the water overnight, and divers searched the "
     "hull at first light."),
    ("Cargo ferry Tolvane capsizes near Esker Bay", "2031-08-19T07:00:00", "https://harbourpost.example/a9",
     "The cargo ferry Tolvane capsized near Esker Bay on Sunday, and the coast guard said four crew members "
     "died. Captain Oskar Lindqvall survived. Kestrel Shipping, which operates the Tolvane, blamed a "
     "shifting load of timber in the storm off Esker Bay."),
    ("Tolvane crew mourned in Esker Bay", "2031-08-20T07:00:00", "https://tidewire.example/b9",
     "Esker Bay held a vigil for the four Tolvane crew members who died when the cargo ferry capsized. "
     "Kestrel Shipping said Captain Oskar Lindqvall had warned about the timber load before the storm."),
    ("Grandmaster Vesna Arkadi wins Lindholm chess final", "2031-05-11T18:00:00", "https://boardgame.example/1",
     "Vesna Arkadi won the Lindholm Invitational chess final on Sunday, beating Tomas Eberle in a tense "
     "rapid tiebreak. Arkadi sacrificed a rook on move 31 and Eberle resigned eight moves later."),
    ("Arkadi takes Lindholm title after rapid tiebreak", "2031-05-11T20:00:00", "https://tidewire.example/x3",
     "Vesna Arkadi is the Lindholm Invitational champion after a rapid tiebreak against Tomas Eberle. "
     "Eberle held the classical games but resigned the deciding rapid game after Arkadi's rook sacrifice."),
)
GOLD_STORIES = ("marisol", "marisol", "marisol", "marisol", "tolvane", "tolvane", "chess", "chess")


def reports() -> list[Article]:
    return [make_article(text, title=title, published=published, url=url, input_id=f"r{i}")
            for i, (title, published, url, text) in enumerate(REPORTS)]
