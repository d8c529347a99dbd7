"""customers.names: a story's customer name matches its row whatever the case, spaces or forms."""

from newsletter.customers.names import name_key


def test_case_spaces_and_compatibility_forms_are_ignored():
    assert name_key("  Lena   Okafor ") == name_key("lena okafor")
    assert name_key("ＬＥＮＡ") == name_key("lena")  # full-width letters (NFKC)
    assert name_key("Straße") == name_key("STRASSE")  # casefold, not lower
    assert name_key("陈静") == "陈静" and name_key("Лена") == name_key("ЛЕНА")
    assert name_key("Lena Okafor") != name_key("Lena Okafor-Smith")
