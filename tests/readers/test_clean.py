"""The debris cleaner on invented web copy-pastes: captions+credits, timestamp lines, bylines, sign-offs."""

from __future__ import annotations

import pytest

from eventwire.readers.clean import clean_text, find_byline, split_credit, split_signoff

# The shape of a news page copied from a browser: caption with its credit run into the first line, a lead,
# the published/updated timestamps run together on one line, then the body, and initials at the end.
COPY_PASTE = (
    "Protesters hold candles outside the city hall as the mayor stays defiant.Image: Reuters\n"
    "The mayor of Lindholm rejected calls to resign on Tuesday. But she offered an inquiry.\n"
    "03/14/2024, 09:0503/14/2024, 11:42\n"
    "Lindholm's mayor, Petra Vance, told the council she would stay in office until the end of her term.\n"
    "\n"
    "Opposition members said they would table a motion of no confidence next week. (pvr)\n"
)


def _lines_kept(text: str, drop: set[int]) -> str:
    return "".join(line for i, line in enumerate(text.splitlines(keepends=True)) if i not in drop)


def test_web_copy_paste_caption_timestamps_and_signoff() -> None:
    c = clean_text(COPY_PASTE)
    assert c.published == "2024-03-14T09:05"
    assert c.updated == "2024-03-14T11:42"
    assert c.published_tz == "unknown"
    assert c.captions == ("Protesters hold candles outside the city hall as the mayor stays defiant.",)
    assert c.credits == ("Image: Reuters",)
    assert c.signoff == "pvr"
    assert "Reuters" not in c.text and "Image:" not in c.text
    assert "03/14/2024" not in c.text and "(pvr)" not in c.text
    # Everything else byte-for-byte: the lead stays, paragraphs (and the blank line) are not reflowed.
    expected = _lines_kept(COPY_PASTE, {0, 2}).strip().removesuffix(" (pvr)")
    assert c.text == expected
    assert c.text.startswith("The mayor of Lindholm rejected calls")
    assert list(c.removed) == ["caption", "timestamp", "signoff"]
    meta = c.metadata()
    assert meta["cleaned"] == ["caption", "timestamp", "signoff"]
    assert meta["signoff"] == "pvr"
    assert meta["date_order"] == "MDY"  # the 14 in the second field decides it


def test_german_copy_with_dotted_stamp_uhr_and_updated_label() -> None:
    text = ("Feuerwehrleute löschen die Glut in der Lagerhalle.Foto: Keystone\n"
            "14.03.2024, 09:05 Uhr, aktualisiert 11:42 Uhr\n"
            "In Oberwil ist in der Nacht eine Lagerhalle abgebrannt. Verletzt wurde niemand. (sda/afp)")
    c = clean_text(text)
    assert (c.published, c.updated) == ("2024-03-14T09:05", "2024-03-14T11:42")
    assert c.captions == ("Feuerwehrleute löschen die Glut in der Lagerhalle.",)
    assert c.credits == ("Foto: Keystone",)
    assert c.signoff == "sda/afp"
    assert c.text == "In Oberwil ist in der Nacht eine Lagerhalle abgebrannt. Verletzt wurde niemand."


def test_written_date_with_zone_and_bracketed_credit() -> None:
    text = ("Volunteers stack sandbags along the river bank (Photo: Dana Reyes/AP)\n"
            "Published: March 4, 2024 at 9:05 p.m. EST | Updated: March 5, 2024 at 7:30 a.m. EST\n"
            "Residents of Marlow began to leave their homes as the river kept rising.\n")
    c = clean_text(text)
    assert c.published == "2024-03-04T21:05-05:00"
    assert c.updated == "2024-03-05T07:30-05:00"
    assert c.published_tz == "EST"
    assert c.captions == ("Volunteers stack sandbags along the river bank",)
    assert c.credits == ("Photo: Dana Reyes/AP",)
    assert c.text == "Residents of Marlow began to leave their homes as the river kept rising."


