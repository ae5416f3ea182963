"""Linked reports: the same agency, licence, phone number or bank account named in several reports."""

from __future__ import annotations

from knowledge.db import session_scope
from knowledge.escalations import links
from knowledge.escalations.store import add_update, create_escalation
from knowledge.staff.models import EscalationLink

KEY = b"kunci-uji"


def test_identifiers_of_a_fraud_report():
    found = links.identifiers(
        {
            "fraud_who": "pak Budi dari PT Sinar Jaya Abadi",
            "fraud_amount": "5 juta ditransfer ke rek BCA 1234567890",
            "updates": [{"at": "x", "text": "wa nya 0812-3456-7890, izin KEP.771/PPTKIS/III/2020"}],
        },
        KEY,
    )
    kinds = {(i.kind, i.label) for i in found}
    assert ("agency", "PT Sinar Jaya Abadi") in kinds
    assert ("license", "KEP.771/PPTKIS/III/2020") in kinds
    assert ("phone", "berakhiran 890") in kinds and ("account", "berakhiran 890") in kinds
    assert not any(i.kind == "agency" and i.key == "iii" for i in found)  # not a company inside the licence
    assert all("3456" not in i.key and "3456" not in i.label for i in found)  # numbers only hashed
    assert links.identifiers({"message": "NIK saya 3201014101900001, tolong"}, KEY) == set()  # the user's own number


def test_reports_naming_the_same_scammer_are_linked(db):
    with session_scope(db) as s:
        a = create_escalation(
            s, channel="web", user_id="a", reason="fraud_report", details={"fraud_who": "PT Sinar Jaya"}
        )
        b = create_escalation(
            s, channel="telegram", user_id="b", reason="fraud_report", details={"fraud_who": "pt. sinar jaya"}
        )
        c = create_escalation(
            s,
            channel="whatsapp",
            user_id="c",
            reason="emergency",
            details={"message": "agen bilang transfer ke 0812 3456 7890"},
        )
        d = create_escalation(s, channel="web", user_id="d", reason="request_human", details={"message": "halo"})
    with session_scope(db) as s:
        assert links.index_stale(s) == 4
        assert links.index_stale(s) == 0  # nothing changed since
        add_update(s, c, "oh iya PT Sinar Jaya juga, nomornya +62 812-3456-7890")
    with session_scope(db) as s:
        assert links.index_stale(s) == 1  # the report that changed
        [group] = links.linked(s, a)
        assert (group.kind, group.count, group.others) == ("agency", 3, (b, c))
        assert {g.kind for g in links.linked(s, c)} == {"agency"}  # 0812... and +62 812... are one number
        assert links.report_counts(s, [a, b, c, d]) == {a: 3, b: 3, c: 3}
        assert links.linked(s, d) == []
        assert s.query(EscalationLink).filter_by(escalation_id=d).count() == 0