def test_agency_credit_without_marker_and_byline() -> None:
    text = ("A cargo ship waits outside the port of Kessel. Arne Holt/Getty Images\n"
            "By Jane Doe and Omar Said, Reuters\n"
            "Shipping through the strait fell by a third in March, port data showed.\n")
    c = clean_text(text)
    assert c.captions == ("A cargo ship waits outside the port of Kessel.",)
    assert c.credits == ("Arne Holt/Getty Images",)
    assert c.authors == ("Jane Doe", "Omar Said")
    assert c.text == "Shipping through the strait fell by a third in March, port data showed."
    assert "byline" in c.removed


def test_credit_only_line_and_unlabelled_reverse_order_stamps() -> None:
    text = ("Credit: Lena Park\n"
            "2024-03-14 11:42 - 2024-03-14 09:05\n"
            "The bridge reopened to traffic on Thursday.")
    c = clean_text(text)
    assert c.captions == ()
    assert c.credits == ("Credit: Lena Park",)
    # Unlabelled, the earlier stamp is the publication.
    assert (c.published, c.updated) == ("2024-03-14T09:05", "2024-03-14T11:42")
    assert c.text == "The bridge reopened to traffic on Thursday."


def test_day_first_from_evidence_elsewhere_in_the_text() -> None:
    text = "04/03/2024, 08:00\nThe budget, presented on 21/02/2024, was approved."
    c = clean_text(text)
    assert c.published == "2024-03-04T08:00"
    assert c.metadata()["date_order"] == "DMY"


def test_remove_false_reports_but_keeps_the_text() -> None:
    c = clean_text(COPY_PASTE, remove=False)
    assert c.text == COPY_PASTE
    assert c.published == "2024-03-14T09:05"
    assert c.metadata()["debris"] == ["caption", "timestamp", "signoff"]
    assert "cleaned" not in c.metadata()


@pytest.mark.parametrize("text", [
    "The final image: a burning car on an empty road.\nOfficials said more would follow.",
    "He sold the photo to Getty Images in 2019 and kept the rights.\nThe case went to court.",
    "By the time the police arrived, the crowd had left.\nNobody was arrested.",
    "The law was passed in 2019 (2019).\nIt came into force on 1 March.",
    "On 14 March 2024 the council met in Lindholm.\nThe vote was close.",
    "The talks lasted until 11:42 on Friday.\nBoth sides said progress was made.",
])
def test_prose_is_not_debris(text: str) -> None:
    c = clean_text(text)
    assert c.text == text.strip()
    assert c.removed == ()
    assert c.published is None and c.captions == () and c.authors == ()


def test_split_credit_variants() -> None:
    assert split_credit("Smoke rises over hills.Photo: AP") == ("Smoke rises over hills.", "Photo: AP")
    assert split_credit("Smoke rises. Bild: zvg") == ("Smoke rises.", "Bild: zvg")
    assert split_credit("Smoke rises. (Image: Jon Ode)") == ("Smoke rises.", "Image: Jon Ode")
    assert split_credit("Smoke rises.Getty Images") == ("Smoke rises.", "Getty Images")
    assert split_credit("Smoke rises. AP Photo/J. Doe") == ("Smoke rises.", "AP Photo/J. Doe")
    assert split_credit("Smoke rises over the hills.") is None
    assert split_credit("the photo: he said it was fake") is None


def test_find_byline_variants() -> None:
    assert find_byline("By Jane Doe") == ("Jane Doe",)
    assert find_byline("BY JANE DOE") == ("JANE DOE",)
    assert find_byline("Von Hans Muster und Eva van der Berg") == ("Hans Muster", "Eva van der Berg")
    assert find_byline("By Jane Doe, Political correspondent") == ("Jane Doe",)
    assert find_byline("By Monday, officials said the talks had failed.") is None
    assert find_byline("By car, the trip takes two hours") is None


def test_split_signoff_variants() -> None:
    assert split_signoff("It ended there. (con)") == ("It ended there.", "con")
    assert split_signoff("It ended there.\n(AP)\n") == ("It ended there.", "AP")
    assert split_signoff("It ended. (Reporting by Jane Doe; Editing by Omar Said)") == (
        "It ended.", "Reporting by Jane Doe; Editing by Omar Said")
    assert split_signoff("It was founded by the UN (UNHCR).") is None
    assert split_signoff("No sign-off here.") is None
